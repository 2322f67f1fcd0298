"""Every mention of a build, kept compact while the build goes on.

A build of ten thousand documents resolves some 650,000 mentions; held as objects (each mention with
its candidates and reasons) they took over a gigabyte, though only the exports read them one by one.
The ledger keeps, per document, one compressed block of plain rows, and, as each document comes in,
what the map needs of all of them at once: each place's count of mentions, documents and spellings,
and the size of the editors' review queue. The mentions are read back a document at a time, in the
order of the exports (document name, then position in the text).
"""

from __future__ import annotations

import pickle
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Iterator, Literal, Sequence

from . import settings
from .places import PlaceFacts
from .records import Document, Mention, Place, Resolution, Sentence

#: Why a mention is in the editors' review queue.
ReviewIssue = Literal["unresolved", "fallback", "ambiguous"]

#: What an exported mention is: a place name, a nationality word naming its country ("demonym"), or
#: a place named inside an organisation's name ("in_organisation"; see ``pipeline.DocumentResult``).
MentionKind = str


@dataclass(frozen=True)
class MappedPlace:
    """A resolved place, once, with how the documents name it."""

    place: Place
    facts: PlaceFacts
    resolved_by: str
    mentions: int
    documents: tuple[str, ...]
    surfaces: tuple[str, ...]


@dataclass(frozen=True)
class ReviewItem:
    """A mention an editor should look at, with the sentence it is in, what to do, and the best
    candidates it had (as a line an editor can read)."""

    resolution: Resolution
    issue: ReviewIssue
    sentence: Sentence
    suggestion: str
    candidates: str = ""


# A row of a block: (start, end, surface, sentence index, place id, resolved by, reason, ambiguous,
# kind, review issue, candidates' line, and, for the review queue, the sentence's start, end and
# text). Plain values pickle and load an order of magnitude faster than the objects they come from.
_Row = tuple[int, int, str, int, str, str, str, bool, str, str, str, int, int, str]


@dataclass(frozen=True)
class LedgerEntry:
    """What the ledger keeps of one document's mentions, made where the document is read (a worker
    process, or an earlier build whose store kept it): the build only files it."""

    block: bytes  # the rows (``_Row``), pickled and compressed
    places: tuple[Place, ...]  # each place a mention names, once, in the order first named
    #: (place id, mentions, spellings, position of its last mention among the names, that one's stage)
    tallies: tuple[tuple[str, int, tuple[str, ...], int, str], ...]
    issues: tuple[tuple[ReviewIssue, int], ...]  # the review queue's rows, by issue
    review_placed: int  # of which placed (the others are unresolved)
    names: int  # mentions of places by name
    count: int  # every mention


def ledger_entry(document: Document, resolutions: Sequence[Resolution],
                 others: Sequence[tuple[MentionKind, Resolution]] = ()) -> LedgerEntry:
    """A document's mentions as the ledger keeps them: its resolved names and its other mentions
    (the document's sentences are read for those an editor should look at)."""
    rows: list[_Row] = []
    places: dict[str, Place] = {}
    counts: Counter = Counter()
    spellings: dict[str, set[str]] = defaultdict(set)
    last: dict[str, tuple[int, str]] = {}
    issues: Counter = Counter()
    review_placed = 0
    for position, r in enumerate(resolutions):
        issue = review_issue(r)
        if r.place is not None:
            place_id = r.place.id
            places.setdefault(place_id, r.place)
            counts[place_id] += 1
            spellings[place_id].add(r.mention.surface)
            last[place_id] = (position, r.resolved_by)
        if issue:
            issues[issue] += 1
            review_placed += r.place is not None
        rows.append(_row(r, "name", issue, document.sentences[r.mention.sentence_index] if issue else None))
    for kind, r in others:
        if r.place is not None:
            places.setdefault(r.place.id, r.place)
        rows.append(_row(r, kind, "", None))
    # in the exports' order: by position, names before other mentions at the same position
    rows.sort(key=lambda row: (row[0], row[1]))
    return LedgerEntry(zlib.compress(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL), 1),
                       tuple(places.values()),
                       tuple((i, counts[i], tuple(sorted(spellings[i])), *last[i]) for i in sorted(counts)),
                       tuple(sorted(issues.items())), review_placed, len(resolutions),
                       len(resolutions) + len(others))


