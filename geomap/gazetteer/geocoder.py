"""The online geocoder: step 3 of the resolution chain, for names neither the gazetteer nor GeoNames
knows. It asks a geopy geocoder (Nominatim by default) and keeps every answer in a CSV the tool owns,
``gazetteer/geocoded.csv``, so that a build is reproducible without the network and an editor can
review what the geocoder said.

When the network is used. Only when the stage is built with ``online=True``. Offline (the default),
the stage answers from the cache alone and never constructs a network geocoder; a name not in the
cache gives no candidate. Online, a name not in the cache is asked once, and the answer is written
to the cache at once (so an interrupted build keeps what it paid for).

The cache (``geocoded.csv``, UTF-8, ``\\n``, rows sorted by query then provider)::

    query,provider,status,lat,lon,display_name,osm_class,osm_type,country,retrieved,reviewed_by,notes

- ``status`` is ``unreviewed`` (as the geocoder answered), ``accepted`` or ``rejected`` (an editor's
  verdict, set by hand, with their name in ``reviewed_by``), or ``not_found`` (the geocoder had no
  answer). ``retrieved`` is the day of the request (YYYY-MM-DD).
- ``osm_class`` and ``osm_type`` are Nominatim's ``class`` and ``type`` (``barrier``,
  ``border_control``), not Nominatim's own ``osm_type`` (node/way/relation).
- ``notes`` starts with what the geocoder said that has no column of its own and that the place is
  derived from: ``addresstype=...; boundingbox=south,north,west,east``. Editors may add text after it.
- Every row is final for its query: a ``rejected`` row is never used **and never asked again**, so an
  editor's verdict sticks (to ask again, delete the row); a ``not_found`` row is not asked again
  either (delete it to retry). Faults (HTTP 429/5xx after the retries, timeouts, malformed answers)
  are not answers and are never written, so the next online build asks again.
- The cache key is the name as written (whitespace and quotes normalised) and the provider. The
  document's countries shape the request (``countrycodes``) but not the key; the sanity checks below
  are run on every use, against the document at hand.

Sanity checks, on every use of an answer: its OSM class/type must be place-like (see
``PLACE_LIKE``; an editor's ``accepted`` overrides this one), and when the document names countries
the answer must be in one of them or within ``max_distance_km`` of one (a homonym on another
continent is the classic geocoder error). A failed check gives no candidate, with the reason kept.

Requests go through geopy's ``RateLimiter`` (``min_delay_seconds`` apart, 1 s by default as
Nominatim's policy asks), with the document's countries as ``countrycodes`` and, when that finds
nothing, once more without them. HTTP 429, 408 and 5xx, timeouts and lost connections are retried
``max_retries`` times, ``error_wait_seconds`` apart; a malformed answer or another 4xx is not. A
query that still fails gives no candidate (reason in ``issues`` and ``last_error``), is not asked
again in the same run, and after ``max_consecutive_faults`` failed queries in a row the stage stops
asking for the rest of the run: the build always finishes.

Writes are atomic (a temporary file in the same folder, then ``os.replace``) and serialised between
processes by ``fcntl.flock`` on ``geocoded.csv.lock``: under the lock the file is read again, the new
rows merged (a row already on disk wins: it may carry an editor's verdict), written and swapped in.
Two builds at once therefore never lose or corrupt rows. The one-request-per-second limit holds per
process; two online builds at once each keep their own pace.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import inspect
import io
import math
import os
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Union
from urllib.parse import urlsplit

try:  # POSIX; elsewhere writes are still atomic but concurrent builds are not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from ..documents import read_text
from ..errors import GazetteerProblems, GeocoderError, InputError
from ..records import Candidate, Mention, Place
from ..files import write_atomically
from .check import Problem
from .geometry import haversine_km
from .geonames import normalise_name

if TYPE_CHECKING:  # resolve imports the gazetteer package; only the type is needed here
    from ..resolve import Context

CACHE_FILE = "geocoded.csv"
CACHE_COLUMNS = ("query", "provider", "status", "lat", "lon", "display_name", "osm_class", "osm_type",
                 "country", "retrieved", "reviewed_by", "notes")
STATUSES = ("unreviewed", "accepted", "rejected", "not_found")

#: Nominatim's usage policy asks for an identifying User-Agent; geopy refuses its own sample one.
USER_AGENT = "geomap/0.1 (+https://github.com/geomap; news-mapping research tool)"
DEFAULT_PROVIDER = "nominatim"
URL_ENVIRONMENT_VARIABLE = "GEOMAP_GEOCODER_URL"
#: Nominatim's policy: at most one request per second.
MIN_DELAY_SECONDS = 1.0
TIMEOUT_SECONDS = 10.0
MAX_RETRIES = 2
ERROR_WAIT_SECONDS = 5.0
MAX_DISTANCE_KM = 1500.0
#: Answers asked for per request: the first that passes the checks is kept.
MAX_ANSWERS = 5
#: After this many queries in a row fail, the stage stops asking for the rest of the run, so a
#: build against a dead server costs a few timeouts, not a few per name.
MAX_CONSECUTIVE_FAULTS = 3
#: A geocoder answer ranks below any gazetteer row (10) but it is the only stage left when it runs.
SCORE = 5.0

#: OSM classes whose answers can be where something happened; ``None`` accepts every type. Left out
#: on purpose: ``shop``, ``office``, ``craft`` (a business named like a place, e.g. "Poipet Mart"),
#: ``highway`` (roads and bus stops named after the town they lead to), ``power``, ``emergency``.
#: Kept: ``amenity``, ``building``, ``tourism``, ``leisure``, ``landuse`` because compounds, casinos,
#: police stations and detention centres are mapped as such.
PLACE_LIKE: dict[str, frozenset[str] | None] = {
    "place": None, "boundary": None, "landuse": None, "amenity": None, "building": None,
    "tourism": None, "military": None, "aeroway": None, "natural": None, "waterway": None,
    "leisure": None, "historic": None,
    "barrier": frozenset({"border_control"}),  # border crossings; not gates and fences
    "man_made": frozenset({"bridge"}),  # border bridges ("Friendship Bridge")
    "railway": frozenset({"station", "halt"}),
}

_SETTLEMENT_KINDS = {
    "country": "country", "state": "province", "province": "province", "region": "region",
    "county": "province", "district": "province", "municipality": "province",
    "city": "city", "town": "town", "village": "town", "hamlet": "town", "suburb": "town",
    "quarter": "town", "neighbourhood": "town", "borough": "town", "locality": "town",
    "isolated_dwelling": "town", "city_block": "town", "farm": "town",
    "island": "landmark", "islet": "landmark", "archipelago": "region",
    "sea": "water", "ocean": "water",
}
_FACILITY_CLASSES = frozenset({"military", "aeroway", "amenity", "building", "railway"})
_WATER_NATURAL = frozenset({"water", "bay", "strait", "sea", "wetland", "spring"})
_KIND_PRECISION_KM = {
    "country": 300.0, "province": 50.0, "region": 100.0, "city": 10.0, "town": 3.0,
    "border_crossing": 1.0, "facility": 0.5, "compound": 1.0, "water": 10.0, "landmark": 2.0,
}
_MIN_PRECISION_KM = 0.5
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_NOTE_FIELD = re.compile(r"\b(addresstype|boundingbox)=([^;\s]*)")

CountryPoints = Union[Mapping[str, tuple[float, float]], Callable[[str], "tuple[float, float] | None"]]


# --- the cache ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CacheRow:
    """One row of ``geocoded.csv``, as strings exactly as written (so rewriting the file never
    changes an editor's values)."""

    query: str
    provider: str
    status: str
    lat: str = ""
    lon: str = ""
    display_name: str = ""
    osm_class: str = ""
    osm_type: str = ""
    country: str = ""
    retrieved: str = ""
    reviewed_by: str = ""
    notes: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.query, self.provider)

    @property
    def found(self) -> bool:
        return self.status != "not_found"

    def note_field(self, name: str) -> str:
        """A value the geocoder left in ``notes`` (``addresstype``, ``boundingbox``), or ""."""
        for key, value in _NOTE_FIELD.findall(self.notes):
            if key == name:
                return value
        return ""

    def values(self) -> list[str]:
        return [getattr(self, name) for name in CACHE_COLUMNS]


