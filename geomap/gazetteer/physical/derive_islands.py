"""Writes ``islands.csv``: large islands that the news names and that are not a country or a first-level
division of their own, read off the land outlines of ``gazetteer/boundaries/countries.geojson``
(Natural Earth 1:10m, public domain).

Natural Earth's land pieces have no island names: each island is named here by a point known to lie on
it (two or three where the island is shared between states: Borneo, New Guinea, Timor, Hispaniola). The
piece of each state's outline that holds the point is the island; the row gives a point on it (shapely's
``representative_point`` of the pieces together) and their bounding box. Run from the repository:

    python geomap/gazetteer/physical/derive_islands.py

A point that falls in no piece stops the script: a seed must be moved, not the island guessed.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from shapely.geometry import Point, shape
from shapely.ops import unary_union

HERE = Path(__file__).parent
COUNTRIES = HERE.parents[2] / "gazetteer" / "boundaries" / "countries.geojson"
OUT = HERE / "islands.csv"

#: (name, other names, region, [(ISO code, lon, lat) of a point on the island in each state sharing it])
ISLANDS = [
    ("Borneo", "", "Asia / South-Eastern Asia", [("MY", 116.5, 5.5), ("BN", 114.7, 4.6), ("ID", 113.5, -1.0)]),
    ("Sumatra", "Sumatera", "Asia / South-Eastern Asia", [("ID", 101.5, 0.0)]),
    ("Java", "Jawa", "Asia / South-Eastern Asia", [("ID", 110.0, -7.3)]),
    ("Sulawesi", "Celebes", "Asia / South-Eastern Asia", [("ID", 120.3, -2.0)]),
    ("New Guinea", "", "Oceania / Melanesia", [("ID", 138.5, -4.5), ("PG", 144.0, -6.0)]),
    ("Timor", "", "Asia / South-Eastern Asia", [("TL", 125.8, -8.8), ("ID", 124.0, -9.8)]),
    ("Flores", "", "Asia / South-Eastern Asia", [("ID", 121.0, -8.6)]),
    ("Lombok", "", "Asia / South-Eastern Asia", [("ID", 116.3, -8.6)]),
    ("Sumba", "", "Asia / South-Eastern Asia", [("ID", 120.0, -9.7)]),
    ("Luzon", "", "Asia / South-Eastern Asia", [("PH", 121.0, 16.0)]),
    ("Mindanao", "", "Asia / South-Eastern Asia", [("PH", 125.0, 7.5)]),
    ("Palawan", "", "Asia / South-Eastern Asia", [("PH", 118.7, 9.6)]),
    ("Mindoro", "", "Asia / South-Eastern Asia", [("PH", 121.0, 13.0)]),
    ("Negros", "", "Asia / South-Eastern Asia", [("PH", 123.0, 10.0)]),
    ("Panay", "", "Asia / South-Eastern Asia", [("PH", 122.5, 11.1)]),
    ("Samar", "", "Asia / South-Eastern Asia", [("PH", 125.0, 12.0)]),
    ("Leyte", "", "Asia / South-Eastern Asia", [("PH", 124.8, 10.9)]),
    ("Honshu", "Honshū", "Asia / Eastern Asia", [("JP", 138.5, 36.5)]),
    ("Kyushu", "Kyūshū", "Asia / Eastern Asia", [("JP", 131.0, 32.7)]),
    ("Shikoku", "", "Asia / Eastern Asia", [("JP", 133.5, 33.7)]),
    ("Hispaniola", "", "North America / West Indies", [("HT", -72.5, 19.0), ("DO", -70.5, 18.8)]),
    ("Long Island", "", "North America / Northern America", [("US", -73.0, 40.8)]),
    ("Vancouver Island", "", "North America / Northern America", [("CA", -125.5, 49.6)]),
    ("Newfoundland", "", "North America / Northern America", [("CA", -56.0, 49.0)]),
]


def main() -> int:
    outlines = {f["properties"]["ISO_A2"]: shape(f["geometry"])
                for f in json.loads(COUNTRIES.read_text(encoding="utf-8"))["features"]}
    rows, missing = [], []
    for name, other_names, region, seeds in ISLANDS:
        pieces = []
        for code, lon, lat in seeds:
            point = Point(lon, lat)
            outline = outlines[code]
            piece = next((p for p in getattr(outline, "geoms", [outline]) if p.contains(point)), None)
            if piece is None:
                missing.append(f"{name}: ({lon}, {lat}) is in no piece of {code}")
            else:
                pieces.append(piece)
        if len(pieces) != len(seeds):
            continue
        island = unary_union(pieces)
        inside = island.representative_point()
        west, south, east, north = island.bounds
        rows.append({"name": name, "alt_names": other_names, "kind": "region", "featurecla": "island",
                     "scalerank": "", "lat": round(inside.y, 4), "lon": round(inside.x, 4),
                     "min_lat": round(south, 4), "min_lon": round(west, 4), "max_lat": round(north, 4),
                     "max_lon": round(east, 4), "region": region})
    if missing:
        print("\n".join(missing), file=sys.stderr)
        return 1
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: r["name"]))
    print(f"{len(rows)} islands -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
