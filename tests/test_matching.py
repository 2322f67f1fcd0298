"""The literal filter that tells which of many patterns may match a text."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from geomap.matching import PatternFilter, required_literals

PATTERNS = [
    r"\braid(?:s|ed|ing)?\b",
    r"\b(?:crack(?:s|ed)? down|crackdowns?)\b",
    r"(?<!cardiac )arrest(?:s|ed)?(?! warrants?)",
    r"sent (?:[\w,]+ ){0,3}?(?:back|home)",
    r"(?:large |joint )?operations? against",
    r"\d+ (?:people|workers)",
    r"(?:ab|ba)+cd",
    r"x{2,}yz",
]


def test_required_literals_are_read_from_the_parts_every_match_holds():
    assert required_literals(PATTERNS[0]) == {"raid"}
    assert required_literals(PATTERNS[1]) == {"crack"}  # the parser factors out the common prefix
    assert required_literals(PATTERNS[2]) == {"arrest"}  # not the words of a look-around
    assert required_literals(PATTERNS[3]) == {"sent "}
    assert required_literals(PATTERNS[4]) == {"operation"}
    assert required_literals(r"(?:people|workers) \d+") == {"people", "workers"}
    assert required_literals(r"\d+") is None  # no literal at all
    assert required_literals(r"(?:a|b)x") is None  # too short to rule anything out
    assert required_literals(r"(?:raid|\d)s") is None  # one alternative holds no literal
    assert required_literals(r"RAID") == {"raid"}  # lowercased: the text is lowercased too


WORDS = ["raid", "raided", "crack", "down", "crackdowns", "cardiac", "arrest", "warrants", "sent", "them",
         "back", "home", "large", "operations", "against", "12", "people", "workers", "ab", "ba", "abab",
         "cd", "xx", "xxx", "yz", "Raid", "ARREST", ",", " "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14), st.sampled_from([" ", ""]))
def test_a_pattern_the_filter_rules_out_never_matches(words, joiner):
    text = joiner.join(words)
    possible = set(PatternFilter(PATTERNS).possible(text.lower()))
    for index, pattern in enumerate(PATTERNS):
        if re.search(pattern, text, re.I):
            assert index in possible, (pattern, text)


def test_the_filter_rules_out_the_patterns_whose_literals_are_absent():
    prefilter = PatternFilter(PATTERNS)
    # the last two have no literal of three letters: always possible
    assert prefilter.possible("nothing to see") == [6, 7]
    assert prefilter.possible("police raided a call centre; 40 workers") == [0, 5, 6, 7]
    assert prefilter.possible("a cardiac arrest") == [2, 6, 7]  # possible, though it does not match


def test_the_literal_a_pattern_is_filtered_by_is_not_one_of_the_commonest_words():
    from geomap.matching import required_literals

    assert required_literals(r"(?:handed|turned) (?:over )?\w+ to") == {"handed", "turned"}
    assert required_literals(r"(?:forced|made) to (?:work|scam)") == {"forced", "made"}
    assert required_literals(r"\w+ to the \w+") == {" to the "}  # when nothing else will do, a common word does
