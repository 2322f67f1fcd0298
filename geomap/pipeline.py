"""The per-document part of a build: find -> resolve -> extract, a function of the document and the
gazetteer snapshot alone, run in this process or in worker processes.

Workers are forked from the build with the pipeline already built (the gazetteer, the name
automaton, the GeoNames index), so they start in milliseconds; documents go to them in chunks and
come back in their order, so ``--jobs 4`` writes exactly what ``--jobs 1`` writes.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
import zlib
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Sequence

from .documents import with_sentences
from .events import EventExtractor
from .ledger import LedgerEntry, ledger_entry
from .mentions import MentionFinder
from .places import PlaceFactFinder, PlaceFacts
from .records import Document, Event, Place, Resolution
from .resolve import Resolver
from .demonyms import demonym_mentions
from .gazetteer.country_facts import country_facts
from .roles import DEMONYMS
from .timings import Timings

#: Documents per task sent to a worker: large enough that sending costs little, small enough that
#: the two workers finish together and the progress bar moves.
CHUNK_DOCUMENTS = 8


@dataclass(frozen=True)
class DocumentResult:
    """What one document contributes: its resolved mentions and its events (before the merge)."""

    resolutions: tuple[Resolution, ...]
    events: tuple[Event, ...]
    #: the gazetteer rows the result read (every candidate considered, every place an event holds,
    #: the parents its places' facts came from): the cache keeps a result only while they are unchanged
    places_read: frozenset[str] = frozenset()
    #: the province and border distance of each place the document names, by place id
    facts: tuple[tuple[str, PlaceFacts], ...] = ()
    #: mentions exported but never drawn nor an event's place, each with what it is: "demonym" (a
    #: nationality word, "Chinese", naming its country) or "in_organisation" (a place named inside an
    #: organisation's name: "Pakistan Army", "The Phnom Penh Post")
    other_mentions: tuple[tuple[str, Resolution], ...] = ()
    #: why the document could not be read through (its result is then empty), or ""
    problem: str = ""


@dataclass(frozen=True)
class KeptResult:
    """What a build keeps of a document's result, made where the result is (a worker process): its
    mentions as the ledger files them, its events, its places' facts, the gazetteer rows it read
    (see ``DocumentResult``), and why it failed, if it did. This is what workers send and the
    document cache stores: it is smaller than the result, and the build only files it."""

    mentions: LedgerEntry
    events: tuple[Event, ...]
    places_read: frozenset[str] = frozenset()
    facts: tuple[tuple[str, PlaceFacts], ...] = ()
    problem: str = ""


def kept(document: Document, result: DocumentResult) -> KeptResult:
    try:
        mentions = ledger_entry(document, result.resolutions, result.other_mentions)
    except Exception as error:  # noqa: BLE001 - as in ``DocumentPipeline.run``: this document's alone
        return kept(document, DocumentResult((), (), problem=f"{type(error).__name__}: {error}"[:300]))
    return KeptResult(mentions, result.events, result.places_read, result.facts, result.problem)


class DocumentPipeline:
    def __init__(self, finder: MentionFinder, resolver: Resolver, extractor: EventExtractor,
                 facts: PlaceFactFinder | None = None):
        self.finder = finder
        self.resolver = resolver
        self.extractor = extractor
        self.fact_finder = facts
        # the offline index's countries, by ISO code: those of the nationalities the events read are
        # looked up once, for the build, by ``people_countries``
        self._index_countries: dict[str, Place | None] = dict(extractor.peoples)

    def run(self, document: Document, timings: Timings | None = None) -> DocumentResult:
        """The document's result; a document whose text trips a stage is an empty result that says
        why, so that one bad document is a warning, never the end of the build."""
        try:
            return self._run(document, timings)
        except Exception as error:  # noqa: BLE001 - untrusted text: any failure is this document's alone
            return DocumentResult((), (), problem=f"{type(error).__name__}: {error}"[:300])

    def _run(self, document: Document, timings: Timings | None) -> DocumentResult:
        timings = timings if timings is not None else Timings()
        document = with_sentences(document)
        with timings.stage("find"):
            finding = self.finder.find(document)
        with timings.stage("resolve"):
            resolved = self.resolver.resolve_document(finding.mentions, document.text)
            embedded = self.resolver.resolve_document(finding.embedded)
            in_other_organisations = self.resolver.resolve_document(finding.in_other_organisations)
        with timings.stage("events"):
            events = self.extractor.extract(document, resolved, embedded)
        read = set(_places_read(resolved, embedded, events))
        facts: tuple[tuple[str, PlaceFacts], ...] = ()
        if self.fact_finder is not None:
            with timings.stage("facts"):
                places = {p.id: p for p in [*(r.place for r in (*resolved, *embedded)), *(e.place for e in events)]
                          if p is not None}
                facts = tuple((place_id, self.fact_finder.facts(places[place_id])) for place_id in sorted(places))
                for place in places.values():
                    read |= self.fact_finder.rows_read(place)
        nationalities = demonym_mentions(document, resolved, self.extractor.countries, self._country_place)
        read.update(_gazetteer_rows(r.place.id for r in nationalities))
        read |= _places_read(in_other_organisations, (), ())
        in_names = sorted((r for r in (*embedded, *in_other_organisations) if r.place is not None),
                          key=lambda r: (r.mention.start, r.mention.end))
        others = (*(("demonym", r) for r in nationalities), *(("in_organisation", r) for r in in_names))
        return DocumentResult(tuple(map(_trimmed, resolved)), tuple(events), frozenset(read), facts,
                              tuple((kind, _trimmed(r)) for kind, r in others))

    def _country_place(self, code: str, name: str) -> Place | None:
        """A country the gazetteer has no row for, as the offline index has it (looked up once)."""
        if code not in self._index_countries:
            self._index_countries[code] = index_country(self.finder.geonames, code, name)
        return self._index_countries[code]


def index_country(index, code: str, name: str) -> Place | None:
    """The offline index's country of an ISO code, found by its name, or None."""
    entry = None if index is None else next(
        (g for g in index.lookup(name) if g.feature == "country" and g.country == code), None)
    return entry.to_place() if entry is not None else None


