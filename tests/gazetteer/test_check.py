"""The gazetteer check: one broken file per problem, exact messages, and the editor's round trip."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geomap.cli import main
from geomap.gazetteer.check import check_places, fix_order
from geomap.gazetteer.geometry import Boundaries

HEADER = "id,name,aliases,kind,lat,lon,precision_km,country,parent,source,notes"
GOOD_ROWS = [
    "kh,Cambodia,,country,12.71802,104.90525,240,KH,,Natural Earth,",
    "kh-poipet,Poipet,Paoy Paet,town,13.65805,102.56365,3,KH,kh,GeoNames 1821940,",
    "kh-sihanoukville,Sihanoukville,Kampong Som,city,10.60932,103.52958,8,KH,kh,GeoNames 1831142,",
]


@pytest.fixture(scope="module")
def boundaries(repo):
    return Boundaries(repo / "gazetteer" / "boundaries")


def write_places(folder: Path, rows, header=HEADER, newline="\n", bom=False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = newline.join([header, *rows]) + newline
    path = folder / "places.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def messages(path, boundaries):
    return [str(p) for p in check_places(path, boundaries)[1]]


@pytest.mark.parametrize("rows,header,expected", [
    (GOOD_ROWS, HEADER.replace(",country", ""),
     "{f}:1: column country: missing column (the header needs id, name, aliases, kind, lat, lon, precision_km, "
     "country, parent, source, notes)"),
    (GOOD_ROWS, HEADER + ",colour",
     "{f}:1: column colour: unknown column (one of id, name, aliases, kind, lat, lon, precision_km, country, "
     "parent, source, notes, geometry)"),
    (GOOD_ROWS + ["kh-x,,,town,13,103,3,KH,kh,s,"], HEADER, "{f}:5: column name: empty (a value is required)"),
    (GOOD_ROWS + ["kh-x,X,,town,north,103,3,KH,kh,s,"], HEADER,
     "{f}:5: column lat: 'north' is not a number (a decimal number)"),
    (GOOD_ROWS + ["kh-x,X,,town,13,193,3,KH,kh,s,"], HEADER,
     "{f}:5: column lon: 193 is out of range (between -180 and 180)"),
    (GOOD_ROWS + ["kh-x,X,,town,13,103,0,KH,kh,s,"], HEADER,
     "{f}:5: column precision_km: 0 is out of range (more than 0 and at most 20100)"),
    (GOOD_ROWS + ["kh-x,X,,village,13,103,3,KH,kh,s,"], HEADER,
     "{f}:5: column kind: unknown kind 'village' (one of country, province, city, town, compound, facility, "
     "border_crossing, water, region, landmark)"),
    (GOOD_ROWS + ["kh-x,X,,town,13,103,3,KHM,kh,s,"], HEADER,
     "{f}:5: column country: 'KHM' is not an ISO 3166-1 alpha-2 code (two capital letters such as KH, TH, MM)"),
    (GOOD_ROWS + ["kh-poipet,Poipet again,,town,13.65,102.56,3,KH,kh,s,"], HEADER,
     "{f}:5: column id: duplicate id 'kh-poipet' (ids are unique; first used on line 3)"),
    (GOOD_ROWS + ["kh-x,X,,town,13,103,3,KH,kh-banteay,s,"], HEADER,
     "{f}:5: column parent: 'kh-banteay' is not an id in this file (the id of the row that contains this place)"),
    (GOOD_ROWS + ["kh-x,X,,town,102.56365,13.65805,3,KH,kh,s,"], HEADER,
     "{f}:5: column lat: 102.56365 is out of range: lat and lon look swapped; lat=13.65805, lon=102.56365 lies in "
     "Cambodia (lat is the north-south value (about 10-15 in Cambodia), lon the east-west one)"),
    (GOOD_ROWS + ["us,United States,,country,39,-98,2000,US,,s,", "us-x,X,,town,-77.03,38.9,3,US,us,s,"], HEADER,
     "{f}:6: column lat: lat and lon look swapped: the point is 13,410 km outside United States of America; "
     "lat=38.9, lon=-77.03 lies in United States of America (lat is the north-south value (about 10-15 in "
     "Cambodia), lon the east-west one)"),
    (GOOD_ROWS + ["kh-x,X,,town,13.75,100.5,3,KH,kh,s,"], HEADER,
     "{f}:5: column country: 'KH', but the point lies in Thailand, 197.3 km outside Cambodia (the country the "
     "point is in, or a lat/lon in 'KH' or within 5 km of its outline)"),
    (GOOD_ROWS + ["kh-x,X,,town,9.0,104.5,3,KH,kh,s,"], HEADER,
     "{f}:5: column lat/lon: the point is 157.5 km outside Cambodia, in no country (a point in the country 'KH' or "
     "within 5 km of its outline)"),
    (GOOD_ROWS + ["vn,Vietnam,,country,21.03,105.85,600,VN,,s,", "kh-bavet,Bavet,,town,11.06,106.14,3,VN,kh,s,"], HEADER,
     "{f}:6: column country: 'VN', but its parent 'kh' is in 'KH' (the parent's country, or a parent in this "
     "row's country)"),
    ([r + "," for r in GOOD_ROWS] + ['kh-x,X,,compound,10.61,103.53,1,KH,kh,s,,"POLYGON((103.5 10.6, 103.6 10.7, 103.6 10.6, 103.5 10.7, 103.5 10.6))"'],
     HEADER + ",geometry",
     "{f}:5: column geometry: invalid Polygon: Self-intersection[103.55 10.65] (a valid shape; rings closed and not "
     "crossing themselves)"),
    ([r + "," for r in GOOD_ROWS] + ['kh-x,X,,compound,10.61,103.53,1,KH,kh,s,,POLYGON((103.5 10.6'],
     HEADER + ",geometry",
     None),  # checked below: shapely's wording of the parse error varies between versions
    (GOOD_ROWS + ["kh-x,X,Kampong Som,city,10.6,103.5,8,KH,kh,s,"], HEADER,
     "{f}:5: column aliases: warning: 'Kampong Som' is also a name of 'kh-sihanoukville' (line 4), of the same "
     "kind and country; 'kh-sihanoukville' wins (the first id in sort order) (each name on one row, or rows that "
     "differ in kind or country)"),
    (GOOD_ROWS + ["kh-x,Poipet,,town,13.6,102.5,3,KH,kh,s,"], HEADER,
     "{f}:5: column name: warning: 'Poipet' is also a name of 'kh-poipet' (line 3), of the same "
     "kind and country; 'kh-poipet' wins (the first id in sort order) (each name on one row, or rows that "
     "differ in kind or country)"),
    (GOOD_ROWS + ["kh-x,X,,town,13,103,3,KH,kh,,"], HEADER,
     "{f}:5: column source: warning: empty (where the coordinates come from)"),
])
def test_each_problem_is_reported_with_file_line_column(tmp_path, boundaries, rows, header, expected):
    path = write_places(tmp_path, rows, header)
    found = messages(path, boundaries)
    if expected is None:
        assert len(found) == 1 and found[0].startswith(f"{path}:5: column geometry: not WKT: ")
    else:
        # the problem, and at most the warnings it also brings (Bavet put in VN under Cambodia: its id's
        # "kh-" is not its country's either)
        assert expected.format(f=path) in found
        assert all(m == expected.format(f=path) or ": warning: " in m for m in found), found


@pytest.mark.parametrize("rows,expected", [
    # a town inside a site; a town far outside the province it names; a town known to 150 km; a country
    # known to a metre; an id of another country; the Icelandic eth in a Vietnamese name; rows out of order
    (GOOD_ROWS + ["kh-x,X,,town,13.66,102.57,3,KH,kh-poipet-casino,s,",
                  "kh-poipet-casino,Casino,,compound,13.66,102.56,1,KH,kh-poipet,s,"],
     ["{f}:5: column parent: warning: a town inside 'kh-poipet-casino', a compound",
      "{f}:6: column id: warning: 'kh-poipet-casino' comes after 'kh-x'"]),
    (GOOD_ROWS + ["kh-kampot,Kampot,Kampot Province,province,10.8,104.3,39,KH,kh,s,",
                  "kh-x,X,,town,13.6,102.6,3,KH,kh-kampot,s,"],
     [r"re:{f}:6: column lat: warning: \d+ km outside the outline of its parent 'kh-kampot' \(the point is in "
      r"Banteay Meanchey, KH-1\)",
      "{f}:5: column id: warning: 'kh-kampot' comes after 'kh-sihanoukville'"]),
    (GOOD_ROWS + ["kh-x,X,,town,13,103,150,KH,kh,s,"], ["{f}:5: column precision_km: warning: 150 km for a town"]),
    (GOOD_ROWS + ["th,Thailand,,country,15,101,0.001,TH,,s,"],
     ["{f}:5: column precision_km: warning: 0.001 km for a country"]),
    (GOOD_ROWS + ["th-x,X,,town,13,103,3,KH,kh,s,"],
     ["{f}:5: column id: warning: 'th-x' does not start with its country's code"]),
    (GOOD_ROWS + ["vn,Vietnam,,country,21.03,105.85,600,VN,,s,", "vn-x,Ðong Thap,,province,10.6,105.6,29,VN,vn,s,"],
     ["{f}:6: column name: warning: 'Ð' (U+00D0) looks like 'Đ' (U+0110) but is another letter"]),
])
def test_the_warnings_of_what_a_place_can_be_in(tmp_path, boundaries, rows, expected):
    path = write_places(tmp_path, rows)
    found = messages(path, boundaries)
    for message in expected:
        if message.startswith("re:"):  # a figure that depends on the outline's drawing: the rest exactly
            pattern = re.escape(str(path)).join(message[3:].split("{f}"))
            assert any(re.match(pattern, m) for m in found), (message, found)
        else:
            assert any(m.startswith(message.format(f=path)) for m in found), (message, found)
    assert len(found) == len(expected), found
    assert all(": warning: " in m for m in found)


def test_a_file_of_semicolons_or_a_header_ending_in_a_comma_is_named_for_what_it_is(tmp_path, boundaries):
    path = write_places(tmp_path / "a", [r.replace(",", ";") for r in GOOD_ROWS], header=HEADER.replace(",", ";"))
    assert messages(path, boundaries) == [
        f"{path}:1: the columns are separated by a semicolon (commas: save the file as CSV with ',' between fields)"]
    quoted = ";".join(f'"{c}"' for c in HEADER.split(","))  # a spreadsheet quoting every field
    path = write_places(tmp_path / "q", [r.replace(",", ";") for r in GOOD_ROWS], header=quoted)
    assert messages(path, boundaries)[0].endswith("the columns are separated by a semicolon (commas: save the file as "
                                                  "CSV with ',' between fields)")
    path = write_places(tmp_path / "b", [r + "," for r in GOOD_ROWS], header=HEADER + ",")
    assert messages(path, boundaries)[0].startswith(
        f"{path}:1: column (empty): an unnamed column (a comma at the end of the header?)")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN"])
def test_a_coordinate_that_is_no_number_is_reported_not_a_traceback(tmp_path, boundaries, value):
    rows = GOOD_ROWS[:1] + [f"kh-poipet,Poipet,,town,{value},102.56,3,KH,kh,s,", GOOD_ROWS[2]]
    path = write_places(tmp_path, rows)
    assert messages(path, boundaries) == [f"{path}:3: column lat: '{value}' is not a number (a decimal number)"]


def test_a_row_without_an_id_is_one_error_not_the_parent_of_every_row_without_one(tmp_path, boundaries):
    path = write_places(tmp_path, [GOOD_ROWS[0], ",Poipet,,town,13.65805,102.56365,3,KH,kh,s,", GOOD_ROWS[2]])
    assert messages(path, boundaries) == [f"{path}:3: column id: empty (a value is required)"]


def test_a_clean_file_has_no_problems_and_the_bundled_one_is_clean(tmp_path, boundaries, repo):
    assert messages(write_places(tmp_path, GOOD_ROWS), boundaries) == []
    assert messages(repo / "gazetteer" / "places.csv", boundaries) == []


def test_border_towns_within_the_margin_pass(tmp_path, boundaries):
    # Natural Earth puts these in Thailand; they are within a few km of the line.
    rows = GOOD_ROWS[:1] + ["kh-o-smach,O'Smach,,town,14.42455,103.70016,3,KH,kh,s,"] + GOOD_ROWS[1:] + [
        "mm,Myanmar,,country,21,96,500,MM,,s,", "mm-myawaddy,Myawaddy,,town,16.68911,98.50893,3,MM,mm,s,"]
    assert messages(write_places(tmp_path, rows), boundaries) == []


def test_many_problems_are_all_reported_in_line_order(tmp_path, boundaries):
    rows = GOOD_ROWS + ["kh-a,A,,hamlet,13,103,3,KH,kh,s,", "kh-b,B,,town,abc,103,3,KH,nowhere,s,",
                        "kh-a,C,,town,13,103,-1,XX,kh,s,"]
    path = write_places(tmp_path, rows)
    found = messages(path, boundaries)
    assert [m.split(": ", 2)[0:2] for m in found] == [
        [f"{path}:5", "column kind"], [f"{path}:6", "column lat"], [f"{path}:6", "column parent"],
        [f"{path}:7", "column country"], [f"{path}:7", "column id"], [f"{path}:7", "column precision_km"]]


def test_tolerant_input_bom_crlf_blank_lines_and_quoted_commas(tmp_path, boundaries):
    rows = GOOD_ROWS + ['kh-x,"Koh Kong, town",,town,11.61,102.98,3,KH,kh,"GeoNames, checked",', "", ""]
    path = write_places(tmp_path, rows, newline="\r\n", bom=True)
    assert messages(path, boundaries) == []


def test_not_utf8_names_the_file(tmp_path, boundaries):
    path = tmp_path / "places.csv"
    path.write_bytes((HEADER + "\nkh,Cambodge \xe9,,country,12.7,104.9,240,KH,,s,\n").encode("latin-1"))
    assert messages(path, boundaries) == [
        f"{path}:2: not valid UTF-8 (byte 0xe9 at offset 82); save the file as UTF-8"]


def test_check_command_exit_codes(tmp_path, repo):
    runner = CliRunner()
    folder = tmp_path / "g"
    write_places(folder, GOOD_ROWS)
    shutil.copytree(repo / "gazetteer" / "boundaries", folder / "boundaries")
    clean = runner.invoke(main, ["check", "--gazetteer", str(folder)])
    assert clean.exit_code == 0, clean.output
    write_places(folder, GOOD_ROWS + ["kh-x,X,,town,13,103,3,KH,kh,,"])
    warned = runner.invoke(main, ["check", "--gazetteer", str(folder)])
    assert warned.exit_code == 0 and "warning: empty" in warned.output
    write_places(folder, GOOD_ROWS + ["kh-x,X,,town,13,103,3,QQ,kh,s,"])
    broken = runner.invoke(main, ["check", "--gazetteer", str(folder)])
    assert broken.exit_code == 1 and "column country: 'QQ' is not" in broken.output


def test_fix_order_only_reorders_and_normalises(tmp_path, boundaries):
    rows = [GOOD_ROWS[2], " kh , Cambodia ,, country ,12.71802,104.90525,240,KH,,Natural Earth,",
            'kh-poipet,Poipet,Paoy Paet | Poipet town,town,13.65805,102.56365,3,KH,kh,"GeoNames, 1821940",']
    path = write_places(tmp_path, rows, newline="\r\n", bom=True)
    assert fix_order(path) == 3
    assert path.read_bytes().decode("utf-8") == "\n".join([
        HEADER, "kh,Cambodia,,country,12.71802,104.90525,240,KH,,Natural Earth,",
        'kh-poipet,Poipet,Paoy Paet|Poipet town,town,13.65805,102.56365,3,KH,kh,"GeoNames, 1821940",',
        GOOD_ROWS[2]]) + "\n"
    assert messages(path, boundaries) == []


def test_failed_build_on_a_gazetteer_error_leaves_outputs_byte_for_byte(repo, tmp_path, gazetteer_copy):
    runner = CliRunner()
    out = tmp_path / "maps"
    args = ["build", "--seeds", str(repo / "seeds"), "--gazetteer", str(gazetteer_copy), "--out", str(out), "-q"]
    assert runner.invoke(main, args).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    places = gazetteer_copy / "places.csv"
    places.write_text(places.read_text(encoding="utf-8").replace(",10.60932,103.52958,", ",103.52958,10.60932,", 1),
                      encoding="utf-8")
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "lat and lon look swapped" in result.output and "nothing was built" in result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_editor_round_trip_coordinates_and_alias(repo, tmp_path, gazetteer_copy):
    """An editor moves a compound and teaches the gazetteer a new spelling; the rebuild shows both."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Police raided the Jinbei compound in Sihanoukville.\n"
                                 "Later they raided a casino in Kampong Saom Ville.\n", encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "maps"
    args = ["build", "--seeds", str(seeds), "--gazetteer", str(gazetteer_copy), "--out", str(out), "-q"]
    assert runner.invoke(main, args).exit_code == 0
    events = pd.read_csv(out / "events.csv")
    assert list(events["place_id"].fillna("")) == ["kh-jin-bei-sihanoukville", "kh"] or \
        list(events["place_id"].fillna(""))[0] == "kh-jin-bei-sihanoukville"

    frame = pd.read_csv(gazetteer_copy / "places.csv", dtype=str, keep_default_na=False)
    jin_bei = frame["id"] == "kh-jin-bei-sihanoukville"
    frame.loc[jin_bei, ["lat", "lon", "precision_km"]] = ["10.5975", "103.5101", "0.5"]
    city = frame["id"] == "kh-sihanoukville"
    frame.loc[city, "aliases"] = frame.loc[city, "aliases"].iloc[0] + "|Kampong Saom Ville"
    frame.to_csv(gazetteer_copy / "places.csv", index=False, lineterminator="\n")

    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    events = pd.read_csv(out / "events.csv")
    first, second = events.iloc[0], events.iloc[1]
    assert (first["place_id"], first["lat"], first["lon"], first["precision_km"]) == (
        "kh-jin-bei-sihanoukville", 10.5975, 103.5101, 0.5)
    assert (second["place_id"], second["place_surface"]) == ("kh-sihanoukville", "Kampong Saom Ville")
    mentions = pd.read_csv(out / "mentions.csv")
    assert "Kampong Saom Ville" in set(mentions["surface"])
    places = {f["properties"]["id"]: f for f in json.loads((out / "places.geojson").read_text())["features"]}
    assert places["kh-jin-bei-sihanoukville"]["geometry"]["coordinates"] == [103.5101, 10.5975]
    html = (out / "index.html").read_text()
    assert "[10.5975, 103.5101]" in html


