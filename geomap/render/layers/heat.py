"""A heat map of the events placed on the map (off by default)."""

from __future__ import annotations

import folium
from folium.plugins import HeatMap

from ...atlas import Atlas, coordinate


def add(fmap: folium.Map, atlas: Atlas) -> None:
    points = [[coordinate(e.place.lat), coordinate(e.place.lon), 1.0] for e in atlas.placed_events]
    if points:
        HeatMap(points, name="Heat map of events", show=False, radius=22, blur=18, min_opacity=0.3).add_to(fmap)
