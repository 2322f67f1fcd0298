"""``index.html``: the layered folium map."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from typing import Sequence

import folium
from branca.element import Element, MacroElement, Template
from folium.plugins import MarkerCluster

from ..records import Document
from .. import settings
from .popups import STATUS_LABELS, date_label, esc, figure_label, place_line, source_block

# A colour-blind-safe palette (Okabe-Ito, then Paul Tol's muted) and a Font Awesome icon per type.
EVENT_STYLE = {
    "raid": ("#D55E00", "person-military-rifle"), "arrest": ("#CC79A7", "handcuffs"),
    "rescue": ("#009E73", "life-ring"), "deportation": ("#0072B2", "plane-departure"),
    "seizure": ("#E69F00", "sack-dollar"), "sanction": ("#56B4E9", "ban"),
    "legal": ("#882255", "gavel"), "abuse": ("#000000", "triangle-exclamation"),
    "military": ("#44AA99", "anchor"), "infrastructure": ("#999933", "road"),
    "meeting": ("#332288", "handshake"), "statement": ("#888888", "comment"),
    "report": ("#AA4499", "file-lines"),
}
# How a place was resolved, as the fill of its circle (dark = an editor's row; light = a fallback).
STAGE_COLOURS = {"gazetteer": "#1f78b4", "geonames": "#a6cee3", "geocoder": "#fdbf6f"}
GEOCODER_ATTRIBUTION = "Geocoding: data &copy; OpenStreetMap contributors, ODbL (Nominatim)"

BASE_LAYERS = (
    ("OpenStreetMap", "OpenStreetMap", None),
    ("https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png", "Light (CARTO Positron)",
     '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
     '&copy; <a href="https://carto.com/attributions">CARTO</a>'),
    ("https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
     "Satellite (Esri World Imagery)",
     "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community"),
)

_STYLE = """<style>
 .gm-popup { font: 13px/1.35 system-ui, sans-serif; max-width: 380px; }
 .gm-popup .gm-head { font-weight: 600; margin-bottom: 4px; }
 .gm-quote { margin: 6px 0; padding-left: 8px; border-left: 3px solid #bbb; font-style: italic; }
 .gm-title { font-weight: 600; } .gm-doc { color: #666; font-size: 11px; }
 .gm-legend { background: #fff; padding: 6px 8px; border-radius: 4px; font: 12px system-ui, sans-serif;
              box-shadow: 0 1px 4px rgba(0,0,0,.3); line-height: 18px; }
 .gm-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 6px; border-radius: 6px; }
 .gm-event { width: 24px; height: 24px; border-radius: 12px; border: 2px solid #fff; color: #fff;
             display: flex; align-items: center; justify-content: center; font-size: 12px;
             box-shadow: 0 1px 3px rgba(0,0,0,.5); }
</style>"""

_LEGEND = """
{% macro script(this, kwargs) %}
(function() {
  var legend = L.control({position: 'bottomleft'});
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'gm-legend');
    div.innerHTML = {{ this.html|tojson }};
    return div;
  };
  legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""


class Legend(MacroElement):
    """A fixed box explaining the event colours; its HTML is built from constants, not documents."""

    def __init__(self, entries: Sequence[tuple[str, str, int]], place_entries: Sequence[tuple[str, str]] = ()):
        super().__init__()
        self._name = "Legend"
        rows = [f'<i style="background:{colour}"></i>{esc(label)} ({count})' for label, colour, count in entries]
        places = [f'<i style="background:{colour}; border:1px solid #333"></i>{esc(label)}'
                  for label, colour in place_entries]
        self.html = "<b>Events</b><br>" + "<br>".join(rows) + ("<br><b>Places</b><br>" + "<br>".join(places)
                                                              if places else "")
        self._template = Template(_LEGEND)


class Attribution(MacroElement):
    """A line in the map's attribution box (the licence of data shown, e.g. geocoded points)."""

    def __init__(self, html: str):
        super().__init__()
        self._name = "Attribution"
        self.html = html
        self._template = Template("""
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.html|tojson }});
{% endmacro %}
""")


def build_map(event_rows: Sequence[dict], place_features: Sequence[dict], known_places: Sequence[dict],
              documents: dict[str, Document], outlines: Sequence[dict] = ()) -> folium.Map:
    """``known_places`` are gazetteer places shown whether mentioned or not (compounds, border towns)."""
    fmap = folium.Map(location=[12.5, 104.5], zoom_start=6, tiles=None, control_scale=True)
    for index, (tiles, name, attribution) in enumerate(BASE_LAYERS):
        folium.TileLayer(tiles, name=name, attr=attribution, show=index == 0).add_to(fmap)
    fmap.get_root().header.add_child(Element(_STYLE), name="geomap_style")
    if outlines:
        _add_outlines(fmap, outlines)

    _add_places(fmap, place_features)
    _add_compounds(fmap, [p for p in known_places if p["kind"] == "compound"])
    _add_border_places(fmap, known_places, place_features)
    counts = _add_events(fmap, event_rows, documents)
    stages = sorted({f["properties"]["resolved_by"] for f in place_features}, key=list(STAGE_COLOURS).index)
    Legend([(t, EVENT_STYLE[t][0], counts[t]) for t in EVENT_STYLE if counts.get(t)],
           [(f"place from {s}", STAGE_COLOURS[s]) for s in stages]).add_to(fmap)
    if "geocoder" in stages:
        Attribution(GEOCODER_ATTRIBUTION).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    bounds = _focus_bounds(event_rows, place_features)
    if bounds:
        fmap.fit_bounds(bounds)
    return fmap


def _add_outlines(fmap: folium.Map, outlines: Sequence[dict]) -> None:
    """Country and province lines drawn from the bundled boundaries: with no tile server reachable
    the map still shows where things are."""
    folium.GeoJson(
        {"type": "FeatureCollection", "features": list(outlines)}, name="Outlines (offline, Natural Earth)",
        style_function=lambda f: {"color": "#555555", "weight": 1.6 if f["properties"]["level"] == "country" else 0.6,
                                  "fill": False, "dashArray": None if f["properties"]["level"] == "country" else "3"},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False), interactive=True, smooth_factor=1.0,
    ).add_to(fmap)


