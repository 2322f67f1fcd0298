"""Each map layer's elements and the controls' data, built from the Atlas outside the browser."""

from __future__ import annotations

from collections import Counter

import folium
import pytest
from folium.plugins import MarkerCluster

from geomap.render.controls import histogram, search_index
from geomap.render.map import build_map
from geomap.render.map_data import LATER_FILE, map_data


@pytest.fixture(scope="module")
def atlas(seeds_build):
    return seeds_build.atlas


def _groups(fmap: folium.Map) -> dict[str, folium.FeatureGroup]:
    return {child.layer_name: child for child in fmap._children.values() if isinstance(child, folium.FeatureGroup)}


def test_each_event_layer_holds_the_placed_events_of_its_type(atlas):
    fmap = build_map(atlas)
    groups = _groups(fmap)
    placed = Counter(e.event.type for e in atlas.placed_events)
    for event_type, count in placed.items():
        name = next(n for n in groups if n.startswith(f"Events: {event_type} ("))
        assert name.startswith(f"Events: {event_type} ({count})")
        cluster = next(c for c in groups[name]._children.values() if isinstance(c, MarkerCluster))
        # the cluster is filled in the browser from the map's data file, under the key it names
        (filler,) = cluster._children.values()
        ids = [row[0] for row in map_data(fmap).rows_of(filler.key)]
        assert ids == [e.event.event_id for e in atlas.placed_events if e.event.type == event_type]
    assert not any(n.startswith("Events: ") and n.split(" ")[1] not in placed for n in groups)


def test_places_compounds_and_review_layers_count_what_they_draw(atlas):
    groups = _groups(build_map(atlas))
    assert any(n.startswith(f"Places mentioned ({len(atlas.places)})") for n in groups)
    compounds = [k for k in atlas.known_places if k.place.kind == "compound"]
    assert f"Scam compounds (gazetteer, {len(compounds)})" in groups
    placed_review = sum(1 for i in atlas.review if i.resolution.place)
    assert any(n.startswith(f"Needs review ({placed_review} placed") for n in groups)
    # a compound known only to its town is a pale pin in the dashed circle it lies in
    layer = groups[f"Scam compounds (gazetteer, {len(compounds)})"]
    markers = [c for c in layer._children.values() if isinstance(c, folium.Marker) and not isinstance(c, folium.Circle)]
    circles = [c for c in layer._children.values() if isinstance(c, folium.Circle)]
    approximate = [k.place for k in compounds if float(k.place.precision_km) > 2 and not k.place.geometry_wkt]
    assert approximate and len(circles) == len(approximate) and len(markers) == len(compounds)
    assert sorted(c.options["radius"] for c in circles) == sorted(float(p.precision_km) * 1000 for p in approximate)
    assert sum(m.icon.options["marker_color"] == "lightred" for m in markers) == len(approximate)


def test_the_histogram_and_search_index_come_from_the_atlas(atlas):
    months = histogram(atlas)
    windows = [e.event.date.window for e in atlas.placed_events if e.event.date.iso]
    assert sum(m["count"] for m in months) == sum(1 for start, end in windows if start[:7] == end[:7])
    # a month's bar is every event that may fall in it, as clicking it shows: those dated within it,
    # and those whose wider window takes it in (a year's events no longer all in its January)
    for m in months:
        overlapping = [w for w in windows if w[0][:7] <= m["month"] <= w[1][:7]]
        assert m["count"] + m["wider"] == len(overlapping), m
    assert any(m["wider"] for m in months) and any(m["count"] for m in months)
    assert [m["month"] for m in months] == sorted(m["month"] for m in months)
    labels = {(entry["label"], entry["kind"]) for entry in search_index(atlas)}
    assert all((p.place.name, p.place.kind) in labels for p in atlas.places)


