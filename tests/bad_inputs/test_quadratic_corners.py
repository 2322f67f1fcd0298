"""Work that grows with the square (or worse) of the input: many names in one sentence, one very long
line, a deep chain of parents. The tests count operations rather than time them, so they hold on a
slow or busy machine: the work for 4n items must stay close to 4 times the work for n."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

import geomap
from geomap.documents import split_sentences
from geomap.gazetteer.check import check_places, find_parent_loops
from geomap.records import Document

PACKAGE_DIR = str(Path(geomap.__file__).parent) + os.sep
LINEAR_GROWTH = 5.0  # 4x the input may cost at most 5x the work; a quadratic step costs 16x


def document(text: str) -> Document:
    return Document(name="long.txt", text=text, sentences=split_sentences(text))


def python_lines_run(call) -> int:
    """The number of lines of geomap's own code that ``call()`` executes: a measure of work that
    does not depend on the machine's speed or load."""
    count = 0

    def on_line(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return on_line

    def on_call(frame, event, arg):
        return on_line if frame.f_code.co_filename.startswith(PACKAGE_DIR) else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count


def growth(make_text, finder, n: int) -> float:
    small, large = document(make_text(n)), document(make_text(4 * n))
    return python_lines_run(lambda: finder.find(large)) / python_lines_run(lambda: finder.find(small))


SENTENCES_WITH_MANY_NAMES = {
    "known names in a row": lambda n: " ".join(["Cambodia"] * n) + ".",
    "a list of known names": lambda n: ", ".join(["Cambodia"] * n) + ".",
    "known and unknown names": lambda n: " ".join(["Cambodia Xyzzy,"] * n) + ".",
    "names joined by and": lambda n: "Scams spread to " + " and ".join(["Xyzzy"] * n) + ".",
    "organisation words around names": lambda n: " ".join(["University"] * n + ["of"] + ["Cambodia"] * n) + ".",
    "publication words after names": lambda n: " ".join(["Cambodia"] * n + ["Times"]) + ".",
    "common words before a name": lambda n: "in " + " ".join(["The"] * n) + " Xyzzy.",
    "a person's title, then names": lambda n: "President " + " and ".join(["Xyzzy Cambodia"] * n) + ".",
}


@pytest.mark.parametrize("shape", sorted(SENTENCES_WITH_MANY_NAMES))
def test_finding_places_is_linear_in_the_names_of_a_sentence(parts, shape):
    finder, _ = parts
    assert growth(SENTENCES_WITH_MANY_NAMES[shape], finder, 150) < LINEAR_GROWTH


def test_a_sentence_of_thousands_of_names_finishes(parts):
    """A hang guard beside the counts above: before the fix, 20,000 names took minutes."""
    finder, _ = parts
    text = ", ".join(["Cambodia", "Xyzzy and Laos", "University of Phnom Penh", "The Times"] * 1500) + "."
    assert len(finder.find(document(text)).mentions) == 3000


def test_the_words_before_a_name_are_looked_for_in_a_short_stretch(parts, monkeypatch):
    """The search for a longer name ending with a gazetteer name ("South America") runs inside C,
    where the line count does not see it: each looks at a bounded stretch before its name, not at the
    sentence from its start (16 s for 4,000 names in one line when it did)."""
    from geomap import mentions

    finder, _ = parts
    spans = []

    class Recording:
        def search(self, text, pos, endpos):
            spans.append(endpos - pos)
            return real.search(text, pos, endpos)

    real = mentions._WORDS_BEFORE
    monkeypatch.setattr(mentions, "_WORDS_BEFORE", Recording())
    text = "lorem ipsum dolor " * 400 + ", ".join(["Cambodia"] * 400) + "."
    assert len(finder.find(document(text)).mentions) == 400
    assert len(spans) == 400 and max(spans) <= mentions._WORDS_BEFORE_REACH


LONG_LINES = ["Cambodia ", "The ", "Xyzzy and ", "Mr Xyzzy and ", "University of Cambodia ", "Lyon, ", "a-", "a'",
              "A.a", "Cafe\u0301 "]


@pytest.mark.parametrize("unit", LONG_LINES)
def test_a_long_line_is_read_in_linear_work(parts, unit):
    """One line with no sentence end is one long sentence."""
    finder, _ = parts
    assert growth(lambda n: unit * n, finder, 400) < LINEAR_GROWTH


@pytest.mark.parametrize("unit", ["The ", "Mr Xyzzy and "])
def test_a_five_megabyte_line_finishes(parts, unit):
    """A hang guard for quadratic steps done inside C, which the line count does not see: removing
    leading words with list.pop(0), and slicing the text from the start of the phrase for each name."""
    finder, _ = parts
    assert finder.find(document(unit * (5_000_000 // len(unit)) + "Xyzzy")).mentions == ()


# --- gazetteer: a deep chain of parents ----------------------------------------------------------

HEADER = "id,name,aliases,kind,lat,lon,precision_km,country,parent,source,notes"


def chain_rows(depth: int, loop_back: bool = False) -> list[str]:
    """Place i's parent is place i-1; with loop_back, place 0's parent is the last place."""
    first_parent = f"p{depth - 1}" if loop_back else ""
    return [f"p{i},Place {i},,town,12.5,104.9,3,KH,{f'p{i - 1}' if i else first_parent},s," for i in range(depth)]


def write_places(folder: Path, rows: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "places.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


class CountingParents(Mapping):
    """A mapping of ids to parents that counts how often it is asked about an id."""

    def __init__(self, parents: dict[str, str]):
        self.parents = parents
        self.lookups = 0

    def __getitem__(self, place_id: str) -> str:
        self.lookups += 1
        return self.parents[place_id]

    def __contains__(self, place_id) -> bool:
        self.lookups += 1
        return place_id in self.parents

    def __iter__(self):
        return iter(self.parents)

    def __len__(self) -> int:
        return len(self.parents)


@pytest.mark.parametrize("loop_back", [False, True])
def test_parent_loops_look_each_place_up_a_bounded_number_of_times(loop_back):
    depth = 5_000
    parents = CountingParents({f"p{i}": (f"p{i - 1}" if i else (f"p{depth - 1}" if loop_back else ""))
                               for i in range(depth)})
    loops = find_parent_loops(parents)
    assert parents.lookups <= 3 * depth + 2
    assert len(loops) == (depth if loop_back else 0)


def test_checking_a_deep_chain_of_parents_is_linear(tmp_path):
    def work(depth: int) -> int:
        path = write_places(tmp_path / str(depth), chain_rows(depth))
        return python_lines_run(lambda: check_places(path))

    assert work(2_000) / work(500) < LINEAR_GROWTH


def test_a_loop_at_the_end_of_a_deep_chain_is_reported_with_file_and_line(tmp_path):
    rows = chain_rows(5_000) + ["kh-a,A,,town,12.5,104.9,3,KH,kh-b,s,", "kh-b,B,,town,12.5,104.9,3,KH,kh-a,s,",
                                "kh-c,C,,town,12.5,104.9,3,KH,kh-a,s,"]
    path = write_places(tmp_path, rows)
    expected = "(each chain of parents ends at a row with no parent)"
    # (the ids p0, p1 ... p4999 are not in sort order either: a warning, left out here)
    assert [str(p) for p in check_places(path)[1] if p.is_error] == [
        f"{path}:5002: column parent: parents form a loop: kh-a -> kh-b -> kh-a {expected}",
        f"{path}:5003: column parent: parents form a loop: kh-b -> kh-a -> kh-b {expected}"]


def test_a_loop_of_thousands_of_places_is_reported_on_each_row_in_short(tmp_path):
    depth = 5_000
    path = write_places(tmp_path, chain_rows(depth, loop_back=True))
    problems = [p for p in check_places(path)[1] if p.is_error]
    assert [p.line for p in problems] == list(range(2, depth + 2))
    assert problems[1].message == "parents form a loop of 5000 places: p1 -> p0 -> p4999 -> p4998 -> p4997 -> " \
                                  "p4996 -> ... -> p2 -> p1"
    assert max(len(p.message) for p in problems) < 200  # not the 5,000 ids of the loop on each of 5,000 rows


# --- events: regular expressions over one long sentence ------------------------------------------

EVENT_HANG_GUARD_SECONDS = 60


@pytest.mark.parametrize("line", [
    "Police arrested " + "Chinese, " * 33_000 + "nationals.",
    "Police arrested " + "Chinese and " * 25_000 + "workers.",
    "Police " + "often " * 50_000 + ", raided a casino.",
    "Police detained " + "1," * 150_000 + " Chinese.",
], ids=["a list of nationalities", "nationalities joined by and", "trend words before a trigger",
        "a count that never ends"])
def test_a_300_kb_sentence_of_event_words_finishes(parts, line):
    """A hang guard for backtracking inside the regular expressions of roles and events, which the
    line count does not see: each of these grew with the square of the line (100 kB took 8 to 80 s,
    so 300 kB would take many minutes); linear, each takes about a second."""
    import threading

    from geomap.actors import ActorFinder
    from geomap.events import EventExtractor

    finder, resolver = parts
    doc = document(line)
    extractor = EventExtractor(ActorFinder([]))
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.setdefault(
        "events", extractor.extract(doc, resolver.resolve_document(finder.find(doc).mentions))), daemon=True)
    worker.start()
    worker.join(EVENT_HANG_GUARD_SECONDS)
    assert not worker.is_alive(), f"still running after {EVENT_HANG_GUARD_SECONDS} s"
    assert outcome["events"]
