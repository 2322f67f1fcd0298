"""Records that cross stage boundaries. Frozen, typed, units in the field names."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, fields
from functools import cache, lru_cache
from typing import Literal, get_args

from .settings import PRECISE_KM

PlaceKind = Literal["country", "province", "city", "town", "compound", "facility",
                    "border_crossing", "water", "region", "landmark"]
PLACE_KINDS: tuple[str, ...] = get_args(PlaceKind)

#: Which stage of the resolution chain placed a mention ("unresolved": none did).
ResolvedBy = Literal["gazetteer", "geonames", "geocoder", "unresolved"]
RESOLVED_BY: tuple[str, ...] = get_args(ResolvedBy)

#: How specific a kind of place is: a higher number is more specific. Used to choose the place
#: an event happened at when a sentence names several ("a city over its country").
KIND_SPECIFICITY = {
    "region": 0, "water": 1, "country": 2, "province": 3, "landmark": 4,
    "city": 5, "town": 6, "border_crossing": 7, "facility": 8, "compound": 8,
}

DatePrecision = Literal["day", "month", "year"]
DATE_PRECISIONS: tuple[str, ...] = get_args(DatePrecision)


class Record:
    """A slotted record pickles as a call of its class with its field values. The slotted
    dataclasses' own way, a ``__setstate__`` that looks the fields up again for every object, took
    most of the time of loading stored results and those of worker processes."""

    __slots__ = ()

    def __reduce__(self):
        return type(self), tuple(map(self.__getattribute__, field_names(type(self))))


@cache
def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, slots=True)
class Sentence(Record):
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Document(Record):
    """One article. ``text`` is the body (front matter removed); offsets count from it. ``name`` is
    the file's name in the documents folder, the key that mentions, events and sources cite as
    ``doc``."""

    name: str
    text: str
    title: str = ""
    publisher: str = ""
    url: str = ""
    published: str = ""
    published_precision: str = ""
    #: how the publication date is known: manifest | front matter | dateline | inferred | "" (unknown)
    published_basis: str = ""
    sentences: tuple[Sentence, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def is_dated(self) -> bool:
        return bool(self.published)


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    kind: PlaceKind
    lat: float
    lon: float
    precision_km: float
    country: str = ""
    aliases: tuple[str, ...] = ()
    parent: str = ""
    source: str = ""
    notes: str = ""
    population: int = 0
    #: an optional shape (WKT, lon before lat) drawn instead of the point: a compound's footprint
    geometry_wkt: str = ""

    def __reduce__(self):
        # unpickled as one shared instance per distinct place: the results of thousands of documents
        # (from worker processes or the store) name the same few thousand places over and over
        return _shared, (Place, *map(self.__getattribute__, field_names(Place)))


#: The instances unpickled so far, by class and field values (``_shared``).
_SHARED: dict[type, dict[tuple, object]] = {}


def _shared(cls: type, *values):
    """The one instance of ``cls`` with these field values in this process."""
    table = _SHARED.setdefault(cls, {})
    instance = table.get(values)
    if instance is None:
        instance = table[values] = cls(*values)
    return instance


@dataclass(frozen=True, slots=True)
class Mention(Record):
    """A stretch of a document's text that names a place (before it is resolved)."""

    doc: str
    start: int
    end: int
    surface: str
    sentence_index: int
    #: Ids of gazetteer places whose name or alias is exactly this surface, if any.
    gazetteer_ids: tuple[str, ...] = ()
    #: A place word right before the name ("in", "near", "the town of"...), "dateline", or "".
    cue: str = ""
    #: The name to look up when it is not written as the surface is (a dateline's "MAE SOT").
    name: str = ""

    @property
    def lookup_name(self) -> str:
        return self.name or self.surface


@dataclass(frozen=True, slots=True)
class Candidate:
    place: Place
    stage: str
    score: float
    why: str
    #: the first-level division the place is in, or is ("US.IL"), where the stage knows it
    division: str = ""

    def __reduce__(self):
        # shared like places: "Cambodia", with its score and reason, is the candidate of thousands
        return _shared, (Candidate, self.place, self.stage, self.score, self.why, self.division)


@dataclass(frozen=True, slots=True)
class Resolution(Record):
    mention: Mention
    place: Place | None
    resolved_by: ResolvedBy
    reason: str
    candidates: tuple[Candidate, ...] = ()
    ambiguous: bool = False


