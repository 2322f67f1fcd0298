"""Boundaries (Natural Earth, public domain; see boundaries/SOURCES.md) read with shapely."""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

COUNTRIES_FILE = "countries.geojson"
ADMIN1_FILE = "admin1_sea.geojson"


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def outline_features(boundaries_dir: Path, countries: tuple[str, ...], province_countries: tuple[str, ...],
                     tolerance_deg: float = 0.01) -> list[dict]:
    """Country outlines and the provinces of some of them, simplified for drawing (about 1 km at the
    default tolerance): the map's background when no tile server can be reached."""
    features = []
    countries_path = boundaries_dir / COUNTRIES_FILE
    if countries_path.exists():
        for feature in _features(countries_path):
            iso = feature["properties"].get("ISO_A2")
            if iso in countries:
                features.append(_simplified(feature, tolerance_deg, {"level": "country", "iso": iso,
                                                                     "name": feature["properties"]["NAME"]}))
    admin1_path = boundaries_dir / ADMIN1_FILE
    if admin1_path.exists():
        for feature in _features(admin1_path):
            props = feature["properties"]
            if props.get("iso_a2") in province_countries:
                features.append(_simplified(feature, tolerance_deg, {
                    "level": "province", "iso": props["iso_3166_2"], "name": props.get("name_en") or props["name"]}))
    return sorted(features, key=lambda f: (f["properties"]["level"], f["properties"]["iso"]))


def _simplified(feature: dict, tolerance: float, properties: dict) -> dict:
    geometry = shapely.set_precision(shape(feature["geometry"]).simplify(tolerance, preserve_topology=True), 1e-4)
    return {"type": "Feature", "geometry": mapping(geometry), "properties": properties}