def test_movements_draw_a_line_per_origin_and_destination_weighted_by_people(atlas):
    from geomap.render.layers.movements import line_weight

    fmap = build_map(atlas)
    groups = _groups(fmap)
    name = next(n for n in groups if n.startswith("Movements: "))
    (filler,) = groups[name]._children.values()
    lines = map_data(fmap).rows_of(filler.key)
    expected = sorted((m.event.event_id, "from", o.id) for m in atlas.placed_events for o in m.event.origins) \
        + sorted((m.event.event_id, "to", d.id) for m in atlas.placed_events for d in m.event.destinations)
    assert len(lines) == len(expected) > 0
    assert sorted((line[0], line[1]) for line in lines) == sorted((event_id, leg) for event_id, leg, _ in expected)
    assert line_weight(0) == 1.5 < line_weight(10) < line_weight(1000) <= line_weight(10**6) == 6.0


def test_thousands_of_movement_lines_open_switched_off_and_are_read_later(atlas, monkeypatch):
    from geomap.render.layers import movements

    monkeypatch.setattr(movements, "LINES_SHOWN_AT_OPENING", 0)
    fmap = build_map(atlas)
    groups = _groups(fmap)
    name = next(n for n in groups if n.startswith("Movements: "))
    assert groups[name].show is False
    assert "movements" not in map_data(fmap).rows and map_data(fmap, LATER_FILE).rows["movements"]


def test_context_is_a_layer_of_its_own_off_by_default(atlas):
    fmap = build_map(atlas)
    groups = _groups(fmap)
    context = [n for n in groups if n.startswith("Context: ")]
    assert len(context) == 1 and groups[context[0]].show is False
    # its rows are in the file read when the layer is first switched on, not in the page's data
    assert "context" not in map_data(fmap).rows
    drawn = [row[0] for row in map_data(fmap, LATER_FILE).rows_of("context")]
    assert drawn == [m.event.event_id for m in atlas.placed_context]
    assert not set(drawn) & {m.event.event_id for m in atlas.placed_events}


def test_a_count_too_large_to_be_a_number_is_not_counted_and_never_fails(atlas):
    """A 400-digit count in a hostile article reads as infinity (it used to stop the whole build): it
    counts as no count; a merely huge one draws the thickest line."""
    from dataclasses import replace

    from geomap.figures import Figure
    from geomap.render.layers.movements import line_weight, people_counted

    mapped = next(m for m in atlas.placed_events if m.event.origins or m.event.destinations)
    huge = Figure("people", float("inf"), "nationals", "deported", "9" * 400)
    counted = people_counted(replace(mapped, event=replace(mapped.event, figures=(huge,))))
    assert counted == 0 and line_weight(counted) == 1.5
    big = Figure("people", 1e300, "nationals", "deported", "1e300")
    assert line_weight(people_counted(replace(mapped, event=replace(mapped.event, figures=(big,))))) == 6.0


def test_every_way_an_event_is_placed_but_its_own_sentence_is_explained_in_its_popup():
    from typing import get_args

    from geomap.records import PlaceBasis
    from geomap.render.popups import BASIS_NOTES

    assert set(BASIS_NOTES) == set(get_args(PlaceBasis)) - {"sentence"}


def test_people_sent_where_the_event_is_draw_no_line(atlas):
    from dataclasses import replace

    from geomap.render.layers.movements import _rows

    mapped = next(m for m in atlas.placed_events if m.event.origins or m.event.destinations)
    at_home = replace(mapped, event=replace(mapped.event, origins=(), destinations=(mapped.place,)))
    assert _rows(at_home) == []
    assert len(_rows(mapped)) == len(mapped.event.origins) + len(mapped.event.destinations)


def test_a_precise_place_the_sentence_does_not_give_is_drawn_as_a_ring(atlas):
    """A filled pin says the sentence names a place known within 2 km; a precise place borrowed from
    the paragraph, the story or the dateline is the rules' guess, and is drawn as a ring."""
    from dataclasses import replace

    from geomap.render.layers.events import event_row
    from geomap.render.popups import BORROWED_BASES

    documents = {doc: number for number, doc in enumerate(sorted(atlas.documents))}
    mapped = next(m for m in atlas.placed_events if float(m.place.precision_km) <= 2)
    own = replace(mapped, event=replace(mapped.event, place_basis="sentence"))
    assert event_row(own, "Raid", documents)[5] == 0
    for basis in BORROWED_BASES:
        borrowed = replace(mapped, event=replace(mapped.event, place_basis=basis))
        assert event_row(borrowed, "Raid", documents)[5] == round(float(mapped.place.precision_km) * 1000), basis
