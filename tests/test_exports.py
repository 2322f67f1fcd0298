"""Export rows are made from the Atlas, outside the browser."""

from __future__ import annotations

import json

import pytest

from geomap import exports
from geomap.atlas import coordinate


@pytest.fixture(scope="module")
def atlas(seeds_build):
    return seeds_build.atlas


def test_export_rows_are_made_from_the_atlas(atlas):
    rows = list(exports.event_rows(atlas))
    assert [r["event_id"] for r in rows] == [e.event.event_id for e in atlas.events]
    for row, mapped in zip(rows, atlas.events):
        assert row["type"] == mapped.event.type and row["sources"] == len(mapped.event.documents)
        # one title per document, in the order of source_docs (two copies of a story share a title)
        assert len(json.loads(row["source_titles"])) == len(row["source_docs"].split("; ")) == row["sources"]
        assert row["admin1"] == mapped.facts.admin1
        if mapped.place:
            assert (row["lat"], row["lon"]) == (coordinate(mapped.place.lat), coordinate(mapped.place.lon))
        else:
            assert row["lat"] is None
    features = exports.places_geojson(atlas)["features"]
    ids = [f["properties"]["id"] for f in features]
    assert ids[:len(atlas.places)] == [p.place.id for p in atlas.places]
    # every place an event holds is a feature, so that the exports join
    for mapped in atlas.events:
        for place in (*([mapped.place] if mapped.place else []), *mapped.event.origins, *mapped.event.destinations):
            assert place.id in ids, (mapped.event.event_id, place.id)
    mentions = list(exports.mention_rows(atlas.ledger, atlas.places))
    assert len(mentions) == len(atlas.ledger) > len(list(atlas.resolutions))
    assert [(m["doc"], m["start"], m["end"]) for m in mentions] == sorted((m["doc"], m["start"], m["end"])
                                                                           for m in mentions)
    assert len(list(exports.review_rows(atlas.ledger))) == len(list(atlas.review)) == sum(atlas.ledger.issues.values())


def test_the_names_a_sentence_gives_but_nothing_places_reach_the_exports_and_the_popup(atlas):
    from dataclasses import replace

    from geomap.render.popups import event_record

    mapped = next(m for m in atlas.events if m.place is not None)
    named = replace(mapped, event=replace(mapped.event, unresolved_names=("Xyzzy Heights", "Qorblin")))
    row = exports._event_row(named, atlas)
    assert row["unresolved_names"] == "Xyzzy Heights; Qorblin" and "unresolved_names" in exports.EVENT_COLUMNS
    documents = {doc: number for number, doc in enumerate(sorted(atlas.documents))}
    more = event_record(named, "Raid", documents)[7]
    assert any("names Xyzzy Heights; Qorblin, which no source could place" in line for line in more)


def test_the_review_queue_by_name_counts_the_rows_of_each_name(seeds_build, tmp_path):
    import pandas as pd

    from geomap.exports import ReviewNames

    rows = [{"doc": "a.txt", "surface": "Bamban", "issue": "fallback", "place_id": "g:1", "quote": "In Bamban."},
            {"doc": "b.txt", "surface": "Bamban", "issue": "fallback", "place_id": "g:1", "quote": "Bamban again."},
            {"doc": "b.txt", "surface": "Bamban", "issue": "fallback", "place_id": "g:1", "quote": "And Bamban."},
            {"doc": "b.txt", "surface": "Xyz", "issue": "unresolved", "place_id": "", "quote": "In Xyz."}]
    names = ReviewNames()
    assert [names.add(row) for row in rows] == rows  # review.csv's rows pass through unchanged
    assert [(r["surface"], r["mentions"], r["documents"], r["example_doc"], r["example_quote"]) for r in names.rows()] \
        == [("Bamban", 3, 2, "a.txt", "In Bamban."), ("Xyz", 1, 1, "b.txt", "In Xyz.")]
    # the build writes it beside review.csv, from the same rows
    review = pd.read_csv(seeds_build.out_dir / "review.csv", keep_default_na=False, dtype=str)
    by_name = pd.read_csv(seeds_build.out_dir / "review-names.csv", keep_default_na=False, dtype=str)
    assert by_name["mentions"].astype(int).sum() == len(review)


def test_a_place_an_event_holds_without_a_mention_of_its_own_is_in_places_geojson(atlas):
    """A place named only inside an organisation's name ("Guangdong provincial police") or as a
    nationality places events but has no mention: places.geojson still lists it, with no mentions."""
    from dataclasses import replace

    from geomap.records import Place

    unseen = Place(id="geonames:1809935", name="Guangdong", kind="province", lat=23.4, lon=113.4, precision_km=200.0,
                   country="CN", source="GeoNames")
    origin = Place(id="zz-origin", name="Origin", kind="country", lat=1.0, lon=2.0, precision_km=500.0, country="ZZ",
                   source="test")
    mapped = next(m for m in atlas.events if m.place is not None)
    changed = replace(mapped, event=replace(mapped.event, place=unseen, origins=(origin,)))
    features = exports.places_geojson(replace(atlas, events=(*atlas.events, changed)))["features"]
    added = {f["properties"]["id"]: f["properties"] for f in features[len(atlas.places):]}
    assert set(added) >= {"geonames:1809935", "zz-origin"}
    assert added["geonames:1809935"]["mentions"] == 0 and added["geonames:1809935"]["documents"] == list(
        mapped.event.documents)
    assert features[len(atlas.places):] == sorted(features[len(atlas.places):], key=lambda f: f["properties"]["id"])


def test_an_event_s_own_place_gives_the_facts_of_a_place_another_event_holds_as_an_origin(atlas):
    from dataclasses import replace

    from geomap.places import PlaceFacts
    from geomap.records import Place

    elsewhere = Place(id="zz-town", name="Town", kind="town", lat=1.0, lon=2.0, precision_km=3.0, country="ZZ",
                      source="test")
    first, second = [m for m in atlas.events if m.place is not None][:2]
    as_origin = replace(first, event=replace(first.event, origins=(elsewhere,)))
    as_place = replace(second, event=replace(second.event, place=elsewhere, resolved_by="gazetteer"),
                       facts=PlaceFacts("Somewhere Province", "ZZ-1", 3.5, True))
    for events in ((as_origin, as_place), (as_place, as_origin)):  # whichever comes first
        features = exports.places_geojson(replace(atlas, events=(*atlas.events, *events)))["features"]
        town = next(f["properties"] for f in features if f["properties"]["id"] == "zz-town")
        assert (town["admin1"], town["resolved_by"]) == ("Somewhere Province", "gazetteer")
