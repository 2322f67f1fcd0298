"""The online geocoder through the whole build: discovery, geocoding over HTTP to a local
Nominatim-compatible server, the cache, the map, and an offline rebuild from the cache."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
from click.testing import CliRunner

from geomap.cli import main

from nominatim_stub import MALFORMED, nominatim_result, running_stub

PREK_CHAK = nominatim_result(
    name="Prek Chak International Border Checkpoint", lat=10.4607, lon=104.4836, osm_class="barrier",
    osm_type="border_control", addresstype="barrier", country_code="kh",
    display_name="Prek Chak International Border Checkpoint, National Road 33, Kampot Province, Cambodia")
TEXT = ("---\ntitle: Workers moved across the border\npublished: 2024-06-03\n---\n"
        "Police in Cambodia raided a compound and detained workers at the Prek Chak border crossing on June 1.\n")


def digests(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(seeds, gazetteer, out, *extra):
    return CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(gazetteer), "--out",
                                     str(out), "-q", *extra])


def test_unknown_place_is_discovered_geocoded_cached_mapped_and_rebuilt_offline(tmp_path, gazetteer_copy):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(TEXT, encoding="utf-8")

    offline_first = build(seeds, gazetteer_copy, tmp_path / "before")
    assert offline_first.exit_code == 0, offline_first.output
    review = pd.read_csv(tmp_path / "before" / "review.csv")
    assert list(review[["surface", "issue"]].itertuples(index=False, name=None)) == [("Prek Chak", "unresolved")]

    with running_stub({"Prek Chak": [PREK_CHAK]}) as stub:
        online = build(seeds, gazetteer_copy, tmp_path / "online", "--online", "--geocoder-url", stub.url)
        assert online.exit_code == 0, online.output
        assert [r.query for r in stub.requests] == ["Prek Chak"]
        assert stub.requests[0].params["countrycodes"] == "kh"
    out = tmp_path / "online"
    mentions = pd.read_csv(out / "mentions.csv")
    prek = mentions[mentions["surface"] == "Prek Chak"].iloc[0]
    assert (prek["resolved_by"], prek["kind"], prek["country"]) == ("geocoder", "border_crossing", "KH")
    assert (round(prek["lat"], 4), round(prek["lon"], 4)) == (10.4607, 104.4836)
    event = pd.read_csv(out / "events.csv").iloc[0]
    assert (event["type"], event["place_surface"], event["resolved_by"], event["date"]) == (
        "raid", "Prek Chak", "geocoder", "2024-06-01")
    places = {f["properties"]["name"]: f["properties"] for f in json.loads((out / "places.geojson").read_text())["features"]}
    assert places["Prek Chak International Border Checkpoint"]["resolved_by"] == "geocoder"
    html = (out / "index.html").read_text()
    assert "resolved by geocoder" in html and "OpenStreetMap contributors, ODbL" in html
    review = pd.read_csv(out / "review.csv")
    assert list(review[["surface", "issue"]].itertuples(index=False, name=None)) == [("Prek Chak", "fallback")]

    cache = pd.read_csv(gazetteer_copy / "geocoded.csv", dtype=str, keep_default_na=False)
    assert list(cache[["query", "provider", "status", "country"]].itertuples(index=False, name=None)) == [
        ("Prek Chak", "nominatim", "unreviewed", "KH")]
    assert CliRunner().invoke(main, ["check", "--gazetteer", str(gazetteer_copy)]).exit_code == 0

    offline = build(seeds, gazetteer_copy, tmp_path / "offline")  # no server now, and not asked to go online
    assert offline.exit_code == 0, offline.output
    assert digests(tmp_path / "offline") == digests(out)


def test_a_rejected_answer_leaves_the_name_unresolved(tmp_path, gazetteer_copy):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(TEXT, encoding="utf-8")
    with running_stub({"Prek Chak": [PREK_CHAK]}) as stub:
        assert build(seeds, gazetteer_copy, tmp_path / "m", "--online", "--geocoder-url", stub.url).exit_code == 0
        cache = gazetteer_copy / "geocoded.csv"
        cache.write_text(cache.read_text(encoding="utf-8").replace(",unreviewed,", ",rejected,"), encoding="utf-8")
        again = build(seeds, gazetteer_copy, tmp_path / "m", "--online", "--geocoder-url", stub.url)
        assert again.exit_code == 0
        assert len(stub.requests) == 1  # the editor's verdict is final: not asked again
    mentions = pd.read_csv(tmp_path / "m" / "mentions.csv")
    assert mentions[mentions["surface"] == "Prek Chak"]["resolved_by"].tolist() == ["unresolved"]


def test_a_geocoder_fault_still_finishes_the_build_and_reports_it(tmp_path, gazetteer_copy):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(TEXT, encoding="utf-8")
    with running_stub({"Prek Chak": [PREK_CHAK]}) as stub:
        stub.script("Prek Chak", MALFORMED)
        result = build(seeds, gazetteer_copy, tmp_path / "m", "--online", "--geocoder-url", stub.url)
    assert result.exit_code == 0, result.output
    assert "geocoder: 'Prek Chak' left unresolved:" in result.output
    review = pd.read_csv(tmp_path / "m" / "review.csv")
    assert list(review[["surface", "issue"]].itertuples(index=False, name=None)) == [("Prek Chak", "unresolved")]
    assert not (gazetteer_copy / "geocoded.csv").exists() or "Prek Chak" not in (
        gazetteer_copy / "geocoded.csv").read_text()
