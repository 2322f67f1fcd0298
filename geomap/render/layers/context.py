"""Context placed on the map (off by default): trends, history and general claims that name a
place. They are not happenings, so they are drawn small and grey, apart from the events. Their rows
are in the data file of later layers, read when the layer is first switched on."""

from __future__ import annotations

import folium

from ... import event_types
from ...atlas import Atlas, coordinate
from ..map_data import LATER_FILE, FromMapData, documents_cited, map_data
from ..popups import esc, event_record
from ._shared import swatch

CONTEXT_COLOUR = "#9E9E9E"


def add(fmap: folium.Map, atlas: Atlas) -> None:
    placed = atlas.placed_context
    if not placed:
        return
    group = folium.FeatureGroup(name=f"Context: trends, history, claims ({len(placed)}) {swatch(CONTEXT_COLOUR)}",
                                show=False)
    documents = documents_cited(fmap, atlas)
    rows = []
    for mapped in placed:
        event, place = mapped.event, mapped.place
        start, end = event.date.window
        rows.append([event.event_id, coordinate(place.lat), coordinate(place.lon), start, end,
                     esc(f"context ({event.type}): {place.name}, {event.date.iso or 'undated'}"),
                     event_record(mapped, event_types.event_type(event.type).label, documents)])
    map_data(fmap, LATER_FILE).put("context", rows)
    FromMapData("geomapAddContext", "context", {"colour": CONTEXT_COLOUR}, LATER_FILE).add_to(group)
    group.add_to(fmap)