def _add_places(fmap: folium.Map, features: Sequence[dict]) -> None:
    group = folium.FeatureGroup(name=f"Places mentioned ({len(features)})", show=True)
    for feature in features:
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        popup = ('<div class="gm-popup"><div class="gm-head">Place</div>'
                 + place_line(props["name"], props["kind"], props["resolved_by"], props["precision_km"])
                 + f"<br>{props['mentions']} mention(s) in {len(props['documents'])} document(s): "
                 + esc(", ".join(props["documents"]))
                 + f"<br>Names used: {esc(', '.join(props['surfaces']))}"
                 + _geography_line(props)
                 + f"<br>Coordinates: {esc(props['source'])}</div>")
        if props.get("geometry_wkt"):
            _add_shape(group, props["geometry_wkt"], popup, props["name"])
        folium.CircleMarker(
            location=[lat, lon], radius=4 + 3 * math.sqrt(props["mentions"]), weight=1,
            color="#333333", fill=True, fill_color=STAGE_COLOURS.get(props["resolved_by"], "#999999"),
            fill_opacity=0.6, popup=folium.Popup(popup, max_width=400),
            tooltip=esc(f"{props['name']} — {props['mentions']} mention(s)"),
        ).add_to(group)
    group.add_to(fmap)


def _add_compounds(fmap: folium.Map, compounds: Sequence[dict]) -> None:
    group = folium.FeatureGroup(name=f"Scam compounds (gazetteer, {len(compounds)})", show=True)
    for place in compounds:
        mentioned = (f"{place['mentions']} mention(s) in these documents" if place["mentions"]
                     else "not mentioned in these documents")
        popup = ('<div class="gm-popup"><div class="gm-head">Reported scam compound</div>'
                 + place_line(place["name"], place["kind"], "gazetteer", place["precision_km"])
                 + f"<br>{esc(mentioned)}" + _geography_line(place)
                 + f"<br>Location rests on: {esc(place['source'])}"
                 + (f"<br>{esc(place['notes'])}" if place["notes"] else "") + "</div>")
        if place.get("geometry_wkt"):
            _add_shape(group, place["geometry_wkt"], popup, place["name"])
        folium.Marker(
            location=[place["lat"], place["lon"]], popup=folium.Popup(popup, max_width=400),
            tooltip=esc(place["name"]), icon=folium.Icon(color="darkred", icon="building", prefix="fa"),
        ).add_to(group)
    group.add_to(fmap)


