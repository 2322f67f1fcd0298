"""Nationality words as mentions of their country: "Chinese police", "the Thai army", "270 Indians".

A demonym is no place on the map, but it names a country, and geoparsing benchmarks count it as a
toponym of that country. geomap exports each as a row of mentions.csv (``mention`` = ``demonym``),
resolved to the gazetteer's row of the country, else to the offline GeoNames index's country; it is
never drawn and never places an event (``roles`` reads nationalities for the events' origins).

The words come from the ``countryinfo`` package's data (one demonym per country, MIT licence), with
``roles.DEMONYMS`` (the words the news of this region uses: "Khmer", "Burmese", "Filipina")
taking precedence; a word that countryinfo gives several countries ("Dominican", "Congolese") is
kept only for the most populous of them when it has at least ten times the people of the next
("Chinese": China, not Macau), else left out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Mapping, Sequence

from .gazetteer.country_facts import country_facts
from .records import Document, Mention, Place, Resolution, Sentence
from .roles import DEMONYMS

# Words whose plural is the same word ("two Chinese", "the Swiss")
_INVARIANT = ("ese", "ish", "ch", "Swiss", "Thai", "Lao", "Khmer", "Myanmar", "Kiribati")
_WORD = re.compile(r"[A-Z][A-Za-z'’]*")
_LONGEST = 4  # words in the longest demonym ("Papua New Guinean")


#: The forms English news uses where countryinfo has another ("Saudi Arabian", "Tadzhik",
#: "Maldivan"), or none (Hong Kong, Macau)
NEWS_FORMS: Mapping[str, str] = {
    "Saudi": "SA", "Argentine": "AR", "Argentinian": "AR", "Bosnian": "BA", "Icelandic": "IS",
    "Djiboutian": "DJ", "Maldivian": "MV", "Timorese": "TL", "Slovenian": "SI", "Tajik": "TJ",
    "Ecuadorian": "EC", "Surinamese": "SR", "Azeri": "AZ", "Hong Konger": "HK", "Hongkonger": "HK",
    "Macanese": "MO",
}


@lru_cache(maxsize=1)
def demonym_table() -> Mapping[str, tuple[str, str]]:
    """Each demonym and its plural -> (ISO code, the country's English name)."""
    by_word: dict[str, list[tuple[int, str, str]]] = {}
    names = {c.code: c.name for c in country_facts()}
    for country in country_facts():
        if country.demonym:
            by_word.setdefault(country.demonym, []).append((country.population, country.code, country.name))
    table: dict[str, tuple[str, str]] = {}
    for word, countries in by_word.items():
        countries.sort(reverse=True)
        if len(countries) == 1 or countries[0][0] >= 10 * max(1, countries[1][0]):
            table[word] = (countries[0][1], countries[0][2])
    for word, code in (*DEMONYMS.items(), *NEWS_FORMS.items()):
        table[word] = (code, names.get(code, code))
    for word, value in list(table.items()):
        if not word.endswith(_INVARIANT):
            table.setdefault(word + "s", value)
    return table


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    return frozenset(_WORD.match(word).group() for word in demonym_table())


def find_demonyms(sentence: Sentence) -> list[tuple[int, int, str, str]]:
    """(start, end, ISO code, country name) of each demonym in a sentence, document offsets; the
    longest reading wins ("South Korean" before "Korean")."""
    table, openers = demonym_table(), _first_words()
    words = list(_WORD.finditer(sentence.text))
    found, index = [], 0
    while index < len(words):
        if words[index].group() not in openers:
            index += 1  # most capitalised words open no demonym
            continue
        for size in range(min(_LONGEST, len(words) - index), 0, -1):
            first, last = words[index], words[index + size - 1]
            if any(sentence.text[a.end():b.start()] not in (" ", "-")
                   for a, b in zip(words[index:index + size], words[index + 1:index + size])):
                continue  # the words must be next to each other ("South Korean", "Guinea-Bissauan")
            phrase = sentence.text[first.start():last.end()]
            if phrase in table:
                code, name = table[phrase]
                found.append((sentence.start + first.start(), sentence.start + last.end(), code, name))
                index += size
                break
        else:
            index += 1
    return found


def demonym_mentions(document: Document, resolved: Sequence[Resolution], countries: Mapping[str, Place],
                     country_place: Callable[[str, str], Place | None]) -> tuple[Resolution, ...]:
    """The demonyms of a document that do not overlap a place name ("Myanmar nationals": Myanmar is
    already a mention), each resolved to its country: the gazetteer's row (``countries``), else
    ``country_place(code, name)`` (the offline index's entry), else left out."""
    taken = sorted((r.mention.start, r.mention.end) for r in resolved)
    found = []
    for sentence in document.sentences:
        for start, end, code, name in find_demonyms(sentence):
            if any(s < end and start < e for s, e in taken):
                continue
            place = countries.get(code) or country_place(code, name)
            if place is None:
                continue
            surface = document.text[start:end]
            mention = Mention(doc=document.name, start=start, end=end, surface=surface,
                              sentence_index=sentence.index, gazetteer_ids=(place.id,) if code in countries else (),
                              cue="demonym", name=place.name)
            stage = "gazetteer" if code in countries else "geonames"
            found.append(Resolution(mention, place, stage, f"'{surface}' is a demonym of {place.name}"))
    return tuple(found)
