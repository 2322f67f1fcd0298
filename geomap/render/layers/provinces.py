"""Provinces shaded by how many events lie in them, with a tooltip (off by default)."""

from __future__ import annotations

from collections import Counter

import folium

from ...atlas import Atlas

# ColorBrewer YlOrRd (colour-blind safe, sequential), lightest for none.
_SHADES = ("#ffffcc", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")


def add(fmap: folium.Map, atlas: Atlas) -> None:
    counts = Counter(e.facts.admin1_code for e in atlas.events if e.facts.admin1_code)
    provinces = [{**f, "properties": {**f["properties"], "events": counts.get(f["properties"]["iso"], 0)}}
                 for f in atlas.outlines if f["properties"]["level"] == "province"]
    if not provinces:
        return
    top = max(p["properties"]["events"] for p in provinces) or 1
    folium.GeoJson(
        {"type": "FeatureCollection", "features": provinces}, name="Events per province (Cambodia)", show=False,
        style_function=lambda f: {"color": "#555555", "weight": 0.6, "fillOpacity": 0.65,
                                  "fillColor": shade(f["properties"]["events"], top)},
        tooltip=folium.GeoJsonTooltip(fields=["name", "events"], aliases=["Province", "Events"]),
    ).add_to(fmap)


def shade(count: int, top: int) -> str:
    if not count:
        return _SHADES[0]
    return _SHADES[min(len(_SHADES) - 1, 1 + int((len(_SHADES) - 2) * count / top))]
