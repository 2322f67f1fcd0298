"""Counts of people and sums of money read from a sentence."""

from __future__ import annotations

from conftest import REPO

from geomap.documents import read_documents
from geomap.figures import _PEOPLE, _PEOPLE_FILTER, find_figures


def test_counts_of_people_and_sums_of_money_are_read_with_what_happened_to_them():
    figures = find_figures("Police arrested 2,198 foreign nationals and seized US$1.5 million and 300,000 baht.")
    assert [(f.kind, f.value, f.unit, f.role) for f in figures] == [
        ("money", 1_500_000, "USD", ""), ("money", 300_000, "THB", ""),
        ("people", 2198, "foreign nationals", "arrested")]
    (rescued,) = find_figures("They rescued hundreds of workers on Monday.")
    assert (rescued.value, rescued.unit) == (None, "workers")
    assert find_figures("In 2023 the tally rose.") == []


def test_a_sentence_the_filter_skips_holds_no_count_of_people():
    texts = [s.text for folder in (REPO / "seeds", REPO / "bench" / "articles")
             for d in read_documents(folder) for s in d.sentences]
    skipped = [t for t in texts if not _PEOPLE_FILTER.possible(t.lower())]
    # news about people moved names people in most sentences: the filter still spares a good share
    assert len(skipped) > len(texts) / 4
    assert all(_PEOPLE.search(t) is None for t in skipped)


def test_people_of_a_nationality_are_counted_but_not_its_officers():
    from geomap.figures import find_figures

    counted = [(f.value, f.role) for t in ("Police arrested 29 Malaysians in Poipet.", "270 Indians were flown home.",
                                           "106 Chinese were handed over.", "40 Chinese police arrived.")
               for f in find_figures(t) if f.kind == "people"]
    assert counted == [(29.0, "arrested"), (270.0, ""), (106.0, "")]
