"""The scam compounds of the gazetteer, mentioned or not, with their footprint where known."""

from __future__ import annotations

import folium

from ...atlas import Atlas
from ..popups import compound_popup, esc
from ._shared import PRECISE_KM, add_shape


def add(fmap: folium.Map, atlas: Atlas) -> None:
    compounds = [k for k in atlas.known_places if k.place.kind == "compound"]
    group = folium.FeatureGroup(name=f"Scam compounds (gazetteer, {len(compounds)})", show=True)
    for known in compounds:
        place = known.place
        popup = compound_popup(known)
        if place.geometry_wkt:
            add_shape(group, place.geometry_wkt, popup, place.name)
        approximate = float(place.precision_km) > PRECISE_KM and not place.geometry_wkt
        if approximate:
            # known only to its town (Jin Bei, Crown, Bing Cheng at Sihanoukville's point): a pale pin
            # and the circle it lies somewhere in, not a pin on a street
            folium.Circle(location=[place.lat, place.lon], radius=float(place.precision_km) * 1000, weight=1,
                          color="#a23336", dash_array="4 4", fill=False, interactive=False).add_to(group)
        tooltip = f"{place.name} (somewhere within {float(place.precision_km):g} km)" if approximate else place.name
        folium.Marker(
            location=[place.lat, place.lon], popup=folium.Popup(popup, max_width=400), tooltip=esc(tooltip),
            icon=folium.Icon(color="lightred" if approximate else "darkred", icon="building", prefix="fa"),
        ).add_to(group)
    group.add_to(fmap)
