"""Provinces shaded by how many events lie in them, with a tooltip (off by default). Each province
carries its events' ids (``gmEvents``): the map's filters (dates, placement) count and shade them
again in the browser (static/geomap.js, ``_paintProvinces``), by the rule of ``shade``."""

from __future__ import annotations

from collections import defaultdict

import folium

from ...atlas import Atlas

# ColorBrewer YlOrRd (colour-blind safe, sequential), lightest for none.
_SHADES = ("#ffffcc", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")


def add(fmap: folium.Map, atlas: Atlas) -> None:
    in_province = defaultdict(list)  # the events on the map (not context), by province code
    for e in atlas.placed_events:
        if e.facts.admin1_code:
            in_province[e.facts.admin1_code].append(e.event.event_id)
    provinces = [{**f, "properties": {**f["properties"], "events": len(in_province.get(f["properties"]["iso"], ())),
                                      "gmEvents": in_province.get(f["properties"]["iso"], [])}}
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


#: The shades, for the browser to shade by the same rule as ``shade``.
SHADES = _SHADES


def shade(count: int, top: int) -> str:
    if not count:
        return _SHADES[0]
    return _SHADES[min(len(_SHADES) - 1, 1 + int((len(_SHADES) - 2) * count / top))]