@dataclass(frozen=True, slots=True)
class EventDate(Record):
    iso: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD; "" when unknown
    precision: DatePrecision | Literal[""] = ""  # "" when unknown
    text: str = ""  # the expression it was read from; "" when taken from the publication date
    from_publication: bool = False
    #: The first and last day the text allows (ISO days): a range's ends ("between August 17 and
    #: 19"), or, for a date taken from the publication, the month before it. "" when the window is
    #: the period of ``iso`` itself.
    start: str = ""
    end: str = ""

    @property
    def known(self) -> bool:
        return bool(self.iso)

    @property
    def period(self) -> tuple[str, str]:
        return date_period(self.iso, self.precision)

    @property
    def window(self) -> tuple[str, str]:
        """The days the event may have happened on: the window when one is set, else the period."""
        if self.start and self.end:
            return self.start, self.end
        return self.period


@lru_cache(maxsize=8192)  # asked for every event again and again by the merge, the filters and the exports
def date_period(iso: str, precision: str) -> tuple[str, str]:
    """The first and last day a date may mean: "2022" is 2022-01-01 to 2022-12-31; ("", "") when
    the date is unknown. The map's date filter, the events page and the timeline all use it."""
    if not iso:
        return "", ""
    if precision == "year":
        return f"{iso}-01-01", f"{iso}-12-31"
    if precision == "month":
        year, month = (int(p) for p in iso.split("-"))
        return f"{iso}-01", f"{iso}-{calendar.monthrange(year, month)[1]:02d}"
    return iso, iso


#: What the place of an event says about where it happened, like ACLED's geo-precision codes.
GEO_PRECISION = {
    "compound": "site", "facility": "site", "border_crossing": "site", "landmark": "site",
    "town": "town", "city": "town", "province": "province",
    "country": "country or region", "region": "country or region", "water": "country or region",
}
PlaceBasis = Literal["sentence", "organisation", "government", "officers", "list", "nationwide", "reference", "paragraph",
                     "story", "court", "dateline", "document"]
#: What a place named in an event's sentence is to the event: where it happened, where the people
#: in it came from or were sent to, or a government acting (a capital or a country named bare).
PlaceRole = Literal["where", "origin", "destination", "actor"]
PLACE_ROLES: tuple[str, ...] = get_args(PlaceRole)
#: An event is a specific happening, anchored in time and place; context is a trend, history, an
#: opinion or a general claim: kept in the exports, off the map by default.
EventKind = Literal["event", "context"]
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
EventStatus = Literal["happened", "planned", "denied", "alleged"]
EVENT_STATUSES: tuple[str, ...] = get_args(EventStatus)


@dataclass(frozen=True, slots=True)
class Source(Record):
    """One report of an event: the document and the sentence it comes from."""

    doc: str
    quote: str
    sentence_start: int
    sentence_end: int
    trigger_start: int
    trigger_end: int
    place_start: int = -1
    place_end: int = -1


@dataclass(frozen=True, slots=True)
class Event(Record):
    event_id: str
    doc: str
    type: str
    trigger: str
    trigger_start: int
    trigger_end: int
    sentence_start: int
    sentence_end: int
    quote: str
    date: EventDate
    place: Place | None = None
    place_surface: str = ""
    place_start: int = -1
    place_end: int = -1
    resolved_by: ResolvedBy | Literal[""] = ""
    #: where the place was found: in the sentence, inside an organisation's name in the sentence, as a
    #: capital named for its government (the country), in an earlier sentence of the paragraph, or the
    #: country the document is about ("" with no place)
    place_basis: PlaceBasis | Literal[""] = ""
    status: EventStatus = "happened"
    actors: tuple[str, ...] = ()
    figures: tuple = ()  # geomap.figures.Figure
    #: the date rests on a publication date that is itself inferred from the text
    date_inferred: bool = False
    #: every report of this event, the first being the one the fields above come from
    sources: tuple[Source, ...] = ()
    kind: EventKind = "event"
    #: where the people of the event came from and where they were sent ("deported to China")
    origins: tuple[Place, ...] = ()
    destinations: tuple[Place, ...] = ()
    #: names the sentence gives with a place word that no source resolves ("in Veal Renh commune"),
    #: when the place above is borrowed from elsewhere in the document: what an editor may add
    unresolved_names: tuple[str, ...] = ()

    @property
    def geo_precision(self) -> str:
        if self.place is None:
            return ""
        level = GEO_PRECISION.get(self.place.kind, "")
        # a compound placed at its town's point (its own position known to 10 km) is known to the town
        return "town" if level == "site" and float(self.place.precision_km) > PRECISE_KM else level

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(sorted({s.doc for s in self.sources})) or (self.doc,)
