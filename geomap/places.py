"""Facts about a resolved place that come from the boundaries rather than the text: its province
(admin-1) and its distance to the nearest international land border."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .gazetteer.geometry import Boundaries
from .gazetteer.table import Gazetteer
from .records import Place

# Kinds too large for a province or a border distance to mean anything.
_AREA_KINDS = ("country", "region", "water")


@dataclass(frozen=True)
class PlaceFacts:
    admin1: str = ""
    admin1_code: str = ""
    border_km: float | None = None
    near_border: bool = False


class PlaceFactFinder:
    def __init__(self, boundaries: Boundaries | None, gazetteer: Gazetteer, border_km: float):
        self.boundaries = boundaries
        self.gazetteer = gazetteer
        self.border_km = border_km
        self._cache: dict[str, PlaceFacts] = {}
        self._rows_by_area: dict[str, Place] | None = None  # province rows by the polygon's code, made when first asked
        self._provinces_of: dict[str, frozenset[str]] = {}  # country -> the ids of its province rows

    def facts(self, place: Place) -> PlaceFacts:
        if place.id not in self._cache:
            self._cache[place.id] = self._compute(place)
        return self._cache[place.id]

    def remember(self, known: Iterable[tuple[str, PlaceFacts]]) -> None:
        """Facts worked out elsewhere (by the per-document stage, in a worker or an earlier build)."""
        self._cache.update(known)

    def rows_read(self, place: Place) -> set[str]:
        """The gazetteer rows a place's facts depend on: the place and its parents (the province),
        and for a place with no province among them, the province row its polygon's name is taken from."""
        rows = {row.id for row in self.gazetteer.lineage(place.id)}
        if place.kind in _AREA_KINDS or self.boundaries is None or place.kind == "province" \
                or self._province_parent(place) is not None:
            return rows
        # every province row of its country: one added, renamed or taken away may name its polygon
        return rows | self._province_rows_of(place.country)

    def _province_rows_of(self, country: str) -> frozenset[str]:
        if country not in self._provinces_of:
            self._provinces_of[country] = frozenset(p.id for p in self.gazetteer.places.values()
                                                    if p.kind == "province" and p.country == country)
        return self._provinces_of[country]

    def _compute(self, place: Place) -> PlaceFacts:
        if place.kind in _AREA_KINDS or self.boundaries is None:
            return PlaceFacts()
        admin1, code = self._province(place)
        distance = self.boundaries.border_distance_km(place.lat, place.lon, place.country)
        near = distance is not None and distance <= self.border_km and place.kind != "province"
        return PlaceFacts(admin1, code, distance, near)

    def _province(self, place: Place) -> tuple[str, str]:
        """The editors' word first: the place itself or a province row among its parents (which
        is how Tboung Khmum, merged into Kampong Cham in the boundary data, can still be named);
        then the province polygon holding the point. The ISO code comes from the polygon, and only
        when the polygon and the editors agree on the name."""
        area = self.boundaries.province_at(place.lat, place.lon, place.country)
        province = place if place.kind == "province" else self._province_parent(place)
        if province is None:
            # a place of the index in a polygon: named as the editors name that province, so that one
            # province is not two in the exports ("Tak Province" and Natural Earth's "Tak")
            row = self._row_called(area) if area else None
            return ((row.name if row else area.name), area.code) if area else ("", "")
        names = (province.name, *province.aliases)
        return province.name, area.code if area and any(area.is_called(n) for n in names) else ""

    def _row_called(self, area) -> Place | None:
        if self._rows_by_area is None:
            self._rows_by_area = {}
            for row in sorted(self.gazetteer.places.values(), key=lambda p: p.id):
                if row.kind == "province":
                    for outline in self.boundaries.provinces_called(row.country, (row.name, *row.aliases)):
                        self._rows_by_area.setdefault(outline.code, row)
        return self._rows_by_area.get(area.code)

    def _province_parent(self, place: Place) -> Place | None:
        parents = self.gazetteer.lineage(place.parent) if place.parent else []
        return next((parent for parent in parents if parent.kind == "province"), None)
