"""Loading the editors' ``places.csv`` into Place records, after validating all of it."""

from __future__ import annotations

import os

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GazetteerError, GazetteerProblems
from ..records import Place
from ..settings import BOUNDARIES_FOLDER, COUNTRY_MARGIN_KM, PLACES_FILE
from .check import ALIAS_SEPARATOR, Problem, check_places
from .geometry import Boundaries


@dataclass
class Gazetteer:
    places: dict[str, Place]
    path: Path | None = None
    #: every name and alias, exactly as written, to the ids of the places that carry it
    names: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @classmethod
    def from_places(cls, places: list[Place], path: Path | None = None,
                    warnings: list[Problem] | None = None) -> "Gazetteer":
        names: dict[str, list[str]] = defaultdict(list)
        for place in places:
            for name in (place.name, *place.aliases):
                if place.id not in names[name]:
                    names[name].append(place.id)
        return cls({p.id: p for p in places}, path, dict(names), list(warnings or ()))

    def get(self, place_id: str) -> Place | None:
        return self.places.get(place_id)

    def by_name(self, name: str) -> list[Place]:
        return [self.places[i] for i in self.names.get(name, ())]

    def lineage(self, place_id: str) -> list[Place]:
        """The row ``place_id`` and its parents, nearest first; it stops at an id that is not a row
        or a parent seen before (a loop ``geomap check`` reports)."""
        found, seen = [], set()
        current = self.places.get(place_id)
        while current is not None and current.id not in seen:
            found.append(current)
            seen.add(current.id)
            current = self.places.get(current.parent) if current.parent else None
        return found


def no_places_file(gazetteer_dir: Path) -> str:
    """What to say of a gazetteer folder without places.csv: where it was looked for, and how to
    name another (the default, ``gazetteer``, is a folder of the working directory)."""
    return (f"no {PLACES_FILE} in this folder ({os.path.abspath(gazetteer_dir)}); give the editors' folder with "
            "--gazetteer DIR (a relative folder is read from the one geomap runs in)")


def load_gazetteer(gazetteer_dir: Path, boundaries: Boundaries | None = None,
                   margin_km: float = COUNTRY_MARGIN_KM) -> Gazetteer:
    """The validated gazetteer; raises GazetteerProblems listing every error when there are any."""
    path = gazetteer_dir / PLACES_FILE
    if not path.exists():
        raise GazetteerError(no_places_file(gazetteer_dir), path=str(gazetteer_dir))
    if boundaries is None:
        candidate = Boundaries(gazetteer_dir / BOUNDARIES_FOLDER)
        boundaries = candidate if candidate.available else None
    table, problems = check_places(path, boundaries, margin_km)
    if any(p.is_error for p in problems):
        raise GazetteerProblems(problems)
    places = [_place(row.values) for row in table.rows]
    return Gazetteer.from_places(places, path, [p for p in problems if not p.is_error])


def _place(v: dict[str, str]) -> Place:
    return Place(
        id=v["id"], name=v["name"], kind=v["kind"], lat=float(v["lat"]), lon=float(v["lon"]),
        precision_km=float(v["precision_km"]), country=v.get("country", ""),
        aliases=tuple(a.strip() for a in v.get("aliases", "").split(ALIAS_SEPARATOR) if a.strip()),
        parent=v.get("parent", ""), source=v.get("source", ""), notes=v.get("notes", ""),
        geometry_wkt=v.get("geometry", ""),
    )
