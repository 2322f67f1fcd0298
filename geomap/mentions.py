"""Finding place names in text.

Two sources of names: every name and alias of the editors' gazetteer, matched at once (see
``matching``: case-sensitive, whole words, longest match wins); and capitalised phrases
that the offline GeoNames index knows, accepted when the context makes a place likely. Names that
sit inside the name of an organisation or a publication ("Cambodia China Times", "National
University of Singapore") are not place mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .documents import read_text
from .gazetteer.geonames import GeoNamesIndex
from .gazetteer.table import Gazetteer
from .matching import NameMatcher
from .records import Document, Mention, Sentence
from . import settings

# Last words of publication names: a place inside one is never where something happened.
PUBLICATION_WORDS = frozenset("""
Times Post Herald Journal News Press Tribune Daily Sentinel Diplomat Gazette Chronicle Telegraph
Guardian Mail Magazine Review Radio TV Television Broadcasting Reporter Observer Insider Today Weekly
Standard Star Inquirer Nation Globe Independent Express Monitor Agency Agence Wire
""".split())

# Words that make a capitalised phrase the name of an institution.
INSTITUTION_WORDS = frozenset("""
University College School Institute Institution Embassy Consulate Ministry Department Chamber Commerce
Group Holding Holdings Bank Forum Program Programme Center Centre Party Council Commission Committee
Company Corporation Court Association Foundation Initiative Watch Gendarmerie Police Army Navy Force
Forces Office Authority Airlines Airways Club Federation Union Organization Organisation Agency Bureau
Service Services Administration Parliament Assembly Senate Congress Treasury Network Fund Trust Studies
Affairs Secretary Minister Ambassador Commissariat Exchange Industries Enterprises Inc Ltd Co Company
""".split())

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
""".split()) | frozenset("""
American British Burmese Cambodian Chinese Dutch English European Filipino French German Indian
Indonesian Japanese Khmer Korean Lao Laotian Malay Malaysian Russian Singaporean Spanish Taiwanese
Thai Vietnamese Pakistani Australian Canadian African Asian Arab Western Eastern Southern Northern
""".split())  # demonyms: "Thai nationals" names people, not Thailand

# Words right before a name that make it a place ("in Sihanoukville", "near the border town of X").
CUE_BEFORE = re.compile(
    r"(?:\b(?:in|near|outside|at|from|to|into|across|around|toward|towards|via|inside)\s+(?:the\s+)?"
    r"|\b(?:town|city|village|province|district|commune|capital|port|border\s+town|region|state)\s+of\s+(?:the\s+)?)$")
# Discovery cues: the phrase after them is proposed as a place even when no source knows it (it then
# goes to the online geocoder, or to the review queue as unresolved).
STRONG_CUE_BEFORE = re.compile(
    r"(?:\b(?:near|outside|(?:border\s+)?(?:town|city|village|province|district|commune)\s+of)\s+(?:the\s+)?"
    r"|\b[Ii]n\s)$")
CUE_AFTER = re.compile(r"^(?:-based\b|\s+(?:[Pp]rovince|[Dd]istrict|[Cc]ommune|[Cc]ity|[Tt]own|"
                       r"[Vv]illage|[Bb]order\s+[Cc]rossing|[Ss]pecial\s+[Ee]conomic\s+[Zz]one)\b)")
STRONG_CUE_AFTER = re.compile(r"^\s+(?:[Pp]rovince|[Dd]istrict|[Cc]ommune|[Vv]illage|[Bb]order\s+[Cc]rossing|"
                              r"[Ss]pecial\s+[Ee]conomic\s+[Zz]one|[Cc]asino|SEZ)\b")

STOPLIST_FILE = "not_places.txt"

_WORD = re.compile(r"[^\W\d_](?:[\w'’.&-]*[\w.])?")
_CONNECTORS = {"of", "for", "and", "&", "de", "the"}