def test_review_queue_lists_unresolved_fallback_and_ambiguous_mentions(repo, tmp_path, gazetteer_copy):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(
        "Workers fled the border town of Xyzzyville to Poipet.\n"
        "Some were flown home to Lyon.\n"
        "Others were flown to Jakarta.\n", encoding="utf-8")  # a city of millions: nothing to check
    out = tmp_path / "maps"
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(gazetteer_copy),
                                       "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert "review: 2 mention(s) to check (1 unresolved, 1 resolved only by a fallback stage, 0 ambiguous)" \
        in result.output
    review = pd.read_csv(out / "review.csv", keep_default_na=False)
    assert list(review["surface"]) == ["Xyzzyville", "Lyon"]
    unresolved, fallback = review.iloc[0], review.iloc[1]
    assert (unresolved["issue"], unresolved["doc"], unresolved["sentence"]) == ("unresolved", "a.txt", 0)
    assert unresolved["quote"] == "Workers fled the border town of Xyzzyville to Poipet."
    assert "add a row to places.csv" in unresolved["suggestion"]
    assert (fallback["issue"], fallback["resolved_by"]) == ("fallback", "geonames")
    assert fallback["candidates"].startswith(fallback["place_id"] + " Lyon (FR, 45.") and "people; geonames" in fallback["candidates"]


