"""One layer per event type, in the type's colour and icon, with marker clustering; events placed
no more precisely than a town are rings with a circle of their precision; events placed only to an
area (a country, a province) are in the rows, marked with the area, and drawn by ``layers/areas.py``. The markers are rows of
the map's data file (``map_data``), made in the browser by ``geomapAddEvents`` (static/geomap.js),
which draws an approximate event's precision circle while its marker is hovered or its popup open."""

from __future__ import annotations

from collections import defaultdict

import folium
from folium.plugins import MarkerCluster

from ... import event_types
from ...atlas import Atlas, MappedEvent, coordinate
from ..map_data import FromMapData, documents_cited, map_data
from ..popups import BORROWED_BASES, event_record
from ._shared import AREA_KM, PRECISE_KM, swatch
from .areas import is_area_level


def add(fmap: folium.Map, atlas: Atlas) -> None:
    by_type: dict[str, list[MappedEvent]] = defaultdict(list)
    for mapped in atlas.placed_events:
        by_type[mapped.event.type].append(mapped)
    for row_type in event_types.EVENT_TYPES:
        placed = by_type.get(row_type.name, [])
        if placed:
            _add_type(fmap, atlas, row_type, placed)


def _add_type(fmap: folium.Map, atlas: Atlas, row_type: event_types.EventType, placed: list[MappedEvent]) -> None:
    group = folium.FeatureGroup(name=f"Events: {row_type.name} ({len(placed)}) {swatch(row_type.colour)}",
                                show=True)
    # no animation: each animated zoom made markercluster force a layout of the whole page (2.5 s of a
    # 10 s load at 18,000 events)
    cluster = MarkerCluster(options={"maxClusterRadius": 40, "spiderfyOnMaxZoom": True, "animate": False}
                            ).add_to(group)
    documents = documents_cited(fmap, atlas)
    # an approximate event's area is drawn only while its marker is hovered or open: thousands of
    # such circles at once hid the map and took seconds to draw; an event placed only to an area is
    # not clustered here: the area's badge (layers/areas.py) counts it
    key = f"events/{row_type.name}"
    map_data(fmap).put(key, lambda: (event_row(mapped, row_type.label, documents)
                                     + [mapped.place.id if is_area_level(mapped) else ""] for mapped in placed))
    FromMapData("geomapAddEvents", key, {"icons": [_icon(row_type.colour, row_type.icon),
                                                   _icon(row_type.colour, row_type.icon, True)],
                                         "colour": row_type.colour, "areaM": AREA_KM * 1000}).add_to(cluster)
    group.add_to(fmap)


def event_row(mapped: MappedEvent, label: str, documents) -> list:
    """[id, lat, lon, window start, window end, precision circle m (0: precise), record
    (``popups.event_record``)]: the browser makes the tooltip, the popup and the search entry of
    the event from it."""
    event, place = mapped.event, mapped.place
    start, end = event.date.window
    # a ring too for a precise place the sentence does not give (borrowed from its paragraph, the
    # story, the dateline...): that the event happened there is the rules' guess, not the text's word
    approximate = float(place.precision_km) > PRECISE_KM or event.place_basis in BORROWED_BASES
    return [event.event_id, coordinate(place.lat), coordinate(place.lon), start, end,
            round(float(place.precision_km) * 1000) if approximate else 0, event_record(mapped, label, documents)]


def _icon(colour: str, icon: str, approximate: bool = False) -> str:
    # built from the constants of the event-type table only, never from document text
    if approximate:  # a ring: the place is known only to a town, province or country
        return (f'<div class="gm-event gm-approx" style="border-color:{colour};color:{colour}">'
                f'<i class="fa-solid fa-{icon}"></i></div>')
    return f'<div class="gm-event" style="background:{colour}"><i class="fa-solid fa-{icon}"></i></div>'