def validate_cache(path: Path) -> list[Problem]:
    """Every problem in the cache file, as ``geomap check`` prints them (none when the file does not
    exist: it is created on demand)."""
    if not Path(path).exists():
        return []
    return _parse(Path(path))[1]


def _parse(path: Path) -> tuple[list[CacheRow], list[Problem]]:
    where = str(path)
    try:
        text = read_text(path)
    except InputError as exc:
        return [], [Problem(where, exc.line or 1, "", exc.message)]
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
        if header is None:
            return [], [Problem(where, 1, "", "the file is empty", "header: " + ",".join(CACHE_COLUMNS))]
        problems = _header_problems(where, header)
        if problems:
            return [], problems  # without the right columns no row can be read
        rows: list[CacheRow] = []
        first_line: dict[tuple[str, str], int] = {}
        line = reader.line_num + 1  # the line each record starts on, quoted line breaks included
        for values in reader:
            start, line = line, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(CACHE_COLUMNS):
                problems.append(Problem(where, start, "", f"{len(values)} fields",
                                        f"{len(CACHE_COLUMNS)}, one per header column; quote fields holding commas"))
                continue
            row = CacheRow(*(v.strip() for v in values))
            row_problems = _row_problems(where, start, row)
            if row.key in first_line and row.query:
                row_problems.append(Problem(where, start, "query",
                                            f"'{row.query}' with provider '{row.provider}' again",
                                            f"one row per query and provider; first on line {first_line[row.key]}"))
            first_line.setdefault(row.key, start)
            problems.extend(row_problems)
            if not row_problems:
                rows.append(row)
    except csv.Error as error:
        return [], [Problem(where, reader.line_num, "", f"cannot be read as CSV: {error}")]
    return rows, problems


