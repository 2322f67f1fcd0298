"""Finding many known names in text at once: an Aho-Corasick automaton (pyahocorasick),
case-sensitive, whole words only, the leftmost-longest match winning where names overlap. And
telling, in one pass of such an automaton, which of many regular expressions may match a text. And
a name as English text writes it, without its accents."""

from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parser
import unicodedata
from typing import Iterable, Sequence

import ahocorasick


class NameMatcher:
    def __init__(self, names: Iterable[str]):
        self.automaton = ahocorasick.Automaton()
        self.size = 0
        for name in sorted(set(names)):
            if name:
                self.automaton.add_word(name, name)
                self.size += 1
        if self.size:
            self.automaton.make_automaton()

    def find(self, text: str, offset: int = 0) -> list[tuple[int, int, str]]:
        """(start, end, name) of each match in ``text``, offsets shifted by ``offset``."""
        if not self.size:
            return []
        found = []
        for end_index, name in self.automaton.iter(text):
            start = end_index - len(name) + 1
            if is_whole_word(text, start, end_index + 1):
                found.append((offset + start, offset + end_index + 1, name))
        return leftmost_longest(found)


def is_whole_word(text: str, start: int, end: int) -> bool:
    if start > 0 and _continues_a_word(text[start - 1]):
        return False
    if end < len(text) and (_continues_a_word(text[end]) or text[end] == "$"):
        return False  # "US$45 million" is money, not the United States
    return True


def _continues_a_word(char: str) -> bool:
    # Combining marks count: "Cambodia" followed by U+0301 is another word, and str.isalnum()
    # is False for marks.
    return char.isalnum() or char == "_" or _is_mark(char)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def leftmost_longest(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    chosen: list[tuple[int, int, str]] = []
    for start, end, name in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, name))
    return chosen


#: Letters that Unicode does not decompose into a Latin letter and a mark
_UNDECOMPOSED = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Ø": "O", "ø": "o", "ı": "i", "Ł": "L",
                               "ł": "l", "ß": "ss"})


def unaccented(name: str) -> str:
    """The name as English text writes it, without accents and marks ("Haryāna" -> "Haryana",
    "Đồng Nai" -> "Dong Nai")."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: A literal shorter than this rules out too few texts to be worth looking for.
MIN_LITERAL = 3


def required_literals(pattern: str) -> frozenset[str] | None:
    """Lowercased strings one of which every match of ``pattern`` contains, read from the pattern's
    parse tree (a run of literal characters outside any optional part, or one per alternative), or
    None when no such set can be told."""
    try:
        return _required(list(_sre_parser.parse(pattern)))
    except (re.error, TypeError, ValueError, IndexError):  # a construct this reading does not know
        return None


def _required(items: list) -> frozenset[str] | None:
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, argument in [*items, (None, None)]:
        if op is _sre.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            options.append(frozenset(["".join(run).lower()]))
            run = []
        inner = None
        if op is _sre.SUBPATTERN:
            inner = _required(list(argument[-1]))
        elif op is _sre.BRANCH:
            alternatives = [_required(list(branch)) for branch in argument[1]]
            inner = None if None in alternatives else frozenset().union(*alternatives)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and argument[0] >= 1:
            inner = _required(list(argument[2]))
        if inner is not None:
            options.append(inner)
    options = [o for o in options if min(map(len, o)) >= MIN_LITERAL]
    # the set that rules out the most texts: not one of the commonest words (" to " is in half of all
    # sentences, "handed" or "turned" in few), then the fewest literals, then the longest
    return min(options, key=lambda o: (all(literal.strip() in _COMMON_WORDS for literal in o), len(o),
                                       -min(map(len, o))), default=None)


#: Words in most sentences: a literal that is one of them rules out few texts.
_COMMON_WORDS = frozenset({"to", "the", "of", "and", "a", "an", "in", "on", "at", "for", "by", "with", "from",
                           "as", "is", "was", "were", "be", "been", "has", "have", "had", "it", "its", "that",
                           "this", "or", "not", "but", "after", "said", "they", "their", "he", "she", "his", "her"})


class PatternFilter:
    """Which of many patterns may match a text: one Aho-Corasick pass over the lowercased text finds
    each pattern's required literals. A pattern ruled out cannot match; one without required
    literals is always possible. Searching only the possible ones finds exactly what searching all
    of them finds."""

    def __init__(self, patterns: Sequence[str]):
        self.always: set[int] = set()
        by_literal: dict[str, set[int]] = {}
        for index, pattern in enumerate(patterns):
            literals = required_literals(pattern)
            if literals is None:
                self.always.add(index)
            else:
                for literal in literals:
                    by_literal.setdefault(literal, set()).add(index)
        self.automaton = ahocorasick.Automaton()
        for literal, indices in by_literal.items():
            self.automaton.add_word(literal, tuple(sorted(indices)))
        if by_literal:
            self.automaton.make_automaton()

    def possible(self, lowered: str) -> list[int]:
        """The indices, in order, of the patterns that may match the text ``lowered`` is the
        lowercase of."""
        found = set(self.always)
        if len(self.automaton):
            for _, indices in self.automaton.iter(lowered):
                found.update(indices)
        return sorted(found)
