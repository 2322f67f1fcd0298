"""What each place named in an event's sentence is to the event: where it happened, where its
people came from, where they were sent, or a government acting.

Only a ``where`` place may place an event. "Those detained came from China, Vietnam and Thailand"
names three origins of a raid in Laos; "sent back to South Korea" names the destination of a
deportation from Cambodia; "Chinese nationals" names an origin without naming a place at all. The
roles are read from the words before a name (and a few after it), and a name joined to the one
before it by a comma or "and" takes that one's role. Capitals named for their government ("Beijing
sent warships") are told apart by ``events`` itself, which knows the countries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from .records import Place, PlaceRole, Resolution, Sentence

# People moved: a "to" after one of these words names where they were taken.
_MOVED = (r"deport\w*|repatriat\w*|sent|send\w*|return\w*|flown|fl(?:y|ew|ying)|transferr?\w*|handed|hand(?:ing)? over|"
          r"extradit\w*|taken|took|brought|bring\w*|traffick\w*|lured|moved|escorted|bus(?:s)?ed|trucked|shipped|"
          r"evacuat\w*|transport\w*|releas\w*|expell?ed|removed|back|home|bound|headed|heading|travel\w*|"
          r"smuggl\w*|crossed|arriv\w*|waded|swam|walked|fled|escaped|ran|went|came|left|leaving|depart\w*|"
          r"flights?|planes?|charters?|chartered|buses|over")
_TO_AFTER_MOVE = re.compile(rf"\b(?:{_MOVED})\b(?:\W+\w+){{0,8}}?\W+(?:back\s+)?(?:to|into|for)\s+(?:the\s+)?"
                            r"(?:(?:[\w-]+\s+){0,2}?(?:town|city|capital|port|province|village)\s+of\s+)?$", re.I)
# "landed at Incheon", "arrived in Jakarta", "expected to land in Jakarta": where people were taken
_LANDED_AT = re.compile(r"\b(?:land(?:ed|s|ing)?|arriv(?:e|ed|es|ing)|touched down)\s+(?:at|in)\s+(?:the\s+)?$", re.I)
# Leaving a place where the event happened: "rescued from a compound in Myawaddy" is a rescue there;
# "flown home from Siem Reap", "deported from Mae Sot": a deportation leaves from where it happens
# (where the people came from is their nationality, or a "came from")
_FROM_THE_SCENE = re.compile(r"\b(?:rescu\w*|freed|free|escap\w*|fled|flee\w*|releas\w*|evacuat\w*|extract\w*|"
                             r"pulled|removed|raided|liberat\w*|broke out|ran|swam|jumped|"
                             r"deport\w*|repatriat\w*|flown|fl(?:y|ew|ying)|expell?ed)\b(?:\W+\w+){0,6}?\W+from\s+"
                             r"(?:the\s+)?$", re.I)
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$", re.I)
_OF_PEOPLE = re.compile(r"\b(?:nationals?|citizens?|natives?|passport\s+holders?)\s+(?:of|from)\s+(?:the\s+)?$", re.I)
_PEOPLE_AFTER = re.compile(r"^[’']?s?\s+(?:nationals|citizens)\b", re.I)
# "stopped 14 Indonesians from flying out to illegal jobs in Cambodia", "promised jobs in Cambodia",
# "recruited for work in Cambodia": where people were headed, not where they were stopped
_JOBS_IN = re.compile(r"\b(?:(?:jobs?|employment|positions|vacancies)(?:\s+(?!scams?\b)[\w-]+){0,4}?|for\s+(?:\w+\s+){0,2}?work)"
                      r"\s+(?:in|at)\s+(?:the\s+)?$", re.I)
# "Pham Thi Kim Anh, 21, of Long Khanh city", "Md Alif of Chattogram": where a person is from
_OF_A_PERSON = re.compile(r"(?:\b[A-Z][a-z]+|\b\d{1,3}),?\s+of\s+(?:the\s+)?$")
# "Uganda's ambassador to Thailand": whom an envoy is sent to, not where anything happened
_ENVOY_TO = re.compile(r"\b(?:ambassador|envoy|consul(?:-general)?|charg[ée] d'affaires)\s+to\s+(?:the\s+)?$", re.I)
# "cooperation with Beijing", "talks with Thailand": a partner, not a place where it happened
_PARTNER = re.compile(r"\b(?:with|between|against)\s+(?:the\s+)?$", re.I)
# "at Beijing's request", "on Washington's orders": whose will it was, not where it happened
_WHOSE_WILL = re.compile(r"^[’']s\s+(?:formal\s+|official\s+|urgent\s+|own\s+)?(?:request|behest|invitation|"
                         r"urging|demands?|insistence|orders?|initiative|instigation|instructions?)\b", re.I)
_WHERE_CUES = re.compile(r"^(?:in|near|outside|at|across|around|inside|into|via|dateline)\b", re.I)
# "Paranaque, Cavite and Pasay", "in Phnom Penh and the provinces of Kampong Speu, Pursat and ..."
_JOINED = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+(?:provinces?|states?|districts?|"
                     r"towns?|cities|regions?)\s+of\s+)?$")
# A place named by the place it is in: "Shanghai's Pudong airport", "Myanmar's Karen State"
_POSSESSIVE = re.compile(r"^[’']s\s+$")
# A state's officers after its name or its demonym ("Thai police", "Myanmar's border guards")
_OFFICER_BRANCH = r"(?:border\s+|immigration\s+|security\s+|military\s+)?"
_OFFICERS = r"authorities|police|forces|troops|army|soldiers|navy|officers|border guards|task force"
# a country's name before its officers ("Myanmar police", "Cambodia's army") names who acted
# a state's envoys, who act where they are sent ("China's ambassador met Sar Sokha")
_ENVOYS = r"ambassadors?|envoys?|embass(?:y|ies)|consul(?:ate)?s?|diplomats?|missions?"
_ITS_OFFICERS = re.compile(r"(?:[’']s)?\s+" + _OFFICER_BRANCH + r"(?:" + _OFFICERS + r")\b"
                           # "Myanmar's deputy home affairs minister": whose official
                           r"|[’']s\s+(?:[a-z][\w-]*\s+){0,3}?(?:minister|ministry|government|" + _ENVOYS
                           + r"|president|junta|officials?|spokes(?:man|woman|person)|governor|chief)\b")
_ITS_ENVOY = re.compile(r"[’']s\s+(?:[a-z][\w-]*\s+){0,2}?(?:" + _ENVOYS + r")\b")
_LOOK_BACK = 80  # characters before a name that are read for its role


def place_roles(text: str, sentence: Sentence, resolutions: Sequence[Resolution]) -> dict[int, PlaceRole | None]:
    """The role of each name in one sentence, by the name's start offset (None: the words say
    nothing, and the name may still be where it happened)."""
    roles: dict[int, PlaceRole | None] = {}
    previous: Resolution | None = None
    for resolution in sorted(resolutions, key=lambda r: r.mention.start):
        mention = resolution.mention
        role = _role(text, sentence, mention.start, mention.end, mention.cue)
        if previous is not None and role is None:
            between = text[previous.mention.end:mention.start]
            if _JOINED.match(between) or _POSSESSIVE.match(between):
                role = roles[previous.mention.start]  # "to Shanghai's Pudong airport": where Shanghai is
        if role is None and resolution.place is not None and resolution.place.kind == "country" \
                and names_its_officers(text, mention.end):
            role = "actor"  # "Myanmar police raided the company": who acted, not where
        roles[mention.start] = role
        previous = resolution
    return roles


def landed_at(text: str, sentence: Sentence, resolution: Resolution) -> bool:
    """Whether the name is where people landed or arrived ("landing at Entebbe International
    Airport", "arrived in Jakarta"), a place word or two before it allowed ("at the airport in Dhaka")."""
    start = resolution.mention.start
    before = text[max(sentence.start, start - _LOOK_BACK):start]
    return bool(_LANDED_AT.search(before) or _LANDED_NEAR.search(before))


# "landing at Hazrat Shahjalal International Airport in Dhaka"
_LANDED_NEAR = re.compile(r"\b(?:land(?:ed|s|ing)?|arriv(?:e|ed|es|ing)|touched down)\s+(?:at|in)\s+"
                          r"(?:[\w'-]+\s+){1,5}?(?:in|at)\s+(?:the\s+)?$", re.I)


def names_its_officers(text: str, end: int) -> bool:
    """Whether the country name ending at ``end`` is followed by its officers ("Singapore police")."""
    return bool(_ITS_OFFICERS.match(text, end))


def names_its_envoy(text: str, end: int) -> bool:
    """Whether the country name ending at ``end`` is followed by its envoy ("China's ambassador"),
    one of its officials who acts on another state's soil."""
    return bool(_ITS_ENVOY.match(text, end))


def listed_with(text: str, resolutions: Sequence[Resolution], chosen: Resolution) -> list[Resolution]:
    """The names of the list ``chosen`` is in ("in Paranaque, Cavite and Pasay City"), itself
    included, in order: names joined by commas and "and"/"or"."""
    ordered = sorted((r for r in resolutions if r.place is not None), key=lambda r: r.mention.start)
    if chosen not in ordered:
        return [chosen]
    at = ordered.index(chosen)
    first = last = at
    while first > 0 and _JOINED.match(text[ordered[first - 1].mention.end:ordered[first].mention.start]):
        first -= 1
    while last + 1 < len(ordered) and _JOINED.match(text[ordered[last].mention.end:ordered[last + 1].mention.start]):
        last += 1
    return ordered[first:last + 1]


def _role(text: str, sentence: Sentence, start: int, end: int, cue: str) -> PlaceRole | None:
    before = text[max(sentence.start, start - _LOOK_BACK):start]
    if _TO_AFTER_MOVE.search(before) or _LANDED_AT.search(before) or _JOBS_IN.search(before):
        return "destination"
    if _FROM.search(before):
        return "where" if _FROM_THE_SCENE.search(before) else "origin"
    if _OF_PEOPLE.search(before) or _PEOPLE_AFTER.match(text[end:end + 20]) or _OF_A_PERSON.search(before):
        return "origin"
    if _PARTNER.search(before) or _WHOSE_WILL.match(text[end:end + 30]) or _ENVOY_TO.search(before):
        return "actor"
    if cue and _WHERE_CUES.match(cue.strip()):
        return "where"
    return None


def finest_places(places: Sequence[Place]) -> tuple[Place, ...]:
    """The places, less any country that another place of the list lies in: people flown home "to
    China, to Nanjing" went to Nanjing."""
    inside = {p.country for p in places if p.kind != "country"}
    return tuple(p for p in places if not (p.kind == "country" and p.country in inside))


# --- nationalities ---------------------------------------------------------------------------------

#: Demonyms by ISO country code. A demonym before a word for people ("Chinese nationals",
#: "Indonesian workers") names where they came from; before anything else ("Chinese police", "the
#: Thai army") it names an actor, and is no origin.
DEMONYMS: Mapping[str, str] = {
    "American": "US", "Australian": "AU", "Bangladeshi": "BD", "Brazilian": "BR", "British": "GB",
    "Burmese": "MM", "Myanmar": "MM", "Cambodian": "KH", "Khmer": "KH", "Chinese": "CN", "Egyptian": "EG",
    "Ethiopian": "ET", "Filipino": "PH", "Filipina": "PH", "Georgian": "GE", "Ghanaian": "GH", "Indian": "IN",
    "Indonesian": "ID", "Japanese": "JP", "Kazakh": "KZ", "Kenyan": "KE", "Korean": "KR",
    "South Korean": "KR", "Kyrgyz": "KG", "Lao": "LA", "Laotian": "LA", "Malaysian": "MY",
    "Moroccan": "MA", "Nepali": "NP", "Nepalese": "NP", "Nigerian": "NG", "Pakistani": "PK",
    "Russian": "RU", "Singaporean": "SG", "Sri Lankan": "LK", "Taiwanese": "TW", "Thai": "TH",
    "Tunisian": "TN", "Turkish": "TR", "Ugandan": "UG", "Ukrainian": "UA", "Uzbek": "UZ",
    "Vietnamese": "VN",
}
_PEOPLE = (r"nationals?|citizens?|workers?|victims?|people|men|women|suspects?|employees?|tourists?|students?|"
           r"detainees?|migrants?|job[- ]?seekers?|teenagers?|youths?|survivors?|hostages?|labou?rers?|"
           r"captives?|returnees?|deportees?|fugitives?|nationals")
_DEMONYM_WORD = r"\b(?:" + "|".join(sorted(map(re.escape, DEMONYMS), key=len, reverse=True)) + r")\b"
# at most five more demonyms joined to the first ("Chinese, Vietnamese and Thai nationals"), matched
# without backtracking: a line of ten thousand "Chinese, " must stay linear
_DEMONYM = re.compile("(" + _DEMONYM_WORD + ")"
                      r"(?>(?:\s+(?:and|or)\s+\w+|,\s*\w+){0,5})(?>(?:\s+(?!(?:" + _PEOPLE + r")\b)[a-z][\w-]*){0,2})"
                      r"\s+(?:" + _PEOPLE + r")\b")


_INVARIANT = ("ese", "British", "Myanmar", "Lao", "Thai")  # "106 Chinese"; not "Chineses"
#: Plural nouns of nationality ("270 Indians", "Koreans were freed") name people, and so an origin.
_PLURALS = {name + "s": code for name, code in DEMONYMS.items() if not name.endswith(_INVARIANT)} | {"Thais": "TH"}
#: Words that name people of a nationality after a count: "270 Indians", "106 Chinese".
NATIONALITY_PLURALS: tuple[str, ...] = tuple(sorted(
    [*_PLURALS, *(n for n in DEMONYMS if n.endswith(_INVARIANT))], key=len, reverse=True))
_PLURAL = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _PLURALS), key=len, reverse=True)) + r")\b")
# "106 Chinese", "dozens of Vietnamese": an invariant demonym after a count is people too
_COUNTED = re.compile(r"(?<![\w,])(?:\d[\d,]{0,14}|dozens|hundreds|thousands|several|many)\s+(?:of\s+)?(?:more\s+)?"
                      r"(" + "|".join(sorted(map(re.escape, (n for n in DEMONYMS if n.endswith(_INVARIANT))),
                                             key=len, reverse=True)) + r")\b(?!\s+(?:police|army|embassy|"
                      r"government|authorities|officials|military|forces|troops|ministry|company|companies))")