class MentionLedger:
    """The mentions of a build's documents (``documents``, in the build's order), filed as each
    document's entry comes in, in any order: what is kept does not depend on it."""

    def __init__(self, documents: Sequence[Document]):
        self.document_names = [d.name for d in documents]
        self._blocks: dict[int, bytes] = {}
        #: every place a mention names, by id (the rows hold only its id)
        self.place_of: dict[str, Place] = {}
        self._counts: Counter = Counter()
        self._documents: dict[str, set[str]] = defaultdict(set)
        self._surfaces: dict[str, set[str]] = defaultdict(set)
        # the stage of a place's last mention, in document order: (document, position, stage)
        self._stages: dict[str, tuple[int, int, str]] = {}
        self.names = 0  # mentions of places by name (not demonyms, nor names inside organisations')
        self.count = 0  # every mention
        self.issues: Counter = Counter()  # the review queue's size, by issue
        self.review_placed = 0  # of which placed (the others are unresolved)

    def file(self, index: int, entry: LedgerEntry) -> None:
        """The ``index``-th document's entry."""
        name = self.document_names[index]
        self._blocks[index] = entry.block
        for place in entry.places:
            self.place_of.setdefault(place.id, place)
        for place_id, mentions, spellings, position, stage in entry.tallies:
            self._counts[place_id] += mentions
            self._documents[place_id].add(name)
            self._surfaces[place_id].update(spellings)
            self._stages[place_id] = max(self._stages.get(place_id, (-1, -1, "")), (index, position, stage))
        self.issues.update(dict(entry.issues))
        self.review_placed += entry.review_placed
        self.names += entry.names
        self.count += entry.count

    def __len__(self) -> int:
        return self.count

    def mapped_places(self, facts: Callable[[Place], PlaceFacts]) -> tuple[MappedPlace, ...]:
        """Each place named, once, by id."""
        return tuple(MappedPlace(self.place_of[i], facts(self.place_of[i]), self._stages[i][2], self._counts[i],
                                 tuple(sorted(self._documents[i])), tuple(sorted(self._surfaces[i])))
                     for i in sorted(self._counts))

    def mentions(self) -> Iterator[tuple[MentionKind, Resolution]]:
        """Every mention, by document name then position: ("name", resolution), ("demonym", ...)..."""
        for name, row in self._all(lambda row: True):
            yield row[8], self._resolution(name, row)

    def resolutions(self) -> Iterator[Resolution]:
        """The mentions of places by name, by document name then position."""
        for name, row in self._all(lambda row: row[8] == "name"):
            yield self._resolution(name, row)

    def review(self) -> Iterator[ReviewItem]:
        """The mentions an editor should look at, by document name then position."""
        for name, row in self._all(lambda row: bool(row[9])):
            r = self._resolution(name, row)
            yield ReviewItem(r, row[9], Sentence(row[3], row[11], row[12], row[13]), _suggestion(row[9], r), row[10])

    def _all(self, wanted: Callable[[_Row], bool]) -> Iterator[tuple[str, _Row]]:
        for index in sorted(self._blocks, key=lambda i: self.document_names[i]):
            name = self.document_names[index]
            for row in pickle.loads(zlib.decompress(self._blocks[index])):
                if wanted(row):
                    yield name, row

    def _resolution(self, document: str, row: _Row) -> Resolution:
        start, end, surface, sentence, place_id, resolved_by, reason, ambiguous = row[:8]
        return Resolution(Mention(document, start, end, surface, sentence),
                          self.place_of[place_id] if place_id else None, resolved_by, reason, ambiguous=ambiguous)


def _row(r: Resolution, kind: MentionKind, issue: str, sentence: Sentence | None) -> _Row:
    m = r.mention
    return (m.start, m.end, m.surface, m.sentence_index, r.place.id if r.place else "", r.resolved_by, r.reason,
            r.ambiguous, kind, issue, candidates_text(r) if issue else "",
            *((sentence.start, sentence.end, sentence.text) if sentence is not None else (0, 0, "")))


def review_issue(r: Resolution) -> ReviewIssue | Literal[""]:
    """Why a mention needs an editor's eye: nothing resolved it, only a fallback stage (GeoNames, the
    geocoder) did, or its best candidates were too close to call; "" when none of these."""
    if r.place is None:
        return "unresolved"
    if r.ambiguous:
        return "ambiguous"
    return "fallback" if r.resolved_by != "gazetteer" and not _beyond_doubt(r) else ""


def _beyond_doubt(r: Resolution) -> bool:
    """A large place the offline index found by its main name, with no close rival (Jakarta)."""
    return (r.resolved_by == "geonames" and r.place.population >= settings.REVIEW_MIN_POPULATION
            and r.mention.lookup_name == r.place.name)


def candidates_text(r: Resolution) -> str:
    """The best three candidates of a resolution, as one line an editor can read: where each is and
    how large, so that the right one can be told from its namesakes."""
    def one(c) -> str:
        size = f", {c.place.population:,} people" if c.place.population else ""
        return (f"{c.place.id} {c.place.name} ({c.place.country or '--'}, {c.place.lat:.4f}, {c.place.lon:.4f}"
                f"{size}; {c.stage} {c.score:g})")
    return "; ".join(one(c) for c in r.candidates[:3])


def _suggestion(issue: str, r: Resolution) -> str:
    surface = r.mention.surface
    if issue == "unresolved":
        return (f"if '{surface}' is a place, add a row to places.csv with it as name or alias; "
                "if it is not, nothing to do")
    if issue == "fallback":
        return (f"check {r.place.id} ({r.place.lat:.4f}, {r.place.lon:.4f}); if it is right, you may add "
                f"'{surface}' to places.csv to pin it; if wrong, add the right place with this alias")
    return (f"'{surface}' fits several places (see the candidates); keep the choice if it is right, else add "
            f"'{surface}' as an alias of the right row of places.csv, or a row for the right place with its "
            "coordinates from the candidates")

