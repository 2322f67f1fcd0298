"""Boundaries (Natural Earth 1:10m, public domain; see boundaries/SOURCES.md) read with shapely:
which country and province a point is in, how far it is from a country, and from the nearest
international land border.

The lines are generalised and can be a few km off (they put Myawaddy in Thailand), so every test
against them takes a margin in km, and the gazetteer's own `country` and `parent` win over them.
"""

from __future__ import annotations

import json
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Point, mapping, shape
from shapely.ops import nearest_points

from ..errors import GazetteerError
from ..matching import unaccented
from ..settings import PROVINCE_MARGIN_KM

COUNTRIES_FILE = "countries.geojson"
ADMIN1_FILE = "admin1_sea.geojson"
EARTH_RADIUS_KM = 6371.0088
# Country outlines are simplified with different tolerances and may not meet exactly; a country's
# boundary within this many degrees of a neighbour counts as a land border, not a coast.
_NEIGHBOUR_GAP_DEG = 0.02


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_to_shape_km(lat: float, lon: float, geometry) -> float:
    """Great-circle distance in km from a point to the nearest point of a geometry (0 inside it).
    The nearest point is found in a local equirectangular projection centred on the point (a metric
    projection: km, not degrees, so east-west and north-south distances weigh the same), then
    measured on the sphere."""
    if geometry.is_empty:
        return math.inf
    if shapely.get_dimensions(geometry) == 2 and geometry.covers(Point(lon, lat)):
        return 0.0  # inside an area (a line holds no point the nearest point would not find: not asked)
    km_per_degree = EARTH_RADIUS_KM * math.pi / 180
    scale = np.array([km_per_degree * math.cos(math.radians(lat)), km_per_degree])
    projected = shapely.transform(geometry, lambda coords: (coords - (lon, lat)) * scale)
    nearest = nearest_points(projected, Point(0.0, 0.0))[0]
    return haversine_km(lat, lon, lat + nearest.y / scale[1], lon + nearest.x / scale[0])


@dataclass(frozen=True)
class Area:
    code: str  # ISO 3166-1 alpha-2 for countries, ISO 3166-2 for provinces
    name: str
    country: str
    geometry: object
    other_names: tuple[str, ...] = ()

    def is_called(self, name: str) -> bool:
        """Whether ``name`` is one of this area's names, ignoring accents and words such as
        "Province" ("Preah Sihanouk" is NE's "Krong Preah Sihanouk", "Takeo" its "Takéo")."""
        wanted = plain_name(name)
        return any(plain_name(n) == wanted for n in (self.name, *self.other_names))


_GENERIC_WORDS = {"province", "capital", "municipality", "krong", "khett", "state", "region", "city"}


def plain_name(name: str) -> str:
    """A name as areas are compared by: lowercase, without accents and without words such as
    "Province", "State" or "Capital" ("Tak Province", "Tak" and "TAK" are one)."""
    # unaccented, not the ASCII encoding with errors ignored: that dropped "Đ" ("Đồng Nai" was "ng nai")
    folded = unaccented(name).lower()
    return " ".join(w for w in re.split(r"[^a-z0-9]+", folded) if w and w not in _GENERIC_WORDS)


