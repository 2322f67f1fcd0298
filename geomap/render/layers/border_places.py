"""Places within the border distance of an international land border: the gazetteer's towns,
crossings and compounds, and any other mentioned place that is that close (off by default)."""

from __future__ import annotations

import folium

from ...atlas import Atlas, coordinate
from ..popups import border_place_popup, esc


def add(fmap: folium.Map, atlas: Atlas) -> None:
    # (place, facts, how it was resolved, lat, lon) by id: the gazetteer's row first
    chosen = {k.place.id: (k.place, k.facts, "gazetteer", k.place.lat, k.place.lon)
              for k in atlas.known_places if k.facts.near_border}
    for mapped in atlas.places:
        if mapped.facts.near_border and mapped.place.id not in chosen:
            chosen[mapped.place.id] = (mapped.place, mapped.facts, mapped.resolved_by,
                                       coordinate(mapped.place.lat), coordinate(mapped.place.lon))
    group = folium.FeatureGroup(name=f"Border towns and crossings ({len(chosen)})", show=False)
    for place_id in sorted(chosen):
        place, facts, resolved_by, lat, lon = chosen[place_id]
        popup = border_place_popup(place, facts, resolved_by)
        folium.CircleMarker(location=[lat, lon], radius=7, weight=2, color="#E69F00",
                            fill=True, fill_opacity=0.15, popup=folium.Popup(popup, max_width=400),
                            tooltip=esc(f"{place.name}: {facts.border_km} km from the border")).add_to(group)
    group.add_to(fmap)
