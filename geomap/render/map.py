"""``index.html``: the layered folium map."""

from __future__ import annotations

import calendar
import json
import math
from collections import Counter, defaultdict
from typing import Sequence

import folium
from branca.element import Element, MacroElement, Template
from folium.elements import JSCSSMixin
from folium.plugins import HeatMap, MarkerCluster

from ..records import Document
from .. import event_types, settings
from .popups import STATUS_LABELS, date_label, esc, figure_label, place_line, source_block

# How a place was resolved, as the fill of its circle (dark = an editor's row; light = a fallback).
STAGE_COLOURS = {"gazetteer": "#1f78b4", "geonames": "#a6cee3", "geocoder": "#fdbf6f"}
GEOCODER_ATTRIBUTION = "Geocoding: data &copy; OpenStreetMap contributors, ODbL (Nominatim)"

# A transparent 1x1 PNG: the offline base layer asks no server for tiles.
BLANK_TILE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="

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
 .gm-swatch { display: inline-block; width: 11px; height: 11px; border-radius: 6px; border: 1px solid #333;
              vertical-align: -1px; }
 .leaflet-control-layers { font-size: 12px; }
 .gm-event { width: 24px; height: 24px; border-radius: 12px; border: 2px solid #fff; color: #fff;
             display: flex; align-items: center; justify-content: center; font-size: 12px;
             box-shadow: 0 1px 3px rgba(0,0,0,.5); }
</style>"""

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

    def __init__(self, histogram: list[dict], search: list[dict]):
        super().__init__()
        self._name = "MapControls"
        self.config = {"histogram": histogram, "search": search}


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


def build_map(event_rows: Sequence[dict], place_features: Sequence[dict], known_places: Sequence[dict],
              documents: dict[str, Document], outlines: Sequence[dict] = (),
              review_rows: Sequence[dict] = ()) -> folium.Map:
    """``known_places`` are gazetteer places shown whether mentioned or not (compounds, border towns);
    ``review_rows`` the review queue, drawn for editors where a place was chosen."""
    fmap = folium.Map(location=[12.5, 104.5], zoom_start=6, tiles=None, control_scale=True)
    for index, (tiles, name, attribution) in enumerate(BASE_LAYERS):
        folium.TileLayer(tiles, name=name, attr=attribution, show=index == 0).add_to(fmap)
    folium.TileLayer(BLANK_TILE, name="Offline: outlines only (no tiles)", attr="Natural Earth (public domain)",
                     show=False).add_to(fmap)
    fmap.get_root().header.add_child(Element(_STYLE), name="geomap_style")
    if outlines:
        _add_outlines(fmap, outlines)
        _add_province_shading(fmap, outlines, event_rows)

    _add_places(fmap, place_features)
    _add_compounds(fmap, [p for p in known_places if p["kind"] == "compound"])
    _add_border_places(fmap, known_places, place_features)
    _add_events(fmap, event_rows, documents)
    _add_heat(fmap, event_rows)
    _add_review(fmap, review_rows)
    stages = {f["properties"]["resolved_by"] for f in place_features}
    if "geocoder" in stages:
        Attribution(GEOCODER_ATTRIBUTION).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    MapControls(_histogram(event_rows), search_index(event_rows, place_features, known_places)).add_to(fmap)
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
    stages = [s for s in STAGE_COLOURS if any(f["properties"]["resolved_by"] == s for f in features)]
    key = " ".join(f"{_swatch(STAGE_COLOURS[s])} {s}" for s in stages)
    group = folium.FeatureGroup(name=f"Places mentioned ({len(features)}) {key}", show=True)
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
        precision = float(props["precision_km"])
        if props.get("geometry_wkt"):
            _add_shape(group, props["geometry_wkt"], popup, props["name"])
        elif PRECISE_KM < precision <= AREA_KM:
            folium.Circle(location=[lat, lon], radius=precision * 1000, color="#1f78b4", weight=1,
                          dash_array="2 4", fill=True, fill_opacity=0.04, interactive=False).add_to(group)
        folium.CircleMarker(  # a dashed rim: a country or a sea, whose point is only a placeholder
            location=[lat, lon], radius=4 + 3 * math.sqrt(props["mentions"]), weight=1, class_name="gm-place",
            color="#333333", fill=True, fill_color=STAGE_COLOURS.get(props["resolved_by"], "#999999"),
            fill_opacity=0.6, dash_array="3 2" if precision > AREA_KM else None,
            popup=folium.Popup(popup, max_width=400),
            tooltip=esc(f"{props['name']} — {props['mentions']} mention(s), ±{precision:g} km"),
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


def _swatch(colour: str) -> str:
    # layer names are shown as HTML by Leaflet's layer control: these are built from constants only
    return f'<i class="gm-swatch" style="background:{colour}"></i>'


def _add_events(fmap: folium.Map, rows: Sequence[dict], documents: dict[str, Document]) -> None:
    by_type: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row["lat"] is not None:
            by_type[row["type"]].append(row)
    for row_type in event_types.EVENT_TYPES:
        event_type, colour, icon = row_type.name, row_type.colour, row_type.icon
        placed = by_type.get(event_type, [])
        if not placed:
            continue
        group = folium.FeatureGroup(name=f"Events: {event_type} ({len(placed)}) {_swatch(colour)}", show=True)
        _add_precision_circles(group, placed, colour)
        cluster = MarkerCluster(options={"maxClusterRadius": 40, "spiderfyOnMaxZoom": True}).add_to(group)
        for row in placed:
            start, end = event_period(row["date"], row["date_precision"])
            approximate = float(row["precision_km"]) > PRECISE_KM
            folium.Marker(
                location=[row["lat"], row["lon"]], popup=folium.Popup(_event_popup(row, documents), max_width=400),
                tooltip=esc(f"{event_type}{'' if row['status'] == 'happened' else ' (' + row['status'] + ')'}: "
                            f"{row['place_name']}{' (±' + format(float(row['precision_km']), 'g') + ' km)' if approximate else ''}, "
                            f"{row['date'] or 'undated'} · {row['sources']} source(s)"),
                icon=folium.DivIcon(html=_event_icon(colour, icon, approximate), icon_size=(24, 24),
                                    icon_anchor=(12, 12), class_name="gm-event-icon"),
                gmId=row["event_id"], gmStart=start, gmEnd=end,
            ).add_to(cluster)
        group.add_to(fmap)


# An event placed no more precisely than this (km) is drawn as a ring with a circle of its precision.
PRECISE_KM = 2.0
# Beyond this (km: countries, seas, regions) a precision circle would hide the map: only outlined.
AREA_KM = 150.0


def _add_precision_circles(group, rows: Sequence[dict], colour: str) -> None:
    """One circle per place of the type's imprecise events: the area the events may lie in."""
    by_place: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if float(row["precision_km"]) > PRECISE_KM:
            by_place[row["place_id"]].append(row)
    for place_id in sorted(by_place):
        first = by_place[place_id][0]
        radius_km = float(first["precision_km"])
        circle = folium.Circle(  # a country-wide circle is only outlined, not to hide the map under it
            location=[first["lat"], first["lon"]], radius=radius_km * 1000, color=colour, weight=1,
            dash_array="4 4", fill=radius_km <= AREA_KM, fill_opacity=0.05, interactive=False,
        )
        circle.options["gmEvents"] = [r["event_id"] for r in by_place[place_id]]
        circle.add_to(group)


