"""Context placed on the map (off by default): trends, history and general claims that name a
place. They are not happenings, so they are drawn small and grey, apart from the events."""

from __future__ import annotations

import folium

from ... import event_types
from ...atlas import Atlas, coordinate
from ..popups import esc, event_popup
from ._shared import swatch

CONTEXT_COLOUR = "#9E9E9E"


def add(fmap: folium.Map, atlas: Atlas) -> None:
    placed = atlas.placed_context
    if not placed:
        return
    group = folium.FeatureGroup(name=f"Context: trends, history, claims ({len(placed)}) {swatch(CONTEXT_COLOUR)}",
                                show=False)
    for mapped in placed:
        event, place = mapped.event, mapped.place
        label = event_types.event_type(event.type).label
        start, end = event.date.window
        marker = folium.CircleMarker(
            location=[coordinate(place.lat), coordinate(place.lon)], radius=5, color=CONTEXT_COLOUR,
            weight=1, fill=True, fill_opacity=0.6,
            popup=folium.Popup(event_popup(mapped, label, atlas.documents), max_width=400),
            tooltip=esc(f"context ({event.type}): {place.name}, {event.date.iso or 'undated'}"),
        )
        # folium keeps only the options it knows: ours are set on the element (read by geomap.js)
        marker.options.update(gmId=event.event_id, gmContext=True, gmStart=start, gmEnd=end)
        marker.add_to(group)
    group.add_to(fmap)
