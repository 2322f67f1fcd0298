"""Events placed only to an area (a country, a province, a region, a sea): one badge per area with
the number of its events in the date window, not a pile of identical icons on the area's point.
Clicking a badge lists its events; each opens its record. Pointing at a badge outlines its area,
and a link to one of its events fits the area, not a street.

The events' rows stay in their type's rows of the data file (``layers/events.py`` marks them with
their area and does not cluster them); this layer holds the areas: [place id, name, kind, lat, lon,
[[south, west], [north, east]], outline (GeoJSON geometry or null), [event ids]]."""

from __future__ import annotations

from collections import defaultdict

import folium

from ...atlas import Atlas, MappedEvent, coordinate
from ..map_data import FromMapData, map_data

#: Places of these kinds are areas: an event placed only to one is drawn as the area's badge.
AREA_KINDS = ("country", "province", "region", "water")
_KM_PER_DEGREE = 111.32


def is_area_level(mapped: MappedEvent) -> bool:
    return mapped.place is not None and mapped.place.kind in AREA_KINDS


def add(fmap: folium.Map, atlas: Atlas) -> None:
    by_area: dict[str, list[MappedEvent]] = defaultdict(list)
    for mapped in atlas.placed_events:
        if is_area_level(mapped):
            by_area[mapped.place.id].append(mapped)
    if not by_area:
        return
    outlines = _outlines(atlas)
    rows = []
    for place_id in sorted(by_area):
        events = by_area[place_id]
        place = events[0].place
        outline = _outline_of(events[0], outlines)
        rows.append([place.id, place.name, place.kind, coordinate(place.lat), coordinate(place.lon),
                     _bounds(place, outline), outline["geometry"] if outline else None,
                     sorted(e.event.event_id for e in events)])
    count = sum(len(events) for events in by_area.values())
    group = folium.FeatureGroup(name=f"Events placed only to an area ({count} in {len(by_area)} areas)", show=True)
    map_data(fmap).put("areas", rows)
    FromMapData("geomapAddAreas", "areas", {}).add_to(group)
    group.add_to(fmap)


def _outlines(atlas: Atlas) -> dict[tuple[str, str], dict]:
    return {(f["properties"]["level"], f["properties"]["iso"]): f for f in atlas.outlines}


def _outline_of(mapped: MappedEvent, outlines: dict[tuple[str, str], dict]) -> dict | None:
    place = mapped.place
    if place.kind == "country":
        return outlines.get(("country", place.country))
    if place.kind == "province" and mapped.facts.admin1_code:
        return outlines.get(("province", mapped.facts.admin1_code))
    return None


def _bounds(place, outline: dict | None) -> list[list[float]]:
    """The box a link to the area's events fits: its outline's, else its precision circle's."""
    if outline is not None:
        from shapely.geometry import shape

        west, south, east, north = shape(outline["geometry"]).bounds
    else:
        radius = float(place.precision_km) / _KM_PER_DEGREE
        south, north = max(-85.0, place.lat - radius), min(85.0, place.lat + radius)
        west, east = max(-180.0, place.lon - radius), min(180.0, place.lon + radius)
    return [[coordinate(south), coordinate(west)], [coordinate(north), coordinate(east)]]
