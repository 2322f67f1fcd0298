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

Every request is recorded (path, query parameters, headers, arrival time on ``time.monotonic()``).
"""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qs, urlsplit

OK = "ok"
MALFORMED = "malformed"
EMPTY = "empty"


@dataclass(frozen=True)
class Sleep:
    """Wait this long, then answer normally (the client has usually given up by then)."""

    seconds: float


@dataclass(frozen=True)
class Request:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    arrived: float  # time.monotonic()

    @property
    def query(self) -> str:
        return self.params.get("q", "")


@dataclass
class NominatimStub:
    answers: dict[str, list[dict]] = field(default_factory=dict)
    scripts: dict[str, list] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- set-up --

    def script(self, query: str, *steps) -> None:
        """Steps for the next requests of ``query``: an HTTP status (429, 500...), ``OK``, ``EMPTY``,
        ``MALFORMED`` or ``Sleep(seconds)``."""
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
            arrived = time.monotonic()
            parts = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            stub._record(Request(parts.path, params, dict(self.headers.items()), arrived))
            if parts.path != "/search":
                return self._send(404, b'{"error": "not found"}')
            step = stub._next_step(params.get("q", ""))
            if isinstance(step, int):
                return self._send(step, json.dumps({"error": f"status {step}"}).encode())
            if step == MALFORMED:
                return self._send(200, b'[{"place_id": 1, "lat": "10.9"')
            if step == EMPTY:
                return self._send(200, b"[]")
            if isinstance(step, Sleep):
                time.sleep(step.seconds)
            body = json.dumps(stub._answer(params), ensure_ascii=False).encode("utf-8")
            return self._send(200, body)

        def _send(self, status: int, body: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and left: what a real server sees too

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
