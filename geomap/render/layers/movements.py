"""Movements: where the people of an event came from and where they were sent, drawn as lines
from each origin to the event's place and on to each destination (rescues, trafficking,
deportations...), thicker for more people counted. The popup cites the sources."""

from __future__ import annotations

import math

import folium

from ... import event_types
from ...atlas import Atlas, MappedEvent, coordinate
from ...figures import most_people
from ..map_data import DATA_FILE, LATER_FILE, FromMapData, map_data
from ..popups import esc
from ._shared import swatch

MOVEMENT_COLOUR = "#0072B2"
ORIGIN_COLOUR = "#E69F00"


#: Above this many lines the layer opens switched off, its rows read when it is first switched on:
#: a few hundred lines from the countries people came from already cover the events of the focus
#: countries under them (and thousands were most of a date-filter change).
LINES_SHOWN_AT_OPENING = 200


def add(fmap: folium.Map, atlas: Atlas) -> None:
    moving = [m for m in atlas.placed_events if m.event.origins or m.event.destinations]
    if not moving:
        return
    rows = [row for mapped in moving for row in _rows(mapped)]
    shown = len(rows) <= LINES_SHOWN_AT_OPENING
    # both legs' colours: where the people came from, and where they were sent
    legs = swatch(ORIGIN_COLOUR) + swatch(MOVEMENT_COLOUR)
    group = folium.FeatureGroup(name=f"Movements: from → event → to ({len(moving)}) {legs}",
                                show=shown)
    file = DATA_FILE if shown else LATER_FILE
    map_data(fmap, file).put("movements", rows)
    # the popup of a line is its event's, already in the events' rows of the data file
    FromMapData("geomapAddMovements", "movements", {"from": ORIGIN_COLOUR, "to": MOVEMENT_COLOUR}, file).add_to(group)
    group.add_to(fmap)


def _rows(mapped: MappedEvent) -> list[list]:
    """One row per line: [event id, leg ("from"/"to"), [lat, lon], [lat, lon], weight, start, end, tooltip]."""
    event, place = mapped.event, mapped.place
    label = event_types.event_type(event.type).label
    weight = line_weight(people_counted(mapped))
    here = [coordinate(place.lat), coordinate(place.lon)]
    start, end = event.date.window
    rows = []
    for leg, others in (("from", event.origins), ("to", event.destinations)):
        for other in others:
            if other.id == place.id:
                continue  # people sent where the event is (a merged report's destination): no line
            there = [coordinate(other.lat), coordinate(other.lon)]
            # said of the event, not as a journey: an escape "from KK Park" of people from China is not
            # a trip from China to KK Park
            tooltip = (f"{label} at {place.name}: its people came from {other.name}" if leg == "from"
                       else f"{label} at {place.name}: its people were sent to {other.name}")
            rows.append([event.event_id, leg, *([there, here] if leg == "from" else [here, there]), weight, start, end,
                         esc(f"{tooltip}, {event.date.iso or 'undated'}")])
    return rows


def people_counted(mapped: MappedEvent) -> int:
    """The largest number of people the event's reports give (0 when none is given)."""
    return most_people(mapped.event.figures)


def line_weight(people: int) -> float:
    """1.5 px for an uncounted group, up to 6 px for ten thousand people. (Lines up to 10 px wide made
    a thicket at a few thousand lines, and drawing it took most of a date-filter change.)"""
    return round(min(6.0, 1.5 + 1.125 * math.log10(people + 1)), 2) if people else 1.5
