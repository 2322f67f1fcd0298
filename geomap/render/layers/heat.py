"""A heat map of the events placed on the map (off by default)."""

from __future__ import annotations

import folium
from folium.plugins import HeatMap

from ...atlas import Atlas, coordinate


def add(fmap: folium.Map, atlas: Atlas) -> None:
    points = [[coordinate(e.place.lat), coordinate(e.place.lon), 1.0] for e in atlas.placed_events]
    if points:
        # the densest spot is the full colour (the bundled leaflet.heat scales by the largest cell);
        # a floor of opacity keeps the lone events visible beside it
        HeatMap(points, name="Heat map of events", show=False, radius=25, blur=18, min_opacity=0.5).add_to(fmap)
