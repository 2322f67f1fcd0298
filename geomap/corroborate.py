"""One point per happening: reports of the same event, in several documents or restated in one,
become one event with every report as a source.

Two reports are of the same event when they have the same type and status, their date windows
overlap, their places agree (the same place, or one inside the other), they do not send their
people to different countries, and their counts of people (when both give one) are of a size. Within a document a
restatement may borrow its place from its paragraph ("The raid began on Monday"); across documents
each report must name its own place. Context (trends, history) never merges, and neither does a
generic report (a country or region, dated only by its publication) with a specific one from
another document: "Cambodia cracked down on scams" is no evidence of a given raid in Poipet.

Candidates are found through an index, not by comparing every pair: reports are filed by type,
status, place (their own, and every place containing it) and time (the weeks of a short window,
the months of a long one), and a new report is compared only with the groups filed under its places
and times. The work grows with the number of reports times the depth of the place tree and the
buckets of a window, and with the reports that really are at one place in one week.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from .figures import most_people
from .records import DATE_PRECISIONS, KIND_SPECIFICITY, Event, Place
from .roles import finest_places


def corroborate(events: Sequence[Event], parent_of: Callable[[str], str]) -> list[Event]:
    """Merge reports of the same event. ``parent_of(place_id)`` gives a place's parent id ("" at the
    top), so that a report at Sihanoukville and one at Cambodia can be the same event."""
    ancestry = _Ancestry(parent_of)
    for event in events:  # every country known before any chain is made: the order must not matter
        if event.place is not None and event.place.kind == "country":
            ancestry.country_ids.setdefault(event.place.country, event.place.id)
    # only reports of one type and status can be one event: each kind is merged on its own, so that
    # the index holds one kind's reports at a time (all of them at once took hundreds of megabytes)
    kinds: dict[tuple[str, str], list[Event]] = defaultdict(list)
    merged: list[Event] = []
    for event in events:
        if event.kind != "event" or event.place is None or not event.date.known:
            merged.append(event)
        else:
            kinds[(event.type, event.status)].append(event)
    for kind in sorted(kinds):
        merged += (_merge(group) for group in _groups(kinds.pop(kind), ancestry))
    return sorted(merged, key=lambda e: e.event_id)


def _groups(events: Sequence[Event], ancestry: "_Ancestry") -> list[list[Event]]:
    """Reports of one type and status, in groups of the same event."""
    groups: list[list[Event]] = []
    # (place id or "^" + a place containing it, time bucket) -> the groups filed there
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    in_document: dict[str, list[int]] = defaultdict(list)  # a document's groups: its restatements
    shared: list[_Shared] = []
    for event in events:
        chain = ancestry.chain(event.place)
        filed_under, looked_up = _time_buckets(event)
        keys = [(place_id, bucket) for place_id in chain for bucket in looked_up]
        candidates: set[int] = set()
        if _is_generic(event):
            # a generic report meets reports inside its place only in its own document: a country's
            # every report of a month would otherwise be its candidates
            candidates.update(in_document.get(event.doc, ()))
        else:
            keys += [("^" + event.place.id, bucket) for bucket in looked_up]
        candidates.update(g for key in keys for g in index.get(key, ()))
        for number in sorted(candidates):
            group = groups[number]
            # with what all its reports share (a window, a place nested in all of theirs), its first
            # report and its latest few; not with every report: a story told by hundreds of articles
            # would make every new report of it cost hundreds of comparisons
            if shared[number].admits(event, ancestry) and \
                    all(_same_event(event, other, ancestry) for other in _representatives(group)):
                group.append(event)
                shared[number] = shared[number].with_report(event)
                break
        else:
            number = len(groups)
            groups.append([event])
            shared.append(_Shared.of(event))
            in_document[event.doc].append(number)
            # filed, for each time bucket of its window, under its own place (found by reports inside
            # it or at it) and, marked "^", under every place containing it (found by reports there)
            for bucket in filed_under:
                index[(event.place.id, bucket)].append(number)
                for place_id in chain[1:]:
                    index[("^" + place_id, bucket)].append(number)
    return groups


#: A window at most this long (days) is "short": filed by the weeks it touches, so that reports of
#: different weeks at one busy place are never compared; longer windows are filed by month.
SHORT_WINDOW_DAYS = 62


def _time_buckets(event: Event) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return _window_buckets(*event.date.window)


@lru_cache(maxsize=8192)  # many reports share a day or a month
def _window_buckets(first_day: str, last_day: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The time buckets an event's group is filed under, and those it looks up, such that two
    windows that overlap always meet in one bucket, and few that do not ever do:
    - a single day ("d") meets single days of that day, short windows in its week ("W"), long
      windows in its month ("L");
    - a short window meets single days in its weeks ("w"), short windows in its weeks ("W"), long
      windows in its months ("L");
    - a long window meets single days and short windows through the months they touch ("s"), long
      windows in its months ("L")."""
    first, last = dt.date.fromisoformat(first_day), dt.date.fromisoformat(last_day)
    months = _months(first, last)
    monday = first - dt.timedelta(days=first.weekday())
    weeks = [(monday + dt.timedelta(weeks=k)).isoformat() for k in range((last - monday).days // 7 + 1)]
    if first == last:
        return ((f"d{first.isoformat()}", f"w{weeks[0]}", f"s{months[0]}"),
                (f"d{first.isoformat()}", f"W{weeks[0]}", f"L{months[0]}"))
    if (last - first).days < SHORT_WINDOW_DAYS:
        return (tuple([f"W{w}" for w in weeks] + [f"s{m}" for m in months]),
                tuple([f"w{w}" for w in weeks] + [f"W{w}" for w in weeks] + [f"L{m}" for m in months]))
    return tuple(f"L{m}" for m in months), tuple([f"s{m}" for m in months] + [f"L{m}" for m in months])


def _months(first: dt.date, last: dt.date) -> list[str]:
    year, month, months = first.year, first.month, []
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class _Ancestry:
    """A place's id and its ancestors' ids (with its country's id last), each chain computed once."""

    def __init__(self, parent_of: Callable[[str], str]):
        self.parent_of = parent_of
        self._chains: dict[str, tuple[str, ...]] = {}
        self.country_ids: dict[str, str] = {}

    def chain(self, place: Place) -> tuple[str, ...]:
        if place.id not in self._chains:
            ids, seen, place_id = [], set(), place.id
            while place_id and place_id not in seen:
                ids.append(place_id)
                seen.add(place_id)
                place_id = self.parent_of(place_id)
            country_id = self.country_ids.get(place.country)
            if country_id and country_id not in ids:
                ids.append(country_id)  # a place the gazetteer does not file under its country
            self._chains[place.id] = tuple(ids)
        return self._chains[place.id]

    def contains(self, outer: Place, inner: Place) -> bool:
        return outer.id in self.chain(inner) or (outer.kind == "country" and inner.country == outer.country
                                                 and inner.kind != "country")


def _same_event(a: Event, b: Event, ancestry: _Ancestry) -> bool:
    if a.type != b.type or a.status != b.status or (a.doc == b.doc and a.sentence_start == b.sentence_start):
        return False
    if not _windows_overlap(a, b) or _sent_apart(a, b) or _counts_apart(a, b):
        return False
    if a.doc == b.doc:
        if _is_another(a) or _is_another(b):
            return False  # "In a separate operation, officers raided a hotel"
        if a.place.id == b.place.id:
            return True
        # a lede restated at a coarser place ("Thai police raided a compound" / "... in Mae Sot")
        return (ancestry.contains(a.place, b.place) or ancestry.contains(b.place, a.place)) and \
            _is_coarse(a) != _is_coarse(b)
    if not (_own_place(a) and _own_place(b)):
        return False
    if a.date.from_publication and b.date.from_publication:
        return False  # two articles' undated raids at Poipet in one month: nothing says they are one
    if _is_generic(a) != _is_generic(b):
        return False
    return ancestry.contains(a.place, b.place) or ancestry.contains(b.place, a.place) or a.place.id == b.place.id


@dataclass(frozen=True)
class _Shared:
    """What every report of a group agrees on: the days all their windows share, and the most
    specific of their places (every other place of the group contains it). A new report must fit
    both, so that comparing it with a few reports only never chains unrelated ones together."""

    start: str
    end: str
    finest: Place

    @classmethod
    def of(cls, event: Event) -> "_Shared":
        start, end = event.date.window
        return cls(start, end, event.place)

    def admits(self, event: Event, ancestry: "_Ancestry") -> bool:
        start, end = event.date.window
        if not (start <= self.end and self.start <= end):
            return False
        place = event.place
        return place.id == self.finest.id or ancestry.contains(place, self.finest) \
            or ancestry.contains(self.finest, place)

    def with_report(self, event: Event) -> "_Shared":
        start, end = event.date.window
        finer = event.place if KIND_SPECIFICITY.get(event.place.kind, 0) > KIND_SPECIFICITY.get(
            self.finest.kind, 0) else self.finest
        return _Shared(max(self.start, start), min(self.end, end), finer)


#: A new report is compared with a group's first report and this many of its latest.
LATEST_COMPARED = 3


def _representatives(group: list[Event]) -> list[Event]:
    return group if len(group) <= LATEST_COMPARED + 1 else [group[0], *group[-LATEST_COMPARED:]]


def _sent_apart(a: Event, b: Event) -> bool:
    """People sent to different countries ("flown to China", "73 South Koreans and 136 Myanmar
    nationals deported") are not of one deportation, however near its day and place."""
    if not (a.destinations and b.destinations):
        return False
    return not {p.country for p in a.destinations} & {p.country for p in b.destinations}


#: Two reports whose largest counts of people differ more than this many times are of two happenings.
COUNTS_APART = 3


def _counts_apart(a: Event, b: Event) -> bool:
    """"Deported 1,620 foreigners" and "repatriated 29 citizens" are not one deportation; "detained
    more than 2,000" and "2,198 were detained" may be."""
    first, second = most_people(a.figures), most_people(b.figures)
    return bool(first and second) and max(first, second) > COUNTS_APART * min(first, second)


def _windows_overlap(a: Event, b: Event) -> bool:
    a_start, a_end = a.date.window
    b_start, b_end = b.date.window
    return a_start <= b_end and b_start <= a_end


def _own_place(event: Event) -> bool:
    # a place borrowed from the paragraph or the document says nothing about which event a
    # sentence reports
    return event.place_basis in ("sentence", "government", "dateline")


def _is_coarse(event: Event) -> bool:
    return event.place.kind in ("country", "region", "water", "province")


def _is_generic(event: Event) -> bool:
    return event.place.kind in ("country", "region", "water") and event.date.from_publication


_ANOTHER = ("separate", "separately", "another", "second", "later", "also", "further", "other", "meanwhile")


def _is_another(event: Event) -> bool:
    words = {w.strip(",.;:").lower() for w in event.quote.split()[:12]}
    return any(w in words for w in _ANOTHER)


def _merge(group: list[Event]) -> Event:
    """The report with the most specific place and the most precise date leads; the date is the
    narrowest any report gives ("cut power to Myawaddy since February" and "... on Feb. 5": Feb. 5),
    as the reports' windows overlap; every report is a source."""
    if len(group) == 1:
        return group[0]
    precision_rank = {p: i for i, p in enumerate(DATE_PRECISIONS)}
    # an event spread over several places ("raids in Paranaque, Cavite and Pasay", "cut power to
    # three Myanmar border towns") is at their country: a report of one of its places is a detail
    lead = min(group, key=lambda e: (e.place_basis != "list", -KIND_SPECIFICITY.get(e.place.kind, 0),
                                     e.place.precision_km,
                                     e.date.from_publication, precision_rank.get(e.date.precision, 9),
                                     e.doc, e.sentence_start))
    dated = min(group, key=lambda e: (e.date.from_publication, _window_days(e), precision_rank.get(e.date.precision, 9),
                                      e != lead, e.doc, e.sentence_start))
    sources = tuple(sorted({s for e in group for s in e.sources}, key=lambda s: (s.doc, s.sentence_start)))
    lead_sources = tuple(s for s in sources if (s.doc, s.sentence_start) == (lead.doc, lead.sentence_start))
    actors = tuple(dict.fromkeys(a for e in [lead, *group] for a in e.actors))
    figures = tuple(dict.fromkeys(f for e in [lead, *group] for f in e.figures))
    origins = _unique_places(p for e in [lead, *group] for p in e.origins)
    destinations = finest_places(_unique_places(p for e in [lead, *group] for p in e.destinations))
    unresolved = tuple(dict.fromkeys(n for e in [lead, *group] for n in e.unresolved_names))
    return replace(lead, sources=lead_sources + tuple(s for s in sources if s not in lead_sources),
                   actors=actors, figures=figures, origins=origins, destinations=destinations,
                   date=dated.date, date_inferred=dated.date_inferred, unresolved_names=unresolved)


def _window_days(event: Event) -> int:
    start, end = event.date.window
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def _unique_places(places: Iterable[Place]) -> tuple[Place, ...]:
    return tuple({p.id: p for p in places}.values())