def _header_problems(where: str, header: list[str]) -> list[Problem]:
    header = [h.strip() for h in header]
    if tuple(header) == CACHE_COLUMNS:
        return []
    problems = []
    for number, expected in enumerate(CACHE_COLUMNS, start=1):
        found = header[number - 1] if number <= len(header) else None
        if found is None:
            problems.append(Problem(where, 1, expected, "missing from the header", f"'{expected}' as column {number}"))
        elif found != expected:
            problems.append(Problem(where, 1, found or "(empty)", f"column {number} is '{found}'",
                                    f"'{expected}'"))
    for number in range(len(CACHE_COLUMNS) + 1, len(header) + 1):
        problems.append(Problem(where, 1, header[number - 1] or "(empty)", "unknown column",
                                f"only {','.join(CACHE_COLUMNS)}"))
    return problems


def _row_problems(where: str, line: int, row: CacheRow) -> list[Problem]:
    problems = []
    for column in ("query", "provider"):
        if not getattr(row, column):
            problems.append(Problem(where, line, column, "empty", "a value is required"))
    if row.status not in STATUSES:
        problems.append(Problem(where, line, "status", f"unknown status '{row.status}'",
                                f"one of {', '.join(STATUSES)}"))
    elif row.found:
        for column, limit in (("lat", 90), ("lon", 180)):
            value = getattr(row, column)
            try:
                number = float(value)
            except ValueError:
                problems.append(Problem(where, line, column, f"'{value}' is not a number",
                                        f"decimal degrees, -{limit} to {limit}"))
                continue
            if not -limit <= number <= limit:  # also false for nan
                problems.append(Problem(where, line, column, f"{value} is out of range", f"-{limit} to {limit}"))
    else:
        for column in ("lat", "lon"):
            if getattr(row, column):
                problems.append(Problem(where, line, column, f"'{getattr(row, column)}' on a not_found row",
                                        "empty"))
    if not _is_date(row.retrieved):
        problems.append(Problem(where, line, "retrieved", f"'{row.retrieved}' is not a date", "YYYY-MM-DD"))
    if row.country and not _COUNTRY.fullmatch(row.country):
        problems.append(Problem(where, line, "country", f"'{row.country}' is not a country code",
                                "two capital letters such as KH, TH, MM"))
    return problems


