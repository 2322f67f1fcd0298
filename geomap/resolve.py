"""The resolution chain: gazetteer, then the offline GeoNames index, then (in a later version) an
online geocoder. Each stage proposes candidates with a score and a reason; the first stage that
has any decides. Nothing is guessed: a mention no stage knows stays unresolved and is reported."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol, Sequence

from . import settings
from .gazetteer.geometry import haversine_km
from .gazetteer.geonames import GeoNamesIndex
from .gazetteer.table import Gazetteer
from .records import KIND_SPECIFICITY, Candidate, Mention, Place, Resolution

UNRESOLVED = "unresolved"

_CUE_KINDS = {
    "province": {"province"}, "district": {"province", "town"}, "commune": {"town"},
    "city": {"city"}, "town": {"town", "city"}, "village": {"town"},
}


@dataclass(frozen=True)
class Context:
    """What the rest of the document says about where it is: the countries its unambiguous
    gazetteer mentions name, with counts."""

    countries: Counter = field(default_factory=Counter)


class Stage(Protocol):
    """One source of places. A later online geocoder is one more class with this method."""

    name: str

    def candidates(self, mention: Mention, context: Context) -> list[Candidate]: ...


class GazetteerStage:
    name = "gazetteer"

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def candidates(self, mention: Mention, context: Context) -> list[Candidate]:
        ids = mention.gazetteer_ids or tuple(p.id for p in self.gazetteer.by_name(mention.surface))
        found = []
        for place_id in ids:
            place = self.gazetteer.places[place_id]
            score, reasons = 10.0, [f"'{mention.surface}' is a name of {place.id} in places.csv"]
            if len(ids) > 1:
                wanted = _cue_kinds(mention.cue)
                if place.kind in wanted:
                    score += 2
                    reasons.append(f"'{mention.cue}' calls for a {place.kind}")
                if place.country and context.countries.get(place.country):
                    score += 1
                    reasons.append(f"the document names {place.country} elsewhere")
                score += KIND_SPECIFICITY.get(place.kind, 0) / 100  # tie-break: the more specific
            found.append(Candidate(place, self.name, round(score, 3), "; ".join(reasons)))
        return found


class GeoNamesStage:
    name = "geonames"

    def __init__(self, index: GeoNamesIndex):
        self.index = index

    def candidates(self, mention: Mention, context: Context) -> list[Candidate]:
        found = []
        for entry in self.index.lookup(mention.surface):
            place = entry.to_place()
            score = math.log10(entry.population + 1)
            reasons = [f"GeoNames {entry.feature} '{entry.name}' "
                       f"({entry.country or '--'}, population {entry.population:,})"]
            if entry.feature != "town":
                score += 3
                reasons.append(f"a {entry.feature} name")
            if entry.name == mention.surface:
                score += 0.5
                reasons.append("its main name")
            if context.countries.get(entry.country):
                score += 2
                reasons.append(f"the document names {entry.country} elsewhere")
            if place.kind in _cue_kinds(mention.cue):
                score += 0.5
            found.append(Candidate(place, self.name, round(score, 3), "; ".join(reasons)))
        return found


def _cue_kinds(cue: str) -> set[str]:
    words = cue.split()
    return _CUE_KINDS.get(words[-1].lower(), set()) if words else set()


class Resolver:
    def __init__(self, stages: Sequence[Stage]):
        self.stages = list(stages)

    def resolve(self, mention: Mention, context: Context) -> Resolution:
        considered: list[Candidate] = []
        for stage in self.stages:
            candidates = sorted(stage.candidates(mention, context),
                                key=lambda c: (-c.score, c.place.id))
            considered.extend(candidates)
            if not candidates:
                continue
            best = candidates[0]
            ambiguous = _is_ambiguous(candidates)
            reason = f"{stage.name}: {best.why}"
            if len(candidates) > 1:
                reason += f"; chosen over {len(candidates) - 1} other candidate(s)"
            return Resolution(mention, best.place, stage.name, reason, tuple(considered), ambiguous)
        return Resolution(mention, None, UNRESOLVED, "no stage knows this name", tuple(considered))

    def resolve_document(self, mentions: Sequence[Mention]) -> list[Resolution]:
        """Resolve in two passes: first the names only the gazetteer knows, with one candidate,
        to learn which countries the document is about; then everything with that context."""
        context = Context(Counter())
        for mention in mentions:
            if len(mention.gazetteer_ids) == 1 and self.stages:
                first = self.stages[0].candidates(mention, context)
                if len(first) == 1 and first[0].place.country:
                    context.countries[first[0].place.country] += 1
        return [self.resolve(m, context) for m in mentions]


def _is_ambiguous(candidates: list[Candidate]) -> bool:
    if len(candidates) < 2:
        return False
    best, second = candidates[0], candidates[1]
    if best.score - second.score >= settings.AMBIGUITY_MARGIN:
        return False
    return distance_km(best.place, second.place) > max(best.place.precision_km, second.place.precision_km)


def distance_km(a: Place, b: Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)