class Boundaries:
    """Country and province polygons, loaded lazily from a ``boundaries/`` folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._land_borders: dict[str, object] = {}

    @property
    def available(self) -> bool:
        return (self.folder / COUNTRIES_FILE).exists()

    def __getstate__(self) -> dict:
        # sent to another machine (a Dask worker) with its outlines read, not as paths that may not
        # exist there; the search trees are rebuilt on first use
        if self.available:
            self.countries  # noqa: B018 -- read now, kept in __dict__
        if (self.folder / ADMIN1_FILE).exists():
            self.provinces  # noqa: B018
        return {name: value for name, value in self.__dict__.items() if name not in ("_country_tree", "_province_tree")}

    @cached_property
    def countries(self) -> list[Area]:
        areas = []
        path = self.folder / COUNTRIES_FILE
        for number, feature in enumerate(_features(path), 1):
            with _feature_of(path, number, "ISO_A2, NAME"):
                props = feature["properties"]
                if props.get("ISO_A2"):
                    areas.append(Area(props["ISO_A2"], props["NAME"], props["ISO_A2"], shape(feature["geometry"])))
        return areas

    @cached_property
    def provinces(self) -> list[Area]:
        areas = []
        path = self.folder / ADMIN1_FILE
        for number, feature in enumerate(_features(path), 1):
            with _feature_of(path, number, "iso_3166_2, iso_a2, name"):
                props = feature["properties"]
                alternates = tuple(n for n in (props.get("name_alt") or "").split("|") if n)
                areas.append(Area(props["iso_3166_2"], props.get("name_en") or props["name"], props["iso_a2"],
                                  shape(feature["geometry"]), (props["name"], *alternates)))
        return areas

    def provinces_called(self, country: str, names) -> list[Area]:
        """The province outlines of ``country`` called by one of ``names`` (accents and words such
        as "Province" aside)."""
        names = [n for n in names if n]
        return [a for a in self.provinces if a.country == country and any(a.is_called(n) for n in names)]

    @cached_property
    def _country_tree(self):
        return shapely.STRtree([a.geometry for a in self.countries])

    @cached_property
    def _province_tree(self):
        return shapely.STRtree([a.geometry for a in self.provinces])

    @cached_property
    def country_codes(self) -> set[str]:
        return {a.code for a in self.countries}

    def country(self, code: str) -> Area | None:
        return next((a for a in self.countries if a.code == code), None)

    def countries_at(self, lat: float, lon: float) -> list[Area]:
        """Countries whose polygon holds the point: none at sea, two where outlines overlap."""
        return [self.countries[i] for i in self._country_tree.query(Point(lon, lat), predicate="intersects")]

    def distance_to_country_km(self, lat: float, lon: float, code: str) -> float:
        area = self.country(code)
        return math.inf if area is None else distance_to_shape_km(lat, lon, area.geometry)

    def province_at(self, lat: float, lon: float, country: str = "", margin_km: float = PROVINCE_MARGIN_KM) -> Area | None:
        """The province holding the point, of ``country`` when given. Where the generalised
        outlines leave the point in none of them (a border town drawn on the wrong side, a port
        drawn in the sea), the nearest province within ``margin_km``."""
        point = Point(lon, lat)
        holding = [self.provinces[i] for i in self._province_tree.query(point, predicate="intersects")
                   if not country or self.provinces[i].country == country]
        if holding:
            return min(holding, key=lambda a: a.code)
        near = [self.provinces[i] for i in self._province_tree.query(point, predicate="dwithin",
                                                                    distance=margin_km / 100)]
        scored = sorted((distance_to_shape_km(lat, lon, a.geometry), a.code, a) for a in near
                        if not country or a.country == country)
        if scored and scored[0][0] <= margin_km:
            return scored[0][2]
        return None

    def land_border(self, code: str):
        """The parts of a country's outline that touch another country (its coast left out)."""
        if code not in self._land_borders:
            area = self.country(code)
            if area is None:
                self._land_borders[code] = shapely.GeometryCollection()
            else:
                indices = self._country_tree.query(area.geometry, predicate="dwithin", distance=_NEIGHBOUR_GAP_DEG)
                others = [self.countries[i].geometry for i in indices if self.countries[i].code != code]
                self._land_borders[code] = _segments_near(area.geometry.boundary, others, _NEIGHBOUR_GAP_DEG)
        return self._land_borders[code]

    def border_distance_km(self, lat: float, lon: float, country: str = "") -> float | None:
        """Distance to the nearest international land border, in km, or None where unknown."""
        codes = [country] if country else [a.code for a in self.countries_at(lat, lon)]
        distances = [distance_to_shape_km(lat, lon, self.land_border(c)) for c in codes if self.country(c)]
        finite = [d for d in distances if math.isfinite(d)]
        return round(min(finite), 1) if finite else None


def _segments_near(boundary, others, distance: float):
    """The segments of an outline within ``distance`` of any of ``others``: the outline's land
    border. Segment by segment through a tree, rather than intersecting the outline with the
    union of the buffered neighbours, which took a second per country (China's buffer alone)."""
    segments = []
    for line in shapely.get_parts(boundary):
        points = shapely.get_coordinates(line)
        if len(points) > 1:
            segments.append(shapely.linestrings(np.stack([points[:-1], points[1:]], axis=1)))
    if not segments or not others:
        return shapely.GeometryCollection()
    segments = np.concatenate(segments)
    tree = shapely.STRtree(segments)
    near = sorted({int(i) for other in others for i in tree.query(other, predicate="dwithin", distance=distance)})
    return shapely.multilinestrings(segments[near]) if near else shapely.GeometryCollection()