def _is_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


class GeocoderCache:
    """The rows of ``geocoded.csv`` in memory, plus the ones this run added and has not saved."""

    def __init__(self, path: Path, rows: Mapping[tuple[str, str], CacheRow] | None = None):
        self.path = Path(path)
        self.rows: dict[tuple[str, str], CacheRow] = dict(rows or {})
        self._pending: dict[tuple[str, str], CacheRow] = {}

    @classmethod
    def load(cls, path: Path) -> "GeocoderCache":
        """The cache at ``path`` (empty when the file does not exist yet). A file an editor broke
        stops the build with every problem listed, like a bad gazetteer."""
        path = Path(path)
        return cls(path, {row.key: row for row in _read_rows(path)})

    def lookup(self, query: str, provider: str) -> CacheRow | None:
        return self.rows.get((normalise_name(query), provider))

    def record(self, row: CacheRow) -> None:
        """Keep a new row; it reaches the file with the next ``save()``."""
        row = replace(row, query=normalise_name(row.query))
        self.rows[row.key] = row
        self._pending[row.key] = row

    def save(self) -> None:
        """Merge the new rows into the file under the lock, atomically. Rows already in the file win:
        another build may have written them, or an editor reviewed them, since this cache was read."""
        if not self._pending:
            return
        with _file_lock(self.path):
            on_disk = {row.key: row for row in _read_rows(self.path)}
            merged = {**self._pending, **on_disk}
            write_atomically(self.path, _render(merged.values()))
        self.rows.update(merged)
        self._pending.clear()


def _read_rows(path: Path) -> list[CacheRow]:
    if not path.exists():
        return []
    rows, problems = _parse(path)
    if problems:
        raise GazetteerProblems(problems)
    return rows


def _render(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CACHE_COLUMNS)
    for row in sorted(rows, key=lambda r: r.key):
        writer.writerow(row.values())
    return out.getvalue()


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The lock file is never deleted: removing it would let a third process lock a new inode
    # while a second still holds the old one.
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# --- from a cache row to a place -------------------------------------------------------------------