def test_ambiguous_alias_goes_to_review(repo, tmp_path, gazetteer_copy):
    places = gazetteer_copy / "places.csv"
    frame = pd.read_csv(places, dtype=str, keep_default_na=False)
    # the same alias on a town and a compound in two far-apart places: nothing in the text settles it
    for place_id in ("kh-poipet", "mm-kk-park"):
        row = frame["id"] == place_id
        frame.loc[row, "aliases"] = frame.loc[row, "aliases"].iloc[0] + "|Casino Row"
    frame.to_csv(places, index=False, lineterminator="\n")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Police raided Casino Row.\n", encoding="utf-8")
    out = tmp_path / "maps"
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(gazetteer_copy),
                                       "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    review = pd.read_csv(out / "review.csv", keep_default_na=False)
    assert list(review[["surface", "issue"]].itertuples(index=False, name=None)) == [("Casino Row", "ambiguous")]
    assert "kh-poipet" in review["candidates"][0] and "mm-kk-park" in review["candidates"][0]


def test_admin1_and_border_distance_are_exported(seeds_build):
    out = seeds_build.out_dir
    places = {f["properties"]["id"]: f["properties"] for f in json.loads((out / "places.geojson").read_text())["features"]}
    sihanoukville = places["kh-sihanoukville"]
    assert (sihanoukville["admin1"], sihanoukville["near_border"]) == ("Preah Sihanouk", False)
    assert sihanoukville["border_km"] > 50
    mentions = pd.read_csv(out / "mentions.csv", keep_default_na=False)
    phnom_penh = mentions[mentions["place_id"] == "kh-phnom-penh"].iloc[0]
    assert phnom_penh["admin1"] == "Phnom Penh Capital"
    assert "admin1" in pd.read_csv(out / "events.csv").columns


