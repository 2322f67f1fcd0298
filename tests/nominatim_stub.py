"""A small Nominatim-compatible HTTP server on 127.0.0.1, for tests: geopy talks to it over real
HTTP (``domain="127.0.0.1:PORT"``, ``scheme="http"``), so the code path under test is the real one.

``/search?q=...&format=json`` answers from a dict of canned answers (a list of Nominatim results per
query), filtered by ``countrycodes`` (on ``address.country_code``) and cut to ``limit`` as Nominatim
does. Faults are scripted per query, one step per request (when the script runs out, answers are
normal again)::

    stub.script("Chrey Thom", 429, OK)             # rate-limited once, then the answer
    stub.script("Nowhere", 500, 500, 500)          # server errors
    stub.script("Slow", Sleep(1.0))                # answer after 1 s (longer than the client waits)
    stub.script("Broken", MALFORMED)               # HTTP 200 with a body that is not JSON
    stub.script("Empty", EMPTY)                    # HTTP 200 with []

Hostile servers, for the bad-input tests::

    stub.script("X", Reply(429, headers={"Retry-After": "1"}), OK)   # any status, headers and body
    stub.script("X", Reply(302, headers={"Location": "http://169.254.169.254/"}))
    stub.script("X", Reply(body=[{...}]))          # exactly these results, no countrycodes filter
    stub.script("X", Trickle(0.3))                 # the answer one byte every 0.3 s
    stub.script("X", Trickle(0.3, head=True))      # the status line and headers too
    stub.script("X", Flood(150_000_000))           # a 150 MB body (Content-Length declared or not)
    stub.script("X", Late(0.4, 429))               # reaches the server 0.4 s after it was sent

Every request is recorded (path, query parameters, headers, arrival time on the stub's ``clock``);
``bytes_sent`` counts the body bytes a ``Flood`` got onto the wire before the client hung up.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qs, urlsplit

from geomap.resolve.bounded_http import SYSTEM_CLOCK, Clock

OK = "ok"
MALFORMED = "malformed"
EMPTY = "empty"


@dataclass(frozen=True)
class Sleep:
    """Wait this long, then answer normally (the client has usually given up by then)."""

    seconds: float


@dataclass(frozen=True)
class Reply:
    """Answer with this status, these headers and this body (bytes as they are, anything else as
    JSON), whatever was asked. A header value may be a function, called when the answer is sent."""

    status: int = 200
    body: object = b"[]"
    headers: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Trickle:
    """The normal answer, one byte every ``seconds`` (the status line and headers too when
    ``head``): each read gets a byte well within any read timeout, so only a deadline stops it."""

    seconds: float
    head: bool = False


@dataclass(frozen=True)
class Flood:
    """HTTP 200 with a body of ``size`` bytes (a JSON array that never ends), with a Content-Length
    header when ``declared``, else until the connection closes."""

    size: int
    declared: bool = True


@dataclass(frozen=True)
class Late:
    """The request reaches the server ``seconds`` late (a slow connection, a far server): it is
    recorded as arriving then, and answered with ``step`` (normally by default)."""

    seconds: float
    step: object = OK


@dataclass(frozen=True)
class Request:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    arrived: float  # on the stub's clock

    @property
    def query(self) -> str:
        return self.params.get("q", "")


@dataclass
class NominatimStub:
    answers: dict[str, list[dict]] = field(default_factory=dict)
    scripts: dict[str, list] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    bytes_sent: int = 0
    #: what arrival times are read on and Sleep/Late wait on: a test's fake clock, or real time
    clock: Clock = SYSTEM_CLOCK

    def __post_init__(self):
        self._lock = threading.Lock()
        self._stopping = threading.Event()  # ends trickles and floods at stop()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- set-up --

    def script(self, query: str, *steps) -> None:
        """Steps for the next requests of ``query``: an HTTP status (429, 500...), ``OK``, ``EMPTY``,
        ``MALFORMED``, ``Sleep(seconds)``, ``Late(seconds)``, ``Reply(...)``, ``Trickle(...)`` or
        ``Flood(...)``."""
        with self._lock:
            self.scripts[query] = list(steps)

    def start(self) -> "NominatimStub":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits up to one interval, at every test's teardown.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="nominatim-stub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.domain}"

    def requests_for(self, query: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.query == query]

    # -- answering --

    def _next_step(self, query: str):
        with self._lock:
            steps = self.scripts.get(query)
            return steps.pop(0) if steps else OK

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _count_sent(self, size: int) -> None:
        with self._lock:
            self.bytes_sent += size

    def _answer(self, params: dict[str, str]) -> list[dict]:
        results = self.answers.get(params.get("q", ""), [])
        codes = {c.strip().lower() for c in params.get("countrycodes", "").split(",") if c.strip()}
        if codes:
            results = [r for r in results if r.get("address", {}).get("country_code", "").lower() in codes]
        limit = int(params.get("limit", "10"))
        results = results[:limit]
        if params.get("addressdetails") != "1":
            results = [{k: v for k, v in r.items() if k != "address"} for r in results]
        return results


def _handler(stub: NominatimStub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (http.server's naming)
            arrived = stub.clock.now()
            parts = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            step = stub._next_step(params.get("q", "")) if parts.path == "/search" else None
            if isinstance(step, Late):
                stub.clock.sleep(step.seconds)
                arrived, step = stub.clock.now(), step.step
            stub._record(Request(parts.path, params, dict(self.headers.items()), arrived))
            if parts.path != "/search":
                return self._send(404, b'{"error": "not found"}')
            if isinstance(step, int):
                return self._send(step, json.dumps({"error": f"status {step}"}).encode())
            if step == MALFORMED:
                return self._send(200, b'[{"place_id": 1, "lat": "10.9"')
            if step == EMPTY:
                return self._send(200, b"[]")
            if isinstance(step, Reply):
                body = step.body if isinstance(step.body, bytes) else json.dumps(step.body).encode("utf-8")
                return self._send(step.status, body, step.headers)
            if isinstance(step, Flood):
                return self._flood(step)
            if isinstance(step, Sleep):
                stub.clock.sleep(step.seconds)
            body = json.dumps(stub._answer(params), ensure_ascii=False).encode("utf-8")
            if isinstance(step, Trickle):
                return self._trickle(body, step)
            return self._send(200, body)

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value() if callable(value) else value)  # e.g. a date from now
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and left: what a real server sees too

        def _head(self, length: int | None) -> bytes:
            lines = ["HTTP/1.1 200 OK", "Content-Type: application/json; charset=utf-8", "Connection: close"]
            if length is not None:
                lines.append(f"Content-Length: {length}")
            return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")

        def _trickle(self, body: bytes, step: Trickle) -> None:
            self.close_connection = True
            head = self._head(len(body))
            data = head + body if step.head else body
            try:
                if not step.head:
                    self.wfile.write(head)
                for number in range(len(data)):
                    if stub._stopping.wait(step.seconds):
                        return
                    self.wfile.write(data[number:number + 1])
            except OSError:
                pass  # the client gave up: the point of the exercise

        def _flood(self, step: Flood) -> None:
            self.close_connection = True
            chunk = b'[{"display_name": "' + b"x" * (64 * 1024 - 19)
            sent = 0
            try:
                self.wfile.write(self._head(step.size if step.declared else None))
                while sent < step.size and not stub._stopping.is_set():
                    piece = chunk[: step.size - sent]
                    self.wfile.write(piece)
                    sent += len(piece)
            except OSError:
                pass  # the client stopped reading and hung up
            finally:
                stub._count_sent(sent)

        def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
            pass  # keep test output clean

    return Handler


@contextmanager
def running_stub(answers: dict[str, list[dict]] | None = None) -> Iterator[NominatimStub]:
    """A started stub, stopped on exit (for a pytest fixture or a ``with`` block)."""
    stub = NominatimStub(answers=dict(answers or {})).start()
    try:
        yield stub
    finally:
        stub.stop()


def nominatim_result(*, name: str, lat: float, lon: float, osm_class: str, osm_type: str, country_code: str,
                     display_name: str, addresstype: str | None = None, boundingbox: list[str] | None = None,
                     place_rank: int = 30, osm_id: int = 1, address: dict | None = None) -> dict:
    """One result as Nominatim's ``format=json&addressdetails=1`` gives it (strings for numbers)."""
    span = 0.0005
    return {
        "place_id": osm_id + 100000, "licence": "Data © OpenStreetMap contributors, ODbL 1.0. "
                                                "http://osm.org/copyright",
        "osm_type": "node", "osm_id": osm_id, "lat": f"{lat:.7f}", "lon": f"{lon:.7f}",
        "class": osm_class, "type": osm_type, "place_rank": place_rank, "importance": 0.2,
        "addresstype": addresstype or osm_class, "name": name, "display_name": display_name,
        "address": {**(address or {}), "country_code": country_code.lower()},
        "boundingbox": boundingbox or [f"{lat - span:.7f}", f"{lat + span:.7f}", f"{lon - span:.7f}",
                                       f"{lon + span:.7f}"],
    }
