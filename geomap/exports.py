"""The data files written next to the map, from the build's :class:`~geomap.atlas.Atlas`: CSV
tables (pandas) and GeoJSON. Rows are made here only; nothing reads them back."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pandas as pd

from .atlas import Atlas, MappedEvent, coordinate
from .ledger import MappedPlace, MentionLedger
from .places import PlaceFacts
from .records import Place

MENTION_COLUMNS = ["doc", "start", "end", "surface", "sentence", "place_id", "name", "kind", "country",
                   "lat", "lon", "precision_km", "resolved_by", "admin1", "admin1_code", "border_km",
                   "ambiguous", "reason", "mention"]
EVENT_COLUMNS = ["event_id", "kind", "date", "date_precision", "date_start", "date_end", "date_text",
                 "date_from_publication", "date_inferred", "type", "status", "trigger", "actors", "figures", "sources", "source_docs", "source_titles",
                 "place_id", "place_name", "place_kind", "geo_precision", "lat", "lon", "precision_km",
                 "resolved_by", "place_basis", "place_surface", "unresolved_names", "admin1", "admin1_code",
                 "border_km",
                 "origin_ids", "origin_names", "destination_ids", "destination_names",
                 "doc", "title", "publisher", "published",
                 "quote", "quotes", "sentence_start", "sentence_end", "trigger_start", "trigger_end",
                 "place_start", "place_end"]


REVIEW_COLUMNS = ["doc", "sentence", "start", "end", "surface", "issue", "resolved_by", "place_id", "place_name",
                  "lat", "lon", "candidates", "reason", "suggestion", "quote"]


#: Rows written at a time: a build's tens of thousands of events and hundreds of thousands of mentions
#: are never all rows at once.
CHUNK_ROWS = 20_000


#: review-names.csv: the review queue by name, the most often met first
REVIEW_NAME_COLUMNS = ["surface", "issue", "resolved_by", "place_id", "place_name", "mentions", "documents",
                       "candidates", "reason", "suggestion", "example_doc", "example_quote"]


def write_mention_exports(ledger: MentionLedger, places: Sequence[MappedPlace], folder: Path) -> None:
    """mentions.csv, review.csv and review-names.csv: known once every document is read, before the
    events are merged."""
    write_csv(mention_rows(ledger, places), MENTION_COLUMNS, folder / "mentions.csv")
    names = ReviewNames()
    write_csv(map(names.add, review_rows(ledger)), REVIEW_COLUMNS, folder / "review.csv")
    write_csv(names.rows(), REVIEW_NAME_COLUMNS, folder / "review-names.csv")


class ReviewNames:
    """The review queue by name: one row per spelling, issue and place, with how many mentions and
    documents have it and the first one's sentence. An editor who fixes a name fixes all its rows
    of review.csv at once, so the names met most often are worth fixing first."""

    def __init__(self):
        self._rows: dict[tuple[str, str, str], dict] = {}
        self._documents: dict[tuple[str, str, str], set[str]] = {}

    def add(self, row: dict) -> dict:
        key = (row["surface"], row["issue"], row["place_id"])
        if key not in self._rows:
            self._rows[key] = {**{c: row.get(c) for c in REVIEW_NAME_COLUMNS}, "mentions": 0,
                               "example_doc": row["doc"], "example_quote": row["quote"]}
            self._documents[key] = set()
        self._rows[key]["mentions"] += 1
        self._documents[key].add(row["doc"])
        return row

    def rows(self) -> list[dict]:
        for key, row in self._rows.items():
            row["documents"] = len(self._documents[key])
        return sorted(self._rows.values(), key=lambda r: (-r["mentions"], r["surface"], r["issue"], r["place_id"]))


def write_event_exports(atlas: Atlas, folder: Path) -> None:
    """events.csv, events.geojson (written together, a chunk of rows at a time) and places.geojson."""
    with (folder / "events.csv").open("w", encoding="utf-8", newline="") as table, \
            (folder / "events.geojson").open("w", encoding="utf-8") as features:
        _start_collection(features)
        chunks = written = 0
        for chunks, rows in enumerate(_chunks(event_rows(atlas)), start=1):
            _write_csv_rows(rows, EVENT_COLUMNS, table, header=chunks == 1)
            written = _write_features(events_features(rows), features, written)
        if not chunks:
            _write_csv_rows([], EVENT_COLUMNS, table, header=True)
        _end_collection(features)
    write_geojson(places_geojson(atlas), folder / "places.geojson")


def _chunks(rows: Iterable[dict]) -> Iterator[list[dict]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _coord(value: float | None) -> float | None:
    return None if value is None else coordinate(value)


def _fact_columns(facts: PlaceFacts) -> dict:
    return {"admin1": facts.admin1, "admin1_code": facts.admin1_code, "border_km": facts.border_km}


def _place_columns(p: Place | None) -> dict:
    return {"lat": _coord(p.lat) if p else None, "lon": _coord(p.lon) if p else None,
            "precision_km": p.precision_km if p else None}


def mention_rows(ledger: MentionLedger, places: Sequence[MappedPlace]) -> Iterator[dict]:
    """A row per mention, by document then position."""
    facts = {mapped.place.id: mapped.facts for mapped in places}
    # "mention": a place's name; or, exported but never drawn as a place, a demonym ("Chinese", "Thais")
    # naming its country, or a place named inside an organisation's name ("Pakistan Army")
    for mention, r in ledger.mentions():
        p = r.place
        yield {
            "doc": r.mention.doc, "start": r.mention.start, "end": r.mention.end, "surface": r.mention.surface,
            "sentence": r.mention.sentence_index, "place_id": p.id if p else "", "name": p.name if p else "",
            "kind": p.kind if p else "", "country": p.country if p else "", **_place_columns(p),
            "resolved_by": r.resolved_by, **_fact_columns(facts.get(p.id, PlaceFacts()) if p else PlaceFacts()),
            "ambiguous": r.ambiguous, "reason": r.reason, "mention": mention,
        }


def event_rows(atlas: Atlas) -> Iterator[dict]:
    return (_event_row(mapped, atlas) for mapped in atlas.events)


def _date_precision(e) -> str:
    """day, month or year as the text dates the event; "publication" when the text gives no date and
    ``date`` is the publication's (an upper bound: a filter on "day" must not take it for a day the
    text told); "unknown" with no date at all."""
    if not e.date.precision:
        return "unknown"
    return "publication" if e.date.from_publication else e.date.precision


def _event_row(mapped: MappedEvent, atlas: Atlas) -> dict:
    e, p, d = mapped.event, mapped.place, atlas.document_of(mapped.event.doc)
    return {
        "event_id": e.event_id, "kind": e.kind, "date": e.date.iso, "date_precision": _date_precision(e),
        "date_start": e.date.window[0], "date_end": e.date.window[1], "date_text": e.date.text, "date_from_publication": e.date.from_publication,
        "date_inferred": e.date_inferred, "type": e.type, "status": e.status, "trigger": e.trigger,
        "actors": "; ".join(e.actors),
        "figures": json.dumps([f.as_dict() for f in e.figures], ensure_ascii=False) if e.figures else "",
        "sources": len(e.documents), "source_docs": "; ".join(e.documents),
        # a JSON list, one title per document of source_docs (a title may hold any separator: "Army
        # seizes KK Park; SpaceX cuts Starlink kits"; two copies of a wire story share one)
        "source_titles": json.dumps([atlas.document_of(doc).title for doc in e.documents], ensure_ascii=False),
        "place_id": p.id if p else "", "place_name": p.name if p else "",
        "place_kind": p.kind if p else "", "geo_precision": e.geo_precision, **_place_columns(p),
        "resolved_by": e.resolved_by or "", "place_basis": e.place_basis, "place_surface": e.place_surface,
        "unresolved_names": "; ".join(e.unresolved_names),
        **_fact_columns(mapped.facts),
        "origin_ids": "; ".join(o.id for o in e.origins), "origin_names": "; ".join(o.name for o in e.origins),
        "destination_ids": "; ".join(o.id for o in e.destinations),
        "destination_names": "; ".join(o.name for o in e.destinations), "doc": e.doc, "title": d.title, "publisher": d.publisher,
        "published": d.published, "quote": e.quote,
        "quotes": json.dumps([{"doc": s.doc, "quote": s.quote, "sentence_start": s.sentence_start,
                               "sentence_end": s.sentence_end, "trigger_start": s.trigger_start,
                               "trigger_end": s.trigger_end, "place_start": s.place_start,
                               "place_end": s.place_end} for s in e.sources], ensure_ascii=False),
        "sentence_start": e.sentence_start, "sentence_end": e.sentence_end,
        "trigger_start": e.trigger_start, "trigger_end": e.trigger_end,
        "place_start": e.place_start, "place_end": e.place_end,
    }


def _feature(lat: float, lon: float, properties: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [_coord(lon), _coord(lat)]},
            "properties": properties}


def places_geojson(atlas: Atlas) -> dict:
    """Each place mentioned by name, then each other place an event holds (named only inside an
    organisation's name, "Guangdong police", or as a nationality, "Chinese nationals": no mention
    of its own), so that every ``place_id``, ``origin_ids`` and ``destination_ids`` of the events
    is a feature here."""
    features = [_place_feature(m.place, m.facts, m.resolved_by, m.mentions, m.documents, m.surfaces)
                for m in atlas.places]
    mentioned = {m.place.id for m in atlas.places}
    held: dict[str, tuple[Place, PlaceFacts, str, set[str]]] = {}
    for mapped in atlas.events:
        e = mapped.event
        for place, facts, resolved_by in [*([(e.place, mapped.facts, e.resolved_by or "")] if e.place else []),
                                          *((p, PlaceFacts(), "") for p in (*e.origins, *e.destinations))]:
            if place.id not in mentioned:
                entry = held.setdefault(place.id, (place, facts, resolved_by, set()))
                if resolved_by and not entry[2]:  # an event's own place, with its facts, over an origin
                    entry = held[place.id] = (place, facts, resolved_by, entry[3])
                entry[3].update(e.documents)
    features += [_place_feature(place, facts, resolved_by, 0, sorted(docs), ())
                 for place, facts, resolved_by, docs in (held[i] for i in sorted(held))]
    return {"type": "FeatureCollection", "features": features}


def _place_feature(place: Place, f: PlaceFacts, resolved_by: str, mentions: int, documents, surfaces) -> dict:
    return _feature(place.lat, place.lon, {
        "id": place.id, "name": place.name, "kind": place.kind, "country": place.country,
        "precision_km": place.precision_km, "resolved_by": resolved_by, "source": place.source,
        "admin1": f.admin1, "admin1_code": f.admin1_code, "border_km": f.border_km,
        "near_border": f.near_border, "geometry_wkt": place.geometry_wkt,
        "mentions": mentions, "documents": list(documents), "surfaces": list(surfaces),
    })


#: Columns whose CSV cell is a JSON list: in GeoJSON they are lists, not text to parse again
JSON_COLUMNS = ("figures", "source_titles", "quotes")


def events_features(rows: Iterable[dict]) -> Iterator[dict]:
    """A Point feature per placed event row; its properties are the row's other columns."""
    return (_feature(row["lat"], row["lon"], {k: (json.loads(v) if v else []) if k in JSON_COLUMNS else v
                                              for k, v in row.items() if k not in ("lat", "lon")})
            for row in rows if row["lat"] is not None)


