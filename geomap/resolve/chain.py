"""The resolution chain: the gazetteer, then the offline GeoNames index (both in ``offline``), then
the online geocoder (``geocoder``). Each stage proposes candidates with a score and a reason; the
first stage that has any decides. Nothing is guessed: a mention no stage knows stays unresolved and
is reported. A winner is ambiguous when the runner-up scores nearly as high and lies farther away
than either place's precision."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Protocol, Sequence

from .. import settings
from ..gazetteer.geometry import haversine_km
from ..records import Candidate, Mention, Place, Resolution

UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class Context:
    """What the rest of the document says about where it is: the countries its unambiguous
    gazetteer mentions name, with counts, and the first-level divisions it names ("US.IL" for
    Illinois), which make a town of the name in them more likely ("Springfield")."""

    countries: Counter = field(default_factory=Counter)
    divisions: frozenset[str] = frozenset()
    #: the division named right after the mention, as its qualifier ("Paris, Tenn.", "Springfield,
    #: Illinois"): US.TN, US.IL
    qualifier: str = ""


class Stage(Protocol):
    """One source of places: ``offline``'s two stages and ``geocoder``'s online one each are a class
    with this method."""

    name: str

    def candidates(self, mention: Mention, context: Context) -> list[Candidate]: ...



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
        # a stage that knows the name but would not use it says why (an editor rejected the cached
        # answer, the geocoder had none, or failed): an editor reads it in the review queue
        whys = [why for stage in self.stages if (why := _why_none(stage, mention))]
        return Resolution(mention, None, UNRESOLVED, "; ".join(whys) or "no stage knows this name", tuple(considered))

    def resolve_document(self, mentions: Sequence[Mention]) -> list[Resolution]:
        """Resolve in three passes: first the names only the gazetteer knows, with one candidate,
        to learn which countries the document is about; then everything with that context; then,
        if the document names first-level divisions, again the names whose candidates lie in
        several, with those divisions as context too."""
        context = Context(Counter())
        for mention in mentions:
            if len(mention.gazetteer_ids) == 1 and self.stages:
                first = self.stages[0].candidates(mention, context)
                if len(first) == 1 and first[0].place.country:
                    context.countries[first[0].place.country] += 1
        resolved = [self.resolve(m, context) for m in mentions]
        divisions = frozenset(r.candidates[0].division for r in resolved
                              if r.place is not None and r.place.kind == "province" and r.candidates
                              and r.candidates[0].place.id == r.place.id and r.candidates[0].division)
        if not divisions:
            return resolved
        context = Context(context.countries, divisions)
        qualifiers = _qualifiers(resolved)
        return [self.resolve(r.mention, replace(context, qualifier=qualifiers.get(i, "")))
                if len({c.division for c in r.candidates}) > 1 else r
                for i, r in enumerate(resolved)]


def _qualifiers(resolved: list[Resolution]) -> dict[int, str]:
    """By index of a mention, the division that the next mention names right after it and its
    comma ("Paris, Tenn.", "Springfield, Illinois"): the town is the one of that division."""
    found = {}
    for i, (this, after) in enumerate(zip(resolved, resolved[1:])):
        if 0 < after.mention.start - this.mention.end <= 2 and after.place is not None \
                and after.place.kind == "province" and after.candidates \
                and after.candidates[0].place.id == after.place.id and after.candidates[0].division:
            found[i] = after.candidates[0].division
    return found


def _is_ambiguous(candidates: list[Candidate]) -> bool:
    if len(candidates) < 2:
        return False
    best, second = candidates[0], candidates[1]
    if best.score - second.score >= settings.AMBIGUITY_MARGIN:
        return False
    return km_between(best.place, second.place) > max(best.place.precision_km, second.place.precision_km)


def km_between(a: Place, b: Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _why_none(stage: Stage, mention: Mention) -> str:
    """Why a stage gave no candidate, if it can tell: ``why_none(mention)`` is optional for a stage
    (the offline ones have nothing to say beyond not knowing the name)."""
    why_none = getattr(stage, "why_none", None)
    return why_none(mention) if why_none is not None else ""
