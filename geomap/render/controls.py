"""geomap's own controls on the map, and the data they are given: the date-range filter with its
monthly histogram, the search box (static/geomap.js), and attribution lines."""

from __future__ import annotations

from collections import Counter

from branca.element import MacroElement, Template
from folium.elements import JSCSSMixin

from ..atlas import Atlas, coordinate

class MapControls(JSCSSMixin, MacroElement):
    """geomap's own controls (static/geomap.js): the date-range filter with its monthly histogram
    and play button, the search box, the legend, the layer panel's groups (folded to a button on
    small screens), and the view kept in the URL (#map=ZOOM/LAT/LON&layers=...&from=...&to=...&event=ID)
    with "copy link" and "download what is shown"."""

    default_js = [("geomap_js", "assets/geomap/geomap.js")]
    default_css = [("geomap_css", "assets/geomap/geomap.css")]

    _template = Template("""
{% macro script(this, kwargs) %}
geomapInit({{ this._parent.get_name() }}, {{ this.config|tojson }}{% if this.layer_control %}, {{ this.layer_control }}{% endif %});
{% endmacro %}
""")

    def __init__(self, histogram: list[dict], search_key: str, legend: str = "", layer_control: str = ""):
        """``search_key``: where the search index is in the map's data file (map-data.js);
        ``legend``: the legend's HTML, made of the build's constants only (``legend_html``);
        ``layer_control``: the JavaScript name of folium's layer control, which geomap groups."""
        super().__init__()
        self._name = "MapControls"
        from .layers.provinces import SHADES

        self.config = {"histogram": histogram, "search": search_key, "legend": legend, "provinceShades": list(SHADES)}
        self.layer_control = layer_control


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
    """Placed events per month, every month from the first to the last: ``count`` those whose window
    lies within the month (dated to it, or to a day of it), ``wider`` those whose wider window (a
    year, the 30 days before an article) takes the month in. A month's bar shows both, as clicking it
    shows every event that may fall in it; counting a year's events in its January made spikes."""
    within: Counter = Counter()
    changes: Counter = Counter()  # +1 where a wider window starts, -1 after it ends, by month number
    for mapped in atlas.placed_events:
        if not mapped.event.date.iso:
            continue
        first, last = (_month_number(day) for day in mapped.event.date.window)
        if first == last:
            within[first] += 1
        else:
            changes[first] += 1
            changes[last + 1] -= 1
    if not within and not changes:
        return []
    months, open_windows = [], 0
    for number in range(min((*within, *changes)), max((*within, *(n - 1 for n in changes))) + 1):
        open_windows += changes.get(number, 0)
        months.append({"month": f"{number // 12:04d}-{number % 12 + 1:02d}", "count": within.get(number, 0),
                       "wider": open_windows})
    return months


def _month_number(day: str) -> int:
    return int(day[:4]) * 12 + int(day[5:7]) - 1


#: How far the search zooms in on a place of each kind (11 for the rest).
_ZOOM = {"country": 6, "region": 4, "water": 5, "province": 8}


def search_rows(entries: list[dict]) -> list[list]:
    """The search index as the data file holds it: [label, kind, lat, lon, zoom, more text, event id
    or ""]; the browser searches the label and the text in lower case."""
    return [[e["label"], e["kind"], e["lat"], e["lon"], e["zoom"], e["text"], e["event"] or ""] for e in entries]


def search_index(atlas: Atlas) -> list[dict]:
    """What the search box finds: places and compounds (by every name used) and actors (at their
    first event). The browser adds the events, from their rows (label, lines and quotes), after
    these."""
    entries: list[dict] = []
    seen = set()

    def add(label, kind, lat, lon, zoom, text="", event=None):
        if (label, kind) in seen or lat is None:
            return
        seen.add((label, kind))
        entries.append({"label": label, "kind": kind, "lat": lat, "lon": lon, "zoom": zoom, "text": text,
                        "event": event})

    surfaces = {mapped.place.id: mapped.surfaces for mapped in atlas.places}

    def names(place) -> str:  # every spelling, lowercased as the browser compares: "myawadi" finds Myawaddy
        return " ".join(dict.fromkeys([*place.aliases, *surfaces.get(place.id, ())])).lower()

    for known in atlas.known_places:
        place = known.place
        add(place.name, place.kind, place.lat, place.lon, 13 if place.kind == "compound" else 11, names(place))
    for mapped in atlas.places:
        place = mapped.place
        add(place.name, place.kind, coordinate(place.lat), coordinate(place.lon), _ZOOM.get(place.kind, 11),
            names(place))
    placed = atlas.placed_events
    for mapped in placed:
        for actor in mapped.event.actors:
            add(actor, "actor", coordinate(mapped.place.lat), coordinate(mapped.place.lon), 10,
                event=mapped.event.event_id)
    return entries


