"""The online geocoder's cache, ``gazetteer/geocoded.csv``: a CSV the tool owns that keeps every
answer, so that a build is reproducible without the network and an editor can review what the
geocoder said. This module reads, validates, merges and writes it; ``geocoder`` decides what to ask
and ``osm_answers`` what a row means.

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
  implausible answers, see ``geocoder`` and ``osm_answers``) are not answers and are never written,
  so the next online build asks again.
- The cache key is the name as written (whitespace and quotes normalised) and the provider. The
  document's countries shape the request (``countrycodes``) but not the key; the sanity checks (see
  ``geocoder``) are run on every use, against the document at hand.
- Reading never stops a build over a row this tool could not have written: a row with a field longer
  than csv's default field limit (``CSV_FIELD_LIMIT``, 131,072 characters; older versions wrote such
  rows) is **ignored with a warning** (``geomap check`` lists it as ``FILE:LINE: column X: warning``),
  and left out the next time the file is written, so an online build asks for that name again. Any
  other broken row stops the build with every problem listed, like a bad gazetteer.

Writes are atomic (a temporary file in the same folder, then ``os.replace``) and serialised between
processes by ``fcntl.flock`` on ``geocoded.csv.lock``: under the lock the file is read again, the new
rows merged (a row already on disk wins: it may carry an editor's verdict), written and swapped in.
Two builds at once therefore never lose or corrupt rows. When the folder cannot be written
(read-only, permissions, a full disk) the build warns once (``logging`` and ``GeocoderCache.warnings``)
and goes on without caching: this run uses its answers, the next online build asks again.
"""

from __future__ import annotations

import csv
import errno
import io
import logging
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Iterator, Mapping

try:  # POSIX; elsewhere writes are still atomic but concurrent builds are not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from ..errors import GazetteerProblems, InputError
from ..files import remove_stale_temporaries, write_atomically
from ..tables import Problem, fields_problem, read_editor_file
from ..gazetteer.geonames import normalise_name

CACHE_COLUMNS = ("query", "provider", "status", "lat", "lon", "display_name", "osm_class", "osm_type",
                 "country", "retrieved", "reviewed_by", "notes")
STATUSES = ("unreviewed", "accepted", "rejected", "not_found")

#: csv's default field size limit: a longer field stops every csv reader with default settings.
CSV_FIELD_LIMIT = 131_072
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_NOTE_FIELD = re.compile(r"\b(addresstype|boundingbox)=([^;\s]*)")

logger = logging.getLogger(__name__)


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
        text = read_editor_file(path)  # an unreadable file or folder is an InputError too
    except InputError as exc:
        return [], [Problem(where, exc.line or 1, "", exc.message)]
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
                problems.append(fields_problem(where, start, reader.line_num, values, len(CACHE_COLUMNS)))
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
    known = row.status in STATUSES
    if not known:
        problems.append(Problem(where, line, "status", f"unknown status '{row.status}'",
                                f"one of {', '.join(STATUSES)}"))
    if not known or row.found:
        # with a status misspelt, the coordinates given are checked all the same: every problem at once
        for column, limit in (("lat", 90), ("lon", 180)):
            value = getattr(row, column)
            if not known and not value:
                continue
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


assert tuple(f.name for f in fields(CacheRow)) == CACHE_COLUMNS  # the row is the file's columns
