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
  either (delete it to retry). Faults (HTTP 429/5xx after the retries, timeouts, malformed or
  implausible answers, see below) are not answers and are never written, so the next online build
  asks again.
- The cache key is the name as written (whitespace and quotes normalised) and the provider. The
  document's countries shape the request (``countrycodes``) but not the key; the sanity checks below
  are run on every use, against the document at hand.
- Reading never stops a build over a row this tool could not have written: a row with a field longer
  than csv's default field limit (``CSV_FIELD_LIMIT``, 131,072 characters; older versions wrote such
  rows) is **ignored with a warning** (``geomap check`` lists it as ``FILE:LINE: column X: warning``),
  and left out the next time the file is written, so an online build asks for that name again. Any
  other broken row stops the build with every problem listed, like a bad gazetteer.

What is cached. An answer is screened before it is written; an implausible one is dropped, and when
no usable answer is left the query is a fault (not cached, asked again next build), because a server
that says such things is broken rather than certain: coordinates at 0, 0 ("Null Island", a
placeholder), not finite or out of range; a country other than the ones the request was limited to
(``countrycodes``: the server ignored the filter); any field over ``MAX_FIELD_CHARS`` (1,000)
characters. Control characters (terminal escapes, NUL; line breaks and tabs become spaces) and
unpaired surrogates are removed from answer strings; everything else is kept as the server typed it.
An answer found by the second request without ``countrycodes`` may lie in another country: it is
cached as that name's answer (the key has no countries) and the distance check below refuses it for
every document about other countries.

