"""Finding place names in text.

Two sources of names: every name and alias of the editors' gazetteer, matched at once (see
``matching``: case-sensitive, whole words, longest match wins); and capitalised phrases
that the offline GeoNames index knows, accepted when the context makes a place likely. Names that
sit inside the name of an organisation or a publication ("Cambodia China Times", "National
University of Singapore") are not place mentions.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Sequence

from .tables import read_editor_file
from .gazetteer.geometry import haversine_km
from .gazetteer.geonames import GeoNamesIndex
from .gazetteer.table import Gazetteer
from .matching import NameMatcher
from .records import Document, Mention, Sentence
from .recognise import Entity, SpacyRecogniser, place_name
from . import settings
from .settings import STOPLIST_FILE

# Last words of publication names: a place inside one is never where something happened.
PUBLICATION_WORDS = frozenset("""
Times Post Herald Journal News Press Tribune Daily Sentinel Diplomat Gazette Chronicle Telegraph
Guardian Mail Magazine Review Radio TV Television Broadcasting Reporter Observer Insider Today Weekly
Standard Star Inquirer Nation Globe Independent Express Monitor Agency Agence Wire
""".split())

# Words that make a capitalised phrase the name of an institution.
INSTITUTION_WORDS = frozenset("""
University College School Institute Institution Embassy Consulate Ministry Department
Forum Program Programme Center Centre Party Council Commission Committee
Court Association Foundation Initiative Watch Gendarmerie Police Army Navy Force
Forces Office Authority Federation Union Organization Organisation Agency Bureau
Service Services Administration Parliament Assembly Senate Congress Treasury Network Fund Studies
Affairs Secretary Minister Ambassador Commissariat Procuratorate Prison Jail Tribunal
""".split())

# Words that make a capitalised phrase a company's name ("China Southern Airlines", "Huione Group"): a
# place inside one is where the company is from, never where something happened.
COMPANY_WORDS = frozenset("""
Group Holding Holdings Bank Company Corporation Airlines Airways Club Chamber Commerce Exchange Trust
Industries Enterprises Inc Ltd Co
""".split())
#: The last words of an actor's name: an institution's or a company's.
BODY_WORDS = INSTITUTION_WORDS | COMPANY_WORDS

# Words before a name that make it a person's name, not a place's.
PERSON_TITLES = frozenset("""
Mr Mrs Ms Miss Dr Prof President Secretary Minister Premier General Gen Governor Gov Senator Sen
Judge Chairman Chairwoman Director Commander Colonel Col Captain Capt Lieutenant King Queen Prince
Princess Sir Lord Lady Pope Father Sister Brother Mayor Ambassador Spokesman Spokeswoman
""".split())

# Capitalised words that are never a place on their own (sentence starts, calendar words).
COMMON_CAPITALISED = frozenset("""
A An The This That These Those It Its He She They We You I In On At By For From To Of And But Or Nor
So Yet If When While Where After Before Since Until As Despite Although However Meanwhile Also Last
Next Earlier Later Today Yesterday Tomorrow Monday Tuesday Wednesday Thursday Friday Saturday Sunday
January February March April May June July August September October November December Jan Feb Mar
Apr Jun Jul Aug Sep Sept Oct Nov Dec Photo Source Advertisement Body Back New More Most Many Some
One Two Three Four Five Six Seven Eight Nine Ten Neither Either Both Each Every All Any No Not
Related Articles Read Share Subscribe Login Log Sign Skip Opt Our Your Their His Her Still Such
Though Unlike Like Besides Including Across Inside Outside Near Around Throughout Along Beyond Elsewhere
Nearby Then Now Thus Even Only Just Once Why How What Whether Because Under Over Through Between Among
Against Within Without During Following Amid Via Upon Towards Toward
""".split()) | frozenset("""
American British Burmese Cambodian Chinese Dutch English European Filipino French German Indian
Indonesian Japanese Khmer Korean Lao Laotian Malay Malaysian Russian Singaporean Spanish Taiwanese
Thai Vietnamese Pakistani Australian Canadian African Asian Arab Western Eastern Southern Northern
""".split())  # demonyms: "Thai nationals" names people, not Thailand

# A dateline: an all-caps place name opening a line, then a country or an agency, then a dash.
_DATELINE_NAME = r"[A-Z][A-Z’'.-]+(?:[ ][A-Z][A-Z’'.-]+){0,3}"
# "MAE SOT, Thailand, Oct 27 (AFP-style) -", "MYAWADDY/MAE SOT, Nov 29 -", "PHNOM PENH —": one or more
# all-caps names joined by "/", a country or region, a day, an agency in brackets, then a dash
DATELINE = re.compile(r"^[ \t]*(?P<name>" + _DATELINE_NAME + r"(?:[ \t]*/[ \t]*" + _DATELINE_NAME + r")*)"
                      r"(?:,[ \t]*(?P<country>[A-Z][A-Za-z .]{1,30}))?"
                      r"(?:,?[ \t]*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d{1,2})?"
                      r"[ \t]*(?:\([^)\n]{1,40}\)[ \t]*)?(?:-|–|—|:)", re.M)
#: Datelines are looked for this far into a text.
DATELINE_SCAN_CHARS = 2_000


def _titled(name: str) -> str:
    """"O'SMACH" -> "O'Smach", "PHNOM PENH" -> "Phnom Penh"."""
    return " ".join(_title_word(word) for word in name.split())


def _read_in_capitals(surface: str) -> str:
    """A name written in capitals ("NEW YORK", "TIJUANA") as it is written elsewhere ("New York");
    short ones ("KNU", "US") stay as written: they are acronyms and codes more often than names."""
    if surface.isupper() and sum(c.isalpha() for c in surface) >= 5:
        return _titled(surface)
    return surface


def _title_word(word: str) -> str:
    return re.sub(r"(^|[’'.-])([a-z])", lambda m: m.group(1) + m.group(2).upper(), word.lower())


# Words right before a name that make it a place ("in Sihanoukville", "near the border town of X").
CUE_BEFORE = re.compile(
    r"(?:\b(?:in|near|outside|at|from|to|into|across|around|toward|towards|via|inside)\s+(?:the\s+)?"
    r"|\b(?:town|city|village|province|district|commune|capital|port|border\s+town|region|state)\s+of\s+(?:the\s+)?"
    # a part of a place: "on the outskirts of X", "behind the town hall of X"
    r"|\b(?:outskirts|suburbs?|cent(?:re|er)|heart|edge|streets|(?:town|city)\s+hall|harbou?r)\s+of\s+)$",
    re.I)  # "In Tboung Khmum, ..." opens a sentence
# Discovery cues: the phrase after them is proposed as a place even when no source knows it (it then
# goes to the online geocoder, or to the review queue as unresolved).
STRONG_CUE_BEFORE = re.compile(
    r"(?:\b(?:near|outside|(?:border\s+)?(?:town|city|village|province|district|commune)\s+of)\s+(?:the\s+)?"
    r"|\b[Ii]n\s)$")
# A division named by its governor ("Tak governor Chucheep", "the governor of Tak")
#: The news agencies' abbreviations of the states of the United States ("Fresno, Calif."), read only
#: after a town and its comma: alone, "Pa.", "Mo." or "Wash." are not states.
STATE_ABBREVIATIONS = {
    "Ala": "Alabama", "Ariz": "Arizona", "Ark": "Arkansas", "Calif": "California", "Colo": "Colorado",
    "Conn": "Connecticut", "Del": "Delaware", "Fla": "Florida", "Ga": "Georgia", "Ill": "Illinois",
    "Ind": "Indiana", "Kan": "Kansas", "Ky": "Kentucky", "La": "Louisiana", "Md": "Maryland",
    "Mass": "Massachusetts", "Mich": "Michigan", "Minn": "Minnesota", "Miss": "Mississippi", "Mo": "Missouri",
    "Mont": "Montana", "Neb": "Nebraska", "Nev": "Nevada", "N.H": "New Hampshire", "N.J": "New Jersey",
    "N.M": "New Mexico", "N.Y": "New York", "N.C": "North Carolina", "N.D": "North Dakota", "Okla": "Oklahoma",
    "Ore": "Oregon", "Pa": "Pennsylvania", "R.I": "Rhode Island", "S.C": "South Carolina", "S.D": "South Dakota",
    "Tenn": "Tennessee", "Vt": "Vermont", "Va": "Virginia", "Wash": "Washington", "W.Va": "West Virginia",
    "Wis": "Wisconsin", "Wyo": "Wyoming",
}
_AFTER_A_TOWN = re.compile(r"[A-Z][\w'’.-]*, $")


def state_abbreviated(text: str, start: int, end: int) -> str:
    """The name to look the state up by that an abbreviation names after a town ("Fresno, Calif."),
    or "". It is the state's name with "State": the index's name of the state alone, never Georgia
    the country, Washington, D.C. or New York City."""
    written = text[start:end].rstrip(".")
    if written not in STATE_ABBREVIATIONS or text[end - 1:end + 1].count(".") != 1 \
            or not _AFTER_A_TOWN.search(text, max(0, start - 40), start):
        return ""
    return f"{STATE_ABBREVIATIONS[written]} State"


_GOVERNOR_AFTER = re.compile(r"\s+(?:provincial\s+|deputy\s+|vice\s+)?governor\b", re.I)
_DISTRICT_OF_IT = re.compile(r"[’']s\s+(?:[A-Z][\w'-]*\s+){1,3}(?:district|District|districts)\b")
_GOVERNOR_BEFORE = re.compile(r"\bgovernor\s+of\s+(?:the\s+)?$", re.I)
CUE_AFTER = re.compile(r"^(?:-based\b|\s+(?:[Pp]rovince|[Dd]istrict|[Cc]ommune|[Cc]ity|[Tt]own|"
                       r"[Vv]illage|[Bb]order\s+[Cc]rossing|[Ss]pecial\s+[Ee]conomic\s+[Zz]one)\b)")
STRONG_CUE_AFTER = re.compile(r"^\s+(?:[Pp]rovince|[Dd]istrict|[Cc]ommune|[Vv]illage|[Bb]order\s+[Cc]rossing|"
                              r"[Ss]pecial\s+[Ee]conomic\s+[Zz]one|[Cc]asino|SEZ)\b")

_ORGANISATION_WORDS = INSTITUTION_WORDS | COMPANY_WORDS | PUBLICATION_WORDS
# A body's head word and its "of" after a name: "Kennedy School of Government", "Illinois Department of
# Health". Such a name is a person's, or a town elsewhere, as often as the place it serves: only a
# country or a division is taken
_NAMED_FOR_BEFORE_OF = re.compile(r" [A-Z][\w'’-]* of\b")
_NUMBERED = re.compile(r" \d+\b(?![,.]?\d)")
_NICKNAME_BEFORE = re.compile(r"\b[A-Z][\w'’.-]* [\"“]$")
_NICKNAME_AFTER = re.compile(r"[\"”] [A-Z]")
# Where a word opens a sentence (a line, or after a full stop and its closing quote)
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’)]?\s+|\n\s*)$")
# An acronym: a town it names only as an alternate name is not taken (a country's, "UAE", is)
_ACRONYM = re.compile(r"^[A-Z]{2,5}$")
# A name followed by one of these words names a river, a sea, a mountain...: the offline index holds
# towns, provinces and countries, so its entry of that name is another place.
_FEATURE_AFTER = re.compile(r"\s+(?:[Rr]iver|[Ss]ea|[Ll]ake|[Mm]ountains?|[Ss]trait|[Bb]ay|[Gg]ulf|[Ii]slands?|"
                            r"[Pp]eninsula|[Dd]elta|[Vv]alley|[Cc]anal)\b")


# Combining marks belong to the letter before them: "Cafe" + U+0301 is one word, not "Cafe" and a stray
# mark (Python's \w does not match marks).
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = re.compile(rf"[^\W\d_](?:[\w{_MARKS}'’.&-]*[\w{_MARKS}.])?")
_CONNECTORS = {"of", "for", "and", "&", "de", "the"}
# Connectors through which a head word before a name governs it ("Ministry of Interior").
_GOVERNING_CONNECTORS = frozenset({"of", "for", "on"})


@dataclass(frozen=True)
class Phrase:
    """A run of capitalised words, joined by connectors such as "of" ("Ministry of Interior")."""

    start: int
    end: int
    words: tuple[tuple[int, int, str], ...]

    @cached_property
    def word_starts(self) -> list[int]:
        return [start for start, _, _ in self.words]

    @cached_property
    def word_ends(self) -> list[int]:
        return [end for _, end, _ in self.words]


@dataclass(frozen=True)
class Finding:
    """The finder's answer for one document: mentions, names seen inside institutions' names (an
    event's place when its sentence names no other), and names inside the names of publications and
    companies ("The Phnom Penh Post", "China Southern Airlines": exported, never an event's place)."""

    mentions: tuple[Mention, ...]
    embedded: tuple[Mention, ...]
    in_other_organisations: tuple[Mention, ...] = ()


class MentionFinder:
    """Finds place mentions in a document. Every step is linear (or n log n) in the length of a
    sentence and in the number of names it holds: news text is untrusted input, and a single line of
    thousands of names must not take hours."""

    def __init__(self, gazetteer: Gazetteer, geonames: GeoNamesIndex | None, stoplist: frozenset[str] = frozenset(),
                 recogniser: SpacyRecogniser | None = None):
        """``recogniser``: the optional statistical recogniser (``recognise.py``, ``--ner``)."""
        self.gazetteer = gazetteer
        self.geonames = geonames
        self.stoplist = stoplist
        self.recogniser = recogniser
        # the names that are never places are matched too: one takes its span from the gazetteer's
        # names inside it ("Latin America" is not America)
        self.matcher = NameMatcher([*gazetteer.names, *stoplist])

    def find(self, document: Document) -> Finding:
        mentions: list[Mention] = []
        embedded: list[Mention] = []
        in_other_organisations: list[Mention] = []
        lowercase_words = {w.lower() for w in re.findall(r"\b[a-z][a-z'-]+\b", document.text)}
        entities = self.recogniser.entities(document.text) if self.recogniser is not None else []
        entity_starts = [e.start for e in entities]  # in text order: a sentence's are found by bisection
        # names the index knows, passed over where they stand bare ("Galway said"), by surface: taken
        # after all if the document takes the same name as a place elsewhere ("in Galway")
        bare: list[tuple[Sentence, int, int, str | None]] = []
        # names taken only if a place the document names vouches for them: the recogniser's small
        # towns, and large islands standing bare
        awaiting: list[tuple[Sentence, int, int, str | None]] = []
        for sentence in document.sentences:
            phrases = capitalised_phrases(sentence)
            organisations = OrganisationNames(phrases)
            matches = self._gazetteer_matches(sentence)
            # a longer name of the index (no name here) is a place of the index; a name of the stop
            # list only takes its span
            spans = [(start, end, self.gazetteer.names[name] if name else ()) for start, end, name in matches
                     if not name or name in self.gazetteer.names]
            taken = TakenSpans([(start, end) for start, end, _ in matches])
            others, passed_over, wide = self._other_names(document, phrases, taken, lowercase_words, organisations)
            spans += [(start, end, ()) for start, end in others]
            bare += [(sentence, start, end, organisations.kind(start, end)) for start, end in passed_over]
            awaiting += [(sentence, start, end, organisations.kind(start, end)) for start, end in wide]
            if entities:
                within = entities[bisect_left(entity_starts, sentence.start):
                                  bisect_left(entity_starts, sentence.end)]
                recognised, small_towns = self._recognised(document, sentence, within, spans)
                spans += recognised
                awaiting += [(sentence, start, end, organisations.kind(start, end)) for start, end in small_towns]
            for start, end, ids in spans:
                self._file(self._mention(document, sentence, start, end, ids), organisations.kind(start, end),
                           mentions, embedded, in_other_organisations)
        if awaiting:
            vouched = self._vouched(document, mentions, awaiting)
            for sentence, start, end, organisation in awaiting:
                if (start, end) in vouched:
                    self._file(self._mention(document, sentence, start, end, ()), organisation,
                               mentions, embedded, in_other_organisations)
                else:
                    bare.append((sentence, start, end, organisation))
        if bare:
            # one sense per name in a document: a name taken as a place once is one wherever it stands
            text = document.text
            taken_names = {m.surface for m in mentions if not m.gazetteer_ids and (
                STRONG_CUE_BEFORE.search(text[max(0, m.start - 40):m.start])
                or STRONG_CUE_AFTER.match(text[m.end:m.end + 40]))}
            for sentence, start, end, organisation in bare:
                if document.text[start:end] in taken_names and not any(
                        m.start < end and start < m.end for m in mentions):
                    self._file(self._mention(document, sentence, start, end, ()), organisation,
                               mentions, embedded, in_other_organisations)
        for dateline in self._datelines(document):
            # a name read in capitals ("MAE SOT") is the dateline's, with the dateline's cue
            mentions = [m for m in mentions if not (m.start < dateline.end and dateline.start < m.end
                                                    and m.surface.isupper())]
            if not any(m.start < dateline.end and dateline.start < m.end
                       for m in (*mentions, *embedded, *in_other_organisations)):
                mentions.append(dateline)
        key = lambda m: (m.start, m.end)  # noqa: E731
        return Finding(tuple(sorted(mentions, key=key)), tuple(sorted(embedded, key=key)),
                       tuple(sorted(in_other_organisations, key=key)))

    @staticmethod
    def _file(mention: Mention, organisation: str | None, mentions: list, embedded: list, in_other: list) -> None:
        """A mention goes with the places, or, inside an organisation's name, with the institutions'
        places ("Sihanoukville Provincial Gendarmerie") or the other organisations'."""
        if organisation is None:
            mentions.append(mention)
        elif organisation == "institution":
            embedded.append(mention)
        else:
            in_other.append(mention)

    def _recognised(self, document: Document, sentence: Sentence, entities: list[Entity],
                    spans: list[tuple[int, int, tuple]]) -> tuple[list[tuple[int, int, tuple]], list[tuple[int, int]]]:
        """The recogniser's places starting in the sentence that no span holds yet and that the
        gazetteer or the index knows (a place nothing can resolve is not worth a mention); and apart,
        the spans of those the index knows only as small towns, standing bare.

        The model's tag says that a word is a place, not which: a bare name that is only a small
        town somewhere ("Norbury", "Centre", a university's "Notre Dame") is far more often another
        place, a person or a building than that town. It is passed over as the finder passes over
        such a name, and taken if the document takes it as a place elsewhere, with a place word."""
        found, small_towns = [], []
        for entity in entities:
            if entity.end > sentence.end:
                continue
            start, end = place_name(document.text, entity.start, entity.end)
            name = document.text[start:end]
            if end <= start or name in self.stoplist or any(s < end and start < e for s, e, _ in (*spans, *found)):
                continue
            ids = tuple(self.gazetteer.names.get(name, ()))
            if ids:
                found.append((start, end, ids))
            elif self.geonames is not None and name in self.geonames:
                if self._only_small_towns(name) and not _cue(document.text, start, end):
                    small_towns.append((start, end))
                else:
                    found.append((start, end, ids))
        return found, small_towns

    def _vouched(self, document: Document, mentions: list[Mention],
                 awaiting: list[tuple[Sentence, int, int, str | None]]) -> set[tuple[int, int]]:
        """The spans of the names awaiting evidence that a place the document names vouches for: a
        small town of the recogniser's with a namesake within ``NEIGHBOUR_KM`` of that place, or in
        a first-level division the document names ("Carpinteria" in a story about California); a
        large island standing bare with that place on it, or near ("Borneo" in a story about Sabah,
        not "Java" in one about programming). The places that vouch are the gazetteer's and those of
        the index the finder took (the largest of each name's namesakes): never another name that
        awaits, since two small towns among thousands of namesakes are neighbours somewhere by chance."""
        text = document.text
        neighbourhood = _Neighbourhood()
        divisions = set()
        for mention in mentions:
            ids = mention.gazetteer_ids
            if ids:
                for place in map(self.gazetteer.places.get, ids):
                    if place is not None:
                        neighbourhood.add(place.lat, place.lon)
            elif self.geonames is not None and mention.lookup_name in self.geonames:
                entries = self.geonames.lookup(mention.lookup_name)
                largest = max(entries, key=lambda g: g.population)
                neighbourhood.add(largest.lat, largest.lon)
                divisions.update(f"{g.country}.{g.admin1}" for g in entries if g.feature == "admin1")
        vouched, answers = set(), {}
        for _, start, end, _ in awaiting:
            name = text[start:end]
            if name not in answers:
                answers[name] = any(
                    neighbourhood.near(g.lat, g.lon, _wide_radius_km(g))
                    if g.feature in _WIDE_FEATURES and g.area_km2 >= settings.BARE_AREA_MIN_KM2
                    else neighbourhood.near(g.lat, g.lon, settings.NEIGHBOUR_KM) or f"{g.country}.{g.admin1}" in divisions
                    for g in self.geonames.lookup(name))
            if answers[name]:
                vouched.add((start, end))
        return vouched

    def _names_an_area(self, name: str) -> bool:
        """Whether the index knows ``name`` as a country or a first-level division."""
        return self.geonames is not None and any(g.feature in ("country", "admin1", "union", "continent")
                                                 for g in self.geonames.lookup(name))

    def _only_small_towns(self, name: str) -> bool:
        entries = self.geonames.lookup(name)
        return all(g.feature == "town" and g.population < settings.GEONAMES_BARE_NAME_MIN_POPULATION
                   for g in entries)

    def _datelines(self, document: Document) -> list[Mention]:
        """The places of the first all-caps dateline opening a line near the top ("MAE SOT, Thailand,
        Oct 27 (Reuters) -", "MYAWADDY/MAE SOT -", "PHNOM PENH —") that the gazetteer or GeoNames
        knows, in order: the first is the story's dateline."""
        for match in DATELINE.finditer(document.text, 0, min(len(document.text), DATELINE_SCAN_CHARS)):
            found = []
            country = self._country_code(match.group("country") or "")
            for part in re.finditer(_DATELINE_NAME, match.group("name")):
                start, end = match.start("name") + part.start(), match.start("name") + part.end()
                mention = self._dateline_mention(document, start, end, country)
                if mention is not None:
                    found.append(mention)
            if found:
                return found
        return []

    def _dateline_mention(self, document: Document, start: int, end: int, country: str = "") -> Mention | None:
        written = document.text[start:end]
        # an abbreviation is looked up as written ("US", not the French village of Us)
        name = written if written in self.gazetteer.names else _titled(written)
        ids = tuple(self.gazetteer.names.get(name, ()))
        if not ids and not (self.geonames is not None and name in self.geonames):
            return None
        if country and not ids and not any(g.country == country for g in self.geonames.lookup(name)):
            return None  # "CLARK, Philippines": not the Clark of New Jersey the index knows
        return self._dateline_at(document, start, end, written, ids, name)

    def _country_code(self, written: str) -> str:
        """The ISO code of a country named in a dateline ("Philippines", "Thailand"), or ""."""
        name = written.strip().rstrip(".")
        for place_id in self.gazetteer.names.get(name, ()):
            place = self.gazetteer.places.get(place_id)
            if place is not None and place.kind == "country":
                return place.country
        if self.geonames is not None and name:
            return next((g.country for g in self.geonames.lookup(name) if g.feature == "country"), "")
        return ""

    def _dateline_at(self, document: Document, start: int, end: int, written: str, ids: tuple,
                    name: str) -> Mention | None:
        sentence = next((s for s in document.sentences if s.start <= start < s.end), None)
        if sentence is None:
            return None
        return Mention(doc=document.name, start=start, end=end, surface=written, sentence_index=sentence.index,
                       gazetteer_ids=ids, cue="dateline", name=name)

    def _mention(self, document: Document, sentence: Sentence, start: int, end: int,
                 gazetteer_ids) -> Mention:
        text = document.text
        surface = text[start:end]
        name = ""
        if _GOVERNOR_AFTER.match(text, end) or _GOVERNOR_BEFORE.search(text, max(0, start - 20), start) \
                or _DISTRICT_OF_IT.match(text, end):
            # "Tak governor", "the governor of Tak": a governor governs a province, not its seat;
            # "Tak's Phop Phra district": a district is the province's
            name = next((f"{surface} {word}" for word in ("Province", "province", "State", "state")
                         if f"{surface} {word}" in self.gazetteer.names), "")
            if name:
                gazetteer_ids = self.gazetteer.names[name]
        if not name and not gazetteer_ids and (state := state_abbreviated(text, start, end)):
            name = state  # "Fresno, Calif.": looked up as "California State", the index's name of the state alone
        if not name and not gazetteer_ids and (titled := _read_in_capitals(surface)) != surface:
            name = titled  # "SAN DIEGO": looked up as "San Diego"
            gazetteer_ids = self.gazetteer.names.get(titled, ())
        return Mention(doc=document.name, start=start, end=end, surface=surface,
                       sentence_index=sentence.index, gazetteer_ids=tuple(gazetteer_ids),
                       cue=_cue(text, start, end), name=name)

    def _gazetteer_matches(self, sentence: Sentence) -> list[tuple[int, int, str]]:
        """The gazetteer's names (and the stop list's) in the sentence, each of them given up for
        a longer name of the index that ends with it and names a country, a continent, a division or
        a region ("South America", "South Africa", "Papua New Guinea": not America, Africa, Guinea)."""
        found: list[tuple[int, int, str]] = []
        for start, end, name in self.matcher.find(sentence.text, sentence.start):
            longer = self._longer_area_name(sentence, start, end)
            if longer is not None and (not found or found[-1][1] <= longer):  # never over the match before
                found.append((longer, end, ""))
            else:
                found.append((start, end, name))
        return found

    def _longer_area_name(self, sentence: Sentence, start: int, end: int) -> int | None:
        if self.geonames is None:
            return None
        # two words back at most: the search looks at a short stretch, not at the whole sentence from its
        # start for each name in it (quadratic in a line of thousands of names)
        at = start - sentence.start
        before = _WORDS_BEFORE.search(sentence.text, max(0, at - _WORDS_BEFORE_REACH), at)
        if before is None:
            return None
        for first in (before.start(1), before.start(2)):
            if first < 0:
                continue
            name = sentence.text[first:end - sentence.start]
            if name[0].isupper() and name in self.geonames and any(
                    g.feature in _AREA_FEATURES for g in self.geonames.lookup(name)):
                return sentence.start + first
        return None

    def _other_names(self, document: Document, phrases: Sequence[Phrase], taken: TakenSpans,
                     lowercase_words: set[str], organisations: "OrganisationNames") \
            -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
        """Spans of capitalised phrases that GeoNames knows (in a place-like context), or that a
        strong cue marks as a place even though no source knows them; the spans of names the index
        knows that were passed over only for standing bare (no place word, a small town); and those
        of large islands standing bare, taken if the document names a place on them."""
        text = document.text
        found, passed_over, wide = [], [], []
        for phrase in phrases:
            titled_from = _person_title_reach(text, phrase)
            if len(phrase.words) > 2 and all(w[2].isupper() for w in phrase.words):
                # a heading in capitals ("POLICE RAID HUB IN SAN DIEGO"): the names in it, longest first
                found += self._names_in_capitals(text, phrase.words, taken, lowercase_words)
                continue
            for words in _conjuncts(phrase):
                first_bare = None
                trimmed = _trim_name(words)
                seats = _seat_of_an_institution(trimmed)
                # the names an organisation's name opens with, but for those it sits in (read above)
                openings = [opening for opening in _opening_of_an_organisation(words, trimmed, organisations)
                            if opening not in seats]
                seats += openings
                for reading in [*self._readings(text, words, trimmed), *seats]:
                    start, end = reading[0][0], reading[-1][1]
                    if end - start < 2 or taken.overlaps(start, end) or start >= titled_from:
                        continue
                    if _NAMED_FOR_BEFORE_OF.match(text, end) and any(reading is o for o in openings) \
                            and not self._names_an_area(text[start:end]):
                        continue  # "the Kennedy School of Government": named for a person, or a town elsewhere
                    # the seat of "the Supreme People's Court" after "to the" is no place for its
                    # cue: the words before tell of the body; only a town large enough on its own is
                    verdict = self._is_other_place(text, start, end, reading, lowercase_words,
                                                   blind=any(reading is seat for seat in seats))
                    if verdict is True:
                        found.append((start, end))
                        break
                    if verdict == _WIDE:
                        wide.append((start, end))
                        break
                    if verdict == _BARE and first_bare is None:
                        first_bare = (start, end)
                else:
                    if first_bare is not None:
                        passed_over.append(first_bare)
        return found, passed_over, wide

    def _names_in_capitals(self, text: str, words, taken: TakenSpans, lowercase_words: set[str]) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        at = 0
        while at < len(words):
            for size in range(min(4, len(words) - at), 0, -1):
                span = words[at:at + size]
                start, end = span[0][0], span[-1][1]
                if not taken.overlaps(start, end) \
                        and self._is_other_place(text, start, end, span, lowercase_words) is True:
                    found.append((start, end))
                    at += size
                    break
            else:
                at += 1
        return found

    def _readings(self, text: str, words, trimmed):
        """The ways a capitalised phrase may name a place, most likely first: with a common first
        word when the whole is a name the index knows ("New York", "The Hague": not York, Hague);
        then without the words around the name ("The", "President", "of", "Though")."""
        if not trimmed:
            return []
        readings = []
        lead = words.index(trimmed[0])
        if self.geonames is not None and lead > 0 and words[lead - 1][2] in COMMON_CAPITALISED \
                and text[words[lead - 1][0]:trimmed[-1][1]] in self.geonames:
            readings.append([words[lead - 1], *trimmed])
        readings.append(trimmed)
        named = _facility_named_for(trimmed)
        if named:
            readings.append(named)  # "Entebbe International Airport": at Entebbe
        return readings

    def _is_other_place(self, text: str, start: int, end: int, words, lowercase_words: set[str],
                        blind: bool = False) -> bool | str:
        surface = text[start:end]
        if surface in self.stoplist or _FAMILY_AFTER.match(text, end):
            return False  # "the Bai, Wei and Liu families": surnames, not the towns of the index
        if state_abbreviated(text, start, end):
            return True
        if len(words) == 1 and surface.lower() in lowercase_words and _NUMBERED.match(text, end):
            return False  # "outside Casino 67", "Building 5": a common word numbered names a thing
        if _NICKNAME_AFTER.match(text, end) and _NICKNAME_BEFORE.search(text, max(0, start - 40), start):
            return False  # Governor Dennis "Delta" Pineda: a nickname between a given name and a surname
        cue = "" if blind else _cue(text, start, end)
        if cue == "-based" and _SENTENCE_START.search(text, max(0, start - 4), start):
            cue = ""  # "Faith-based groups", "Home-based workers": a capital that only opens a sentence
        strong = not blind and bool(STRONG_CUE_BEFORE.search(text[max(0, start - 40):start])
                                    or STRONG_CUE_AFTER.match(text[end:end + 40]))
        if strong and text[end:end + 2] in ("'s", "’s") and not STRONG_CUE_AFTER.match(text[end:end + 40]):
            strong = False  # "in Trump's policy": a possessor, most often a person or a body
        name = _read_in_capitals(surface)
        if name != surface and name in self.gazetteer.names:
            return True  # "NEW YORK", "PHNOM PENH" in a heading: the gazetteer's place
        if self.geonames is not None and name in self.geonames:
            if _FEATURE_AFTER.match(text, end):
                return False  # "the Sai river": not the town of Sai in Japan that the index holds
            return self._plausible_geoname(name, cue, len(words), lowercase_words)
        return strong and not any(w[2] in _ORGANISATION_WORDS for w in words)

    def _plausible_geoname(self, surface: str, cue: str, word_count: int, lowercase_words: set[str]) -> bool | str:
        if word_count == 1 and surface.lower() in lowercase_words and not cue:
            return False  # "Police" where the text also says "police": a word, not a town
        entries = self.geonames.lookup(surface)
        if _ACRONYM.match(surface) or len(surface) <= 2:
            # "KNU", "BGF", "VIP": GeoNames keeps airport and other codes as alternate names of towns
            # (Kanpur, Bangui, Payerne); in news such a word is an organisation's acronym. A word of
            # two letters is a town only by its main name: "Pa." is not Chongqing, whose old name it is
            entries = [g for g in entries if g.feature != "town" or g.name.upper() == surface.upper()]
            if not entries:
                return False
        largest = max(g.population for g in entries)
        if cue or (word_count >= 2 and any(g.feature in ("water", "region") for g in entries)):
            return True  # a cue, or a sea, lake or island of several words ("Lake Victoria"): no one lives there
        if largest >= settings.GEONAMES_BARE_NAME_MIN_POPULATION:
            return True
        if any(g.feature in _WIDE_FEATURES and g.area_km2 >= settings.BARE_AREA_MIN_KM2 for g in entries):
            return _WIDE  # "Borneo", "Luzon" named bare, as a country is: if the story is there
        return _BARE


#: The one or two capitalised words right before a name ("Papua New" of "Papua New Guinea"), each a
#: whole word (the stretch searched may start inside one)
_WORDS_BEFORE = re.compile(r"(?:(?<![\w'’-])([A-Z][\w'’-]*) )?(?<![\w'’-])([A-Z][\w'’-]*) $")
_WORDS_BEFORE_REACH = 60
#: Index features a longer name may stand for, taking the gazetteer's shorter name inside it
_AREA_FEATURES = frozenset({"country", "continent", "admin1", "region", "water", "union"})

#: What ``_is_other_place`` says of a name the index knows that stands bare and names no large town
_BARE = "bare"
#: ... and of a large island or sea standing bare: a place only if another place of the document is on it
_WIDE = "wide"
_WIDE_FEATURES = ("water", "region")


def _wide_radius_km(entry) -> float:
    """The radius of a circle of the feature's extent: a place that far from its point is on it."""
    return math.sqrt(entry.area_km2 / math.pi)


class _Neighbourhood:
    """Points on a grid of one-degree cells: "is a point within r km" asks the cells around, not
    every point (a document may name thousands of places)."""

    def __init__(self):
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = {}

    def add(self, lat: float, lon: float) -> None:
        self.cells.setdefault((math.floor(lat), math.floor(lon)), []).append((lat, lon))

    def near(self, lat: float, lon: float, km: float) -> bool:
        rows = math.ceil(km / 110.0)
        columns = min(180, math.ceil(km / max(1.0, 111.32 * math.cos(math.radians(min(89.0, abs(lat) + rows))))))
        row, column = math.floor(lat), math.floor(lon)
        return any(haversine_km(lat, lon, other_lat, other_lon) <= km
                   for r in range(row - rows, row + rows + 1)
                   for c in range(column - columns, column + columns + 1)
                   for other_lat, other_lon in self.cells.get((r, (c + 180) % 360 - 180), ()))


# a name in a list of surnames: "the Ming family", "the Bai, Wei and Liu families"
_FAMILY_AFTER = re.compile(r"(?:\s*,\s*[A-Z][\w'’-]*){0,8}(?:\s*,?\s*(?:and|or)\s+[A-Z][\w'’-]*)?\s+"
                           r"(?:famil(?:y|ies)|clans?|dynast(?:y|ies))\b")


class TakenSpans:
    """Spans already claimed by gazetteer names (sorted, not overlapping), asked about by bisection:
    checking each candidate against every claimed span was quadratic in the names of a sentence."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]

    def overlaps(self, start: int, end: int) -> bool:
        first_ending_after = bisect_right(self.ends, start)
        return first_ending_after < len(self.starts) and self.starts[first_ending_after] < end


@dataclass(frozen=True)
class _HeadReach:
    """Where the head words of one kind of organisation govern the words of one phrase.

    ``after[i]``: a head word at or after word i, with no "and" before it ("Cambodia China Times").
    ``before[i]``: a head word before word i, then "of"/"for"/"on", with no "and" since the head
    ("National University of Singapore"). One pass over the phrase each way answers every span in
    it at once; rescanning the phrase for each span was quadratic (cubic for the "before" rule)."""

    after: tuple[bool, ...]
    before: tuple[bool, ...]

    @classmethod
    def of(cls, words: tuple[tuple[int, int, str], ...], head_words: frozenset[str]) -> "_HeadReach":
        after = [False] * (len(words) + 1)
        for index in range(len(words) - 1, -1, -1):
            word = words[index][2]
            after[index] = word != "and" and (word in head_words or after[index + 1])
        before = [False]
        head_seen = governed = False
        for _, _, word in words:
            if word == "and":
                head_seen = governed = False
            elif head_seen and word in _GOVERNING_CONNECTORS:
                governed = True
            head_seen = head_seen or word in head_words
            before.append(governed)
        return cls(tuple(after), tuple(before))

    def governs(self, first: int, last: int) -> bool:
        """True when a head word governs words ``first`` to ``last`` (indices into the phrase)."""
        return self.after[last + 1] or self.before[first]


@dataclass
class OrganisationNames:
    """Which spans of a sentence lie inside the name of a publication, an institution or a company: a span is
    located in its phrase by bisection, and each phrase is analysed once, when first asked about."""

    phrases: Sequence[Phrase]
    _starts: list[int] = field(init=False)
    _reach: dict[tuple[int, str], _HeadReach] = field(init=False, default_factory=dict)

    def __post_init__(self):
        self._starts = [phrase.start for phrase in self.phrases]

    def kind(self, start: int, end: int) -> str | None:
        """"publication", "institution", "company", or None when the span is not inside an organisation's
        name."""
        located = self._locate(start, end)
        if located is None:
            return None
        index, first, last = located
        for kind, head_words in (("publication", PUBLICATION_WORDS), ("institution", INSTITUTION_WORDS),
                                 ("company", COMPANY_WORDS)):
            if self._head_reach(index, kind, head_words).governs(first, last):
                return kind
        return None

    def _locate(self, start: int, end: int) -> tuple[int, int, int] | None:
        """The phrase holding the span, and the first and last of its words inside the span."""
        index = bisect_right(self._starts, start) - 1
        if index < 0 or self.phrases[index].end < end:
            return None  # phrases do not overlap: only the last one starting at or before can hold it
        phrase = self.phrases[index]
        first = bisect_left(phrase.word_starts, start)
        last = bisect_right(phrase.word_ends, end) - 1
        return (index, first, last) if first <= last else None

    def _head_reach(self, index: int, kind: str, head_words: frozenset[str]) -> _HeadReach:
        if (index, kind) not in self._reach:
            self._reach[index, kind] = _HeadReach.of(self.phrases[index].words, head_words)
        return self._reach[index, kind]


def read_stoplist(gazetteer_dir: Path) -> frozenset[str]:
    """Names the editors say are never places (people, firms, outlets that look like towns), one per
    line in ``not_places.txt``; ``#`` starts a comment."""
    path = gazetteer_dir / STOPLIST_FILE
    if not path.exists():
        return frozenset()
    names = (line.split("#", 1)[0].strip() for line in read_editor_file(path).split("\n"))
    return frozenset(name for name in names if name)


def _conjuncts(phrase: Phrase):
    """The phrase cut at "and"/"&": "Myanmar and Laos" names two places, looked up one by one."""
    part: list[tuple[int, int, str]] = []
    for word in phrase.words:
        if word[2] in ("and", "&"):
            yield part
            part = []
        else:
            part.append(word)
    yield part


def _facility_named_for(words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The words before a facility's word ("Entebbe" of "Entebbe International Airport", "Mae Sot"
    of "Mae Sot Airport"): a facility named for its town is in it. Empty when there is none."""
    last = len(words)
    while last > 0 and words[last - 1][2] in _FACILITY_WORDS:
        last -= 1
    return list(words[:last]) if 0 < last < len(words) and words[last][2] in _FACILITY_HEADS else []


def _seat_of_an_institution(words: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """The names an institution's name may open with, longest first ("Shenzhen" of "Shenzhen
    Intermediate People's Court", "Pasig City" of "Pasig City Jail"), or that follow its "of" ("Hue
    City", then "Hue", of "the People's Court of Hue City"): where the body sits. A name found so is
    filed with the institution's places, which place an event only when its sentence names no
    place of its own, or when a court rules in it."""
    if len(words) < 2 or not _one_name(words):
        return []
    of = next((i for i in range(1, len(words) - 1) if words[i][2] == "of" and words[i - 1][2] in INSTITUTION_WORDS),
              None)
    if of is not None:
        # "the People's Court of Hue City": the place after the body's "of", with or without its
        # "City"
        seat = list(words[of + 1:])
        return [seat, seat[:-1]] if len(seat) > 1 and seat[-1][2] in _SEAT_WORDS else [seat]
    if words[-1][2] not in INSTITUTION_WORDS:
        return []
    return [list(words[:size]) for size in range(min(3, len(words) - 1), 0, -1)]


def _opening_of_an_organisation(words: list[tuple[int, int, str]], trimmed: list[tuple[int, int, str]],
                                organisations: "OrganisationNames") -> list[list[tuple[int, int, str]]]:
    """The names the name of a paper, a body or a company may open with, longest first ("New York"
    of "The New York Times", "Illinois" of "Illinois Department of Public Health"): a place named
    inside an organisation's name, filed with its places as the gazetteer's names are ("Phnom Penh
    Post"). A common word opens one only with the words after it: "New York", not the "Thai" of
    "Thai Airways" (GeoNames' alternate name of a Malaysian city)."""
    if len(trimmed) < 2 or not any(w[2] in _ORGANISATION_WORDS for w in trimmed[1:]) or not _one_name(words):
        return []  # no head word after a first word (most phrases): no organisation's name opens here
    lead = words.index(trimmed[0])
    common = [words[lead - 1]] if lead > 0 and words[lead - 1][2] in COMMON_CAPITALISED else []
    openings = [[*common, *trimmed[:size]] for size in range(min(3, len(trimmed) - 1), 0, -1) if common]
    openings += [list(trimmed[:size]) for size in range(min(3, len(trimmed) - 1), 0, -1)]
    return [opening for opening in openings if organisations.kind(opening[0][0], opening[-1][1]) is not None]


def _one_name(words: list[tuple[int, int, str]]) -> bool:
    """Whether the words are one name, one space apart ("People's" aside): not "JAKARTA - Police"."""
    return all(after[0] - before[1] <= (3 if before[2] == "People" else 1) for before, after in zip(words, words[1:]))


_SEAT_WORDS = frozenset({"City", "Province", "Municipality", "District", "Prefecture"})


_FACILITY_HEADS = frozenset({"Airport", "International", "Airbase", "Seaport", "Port"})
_FACILITY_WORDS = _FACILITY_HEADS | {"Terminal", "Airfield"}


def _trim_name(words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The words of a conjunct without the sentence-start words, titles and connectors around the
    name ("The", "President", "of"). Indices, not pop(0), keep a run of thousands of them linear."""
    first, last = 0, len(words)
    while first < last and (words[first][2] in COMMON_CAPITALISED or words[first][2] in PERSON_TITLES
                            or words[first][2].lower() in _CONNECTORS):
        first += 1
    while first < last and words[last - 1][2].lower() in _CONNECTORS:
        last -= 1
    return words[first:last]


@lru_cache(maxsize=1024)  # a sentence is read for places, then for actors: its phrases are made once
def capitalised_phrases(sentence: Sentence) -> tuple[Phrase, ...]:
    phrases: list[Phrase] = []
    current: list[tuple[int, int, str]] = []
    pending: list[tuple[int, int, str]] = []  # connectors waiting for a capitalised word
    last_end = None
    for match in _WORD.finditer(sentence.text):
        word = match.group()
        start, end = sentence.start + match.start(), sentence.start + match.end()
        gap = sentence.text[(last_end or 0) - sentence.start:match.start()] if last_end is not None else ""
        joined = last_end is not None and gap in (" ", "-", " - ", " – ")
        last_end = end
        if word[0].isupper() and (not current or joined) and not _closes_a_name(current[-1][2] if current else ""):
            current.extend(pending)
            pending = []
            current.append((start, end, word))
        elif current and joined and word in _CONNECTORS and not (word == "the" and
                                                                   (pending or current[-1][2] == "and")):
            pending.append((start, end, word))
        else:
            if current:
                phrases.append(_phrase(current))
            current, pending = ([(start, end, word)] if word[0].isupper() else []), []
    if current:
        phrases.append(_phrase(current))
    return tuple(phrases)


def _phrase(words: list[tuple[int, int, str]]) -> Phrase:
    fixed = []
    for start, _, word in words:
        bare = _strip_possessive(word)
        fixed.append((start, start + len(bare), bare))
    return Phrase(fixed[0][0], fixed[-1][1], tuple(fixed))


def _is_possessive(word: str) -> bool:
    """A possessive closes a name: "Canada's Federal Budget" is Canada and a budget."""
    return word.endswith(("'s", "’s"))


def _closes_a_name(word: str) -> bool:
    """A possessive closes a name, except inside the names of bodies of the people ("the Shenzhen
    Intermediate People's Court", "the Lao People's Revolutionary Party"), which go on; so does
    "X-based" ("the London-based Syrian Observatory": London, then the body's name)."""
    return _is_possessive(word) and word[:-2] != "People" or word.endswith("-based")


def _strip_possessive(word: str) -> str:
    """A word without its possessive, its full stop, or the "-based" of "a London-based charity"
    (which ``CUE_AFTER`` then reads as a place word)."""
    if word.endswith("-based") and len(word) > 7:
        return word[:-6]
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word.rstrip(".") if word.count(".") == 1 else word


def _person_title_reach(text: str, phrase: Phrase) -> float:
    """The offset from which names in the phrase follow a person's title ("President Hun Sen",
    "Mr. Xyzzy and ..."), so name a person: the phrase start when the word before the phrase is a
    title, else the end of the first title inside it; infinity when there is none. Worked out once
    per phrase: slicing from the phrase start for each name in it was quadratic."""
    before = text[max(0, phrase.start - 25):phrase.start].split()[-1:]
    if any(w.strip(".,") in PERSON_TITLES for w in before):
        return phrase.start
    for token in re.finditer(r"\S+", text[phrase.start:phrase.end]):
        if token.group().strip(".,") in PERSON_TITLES:
            return phrase.start + token.end()
    return math.inf


def _cue(text: str, start: int, end: int) -> str:
    before = CUE_BEFORE.search(text[max(0, start - 40):start])
    if before:
        return " ".join(before.group().split())
    after = CUE_AFTER.match(text[end:end + 40])
    if after:
        return " ".join(after.group().split())
    return ""
