"""The places the documents mention: circles sized by how often they are named, coloured by how
they were resolved, with a circle of their precision where that is wide."""

from __future__ import annotations

import math

import folium

from ... import event_types
from ...atlas import Atlas, MappedPlace, coordinate
from ..map_data import FromMapData, documents_cited, map_data
from ..popups import esc, place_record
from ._shared import AREA_KM, PRECISE_KM, add_shape, swatch

# How a place was resolved, as the fill of its circle (dark = an editor's row; light = a fallback).
STAGE_COLOURS = {"gazetteer": "#1f78b4", "geonames": "#a6cee3", "geocoder": "#fdbf6f"}


def add(fmap: folium.Map, atlas: Atlas) -> None:
    stages = [s for s in STAGE_COLOURS if any(p.resolved_by == s for p in atlas.places)]
    key = " ".join(f"{swatch(STAGE_COLOURS[s])} {s}" for s in stages)
    group = folium.FeatureGroup(name=f"Places mentioned ({len(atlas.places)}) {key}", show=True)
    documents = documents_cited(fmap, atlas)
    here = events_by_place(atlas)
    map_data(fmap).put("places", [_place_row(group, mapped, documents, here.get(mapped.place.id, []))
                                  for mapped in atlas.places])
    FromMapData("geomapAddPlaces", "places", {"colours": STAGE_COLOURS, "other": "#999999",
                                              "areaM": AREA_KM * 1000}).add_to(group)
    group.add_to(fmap)


#: A place's popup lists at most this many of the events placed there, the latest first
EVENTS_LISTED = 30


def events_by_place(atlas: Atlas) -> dict[str, list[list]]:
    """For each place, the events on the map placed there, the latest first: [id, "type · date"]
    each (a popup's links to them: events at one spot are in one cluster per type, drawn on top
    of each other, and only the top one answers a click)."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for mapped in atlas.placed_events:
        event = mapped.event
        found.setdefault(mapped.place.id, []).append(
            (event.date.iso or "", event.event_id, f"{event_types.event_type(event.type).label} · {event.date.iso or 'undated'}"))
    return {place_id: [[event_id, label] for _, event_id, label in sorted(rows, key=lambda r: (r[0], r[1]), reverse=True)]
            for place_id, rows in found.items()}


def _place_row(group, mapped: MappedPlace, documents, events: list[list]) -> list:
    """[lat, lon, radius px, stage, precision circle m (0: none; drawn while hovered or open),
    dashed rim, record (``popups.place_record``: the browser makes the tooltip and the popup from
    it)]; a place with a footprint (WKT) gets its shape drawn here, as a folium element (they are
    few)."""
    place = mapped.place
    record = place_record(mapped, documents) + [events[:EVENTS_LISTED], len(events)]
    precision = float(place.precision_km)
    circle_m = 0
    if place.geometry_wkt:
        # its popup names it; the circle at its point has the full record
        add_shape(group, place.geometry_wkt, f'<div class="gm-popup"><b>{esc(place.name)}</b> ({esc(place.kind)}): '
                  f'footprint from the gazetteer</div>', place.name)
    elif precision > PRECISE_KM:
        circle_m = round(precision * 1000)
    # a dashed rim: a country or a sea, whose point is only a placeholder
    return [coordinate(place.lat), coordinate(place.lon), round(4 + 3 * math.sqrt(mapped.mentions), 2),
            mapped.resolved_by, circle_m, int(precision > AREA_KM), record]
