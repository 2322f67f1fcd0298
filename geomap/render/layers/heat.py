"""A heat map of the events placed on the map finer than an area (off by default). An event placed
only to a country or a province is at that area's point, in the middle of nowhere: counted there,
the points of a few countries were the hottest spots of the map. The map's filters (dates,
placement) weigh the points again in the browser (static/geomap.js, ``_paintHeat``)."""

from __future__ import annotations

from collections import Counter

import folium
from folium.plugins import HeatMap

from ...atlas import Atlas, coordinate
from .areas import is_area_level


def add(fmap: folium.Map, atlas: Atlas) -> None:
    # one point per place, weighted by its events: leaflet.heat adds up the weights of a cell, so this
    # draws what a point per event drew, in a fraction of the page (10,000 events are ~1,500 places)
    counts = Counter((coordinate(e.place.lat), coordinate(e.place.lon)) for e in atlas.placed_events
                     if not is_area_level(e))
    points = [[lat, lon, float(count)] for (lat, lon), count in sorted(counts.items())]
    if points:
        # the densest spot is the full colour (the bundled leaflet.heat scales by the largest cell);
        # a floor of opacity keeps the lone events visible beside it
        HeatMap(points, name="Heat map of events", show=False, radius=25, blur=18, min_opacity=0.5).add_to(fmap)
