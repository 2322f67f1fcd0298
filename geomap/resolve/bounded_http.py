"""The geocoder's HTTP transport: one bounded HTTP request at a time. geopy builds the URL and parses
the answer; the HTTP request is this module's own adapter (urllib from the standard library), so that
each request is bounded:

- a deadline for the whole request (``timeout_seconds``, connecting, headers and body together): a
  socket timeout alone bounds each read, and a server sending a byte every few seconds never trips
  it. When the time is up the connection is shut down; that is a timeout.
- at most ``max_answer_bytes`` (2 MB) of answer; a longer one is not read further and is a fault.
- no redirects: a 3xx answer is a fault (its target is named in the reason) and nothing is asked of
  the address it names (e.g. a cloud metadata address on 169.254.169.254).
- one request at a time, each starting at least ``min_delay_seconds`` (1 s by default, as
  Nominatim's policy asks) after the previous one *ended*, so the server never sees two requests
  closer than that, retries and the second request of a query included (``_Pacer``; the stage in
  ``geocoder`` owns one and holds it off for error waits and ``Retry-After``).

Errors come out as geopy's, so that geopy's geocoders and ``geocoder``'s retry logic read them as
from any geopy adapter. geopy is imported on first use only: offline builds never load it.
"""

from __future__ import annotations

import functools
import http.client
import json
import math
import socket
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from typing import Iterator, Mapping

from .osm_answers import _clean_text

#: The deadline of a whole request when none is given (also the geocoder stage's default).
TIMEOUT_SECONDS = 10.0
#: Enough of an error page to log; the rest is not read.
_ERROR_BODY_BYTES = 64 * 1024


class Clock:
    """The time the pacer waits on: ``time.monotonic`` and ``time.sleep``. Tests hand the stage a
    clock of their own, so that waits are checked exactly and take no time."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


SYSTEM_CLOCK = Clock()


class _Pacer:
    """One HTTP request at a time, each starting at least ``min_delay`` seconds after the previous one
    *ended*: the server then never sees two requests closer than that, however long the first took
    (spacing the starts, as geopy's RateLimiter does, let a retry arrive 0.73 s after a slow
    request). ``hold_off`` keeps every request back a while longer (an error wait, a Retry-After)."""

    def __init__(self, min_delay: float, clock: Clock = SYSTEM_CLOCK):
        self.min_delay = min_delay
        self.clock = clock
        self._lock = threading.RLock()  # held for a whole request; hold_off() may come from inside one
        self._not_before = -math.inf  # on the clock's time

    def hold_off(self, seconds: float) -> None:
        with self._lock:
            self._not_before = max(self._not_before, self.clock.now() + seconds)

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._lock:
            while (wait := self._not_before - self.clock.now()) > 0:
                self.clock.sleep(wait)
            try:
                yield
            finally:
                self._not_before = max(self._not_before, self.clock.now() + self.min_delay)


class _Deadline:
    """A whole request's time budget. A socket timeout bounds each read, not the request: a server
    that sends a byte every few seconds never trips it. When the budget is spent a timer shuts the
    request's socket down, which ends whatever read or handshake is blocked on it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._lock = threading.Lock()
        self._finished = False
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "_Deadline":
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        with self._lock:
            self._finished = True
            for watched in self._sockets:
                watched.close()

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the time is up. A duplicate is kept: it stays valid when TLS wraps
        (and detaches) the original, and when urllib closes the original before the body is read."""
        with self._lock:
            if self._finished:
                return
            watched = sock.dup()
            self._sockets.append(watched)
            if self.expired:
                _shut_down(watched)

    def _expire(self) -> None:
        with self._lock:
            if self._finished:
                return
            self.expired = True
            for watched in self._sockets:
                _shut_down(watched)


def _shut_down(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the other side


class _WatchedConnection(http.client.HTTPConnection):
    """An HTTP connection whose socket is handed to the request's deadline as soon as it exists."""

    deadline: _Deadline

    def connect(self) -> None:
        super().connect()
        self.deadline.watch(self.sock)


class _WatchedHTTPSConnection(http.client.HTTPSConnection, _WatchedConnection):
    """HTTPSConnection.connect() calls super().connect(), which is _WatchedConnection's here: the
    socket is watched before the TLS handshake, so a slow handshake is cut too."""


def _watched_connection(connection_class, host: str, *, deadline: _Deadline, **options):
    connection = connection_class(host, **options)
    connection.deadline = deadline
    return connection


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(functools.partial(_watched_connection, _WatchedConnection, deadline=req.deadline), req)


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, ssl_context):
        super().__init__(context=ssl_context)
        self._ssl_context = ssl_context

    def https_open(self, req):
        return self.do_open(functools.partial(_watched_connection, _WatchedHTTPSConnection, deadline=req.deadline,
                                              context=self._ssl_context), req)


