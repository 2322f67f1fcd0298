"""What the ``countryinfo`` package (PyPI, MIT licence) says of each country, read once: its name,
demonym, population, other spellings and usual point. The demonyms feed ``demonyms``; the spellings
and points feed the offline GeoNames index (``geonames``).

Beside it, ``country_points.csv`` holds the point GeoNames gives each country's own feature (the United
States at 39.76, -98.5; Japan at Tokyo, Norway on the mainland): the one other geoparsers and gold
annotations use, so it wins over countryinfo's where both exist. GeoNames, geonames.org, CC BY 4.0; the
figures were taken from the ``countries.csv`` of gvenzl/sample-data (CC BY 4.0), which copies them from
GeoNames."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class CountryFacts:
    code: str  # ISO 3166-1 alpha-2
    name: str
    demonym: str
    population: int
    #: other names ("UAE", "DR Congo"), ISO codes included as the package lists them
    spellings: tuple[str, ...]
    alpha3: str
    #: the usual point of atlases and GeoNames (Kenya at 1, 38), if the package gives one
    point: tuple[float, float] | None


@lru_cache(maxsize=1)
def country_facts() -> tuple[CountryFacts, ...]:
    import countryinfo

    facts = []
    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        codes = data.get("ISO") or {}
        if not codes.get("alpha2"):
            continue
        latlng = data.get("latlng")
        point = (float(latlng[0]), float(latlng[1])) if isinstance(latlng, list) and len(latlng) == 2 else None
        facts.append(CountryFacts(codes["alpha2"], data.get("name") or codes["alpha2"], data.get("demonym") or "",
                                  int(data.get("population") or 0), tuple(data.get("altSpellings") or ()),
                                  codes.get("alpha3") or "", point))
    return tuple(facts)


@lru_cache(maxsize=1)
def geonames_country_points() -> dict[str, tuple[float, float]]:
    """ISO code -> the (lat, lon) of the country's GeoNames feature."""
    with (Path(__file__).parent / "country_points.csv").open(encoding="utf-8", newline="") as handle:
        return {row["iso2"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)}
