"""The resolution chain: the gazetteer, then the offline GeoNames index (both in ``offline``), then
the online geocoder (``geocoder``). Each stage proposes candidates with a score and a reason; the
first stage that has any decides. Nothing is guessed: a mention no stage knows stays unresolved and
is reported. A winner is ambiguous when the runner-up scores nearly as high and lies farther away
than either place's precision."""

from __future__ import annotations

import re
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

    def resolve_document(self, mentions: Sequence[Mention], text: str = "") -> list[Resolution]:
        """Resolve in three passes: first the names only the gazetteer knows, with one candidate,
        to learn which countries the document is about; then everything with that context; then,
        if the document names first-level divisions, again the names whose candidates lie in
        several, with those divisions as context too. With the document's ``text``, a name said to
        lie in the next ("the Chinatown area of Sihanoukville", "Bamban, Tarlac") is then kept to
        that place's country."""
        resolved = self._resolve_document(mentions)
        return _kept_to_containers(resolved, text) if text else resolved

    def _resolve_document(self, mentions: Sequence[Mention]) -> list[Resolution]:
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


# Between a name and the place it lies in: "the Chinatown area of Sihanoukville", "Mae Sot in Tak";
# after a comma only a division or a country ("Lagos, Nigeria"): "Riga, Merida and San Jose" is a list
_LIES_IN = re.compile(r"(?:\s+(?:area|district|quarter|neighbou?rhood|part|section|suburbs?|outskirts)\s+of"
                      r"|\s+in)\s+(?:the\s+)?")
_AFTER_A_COMMA = re.compile(r",\s+")
_CONTAINER_KINDS = frozenset({"country", "province", "city", "town", "district"})


def _kept_to_containers(resolved: list[Resolution], text: str) -> list[Resolution]:
    """A name the offline index placed in another country than the place it is said to lie in is
    placed among its candidates in that country, or not at all: "the Fomento area of Dili" is not
    Fomento in Cuba, and nothing is better than a point on the wrong continent."""
    kept = list(resolved)
    for i, (this, after) in enumerate(zip(resolved, resolved[1:])):
        if this.place is None or this.resolved_by == "gazetteer" or after.place is None \
                or after.place.kind not in _CONTAINER_KINDS or not after.place.country \
                or this.mention.sentence_index != after.mention.sentence_index \
                or this.place.country == after.place.country or this.place.kind in ("country", "region", "water") \
                or not (_LIES_IN.fullmatch(text, this.mention.end, after.mention.start)
                        or after.place.kind in ("country", "province")
                        and _AFTER_A_COMMA.fullmatch(text, this.mention.end, after.mention.start)):
            continue
        country = after.place.country
        inside = [c for c in this.candidates if c.place.country == country]
        if inside:
            best = max(inside, key=lambda c: (c.score, c.place.id))
            kept[i] = replace(this, place=best.place, resolved_by=best.stage,
                              reason=f"{best.stage}: {best.why}; said to lie in {after.place.name}")
        else:
            kept[i] = replace(this, place=None, resolved_by=UNRESOLVED,
                              reason=f"said to lie in {after.place.name}, and no place of this name is in "
                                     f"{country}: {this.reason}")
    return kept


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