def event_period(iso: str, precision: str) -> tuple[str, str]:
    """The first and last day an event's date may mean: "2022" is 2022-01-01 to 2022-12-31."""
    if not iso:
        return "", ""
    if precision == "year":
        return f"{iso}-01-01", f"{iso}-12-31"
    if precision == "month":
        year, month = (int(p) for p in iso.split("-"))
        return f"{iso}-01", f"{iso}-{calendar.monthrange(year, month)[1]:02d}"
    return iso, iso


def _histogram(rows: Sequence[dict]) -> list[dict]:
    """Placed events per month of their first possible day, every month from the first to the last."""
    counts = Counter(event_period(r["date"], r["date_precision"])[0][:7] for r in rows
                     if r["lat"] is not None and r["date"])
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


def search_index(event_rows: Sequence[dict], place_features: Sequence[dict],
                 known_places: Sequence[dict]) -> list[dict]:
    """What the search box finds: places and compounds (by every name used), actors (at their first
    event), and events (by their text)."""
    entries: list[dict] = []
    seen = set()

    def add(label, kind, lat, lon, zoom, text="", event=None):
        if (label, kind) in seen or lat is None:
            return
        seen.add((label, kind))
        entries.append({"label": label, "kind": kind, "lat": lat, "lon": lon, "zoom": zoom,
                        "text": f"{label} {text}".lower(), "event": event})

    for place in sorted(known_places, key=lambda p: p["id"]):
        add(place["name"], place["kind"], place["lat"], place["lon"], 13 if place["kind"] == "compound" else 11)
    for feature in place_features:
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        zoom = {"country": 6, "region": 4, "water": 5, "province": 8}.get(props["kind"], 11)
        add(props["name"], props["kind"], lat, lon, zoom, " ".join(props["surfaces"]))
    placed = [r for r in event_rows if r["lat"] is not None]
    for row in placed:
        for actor in filter(None, row["actors"].split("; ")):
            add(actor, "actor", row["lat"], row["lon"], 10, event=row["event_id"])
    for row in placed:
        label = f"{row['type']}: {row['place_name']}, {row['date'] or 'undated'} ({row['event_id']})"
        add(label, "event", row["lat"], row["lon"], 10, f"{row['quote']} {row['actors']}", row["event_id"])
    return entries


def _add_heat(fmap: folium.Map, rows: Sequence[dict]) -> None:
    points = [[r["lat"], r["lon"], 1.0] for r in rows if r["lat"] is not None]
    if points:
        HeatMap(points, name="Heat map of events", show=False, radius=22, blur=18, min_opacity=0.3).add_to(fmap)


