"""``events.html``: every event in a table that sorts and filters in the browser, each row linking to
its event on the map. A Jinja2 template (``templates/events.html``) with autoescaping on: every value
from a document is escaped by the template, not by hand; nothing is loaded from elsewhere."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

import jinja2

from ..atlas import Atlas, MappedEvent

_COLUMNS = (("date", "Date"), ("type", "Type"), ("status", "Status"), ("place", "Place"),
            ("sources", "Sources"), ("text", "What the source says"))


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    environment = jinja2.Environment(loader=jinja2.PackageLoader("geomap.render", "templates"),
                                     autoescape=True, keep_trailing_newline=True)
    return environment.get_template("events.html")


def render_events_page(atlas: Atlas) -> str:
    events = [mapped.event for mapped in atlas.events]
    return _template().render(types=sorted({e.type for e in events}), statuses=sorted({e.status for e in events}),
                              columns=_COLUMNS, rows=[_row(mapped, atlas) for mapped in atlas.events])


def _row(mapped: MappedEvent, atlas: Atlas) -> dict:
    """What one row shows, as plain text (the template escapes it)."""
    event, place = mapped.event, mapped.place
    start, end = event.date.window
    return {
        "id": event.event_id, "start": start, "end": end, "type": event.type, "kind": event.kind,
        "status": event.status,
        "place": place.name if place else "no place", "sources": len(event.documents), "quote": event.quote,
        "date": event.date.iso or "undated", "precision": event.date.precision or "unknown",
        "where": (f"{event.geo_precision}, ±{place.precision_km} km" if place
                  else "the text names no place that could be resolved"),
        "titles": "; ".join(dict.fromkeys(atlas.document_of(doc).title for doc in event.documents)),
        # an id made from a file name may hold "#", "%" or "&": the link carries it percent-encoded
        "link": quote(event.event_id, safe="") if place and event.kind == "event" else "",
        "off_map": "in the map's Context layer (off by default)" if place else "not on the map",
    }