def legend_html(atlas: Atlas) -> str:
    """What every symbol of the map means, as HTML made only of the build's constants (colours,
    icons, labels of the event-type table) and numbers: never of a document's text."""
    from .. import event_types
    from .layers._shared import swatch
    from .layers.context import CONTEXT_COLOUR
    from .layers.events import _icon
    from .layers.movements import MOVEMENT_COLOUR, ORIGIN_COLOUR
    from .layers.places import STAGE_COLOURS
    from .layers.provinces import _SHADES

    def row(symbol: str, text: str) -> str:
        return f'<div class="gm-legend-row"><span class="gm-legend-symbol">{symbol}</span><span>{text}</span></div>'

    types = sorted({e.event.type for e in atlas.placed_events}, key=event_types.type_names().index)
    parts = ['<div class="gm-legend-head">Events, by type (colour and icon)</div>']
    parts += [row(_icon(t.colour, t.icon), t.label) for t in map(event_types.event_type, types)]
    parts.append(row(_icon("#555555", "circle-dot"), "filled: placed within 2 km (a site, a small town)"))
    parts.append(row(_icon("#555555", "circle-dot", True), "ring: placed only roughly (more than 2 km: a city, a "
                     "district), or at a place its sentence does not name (taken from its paragraph, the story or "
                     "the dateline); its area shows while you point at it"))
    parts.append(row(f'<span class="gm-event-icon gm-status-planned">{_icon("#555555", "circle-dot")}</span>',
                     "faded: planned or denied, not done; lighter: alleged"))
    parts.append(row('<div class="gm-badge"><span>5</span></div>', "events placed only to a country, a province "
                     "or a region, counted: click to list them; pointing at it outlines the area"))
    parts.append(row('<span class="gm-legend-cluster">5</span>', "several events close together: click to "
                     "spread them"))
    parts.append(row('<span class="gm-legend-area"></span>', "dashed circle: the area an approximate place or "
                     "event may lie in"))
    parts.append('<div class="gm-legend-head">Places</div>')
    found_in = {"gazetteer": "the gazetteer (an editor’s row)", "geonames": "the offline GeoNames index",
                "geocoder": "the online geocoder (cached for review)"}
    parts += [row(swatch(colour), f"place mentioned, found in {found_in.get(stage, stage)}")
              for stage, colour in STAGE_COLOURS.items()]
    parts.append(row('<span class="gm-legend-sizes"><i></i><i></i><i></i></span>', "larger circle: named more often"))
    parts.append(row('<span class="gm-legend-rim"></span>', "dashed rim: a country or a sea, whose point is "
                     "only a placeholder"))
    parts.append(row('<i class="fa-solid fa-building gm-legend-compound"></i>', "scam compound of the gazetteer; "
                     "a pale one, in its dashed circle, is known only to its town"))
    parts.append(row(swatch(CONTEXT_COLOUR), "context: a trend, history or claim (layer off at first)"))
    parts.append('<div class="gm-legend-head">Movements of people</div>')
    parts.append(row(f'<span class="gm-legend-line" style="border-top:3px solid {ORIGIN_COLOUR}"></span>',
                     "orange: from where the people came to the event"))
    parts.append(row(f'<span class="gm-legend-line" style="border-top:3px solid {MOVEMENT_COLOUR}"></span>',
                     "blue: from the event to where they were sent; thicker for more people"))
    parts.append(row('<span class="gm-legend-heat"></span>', "heat map (layer off at first): where events are "
                     "dense, from blue (few) to red (many)"))
    parts.append('<div class="gm-legend-head">Events per province (layer off at first)</div>')
    parts.append('<div class="gm-legend-scale">' + "".join(f'<i style="background:{c}"></i>' for c in _SHADES)
                 + "</div>")
    parts.append(row("", "none → the most events in one province"))
    return "".join(parts)