# "most of them Chinese", "mostly Chinese": the people just counted
_MOST_OF_THEM = re.compile(r"\b(?:(?:most|many|some|all|half|several)\s+of\s+them|mostly|mainly|largely)\s+(?:were\s+)?("
                           + "|".join(sorted(map(re.escape, DEMONYMS), key=len, reverse=True)) + r")\b")
# a list of nationalities ("Vietnamese, Malaysians, Taiwanese, Indonesians and Rwandans"): when one
# of them is a plural, all of them name people
_ANY_DEMONYM = "|".join(sorted(map(re.escape, [*DEMONYMS, *_PLURALS]), key=len, reverse=True))
_DEMONYM_LIST = re.compile(rf"\b(?:{_ANY_DEMONYM})(?:(?:,\s*(?:and\s+)?|\s+and\s+)(?:{_ANY_DEMONYM})\b)+")
_LIST_ITEM = re.compile(rf"\b({_ANY_DEMONYM})\b")


@dataclass(frozen=True)
class Nationality:
    country: str  # ISO code
    start: int  # offsets in the document
    end: int


# "Thai immigration fined them", "Cambodian authorities handed 45 Vietnamese": a state's own
# officers acting, which they do on their own soil. Not when they only speak ("Vietnamese officials
# said"): a government reports what happened anywhere.
_ACTING = re.compile("(" + _DEMONYM_WORD + r")\s+" + _OFFICER_BRANCH + r"(?:" + _OFFICERS
                     + r"|officials|immigration|records|court|prosecutors|guards)\b(?!\s+(?:said|say|says|told|added|stated|"
                     r"announced|reported|spokesman|spokeswoman|spokesperson)\b)")


