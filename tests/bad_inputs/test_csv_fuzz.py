"""The editors' files read from any bytes: binary, bad UTF-8, NULs, fields over the csv module's
131,072-character limit, ragged rows, BOMs, CR-only line ends. Reading never ends in a traceback:
it succeeds, or reports problems (or raises a geomap error) that say FILE:LINE: where."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.actors import ACTOR_COLUMNS, check_actors, load_actors
from geomap.cli import main
from geomap.errors import GazetteerProblems, GeomapError
from geomap.gazetteer import load_gazetteer
from geomap.gazetteer.check import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, check_places
from geomap.gazetteer.geometry import Boundaries
from geomap.mentions import read_stoplist
from geomap.settings import ACTORS_FILE, PLACES_FILE, STOPLIST_FILE
from geomap.records import PLACE_KINDS
from geomap.tables import read_table

PLACE_COLUMNS = REQUIRED_COLUMNS + ("geometry",)
HUGE = 140_000  # over the csv module's default field size limit of 131,072 characters

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ODD_TEXT = st.text(alphabet=st.sampled_from('ab ,"\'\n\r\x00\ufeff|#é€😀\u202e\\'), max_size=12)
NUMBERS = st.sampled_from(["12.5", "103.5", "-0", "nan", "inf", "-inf", "1e400", "1_000", "٣", " 5 ", "0x10", "", "1e-400"])
GEOMETRIES = st.sampled_from([
    "POINT (103.5 12.5)", "POINT EMPTY", "GEOMETRYCOLLECTION EMPTY", "GEOMETRYCOLLECTION (POINT EMPTY)",
    "POLYGON((103.5 10.6, 103.6 10.6, 103.6 10.7, 103.5 10.6))", "POLYGON((0 0, 1 1, 0 1, 1 0, 0 0))",
    "POINT (nan nan)", "POINT (1e400 0)", "LINESTRING (0 0, 0 0)", "POINT Z (1 2 3)", "POLYGON((", "\x00", "",
    "MULTIPOINT ((103.5 12.5), EMPTY)", "LINEARRING (0 0, 1 1, 0 0)",
])
IDS = st.sampled_from(["kh", "kh-a", "kh-b", "Kh B", "", "kh-a "])


def place_value(column: str):
    plausible = {
        "id": IDS, "parent": IDS, "kind": st.sampled_from(PLACE_KINDS + ("village", "")),
        "lat": NUMBERS, "lon": NUMBERS, "precision_km": NUMBERS, "geometry": GEOMETRIES,
        "country": st.sampled_from(["KH", "TH", "XK", "kh", "", "QQ"]),
        "aliases": st.sampled_from(["", "A|B", "|", "A| A |", "Kampong Som"]),
    }.get(column, st.just("x"))
    return plausible | ODD_TEXT | st.just("x" * HUGE)


def quoted(field: str) -> str:
    return '"' + field.replace('"', '""') + '"' if any(c in field for c in ',"\n\r') else field


@st.composite
def csv_bytes(draw, columns: tuple[str, ...]) -> bytes:
    """A CSV file close to a good one, then damaged: a shuffled or broken header, ragged rows, odd
    values, stray quotes, CR-only or mixed line ends, a BOM, bytes that are not UTF-8."""
    header = draw(st.sampled_from([list(columns), list(columns)[:-1], list(columns) + ["colour"],
                                   list(columns) + [columns[0]], [""], list(reversed(columns)),
                                   [columns[0], "x" * HUGE]]))
    rows = [[draw(place_value(c)) for c in header] for _ in range(draw(st.integers(0, 4)))]
    for row in rows:
        if draw(st.booleans()) and draw(st.booleans()):
            row.append(draw(ODD_TEXT))  # a ragged row
    line_end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = line_end.join(",".join(quoted(f) if draw(st.booleans()) else f for f in r) for r in [header, *rows])
    data = (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xe9", b"\xc3", b"\x00", b'"', b"\r", b"\xed\xa0\x80"])) \
            + data[at:]
    return data


def any_bytes(columns: tuple[str, ...]):
    return csv_bytes(columns) | st.binary(max_size=300)


@pytest.fixture(scope="module")
def boundaries(repo):
    return Boundaries(repo / "gazetteer" / "boundaries")


def written(data: bytes, name: str) -> tuple[tempfile.TemporaryDirectory, Path]:
    folder = tempfile.TemporaryDirectory()
    path = Path(folder.name) / name
    path.write_bytes(data)
    return folder, path


def assert_located(problem_text: str, path: Path) -> None:
    """FILE:LINE: with a real line number, the way editors' tools jump to a place in a file."""
    assert re.match(re.escape(str(path)) + r":[1-9]\d*: ", problem_text), problem_text


