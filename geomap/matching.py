"""Finding many known names in text at once: an Aho-Corasick automaton (pyahocorasick),
case-sensitive, whole words only, the leftmost-longest match winning where names overlap."""

from __future__ import annotations

import unicodedata
from typing import Iterable

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