# The officers are the subject of a clause: at the start of the sentence or after a comma or a dash,
# not "handed over to Chinese police", "told Thai police", "Cambodian and Chinese police".
_SUBJECT_START = re.compile(r"(?:^|[,:;–—-]\s*|^\W*|\b(?:after|when|before|since|until|once|because|while|as)\s+)"
                            r"(?:the\s+)?$", re.I)


# "The Korean government imposed sanctions", "Britain's ... the British Treasury": a state's own
# body as the subject of a clause issues what the sentence reports (a sanction, a ban)
_ISSUING = re.compile("(" + _DEMONYM_WORD + r")\s+(?:government|cabinet|ministry|treasury|authorities|officials|"
                      r"administration|state department|foreign ministry|finance ministry)\b")


def issuing_state(sentence: Sentence) -> Nationality | None:
    """The state whose government is the subject of a clause of the sentence, if one is."""
    return _state_as_subject(_ISSUING, sentence)


def acting_state(sentence: Sentence) -> Nationality | None:
    """The state whose officers act in the sentence, as the subject of a clause, if one does, with
    the offsets of its demonym."""
    return _state_as_subject(_ACTING, sentence)


def _state_as_subject(pattern: re.Pattern, sentence: Sentence) -> Nationality | None:
    """The first state whose demonym (``pattern``'s first group) opens a clause's subject."""
    for match in pattern.finditer(sentence.text):
        if _SUBJECT_START.search(sentence.text[:match.start()]):
            return Nationality(DEMONYMS[match.group(1)], sentence.start + match.start(1),
                               sentence.start + match.end(1))
    return None


