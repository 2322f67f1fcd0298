"""The scam compounds of the gazetteer, mentioned or not, with their footprint where known."""

from __future__ import annotations

import folium

from ...atlas import Atlas
from ..popups import esc, geography_line, place_line
from ._shared import add_shape


def add(fmap: folium.Map, atlas: Atlas) -> None:
    compounds = [k for k in atlas.known_places if k.place.kind == "compound"]
    group = folium.FeatureGroup(name=f"Scam compounds (gazetteer, {len(compounds)})", show=True)
    for known in compounds:
        place = known.place
        mentioned = (f"{known.mentions} mention(s) in these documents" if known.mentions
                     else "not mentioned in these documents")
        popup = ('<div class="gm-popup"><div class="gm-head">Reported scam compound</div>'
                 + place_line(place.name, place.kind, "gazetteer", place.precision_km)
                 + f"<br>{esc(mentioned)}" + geography_line(known.facts)
                 + f"<br>Location rests on: {esc(place.source)}"
                 + (f"<br>{esc(place.notes)}" if place.notes else "") + "</div>")
        if place.geometry_wkt:
            add_shape(group, place.geometry_wkt, popup, place.name)
        folium.Marker(
            location=[place.lat, place.lon], popup=folium.Popup(popup, max_width=400),
            tooltip=esc(place.name), icon=folium.Icon(color="darkred", icon="building", prefix="fa"),
        ).add_to(group)
    group.add_to(fmap)
