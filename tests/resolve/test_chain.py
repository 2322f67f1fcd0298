"""The resolution chain: the first stage with a candidate decides; close calls are marked."""

from __future__ import annotations

from geomap.records import Candidate, Mention, Place
from geomap.resolve import Context, Resolver, UNRESOLVED


def _place(place_id: str) -> Place:
    """Places a few hundred km apart (each id at its own point), 5 km precise."""
    offset = sum(map(ord, place_id)) % 7
    return Place(place_id, place_id.title(), "town", 10.0 + offset, 103.0 + offset, 5.0, "KH")


class _Stage:
    def __init__(self, name: str, answers: dict[str, list[tuple[str, float]]]):
        self.name, self.answers = name, answers

    def candidates(self, mention: Mention, context: Context) -> list[Candidate]:
        return [Candidate(_place(pid), self.name, score, f"{self.name} knows it")
                for pid, score in self.answers.get(mention.surface, [])]


def _mention(surface: str) -> Mention:
    return Mention("a.txt", 0, len(surface), surface, 0)


def test_the_first_stage_with_a_candidate_decides():
    chain = Resolver([_Stage("gazetteer", {"Poipet": [("poipet", 10)]}),
                      _Stage("geonames", {"Poipet": [("elsewhere", 50)], "Pailin": [("pailin", 3)]})])
    poipet, pailin, nowhere = chain.resolve_document([_mention("Poipet"), _mention("Pailin"), _mention("Xyz")])
    assert (poipet.place.id, poipet.resolved_by) == ("poipet", "gazetteer")
    assert (pailin.place.id, pailin.resolved_by) == ("pailin", "geonames")
    assert (nowhere.place, nowhere.resolved_by) == (None, UNRESOLVED)


def test_candidates_too_close_to_call_and_far_apart_are_marked_ambiguous():
    assert _place("kampong-a").lat != _place("kampong-b").lat
    chain = Resolver([_Stage("gazetteer", {"Kampong": [("kampong-a", 10.0), ("kampong-b", 10.1)]})])
    resolution, = chain.resolve_document([_mention("Kampong")])
    assert resolution.ambiguous and resolution.place.id == "kampong-b"
    clear = Resolver([_Stage("gazetteer", {"Kampong": [("kampong-a", 10.0), ("kampong-b", 14.0)]})])
    assert not clear.resolve_document([_mention("Kampong")])[0].ambiguous


def test_the_offline_index_asks_its_file_once_per_name(parts):
    """A corpus names the same places again and again: each name is one query of the file, then
    answered from memory, the same answer."""
    geonames = parts[0].geonames
    first = geonames.lookup("Jakarta")
    queries = []
    real = geonames._db

    class Counting:
        def execute(self, *args):
            queries.append(args)
            return real.execute(*args)

    geonames._connection, geonames._pid = Counting(), __import__("os").getpid()
    try:
        assert geonames.lookup("Jakarta") == first and first
        assert "Jakarta" in geonames and "Jakarta" in geonames
        assert "Xqzzyville" not in geonames and "Xqzzyville" not in geonames
    finally:
        geonames._connection = real
    assert len(queries) == 1  # the one name never asked before, once


def test_a_village_abroad_is_no_candidate_by_one_of_its_other_names(parts):
    """GeoNames spells Baye, a French village of under a thousand people, also "Bei": in a story
    about Cambodia's "Bei commune" that is no evidence; in one that names France, it is."""
    from collections import Counter

    from geomap.resolve.offline import GeoNamesStage

    stage = GeoNamesStage(parts[0].geonames)
    abroad = {c.place.country for c in stage.candidates(_mention("Bei"), Context(Counter({"KH": 3})))}
    named = {c.place.country for c in stage.candidates(_mention("Bei"), Context(Counter({"FR": 1})))}
    assert "FR" not in abroad and "FR" in named
    # a main name is kept wherever it is
    assert stage.candidates(_mention("Baye"), Context(Counter({"KH": 3})))
