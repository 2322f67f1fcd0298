"""What a geocoder answer means: from an OSM/Nominatim answer to a cache row (``geocoded_csv``), and
from a row to a ``Place`` (its kind from the OSM class and type, its precision from the bounding box,
a stable id from the query). Only answers are judged here; asking for them is ``geocoder``'s job.

What is cached. An answer is screened before it is written; an implausible one is dropped, and when
no usable answer is left the query is a fault (not cached, asked again next build), because a server
that says such things is broken rather than certain: coordinates at 0, 0 ("Null Island", a
placeholder), not finite or out of range; a country other than the ones the request was limited to
(``countrycodes``: the server ignored the filter); any field over ``MAX_FIELD_CHARS`` (1,000)
characters. Control characters (terminal escapes, NUL; line breaks and tabs become spaces) and
unpaired surrogates are removed from answer strings; everything else is kept as the server typed it.
An answer found by the second request without ``countrycodes`` may lie in another country: it is
cached as that name's answer (the key has no countries) and the distance check in ``geocoder``
refuses it for every document about other countries.

Only place-like answers (``PLACE_LIKE``) are used; the check runs on every use, in ``geocoder``.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata

from ..gazetteer.geometry import haversine_km
from ..records import Place
from .geocoded_csv import _COUNTRY, CACHE_COLUMNS, CacheRow

#: No answer string (a name, a class, a display name) is longer than this; a longer one is not a place.
MAX_FIELD_CHARS = 1_000

#: OSM classes whose answers can be where something happened; ``None`` accepts every type. Left out
#: on purpose: ``shop``, ``office``, ``craft`` (a business named like a place, e.g. "Poipet Mart"),
#: ``highway`` (roads and bus stops named after the town they lead to), ``power``, ``emergency``.
#: Kept: ``amenity``, ``building``, ``tourism``, ``leisure``, ``landuse`` because compounds, casinos,
#: police stations and detention centres are mapped as such.
PLACE_LIKE: dict[str, frozenset[str] | None] = {
    "place": None, "boundary": None, "landuse": None, "amenity": None, "building": None,
    "tourism": None, "military": None, "aeroway": None, "natural": None, "waterway": None,
    "leisure": None, "historic": None,
    "barrier": frozenset({"border_control"}),  # border crossings; not gates and fences
    "man_made": frozenset({"bridge"}),  # border bridges ("Friendship Bridge")
    "railway": frozenset({"station", "halt"}),
}

_SETTLEMENT_KINDS = {
    "country": "country", "state": "province", "province": "province", "region": "region",
    # a second-level division is no province: a town-level place whose bounding box gives its size,
    # and whose province the boundaries tell ("Prey Nob District" lies in Preah Sihanouk)
    "county": "town", "district": "town", "municipality": "town",
    "city": "city", "town": "town", "village": "town", "hamlet": "town", "suburb": "town",
    "quarter": "town", "neighbourhood": "town", "borough": "town", "locality": "town",
    "isolated_dwelling": "town", "city_block": "town", "farm": "town",
    "island": "landmark", "islet": "landmark", "archipelago": "region",
    "sea": "water", "ocean": "water",
}
_FACILITY_CLASSES = frozenset({"military", "aeroway", "amenity", "building", "railway"})
_WATER_NATURAL = frozenset({"water", "bay", "strait", "sea", "wetland", "spring"})
_KIND_PRECISION_KM = {
    "country": 300.0, "province": 50.0, "region": 100.0, "city": 10.0, "town": 3.0,
    "border_crossing": 1.0, "facility": 0.5, "compound": 1.0, "water": 10.0, "landmark": 2.0,
}
_MIN_PRECISION_KM = 0.5


def slug(text: str) -> str:
    """An id part from a name: ASCII, lower case, words joined by '-'; a short hash for names with
    no Latin letters (so every query has a stable id)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if words:
        return "-".join(words)
    return "q" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def place_kind(osm_class: str, osm_type: str, addresstype: str = "", display_name: str = "") -> str:
    """One of ``records.PLACE_KINDS`` for an OSM class/type."""
    if osm_class == "place":
        return _SETTLEMENT_KINDS.get(osm_type, "landmark")
    if osm_class == "boundary" and osm_type == "administrative":
        if addresstype in _SETTLEMENT_KINDS:
            return _SETTLEMENT_KINDS[addresstype]
        # No addresstype (older servers): a one-part display name is a country ("Cambodia"), a
        # two-part one a province ("Kandal, Cambodia"), a longer one a unit inside a province
        parts = display_name.count(",") + 1 if display_name else 2
        return "country" if parts == 1 else "province" if parts == 2 else "town"
    if osm_class == "barrier" and osm_type == "border_control":
        return "border_crossing"
    if osm_class == "waterway" or (osm_class == "natural" and osm_type in _WATER_NATURAL):
        return "water"
    if osm_class in _FACILITY_CLASSES or (osm_class == "landuse" and osm_type == "military"):
        return "facility"
    return "landmark"


