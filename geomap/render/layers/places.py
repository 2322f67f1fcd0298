"""The places the documents mention: circles sized by how often they are named, coloured by how
they were resolved, with a circle of their precision where that is wide."""

from __future__ import annotations

import math

import folium

from ...atlas import Atlas, MappedPlace, coordinate
from ..popups import esc, place_popup
from ._shared import AREA_KM, PRECISE_KM, add_shape, swatch

# How a place was resolved, as the fill of its circle (dark = an editor's row; light = a fallback).
STAGE_COLOURS = {"gazetteer": "#1f78b4", "geonames": "#a6cee3", "geocoder": "#fdbf6f"}


def add(fmap: folium.Map, atlas: Atlas) -> None:
    stages = [s for s in STAGE_COLOURS if any(p.resolved_by == s for p in atlas.places)]
    key = " ".join(f"{swatch(STAGE_COLOURS[s])} {s}" for s in stages)
    group = folium.FeatureGroup(name=f"Places mentioned ({len(atlas.places)}) {key}", show=True)
    for mapped in atlas.places:
        _add_place(group, mapped)
    group.add_to(fmap)


def _add_place(group, mapped: MappedPlace) -> None:
    place = mapped.place
    lat, lon = coordinate(place.lat), coordinate(place.lon)
    popup = place_popup(mapped)
    precision = float(place.precision_km)
    if place.geometry_wkt:
        add_shape(group, place.geometry_wkt, popup, place.name)
    elif PRECISE_KM < precision <= AREA_KM:
        folium.Circle(location=[lat, lon], radius=precision * 1000, color="#1f78b4", weight=1,
                      dash_array="2 4", fill=True, fill_opacity=0.04, interactive=False).add_to(group)
    folium.CircleMarker(  # a dashed rim: a country or a sea, whose point is only a placeholder
        location=[lat, lon], radius=4 + 3 * math.sqrt(mapped.mentions), weight=1, class_name="gm-place",
        color="#333333", fill=True, fill_color=STAGE_COLOURS.get(mapped.resolved_by, "#999999"),
        fill_opacity=0.6, dash_array="3 2" if precision > AREA_KM else None,
        popup=folium.Popup(popup, max_width=400),
        tooltip=esc(f"{place.name} — {mapped.mentions} mention(s), ±{precision:g} km"),
    ).add_to(group)
