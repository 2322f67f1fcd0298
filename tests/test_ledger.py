"""The mention ledger: what a build keeps of its mentions, compact, whatever order documents come in."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from geomap.documents import read_documents
from geomap.ledger import MentionLedger, candidates_text, ledger_entry, review_issue
from geomap.records import Candidate, Mention, Place, Resolution

from conftest import REPO, write_doc


def _by_document(ledger):
    names, others = defaultdict(list), defaultdict(list)
    for kind, r in ledger.mentions():
        (names[r.mention.doc].append(r) if kind == "name" else others[r.mention.doc].append((kind, r)))
    return names, others


def test_documents_added_in_any_order_keep_the_same_mentions_places_and_queue(seeds_build):
    ledger = seeds_build.atlas.ledger
    names, others = _by_document(ledger)
    documents = read_documents(REPO / "seeds")
    assert [d.name for d in documents] == ledger.document_names
    again = MentionLedger(documents)
    for index in reversed(range(len(documents))):
        name = documents[index].name
        again.file(index, ledger_entry(documents[index], names.get(name, []), others.get(name, [])))
    facts = lambda place: None  # noqa: E731
    assert again.mapped_places(facts) == ledger.mapped_places(facts)
    assert list(again.mentions()) == list(ledger.mentions())
    assert (len(again), again.names, again.issues) == (len(ledger), ledger.names, ledger.issues)
    docs = [r.mention.doc for _, r in ledger.mentions()]
    assert docs == sorted(docs) and len(set(docs)) == len(documents)


def test_a_mention_comes_back_as_it_went_in_with_its_review_line(tmp_path):
    write_doc(tmp_path, "b.txt", "Police raided a casino in Poipet and in Springfield.\n")
    write_doc(tmp_path, "a.txt", "Nothing here.\n")
    documents = read_documents(tmp_path)
    b = next(i for i, d in enumerate(documents) if d.name == "b.txt")
    poipet = Place("kh-poipet", "Poipet", "town", 13.65, 102.56, 5)
    springfield = Place("geonames:1", "Springfield", "town", 39.8, -89.6, 10, country="US", population=100)
    text = documents[b].text
    found = [Resolution(Mention("b.txt", text.index("Poipet"), text.index("Poipet") + 6, "Poipet", 0, cue="in"),
                        poipet, "gazetteer", "gazetteer: its name"),
             Resolution(Mention("b.txt", text.index("Springfield"), text.index("Springfield") + 11, "Springfield", 0),
                        springfield, "geonames", "geonames: a town",
                        (Candidate(springfield, "geonames", 2.5, "a town"),), ambiguous=False)]
    ledger = MentionLedger(documents)
    ledger.file(b, ledger_entry(documents[b], found))
    back = list(ledger.resolutions())
    # what the exports read is kept; the candidates only as the review queue's line
    assert back == [replace(r, mention=replace(r.mention, cue=""), candidates=()) for r in found]
    assert [review_issue(r) for r in found] == ["", "fallback"]
    item, = ledger.review()
    assert (item.issue, item.resolution.mention.surface, item.sentence) == ("fallback", "Springfield",
                                                                            documents[b].sentences[0])
    assert item.candidates == candidates_text(found[1]) == \
        "geonames:1 Springfield (US, 39.8000, -89.6000, 100 people; geonames 2.5)"
    assert (ledger.names, len(ledger), ledger.review_placed) == (2, 2, 1)
    assert [p.place.id for p in ledger.mapped_places(lambda place: None)] == ["geonames:1", "kh-poipet"]


def test_a_build_keeps_of_each_result_its_events_and_lets_go_of_the_texts(seeds_build):
    """What a build of ten thousand documents must not hold to its end: every mention as an object,
    every document's text (the ledger and the review queue keep what they need)."""
    from geomap.build import _Keeper
    from geomap.pipeline import DocumentResult, kept
    from geomap.places import PlaceFacts

    assert seeds_build.documents and all(d.text == "" and d.sentences == () for d in seeds_build.documents)
    assert seeds_build.events and len(seeds_build.atlas.ledger) > seeds_build.atlas.ledger.names > 0

    class Facts:
        remembered = []

        def remember(self, known):
            self.remembered += list(known)

    documents = read_documents(REPO / "seeds")
    resolution = next(iter(seeds_build.atlas.resolutions))
    event = seeds_build.events[0]
    ledger, facts = MentionLedger(documents), Facts()
    result = kept(documents[0], DocumentResult(
        (resolution,), (event,), frozenset({"kh"}), (("kh", PlaceFacts()),), (("demonym", resolution),), ""))
    assert _Keeper(ledger, facts)(0, documents[0], result) == DocumentResult((), (event,))
    assert (ledger.names, len(ledger), facts.remembered) == (1, 2, [("kh", PlaceFacts())])


def test_a_document_given_to_the_pipeline_may_be_let_go_once_its_result_is_back(parts, tmp_path):
    from geomap.pipeline import DocumentPipeline, run_documents
    from geomap.timings import Timings

    for name in "abc":
        write_doc(tmp_path, f"{name}.txt", f"Police raided a casino in Poipet on March {ord(name) - 96}, 2024.\n")
    documents = read_documents(tmp_path)
    finder, resolver = parts
    pipeline = DocumentPipeline(finder, resolver, _extractor(finder))
    results = []
    for position, (result, _) in enumerate(run_documents(pipeline, documents, 0, Timings())):
        results.append(result)
        documents[position] = None  # the caller lets go of it
    assert [len(r.events) for r in results] == [1, 1, 1]


def test_a_kept_result_packed_where_it_is_made_comes_back_whole_and_is_stored_as_it_came(parts, tmp_path):
    from geomap.document_cache import DocumentCache
    from geomap.pipeline import DocumentPipeline, kept, packed, unpacked

    write_doc(tmp_path / "docs", "a.txt", "Police raided a casino in Poipet on March 3, 2024 and detained 40 "
                                          "Chinese nationals; $2 million was seized.\n")
    document, = read_documents(tmp_path / "docs")
    finder, resolver = parts
    whole = DocumentPipeline(finder, resolver, _extractor(finder)).run(document)
    assert whole.events and whole.events[0].figures and whole.resolutions
    result = kept(document, whole)
    assert result.events == whole.events and result.mentions.names == len(whole.resolutions)
    payload = packed(result)
    assert unpacked(payload) == result
    cache = DocumentCache(tmp_path / "store.sqlite", "context", finder.gazetteer.places, finder.gazetteer.names)
    cache.put(document, result, payload)
    cache.flush()
    assert cache._db.execute("SELECT payload FROM results").fetchone()[0] == payload
    assert cache.get(document) == result


def test_a_result_whose_mentions_cannot_be_filed_is_its_documents_failure_alone(tmp_path):
    from geomap.pipeline import DocumentResult, kept

    write_doc(tmp_path, "a.txt", "Police raided a casino in Xyzzy.\n")
    document, = read_documents(tmp_path)
    lost = Resolution(Mention("a.txt", 26, 31, "Xyzzy", 99), None, "unresolved", "nothing knows it")
    result = kept(document, DocumentResult((lost,), ()))
    assert result.problem.startswith("IndexError") and result.mentions.count == 0 and result.events == ()


def _extractor(finder):
    from geomap.actors import ActorFinder, load_actors
    from geomap.events import EventExtractor

    return EventExtractor(ActorFinder(load_actors(REPO / "gazetteer")), frozenset(finder.gazetteer.names))
