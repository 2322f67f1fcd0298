"""The scam compounds of the gazetteer, mentioned or not, with their footprint where known."""

from __future__ import annotations

import folium

from ...atlas import Atlas
from ..popups import compound_popup, esc
from ._shared import add_shape


def add(fmap: folium.Map, atlas: Atlas) -> None:
    compounds = [k for k in atlas.known_places if k.place.kind == "compound"]
    group = folium.FeatureGroup(name=f"Scam compounds (gazetteer, {len(compounds)})", show=True)
    for known in compounds:
        place = known.place
        popup = compound_popup(known)
        if place.geometry_wkt:
            add_shape(group, place.geometry_wkt, popup, place.name)
        folium.Marker(
            location=[place.lat, place.lon], popup=folium.Popup(popup, max_width=400),
            tooltip=esc(place.name), icon=folium.Icon(color="darkred", icon="building", prefix="fa"),
        ).add_to(group)
    group.add_to(fmap)