def _opener(proxies: Mapping[str, str] | None, ssl_context) -> urllib.request.OpenerDirector:
    """urllib's opener with no redirect handler (a 3xx comes back as an error, so nothing is ever
    asked of an address the server named) and no ftp/file/data handlers."""
    if proxies is None:
        proxies = urllib.request.getproxies()  # geopy's default: the system's proxies
    proxies = {scheme: url if "://" in url else f"http://{url}" for scheme, url in proxies.items() if url}
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(proxies), urllib.request.UnknownHandler(), _WatchedHTTPHandler(),
                    _WatchedHTTPSHandler(ssl_context), urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


class _BoundedHTTP:
    """GET with a deadline for the whole request, a size limit, no redirects, and the pace of a
    ``_Pacer`` for every request. Errors are geopy's (see geopy.adapters.BaseAdapter.get_text)."""

    def __init__(self, *, proxies, ssl_context, pacer: _Pacer, max_bytes: int):
        self._open = _opener(proxies, ssl_context).open
        self._pacer = pacer
        self.max_bytes = max_bytes

    def get_json(self, url: str, *, timeout: float, headers: Mapping[str, str]):
        from geopy.exc import GeocoderParseError

        text = self.get_text(url, timeout=timeout, headers=headers)
        try:
            return json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested deeper than Python goes
            raise GeocoderParseError("Could not deserialize using deserializer: "
                                     + _clean_text(text[:100])) from None

    def get_text(self, url: str, *, timeout: float, headers: Mapping[str, str]) -> str:
        seconds = timeout if timeout and timeout > 0 else TIMEOUT_SECONDS
        with self._pacer.turn(), _Deadline(seconds) as deadline:
            try:
                return self._fetch(url, headers, deadline)
            except Exception as error:
                converted = _as_geopy_error(error, deadline)
                if converted is error:
                    raise
                raise converted from error

    def _fetch(self, url: str, headers: Mapping[str, str], deadline: _Deadline) -> str:
        request = urllib.request.Request(url, headers=dict(headers))
        request.deadline = deadline  # for _WatchedHTTP(S)Handler
        try:
            response = self._open(request, timeout=deadline.seconds)
        except urllib.error.HTTPError as error:
            with error:
                raise _http_error(error) from None
        with response:
            body = _read_at_most(response, self.max_bytes)
            if deadline.expired:  # the cut may have ended the body early, as if it were complete
                raise TimeoutError("cut at the deadline")
            return _decode(body, response.headers)


def _read_at_most(response, limit: int) -> bytes:
    from geopy.exc import GeocoderParseError

    declared = (response.headers.get("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) > limit:
        raise GeocoderParseError(f"the answer is {int(declared):,} bytes, over the {limit:,}-byte limit; not read")
    body = response.read(limit + 1)
    if len(body) > limit:
        raise GeocoderParseError(f"the answer is over the {limit:,}-byte limit; not read further")
    return body


def _decode(body: bytes, headers) -> str:
    from geopy.exc import GeocoderParseError

    charset = headers.get_content_charset() or "utf-8"
    try:
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise GeocoderParseError(f"the answer is not valid {_clean_text(charset)[:40]} text") from None


def _http_error(error: urllib.error.HTTPError):
    """geopy's AdapterHTTPError for a non-2xx answer (geopy turns it into a GeocoderServiceError, a
    GeocoderRateLimited with Retry-After...); a redirect says where it pointed, and is not followed."""
    from geopy.adapters import AdapterHTTPError

    headers = {name.lower(): value for name, value in error.headers.items()}
    if 300 <= error.code < 400:
        target = _clean_text(headers.get("location", ""))[:150] or "(no Location header)"
        message = f"redirect to {target} not followed (the geocoder URL must answer itself)"
    else:
        message = f"Non-successful status code {error.code}"
    try:
        text = error.read(_ERROR_BODY_BYTES).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        text = None
    return AdapterHTTPError(message, status_code=error.code, headers=headers, text=text)


def _as_geopy_error(error: Exception, deadline: _Deadline) -> Exception:
    """The geopy error an adapter raises for ``error`` (see BaseAdapter.get_text)."""
    from geopy.adapters import AdapterHTTPError
    from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable

    if isinstance(error, (AdapterHTTPError, GeocoderServiceError)):
        return error
    if deadline.expired:
        return GeocoderTimedOut(f"no complete answer within {deadline.seconds:g} s")
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, TimeoutError):
        return GeocoderTimedOut("Service timed out")
    if isinstance(reason, OSError):  # refused, reset, unreachable, no such host, TLS
        return GeocoderUnavailable(_clean_text(reason)[:200])
    return GeocoderServiceError(_clean_text(error)[:200] or type(error).__name__)


@functools.lru_cache(maxsize=None)
def _bounded_adapter_class():
    """_BoundedHTTP as a geopy adapter class (built on first use: geopy is imported only online)."""
    from geopy.adapters import BaseSyncAdapter

    class BoundedAdapter(_BoundedHTTP, BaseSyncAdapter):
        """geopy's synchronous adapter interface over _BoundedHTTP."""

    return BoundedAdapter