def test_border_places_and_province_codes(repo):
    from geomap.gazetteer import load_gazetteer
    from geomap.places import PlaceFactFinder

    boundaries = Boundaries(repo / "gazetteer" / "boundaries")
    gazetteer = load_gazetteer(repo / "gazetteer", boundaries)
    facts = PlaceFactFinder(boundaries, gazetteer, border_km=10).facts
    poipet = facts(gazetteer.get("kh-poipet"))
    assert (poipet.admin1, poipet.admin1_code, poipet.near_border) == ("Banteay Meanchey", "KH-1", True)
    assert poipet.border_km < 5
    # Natural Earth draws O'Smach in Thailand; the gazetteer's country and parent still win
    o_smach = facts(gazetteer.get("kh-o-smach"))
    assert (o_smach.admin1, o_smach.admin1_code, o_smach.near_border) == ("Oddar Meanchey", "KH-22", True)
    assert facts(gazetteer.get("kh-sihanoukville")).near_border is False
    # Tboung Khmum is missing from the boundary data (merged into Kampong Cham): named, with no code
    tboung = facts(gazetteer.get("kh-tboung-khmum"))
    assert (tboung.admin1, tboung.admin1_code) == ("Tboung Khmum", "")
    narrow = PlaceFactFinder(boundaries, gazetteer, border_km=1).facts
    assert narrow(gazetteer.get("kh-poipet")).near_border is False
    # a town of the index in Tak is in the province the gazetteer calls "Tak Province", as Mae Sot is:
    # one province, one name in the exports
    from geomap.records import Place
    phop_phra = Place(id="geonames:1607068", name="Phop Phra", kind="town", lat=16.386, lon=98.690,
                      precision_km=3.0, country="TH", source="GeoNames")
    assert facts(phop_phra).admin1 == facts(gazetteer.get("th-mae-sot")).admin1 == "Tak Province"
    assert facts(phop_phra).admin1_code == "TH-63"
    # the capital territory the boundary data lacks is named, with no code (not Mandalay Region's)
    naypyitaw = facts(gazetteer.get("mm-naypyitaw"))
    assert (naypyitaw.admin1, naypyitaw.admin1_code) == ("Naypyidaw Union Territory", "")


