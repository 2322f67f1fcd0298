"""The build's value and what is made from it, outside the browser: the Atlas of the seeds, the
export rows, each map layer's elements, and the resolution chain's order of stages."""

from __future__ import annotations

from collections import Counter

import folium
import pytest
from folium.plugins import MarkerCluster

from geomap import exports
from geomap.atlas import coordinate
from geomap.records import Candidate, Mention, Place
from geomap.render.controls import histogram, search_index
from geomap.render.map import build_map
from geomap.resolve import Context, Resolver, UNRESOLVED


@pytest.fixture(scope="module")
def atlas(seeds_build):
    return seeds_build.atlas


def test_the_atlas_holds_each_collection_in_a_fixed_order(atlas):
    assert [p.place.id for p in atlas.places] == sorted(p.place.id for p in atlas.places)
    assert [e.event.event_id for e in atlas.events] == sorted(e.event.event_id for e in atlas.events)
    assert [k.place.id for k in atlas.known_places] == sorted(k.place.id for k in atlas.known_places)
    keys = [(i.resolution.mention.doc, i.resolution.mention.start) for i in atlas.review]
    assert keys == sorted(keys)


def test_mapped_places_count_the_mentions_that_name_them(atlas):
    counts = Counter(r.place.id for r in atlas.resolutions if r.place)
    assert {p.place.id: p.mentions for p in atlas.places} == dict(counts)
    for mapped in atlas.places:
        named = {r.mention.surface for r in atlas.resolutions if r.place and r.place.id == mapped.place.id}
        assert set(mapped.surfaces) == named


def test_export_rows_are_made_from_the_atlas(atlas):
    rows = exports.event_rows(atlas)
    assert [r["event_id"] for r in rows] == [e.event.event_id for e in atlas.events]
    for row, mapped in zip(rows, atlas.events):
        assert row["type"] == mapped.event.type and row["sources"] == len(mapped.event.documents)
        assert row["admin1"] == mapped.facts.admin1
        if mapped.place:
            assert (row["lat"], row["lon"]) == (coordinate(mapped.place.lat), coordinate(mapped.place.lon))
        else:
            assert row["lat"] is None
    features = exports.places_geojson(atlas)["features"]
    assert [f["properties"]["id"] for f in features] == [p.place.id for p in atlas.places]
    assert len(exports.mention_rows(atlas)) == len(atlas.resolutions)
    assert len(exports.review_rows(atlas)) == len(atlas.review)


def _groups(fmap: folium.Map) -> dict[str, folium.FeatureGroup]:
    return {child.layer_name: child for child in fmap._children.values() if isinstance(child, folium.FeatureGroup)}


def test_each_event_layer_holds_the_placed_events_of_its_type(atlas):
    groups = _groups(build_map(atlas))
    placed = Counter(e.event.type for e in atlas.placed_events)
    for event_type, count in placed.items():
        name = next(n for n in groups if n.startswith(f"Events: {event_type} ("))
        assert name.startswith(f"Events: {event_type} ({count})")
        cluster = next(c for c in groups[name]._children.values() if isinstance(c, MarkerCluster))
        ids = [m.options["gmId"] for m in cluster._children.values()]
        assert ids == [e.event.event_id for e in atlas.placed_events if e.event.type == event_type]
    assert not any(n.startswith("Events: ") and n.split(" ")[1] not in placed for n in groups)


def test_places_compounds_and_review_layers_count_what_they_draw(atlas):
    groups = _groups(build_map(atlas))
    assert any(n.startswith(f"Places mentioned ({len(atlas.places)})") for n in groups)
    compounds = [k for k in atlas.known_places if k.place.kind == "compound"]
    assert f"Scam compounds (gazetteer, {len(compounds)})" in groups
    placed_review = sum(1 for i in atlas.review if i.resolution.place)
    assert any(n.startswith(f"Needs review ({placed_review} placed") for n in groups)


def test_the_histogram_and_search_index_come_from_the_atlas(atlas):
    months = histogram(atlas)
    assert sum(m["count"] for m in months) == sum(1 for e in atlas.placed_events if e.event.date.iso)
    assert [m["month"] for m in months] == sorted(m["month"] for m in months)
    labels = {(entry["label"], entry["kind"]) for entry in search_index(atlas)}
    assert all((p.place.name, p.place.kind) in labels for p in atlas.places)


# --- the resolution chain ---------------------------------------------------------------------

def _place(place_id: str) -> Place:
    """Places a few hundred km apart (each id at its own point), 5 km precise."""
    offset = sum(map(ord, place_id)) % 7
    return Place(place_id, place_id.title(), "town", 10.0 + offset, 103.0 + offset, 5.0, "KH")


class _Stage:
    def __init__(self, name: str, answers: dict[str, list[tuple[str, float]]]):
        self.name, self.answers = name, answers

    def candidates(self, mention: Mention, context: Context) -> list[Candidate]:
        return [Candidate(_place(pid), self.name, score, f"{self.name} knows it")
                for pid, score in self.answers.get(mention.surface, [])]


def _mention(surface: str) -> Mention:
    return Mention("a.txt", 0, len(surface), surface, 0)


def test_the_first_stage_with_a_candidate_decides():
    chain = Resolver([_Stage("gazetteer", {"Poipet": [("poipet", 10)]}),
                      _Stage("geonames", {"Poipet": [("elsewhere", 50)], "Pailin": [("pailin", 3)]})])
    poipet, pailin, nowhere = chain.resolve_document([_mention("Poipet"), _mention("Pailin"), _mention("Xyz")])
    assert (poipet.place.id, poipet.resolved_by) == ("poipet", "gazetteer")
    assert (pailin.place.id, pailin.resolved_by) == ("pailin", "geonames")
    assert (nowhere.place, nowhere.resolved_by) == (None, UNRESOLVED)


def test_candidates_too_close_to_call_and_far_apart_are_marked_ambiguous():
    assert _place("kampong-a").lat != _place("kampong-b").lat
    chain = Resolver([_Stage("gazetteer", {"Kampong": [("kampong-a", 10.0), ("kampong-b", 10.1)]})])
    resolution, = chain.resolve_document([_mention("Kampong")])
    assert resolution.ambiguous and resolution.place.id == "kampong-b"
    clear = Resolver([_Stage("gazetteer", {"Kampong": [("kampong-a", 10.0), ("kampong-b", 14.0)]})])
    assert not clear.resolve_document([_mention("Kampong")])[0].ambiguous