def _add_province_shading(fmap: folium.Map, outlines: Sequence[dict], rows: Sequence[dict]) -> None:
    """Cambodia's provinces shaded by how many events lie in them, with a tooltip."""
    counts = Counter(r["admin1_code"] for r in rows if r.get("admin1_code"))
    provinces = [{**f, "properties": {**f["properties"], "events": counts.get(f["properties"]["iso"], 0)}}
                 for f in outlines if f["properties"]["level"] == "province"]
    if not provinces:
        return
    top = max(p["properties"]["events"] for p in provinces) or 1
    folium.GeoJson(
        {"type": "FeatureCollection", "features": provinces}, name="Events per province (Cambodia)", show=False,
        style_function=lambda f: {"color": "#555555", "weight": 0.6, "fillOpacity": 0.65,
                                  "fillColor": _shade(f["properties"]["events"], top)},
        tooltip=folium.GeoJsonTooltip(fields=["name", "events"], aliases=["Province", "Events"]),
    ).add_to(fmap)


# ColorBrewer YlOrRd (colour-blind safe, sequential), lightest for none.
_SHADES = ("#ffffcc", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")


def _shade(count: int, top: int) -> str:
    if not count:
        return _SHADES[0]
    return _SHADES[min(len(_SHADES) - 1, 1 + int((len(_SHADES) - 2) * count / top))]


def _add_review(fmap: folium.Map, rows: Sequence[dict]) -> None:
    """The review queue for editors: mentions placed only by a fallback stage or ambiguously, at the
    place chosen; unresolved ones have no place and are counted in the layer's name."""
    placed = [r for r in rows if r.get("lat") is not None]
    unresolved = len(rows) - len(placed)
    group = folium.FeatureGroup(name=f"Needs review ({len(placed)} placed, {unresolved} unresolved in review.csv)",
                                show=False)
    for row in placed:
        popup = (f'<div class="gm-popup"><div class="gm-head">Needs review: {esc(row["issue"])}</div>'
                 f'“{esc(row["surface"])}” → {esc(row["place_name"])} ({esc(row["resolved_by"])})<br>'
                 f'Candidates: {esc(row["candidates"])}<br>{esc(row["suggestion"])}'
                 f'<blockquote class="gm-quote">{esc(row["quote"])}</blockquote>'
                 f'<div class="gm-doc">{esc(row["doc"])}, sentence {row["sentence"]}</div></div>')
        folium.Marker(location=[row["lat"], row["lon"]], popup=folium.Popup(popup, max_width=400),
                      tooltip=esc(f"review: {row['surface']} ({row['issue']})"),
                      icon=folium.DivIcon(html='<div class="gm-event" style="background:#E69F00">?</div>',
                                          icon_size=(24, 24), icon_anchor=(12, 12))).add_to(group)
    group.add_to(fmap)


def _event_icon(colour: str, icon: str, approximate: bool = False) -> str:
    # built from the constants of the event-type table only, never from document text
    if approximate:  # a ring: the place is known only to a town, province or country
        return (f'<div class="gm-event gm-approx" style="border-color:{colour};color:{colour}">'
                f'<i class="fa-solid fa-{icon}"></i></div>')
    return f'<div class="gm-event" style="background:{colour}"><i class="fa-solid fa-{icon}"></i></div>'


def _event_popup(row: dict, documents: dict[str, Document]) -> str:
    sources = json.loads(row["quotes"])
    status = "" if row["status"] == "happened" else f' <span class="gm-status">({esc(STATUS_LABELS[row["status"]])})</span>'
    parts = [f'<div class="gm-popup" data-event-id="{esc(row["event_id"])}">',
             f'<div class="gm-head">{esc(event_types.event_type(row["type"]).label)}: “{esc(row["trigger"])}”{status}</div>',
             f'Date: {esc(date_label(row["date"], row["date_precision"], row["date_from_publication"]))}'
             + (" · rests on an inferred publication date" if row["date_inferred"] else "") + "<br>",
             f'Place: {place_line(row["place_name"], row["place_kind"], row["resolved_by"], row["precision_km"], row["place_basis"])}',
             _geography_line(row)]
    if row["actors"]:
        parts.append(f"<br>Actors: {esc(row['actors'])}")
    if row["figures"]:
        parts.append("<br>Figures: " + esc("; ".join(figure_label(f) for f in json.loads(row["figures"]))))
    parts.append(f'<div class="gm-sources">{len(sources)} report(s) in {row["sources"]} document(s)</div>')
    parts.extend(source_block(documents[s["doc"]], s["quote"], _highlights(s)) for s in sources)
    return "".join(parts) + "</div>"


def _highlights(source: dict) -> list[tuple[int, int, str]]:
    """The trigger and the place of a source, as offsets into its quote."""
    base = source["sentence_start"]
    spans = [(source["trigger_start"] - base, source["trigger_end"] - base, "gm-trigger")]
    if source["place_start"] >= base:
        spans.append((source["place_start"] - base, source["place_end"] - base, "gm-place"))
    return spans


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