def precision_km(kind: str, boundingbox: str) -> float:
    """Half the diagonal of the answer's bounding box (``south,north,west,east``), at least 0.5 km;
    without one, a typical size for the kind."""
    try:
        south, north, west, east = (float(v) for v in boundingbox.split(","))
    except ValueError:
        return _KIND_PRECISION_KM.get(kind, 2.0)
    half_diagonal = haversine_km(south, west, north, east) / 2
    if not math.isfinite(half_diagonal):
        return _KIND_PRECISION_KM.get(kind, 2.0)
    return round(max(_MIN_PRECISION_KM, half_diagonal), 1)


def row_to_place(row: CacheRow) -> Place:
    """The place a found row stands for. A function of the row alone: the first (online) and every
    later (offline) build make the same place from it."""
    kind = place_kind(row.osm_class, row.osm_type, row.note_field("addresstype"), row.display_name)
    name = row.display_name.split(",")[0].strip() or row.query
    return Place(
        id=f"geocoder:{row.provider}:{slug(row.query)}", name=name, kind=kind,
        lat=float(row.lat), lon=float(row.lon),
        precision_km=precision_km(kind, row.note_field("boundingbox")),
        country=row.country.upper(),
        source=f"{row.provider} geocoder, retrieved {row.retrieved}, status {row.status}; {row.display_name}",
        notes=row.notes,
    )


def is_place_like(osm_class: str, osm_type: str) -> bool:
    if osm_class not in PLACE_LIKE:
        return False
    types = PLACE_LIKE[osm_class]
    return types is None or osm_type in types


def _clean_text(value) -> str:
    """``value`` as text, as typed, minus control characters (terminal escapes, NUL) and unpaired
    surrogates (which cannot be written as UTF-8); line breaks, tabs and runs of spaces become one
    space."""
    kept = "".join(ch for ch in str(value) if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs"))
    return " ".join(kept.split())


def _screen_answers(query: str, provider: str, retrieved: str, answers: list,
                    requested_countries: list[str]) -> tuple[list[CacheRow], list[str]]:
    """The answers that may be cached, as rows, and why each of the others was dropped."""
    rows, dropped = [], []
    for answer in answers:
        try:
            row = _answer_row(query, provider, retrieved, answer)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            dropped.append(f"malformed: {_clean_text(exc)[:200]}")
            continue
        reason = _implausible(row, requested_countries)
        if reason:
            dropped.append(reason)
        else:
            rows.append(row)
    return rows, dropped


def _implausible(row: CacheRow, requested_countries: list[str]) -> str | None:
    """Why a well-formed answer cannot be a real answer to the request, or None."""
    if float(row.lat) == 0 and float(row.lon) == 0:
        return "coordinates 0, 0 (Null Island, a placeholder rather than a place)"
    for column, value in zip(CACHE_COLUMNS, row.values()):
        if len(value) > MAX_FIELD_CHARS:
            return f"{column} is {len(value):,} characters long (at most {MAX_FIELD_CHARS:,})"
    if requested_countries and row.country and row.country.lower() not in requested_countries:
        return (f"in {row.country}, outside the countries the request was limited to "
                f"({','.join(requested_countries)})")
    return None


def _answer_row(query: str, provider: str, retrieved: str, location) -> CacheRow:
    """A cache row from one geopy Location (Nominatim's JSON; Photon's GeoJSON properties too)."""
    raw = location.raw if isinstance(location.raw, dict) else {}
    props = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
    # The server's own numbers where it gave them: geopy wraps a longitude of 200 to -160.
    lat, lon = float(raw.get("lat", location.latitude)), float(raw.get("lon", location.longitude))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also false for nan
        raise ValueError(f"coordinates {lat}, {lon} are out of range")
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
    country = str(address.get("country_code") or props.get("countrycode") or "").upper()
    bbox = raw.get("boundingbox")
    if not bbox and isinstance(props.get("extent"), list) and len(props["extent"]) == 4:
        west, north, east, south = props["extent"]  # Photon: [minlon, maxlat, maxlon, minlat]
        bbox = [south, north, west, east]
    notes = []
    addresstype = _clean_text(raw.get("addresstype") or "")
    if addresstype:
        notes.append(f"addresstype={addresstype}")
    if isinstance(bbox, list) and len(bbox) == 4:
        notes.append("boundingbox=" + ",".join(_number(v) for v in bbox))
    return CacheRow(
        query=query, provider=provider, status="unreviewed", lat=_number(lat), lon=_number(lon),
        display_name=_clean_text(location.address or raw.get("display_name") or ""),
        osm_class=_clean_text(raw.get("class") or raw.get("category") or props.get("osm_key") or ""),
        osm_type=_clean_text(raw.get("type") or props.get("osm_value") or ""),
        country=country if _COUNTRY.fullmatch(country) else "",
        retrieved=retrieved, notes="; ".join(notes),
    )


def _number(value) -> str:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"'{value}' is not a finite number")
    return repr(round(number, 7))