def test_geometry_column_is_drawn_as_a_shape(repo, tmp_path, gazetteer_copy):
    places = gazetteer_copy / "places.csv"
    frame = pd.read_csv(places, dtype=str, keep_default_na=False)
    frame["geometry"] = ""
    row = frame["id"] == "kh-jin-bei-sihanoukville"
    frame.loc[row, "geometry"] = "POLYGON((103.50 10.60, 103.52 10.60, 103.52 10.62, 103.50 10.62, 103.50 10.60))"
    frame.to_csv(places, index=False, lineterminator="\n")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Police raided the Jin Bei casino.\n", encoding="utf-8")
    out = tmp_path / "maps"
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(gazetteer_copy),
                                       "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text()
    assert '"type": "Polygon"' in html and "[103.5, 10.6]" in html


def test_the_worked_example_of_the_gazetteer_readme(repo, tmp_path, gazetteer_copy):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Dozens escaped from a compound near Sihanoukvile.\n", encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "maps"
    build = ["build", "--seeds", str(seeds), "--gazetteer", str(gazetteer_copy), "--out", str(out), "-q"]
    assert runner.invoke(main, build).exit_code == 0
    readme = (repo / "gazetteer" / "README.md").read_text(encoding="utf-8")
    row = (out / "review.csv").read_text(encoding="utf-8").splitlines()[1]
    assert f"    {row}\n" in readme
    assert runner.invoke(main, ["resolve", "Sihanoukvile", "--gazetteer", str(gazetteer_copy)]).exit_code == 1

    frame = pd.read_csv(gazetteer_copy / "places.csv", dtype=str, keep_default_na=False)
    city = frame["id"] == "kh-sihanoukville"
    frame.loc[city, "aliases"] = frame.loc[city, "aliases"].iloc[0] + "|Sihanoukvile"
    frame.to_csv(gazetteer_copy / "places.csv", index=False, lineterminator="\n")
    assert runner.invoke(main, ["check", "--gazetteer", str(gazetteer_copy)]).exit_code == 0
    resolved = runner.invoke(main, ["resolve", "Sihanoukvile", "--gazetteer", str(gazetteer_copy)])
    assert "'Sihanoukvile' -> kh-sihanoukville" in resolved.output
    assert runner.invoke(main, build).exit_code == 0
    assert len((out / "review.csv").read_text(encoding="utf-8").splitlines()) == 1
    mentions = pd.read_csv(out / "mentions.csv")
    assert list(mentions[["surface", "place_id", "resolved_by"]].itertuples(index=False, name=None)) == [
        ("Sihanoukvile", "kh-sihanoukville", "gazetteer")]