def nationalities(sentence: Sentence) -> list[Nationality]:
    """Demonyms naming where the people of a sentence came from: "Chinese and Vietnamese nationals"
    gives two."""
    found = []
    for match in _DEMONYM.finditer(sentence.text):
        span = match.group()
        for word in re.finditer(_DEMONYM_WORD, span):
            code = DEMONYMS[word.group()]
            found.append(Nationality(code, sentence.start + match.start() + word.start(),
                                     sentence.start + match.start() + word.end()))
    plurals = list(_PLURAL.finditer(sentence.text))
    for match in plurals:
        found.append(Nationality(_PLURALS[match.group()], sentence.start + match.start(), sentence.start + match.end()))
    for match in (*_COUNTED.finditer(sentence.text), *_MOST_OF_THEM.finditer(sentence.text)):
        found.append(Nationality(DEMONYMS[match.group(1)], sentence.start + match.start(1),
                                 sentence.start + match.end(1)))
    for listed in _DEMONYM_LIST.finditer(sentence.text) if plurals else ():
        items = list(_LIST_ITEM.finditer(listed.group()))
        if any(item.group(1) in _PLURALS for item in items):
            for item in items:
                word = item.group(1)
                found.append(Nationality(_PLURALS.get(word) or DEMONYMS[word],
                                         sentence.start + listed.start() + item.start(1),
                                         sentence.start + listed.start() + item.end(1)))
    return sorted(set(found), key=lambda n: n.start)


def origin_countries(sentence: Sentence, countries: Mapping[str, Place]) -> list[Place]:
    """The country places of the nationalities in a sentence, in order, each once."""
    places: dict[str, Place] = {}
    for nationality in nationalities(sentence):
        place = countries.get(nationality.country)
        if place is not None:
            places.setdefault(place.id, place)
    return list(places.values())
