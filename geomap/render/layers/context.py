"""Context placed on the map (off by default): trends, history and general claims that name a
place. They are not happenings, so they are drawn small and grey, apart from the events. Their rows
are in the data file of later layers, read when the layer is first switched on."""

from __future__ import annotations

import folium

from ... import event_types
from ...atlas import Atlas
from ..map_data import LATER_FILE, FromMapData, documents_cited, map_data
from .events import event_row
from ._shared import swatch

CONTEXT_COLOUR = "#9E9E9E"


def add(fmap: folium.Map, atlas: Atlas) -> None:
    placed = atlas.placed_context
    if not placed:
        return
    group = folium.FeatureGroup(name=f"Context: trends, history, claims ({len(placed)}) {swatch(CONTEXT_COLOUR)}",
                                show=False)
    documents = documents_cited(fmap, atlas)
    # an event's row, and its type: the browser makes its tooltip and popup from them
    map_data(fmap, LATER_FILE).put("context", lambda: (
        event_row(mapped, event_types.event_type(mapped.event.type).label, documents) + ["", mapped.event.type]
        for mapped in placed))
    FromMapData("geomapAddContext", "context", {"colour": CONTEXT_COLOUR}, LATER_FILE).add_to(group)
    group.add_to(fmap)