def slug(text: str) -> str:
    """An id part from a name: ASCII, lower case, words joined by '-'; a short hash for names with
    no Latin letters (so every query has a stable id)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if words:
        return "-".join(words)
    return "q" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def place_kind(osm_class: str, osm_type: str, addresstype: str = "", display_name: str = "") -> str:
    """One of ``records.PLACE_KINDS`` for an OSM class/type."""
    if osm_class == "place":
        return _SETTLEMENT_KINDS.get(osm_type, "landmark")
    if osm_class == "boundary" and osm_type == "administrative":
        if addresstype in _SETTLEMENT_KINDS:
            return _SETTLEMENT_KINDS[addresstype]
        # No addresstype (older servers): a one-part display name is a country ("Cambodia").
        return "country" if display_name and "," not in display_name else "province"
    if osm_class == "barrier" and osm_type == "border_control":
        return "border_crossing"
    if osm_class == "waterway" or (osm_class == "natural" and osm_type in _WATER_NATURAL):
        return "water"
    if osm_class in _FACILITY_CLASSES or (osm_class == "landuse" and osm_type == "military"):
        return "facility"
    return "landmark"


def precision_km(kind: str, boundingbox: str) -> float:
    """Half the diagonal of the answer's bounding box (``south,north,west,east``), at least 0.5 km;
    without one, a typical size for the kind."""
    try:
        south, north, west, east = (float(v) for v in boundingbox.split(","))
    except ValueError:
        return _KIND_PRECISION_KM.get(kind, 2.0)
    half_diagonal = haversine_km(south, west, north, east) / 2
    if not math.isfinite(half_diagonal):
        return _KIND_PRECISION_KM.get(kind, 2.0)
    return round(max(_MIN_PRECISION_KM, half_diagonal), 1)


def row_to_place(row: CacheRow) -> Place:
    """The place a found row stands for. A function of the row alone: the first (online) and every
    later (offline) build make the same place from it."""
    kind = place_kind(row.osm_class, row.osm_type, row.note_field("addresstype"), row.display_name)
    name = row.display_name.split(",")[0].strip() or row.query
    return Place(
        id=f"geocoder:{row.provider}:{slug(row.query)}", name=name, kind=kind,
        lat=float(row.lat), lon=float(row.lon),
        precision_km=precision_km(kind, row.note_field("boundingbox")),
        country=row.country.upper(),
        source=f"{row.provider} geocoder, retrieved {row.retrieved}, status {row.status}; {row.display_name}",
        notes=row.notes,
    )


def is_place_like(osm_class: str, osm_type: str) -> bool:
    if osm_class not in PLACE_LIKE:
        return False
    types = PLACE_LIKE[osm_class]
    return types is None or osm_type in types


# --- the stage -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GeocoderIssue:
    """Why the stage gave no candidate for a name: a fault (network, server, answer) or a verdict
    (not found, rejected by an editor, failed a sanity check)."""

    query: str
    provider: str
    reason: str
    fault: bool = False


class _NotRetried(Exception):
    """Wraps an error RateLimiter must not retry: it retries every GeocoderServiceError, but a
    malformed answer or a refused query (HTTP 400/403) will not get better by asking again."""


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
                 today: Callable[[], date] = date.today):
        if min(timeout_seconds, min_delay_seconds, error_wait_seconds, max_distance_km) < 0 or max_retries < 0:
            raise GeocoderError("geocoder timeouts, delays, retries and distances cannot be negative")
        self.cache = cache
        self.online = online
        self.provider = provider.strip().lower()
        self.url = url if url is not None else (os.environ.get(URL_ENVIRONMENT_VARIABLE) or None)
        self.user_agent = user_agent
        self.timeout_seconds = timeout_seconds
        self.min_delay_seconds = min_delay_seconds
        self.max_retries = max_retries
        # RateLimiter requires the wait after an error to be at least the normal spacing.
        self.error_wait_seconds = max(error_wait_seconds, min_delay_seconds)
        self.max_distance_km = max_distance_km
        self.max_answers = max_answers
        self.max_consecutive_faults = max_consecutive_faults
        self.provider_options = dict(provider_options or {})  # e.g. api_key for providers that need one
        self.today = today
        self._country_point = _country_point_function(country_points)
        self.issues: list[GeocoderIssue] = []
        self.last_error: str | None = None
        self._faulted: set[str] = set()  # queries that failed in this run: not asked twice
        self._consecutive_faults = 0
        self._geocoder_class = _geocoder_class(self.provider)  # a bad name fails now, even offline
        self._takes_country_codes = False
        self.geocoder = None  # the geopy geocoder; built only online
        self._geocode = self._make_geocode() if online else None

    # -- the Stage protocol --

    def candidates(self, mention: Mention, context: Context) -> list[Candidate]:
        query = normalise_name(mention.surface)
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
        if fault:
            self.last_error = f"{query}: {reason}"
        return []

    # -- the network --

    def _make_geocode(self):
        """geopy's geocoder for the provider, behind geopy's RateLimiter."""
        from geopy.extra.rate_limiter import RateLimiter

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
                                    f"(expected no --geocoder-url / {URL_ENVIRONMENT_VARIABLE} for it)")
            scheme, domain = _split_url(self.url)
            options["domain"] = domain
            if "scheme" in accepted:
                options["scheme"] = scheme
            if "proxies" in accepted and _is_loopback(domain):
                options["proxies"] = {}  # a server on this machine is never reached through a proxy
        if "adapter_factory" in accepted:
            options["adapter_factory"] = _adapter_factory()
        options.update(self.provider_options)
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
            try:
                return geocoder.geocode(query, **extra, **kwargs)
            except Exception as exc:
                if _worth_retrying(exc):
                    raise
                raise _NotRetried(exc) from exc

        # swallow_exceptions=False: a swallowed fault would look like "no answer" and be cached as
        # not_found; we want to know it failed, and not write it down.
        return RateLimiter(geocode, min_delay_seconds=self.min_delay_seconds, max_retries=self.max_retries,
                           error_wait_seconds=self.error_wait_seconds, swallow_exceptions=False)

    def _ask(self, query: str, context: Context) -> CacheRow | None:
        """Ask the geocoder; the new row (already saved), or None on a fault."""
        if query in self._faulted:
            return None  # the issue was reported the first time
        if self._consecutive_faults >= self.max_consecutive_faults:
            return self._fault(query, f"not asked: the geocoder failed {self._consecutive_faults} "
                                      f"queries in a row in this run ({self.last_error})", count=False)
        codes = sorted(c.lower() for c, n in context.countries.items() if c and n)
        # With the document's countries first (Nominatim's countrycodes); when that finds nothing,
        # once more without, because a name absent there is not absent everywhere, and a not_found
        # row is final. The distance check then judges the wider answer.
        attempts = [codes, []] if codes and self._takes_country_codes else [[]]
        answers = []
        for attempt in attempts:
            try:
                found = self._geocode(query, **({"country_codes": attempt} if attempt else {}))
            except _NotRetried as exc:
                return self._fault(query, _describe(exc.__cause__ or exc))
            except Exception as exc:  # a retried error that outlasted the retries
                return self._fault(query, f"{_describe(exc)} (after {self.max_retries} retries)")
            answers = list(found or [])
            if answers:
                break
        retrieved = self.today().isoformat()
        try:
            rows = [_answer_row(query, self.provider, retrieved, answer) for answer in answers]
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            return self._fault(query, f"malformed answer: {exc}")
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


def _adapter_factory():
    """geopy's requests adapter without urllib3's own retries (they would resend requests behind
    RateLimiter's back, unspaced and uncounted); urllib when requests is missing (it never retries)."""
    from geopy.adapters import RequestsAdapter, URLLibAdapter

    if RequestsAdapter.is_available:
        return functools.partial(RequestsAdapter, max_retries=0)
    return URLLibAdapter


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


def _describe(error: BaseException) -> str:
    from geopy.adapters import AdapterHTTPError

    cause = error.__cause__
    status = f"HTTP {cause.status_code}: " if isinstance(cause, AdapterHTTPError) else ""
    text = " ".join(str(error).split())
    if len(text) > 200:
        text = text[:200] + "..."
    return f"{status}{type(error).__name__}: {text}"


def _answer_row(query: str, provider: str, retrieved: str, location) -> CacheRow:
    """A cache row from one geopy Location (Nominatim's JSON; Photon's GeoJSON properties too)."""
    raw = location.raw if isinstance(location.raw, dict) else {}
    props = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
    lat, lon = float(location.latitude), float(location.longitude)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordinates {lat}, {lon} are out of range")
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
    country = str(address.get("country_code") or props.get("countrycode") or "").upper()
    bbox = raw.get("boundingbox")
    if not bbox and isinstance(props.get("extent"), list) and len(props["extent"]) == 4:
        west, north, east, south = props["extent"]  # Photon: [minlon, maxlat, maxlon, minlat]
        bbox = [south, north, west, east]
    notes = []
    addresstype = str(raw.get("addresstype") or "")
    if addresstype:
        notes.append(f"addresstype={addresstype}")
    if isinstance(bbox, list) and len(bbox) == 4:
        notes.append("boundingbox=" + ",".join(_number(v) for v in bbox))
    return CacheRow(
        query=query, provider=provider, status="unreviewed", lat=_number(lat), lon=_number(lon),
        display_name=" ".join(str(location.address or raw.get("display_name") or "").split()),
        osm_class=str(raw.get("class") or raw.get("category") or props.get("osm_key") or ""),
        osm_type=str(raw.get("type") or props.get("osm_value") or ""),
        country=country if _COUNTRY.fullmatch(country) else "",
        retrieved=retrieved, notes="; ".join(notes),
    )


def _number(value) -> str:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"'{value}' is not a finite number")
    return repr(round(number, 7))


def _country_point_function(points: CountryPoints | None) -> Callable[[str], tuple[float, float] | None]:
    if points is None:
        return lambda code: None
    if callable(points):
        return points
    return lambda code: points.get(code)


assert tuple(f.name for f in fields(CacheRow)) == CACHE_COLUMNS  # the row is the file's columns
