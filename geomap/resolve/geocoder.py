"""The online geocoder: step 3 of the resolution chain, for names neither the gazetteer nor GeoNames
knows. It asks a geopy geocoder (Nominatim by default) and keeps every answer in a CSV the tool owns,
``gazetteer/geocoded.csv`` (see ``geocoded_csv``), so that a build is reproducible without the
network and an editor can review what the geocoder said. What an answer means and which answers are
cached is ``osm_answers``; the HTTP request itself is ``bounded_http``.

When the network is used. Only when the stage is built with ``online=True``. Offline (the default),
the stage answers from the cache alone and never constructs a network geocoder; a name not in the
cache gives no candidate. Online, a name not in the cache is asked once, and the answer is written
to the cache at once (so an interrupted build keeps what it paid for).

Sanity checks, on every use of an answer: its OSM class/type must be place-like (see
``PLACE_LIKE``; an editor's ``accepted`` overrides this one), and when the document names countries
the answer must be in one of them or within ``max_distance_km`` of one (a homonym on another
continent is the classic geocoder error). A failed check gives no candidate, with the reason kept.

Requests. geopy builds the URL and parses the answer, over ``bounded_http``'s adapter (a deadline
per request, a size limit, no redirects, one request at a time paced by ``min_delay_seconds``).
The document's countries are sent as ``countrycodes`` and, when that finds nothing, the name is asked
once more without them. HTTP 429, 408 and 5xx, timeouts and lost connections are retried
``max_retries`` times, ``error_wait_seconds`` apart, or as long as the server's ``Retry-After`` asks
(seconds or an HTTP date, on 429 and 503; later requests wait for it too). A ``Retry-After`` longer
than ``max_retry_after_seconds`` (60 s) gives up that query at once. A malformed answer, a redirect
or another 4xx is not retried. A query that still fails gives no candidate (reason in ``issues`` and
``last_error``), is not asked again in the same run, and after ``max_consecutive_faults`` failed
queries in a row the stage stops asking for the rest of the run: the build always finishes.

The one-request-per-second limit holds per stage, i.e. per build; two online builds at once each keep
their own pace.
"""

from __future__ import annotations

import functools
import inspect
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Callable, Mapping, Union
from urllib.parse import urlsplit

from ..errors import GeocoderError
from ..gazetteer.geometry import haversine_km
from ..gazetteer.geonames import normalise_name
from ..records import Candidate, Mention
from ..settings import GEOCODER_URL_VARIABLE
from .bounded_http import SYSTEM_CLOCK, TIMEOUT_SECONDS, Clock, _bounded_adapter_class, _Pacer
from .chain import Context
from .geocoded_csv import CacheRow, GeocoderCache
from .osm_answers import MAX_FIELD_CHARS, _clean_text, _screen_answers, is_place_like, row_to_place

#: Nominatim's usage policy asks for an identifying User-Agent; geopy refuses its own sample one.
USER_AGENT = "geomap/0.1 (+https://github.com/geomap; news-mapping research tool)"
DEFAULT_PROVIDER = "nominatim"
#: Nominatim's policy: at most one request per second.
MIN_DELAY_SECONDS = 1.0
MAX_RETRIES = 2
ERROR_WAIT_SECONDS = 5.0
MAX_DISTANCE_KM = 1500.0
#: Answers asked for per request: the first that passes the checks is kept.
MAX_ANSWERS = 5
#: After this many queries in a row fail, the stage stops asking for the rest of the run, so a
#: build against a dead server costs a few timeouts, not a few per name.
MAX_CONSECUTIVE_FAULTS = 3
#: An answer longer than this is not read further (a 150 MB answer once took a build to 1.6 GB).
MAX_ANSWER_BYTES = 2_000_000
#: The longest Retry-After a build waits for; a server asking for more gives up that query.
MAX_RETRY_AFTER_SECONDS = 60.0
#: A geocoder answer ranks below any gazetteer row (10) but it is the only stage left when it runs.
SCORE = 5.0

CountryPoints = Union[Mapping[str, tuple[float, float]], Callable[[str], "tuple[float, float] | None"]]


@dataclass(frozen=True)
class GeocoderIssue:
    """Why the stage gave no candidate for a name: a fault (network, server, answer) or a verdict
    (not found, rejected by an editor, failed a sanity check)."""

    query: str
    provider: str
    reason: str
    fault: bool = False


class _NotRetried(Exception):
    """A failure not worth asking again about (a malformed answer, a refused query, a redirect, a
    server asking to wait longer than a build waits); its message is the reason, already described."""


