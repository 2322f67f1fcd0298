"""Movements: where the people of an event came from and where they were sent, drawn as lines
from each origin to the event's place and on to each destination (rescues, trafficking,
deportations...), thicker for more people counted. The popup cites the sources."""

from __future__ import annotations

import math

import folium

from ... import event_types
from ...atlas import Atlas, MappedEvent, coordinate
from ..popups import esc, event_popup
from ._shared import swatch

MOVEMENT_COLOUR = "#0072B2"
ORIGIN_COLOUR = "#E69F00"


def add(fmap: folium.Map, atlas: Atlas) -> None:
    moving = [m for m in atlas.placed_events if m.event.origins or m.event.destinations]
    if not moving:
        return
    group = folium.FeatureGroup(name=f"Movements: from → event → to ({len(moving)}) {swatch(MOVEMENT_COLOUR)}",
                                show=True)
    for mapped in moving:
        _add_event(group, atlas, mapped)
    group.add_to(fmap)


def _add_event(group, atlas: Atlas, mapped: MappedEvent) -> None:
    event, place = mapped.event, mapped.place
    label = event_types.event_type(event.type).label
    weight = line_weight(people_counted(mapped))
    here = [coordinate(place.lat), coordinate(place.lon)]
    start, end = event.date.window
    for leg, others, colour, dash in (("from", event.origins, ORIGIN_COLOUR, "6 6"),
                                      ("to", event.destinations, MOVEMENT_COLOUR, None)):
        for other in others:
            there = [coordinate(other.lat), coordinate(other.lon)]
            line = [there, here] if leg == "from" else [here, there]
            tooltip = (f"{label}: people from {other.name} to {place.name}" if leg == "from"
                       else f"{label}: people from {place.name} sent to {other.name}")
            polyline = folium.PolyLine(
                line, color=colour, weight=weight, opacity=0.8, dash_array=dash,
                popup=folium.Popup(event_popup(mapped, label, atlas.documents), max_width=400),
                tooltip=esc(f"{tooltip}, {event.date.iso or 'undated'}"),
            )
            # folium keeps only the options it knows: ours are set on the element (read by geomap.js)
            polyline.options.update(gmId=event.event_id, gmLeg=leg, gmStart=start, gmEnd=end)
            polyline.add_to(group)


def people_counted(mapped: MappedEvent) -> int:
    """The largest number of people the event's reports give (0 when none is given)."""
    return max((int(min(f.value, 10**9)) for f in mapped.event.figures
                if f.kind == "people" and f.value and math.isfinite(f.value)), default=0)


def line_weight(people: int) -> float:
    """2 px for an uncounted group, up to 10 px for ten thousand people."""
    return round(min(10.0, 2.0 + 2.0 * math.log10(people + 1)), 2) if people else 2.0
