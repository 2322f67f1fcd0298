"""Reading the CSV files people edit by hand (places.csv, actors.csv, a seeds folder's manifest.csv):
one reader, so every problem of every file is reported the same way, as ``FILE:LINE: column C:
what is wrong (what was expected)``, with the line each record starts on (quoted line breaks
counted) and never a traceback, whatever the bytes."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: str
    message: str
    expected: str = ""
    severity: str = "error"  # error | warning

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:" + (f" column {self.column}:" if self.column else "")
        label = " warning:" if self.severity == "warning" else ""
        expected = f" ({self.expected})" if self.expected else ""
        return f"{where}{label} {self.message}{expected}"


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[Row]
    problems: list[Problem]

    @property
    def readable(self) -> bool:
        """True when rows could be read at all (the header and the encoding are fine)."""
        return bool(self.columns) and not any(p.is_error and p.line <= 1 for p in self.problems)


def read_editor_file(path: Path) -> str:
    """An editor's text file decoded as UTF-8 (BOM or not), line ends as ``\\n``. Raises InputError
    naming the file, and the line when the bytes are not UTF-8. Lines are counted as the CSV reader
    counts them, CR, LF and CRLF each ending one (counting LF only would put every error of a
    CR-only file on line 1)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror or error}", path=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start}); "
                         "save the file as UTF-8", path=str(path), line=_line_at(raw, error.start)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_at(raw: bytes, offset: int) -> int:
    head = raw[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def read_table(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = (),
               other_columns: bool = False) -> Table:
    """An editors' CSV file as rows of stripped strings, each with the line it starts on, and the
    problems of its shape (encoding, header, number of fields). Any bytes give a Table: what
    cannot be read becomes a Problem with its line, never an exception."""
    shown = str(path)
    try:
        text = read_editor_file(path)
    except InputError as error:
        return Table(path, [], [], [Problem(shown, error.line or 1, "", error.message)])
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return Table(path, [], [], [Problem(shown, 1, "", "the file is empty",
                                            "a header line: " + ",".join(required))])
    except csv.Error as error:
        return Table(path, [], [], [_unreadable(shown, 1, error)])
    columns = [c.strip() for c in header]
    problems = _header_problems(shown, columns, required, optional, other_columns)
    if problems:
        return Table(path, columns, [], problems)  # rows cannot be read against a broken header
    rows = []
    line = reader.line_num + 1  # the line each record starts on, quoted line breaks included
    try:
        for record in reader:
            if any(field.strip() for field in record):
                if len(record) != len(columns):
                    problems.append(fields_problem(shown, line, reader.line_num, record, len(columns)))
                else:
                    rows.append(Row(line, {c: v.strip() for c, v in zip(columns, record)}))
            line = reader.line_num + 1
    except csv.Error as error:
        # The reader cannot find where the next record starts with any certainty: stop here.
        problems.append(_unreadable(shown, line, error))
    return Table(path, columns, rows, problems)


def fields_problem(shown: str, line: int, last_line: int, record: list[str], columns: int) -> Problem:
    """A record with another number of fields than the header has columns. One that runs over
    several lines with a line break in a field is most often a quote never closed: the reader took
    every line after it into that field."""
    if last_line > line and any("\n" in field for field in record):
        return Problem(shown, line, "", f"a quoted field opened on this line runs to line {last_line}",
                       'a closing double quote: " ... "')
    return Problem(shown, line, "", f"{len(record)} fields where the header has {columns}",
                   "one per column; a field holding a comma goes in double quotes")


def _header_problems(shown: str, columns: list[str], required: tuple[str, ...],
                     optional: tuple[str, ...], other_columns: bool = False) -> list[Problem]:
    """Missing and repeated columns; unknown ones too, unless ``other_columns`` allows them."""
    for separator in (";", "\t"):
        if len(columns) == 1 and separator in columns[0] \
                and set(required) <= {c.strip().strip('"') for c in columns[0].split(separator)}:
            # a spreadsheet of a semicolon locale saved it: one problem that says so, not one per column
            shown_separator = "a semicolon" if separator == ";" else "a tab"
            return [Problem(shown, 1, "", f"the columns are separated by {shown_separator}",
                            "commas: save the file as CSV with ',' between fields")]
    problems = []
    for column in required:
        if column not in columns:
            problems.append(Problem(shown, 1, column, "missing column", "the header needs " + ", ".join(required)))
    known = required + optional
    times = Counter(columns)  # not columns.count(): a header of thousands of fields stays linear
    for column in columns:
        if column not in known and not other_columns:
            problems.append(Problem(shown, 1, column or "(empty)",
                                    "unknown column" if column else "an unnamed column (a comma at the end of the header?)",
                                    "one of " + ", ".join(known)))
        elif times[column] > 1:
            problems.append(Problem(shown, 1, column, "column appears twice", "each column once"))
    return problems


def _unreadable(shown: str, line: int, error: csv.Error) -> Problem:
    limit = csv.field_size_limit()
    if "field larger than field limit" in str(error):
        return Problem(shown, line, "", f"a field in the record starting on this line is longer than {limit:,} "
                                        "characters", "shorter fields; a quote left open runs a field on to the "
                                                      "end of the file")
    return Problem(shown, line, "", f"cannot be read as CSV: {error}")