def people_countries(index, countries: dict[str, Place]) -> dict[str, Place]:
    """The countries of the nationalities the events read (``roles.DEMONYMS``) that the gazetteer
    has no row for, as the offline index has them: "32 Sri Lankans" came from Sri Lanka."""
    names = {c.code: c.name for c in country_facts()}
    found = {}
    for code in sorted(set(DEMONYMS.values()) - set(countries)):
        place = index_country(index, code, names.get(code, code))
        if place is not None:
            found[code] = place
    return found


def _places_read(resolved: Sequence[Resolution], embedded: Sequence[Resolution],
                 events: Sequence[Event]) -> frozenset[str]:
    ids = {c.place.id for r in (*resolved, *embedded) for c in r.candidates}
    for event in events:
        ids.update(p.id for p in (event.place, *event.origins, *event.destinations) if p is not None)
    return _gazetteer_rows(ids)


#: The candidates a result keeps of each resolution: the review queue shows the best three, and the
#: rest (dozens for a common name, each a place) were most of a large build's memory.
CANDIDATES_KEPT = 3


def _trimmed(resolution: Resolution) -> Resolution:
    if len(resolution.candidates) <= CANDIDATES_KEPT:
        return resolution
    return replace(resolution, candidates=resolution.candidates[:CANDIDATES_KEPT])


def _gazetteer_rows(place_ids: Iterable[str]) -> frozenset[str]:
    # "geonames:123" is not a gazetteer row: kept as read, it made the result stale at every build
    return frozenset(i for i in place_ids if ":" not in i)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# The pipeline and the documents a forked worker inherits: set just before the pool forks, never
# pickled. A task names a stretch of the documents by position: their texts are not sent through a
# pipe, and the build may let go of a document as soon as its result is back.
_WORKER_PIPELINE: DocumentPipeline | None = None
_WORKER_DOCUMENTS: Sequence[Document] = ()


def chunks_of(documents: Sequence[Document]) -> list[list[Document]]:
    """The documents in the chunks sent to workers, in order."""
    return [list(documents[i:i + CHUNK_DOCUMENTS]) for i in range(0, len(documents), CHUNK_DOCUMENTS)]


def packed(result: KeptResult) -> bytes:
    """A kept result as a worker sends it and the document cache stores it: packed once, where it
    is made, the build stores it without packing it again."""
    return zlib.compress(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpacked(payload: bytes) -> KeptResult:
    return pickle.loads(zlib.decompress(payload))


#: A kept result and, when a worker made it, the same packed (``packed``), else None.
Computed = tuple[KeptResult, bytes | None]


def keep_result(pipeline: DocumentPipeline, document: Document, timings: Timings) -> KeptResult:
    """What the build keeps of a document's result; a document read without its sentences is split
    first (``documents.scan_documents``)."""
    with timings.stage("split"):
        document = with_sentences(document)
    return kept(document, pipeline.run(document, timings))


def run_chunk(documents: list[Document], pipeline: DocumentPipeline) -> tuple[list[bytes], Timings]:
    """A worker's task: what the build keeps of the chunk's results, packed, and the time they took."""
    timings = Timings()
    return [packed(keep_result(pipeline, d, timings)) for d in documents], timings


def _run_chunk_forked(stretch: tuple[int, int]) -> tuple[list[bytes], Timings]:
    start, end = stretch
    return run_chunk(list(_WORKER_DOCUMENTS[start:end]), _WORKER_PIPELINE)


def workers_for(jobs: int, documents: int) -> int:
    """How many worker processes ``jobs`` gets: none (this process does the work) for a handful of
    documents, on a system without fork, or in a process running other threads, where a forked child
    can inherit a lock another thread holds and wait for ever (a web server or a browser driver
    calling the library)."""
    if jobs <= 1 or documents <= CHUNK_DOCUMENTS or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    if threading.active_count() > 1:
        return 0
    return min(jobs, -(-documents // CHUNK_DOCUMENTS))


def run_documents(pipeline: DocumentPipeline, documents: Sequence[Document], workers: int,
                  timings: Timings) -> Iterator[Computed]:
    """What the build keeps of each document's result, in the documents' order, from ``workers``
    forked processes (0: here).
    A document is read from ``documents`` only before its result is given (here) or before the
    workers fork: the caller may then let go of it."""
    if workers == 0:
        for index in range(len(documents)):
            yield keep_result(pipeline, documents[index], timings), None
        return
    global _WORKER_PIPELINE, _WORKER_DOCUMENTS
    _WORKER_PIPELINE, _WORKER_DOCUMENTS = pipeline, documents
    stretches = [(start, min(start + CHUNK_DOCUMENTS, len(documents)))
                 for start in range(0, len(documents), CHUNK_DOCUMENTS)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            _WORKER_DOCUMENTS = ()  # the workers have them now
            for payloads, worker_timings in pool.imap(_run_chunk_forked, stretches):
                timings.merge(worker_timings)
                yield from ((unpacked(payload), payload) for payload in payloads)
    finally:
        _WORKER_PIPELINE, _WORKER_DOCUMENTS = None, ()