def _add_border_places(fmap: folium.Map, known_places: Sequence[dict], place_features: Sequence[dict]) -> None:
    """Places within the border distance of an international land border: the gazetteer's towns,
    crossings and compounds, and any other mentioned place that is that close."""
    chosen = {p["id"]: p for p in known_places if p["near_border"]}
    for feature in place_features:
        props = feature["properties"]
        if props.get("near_border") and props["id"] not in chosen:
            lon, lat = feature["geometry"]["coordinates"]
            chosen[props["id"]] = {**props, "lat": lat, "lon": lon}
    group = folium.FeatureGroup(name=f"Border towns and crossings ({len(chosen)})", show=False)
    for place in sorted(chosen.values(), key=lambda p: p["id"]):
        popup = ('<div class="gm-popup"><div class="gm-head">Near an international border</div>'
                 + place_line(place["name"], place["kind"], place.get("resolved_by", "gazetteer"), place["precision_km"])
                 + _geography_line(place) + "</div>")
        folium.CircleMarker(location=[place["lat"], place["lon"]], radius=7, weight=2, color="#E69F00",
                            fill=True, fill_opacity=0.15, popup=folium.Popup(popup, max_width=400),
                            tooltip=esc(f"{place['name']}: {place['border_km']} km from the border")).add_to(group)
    group.add_to(fmap)


def _geography_line(props: dict) -> str:
    parts = []
    if props.get("admin1"):
        parts.append(f"Province: {esc(props['admin1'])}")
    if props.get("border_km") is not None:
        parts.append(f"{esc(props['border_km'])} km from an international land border")
    return ("<br>" + " · ".join(parts)) if parts else ""


def _add_shape(group, wkt: str, popup: str, name: str) -> None:
    from shapely import wkt as wkt_io
    from shapely.geometry import mapping

    folium.GeoJson(mapping(wkt_io.loads(wkt)), style_function=lambda f: {"color": "#8B0000", "weight": 2,
                                                                       "fillOpacity": 0.2},
                   popup=folium.Popup(popup, max_width=400), tooltip=esc(name)).add_to(group)


def _add_events(fmap: folium.Map, rows: Sequence[dict], documents: dict[str, Document]) -> dict[str, int]:
    by_type: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row["lat"] is not None:
            by_type[row["type"]].append(row)
    counts = {}
    for event_type, (colour, icon) in EVENT_STYLE.items():
        placed = by_type.get(event_type, [])
        if not placed:
            continue
        counts[event_type] = len(placed)
        group = folium.FeatureGroup(name=f"Events: {event_type} ({len(placed)})", show=True)
        cluster = MarkerCluster(options={"maxClusterRadius": 40, "spiderfyOnMaxZoom": True}).add_to(group)
        for row in placed:
            folium.Marker(
                location=[row["lat"], row["lon"]], popup=folium.Popup(_event_popup(row, documents), max_width=400),
                tooltip=esc(f"{event_type}{'' if row['status'] == 'happened' else ' (' + row['status'] + ')'}: "
                            f"{row['place_name']}, {row['date'] or 'undated'} · {row['sources']} source(s)"),
                icon=folium.DivIcon(html=_event_icon(colour, icon), icon_size=(24, 24), icon_anchor=(12, 12),
                                    class_name="gm-event-icon"),
            ).add_to(cluster)
        group.add_to(fmap)
    return counts


def _event_icon(colour: str, icon: str) -> str:
    # built from the constants in EVENT_STYLE only, never from document text
    return f'<div class="gm-event" style="background:{colour}"><i class="fa-solid fa-{icon}"></i></div>'


def _event_popup(row: dict, documents: dict[str, Document]) -> str:
    sources = json.loads(row["quotes"])
    status = "" if row["status"] == "happened" else f' <span class="gm-status">({esc(STATUS_LABELS[row["status"]])})</span>'
    parts = [f'<div class="gm-popup" data-event-id="{esc(row["event_id"])}">',
             f'<div class="gm-head">{esc(row["type"].capitalize())}: “{esc(row["trigger"])}”{status}</div>',
             f'Date: {esc(date_label(row["date"], row["date_precision"], row["date_from_publication"]))}'
             + (" · rests on an inferred publication date" if row["date_inferred"] else "") + "<br>",
             f'Place: {place_line(row["place_name"], row["place_kind"], row["resolved_by"], row["precision_km"], row["place_basis"])}',
             _geography_line(row)]
    if row["actors"]:
        parts.append(f"<br>Actors: {esc(row['actors'])}")
    if row["figures"]:
        parts.append("<br>Figures: " + esc("; ".join(figure_label(f) for f in json.loads(row["figures"]))))
    parts.append(f'<div class="gm-sources">{len(sources)} report(s) in {row["sources"]} document(s)</div>')
    parts.extend(source_block(documents[s["doc"]], s["quote"]) for s in sources)
    return "".join(parts) + "</div>"


def _focus_bounds(event_rows, place_features):
    """The view opens on the focus countries' points, not on every capital the news names."""
    points = [(f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0]) for f in place_features
              if f["properties"]["country"] in settings.FOCUS_COUNTRIES
              and f["properties"]["kind"] not in ("country", "region", "water")]
    if not points:
        points = [(f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0]) for f in place_features]
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    pad = 0.5
    return [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]]