def _features(path: Path) -> list[dict]:
    """The features of a boundary file. A file an editor broke stops the build with where it is
    broken, not with a traceback."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise GazetteerError(f"not valid JSON ({error.msg})", path=str(path), line=error.lineno,
                             column=error.colno) from None
    except (OSError, UnicodeDecodeError) as error:
        raise GazetteerError(f"cannot be read as UTF-8 text ({error})", path=str(path)) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not all(
            isinstance(f, dict) and isinstance(f.get("properties"), dict) for f in features):
        raise GazetteerError('expected a GeoJSON FeatureCollection, {"type": "FeatureCollection", "features": '
                             '[...]}, each feature with its "properties" and "geometry"', path=str(path))
    return features


@contextmanager
def _feature_of(path: Path, number: int, needed: str):
    """What a broken feature raises, as a GazetteerError naming the file and the feature."""
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as error:
        raise GazetteerError(f"feature {number}: {type(error).__name__}: {error} (expected the properties "
                             f"{needed} and a valid GeoJSON geometry)", path=str(path)) from None


def outline_features(boundaries_dir: Path, countries: tuple[str, ...], province_countries: tuple[str, ...],
                     tolerance_deg: float = 0.02, detailed: tuple[str, ...] | None = None) -> list[dict]:
    """Country outlines and the provinces of some of them, simplified for drawing (about 2 km at the
    default tolerance): the map's background when no tile server can be reached. Countries not in
    ``detailed`` (when given: the neighbours shown for context, China, India, Indonesia...) are
    simplified five times more: their long coasts and borders were most of the points the browser
    projects at each new zoom. Worked out once per process for the same files (0.4 s a build), and
    given as a copy of its own each time."""
    files = tuple((name, *_stamp(boundaries_dir / name)) for name in (COUNTRIES_FILE, ADMIN1_FILE))
    text = _outlines(str(boundaries_dir), files, tuple(countries), tuple(province_countries), tolerance_deg,
                     None if detailed is None else tuple(detailed))
    return json.loads(text)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _outlines(boundaries_dir: str, files: tuple, countries: tuple[str, ...], province_countries: tuple[str, ...],
              tolerance_deg: float, detailed: tuple[str, ...] | None) -> str:
    """The outlines as JSON text (``files``: the boundary files' names, times and sizes, so that a
    changed file is read again)."""
    boundaries_dir = Path(boundaries_dir)
    features = []
    countries_path = boundaries_dir / COUNTRIES_FILE
    if countries_path.exists():
        for number, feature in enumerate(_features(countries_path), 1):
            with _feature_of(countries_path, number, "ISO_A2, NAME"):
                iso = feature["properties"].get("ISO_A2")
                if iso in countries:
                    tolerance = tolerance_deg if detailed is None or iso in detailed else tolerance_deg * 5
                    features.append(_simplified(feature, tolerance, {"level": "country", "iso": iso,
                                                                     "name": feature["properties"]["NAME"]}))
    admin1_path = boundaries_dir / ADMIN1_FILE
    if admin1_path.exists():
        for number, feature in enumerate(_features(admin1_path), 1):
            with _feature_of(admin1_path, number, "iso_3166_2, iso_a2, name"):
                props = feature["properties"]
                if props.get("iso_a2") in province_countries:
                    features.append(_simplified(feature, tolerance_deg, {
                        "level": "province", "iso": props["iso_3166_2"],
                        "name": props.get("name_en") or props["name"]}))
    return json.dumps(sorted(features, key=lambda f: (f["properties"]["level"], f["properties"]["iso"])))


def _simplified(feature: dict, tolerance: float, properties: dict) -> dict:
    geometry = shapely.set_precision(shape(feature["geometry"]).simplify(tolerance, preserve_topology=True), 1e-4)
    return {"type": "Feature", "geometry": mapping(geometry), "properties": properties}
