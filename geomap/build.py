"""Orchestration: the stages in order, progress, and an atomic swap of the output folder."""

from __future__ import annotations

import gc
import shutil
import time
from contextlib import ExitStack, contextmanager
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from . import settings as defaults
from .documents import DocumentIssue, scan_documents
from .errors import InputError, OutputError
from .actors import ActorFinder, load_actors
from .atlas import Atlas, assemble
from .ledger import MentionLedger
from .corroborate import corroborate
from .events import EventExtractor
from .gazetteer.geometry import COUNTRIES_FILE, Boundaries, outline_features
from .gazetteer.geonames import GeoNamesIndex, load_index
from .gazetteer.table import Gazetteer, load_gazetteer
from .mentions import MentionFinder, read_stoplist
from .output import OutputFolder
from .places import PlaceFactFinder
from .document_cache import DocumentCache, files_digest, row_digest
from .pipeline import (DocumentPipeline, DocumentResult, KeptResult, default_jobs, people_countries, run_documents,
                       workers_for)
from .records import Document, Event, Resolution
from .resolve import GazetteerStage, GeocoderCache, GeocoderStage, GeoNamesStage, Resolver, Stage
from .settings import ACTORS_FILE, GEOCODER_CACHE_FILE, STOPLIST_FILE, Settings
from .timings import Timings

OUTPUT_FILES = ("index.html", "map-data.js", "map-data-later.js", "events.html", "timeline.png", "mentions.csv",
                "places.geojson", "events.csv", "events.geojson", "review.csv", "review-names.csv")
#: What a build writes into the output folder; anything else there is the user's and is carried over.
OWNED_NAMES = OUTPUT_FILES + ("assets",)


@dataclass
class BuildResult:
    documents: list[Document]
    events: list[Event]
    out_dir: Path
    counts: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)
    #: geocoder faults (timeouts, HTTP errors): the names concerned stayed unresolved this time
    geocoder_faults: list = field(default_factory=list)
    #: documents skipped or read with a fallback (an encoding guessed, front matter ignored)
    document_issues: list[DocumentIssue] = field(default_factory=list)
    #: everything the outputs were written from
    atlas: Atlas | None = None
    #: wall and CPU seconds per stage
    timings: Timings = field(default_factory=Timings)

    @property
    def resolutions(self) -> list[Resolution]:
        """Every mention of a place by name, by document then position (read back from the ledger)."""
        return list(self.atlas.resolutions) if self.atlas is not None else []

    def summary(self) -> str:
        c = self.counts
        skipped = f" ({c['skipped']} skipped)" if c["skipped"] else ""
        reused = f" ({c['reused']} unchanged since the last build, not read again)" if c["reused"] else ""
        return (f"{c['documents']} documents{skipped}{reused}, {c['mentions']} mentions, {c['places']} places, "
                f"{c['events']} events ({c['events_placed']} on the map), {c['context']} context, "
                f"{c['unresolved']} unresolved"
                f" -> {self.out_dir}")

    def review_summary(self) -> str:
        c = self.counts
        total = c["unresolved"] + c["fallback"] + c["ambiguous"]
        return (f"review: {total} mention(s) to check ({c['unresolved']} unresolved, {c['fallback']} resolved "
                f"only by a fallback stage, {c['ambiguous']} ambiguous) -> {self.out_dir / 'review.csv'}")


def open_geonames(settings: Settings, notify: Callable[[str], None] = lambda message: None) -> GeoNamesIndex:
    try:
        return load_index(settings.cache_dir, settings.boundaries_dir / "countries.geojson",
                          defaults.GEONAMES_MIN_POPULATION, on_build=notify)
    except OSError as error:  # --cache a file, a symlink loop, a read-only place
        raise InputError(f"cannot be used as the cache folder: {error.strerror or error}",
                         path=str(settings.cache_dir)) from None


def make_geocoder(settings: Settings, gazetteer: Gazetteer) -> GeocoderStage:
    """The online stage. Offline (the default) it answers from the cache alone."""
    points = {p.country: (p.lat, p.lon) for p in gazetteer.places.values() if p.kind == "country" and p.country}
    return GeocoderStage(GeocoderCache.load(settings.geocoder_cache), online=settings.online,
                         provider=settings.geocoder_provider, url=settings.geocoder_url, country_points=points)


