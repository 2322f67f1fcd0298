"""The review queue for editors: mentions placed only by a fallback stage or ambiguously, at the
place chosen; unresolved ones have no place and are counted in the layer's name (off by default)."""

from __future__ import annotations

import folium

from ...atlas import Atlas, coordinate
from ...exports import candidates_text
from ..popups import esc, review_popup


def add(fmap: folium.Map, atlas: Atlas) -> None:
    placed = [item for item in atlas.review if item.resolution.place is not None]
    unresolved = len(atlas.review) - len(placed)
    group = folium.FeatureGroup(name=f"Needs review ({len(placed)} placed, {unresolved} unresolved in review.csv)",
                                show=False)
    for item in placed:
        r, place = item.resolution, item.resolution.place
        popup = review_popup(item, candidates_text(r))
        folium.Marker(location=[coordinate(place.lat), coordinate(place.lon)], popup=folium.Popup(popup, max_width=400),
                      tooltip=esc(f"review: {r.mention.surface} ({item.issue})"),
                      icon=folium.DivIcon(html='<div class="gm-event" style="background:#E69F00">?</div>',
                                          icon_size=(24, 24), icon_anchor=(12, 12))).add_to(group)
    group.add_to(fmap)
