"""geomap's own controls on the map, and the data they are given: the date-range filter with its
monthly histogram, the search box (static/geomap.js), and attribution lines."""

from __future__ import annotations

from collections import Counter

from branca.element import MacroElement, Template
from folium.elements import JSCSSMixin

from ..atlas import Atlas, coordinate

class MapControls(JSCSSMixin, MacroElement):
    """geomap's own controls (static/geomap.js): the date-range filter with its monthly histogram,
    the search box, and opening a view from the URL (#from=2022-01&to=2022-12, #event=ID)."""

    default_js = [("geomap_js", "assets/geomap/geomap.js")]
    default_css = [("geomap_css", "assets/geomap/geomap.css")]

    _template = Template("""
{% macro script(this, kwargs) %}
geomapInit({{ this._parent.get_name() }}, {{ this.config|tojson }});
{% endmacro %}
""")

    def __init__(self, histogram: list[dict], search_key: str):
        """``search_key``: where the search index is in the map's data file (map-data.js)."""
        super().__init__()
        self._name = "MapControls"
        self.config = {"histogram": histogram, "search": search_key}


class Attribution(MacroElement):
    """A line in the map's attribution box (the licence of data shown, e.g. geocoded points)."""

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.html|tojson }});
{% endmacro %}
""")

    def __init__(self, html: str):
        super().__init__()
        self._name = "Attribution"
        self.html = html


def histogram(atlas: Atlas) -> list[dict]:
    """Placed events per month of their first possible day, every month from the first to the last."""
    counts = Counter(e.event.date.window[0][:7] for e in atlas.placed_events if e.event.date.iso)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        months.append({"month": key, "count": counts.get(key, 0)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


#: How far the search zooms in on a place of each kind (11 for the rest).
_ZOOM = {"country": 6, "region": 4, "water": 5, "province": 8}


def search_rows(entries: list[dict]) -> list[list]:
    """The search index as the data file holds it: [label, kind, lat, lon, zoom, more text, event id
    or ""]; the browser searches the label and the text in lower case."""
    return [[e["label"], e["kind"], e["lat"], e["lon"], e["zoom"], e["text"], e["event"] or ""] for e in entries]


def search_index(atlas: Atlas) -> list[dict]:
    """What the search box finds: places and compounds (by every name used), actors (at their first
    event), and events (by their label and actors here; the browser adds the quotes of their sources)."""
    entries: list[dict] = []
    seen = set()

    def add(label, kind, lat, lon, zoom, text="", event=None):
        if (label, kind) in seen or lat is None:
            return
        seen.add((label, kind))
        entries.append({"label": label, "kind": kind, "lat": lat, "lon": lon, "zoom": zoom, "text": text,
                        "event": event})

    for known in atlas.known_places:
        place = known.place
        add(place.name, place.kind, place.lat, place.lon, 13 if place.kind == "compound" else 11)
    for mapped in atlas.places:
        place = mapped.place
        add(place.name, place.kind, coordinate(place.lat), coordinate(place.lon), _ZOOM.get(place.kind, 11),
            " ".join(mapped.surfaces))
    placed = atlas.placed_events
    for mapped in placed:
        for actor in mapped.event.actors:
            add(actor, "actor", coordinate(mapped.place.lat), coordinate(mapped.place.lon), 10,
                event=mapped.event.event_id)
    for mapped in placed:
        event = mapped.event
        label = f"{event.type}: {mapped.place.name}, {event.date.iso or 'undated'} ({event.event_id})"
        # the quotes are not repeated here: the browser adds its sources' quotes from its popup
        add(label, "event", coordinate(mapped.place.lat), coordinate(mapped.place.lon), 10,
            "; ".join(event.actors), event.event_id)
    return entries
