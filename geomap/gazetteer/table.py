"""Loading ``places.csv`` into Place records."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..documents import read_text
from ..errors import GazetteerError
from ..records import PLACE_KINDS, Place

PLACES_FILE = "places.csv"
PLACES_COLUMNS = ("id", "name", "aliases", "kind", "lat", "lon", "precision_km",
                  "country", "parent", "source", "notes")
REQUIRED_VALUES = ("id", "name", "kind", "lat", "lon", "precision_km")
ALIAS_SEPARATOR = "|"


@dataclass
class Gazetteer:
    places: dict[str, Place]
    path: Path | None = None
    #: every name and alias, exactly as written, to the ids of the places that carry it
    names: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_places(cls, places: list[Place], path: Path | None = None) -> "Gazetteer":
        names: dict[str, list[str]] = defaultdict(list)
        for place in places:
            for name in (place.name, *place.aliases):
                if place.id not in names[name]:
                    names[name].append(place.id)
        return cls({p.id: p for p in places}, path, dict(names))

    def get(self, place_id: str) -> Place | None:
        return self.places.get(place_id)

    def by_name(self, name: str) -> list[Place]:
        return [self.places[i] for i in self.names.get(name, ())]


def read_places_table(path: Path) -> pd.DataFrame:
    """The CSV as strings, untouched: BOM, CRLF and quoted commas are all accepted."""
    text = read_text(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
    except pd.errors.ParserError as exc:
        raise GazetteerError(f"cannot be read as CSV: {exc}", path=str(path)) from None
    return frame


def load_gazetteer(gazetteer_dir: Path) -> Gazetteer:
    path = gazetteer_dir / PLACES_FILE
    if not path.exists():
        raise GazetteerError(f"no {PLACES_FILE} in this folder", path=str(gazetteer_dir))
    frame = read_places_table(path)
    missing = [c for c in PLACES_COLUMNS if c not in frame.columns]
    if missing:
        raise GazetteerError(f"missing column(s) {', '.join(missing)} "
                             f"(expected {', '.join(PLACES_COLUMNS)})", path=str(path), line=1)
    places = []
    for row_number, row in enumerate(frame.to_dict("records"), start=2):
        places.append(_place_from_row(row, path, row_number))
    return Gazetteer.from_places(places, path)


def _place_from_row(row: dict[str, str], path: Path, line: int) -> Place:
    row = {k: (v or "").strip() for k, v in row.items()}
    for column in REQUIRED_VALUES:
        if not row[column]:
            raise GazetteerError("empty (a value is required)", path=str(path), line=line, column=column)
    if row["kind"] not in PLACE_KINDS:
        raise GazetteerError(f"unknown kind '{row['kind']}' (expected one of {', '.join(PLACE_KINDS)})",
                             path=str(path), line=line, column="kind")
    numbers = {}
    for column, low, high in (("lat", -90, 90), ("lon", -180, 180), ("precision_km", 0, 20_100)):
        try:
            value = float(row[column])
        except ValueError:
            raise GazetteerError(f"'{row[column]}' is not a number", path=str(path), line=line,
                                 column=column) from None
        if not low <= value <= high:
            raise GazetteerError(f"{value} is out of range (expected {low} to {high})",
                                 path=str(path), line=line, column=column)
        numbers[column] = value
    aliases = tuple(a.strip() for a in row["aliases"].split(ALIAS_SEPARATOR) if a.strip())
    return Place(
        id=row["id"], name=row["name"], kind=row["kind"], lat=numbers["lat"], lon=numbers["lon"],
        precision_km=numbers["precision_km"], country=row["country"].upper(), aliases=aliases,
        parent=row["parent"], source=row["source"], notes=row["notes"],
    )