def review_rows(ledger: MentionLedger) -> Iterator[dict]:
    for item in ledger.review():
        r = item.resolution
        yield {
            "doc": r.mention.doc, "sentence": r.mention.sentence_index, "start": r.mention.start,
            "end": r.mention.end, "surface": r.mention.surface, "issue": item.issue, "resolved_by": r.resolved_by,
            "place_id": r.place.id if r.place else "", "place_name": r.place.name if r.place else "",
            "lat": _coord(r.place.lat) if r.place else None, "lon": _coord(r.place.lon) if r.place else None,
            "candidates": item.candidates, "reason": r.reason, "suggestion": item.suggestion,
            "quote": item.sentence.text,
        }


# A spreadsheet runs a cell that starts with one of these as a formula (CWE-1236, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def spreadsheet_safe(values: list) -> list:
    """The values, each text that a spreadsheet would read as a formula prefixed with ``'`` as OWASP
    recommends, so that it shows as typed; numbers (a negative longitude) are left alone: only text
    comes from documents. One comprehension per column: a call per cell was most of the exports' time."""
    return [("'" + v) if isinstance(v, str) and v[:1] in _FORMULA_FIRST else v for v in values]


def write_csv(rows: Iterable[dict], columns: list[str], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        written = False
        for number, chunk in enumerate(_chunks(rows)):
            _write_csv_rows(chunk, columns, handle, header=number == 0)
            written = True
        if not written:
            _write_csv_rows([], columns, handle, header=True)


def _write_csv_rows(rows: Sequence[dict], columns: list[str], handle, header: bool) -> None:
    # column by column: a made-safe copy of every row as a dict doubled the exports' memory
    table = pd.DataFrame({column: spreadsheet_safe([row.get(column) for row in rows]) for column in columns},
                         columns=columns)
    # every text cell quoted: a spreadsheet that splits on ";" (many European locales) must not find
    # a formula after a ";" inside a cell
    table.to_csv(handle, index=False, header=header, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)


def write_geojson(collection: dict, path: Path) -> None:
    """A FeatureCollection with one feature per line: a changed feature is one changed line in
    ``git diff``, and each line is made by json's C encoder (with an indent, json encodes in Python,
    value by value: most of the exports' time)."""
    with path.open("w", encoding="utf-8") as handle:
        _start_collection(handle)
        _write_features(collection["features"], handle, 0)
        _end_collection(handle)


def _start_collection(handle) -> None:
    handle.write('{"type": "FeatureCollection", "features": [\n')


def _write_features(features: Iterable[dict], handle, written: int) -> int:
    """Features after the ``written`` ones before them; how many there are now."""
    for feature in features:
        handle.write(("," if written else "") + json.dumps(feature, ensure_ascii=False) + "\n")
        written += 1
    return written


def _end_collection(handle) -> None:
    handle.write("]}\n")
