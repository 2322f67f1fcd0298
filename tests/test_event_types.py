"""The event-type table is the only place a type is defined: a new row reaches extraction, the
map's layers, the timeline and the events page with no other change."""

from __future__ import annotations

import csv
import io

from geomap import event_types
from geomap.build import build
from geomap.event_types import EventType
from geomap.render.timeline import monthly_counts
from geomap.settings import Settings

from conftest import REPO, map_text, write_doc

# a type the table does not have (yet): protests of workers
PROTEST = EventType("protest", "Protest", True, "#AA3377", "bullhorn", (r"protested",))


def test_a_new_row_in_the_table_reaches_every_output(tmp_path, monkeypatch, repo):
    monkeypatch.setattr(event_types, "EVENT_TYPES", (*event_types.EVENT_TYPES, PROTEST))
    write_doc(tmp_path / "seeds", "a.txt", "---\npublished: 2024-05-02\n---\n"
                                           "Forty workers protested outside a compound in Poipet on May 1, 2024.\n")
    out = tmp_path / "maps"
    result = build(Settings(seeds_dir=tmp_path / "seeds", gazetteer_dir=repo / "gazetteer", out_dir=out))
    rows = list(csv.DictReader(io.StringIO((out / "events.csv").read_text(encoding="utf-8"))))
    assert [(r["type"], r["trigger"]) for r in rows] == [("protest", "protested")]
    html = map_text(out)
    assert "Events: protest (1)" in html and "fa-bullhorn" in html and "#AA3377" in html
    assert "Protest: “protested”" in html
    assert '<option value="protest">protest</option>' in (out / "events.html").read_text(encoding="utf-8")
    events = [mapped.event for mapped in result.atlas.events]
    axis, series = monthly_counts([e.date for e in events], [e.type for e in events])
    assert axis == ["2024-05"] and [(row.name, heights) for row, heights in series] == [("protest", [1])]


def test_names_are_unique_and_every_type_has_a_style_and_triggers():
    names = [row.name for row in event_types.EVENT_TYPES]
    assert len(names) == len(set(names))
    for row in event_types.EVENT_TYPES:
        assert row.label and row.triggers and row.icon and row.colour.startswith("#") and len(row.colour) == 7


def test_triggers_matched_in_the_lowercased_sentence_are_those_of_the_case_blind_patterns(seeds_build):
    """The fast patterns (case-sensitive, on the lowercased sentence) find exactly what the
    case-insensitive ones find, at the same offsets; a sentence that lowercasing lengthens is read
    with the case-insensitive ones."""
    from geomap.events import _trigger_patterns, find_triggers
    from geomap.records import Sentence

    from geomap.documents import read_documents

    texts = [s.text for d in read_documents(REPO / "seeds") for s in d.sentences]
    texts += ["POLICE RAIDED a compound and Deported 40 people.", "Officials Visiting Poipet met the governor.",
              "İstanbul police raided a call centre."]
    patterns, _ = _trigger_patterns(event_types.EVENT_TYPES)
    assert sum(folded is not None for _, _, folded in patterns) >= len(patterns) - 2
    for text in texts:
        if len(text.lower()) != len(text):
            continue
        for _, pattern, folded in patterns:
            if folded is not None:
                assert [m.span() for m in folded.finditer(text.lower())] == [m.span() for m in pattern.finditer(text)]
    lengthened = Sentence(0, 0, len(texts[-1]), texts[-1])
    assert [(t.type, t.text) for t in find_triggers(lengthened)] == [("raid", "raided")]


def test_the_filter_rules_out_only_types_whose_words_a_sentence_does_not_hold():
    """A type the filter rules out for a sentence is one whose pattern finds nothing in it, over
    every sentence of the seeds and the bench articles; and it rules out most."""
    from geomap.documents import read_documents
    from geomap.events import _trigger_patterns

    texts = [s.text for folder in (REPO / "seeds", REPO / "bench" / "articles")
             for d in read_documents(folder) for s in d.sentences]
    patterns, prefilter = _trigger_patterns(event_types.EVENT_TYPES)
    assert len(prefilter.always) <= 1
    ruled_out = 0
    for text in texts:
        possible = set(prefilter.possible(text.lower()))
        for index, (_, pattern, _) in enumerate(patterns):
            if index not in possible:
                ruled_out += 1
                assert pattern.search(text) is None, (index, text)
    assert ruled_out > 0.8 * len(texts) * len(patterns)
