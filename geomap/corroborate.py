"""The same event reported more than once (in several documents, or twice in one) becomes one event
with several sources: same type and status, dates that agree as far as both are known ("2022-02"
agrees with "2022-02-20", not with "2022-03"), and, across documents, the same place or one inside
the other (within one document, the same place)."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

from .records import DATE_PRECISIONS, KIND_SPECIFICITY, Event, Place


def corroborate(events: Sequence[Event], parent_of: Callable[[str], str]) -> list[Event]:
    """Merge reports of the same event. ``parent_of(place_id)`` gives a place's parent id ("" at the
    top), so that a report at Sihanoukville and one at Cambodia can be the same event."""
    groups: list[list[Event]] = []
    for event in events:
        for group in groups:
            if all(_same_event(event, other, parent_of) for other in group):
                group.append(event)
                break
        else:
            groups.append([event])
    return sorted((_merge(group) for group in groups), key=lambda e: e.event_id)


def _same_event(a: Event, b: Event, parent_of) -> bool:
    if a.type != b.type or a.status != b.status or (a.doc == b.doc and a.sentence_start == b.sentence_start):
        return False
    if not (_own_place(a) and _own_place(b)):
        # a place borrowed from the paragraph or the document says nothing about which event a
        # sentence reports ("In a separate operation, officers raided a hotel"): such reports stay apart
        return False
    if a.doc == b.doc:
        # one article coming back to an event names it the same way; "Police raided the Jinbei
        # compound. Later they raided a casino in Sihanoukville" is two raids
        if a.place.id != b.place.id:
            return False
    elif not (_contains(a.place, b.place, parent_of) or _contains(b.place, a.place, parent_of)):
        return False
    return _dates_agree(a.date.iso, b.date.iso)


def _own_place(event: Event) -> bool:
    return (event.place is not None and event.date.known and event.place_basis in ("sentence", "government"))


def _contains(outer: Place, inner: Place, parent_of) -> bool:
    place_id, seen = inner.id, set()
    while place_id and place_id not in seen:
        if place_id == outer.id:
            return True
        seen.add(place_id)
        place_id = parent_of(place_id)
    return outer.kind == "country" and inner.country == outer.country and inner.kind != "country"


def _dates_agree(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _merge(group: list[Event]) -> Event:
    """The report with the most specific place and the most precise date leads; every report is a source."""
    if len(group) == 1:
        return group[0]
    precision_rank = {p: i for i, p in enumerate(DATE_PRECISIONS)}
    lead = min(group, key=lambda e: (-KIND_SPECIFICITY.get(e.place.kind, 0), e.place.precision_km,
                                     e.date.from_publication, precision_rank.get(e.date.precision, 9),
                                     e.doc, e.sentence_start))
    sources = tuple(sorted({s for e in group for s in e.sources}, key=lambda s: (s.doc, s.sentence_start)))
    lead_sources = tuple(s for s in sources if (s.doc, s.sentence_start) == (lead.doc, lead.sentence_start))
    actors = tuple(dict.fromkeys(a for e in [lead, *group] for a in e.actors))
    figures = tuple(dict.fromkeys(f for e in [lead, *group] for f in e.figures))
    return replace(lead, sources=lead_sources + tuple(s for s in sources if s not in lead_sources),
                   actors=actors, figures=figures)
