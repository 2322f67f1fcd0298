"""What several layers draw the same way: precision thresholds, swatches in layer names, shapes."""

from __future__ import annotations

import folium

from ...settings import PRECISE_KM
from ..popups import esc

__all__ = ["AREA_KM", "PRECISE_KM", "add_shape", "swatch"]
#: Beyond this (km: countries, seas, regions) a precision circle would hide the map: only outlined.
AREA_KM = 150.0


def swatch(colour: str) -> str:
    # layer names are shown as HTML by Leaflet's layer control: these are built from constants only
    return f'<i class="gm-swatch" style="background:{colour}"></i>'


def add_shape(group, wkt: str, popup: str, name: str) -> None:
    """A place's footprint (WKT from the gazetteer) drawn instead of a bare point."""
    from shapely import wkt as wkt_io
    from shapely.geometry import mapping

    folium.GeoJson(mapping(wkt_io.loads(wkt)), style_function=lambda f: {"color": "#8B0000", "weight": 2,
                                                                       "fillOpacity": 0.2},
                   popup=folium.Popup(popup, max_width=400), tooltip=esc(name)).add_to(group)
