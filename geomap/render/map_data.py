"""The map's data files: the rows the browser draws the most numerous layers from.

A folium element per marker made ``index.html`` 6.8 KB per event and took seconds per thousand
events to render and to load. The events (their popups as records of text), the documents they
cite, the places mentioned, the movement lines and the search index are instead rows in
``map-data.js`` beside the page, loaded once by a ``<script src>`` (a page opened from disk may not
``fetch()`` a ``file://`` address); the layers that are off at opening (the review queue, the
context) are in ``map-data-later.js``, read when one is first switched on. ``static/geomap.js``
makes the layers from them, and their popups only when opened.

Safety: every string in the files is a JSON string literal, and JSON cannot close the script it is
in. Tooltips and the popups of places and of the review queue are escaped HTML (``popups.py``); an
event's popup is text the browser sets with ``textContent``. Nothing in the files is template
source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterable

import folium
from branca.element import JavascriptLink, MacroElement, Template

DATA_FILE = "map-data.js"
#: Data of layers that are off when the page opens, loaded when one is switched on: the page opens
#: without reading it (the editors' review queue is as large as the events on a big build).
LATER_FILE = "map-data-later.js"
#: The variable each file assigns.
VARIABLES = {DATA_FILE: "GEOMAP_DATA", LATER_FILE: "GEOMAP_DATA_LATER"}


class MapData:
    """What the layers put in one data file, by key (``events/raid``). A layer of many rows puts a
    function that makes them: they are made while the file is written, one at a time, and never
    held all at once (at 10,000 events, holding them and the file's text took a gigabyte)."""

    def __init__(self, file: str = DATA_FILE):
        self.file = file
        self.rows: dict[str, list | Callable[[], Iterable]] = {}

    def put(self, key: str, rows: list | Callable[[], Iterable]) -> None:
        self.rows[key] = rows

    def rows_of(self, key: str) -> list:
        rows = self.rows[key]
        return list(rows()) if callable(rows) else rows

    def write(self, folder: Path) -> None:
        """The file, as ``window.NAME = {...};``: the same text as one ``json.dumps`` of every key's
        rows (keys sorted), written a row at a time."""
        with (folder / self.file).open("w", encoding="utf-8") as handle:
            handle.write(f"window.{VARIABLES[self.file]} = {{")
            for number, key in enumerate(sorted(self.rows)):
                handle.write(("," if number else "") + _json(key) + ":")
                rows = self.rows[key]
                if not callable(rows) and not isinstance(rows, list):
                    handle.write(_json(rows))
                    continue
                handle.write("[")
                for index, row in enumerate(rows() if callable(rows) else rows):
                    handle.write(("," if index else "") + _json(row))
                handle.write("]")
            handle.write("};\n")


def _json(value) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # two line separators are legal in JSON strings and were not in JavaScript's before ES2019
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class FromMapData(MacroElement):
    """Fills its parent layer, in the browser, with what one key of a data file holds, through one
    of static/geomap.js's makers (``geomapAddEvents``, ``geomapAddPlaces``, ``geomapAddMarkers``...);
    ``options`` are constants of the layer (icons, colours), never document text. A key of
    ``LATER_FILE`` is read (with a ``<script src>``) the first time the layer is switched on."""

    _template = Template("""
{% macro script(this, kwargs) %}
{%- if this.file == this.later_file %}
geomapAddLater({{ this._parent.get_name() }}, {{ this.maker|tojson }}, {{ this.file|tojson }},
               {{ this.variable|tojson }}, {{ this.key|tojson }}, {{ this.options|tojson }});
{%- else %}
{{ this.maker }}({{ this._parent.get_name() }}, {{ this.key|tojson }}, {{ this.options|tojson }});
{%- endif %}
{% endmacro %}
""")

    def __init__(self, maker: str, key: str, options, file: str = DATA_FILE):
        super().__init__()
        self._name = "FromMapData"
        self.maker, self.key, self.options = maker, key, options
        self.file, self.later_file, self.variable = file, LATER_FILE, VARIABLES[file]


def map_data(fmap: folium.Map, file: str = DATA_FILE) -> MapData:
    """One of the map's data files, created the first time a layer asks; ``DATA_FILE`` is linked
    from the page's head, ``LATER_FILE`` is read by the layers that need it."""
    files = fmap.__dict__.setdefault("_geomap_data", {})
    if file not in files:
        files[file] = MapData(file)
        if file == DATA_FILE:
            fmap.get_root().header.add_child(JavascriptLink(DATA_FILE), name="geomap_data")
    return files[file]


def data_files(fmap: folium.Map) -> list[MapData]:
    return [data for _, data in sorted(fmap.__dict__.get("_geomap_data", {}).items())]


def documents_cited(fmap: folium.Map, atlas) -> dict[str, int]:
    """Each document's index in the map data's ``documents`` rows (every layer that shows an event's
    or a place's popup cites its sources by that index), put there the first time a layer asks, with
    the sentences (``labels``) that popups' records name by key."""
    index = fmap.__dict__.get("_geomap_documents")
    if index is None:
        from .popups import document_rows, popup_labels

        rows, index = document_rows(atlas.documents)
        map_data(fmap).put("documents", rows)
        map_data(fmap).put("labels", popup_labels())
        fmap._geomap_documents = index
    return index
