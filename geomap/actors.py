"""Actors of an event: the people and organisations its sentence names.

Two sources: the editors' ``gazetteer/actors.csv`` (known actors with their aliases, matched like
place names), and a simple recogniser for the others: a name after a title ("Prime Minister Hun
Manet", "Mr Nirmal Ghosh") is a person, a capitalised phrase ending in an institution word ("Human
Rights Watch" is known, "Sihanoukville Provincial Gendarmerie" is recognised) is an organisation.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .documents import read_text
from .errors import GazetteerProblems, InputError
from .gazetteer.check import Problem
from .matching import NameMatcher
from .mentions import COMMON_CAPITALISED, INSTITUTION_WORDS, PERSON_TITLES, capitalised_phrases
from .records import Sentence

ACTORS_FILE = "actors.csv"
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


class ActorFinder:
    def __init__(self, actors: list[Actor]):
        self.actors = {a.id: a for a in actors}
        self.by_name = {}
        for actor in actors:
            for name in (actor.name, *actor.aliases):
                self.by_name.setdefault(name, actor)
        self.matcher = NameMatcher(self.by_name)

    def find(self, sentence: Sentence, place_names: frozenset[str] = frozenset()) -> list[str]:
        """Names of the sentence's actors, known ones by their canonical name, in text order."""
        found: list[tuple[int, str]] = []
        taken: list[tuple[int, int]] = []
        for start, end, name in self.matcher.find(sentence.text):
            found.append((start, self.by_name[name].name))
            taken.append((start, end))
        for phrase in capitalised_phrases(Sentence(sentence.index, 0, len(sentence.text), sentence.text)):
            words = list(phrase.words)
            if any(s < phrase.end and phrase.start < e for s, e in taken):
                continue
            actor = _recognise(words, place_names)
            if actor:
                found.append((phrase.start, actor))
        names = []
        for _, name in sorted(found):
            if name not in names:
                names.append(name)
        return names


def _recognise(words, place_names: frozenset[str]) -> str:
    texts = [w[2] for w in words]
    while texts and texts[-1] in ("of", "for", "and", "the", "&"):
        texts.pop()
    if len(texts) < 2:
        return ""
    if texts[-1] in INSTITUTION_WORDS and texts[0] not in COMMON_CAPITALISED:
        return " ".join(texts)
    titles = 0
    while titles < len(texts) and texts[titles] in _TITLE_WORDS:
        titles += 1
    person = texts[titles:]
    if titles and 1 <= len(person) <= 3 and " ".join(person) not in place_names \
            and not any(w in INSTITUTION_WORDS or w in COMMON_CAPITALISED for w in person):
        return " ".join(person)
    return ""


def check_actors(path: Path) -> tuple[list[Actor], list[Problem]]:
    """The actors file read line by line (with the lines each record starts on), and its problems."""
    shown = str(path)
    try:
        text = read_text(path)
    except InputError as error:
        return [], [Problem(shown, error.line or 1, "", error.message)]
    reader = csv.reader(io.StringIO(text))
    header = [c.strip() for c in next(reader, [])]
    problems = [Problem(shown, 1, column, "missing column", "header: " + ",".join(ACTOR_COLUMNS))
                for column in ACTOR_COLUMNS if column not in header]
    if problems:
        return [], problems
    actors, first_line = [], {}
    line = reader.line_num + 1
    try:
        for record in reader:
            if any(field.strip() for field in record):
                if len(record) != len(header):
                    problems.append(Problem(shown, line, "", f"{len(record)} fields",
                                            f"{len(header)}, one per header column; quote fields holding commas"))
                else:
                    row = {c: v.strip() for c, v in zip(header, record)}
                    for column in ("id", "name", "kind"):
                        if not row[column]:
                            problems.append(Problem(shown, line, column, "empty", "a value is required"))
                    if row["id"] in first_line:
                        problems.append(Problem(shown, line, "id", f"duplicate id '{row['id']}'",
                                                f"ids are unique; first used on line {first_line[row['id']]}"))
                    elif row["id"] and row["name"] and row["kind"]:
                        first_line[row["id"]] = line
                        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
                        actors.append(Actor(row["id"], row["name"], row["kind"], row["country"], aliases))
            line = reader.line_num + 1
    except csv.Error as error:
        problems.append(Problem(shown, reader.line_num, "", f"cannot be read as CSV: {error}"))
    return actors, problems


def load_actors(gazetteer_dir: Path) -> list[Actor]:
    """The editors' known actors; raises GazetteerProblems listing every error, if any."""
    path = gazetteer_dir / ACTORS_FILE
    if not path.exists():
        return []
    actors, problems = check_actors(path)
    if problems:
        raise GazetteerProblems(problems)
    return actors