def assert_clear_error(error: GeomapError, path: Path) -> None:
    if isinstance(error, GazetteerProblems):
        for problem in error.problems:
            assert_located(str(problem), path)
        assert any(p.is_error for p in error.problems)
    else:
        assert_located(str(error), path)


@FUZZ
@given(data=any_bytes(PLACE_COLUMNS))
def test_checking_places_reports_located_problems(boundaries, data):
    folder, path = written(data, PLACES_FILE)
    with folder:
        table = read_table(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
        _, problems = check_places(path, boundaries)
        for problem in [*table.problems, *problems]:
            assert_located(str(problem), path)


@FUZZ
@given(data=any_bytes(PLACE_COLUMNS))
def test_loading_places_succeeds_or_says_where(data):
    folder, path = written(data, PLACES_FILE)
    with folder:
        try:
            load_gazetteer(path.parent)
        except GeomapError as error:
            assert_clear_error(error, path)


@FUZZ
@given(data=any_bytes(ACTOR_COLUMNS))
def test_actors_succeed_or_say_where(data):
    folder, path = written(data, ACTORS_FILE)
    with folder:
        for problem in check_actors(path)[1]:
            assert_located(str(problem), path)
        try:
            load_actors(path.parent)
        except GeomapError as error:
            assert_clear_error(error, path)


@FUZZ
@given(data=st.binary(max_size=300) | st.text().map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_stoplist_succeeds_or_says_where(data):
    folder, path = written(data, STOPLIST_FILE)
    with folder:
        try:
            names = read_stoplist(path.parent)
        except GeomapError as error:
            assert_located(str(error), path)
        else:
            assert all(name == name.strip() and "#" not in name for name in names)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(places=any_bytes(PLACE_COLUMNS), actors=any_bytes(ACTOR_COLUMNS))
def test_check_command_never_shows_a_traceback(places, actors):
    folder, path = written(places, PLACES_FILE)
    with folder:
        (path.parent / ACTORS_FILE).write_bytes(actors)
        result = CliRunner().invoke(main, ["check", "--gazetteer", str(path.parent)])
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        for line in result.stdout.splitlines():
            if line.startswith(str(path.parent)):
                assert re.match(re.escape(str(path.parent)) + r"/[\w.]+:[1-9]\d*: ", line), line


def test_errors_on_cr_only_lines_are_on_the_right_line(tmp_path, boundaries):
    header = ",".join(PLACE_COLUMNS[:-1])
    path = tmp_path / PLACES_FILE
    data = f"{header}\rkh,Cambodia,,country,12.7,104.9,240,KH,,s,\rkh-x,X\xe9".encode("latin-1")
    path.write_bytes(data)
    assert [str(p) for p in check_places(path, boundaries)[1]] == [
        f"{path}:3: not valid UTF-8 (byte 0xe9 at offset {data.index(0xe9)}); save the file as UTF-8"]


def test_a_field_over_the_csv_limit_is_a_located_problem(tmp_path, boundaries):
    header = ",".join(PLACE_COLUMNS[:-1])
    path = tmp_path / PLACES_FILE
    path.write_text(f"{header}\nkh,Cambodia,,country,12.7,104.9,240,KH,,s,\nkh-x,\"{'x' * HUGE}\n", encoding="utf-8")
    (problem,) = check_places(path, boundaries)[1]
    assert str(problem).startswith(f"{path}:3: a field in the record starting on this line is longer than 131,072")
    with pytest.raises(GazetteerProblems):
        load_gazetteer(tmp_path)


def test_a_header_over_the_csv_limit_is_a_located_problem(tmp_path):
    path = tmp_path / ACTORS_FILE
    path.write_text("x" * HUGE + "\n", encoding="utf-8")
    assert [str(p).split(": ")[0] for p in check_actors(path)[1]] == [f"{path}:1"]