@dataclass(frozen=True)
class Phrase:
    """A run of capitalised words, joined by connectors such as "of" ("Ministry of Interior")."""

    start: int
    end: int
    words: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True)
class Finding:
    """The finder's answer for one document: mentions, and names seen inside organisation names."""

    mentions: tuple[Mention, ...]
    embedded: tuple[Mention, ...]


class MentionFinder:
    def __init__(self, gazetteer: Gazetteer, geonames: GeoNamesIndex | None, stoplist: frozenset[str] = frozenset()):
        self.gazetteer = gazetteer
        self.geonames = geonames
        self.stoplist = stoplist
        self.matcher = NameMatcher(gazetteer.names)

    def find(self, document: Document) -> Finding:
        mentions: list[Mention] = []
        embedded: list[Mention] = []
        lowercase_words = {w.lower() for w in re.findall(r"\b[a-z][a-z'-]+\b", document.text)}
        for sentence in document.sentences:
            phrases = capitalised_phrases(sentence)
            spans = [(start, end, self.gazetteer.names[name])
                     for start, end, name in self._gazetteer_matches(sentence)]
            taken = [(start, end) for start, end, _ in spans]
            spans += [(start, end, ()) for start, end in
                      self._other_names(document, sentence, phrases, taken, lowercase_words)]
            for start, end, ids in spans:
                mention = self._mention(document, sentence, start, end, ids)
                organisation = _organisation_kind(phrases, start, end)
                if organisation is None:
                    mentions.append(mention)
                elif organisation == "institution":
                    embedded.append(mention)
        key = lambda m: (m.start, m.end)  # noqa: E731
        return Finding(tuple(sorted(mentions, key=key)), tuple(sorted(embedded, key=key)))

    def _mention(self, document: Document, sentence: Sentence, start: int, end: int,
                 gazetteer_ids) -> Mention:
        text = document.text
        return Mention(doc=document.doc, start=start, end=end, surface=text[start:end],
                       sentence_index=sentence.index, gazetteer_ids=tuple(gazetteer_ids),
                       cue=_cue(text, start, end))

    def _gazetteer_matches(self, sentence: Sentence) -> list[tuple[int, int, str]]:
        return self.matcher.find(sentence.text, sentence.start)

    def _other_names(self, document: Document, sentence: Sentence, phrases: list[Phrase],
                     taken: list[tuple[int, int]], lowercase_words: set[str]) -> list[tuple[int, int]]:
        """Spans of capitalised phrases that GeoNames knows (in a place-like context), or that a
        strong cue marks as a place even though no source knows them."""
        text = document.text
        found = []
        for phrase, words in _conjuncts(phrases):
            while words and (words[0][2] in COMMON_CAPITALISED or words[0][2] in PERSON_TITLES
                             or words[0][2].lower() in _CONNECTORS):
                words.pop(0)
            while words and words[-1][2].lower() in _CONNECTORS:
                words.pop()
            if not words:
                continue
            start, end = words[0][0], words[-1][1]
            if end - start < 2 or any(s < end and start < e for s, e in taken):
                continue
            if _after_person_title(text, phrase.start, words[0][0]):
                continue
            surface = text[start:end]
            if surface in self.stoplist:
                continue
            cue = _cue(text, start, end)
            strong = bool(STRONG_CUE_BEFORE.search(text[max(0, start - 40):start])
                          or STRONG_CUE_AFTER.match(text[end:end + 40]))
            if strong and text[end:end + 2] in ("'s", "’s") and not STRONG_CUE_AFTER.match(text[end:end + 40]):
                strong = False  # "in Trump's policy": a possessor, most often a person or a body
            if self.geonames is not None and surface in self.geonames:
                if self._plausible_geoname(surface, cue, len(words), lowercase_words):
                    found.append((start, end))
            elif strong and not any(w[2] in INSTITUTION_WORDS | PUBLICATION_WORDS for w in words):
                found.append((start, end))
        return found

    def _plausible_geoname(self, surface: str, cue: str, word_count: int, lowercase_words: set[str]) -> bool:
        if word_count == 1 and surface.lower() in lowercase_words and not cue:
            return False  # "Police" where the text also says "police": a word, not a town
        largest = max(g.population for g in self.geonames.lookup(surface))
        if cue:
            return True
        return largest >= settings.GEONAMES_BARE_NAME_MIN_POPULATION