@pytest.mark.parametrize("text,where", [
    ('{"type": "FeatureCollection", "features": [\n', "countries.geojson:2: column 1: not valid JSON"),
    ('{"type": "FeatureCollection"}', "countries.geojson: expected a GeoJSON FeatureCollection"),
    ('{"type": "FeatureCollection", "features": [{"properties": {"ISO_A2": "KH", "NAME": "Cambodia"}, '
     '"geometry": {"type": "Polygon", "coordinates": "north"}}]}', "countries.geojson: feature 1: "),
    ('{"type": "FeatureCollection", "features": [{"properties": {"ISO_A2": "KH"}, '
     '"geometry": {"type": "Point", "coordinates": [104.9, 12.7]}}]}', "countries.geojson: feature 1: KeyError"),
])
def test_a_broken_boundary_file_is_a_located_error_not_a_traceback(tmp_path, text, where):
    folder = tmp_path / "gazetteer"
    write_places(folder, GOOD_ROWS)
    (folder / "boundaries").mkdir()
    (folder / "boundaries" / "countries.geojson").write_text(text, encoding="utf-8")
    runner = CliRunner()
    for args in (["check", "--gazetteer", str(folder)],
                 ["build", "--gazetteer", str(folder), "--out", str(tmp_path / "maps"), "-q"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "error:" in result.output and where in result.output, result.output
        assert "Traceback" not in result.output and not isinstance(result.exception, (KeyError, ValueError))
    assert not (tmp_path / "maps").exists()


def test_a_build_without_boundaries_says_what_it_leaves_out(tmp_path, repo):
    folder = tmp_path / "gazetteer"
    shutil.copytree(repo / "gazetteer", folder, ignore=shutil.ignore_patterns("boundaries"))
    result = CliRunner().invoke(main, ["build", "--gazetteer", str(folder), "--out", str(tmp_path / "maps"), "-q"])
    assert result.exit_code == 0, result.output
    assert "no countries.geojson; the events' provinces and border distances are left empty" in result.output


def test_a_quote_never_closed_is_named_as_such(tmp_path, boundaries):
    path = write_places(tmp_path, [GOOD_ROWS[0], 'kh-poipet,"Poipet,Paoy Paet,town,13.65805,102.56365,3,KH,kh,GeoNames,',
                                   GOOD_ROWS[2]])
    assert messages(path, boundaries) == [
        f"{path}:3: a quoted field opened on this line runs to line 4 (a closing double quote: \" ... \")"]


def test_an_area_is_called_by_its_name_without_accents_the_vietnamese_d_too():
    from geomap.gazetteer.geometry import Area

    area = Area("VN-39", "Đồng Nai", "VN", None)
    assert area.is_called("Dong Nai Province") and area.is_called("Đồng Nai province")
    assert not area.is_called("Nai Province")
