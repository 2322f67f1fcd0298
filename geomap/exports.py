"""The data files written next to the map: CSV tables (pandas) and GeoJSON."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from .places import PlaceFacts
from .records import Document, Event, Place, Resolution

Facts = Callable[[Place], PlaceFacts]

MENTION_COLUMNS = ["doc", "start", "end", "surface", "sentence", "place_id", "name", "kind", "country",
                   "lat", "lon", "precision_km", "resolved_by", "admin1", "admin1_code", "border_km",
                   "ambiguous", "reason"]
EVENT_COLUMNS = ["event_id", "date", "date_precision", "date_text", "date_from_publication", "date_inferred",
                 "type", "status", "trigger", "actors", "figures", "sources", "source_docs", "source_titles",
                 "place_id", "place_name", "place_kind", "geo_precision", "lat", "lon", "precision_km",
                 "resolved_by", "place_basis", "place_surface", "admin1", "admin1_code", "border_km", "doc", "title", "publisher", "published",
                 "quote", "quotes", "sentence_start", "sentence_end", "trigger_start", "trigger_end",
                 "place_start", "place_end"]


REVIEW_COLUMNS = ["doc", "sentence", "start", "end", "surface", "issue", "resolved_by", "place_id", "place_name",
                  "lat", "lon", "candidates", "reason", "suggestion", "quote"]

NO_FACTS = PlaceFacts()


def _coord(value: float | None) -> float | None:
    return None if value is None else round(value, 5)


def _fact_columns(place: Place | None, facts: Facts) -> dict:
    f = facts(place) if place is not None else NO_FACTS
    return {"admin1": f.admin1, "admin1_code": f.admin1_code, "border_km": f.border_km}


def mention_rows(resolutions: Sequence[Resolution], facts: Facts = lambda place: NO_FACTS) -> list[dict]:
    rows = []
    for r in resolutions:
        p = r.place
        rows.append({
            "doc": r.mention.doc, "start": r.mention.start, "end": r.mention.end, "surface": r.mention.surface,
            "sentence": r.mention.sentence_index, "place_id": p.id if p else "", "name": p.name if p else "",
            "kind": p.kind if p else "", "country": p.country if p else "",
            "lat": _coord(p.lat) if p else None, "lon": _coord(p.lon) if p else None,
            "precision_km": p.precision_km if p else None, "resolved_by": r.resolved_by,
            **_fact_columns(p, facts), "ambiguous": r.ambiguous, "reason": r.reason,
        })
    return sorted(rows, key=lambda row: (row["doc"], row["start"]))


def event_rows(events: Sequence[Event], documents: dict[str, Document],
               facts: Facts = lambda place: NO_FACTS) -> list[dict]:
    rows = []
    for e in events:
        p, d = e.place, documents[e.doc]
        sources = e.sources or ()
        rows.append({
            "event_id": e.event_id, "date": e.date.iso, "date_precision": e.date.precision or "unknown",
            "date_text": e.date.text, "date_from_publication": e.date.from_publication,
            "date_inferred": e.date_inferred, "type": e.type, "status": e.status, "trigger": e.trigger,
            "actors": "; ".join(e.actors),
            "figures": json.dumps([f.as_dict() for f in e.figures], ensure_ascii=False) if e.figures else "",
            "sources": len(e.documents), "source_docs": "; ".join(e.documents),
            "source_titles": "; ".join(dict.fromkeys(documents[doc].title for doc in e.documents)),
            "place_id": p.id if p else "", "place_name": p.name if p else "",
            "place_kind": p.kind if p else "", "geo_precision": e.geo_precision, "lat": _coord(p.lat) if p else None,
            "lon": _coord(p.lon) if p else None, "precision_km": p.precision_km if p else None,
            "resolved_by": e.resolved_by or "", "place_basis": e.place_basis, "place_surface": e.place_surface,
            **_fact_columns(p, facts), "doc": e.doc, "title": d.title, "publisher": d.publisher, "published": d.published,
            "quote": e.quote,
            "quotes": json.dumps([{"doc": s.doc, "quote": s.quote, "sentence_start": s.sentence_start,
                                   "sentence_end": s.sentence_end, "trigger_start": s.trigger_start,
                                   "trigger_end": s.trigger_end, "place_start": s.place_start,
                                   "place_end": s.place_end} for s in sources], ensure_ascii=False),
            "sentence_start": e.sentence_start, "sentence_end": e.sentence_end,
            "trigger_start": e.trigger_start, "trigger_end": e.trigger_end,
            "place_start": e.place_start, "place_end": e.place_end,
        })
    return sorted(rows, key=lambda row: row["event_id"])


def place_summaries(resolutions: Sequence[Resolution]) -> list[tuple[Place, dict]]:
    """Each resolved place once, with how often and where it is mentioned."""
    places: dict[str, Place] = {}
    counts: Counter = Counter()
    docs: dict[str, set] = defaultdict(set)
    surfaces: dict[str, set] = defaultdict(set)
    stages: dict[str, str] = {}
    for r in resolutions:
        if r.place is None:
            continue
        places[r.place.id] = r.place
        counts[r.place.id] += 1
        docs[r.place.id].add(r.mention.doc)
        surfaces[r.place.id].add(r.mention.surface)
        stages[r.place.id] = r.resolved_by
    return [(places[i], {"mentions": counts[i], "documents": sorted(docs[i]), "surfaces": sorted(surfaces[i]),
                         "resolved_by": stages[i]}) for i in sorted(places)]


def _feature(lat: float, lon: float, properties: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [_coord(lon), _coord(lat)]},
            "properties": properties}


def places_geojson(summaries, facts: Facts = lambda place: NO_FACTS) -> dict:
    features = []
    for place, summary in summaries:
        f = facts(place)
        features.append(_feature(place.lat, place.lon, {
            "id": place.id, "name": place.name, "kind": place.kind, "country": place.country,
            "precision_km": place.precision_km, "resolved_by": summary["resolved_by"], "source": place.source,
            "admin1": f.admin1, "admin1_code": f.admin1_code, "border_km": f.border_km,
            "near_border": f.near_border, "geometry_wkt": place.geometry_wkt,
            "mentions": summary["mentions"], "documents": summary["documents"], "surfaces": summary["surfaces"],
        }))
    return {"type": "FeatureCollection", "features": features}


def events_geojson(rows: Sequence[dict]) -> dict:
    features = [_feature(row["lat"], row["lon"], {k: v for k, v in row.items() if k not in ("lat", "lon")})
                for row in rows if row["lat"] is not None]
    return {"type": "FeatureCollection", "features": features}


def review_rows(resolutions: Sequence[Resolution], documents: dict[str, Document]) -> list[dict]:
    """What an editor should look at: mentions nothing resolved, mentions only a fallback stage
    (GeoNames, the geocoder) resolved, and mentions whose best candidates were too close to call."""
    rows = []
    for r in resolutions:
        issue = ("unresolved" if r.place is None else "ambiguous" if r.ambiguous
                 else "fallback" if r.resolved_by != "gazetteer" else "")
        if not issue:
            continue
        document = documents[r.mention.doc]
        sentence = document.sentences[r.mention.sentence_index]
        rows.append({
            "doc": r.mention.doc, "sentence": r.mention.sentence_index, "start": r.mention.start,
            "end": r.mention.end, "surface": r.mention.surface, "issue": issue, "resolved_by": r.resolved_by,
            "place_id": r.place.id if r.place else "", "place_name": r.place.name if r.place else "",
            "lat": _coord(r.place.lat) if r.place else None, "lon": _coord(r.place.lon) if r.place else None,
            "candidates": "; ".join(f"{c.place.id} {c.place.name} ({c.place.country or '--'}, {c.stage} {c.score:g})"
                                    for c in r.candidates[:3]),
            "reason": r.reason, "suggestion": _suggestion(issue, r), "quote": sentence.text,
        })
    return sorted(rows, key=lambda row: (row["doc"], row["start"]))


def _suggestion(issue: str, r: Resolution) -> str:
    surface = r.mention.surface
    if issue == "unresolved":
        return (f"if '{surface}' is a place, add a row to places.csv with it as name or alias; "
                "if it is not, nothing to do")
    if issue == "fallback":
        return (f"check {r.place.id} ({r.place.lat:.4f}, {r.place.lon:.4f}); if it is right, you may add "
                f"'{surface}' to places.csv to pin it; if wrong, add the right place with this alias")
    return (f"'{surface}' fits several places; add it as an alias of the right row in places.csv, "
            "or keep the choice if it is right")


# A spreadsheet runs a cell that starts with one of these as a formula (CWE-1236, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet would read as a formula, prefixed with ``'`` as OWASP recommends so that
    it shows as typed; numbers (a negative longitude) are left alone: only text comes from documents."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Sequence[dict], columns: list[str], path: Path) -> None:
    safe = [{key: spreadsheet_safe(value) for key, value in row.items()} for row in rows]
    pd.DataFrame(safe, columns=columns).to_csv(path, index=False, lineterminator="\n")


def write_json(data: dict, path: Path) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