def read_stoplist(gazetteer_dir: Path) -> frozenset[str]:
    """Names the editors say are never places (people, firms, outlets that look like towns), one per
    line in ``not_places.txt``; ``#`` starts a comment."""
    path = gazetteer_dir / STOPLIST_FILE
    if not path.exists():
        return frozenset()
    names = (line.split("#", 1)[0].strip() for line in read_text(path).split("\n"))
    return frozenset(name for name in names if name)


def _conjuncts(phrases: list[Phrase]):
    """Each phrase cut at "and"/"&": "Myanmar and Laos" names two places, looked up one by one."""
    for phrase in phrases:
        part: list[tuple[int, int, str]] = []
        for word in phrase.words:
            if word[2] in ("and", "&"):
                yield phrase, part
                part = []
            else:
                part.append(word)
        yield phrase, part


def capitalised_phrases(sentence: Sentence) -> list[Phrase]:
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
        if word[0].isupper() and (not current or joined) and not _is_possessive(current[-1][2] if current else ""):
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
    return phrases


def _phrase(words: list[tuple[int, int, str]]) -> Phrase:
    fixed = []
    for start, _, word in words:
        bare = _strip_possessive(word)
        fixed.append((start, start + len(bare), bare))
    return Phrase(fixed[0][0], fixed[-1][1], tuple(fixed))


def _is_possessive(word: str) -> bool:
    """A possessive closes a name: "Canada's Federal Budget" is Canada and a budget."""
    return word.endswith(("'s", "’s"))


def _strip_possessive(word: str) -> str:
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word.rstrip(".") if word.count(".") == 1 else word


def _inside_organisation(phrases: list[Phrase], start: int, end: int, head_words: frozenset) -> bool:
    """True when the span is part of a capitalised phrase that names an organisation: a head word
    follows it in the phrase ("Cambodia China Times"), or precedes it through "of"/"for"/"on"
    ("National University of Singapore", "Ministry of Interior")."""
    for phrase in phrases:
        if not (phrase.start <= start and end <= phrase.end):
            continue
        words = phrase.words
        inside = [i for i, w in enumerate(words) if start <= w[0] and w[1] <= end]
        if not inside:
            continue
        first, last = inside[0], inside[-1]
        for word in words[last + 1:]:
            if word[2] == "and":
                break
            if word[2] in head_words:
                return True
        for index in range(first - 1, -1, -1):
            word = words[index][2]
            if word == "and":
                break
            if word in head_words and any(w[2] in ("of", "for", "on") for w in words[index + 1:first]):
                return True
    return False


def _organisation_kind(phrases: list[Phrase], start: int, end: int) -> str | None:
    if _inside_organisation(phrases, start, end, PUBLICATION_WORDS):
        return "publication"
    if _inside_organisation(phrases, start, end, INSTITUTION_WORDS):
        return "institution"
    return None


def _after_person_title(text: str, phrase_start: int, name_start: int) -> bool:
    before = text[phrase_start:name_start].split() + text[max(0, phrase_start - 25):phrase_start].split()[-1:]
    return any(w.strip(".,") in PERSON_TITLES for w in before)


def _cue(text: str, start: int, end: int) -> str:
    before = CUE_BEFORE.search(text[max(0, start - 40):start])
    if before:
        return " ".join(before.group().split())
    after = CUE_AFTER.match(text[end:end + 40])
    if after:
        return " ".join(after.group().split())
    return ""
