"""Actors of an event: the people and organisations its sentence names.

Two sources: the editors' ``gazetteer/actors.csv`` (known actors with their aliases, matched like
place names), and a simple recogniser for the others: a name after a title ("Prime Minister Hun
Manet", "Mr Nirmal Ghosh") is a person, a capitalised phrase ending in an institution word ("Human
Rights Watch" is known, "Sihanoukville Provincial Gendarmerie" is recognised) is an organisation.
"""

from __future__ import annotations

import difflib
import re

from dataclasses import dataclass
from pathlib import Path

from .errors import GazetteerProblems
from .gazetteer.check import iso_country_codes
from .tables import Problem, read_table
from .matching import NameMatcher
from .mentions import BODY_WORDS, COMMON_CAPITALISED, PERSON_TITLES, capitalised_phrases
from .records import Sentence
from .settings import ACTORS_FILE

ACTOR_COLUMNS = ("id", "name", "aliases", "kind", "country", "notes")

# Title words that may run together before a name ("Deputy Prime Minister Tea Seiha").
_TITLE_WORDS = PERSON_TITLES | {"Deputy", "Prime", "Vice", "Assistant", "Brigadier", "Chief", "Foreign",
                                "Interior", "Defence", "Defense", "State", "War", "of", "for", "Senior",
                                "Provincial", "Fellow", "Associate"}


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    country: str = ""
    aliases: tuple[str, ...] = ()


#: Kinds of actors that act for their country's state
STATE_KINDS = frozenset({"government", "police", "military"})
#: The kinds an actor may have: the states' (which act for their country), the media's (a news outlet
#: telling the story is no actor of it) and the rest, which only name who acted
ACTOR_KINDS = STATE_KINDS | frozenset({"media", "person", "company", "ngo", "international", "political_party",
                                      "business_association", "armed_group", "court", "other"})


class ActorFinder:
    def __init__(self, actors: list[Actor]):
        self.actors = {a.id: a for a in actors}
        self.by_name = {}
        for actor in actors:
            for name in (actor.name, *actor.aliases):
                self.by_name.setdefault(name, actor)
        self.matcher = NameMatcher(self.by_name)

    def country_of(self, name: str) -> str:
        """The country (ISO code) a known actor belongs to, "" when unknown or international."""
        actor = self.by_name.get(name)
        return actor.country if actor else ""

    def state_of(self, name: str) -> str:
        """The country of a known actor that acts for a state (a government body, a police force),
        "" for anyone else: a tycoon or a company is a sanction's target, not its issuer."""
        actor = self.by_name.get(name)
        return actor.country if actor and actor.kind in STATE_KINDS else ""

    def find(self, sentence: Sentence, place_names: frozenset[str] = frozenset()) -> list[str]:
        """Names of the sentence's actors, known ones by their canonical name, in text order."""
        found: list[tuple[int, str]] = []
        taken: list[tuple[int, int]] = []
        for start, end, name in self.matcher.find(sentence.text):
            taken.append((start, end))
            if self.by_name[name].kind == "media" and _names_the_source(sentence.text, start, end):
                continue  # the source of the story, not an actor in it
            found.append((start, self.by_name[name].name))
        for phrase in capitalised_phrases(sentence):  # the finder's, made once (offsets in the document)
            start, end = phrase.start - sentence.start, phrase.end - sentence.start
            if any(s < end and start < e for s, e in taken):
                continue
            actor = _recognise(list(phrase.words), place_names)
            if actor:
                found.append((start, actor))
        names = []
        for _, name in sorted(found):
            if name not in names:
                names.append(name)
        return names


_ATTRIBUTION_BEFORE = re.compile(r"(?:\(\s*|\b(?:told|according to|(?:spoke|speaking|talking|said|says|wrote|writing)\s+to|"
                                 r"(?:reported|quoted|cited|interviewed|contacted)\s+by|an interview with)\s+(?:the\s+)?)$",
                                 re.I)
