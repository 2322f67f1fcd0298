"""Resolution stages 1 and 2, which need no network: the gazetteer an editor owns (``places.csv``,
always first, score 10 and more) and the offline GeoNames index (scored by population, feature and
the countries the document names)."""

from __future__ import annotations

import math

from .. import settings
from ..gazetteer.geometry import plain_name
from ..gazetteer.geonames import GeoNamesIndex
from ..gazetteer.table import Gazetteer
from ..records import KIND_SPECIFICITY, Candidate, Mention, Place
from .chain import Context

_CUE_KINDS = {
    "province": {"province"}, "district": {"province", "town"}, "commune": {"town"},
    "city": {"city"}, "town": {"town", "city"}, "village": {"town"},
}


class GazetteerStage:
    name = "gazetteer"

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def candidates(self, mention: Mention, context: Context) -> list[Candidate]:
        ids = mention.gazetteer_ids or tuple(p.id for p in self.gazetteer.by_name(mention.lookup_name))
        found = []
        for place_id in ids:
            place = self.gazetteer.places[place_id]
            score, reasons = 10.0, [f"'{mention.lookup_name}' is a name of {place.id} in places.csv"]
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

    def __init__(self, index: GeoNamesIndex, gazetteer: Gazetteer | None = None):
        """``gazetteer``: the editors' rows, whose province stands for the index's division of the
        same name ("Chiang Rai" of the index is the gazetteer's Chiang Rai Province: one place, one
        point, one id on the map)."""
        self.index = index
        self.provinces: dict[tuple[str, str], Place] = {}
        for place in (gazetteer.places.values() if gazetteer is not None else ()):
            if place.kind == "province" and place.country:
                for name in (place.name, *place.aliases):
                    self.provinces.setdefault((place.country, plain_name(name)), place)

    def candidates(self, mention: Mention, context: Context) -> list[Candidate]:
        found = []
        for entry in self.index.lookup(mention.lookup_name):
            if entry.feature == "town" and entry.name != mention.lookup_name \
                    and entry.population < settings.FOREIGN_ALIAS_MIN_POPULATION and not context.countries.get(entry.country):
                # "the city's Bei commune" in Cambodia is not Baye, a French village of 977 that GeoNames
                # also spells "Bei": a village's other spellings are no evidence abroad
                continue
            if entry.feature == "town" and len(mention.lookup_name) <= 2 \
                    and entry.name.upper() != mention.lookup_name.upper():
                continue  # a name of two letters is a town's main name or no town's: "Pa" is not Chongqing
            place = entry.to_place()
            row = self.provinces.get((entry.country, plain_name(entry.name))) if entry.feature == "admin1" else None
            score = math.log10(entry.population + 1)
            reasons = [f"GeoNames {entry.feature} '{entry.name}' "
                       f"({entry.country or '--'}, population {entry.population:,})"]
            if row is not None:
                place = row
                reasons.append(f"the gazetteer's row {row.id} for it")
            if entry.feature != "town":
                # a country or continent before a town of the name; a state a little less (Georgia
                # the country, with no other clue, before Georgia the state)
                score += 2 if entry.feature == "admin1" else 3
                reasons.append(f"a {'state' if entry.feature == 'admin1' else entry.feature} name")
            if entry.feature == "region" and entry.admin1 == "island" and entry.area_km2 > 0:
                # an island's people are not counted: its extent stands for its size (Luzon the
                # island, 300,000 km² of box, before Luzon the village of 3,000). Not a sea's or a
                # river's: Sudan's Red Sea and River Nile states are named for them
                score += math.log10(entry.area_km2 + 1)
                reasons.append(f"{entry.area_km2:,.0f} km² across")
            if entry.name == mention.lookup_name:
                # "Chiang Saen" is the main name of Chiang Saen and an alternate name of Mae Chan, a
                # town three times its size: the place called so wins unless the other is over 30x larger
                score += MAIN_NAME_BONUS
                reasons.append("its main name")
            if context.countries.get(entry.country):
                score += 2
                reasons.append(f"the document names {entry.country} elsewhere")
            division = f"{entry.country}.{entry.admin1}" if entry.country and entry.admin1 else ""
            if entry.feature == "town" and division and division == context.qualifier:
                score += QUALIFIER_BONUS
                reasons.append(f"its {entry.country} division ({entry.admin1}) is named right after it")
            elif entry.feature == "town" and division in context.divisions:
                score += DIVISION_BONUS
                reasons.append(f"the document names its {entry.country} division ({entry.admin1}) elsewhere")
            if place.kind in _cue_kinds(mention.cue):
                score += 0.5
            found.append(Candidate(place, self.name, round(score, 3), "; ".join(reasons), division))
        return found


#: Added to the score of a town of the index in a first-level division the document names
#: ("Springfield" in a story that names Illinois): as much as a population 30 times larger.
DIVISION_BONUS = 1.5

#: Added instead to that of a town whose division qualifies it ("Paris, Tenn."): as much as a
#: population 100,000 times larger; the writer said which
QUALIFIER_BONUS = 5.0

#: Added to the score of a GeoNames entry whose main name is the name looked up (scores are log10 of
#: the population, so 1.5 outweighs a population 30 times larger).
MAIN_NAME_BONUS = 1.5


def _cue_kinds(cue: str) -> set[str]:
    words = cue.split()
    return _CUE_KINDS.get(words[-1].lower(), set()) if words else set()
