"""``events.html``: every event in a table that sorts, filters and pages in the browser, each row
linking to its event on the map. The page (``templates/events.html``, autoescaped) holds the events
as JSON data, not as rows: ``templates/events.js`` makes the rows of the page shown only, with
``textContent``, so a table of tens of thousands of events opens as fast as one of a hundred, and
no document text is ever parsed as markup. Nothing is loaded from elsewhere."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TextIO
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from ..atlas import Atlas, MappedEvent

_COLUMNS = (("date", "Date"), ("type", "Type"), ("status", "Status"), ("place", "Place"),
            ("sources", "Sources"), ("text", "What the source says"))

#: What a row of the data holds, in order (templates/events.js reads them by these names).
FIELDS = ("id", "start", "end", "type", "kind", "status", "place", "sources", "quote", "date", "precision",
          "where", "titles", "link", "off_map")


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    environment = jinja2.Environment(loader=jinja2.PackageLoader("geomap.render", "templates"),
                                     autoescape=True, keep_trailing_newline=True)
    return environment.get_template("events.html")


# where the page's data goes, in the page rendered around it
_DATA_HERE = "\x00geomap-events-data\x00"


def write_events_page(handle: TextIO, atlas: Atlas) -> None:
    """The page, its data written a row at a time: at 10,000 events, its rows and their text held at
    once took hundreds of megabytes. The text is that of one ``_script_text`` of the whole data."""
    events = [mapped.event for mapped in atlas.events]
    titles: dict[str, int] = {}
    # by date (the start of each event's window), undated last: the order a reader of a timeline expects
    by_date = sorted(atlas.events, key=lambda m: (not m.event.date.window[0], m.event.date.window[0], m.event.event_id))
    page = _template().render(types=sorted({e.type for e in events}), statuses=sorted({e.status for e in events}),
                              columns=_COLUMNS, data=Markup(_DATA_HERE), count=len(by_date))
    head, tail = page.split(_DATA_HERE)
    handle.write(head)
    handle.write('{"fields":' + _script_text(FIELDS) + ',"rows":[')
    for number, mapped in enumerate(by_date):
        handle.write(("," if number else "") + _script_text(_row(mapped, atlas, titles)))
    handle.write('],"titles":' + _script_text(list(titles)) + "}")
    handle.write(tail)


def _script_text(value) -> str:
    """JSON to sit inside a ``<script type="application/json">``: ``<``, ``>`` and ``&`` are written
    as ``\\u`` escapes, so no string can close the element or open a comment; JSON.parse reads them
    back as typed."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _row(mapped: MappedEvent, atlas: Atlas, titles: dict[str, int]) -> list:
    """What one row shows, as plain text (the page sets it as text); the documents' titles are
    indices into one list, as an article's title is shared by its many events."""
    event, place = mapped.event, mapped.place
    start, end = event.date.window
    names = dict.fromkeys(atlas.document_of(doc).title for doc in event.documents)
    return [
        event.event_id, start, end, event.type, event.kind, event.status,
        # its country beside it: a Clark or a Paris elsewhere than the story is seen in the list
        (f"{place.name} ({place.country})" if place.country and place.kind != "country" else place.name)
        if place else "no place", len(event.documents), event.quote,
        # a date the text does not give is the article's day, and the window it allows
        f"not told (article of {event.date.iso})" if event.date.from_publication and event.date.iso
        else event.date.iso or "undated",
        f"between {start} and {end}" if event.date.from_publication and event.date.iso
        else event.date.precision or "unknown",
        (f"{event.geo_precision}, ±{float(place.precision_km):g} km" if place
         else "the text names no place that could be resolved"),
        [titles.setdefault(name, len(titles)) for name in names],
        # an id made from a file name may hold "#", "%" or "&": the link carries it percent-encoded
        quote(event.event_id, safe="") if place and event.kind == "event" else "",
        "in the map's Context layer (off by default)" if place else "not on the map",
    ]