_ATTRIBUTION_AFTER = re.compile(r"^(?:\s*\)|['’]s\s+(?:report|reporting|analysis|review|investigation)|\s+(?:reported|"
                                r"reports|said|says|reviewed|saw|obtained|understands|learned|contacted|spoke|"
                                r"(?:was|were|is|has\s+been)\s+(?:not\s+able|unable)|could\s+not|cannot))\b", re.I)


def _names_the_source(text: str, start: int, end: int) -> bool:
    """Whether a news outlet is named as the one telling the story ("(Reuters) -", "told Reuters",
    "Reuters could not confirm"), not as a party to it ("the government closed VOD")."""
    return bool(_ATTRIBUTION_BEFORE.search(text[max(0, start - 30):start]) or _ATTRIBUTION_AFTER.match(text[end:end + 40]))


def _recognise(words, place_names: frozenset[str]) -> str:
    texts = [w[2] for w in words]
    while texts and texts[-1] in ("of", "for", "and", "the", "&"):
        texts.pop()
    if len(texts) < 2:
        return ""
    if texts[-1] in BODY_WORDS and texts[0] not in COMMON_CAPITALISED:
        return " ".join(texts)
    titles = 0
    while titles < len(texts) and texts[titles] in _TITLE_WORDS:
        titles += 1
    person = texts[titles:]
    if titles and 1 <= len(person) <= 3 and " ".join(person) not in place_names \
            and not any(w in BODY_WORDS or w in COMMON_CAPITALISED for w in person):
        return " ".join(person)
    return ""


def check_actors(path: Path) -> tuple[list[Actor], list[Problem]]:
    """The actors file's rows as Actors, and its problems (FILE:LINE: column C: message)."""
    table = read_table(path, ACTOR_COLUMNS, ())
    problems = list(table.problems)
    actors, first_line = [], {}
    for row in table.rows:
        values, shown = row.values, str(path)
        empty = [c for c in ("id", "name", "kind") if not values[c]]
        problems += [Problem(shown, row.line, c, "empty", "a value is required") for c in empty]
        if values["kind"] and values["kind"] not in ACTOR_KINDS:
            # an error only where it looks like a kind that changes how events are read ("goverment":
            # a state's officers act for their country); any other kind only names who acted
            meant = difflib.get_close_matches(values["kind"].lower(), sorted(STATE_KINDS | {"media"}), 1, 0.85)
            problems.append(Problem(shown, row.line, "kind", f"unknown kind '{values['kind']}'"
                                    + (f", like '{meant[0]}'" if meant else ""),
                                    "one of " + ", ".join(sorted(ACTOR_KINDS)), "error" if meant else "warning"))
        if values["country"] and values["country"] not in iso_country_codes():
            problems.append(Problem(shown, row.line, "country", f"'{values['country']}' is not an ISO 3166-1 "
                                    "alpha-2 code", "two capital letters such as KH, TH, US; empty for none"))
        if values["id"] in first_line:
            problems.append(Problem(shown, row.line, "id", f"duplicate id '{values['id']}'",
                                    f"ids are unique; first used on line {first_line[values['id']]}"))
        elif not empty:
            first_line[values["id"]] = row.line
            aliases = tuple(a.strip() for a in values["aliases"].split("|") if a.strip())
            actors.append(Actor(values["id"], values["name"], values["kind"], values["country"], aliases))
    return actors, sorted(problems, key=lambda p: (p.line, p.column, p.message))  # in the order of the file


def load_actors(gazetteer_dir: Path) -> list[Actor]:
    """The editors' known actors; raises GazetteerProblems listing every error, if any."""
    path = gazetteer_dir / ACTORS_FILE
    if not path.exists():
        return []
    actors, problems = check_actors(path)
    if any(p.is_error for p in problems):
        raise GazetteerProblems(problems)
    return actors
