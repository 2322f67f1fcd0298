"""Country and province lines from the bundled boundaries: with no tile server reachable the map
still shows where things are."""

from __future__ import annotations

import folium

from ...atlas import Atlas


def add(fmap: folium.Map, atlas: Atlas) -> None:
    if not atlas.outlines:
        return
    folium.GeoJson(
        {"type": "FeatureCollection", "features": list(atlas.outlines)}, name="Outlines (offline, Natural Earth)",
        style_function=lambda f: {"color": "#555555", "weight": 1.6 if f["properties"]["level"] == "country" else 0.6,
                                  "fill": False, "dashArray": None if f["properties"]["level"] == "country" else "3"},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False), interactive=True, smooth_factor=2.0,
    ).add_to(fmap)
