"""Figures in a sentence: counts of people (arrested, deported, detained, rescued, trafficked...) and
sums of money with their currency, as numbers."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

from .matching import PatternFilter
from .records import Record
from .roles import NATIONALITY_PLURALS

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9}
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                 "dozens": None, "hundreds": None, "thousands": None}
_CURRENCIES = [  # (pattern before the number, ISO code)
    (r"US\$|USD\s?|U\.S\.\s?\$", "USD"), (r"S\$", "SGD"), (r"HK\$", "HKD"), (r"A\$", "AUD"), (r"\$", "USD"),
    (r"£|GBP\s?", "GBP"), (r"€|EUR\s?", "EUR"), (r"¥|RMB\s?|CNY\s?", "CNY"), (r"฿|THB\s?", "THB"),
    (r"KHR\s?", "KHR"),
]
_CURRENCY_AFTER = {"dollars": "USD", "yuan": "CNY", "baht": "THB", "riel": "KHR", "ringgit": "MYR",
                   "pounds": "GBP", "euros": "EUR"}
_MONEY = re.compile(
    r"(?P<cur>" + "|".join(p for p, _ in _CURRENCIES) + r")(?P<num>" + _NUMBER + r")"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|m|k)\b)?"
    r"|(?P<num2>" + _NUMBER + r")(?:\s*(?P<scale2>thousand|million|billion|trillion))?\s+(?P<cur2>"
    + "|".join(_CURRENCY_AFTER) + r")\b", re.I)
_PEOPLE_NOUNS = (r"(?:people|persons|individuals|foreigners|foreign nationals|nationals|workers|victims|"
                 r"suspects|men|women|children|migrants|employees|citizens|detainees|survivors|"
                 r"(?:[A-Z][a-z]+ )?(?:nationals|citizens|workers)|"
                 # "270 Indians", "106 Chinese": people of a nationality, not its police or its firms
                 r"(?-i:" + "|".join(map(re.escape, NATIONALITY_PLURALS)) + r")(?!\s+(?:police|army|embassy|"
                 r"government|authorities|officials|military|forces|troops|ministry|compan(?:y|ies)|"
                 r"nationals|citizens|workers)\b))")
_ROLES = (r"arrested|deported|detained|rescued|trafficked|repatriated|freed|held|charged|convicted|"
          r"sentenced|extradited|lured|enslaved|killed|injured|removed|returned|sent home|expelled")
_PEOPLE = re.compile(
    r"(?P<num>" + _NUMBER + r"|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|dozens|hundreds|thousands)(?: of)?)\s+(?:(?:more|other|further|suspected|foreign|"
    r"Chinese|Thai|Vietnamese|Indonesian|Filipino|Malaysian|Korean)\s+)?(?P<noun>" + _PEOPLE_NOUNS + r")"
    r"(?:[^.;]{0,40}?\b(?P<role>" + _ROLES + r"))?"
    r"|(?P<role2>" + _ROLES + r")\s+(?:at least\s+|some\s+|about\s+|more than\s+)?(?P<num2>" + _NUMBER
    + r")\s+(?P<noun2>" + _PEOPLE_NOUNS + r")", re.I)

# a sentence naming none of the people nouns holds no count of people, and is not searched for one
_PEOPLE_FILTER = PatternFilter([_PEOPLE.pattern])


@dataclass(frozen=True, slots=True)
class Figure(Record):
    kind: str  # people | money
    value: float | None  # None when the text gives only "hundreds", "dozens"...
    unit: str  # a currency code for money; what the people are ("foreigners") for counts
    role: str  # what happened to them ("arrested"), "" when the sentence does not say
    text: str

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items()}


def most_people(figures) -> int:
    """The largest count of people among ``figures`` (0 when none gives one)."""
    return max((int(min(f.value, 10**9)) for f in figures
                if f.kind == "people" and f.value and math.isfinite(f.value)), default=0)


# Every figure holds a digit or a number word: a sentence with neither (most) is not searched.
_ANY_NUMBER = re.compile(r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                         r"fifty|dozens|hundreds|thousands)\b", re.I)


def find_figures(text: str) -> list[Figure]:
    if not _ANY_NUMBER.search(text):
        return []
    figures = []
    taken: list[tuple[int, int]] = []
    for match in _MONEY.finditer(text):
        if match.group("num"):
            number, scale, currency = match.group("num"), match.group("scale"), _currency(match.group("cur"))
        else:
            number, scale = match.group("num2"), match.group("scale2")
            currency = _CURRENCY_AFTER[match.group("cur2").lower()]
        value = _number(number) * _SCALE.get((scale or "").lower(), 1)
        figures.append(Figure("money", value, currency, "", match.group().strip()))
        taken.append(match.span())
    for match in _PEOPLE.finditer(text) if _PEOPLE_FILTER.possible(text.lower()) else ():
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        number = match.group("num") or match.group("num2")
        if _is_year(number, text, match.start()):
            continue
        noun = match.group("noun") or match.group("noun2")
        role = (match.group("role") or match.group("role2") or "").lower()
        figures.append(Figure("people", _count(number), noun.lower(), role, match.group().strip()))
    return figures


def _currency(prefix: str) -> str:
    for pattern, code in _CURRENCIES:
        if re.fullmatch(pattern, prefix, re.I):
            return code
    return ""


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _count(text: str) -> float | None:
    word = text.split()[0].lower()
    if word in _WORD_NUMBERS:
        return _WORD_NUMBERS[word]
    return _number(text)


def _is_year(number: str, text: str, start: int) -> bool:
    """'In 2023, 283 foreigners': the 283 is the count, but '2023 foreigners' never is."""
    return bool(re.fullmatch(r"(19|20)\d\d", number)) and text[start - 3:start].strip().lower() in ("in", "")