def make_resolver(gazetteer: Gazetteer, geonames: GeoNamesIndex, extra_stages: Iterable[Stage] = ()) -> Resolver:
    """The chain in its fixed order; an online geocoder joins it as one more stage at the end."""
    return Resolver([GazetteerStage(gazetteer), GeoNamesStage(geonames, gazetteer), *extra_stages])


def build(settings: Settings, progress: Callable[[Iterable, int], Iterable] | None = None,
          notify: Callable[[str], None] = lambda message: None) -> BuildResult:
    """Read, find, resolve, extract and write. Nothing in ``out_dir`` changes unless all succeed.
    ``progress(items, total)`` wraps the documents being read (a progress bar); ``notify`` hears what
    the user should know while it runs (e.g. waiting for another build)."""
    if settings.dask and settings.online:
        raise InputError("--dask cannot be used with --online: the geocoder is asked from one process, at its pace")
    _check_output_folder(settings)
    with OutputFolder(settings.out_dir, OWNED_NAMES, on_wait=notify) as output, _fewer_collections():
        return _build(settings, output, progress, notify)


@contextmanager
def _fewer_collections():
    """A build makes and keeps hundreds of thousands of small objects (mentions, candidates, events),
    few of them in reference cycles: Python's default, a collection every 700 new objects, scanned
    them again and again (a tenth of a build's time). The caller's settings come back after."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build(settings: Settings, output: OutputFolder, progress, notify) -> BuildResult:
    timings = Timings()
    with timings.stage("read"):
        # the editors' files first: a broken gazetteer is found in a moment, not after every document
        boundaries = Boundaries(settings.boundaries_dir)
        boundaries = boundaries if boundaries.available else None
        gazetteer = load_gazetteer(settings.gazetteer_dir, boundaries, settings.country_margin_km)
        actors = load_actors(settings.gazetteer_dir)
        stoplist = read_stoplist(settings.gazetteer_dir)
        scan = scan_documents(settings.seeds_dir, split=False)
    if settings.strict:
        scan.raise_for_issues()
    for issue in scan.issues:
        notify(str(issue))
    if boundaries is None:
        notify(f"warning: {settings.boundaries_dir}: no {COUNTRIES_FILE}; the events' provinces and border "
               "distances are left empty, and the places are not checked against their countries")
    documents = scan.documents
    if not documents:
        skipped = f" ({len(scan.skipped)} file(s) skipped, see the warnings)" if scan.skipped else ""
        raise InputError(f"has no usable documents (*.txt or *.md){skipped}", path=str(settings.seeds_dir))
    with timings.stage("index"):
        geonames = open_geonames(settings, notify)
    geocoder = make_geocoder(settings, gazetteer)
    countries = {p.country: p for p in sorted(gazetteer.places.values(), key=lambda p: p.id) if p.kind == "country"}
    fact_finder = PlaceFactFinder(boundaries, gazetteer, settings.border_km)
    recogniser = _recogniser(settings, timings)
    pipeline = DocumentPipeline(MentionFinder(gazetteer, geonames, stoplist, recogniser),
                                make_resolver(gazetteer, geonames, [geocoder]),
                                EventExtractor(ActorFinder(actors), frozenset(gazetteer.names), countries,
                                               people_countries(geonames, countries)),
                                fact_finder)
    cache = _open_document_cache(settings, gazetteer, geonames, countries, notify)
    # online, the geocoder may answer names the stored results left unresolved, and it keeps its own
    # pace: one process, every document read
    jobs = 1 if settings.online else (settings.jobs or default_jobs())
    ledger = MentionLedger(documents)
    with timings.stage("documents"), ExitStack() as stack:
        cluster = _connect_cluster(settings, pipeline, geonames, stack)
        results, workers = _document_results(pipeline, documents, cache, not settings.online, jobs, timings, progress,
                                             _Keeper(ledger, fact_finder), cluster)
    geonames.close()
    failed = [(document, result.problem) for document, result in zip(documents, results) if result.problem]
    for document, problem in failed:
        notify(f"warning: {document.name}: skipped, its text could not be read through ({problem})")
    if cache is not None:
        cache.close()
        if cache.problem:
            notify(f"warning: {cache.problem}")
    events: list[Event] = [e for result in results for e in result.events]
    del results  # the events before the merge are not kept beside the merged ones
    # pandas, folium and matplotlib load here, not with the package: `geomap --help` stays quick
    from . import exports

    staging = output.staging()
    beside: list[_Beside] = []
    try:
        # the mentions are all known now: written beside the merge and the map (with more than one job)
        places = ledger.mapped_places(fact_finder.facts)
        beside.append(_Beside("mention exports", lambda: exports.write_mention_exports(ledger, places, staging),
                              jobs, timings))
        with timings.stage("merge"):
            events = corroborate(events, lambda place_id: gazetteer.places[place_id].parent
                                 if place_id in gazetteer.places else "")
        with timings.stage("atlas"):
            outlines = outline_features(settings.boundaries_dir, defaults.OUTLINE_COUNTRIES,
                                        defaults.SHADED_PROVINCE_COUNTRIES, detailed=defaults.FOCUS_COUNTRIES)
            atlas = assemble(documents, ledger, events, fact_finder.facts, gazetteer.places.values(), outlines,
                             places)
        beside.append(_Beside("event exports", lambda: exports.write_event_exports(atlas, staging), jobs, timings))
        _write(atlas, staging, timings)
        for work in beside:
            work.finish()
    except BaseException as error:  # the old output stays as it was
        for work in beside:
            work.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):  # a full disk, a quota
            raise OutputError(f"could not write the new build: {error.strerror or error}; "
                              f"{settings.out_dir} is unchanged") from None
        raise
    output.publish(staging)

    issues = ledger.issues
    counts = Counter(documents=len(documents) - len(failed), mentions=ledger.names, places=len(atlas.places),
                     events=sum(1 for e in events if e.kind == "event"), events_placed=len(atlas.placed_events),
                     context=sum(1 for e in events if e.kind == "context"),
                     unresolved=issues["unresolved"], fallback=issues["fallback"], ambiguous=issues["ambiguous"])
    counts.update(skipped=len(scan.skipped) + len(failed), document_warnings=len(scan.warnings),
                  reused=cache.hits if cache is not None else 0, workers=workers)
    for warning in geocoder.warnings:  # the cache: rows ignored, or answers it could not keep
        notify(f"geocoder: warning: {warning}")
    return BuildResult(documents, events, settings.out_dir, counts, gazetteer.warnings,
                       [issue for issue in geocoder.issues if issue.fault], scan.issues, atlas, timings)


def _open_document_cache(settings: Settings, gazetteer: Gazetteer, geonames: GeoNamesIndex,
                         countries: dict, notify) -> DocumentCache | None:
    if settings.document_cache is None:
        return None
    # everything besides the place rows that a document's result depends on
    boundaries = sorted(settings.boundaries_dir.glob("*")) if settings.boundaries_dir.is_dir() else []
    context = files_digest([settings.gazetteer_dir / name for name in (ACTORS_FILE, STOPLIST_FILE, GEOCODER_CACHE_FILE)]
                           + boundaries,  # the provinces and borders of the places' facts
                           [geonames.path.name, f"border_km={settings.border_km}", f"ner={settings.ner}",
                            *(row_digest(p) for p in countries.values())])
    cache, problem = DocumentCache.open(settings.document_cache, context, gazetteer.places, gazetteer.names)
    if problem:
        notify(f"warning: {problem}")
    return cache


def _recogniser(settings: Settings, timings: Timings):
    """The optional statistical recogniser, loaded here so that forked workers share it, or None."""
    if not settings.ner:
        return None
    from .recognise import RecogniserUnavailable, SpacyRecogniser

    with timings.stage("recogniser"):
        try:
            return SpacyRecogniser().load()
        except RecogniserUnavailable as error:
            raise InputError(str(error)) from error


def _connect_cluster(settings: Settings, pipeline: DocumentPipeline, geonames: GeoNamesIndex, stack: ExitStack):
    """A client of the Dask cluster the settings name, checked and ready, or None."""
    if not settings.dask:
        return None
    from . import cluster

    client = stack.enter_context(cluster.connect(settings.dask))
    cluster.prepare(client, pipeline, geonames)
    return client


def _document_results(pipeline: DocumentPipeline, documents: list[Document], cache: DocumentCache | None,
                      read_cache: bool, jobs: int, timings: Timings, progress, keep: _Keeper,
                      cluster=None) -> tuple[list[DocumentResult], int]:
    """Each document's result, from the cache where it is still valid, else computed (in up to
    ``jobs`` processes, or on the Dask ``cluster``'s workers) and stored; and how many worker
    processes computed them. Each result is handed to ``keep`` as it comes, and what is returned
    is what it leaves of it."""
    results: list[DocumentResult | None] = [None] * len(documents)
    if cache is not None and read_cache:
        with timings.stage("cache"):
            for index, document in enumerate(documents):
                stored = cache.get(document)
                if stored is not None:
                    results[index] = keep(index, document, stored)
                    documents[index] = _read_through(document)
    todo = [i for i, result in enumerate(results) if result is None]
    batch = [documents[i] for i in todo]
    if cluster is not None:
        from .cluster import run_on_cluster, worker_count

        workers = worker_count(cluster)
        computed = run_on_cluster(cluster, pipeline, batch, timings)
    else:
        workers = workers_for(jobs, len(todo))
        computed = run_documents(pipeline, batch, workers, timings)
    for position, (index, (result, payload)) in enumerate(zip(todo, (progress or (lambda items, total: items))(
            computed, len(todo)))):
        if cache is not None and not result.problem:  # a failed document is tried again next time
            cache.put(documents[index], result, payload)
        results[index] = keep(index, documents[index], result)
        # read through: what follows needs its name, title, publisher, address and date only
        documents[index] = batch[position] = _read_through(documents[index])
    return results, workers


def _read_through(document: Document) -> Document:
    """The document without its text: at ten thousand documents, the texts and their sentences held
    to the end took hundreds of megabytes (the review queue keeps the sentences it quotes)."""
    return replace(document, text="", sentences=())


class _Keeper:
    """What a build keeps of each document's result as it comes: its mentions go to the ledger, the
    facts of its places to the fact finder (one entry per place, not one per document naming it),
    and what is left is its events (and why it failed, if it did). Ten thousand documents' results,
    held whole, took gigabytes."""

    def __init__(self, ledger: MentionLedger, fact_finder: PlaceFactFinder):
        self.ledger, self.fact_finder = ledger, fact_finder

    def __call__(self, index: int, document: Document, result: KeptResult) -> DocumentResult:
        self.ledger.file(index, result.mentions)
        # worked out with the document, here, in a worker or in an earlier build
        self.fact_finder.remember(result.facts)
        return DocumentResult((), result.events, problem=result.problem)


class _Beside:
    """A part of the outputs written in a forked process while this one goes on (with more than one
    job, where a fork is safe), else here and now. Its wall and CPU seconds are timed as ``name``,
    and the time this process then waits for it as ``name wait``."""

    def __init__(self, name: str, task: Callable[[], None], jobs: int, timings: Timings):
        from . import forked

        self.name, self.task, self.timings = name, task, timings
        self.elsewhere = forked.start(self._timed) if jobs > 1 else None
        if self.elsewhere is None:
            timings.add(name, *self._timed())

    def _timed(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        self.task()
        return time.perf_counter() - wall, time.process_time() - cpu

    def finish(self) -> None:
        if self.elsewhere is not None:
            wall = time.perf_counter()
            self.timings.add(self.name, *self.elsewhere.result(self._timed))
            self.timings.add(f"{self.name} wait", time.perf_counter() - wall, 0.0)

    def cancel(self) -> None:
        if self.elsewhere is not None:
            self.elsewhere.cancel()


def _write(atlas: Atlas, staging: Path, timings: Timings) -> None:
    """The map, the events page and the timeline into the staging folder (the data exports are
    written beside them: see ``_Beside``)."""
    from .render import copy_assets, write_events_page, write_map, write_timeline

    with timings.stage("map"):
        write_map(staging / "index.html", atlas)
        copy_assets(staging)
    with timings.stage("events page"):
        with (staging / "events.html").open("w", encoding="utf-8") as page:
            write_events_page(page, atlas)
    with timings.stage("timeline"):
        write_timeline(atlas, staging / "timeline.png")


def _check_output_folder(settings: Settings) -> None:
    """The output folder is replaced as a whole: never let that be a folder holding the inputs."""
    out = _resolved(settings.out_dir)
    for name, folder in (("documents", settings.seeds_dir), ("gazetteer", settings.gazetteer_dir),
                         ("current", Path.cwd())):
        folder = _resolved(folder)
        if folder == out or out in folder.parents:
            raise InputError(f"the output folder holds the {name} folder {folder}; a build replaces its output "
                             "folder as a whole, so give it one of its own (e.g. --out maps)",
                             path=str(settings.out_dir))


def _resolved(folder: Path) -> Path:
    """The folder's real path; a symlink loop or a name too long for the system is a clear error."""
    try:
        return folder.resolve()
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop (Python before 3.13)
        reason = getattr(error, "strerror", None) or str(error)
        raise InputError(f"cannot be used as a folder: {reason}", path=str(folder)) from None
