"""The review queue for editors: mentions placed only by a fallback stage or ambiguously, at the
place chosen; unresolved ones have no place and are counted in the layer's name (off by default,
its rows read from the data file of later layers when it is first switched on)."""

from __future__ import annotations

import folium

from ...atlas import Atlas, coordinate
from ..map_data import LATER_FILE, FromMapData, map_data
from ..popups import esc, review_popup

_ICON = '<div class="gm-event" style="background:#E69F00">?</div>'


def add(fmap: folium.Map, atlas: Atlas) -> None:
    placed = atlas.ledger.review_placed
    unresolved = sum(atlas.ledger.issues.values()) - placed
    group = folium.FeatureGroup(name=f"Needs review ({placed} placed, {unresolved} unresolved in review.csv)",
                                show=False)
    map_data(fmap, LATER_FILE).put("review", lambda: (_row(item) for item in atlas.review
                                                      if item.resolution.place is not None))
    FromMapData("geomapAddMarkers", "review", {"icon": _ICON}, LATER_FILE).add_to(group)
    group.add_to(fmap)


def _row(item) -> list:
    r, place = item.resolution, item.resolution.place
    return [coordinate(place.lat), coordinate(place.lon), esc(f"review: {r.mention.surface} ({item.issue})"),
            review_popup(item)]
