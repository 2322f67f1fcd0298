"""``index.html``: the layered folium map. This module assembles it: base maps, the overlays of
``layers/`` in their order, the layer control, geomap's own controls, and the first view."""

from __future__ import annotations

import folium

from .. import settings
from ..atlas import Atlas, coordinate
from .controls import Attribution, MapControls, histogram, legend_html, search_index, search_rows
from .layers import LAYERS
from .map_data import map_data

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
#: The deepest zoom, the base layers' own (folium's TileLayer default)
MAX_ZOOM = 18



def build_map(atlas: Atlas) -> folium.Map:
    # vectors (places, movement lines, outlines) on one canvas: as SVG, each was a DOM node, and ten
    # thousand of them made the page slow to open and to filter
    fmap = folium.Map(location=[12.5, 104.5], zoom_start=6, tiles=None, control_scale=True, prefer_canvas=True)
    # the map's own zoom limit: no base layer is on it when the clusters are made (geomap.js adds one),
    # and folium gives max_zoom only to the tile layer it makes
    fmap.options["max_zoom"] = MAX_ZOOM
    # the tab's and the bookmark's name: figures only, no document's text
    fmap.get_root().header.add_child(folium.Element(
        f"<title>geomap: {len(atlas.placed_events)} events from {len(atlas.documents)} documents</title>"))
    map_data(fmap)  # linked first: the layers' scripts read it
    bounds = _focus_bounds(atlas)
    if bounds:
        # the first view before any layer, and not animated: set after them, or while a zoom animation
        # ran, it made the event clusters cluster twice (0.5 s of a 3.5 s opening at 10,000 events)
        view = folium.map.FitBounds(bounds)
        view.options["animate"] = False
        view.add_to(fmap)
    # none shown by the page: static/geomap.js adds the one a link names, else the first, before any
    # tile is asked for
    for tiles, name, attribution in BASE_LAYERS:
        folium.TileLayer(tiles, name=name, attr=attribution, show=False).add_to(fmap)
    folium.TileLayer(BLANK_TILE, name="Offline: outlines only (no tiles)", attr="Natural Earth (public domain)",
                     show=False).add_to(fmap)
    for layer in LAYERS:
        layer.add(fmap, atlas)
    if any(p.resolved_by == "geocoder" for p in atlas.places):
        Attribution(GEOCODER_ATTRIBUTION).add_to(fmap)
    # open: geomap.js folds it to a button on screens narrower than 1400 px
    layer_control = folium.LayerControl(collapsed=False).add_to(fmap)
    # an entry per place and actor: the browser adds the events from their rows
    map_data(fmap).put("search", search_rows(search_index(atlas)))
    MapControls(histogram(atlas), "search", legend_html(atlas), layer_control.get_name()).add_to(fmap)
    return fmap


def _focus_bounds(atlas: Atlas):
    """The view opens on the events in the focus countries (their badges included), not on every
    capital the news names; else on the focus countries' places; else on every place."""
    points = [(coordinate(e.place.lat), coordinate(e.place.lon)) for e in atlas.placed_events
              if e.place.country in settings.FOCUS_COUNTRIES and e.place.kind not in ("region", "water")]
    if not points:
        points = [(coordinate(p.place.lat), coordinate(p.place.lon)) for p in atlas.places
                  if p.place.country in settings.FOCUS_COUNTRIES and p.place.kind not in ("country", "region", "water")]
    if not points:
        points = [(coordinate(p.place.lat), coordinate(p.place.lon)) for p in atlas.places]
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    # a margin of a tenth of the span (at least 0.2 degrees): the markers at the edge stay whole
    pad_lat = max(0.2, (max(lats) - min(lats)) / 10)
    pad_lon = max(0.2, (max(lons) - min(lons)) / 10)
    return [[coordinate(min(lats) - pad_lat), coordinate(min(lons) - pad_lon)],
            [coordinate(max(lats) + pad_lat), coordinate(max(lons) + pad_lon)]]
