"""The one value a build produces: everything the exports and the map show, as typed records.

The stages upstream (read, find, resolve, extract, corroborate) hand their results to
:func:`assemble`; the exports (``exports.py``) and the renderers (``render/``) are siblings that
read an :class:`Atlas` and nothing else. Nothing downstream parses an export back.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Literal, Mapping, Sequence

from . import settings
from .places import PlaceFacts
from .records import Document, Event, Place, Resolution, Sentence

Facts = Callable[[Place], PlaceFacts]
NO_FACTS = PlaceFacts()

#: Why a mention is in the editors' review queue.
ReviewIssue = Literal["unresolved", "fallback", "ambiguous"]

#: Gazetteer places shown on the map whether or not the documents mention them.
KNOWN_PLACE_KINDS = ("compound", "town", "city", "border_crossing", "facility")


def coordinate(value: float) -> float:
    """Coordinates as every output writes them: 5 decimals, about a metre."""
    return round(value, 5)


@dataclass(frozen=True)
class MappedPlace:
    """A resolved place, once, with how the documents name it."""

    place: Place
    facts: PlaceFacts
    resolved_by: str
    mentions: int
    documents: tuple[str, ...]
    surfaces: tuple[str, ...]


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
class ReviewItem:
    """A mention an editor should look at, with the sentence it is in and what to do."""

    resolution: Resolution
    issue: ReviewIssue
    sentence: Sentence
    suggestion: str


@dataclass(frozen=True)
class Atlas:
    documents: Mapping[str, Document]
    resolutions: tuple[Resolution, ...]
    places: tuple[MappedPlace, ...]
    events: tuple[MappedEvent, ...]
    review: tuple[ReviewItem, ...]
    known_places: tuple[KnownPlace, ...]
    #: country and province outlines drawn under the map (GeoJSON features), possibly none
    outlines: tuple[dict, ...] = ()
    #: mentions exported in mentions.csv but not drawn, with what they are ("demonym",
    #: "in_organisation": see ``pipeline.DocumentResult``)
    other_mentions: tuple[tuple[str, Resolution], ...] = ()

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


def assemble(documents: Iterable[Document], resolutions: Sequence[Resolution], events: Sequence[Event],
             facts: Facts, gazetteer_places: Iterable[Place], outlines: Sequence[dict] = (),
             other_mentions: Sequence[tuple[str, Resolution]] = ()) -> Atlas:
    """The build's value, every collection in a fixed order (ids, then positions), so that every
    output written from it is deterministic."""
    by_doc = {d.name: d for d in documents}
    places = _mapped_places(resolutions, facts)
    mentions = {p.place.id: p.mentions for p in places}
    known = tuple(KnownPlace(p, facts(p), mentions.get(p.id, 0))
                  for p in sorted(gazetteer_places, key=lambda p: p.id) if p.kind in KNOWN_PLACE_KINDS)
    mapped_events = tuple(MappedEvent(e, facts(e.place) if e.place else NO_FACTS)
                          for e in sorted(events, key=lambda e: e.event_id))
    return Atlas(by_doc, tuple(resolutions), places, mapped_events, _review(resolutions, by_doc), known,
                 tuple(_escaped_names(f) for f in outlines), tuple(other_mentions))


def _escaped_names(feature: dict) -> dict:
    """An outline whose name is HTML-escaped: folium's GeoJsonTooltip puts properties into the page
    as markup, and the names come from third-party boundary files."""
    properties = {**feature["properties"], "name": html.escape(str(feature["properties"].get("name", "")))}
    return {**feature, "properties": properties}


def _mapped_places(resolutions: Sequence[Resolution], facts: Facts) -> tuple[MappedPlace, ...]:
    places: dict[str, Place] = {}
    counts: Counter = Counter()
    docs: dict[str, set] = defaultdict(set)
    surfaces: dict[str, set] = defaultdict(set)
    stages: dict[str, str] = {}
    for r in resolutions:
        if r.place is None:
            continue
        places[r.place.id] = r.place
        counts[r.place.id] += 1
        docs[r.place.id].add(r.mention.doc)
        surfaces[r.place.id].add(r.mention.surface)
        stages[r.place.id] = r.resolved_by
    return tuple(MappedPlace(places[i], facts(places[i]), stages[i], counts[i], tuple(sorted(docs[i])),
                             tuple(sorted(surfaces[i]))) for i in sorted(places))


def _review(resolutions: Sequence[Resolution], documents: Mapping[str, Document]) -> tuple[ReviewItem, ...]:
    """Mentions nothing resolved, mentions only a fallback stage (GeoNames, the geocoder) resolved,
    and mentions whose best candidates were too close to call."""
    items = []
    for r in resolutions:
        issue = ("unresolved" if r.place is None else "ambiguous" if r.ambiguous
                 else "fallback" if r.resolved_by != "gazetteer" and not _beyond_doubt(r) else "")
        if issue:
            sentence = documents[r.mention.doc].sentences[r.mention.sentence_index]
            items.append(ReviewItem(r, issue, sentence, _suggestion(issue, r)))
    return tuple(sorted(items, key=lambda i: (i.resolution.mention.doc, i.resolution.mention.start)))


def _beyond_doubt(r: Resolution) -> bool:
    """A large place the offline index found by its main name, with no close rival (Jakarta)."""
    return (r.resolved_by == "geonames" and r.place.population >= settings.REVIEW_MIN_POPULATION
            and r.mention.lookup_name == r.place.name)


def _suggestion(issue: str, r: Resolution) -> str:
    surface = r.mention.surface
    if issue == "unresolved":
        return (f"if '{surface}' is a place, add a row to places.csv with it as name or alias; "
                "if it is not, nothing to do")
    if issue == "fallback":
        return (f"check {r.place.id} ({r.place.lat:.4f}, {r.place.lon:.4f}); if it is right, you may add "
                f"'{surface}' to places.csv to pin it; if wrong, add the right place with this alias")
    return (f"'{surface}' fits several places; add it as an alias of the right row in places.csv, "
            "or keep the choice if it is right")
