"""The one value a build produces: everything the exports and the map show, as typed records.

The stages upstream (read, find, resolve, extract, corroborate) hand their results to
:func:`assemble`; the exports (``exports.py``) and the renderers (``render/``) are siblings that
read an :class:`Atlas` and nothing else. Nothing downstream parses an export back.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from .ledger import MappedPlace, MentionLedger, ReviewItem
from .places import PlaceFacts
from .records import Document, Event, Place, Resolution

Facts = Callable[[Place], PlaceFacts]
NO_FACTS = PlaceFacts()

#: Gazetteer places shown on the map whether or not the documents mention them.
KNOWN_PLACE_KINDS = ("compound", "town", "city", "border_crossing", "facility")


def coordinate(value: float) -> float:
    """Coordinates as every output writes them: 5 decimals, about a metre."""
    return round(value, 5)


@dataclass(frozen=True)
class KnownPlace:
    """A gazetteer place the map shows whether mentioned or not (compounds, border towns)."""

    place: Place
    facts: PlaceFacts
    mentions: int


@dataclass(frozen=True)
class MappedEvent:
    """An event with the facts of its place (province, border distance)."""

    event: Event
    facts: PlaceFacts

    @property
    def place(self) -> Place | None:
        return self.event.place


@dataclass(frozen=True)
class Atlas:
    documents: Mapping[str, Document]
    places: tuple[MappedPlace, ...]
    events: tuple[MappedEvent, ...]
    known_places: tuple[KnownPlace, ...]
    #: every mention (resolved names, demonyms, names inside organisations' names), read back a
    #: document at a time
    ledger: MentionLedger
    #: country and province outlines drawn under the map (GeoJSON features), possibly none
    outlines: tuple[dict, ...] = ()

    @property
    def resolutions(self) -> Iterator[Resolution]:
        """The mentions of places by name, by document then position."""
        return self.ledger.resolutions()

    @property
    def review(self) -> Iterator[ReviewItem]:
        """The editors' review queue, by document then position."""
        return self.ledger.review()

    @property
    def placed_events(self) -> list[MappedEvent]:
        """The happenings on the map: placed events, not context."""
        return [e for e in self.events if e.place is not None and e.event.kind == "event"]

    @property
    def placed_context(self) -> list[MappedEvent]:
        """Trends, history and general claims that have a place: a layer that is off by default."""
        return [e for e in self.events if e.place is not None and e.event.kind == "context"]

    def document_of(self, doc: str) -> Document:
        return self.documents[doc]


def assemble(documents: Iterable[Document], ledger: MentionLedger, events: Sequence[Event], facts: Facts,
             gazetteer_places: Iterable[Place], outlines: Sequence[dict] = (),
             places: Sequence[MappedPlace] | None = None) -> Atlas:
    """The build's value, every collection in a fixed order (ids, then positions), so that every
    output written from it is deterministic. ``places``: the ledger's mapped places, if already made."""
    by_doc = {d.name: d for d in documents}
    places = tuple(places) if places is not None else ledger.mapped_places(facts)
    mentions = {p.place.id: p.mentions for p in places}
    known = tuple(KnownPlace(p, facts(p), mentions.get(p.id, 0))
                  for p in sorted(gazetteer_places, key=lambda p: p.id) if p.kind in KNOWN_PLACE_KINDS)
    mapped_events = tuple(MappedEvent(e, facts(e.place) if e.place else NO_FACTS)
                          for e in sorted(events, key=lambda e: e.event_id))
    return Atlas(by_doc, places, mapped_events, known, ledger, tuple(_escaped_names(f) for f in outlines))


def _escaped_names(feature: dict) -> dict:
    """An outline whose name is HTML-escaped: folium's GeoJsonTooltip puts properties into the page
    as markup, and the names come from third-party boundary files."""
    properties = {**feature["properties"], "name": html.escape(str(feature["properties"].get("name", "")))}
    return {**feature, "properties": properties}