class GeocoderStage:
    """Resolution step 3. ``candidates()`` never raises for a network or server fault: it gives no
    candidate and keeps the reason in ``issues`` (and the last fault in ``last_error``)."""

    name = "geocoder"

    def __init__(self, cache: GeocoderCache, *, online: bool = False, provider: str = DEFAULT_PROVIDER,
                 url: str | None = None, user_agent: str = USER_AGENT,
                 timeout_seconds: float = TIMEOUT_SECONDS, min_delay_seconds: float = MIN_DELAY_SECONDS,
                 max_retries: int = MAX_RETRIES, error_wait_seconds: float = ERROR_WAIT_SECONDS,
                 max_distance_km: float = MAX_DISTANCE_KM, country_points: CountryPoints | None = None,
                 max_answers: int = MAX_ANSWERS, max_consecutive_faults: int = MAX_CONSECUTIVE_FAULTS,
                 provider_options: Mapping[str, object] | None = None,
                 max_answer_bytes: int = MAX_ANSWER_BYTES,
                 max_retry_after_seconds: float = MAX_RETRY_AFTER_SECONDS,
                 today: Callable[[], date] = date.today, clock: Clock = SYSTEM_CLOCK):
        if min(timeout_seconds, min_delay_seconds, error_wait_seconds, max_distance_km, max_answer_bytes,
               max_retry_after_seconds) < 0 or max_retries < 0:
            raise GeocoderError("geocoder timeouts, delays, retries, sizes and distances cannot be negative")
        self.cache = cache
        self.online = online
        self.provider = provider.strip().lower()
        self.url = url  # None: the provider's public server (Settings reads the environment)
        self.user_agent = user_agent
        self.timeout_seconds = timeout_seconds
        self.min_delay_seconds = min_delay_seconds
        self.max_retries = max_retries
        self.error_wait_seconds = error_wait_seconds
        self.max_retry_after_seconds = max_retry_after_seconds
        self.max_answer_bytes = max_answer_bytes
        self.max_distance_km = max_distance_km
        self.max_answers = max_answers
        self.max_consecutive_faults = max_consecutive_faults
        self.provider_options = dict(provider_options or {})  # e.g. api_key for providers that need one
        self.today = today
        self._country_point = _country_point_function(country_points)
        self.issues: list[GeocoderIssue] = []
        self._reasons: dict[str, str] = {}  # query -> why it gave no candidate (the last)
        self.last_error: str | None = None
        self._faulted: set[str] = set()  # queries that failed in this run: not asked twice
        self._consecutive_faults = 0
        self._pacer = _Pacer(min_delay_seconds, clock)  # every HTTP request of this stage goes through it
        self._geocoder_class = _geocoder_class(self.provider)  # a bad name fails now, even offline
        self._takes_country_codes = False
        self.geocoder = None  # the geopy geocoder; built only online
        self._geocode = self._make_geocode() if online else None

    def __getstate__(self) -> dict:
        # offline, the stage answers from its cache alone and can be sent to another process (a
        # Dask worker); online it keeps one pace and one record of faults, in one process
        if self.online:
            raise GeocoderError("an online geocoder cannot be sent to another process")
        return {name: value for name, value in self.__dict__.items() if name != "_pacer"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._pacer = _Pacer(self.min_delay_seconds, SYSTEM_CLOCK)

    @property
    def warnings(self) -> list[str]:
        """What the user should know that is not about one name (e.g. the cache cannot be written, or
        it holds answers of another geocoder, which this one does not use)."""
        others = Counter(provider for _, provider in self.cache.rows if provider != self.provider)
        unused = [f"{self.cache.path}: {count} answer(s) of the geocoder '{name}' are not used with "
                  f"'{self.provider}' (--geocoder {name} uses them)" for name, count in sorted(others.items())]
        return [*self.cache.warnings, *unused]

    # -- the Stage protocol --

    def candidates(self, mention: Mention, context: Context) -> list[Candidate]:
        query = normalise_name(mention.lookup_name)
        if not query:
            return []
        row = self.cache.lookup(query, self.provider)
        if row is None:
            if not self.online:
                return []  # offline, and never asked: nothing is guessed
            row = self._ask(query, context)
            if row is None:
                return []
        if row.status == "rejected":
            by = f" ({row.reviewed_by})" if row.reviewed_by else ""
            return self._none(query, f"the cached answer was rejected by an editor{by}; not asked again")
        if row.status == "not_found":
            return self._none(query, f"{self.provider} had no answer on {row.retrieved}")
        reason = self._check(row, context)
        if reason:
            return self._none(query, reason)
        place = row_to_place(row)
        why = (f"{self.provider} geocoder answer, status {row.status}, "
               f"OSM {row.osm_class or '?'}={row.osm_type or '?'}, retrieved {row.retrieved}")
        return [Candidate(place, self.name, SCORE, why)]

    def why_none(self, mention: Mention) -> str:
        """Why the stage gave no candidate for the name, if it knows ("" if it was never asked)."""
        reason = self._reasons.get(normalise_name(mention.lookup_name), "")
        return f"{self.name}: {reason}" if reason else ""

    # -- checks --

    def _check(self, row: CacheRow, context: Context) -> str | None:
        """Why this answer cannot be used for this document, or None."""
        if row.status != "accepted" and row.osm_class and not is_place_like(row.osm_class, row.osm_type):
            return (f"OSM {row.osm_class}={row.osm_type} is not a place-like answer "
                    f"(expected a class such as place, boundary, amenity or barrier=border_control)")
        countries = sorted(c for c, n in context.countries.items() if c and n)
        if not countries or row.country.upper() in countries:
            return None
        distances = []
        for code in countries:
            point = self._country_point(code)
            if point is not None:
                distances.append((haversine_km(float(row.lat), float(row.lon), *point), code))
        if not distances:
            return None  # no country point known: nothing to measure against
        nearest_km, code = min(distances)
        if nearest_km > self.max_distance_km:
            return (f"{nearest_km:.0f} km from {code}, the nearest country the document names "
                    f"(expected within {self.max_distance_km:.0f} km)")
        return None

    def _none(self, query: str, reason: str, fault: bool = False) -> list[Candidate]:
        issue = GeocoderIssue(query, self.provider, reason, fault)
        if issue not in self.issues:
            self.issues.append(issue)
        self._reasons[query] = reason
        if fault:
            self.last_error = f"{query}: {reason}"
        return []

    # -- the network --

    def _make_geocode(self):
        """``geocode(query, **options)``: geopy's geocoder for the provider over the bounded adapter,
        retrying what is worth retrying."""
        cls = self._geocoder_class
        accepted = inspect.signature(cls).parameters
        options: dict = {}
        if "user_agent" in accepted:
            options["user_agent"] = self.user_agent
        if "timeout" in accepted:
            options["timeout"] = self.timeout_seconds
        if self.url:
            if "domain" not in accepted:
                raise GeocoderError(f"geocoder '{self.provider}' does not take a server URL "
                                    f"(expected no --geocoder-url / {GEOCODER_URL_VARIABLE} for it)")
            scheme, domain = _split_url(self.url)
            options["domain"] = domain
            if "scheme" in accepted:
                options["scheme"] = scheme
            if "proxies" in accepted and _is_loopback(domain):
                options["proxies"] = {}  # a server on this machine is never reached through a proxy
        options.update(self.provider_options)
        # Last, so that no option replaces it: the deadline, size limit, redirects and pace live there.
        options["adapter_factory"] = functools.partial(_bounded_adapter_class(), pacer=self._pacer,
                                                       max_bytes=self.max_answer_bytes)
        try:
            geocoder = self.geocoder = cls(**options)
        except Exception as exc:  # e.g. a provider that needs an api_key
            raise GeocoderError(f"geocoder '{self.provider}' cannot be set up: {exc}") from None
        wanted = inspect.signature(geocoder.geocode).parameters
        extra: dict = {"exactly_one": False}
        if "limit" in wanted:
            extra["limit"] = self.max_answers
        if "addressdetails" in wanted:
            extra["addressdetails"] = True
        self._takes_country_codes = "country_codes" in wanted

        def geocode(query: str, **kwargs):
            return self._with_retries(lambda: geocoder.geocode(query, **extra, **kwargs))

        return geocode

    def _with_retries(self, ask: Callable[[], object]):
        """``ask()``, again after HTTP 429/408/5xx, timeouts and lost connections, up to
        ``max_retries`` times: ``error_wait_seconds`` later, or as late as the server's Retry-After
        says. Raises _NotRetried for what asking again cannot fix, the last error otherwise."""
        for attempt in range(self.max_retries + 1):
            try:
                return ask()
            except Exception as error:
                if not _worth_retrying(error):
                    raise _NotRetried(_describe(error)) from error
                wait = _retry_after(error)
                if wait is not None and wait > self.max_retry_after_seconds:
                    raise _NotRetried(f"{_describe(error)}; the server asks to wait {wait:.0f} s (Retry-After), "
                                      f"more than the {self.max_retry_after_seconds:g} s a build waits") from error
                if wait:
                    self._pacer.hold_off(wait)  # for every later request too: the server asked for a pause
                if attempt == self.max_retries:
                    raise
                self._pacer.hold_off(self.error_wait_seconds)
        raise AssertionError("unreachable")  # pragma: no cover

    def _ask(self, query: str, context: Context) -> CacheRow | None:
        """Ask the geocoder; the new row (already saved), or None on a fault."""
        if query in self._faulted:
            return None  # the issue was reported the first time
        if self._consecutive_faults >= self.max_consecutive_faults:
            return self._fault(query, f"not asked: the geocoder failed {self._consecutive_faults} "
                                      f"queries in a row in this run ({self.last_error})", count=False)
        if len(query) > MAX_FIELD_CHARS:
            return self._fault(query, f"not asked: the name is {len(query):,} characters long "
                                      f"(at most {MAX_FIELD_CHARS:,})", count=False)
        codes = sorted(c.lower() for c, n in context.countries.items() if c and n)
        # With the document's countries first (Nominatim's countrycodes); when that finds nothing,
        # once more without, because a name absent there is not absent everywhere, and a not_found
        # row is final. The distance check then judges the wider answer.
        attempts = [codes, []] if codes and self._takes_country_codes else [[]]
        retrieved = self.today().isoformat()
        rows: list[CacheRow] = []
        for attempt in attempts:
            try:
                found = self._geocode(query, **({"country_codes": attempt} if attempt else {}))
            except _NotRetried as exc:
                return self._fault(query, str(exc))
            except Exception as exc:  # a retried error that outlasted the retries
                return self._fault(query, f"{_describe(exc)} (after {self.max_retries} retries)")
            answers = list(found or [])[: self.max_answers]
            rows, dropped = _screen_answers(query, self.provider, retrieved, answers, attempt)
            if dropped and not rows:
                # A server that answers only nonsense is faulty; its answer is not a verdict to keep.
                return self._fault(query, f"implausible answer: {dropped[0]}")
            if rows:
                break
        self._consecutive_faults = 0
        if not rows:
            row = CacheRow(query, self.provider, "not_found", retrieved=retrieved)
        else:
            row = next((r for r in rows if self._check(r, context) is None), rows[0])
        self.cache.record(row)
        self.cache.save()
        return self.cache.lookup(query, self.provider)  # another build's row wins if it came first

    def _fault(self, query: str, reason: str, count: bool = True) -> None:
        if count:
            self._consecutive_faults += 1
        self._faulted.add(query)
        self._none(query, reason, fault=True)
        return None


def _geocoder_class(provider: str):
    from geopy.exc import GeocoderNotFound
    from geopy.geocoders import get_geocoder_for_service

    try:
        return get_geocoder_for_service(provider)
    except GeocoderNotFound:
        raise GeocoderError(f"unknown geocoder '{provider}' (expected a geopy service name such as "
                            f"nominatim, photon or arcgis)") from None


def _split_url(url: str) -> tuple[str, str]:
    """``http://127.0.0.1:8123/nominatim`` -> ("http", "127.0.0.1:8123/nominatim"), geopy's
    ``scheme`` and ``domain``."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise GeocoderError(f"geocoder URL '{url}' is not an http(s) URL "
                            f"(expected e.g. http://127.0.0.1:8080 or https://nominatim.example.org)")
    return parts.scheme, (parts.netloc + parts.path).rstrip("/")


def _is_loopback(domain: str) -> bool:
    host = urlsplit("//" + domain).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def _worth_retrying(error: BaseException) -> bool:
    """HTTP 429, 408 and 5xx, timeouts and lost connections are worth another try; a malformed
    answer or a refused query is not."""
    from geopy.adapters import AdapterHTTPError
    from geopy.exc import (GeocoderParseError, GeocoderQueryError, GeocoderQuotaExceeded,
                           GeocoderRateLimited, GeocoderServiceError, GeocoderTimedOut,
                           GeocoderUnavailable, GeocoderAuthenticationFailure,
                           GeocoderInsufficientPrivileges)

    if isinstance(error, (GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable)):
        return True
    if not isinstance(error, GeocoderServiceError):
        return False
    cause = error.__cause__
    if isinstance(cause, AdapterHTTPError):
        return cause.status_code in (408, 429) or cause.status_code >= 500
    return not isinstance(error, (GeocoderParseError, GeocoderQueryError, GeocoderQuotaExceeded,
                                  GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges))


def _retry_after(error: BaseException) -> float | None:
    """The seconds a 429 or 503 answer asked to wait (``Retry-After`` as seconds or an HTTP date), or
    None."""
    from geopy.adapters import AdapterHTTPError, get_retry_after

    cause = error.__cause__
    if isinstance(cause, AdapterHTTPError) and cause.status_code in (429, 503):
        return get_retry_after(cause.headers)
    return None


def _describe(error: BaseException) -> str:
    from geopy.adapters import AdapterHTTPError

    cause = error.__cause__
    status = f"HTTP {cause.status_code}: " if isinstance(cause, AdapterHTTPError) else ""
    text = _clean_text(error)  # the server's words may hold terminal escapes
    if len(text) > 200:
        text = text[:200] + "..."
    return f"{status}{type(error).__name__}: {text}"


def _country_point_function(points: CountryPoints | None) -> Callable[[str], tuple[float, float] | None]:
    if callable(points):
        return points
    return dict(points or {}).get  # not a lambda: the stage is pickled for a cluster's workers