Sanity checks, on every use of an answer: its OSM class/type must be place-like (see
``PLACE_LIKE``; an editor's ``accepted`` overrides this one), and when the document names countries
the answer must be in one of them or within ``max_distance_km`` of one (a homonym on another
continent is the classic geocoder error). A failed check gives no candidate, with the reason kept.

Requests. geopy builds the URL and parses the answer; the HTTP request is this module's own adapter
(urllib from the standard library), so that each request is bounded:

- a deadline for the whole request (``timeout_seconds``, connecting, headers and body together): a
  socket timeout alone bounds each read, and a server sending a byte every few seconds never trips
  it. When the time is up the connection is shut down; that is a timeout.
- at most ``max_answer_bytes`` (2 MB) of answer; a longer one is not read further and is a fault.
- no redirects: a 3xx answer is a fault (its target is named in the reason) and nothing is asked of
  the address it names (e.g. a cloud metadata address on 169.254.169.254).
- one request at a time, each starting at least ``min_delay_seconds`` (1 s by default, as
  Nominatim's policy asks) after the previous one *ended*, so the server never sees two requests
  closer than that, retries and the second request of a query included.

The document's countries are sent as ``countrycodes`` and, when that finds nothing, the name is asked
once more without them. HTTP 429, 408 and 5xx, timeouts and lost connections are retried
``max_retries`` times, ``error_wait_seconds`` apart, or as long as the server's ``Retry-After`` asks
(seconds or an HTTP date, on 429 and 503; later requests wait for it too). A ``Retry-After`` longer
than ``max_retry_after_seconds`` (60 s) gives up that query at once. A malformed answer, a redirect
or another 4xx is not retried. A query that still fails gives no candidate (reason in ``issues`` and
``last_error``), is not asked again in the same run, and after ``max_consecutive_faults`` failed
queries in a row the stage stops asking for the rest of the run: the build always finishes.

Writes are atomic (a temporary file in the same folder, then ``os.replace``) and serialised between
processes by ``fcntl.flock`` on ``geocoded.csv.lock``: under the lock the file is read again, the new
rows merged (a row already on disk wins: it may carry an editor's verdict), written and swapped in.
Two builds at once therefore never lose or corrupt rows. When the folder cannot be written
(read-only, permissions, a full disk) the build warns once (``logging`` and ``GeocoderCache.warnings``)
and goes on without caching: this run uses its answers, the next online build asks again. The
one-request-per-second limit holds per stage, i.e. per build; two online builds at once each keep
their own pace.
"""

from __future__ import annotations

import csv
import errno
import functools
import hashlib
import http.client
import inspect
import io
import json
import logging
import math
import os
import re
import socket
import threading
import time
import unicodedata
import urllib.error
import urllib.request
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
from ..files import remove_stale_temporaries, write_atomically
from ..settings import GEOCODER_URL_VARIABLE
from .check import Problem
from .geometry import haversine_km
from .geonames import normalise_name

if TYPE_CHECKING:  # resolve imports the gazetteer package; only the type is needed here
    from ..resolve import Context

CACHE_COLUMNS = ("query", "provider", "status", "lat", "lon", "display_name", "osm_class", "osm_type",
                 "country", "retrieved", "reviewed_by", "notes")
STATUSES = ("unreviewed", "accepted", "rejected", "not_found")

#: Nominatim's usage policy asks for an identifying User-Agent; geopy refuses its own sample one.
USER_AGENT = "geomap/0.1 (+https://github.com/geomap; news-mapping research tool)"
DEFAULT_PROVIDER = "nominatim"
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
#: An answer longer than this is not read further (a 150 MB answer once took a build to 1.6 GB).
MAX_ANSWER_BYTES = 2_000_000
#: The longest Retry-After a build waits for; a server asking for more gives up that query.
MAX_RETRY_AFTER_SECONDS = 60.0
#: No answer string (a name, a class, a display name) is longer than this; a longer one is not a place.
MAX_FIELD_CHARS = 1_000
#: csv's default field size limit: a longer field stops every csv reader with default settings.
CSV_FIELD_LIMIT = 131_072
#: Enough of an error page to log; the rest is not read.
_ERROR_BODY_BYTES = 64 * 1024
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

logger = logging.getLogger(__name__)

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
    except OSError as exc:  # a folder by that name, no permission
        return [], [Problem(where, 1, "", f"cannot be read: {exc.strerror or exc}")]
    with _csv_field_limit(len(text) + 1):  # an over-long field is reported below, not a csv.Error
        return _parse_text(where, text)


def _parse_text(where: str, text: str) -> tuple[list[CacheRow], list[Problem]]:
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
            too_long = _over_long_field(where, start, values)
            if too_long:
                problems.append(too_long)  # a warning: the row is ignored, the build goes on
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


#: csv.field_size_limit() is one setting for the whole process: readers of the cache take turns.
_CSV_LIMIT_LOCK = threading.Lock()


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """Let csv read fields up to ``limit`` characters for a while, so that a row an older version
    wrote with a huge field is reported (and skipped) instead of stopping the whole read."""
    with _CSV_LIMIT_LOCK:
        previous = csv.field_size_limit(max(limit, csv.field_size_limit()))
        try:
            yield
        finally:
            csv.field_size_limit(previous)


def _over_long_field(where: str, line: int, values: list[str]) -> Problem | None:
    """A warning for a row with a field no csv reader with default settings can read; the row is
    ignored rather than fatal, because the tool wrote it and the next online build can ask again."""
    for number, value in enumerate(values):
        if len(value) > CSV_FIELD_LIMIT:
            column = CACHE_COLUMNS[number] if number < len(CACHE_COLUMNS) else f"{number + 1}"
            return Problem(where, line, column, f"{len(value):,} characters; the row is ignored (an online "
                                                f"build asks again and writes the file without it)",
                           f"at most {CSV_FIELD_LIMIT:,}", severity="warning")
    return None


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
        #: what the user should know: ignored rows, a folder that cannot be written (also logged)
        self.warnings: list[str] = []
        self._unwritable = False

    @classmethod
    def load(cls, path: Path) -> "GeocoderCache":
        """The cache at ``path`` (empty when the file does not exist yet). A file an editor broke
        stops the build with every problem listed, like a bad gazetteer; a row with an over-long
        field is skipped with a warning."""
        path = Path(path)
        rows, ignored = _read_rows(path)
        cache = cls(path, {row.key: row for row in rows})
        for problem in ignored:
            cache._warn(str(problem))
        return cache

    def lookup(self, query: str, provider: str) -> CacheRow | None:
        return self.rows.get((normalise_name(query), provider))

    def record(self, row: CacheRow) -> None:
        """Keep a new row; it reaches the file with the next ``save()``."""
        row = replace(row, query=normalise_name(row.query))
        self.rows[row.key] = row
        self._pending[row.key] = row

    def save(self) -> None:
        """Merge the new rows into the file under the lock, atomically. Rows already in the file win:
        another build may have written them, or an editor reviewed them, since this cache was read.
        A folder that cannot be written is warned about once; the rows then live for this run only."""
        if not self._pending or self._unwritable:
            return
        try:
            with _file_lock(self.path):
                remove_stale_temporaries(self.path)  # of builds killed while they wrote
                on_disk = {row.key: row for row in _read_rows(self.path)[0]}
                merged = {**self._pending, **on_disk}
                write_atomically(self.path, _render(merged.values()))
        except OSError as error:
            if not _cannot_write_here(error):
                raise
            self._unwritable = True
            self._warn(f"cannot write {self.path}: {error.strerror or error}; answers not cached "
                       f"(this run uses them, the next online build asks again)")
            return
        self.rows.update(merged)
        self._pending.clear()

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        logger.warning("%s", message)


def _cannot_write_here(error: OSError) -> bool:
    """The folder is read-only, not ours, not a folder, or full: worth a warning, not a crash, since
    the cache only saves asking again."""
    return isinstance(error, (PermissionError, NotADirectoryError)) or error.errno in (
        errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.ENOSPC, errno.EDQUOT)


def _read_rows(path: Path) -> tuple[list[CacheRow], list[Problem]]:
    """The usable rows and the warnings about rows ignored; errors raise GazetteerProblems."""
    if not path.exists():
        return [], []
    rows, problems = _parse(path)
    if any(p.is_error for p in problems):
        raise GazetteerProblems(problems)
    return rows, problems


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
    descriptor = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    with open(descriptor, "a") as handle:
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
                 today: Callable[[], date] = date.today):
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
        self.last_error: str | None = None
        self._faulted: set[str] = set()  # queries that failed in this run: not asked twice
        self._consecutive_faults = 0
        self._pacer = _Pacer(min_delay_seconds)  # every HTTP request of this stage goes through it
        self._geocoder_class = _geocoder_class(self.provider)  # a bad name fails now, even offline
        self._takes_country_codes = False
        self.geocoder = None  # the geopy geocoder; built only online
        self._geocode = self._make_geocode() if online else None

    @property
    def warnings(self) -> list[str]:
        """What the user should know that is not about one name (e.g. the cache cannot be written)."""
        return self.cache.warnings

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


def _clean_text(value) -> str:
    """``value`` as text, as typed, minus control characters (terminal escapes, NUL) and unpaired
    surrogates (which cannot be written as UTF-8); line breaks, tabs and runs of spaces become one
    space."""
    kept = "".join(ch for ch in str(value) if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs"))
    return " ".join(kept.split())


def _screen_answers(query: str, provider: str, retrieved: str, answers: list,
                    requested_countries: list[str]) -> tuple[list[CacheRow], list[str]]:
    """The answers that may be cached, as rows, and why each of the others was dropped."""
    rows, dropped = [], []
    for answer in answers:
        try:
            row = _answer_row(query, provider, retrieved, answer)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            dropped.append(f"malformed: {_clean_text(exc)[:200]}")
            continue
        reason = _implausible(row, requested_countries)
        if reason:
            dropped.append(reason)
        else:
            rows.append(row)
    return rows, dropped


def _implausible(row: CacheRow, requested_countries: list[str]) -> str | None:
    """Why a well-formed answer cannot be a real answer to the request, or None."""
    if float(row.lat) == 0 and float(row.lon) == 0:
        return "coordinates 0, 0 (Null Island, a placeholder rather than a place)"
    for column, value in zip(CACHE_COLUMNS, row.values()):
        if len(value) > MAX_FIELD_CHARS:
            return f"{column} is {len(value):,} characters long (at most {MAX_FIELD_CHARS:,})"
    if requested_countries and row.country and row.country.lower() not in requested_countries:
        return (f"in {row.country}, outside the countries the request was limited to "
                f"({','.join(requested_countries)})")
    return None


def _answer_row(query: str, provider: str, retrieved: str, location) -> CacheRow:
    """A cache row from one geopy Location (Nominatim's JSON; Photon's GeoJSON properties too)."""
    raw = location.raw if isinstance(location.raw, dict) else {}
    props = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
    # The server's own numbers where it gave them: geopy wraps a longitude of 200 to -160.
    lat, lon = float(raw.get("lat", location.latitude)), float(raw.get("lon", location.longitude))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also false for nan
        raise ValueError(f"coordinates {lat}, {lon} are out of range")
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
    country = str(address.get("country_code") or props.get("countrycode") or "").upper()
    bbox = raw.get("boundingbox")
    if not bbox and isinstance(props.get("extent"), list) and len(props["extent"]) == 4:
        west, north, east, south = props["extent"]  # Photon: [minlon, maxlat, maxlon, minlat]
        bbox = [south, north, west, east]
    notes = []
    addresstype = _clean_text(raw.get("addresstype") or "")
    if addresstype:
        notes.append(f"addresstype={addresstype}")
    if isinstance(bbox, list) and len(bbox) == 4:
        notes.append("boundingbox=" + ",".join(_number(v) for v in bbox))
    return CacheRow(
        query=query, provider=provider, status="unreviewed", lat=_number(lat), lon=_number(lon),
        display_name=_clean_text(location.address or raw.get("display_name") or ""),
        osm_class=_clean_text(raw.get("class") or raw.get("category") or props.get("osm_key") or ""),
        osm_type=_clean_text(raw.get("type") or props.get("osm_value") or ""),
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


# --- the network: one bounded HTTP request at a time -----------------------------------------------

class _Pacer:
    """One HTTP request at a time, each starting at least ``min_delay`` seconds after the previous one
    *ended*: the server then never sees two requests closer than that, however long the first took
    (spacing the starts, as geopy's RateLimiter does, let a retry arrive 0.73 s after a slow
    request). ``hold_off`` keeps every request back a while longer (an error wait, a Retry-After)."""

    def __init__(self, min_delay: float):
        self.min_delay = min_delay
        self._lock = threading.RLock()  # held for a whole request; hold_off() may come from inside one
        self._not_before = -math.inf  # on time.monotonic(), the clock the waits are measured on

    def hold_off(self, seconds: float) -> None:
        with self._lock:
            self._not_before = max(self._not_before, time.monotonic() + seconds)

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._lock:
            while (wait := self._not_before - time.monotonic()) > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self._not_before = max(self._not_before, time.monotonic() + self.min_delay)


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


assert tuple(f.name for f in fields(CacheRow)) == CACHE_COLUMNS  # the row is the file's columns
