import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geomap.cli import main
from geomap.build import OUTPUT_FILES

from conftest import write_doc


def digest_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


def test_cli_build_on_the_seeds_writes_every_export(repo, tmp_path):
    out = tmp_path / "maps"
    result = run("build", "--seeds", repo / "seeds", "--gazetteer", repo / "gazetteer", "--out", out, "-q")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("5 documents, ")
    assert "unresolved" in result.output
    for name in OUTPUT_FILES:
        assert (out / name).stat().st_size > 0
    mentions = pd.read_csv(out / "mentions.csv", keep_default_na=False)
    assert list(mentions.columns[:13]) == ["doc", "start", "end", "surface", "sentence", "place_id", "name", "kind",
                                           "country", "lat", "lon", "precision_km", "resolved_by"]
    texts = {p.name: p.read_text(encoding="utf-8") for p in (repo / "seeds").glob("*.txt")}
    for row in mentions.itertuples():
        assert texts[row.doc][row.start:row.end] == row.surface
    assert set(mentions["resolved_by"]) <= {"gazetteer", "geonames", "geocoder", "unresolved"}
    events = pd.read_csv(out / "events.csv", keep_default_na=False)
    for column in ["event_id", "date", "date_precision", "type", "place_id", "place_name", "lat", "lon",
                   "precision_km", "doc", "quote"]:
        assert column in events.columns
    for row in events.itertuples():
        assert texts[row.doc][row.sentence_start:row.sentence_end] == row.quote
    geo = json.loads((out / "events.geojson").read_text())
    assert len(geo["features"]) == (events["lat"] != "").sum()
    places = json.loads((out / "places.geojson").read_text())
    names = mentions[mentions["mention"] == "name"]  # demonyms are not places drawn
    assert sum(f["properties"]["mentions"] for f in places["features"]) == (names["place_id"] != "").sum()
    assert (out / "assets" / "vendor" / "leaflet" / "dist" / "leaflet.js").exists()
    html = (out / "index.html").read_text()
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "code.jquery.com" not in html


def test_building_twice_gives_identical_bytes(repo, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        assert run("build", "--seeds", repo / "seeds", "--gazetteer", repo / "gazetteer", "--out", out,
                   "-q").exit_code == 0
    assert digest_tree(first) == digest_tree(second)


def test_committed_map_is_what_a_build_writes(repo, tmp_path):
    out = tmp_path / "maps"
    assert run("build", "--seeds", repo / "seeds", "--gazetteer", repo / "gazetteer", "--out", out).exit_code == 0
    committed = {k: v for k, v in digest_tree(repo / "maps").items() if k.split("/")[0] in OUTPUT_FILES + ("assets",)}
    assert committed == digest_tree(out), "maps/ is stale: run `geomap build` and commit it"


def test_failed_build_leaves_previous_output_untouched(repo, tmp_path):
    out = tmp_path / "maps"
    assert run("build", "--seeds", repo / "seeds", "--gazetteer", repo / "gazetteer", "--out", out,
               "-q").exit_code == 0
    before = digest_tree(out)
    bad = tmp_path / "gazetteer"
    bad.mkdir()
    (bad / "places.csv").write_text((repo / "gazetteer" / "places.csv").read_text().replace(
        ",country,", ",nation,", 1))
    result = run("build", "--seeds", repo / "seeds", "--gazetteer", bad, "--out", out, "-q")
    assert result.exit_code == 2
    assert "places.csv:1: column country: missing column" in result.output
    assert digest_tree(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".maps-")]


def test_bad_gazetteer_value_is_reported_with_line_and_column(repo, tmp_path):
    gazetteer = tmp_path / "gazetteer"
    gazetteer.mkdir()
    (gazetteer / "places.csv").write_text(
        "id,name,aliases,kind,lat,lon,precision_km,country,parent,source,notes\n"
        "kh-x,X,,town,north,104.9,3,KH,,,\n")
    result = run("build", "--seeds", repo / "seeds", "--gazetteer", gazetteer, "--out", tmp_path / "m")
    assert result.exit_code == 2
    assert f"{gazetteer / 'places.csv'}:2: column lat: 'north' is not a number (a decimal number)" in result.output


def test_missing_seeds_folder_is_a_clear_error(tmp_path):
    result = run("build", "--seeds", tmp_path / "nope", "--out", tmp_path / "m")
    assert result.exit_code == 2
    assert "nope: is not a folder of documents" in result.output


def test_user_folder_of_articles_builds(repo, tmp_path):
    seeds = tmp_path / "articles"
    write_doc(seeds, "raid.md", "---\ntitle: Raid\npublished: 2024-03-02\n---\n"
                                "Police raided a compound in Poipet on March 1.\n")
    result = run("build", "--seeds", seeds, "--gazetteer", repo / "gazetteer", "--out", tmp_path / "m", "-q")
    assert result.exit_code == 0, result.output
    events = pd.read_csv(tmp_path / "m" / "events.csv")
    assert list(events[["type", "date", "place_id"]].itertuples(index=False, name=None)) == [
        ("raid", "2024-03-01", "kh-poipet")]


@pytest.mark.parametrize("command", [[], ["build"], ["resolve"], ["check"]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3


def test_resolve_explains_the_winner(repo):
    result = run("resolve", "Riem", "--gazetteer", repo / "gazetteer")
    assert result.exit_code == 0
    assert "'Riem' -> kh-ream-naval-base" in result.output
    unknown = run("resolve", "Xyzzyville", "--gazetteer", repo / "gazetteer")
    assert unknown.exit_code == 1 and "unresolved" in unknown.output


def test_resolve_prefers_the_place_called_so_over_a_larger_one_with_the_name_as_an_alias(repo):
    # Chiang Saen is the main name of a town of 11,000 and an alternate name of Mae Chan (38,000)
    result = run("resolve", "Chiang Saen", "--country", "TH", "--gazetteer", repo / "gazetteer")
    assert result.exit_code == 0
    assert "'Chiang Saen' -> geonames:1611187." in result.output and "ambiguous" not in result.output.splitlines()[-1]


def test_help_loads_none_of_the_builds_libraries():
    """`geomap --help` must answer at once: the heavy libraries load only when a command needs them."""
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from geomap.cli import main; "
            "result = CliRunner().invoke(main, ['--help']); assert result.exit_code == 0; "
            "print(sorted(m for m in ('pandas', 'folium', 'shapely', 'dateparser', 'matplotlib', 'numpy') "
            "if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_a_stage_run_once_per_document_reads_the_peak_memory_at_most_once_a_second(monkeypatch):
    import geomap.timings as timings

    reads = []
    monkeypatch.setattr(timings, "peak_memory_mb", lambda: reads.append(1) or 100.0)
    report = timings.Timings()
    for _ in range(1000):
        report.add("find", 0.001, 0.001)
    report.add("merge", 1.0, 1.0)
    assert (report.stages["find"].calls, report.stages["find"].peak_mb, report.stages["merge"].peak_mb) == (
        1000, 100.0, 100.0)
    assert 2 <= len(reads) <= 3  # the per-document stage once (twice if the loop spanned a second), the merge once
    assert report.as_dict()["find"] == {"wall_s": 1.0, "cpu_s": 1.0, "peak_mb": 100.0, "calls": 1000}


@pytest.mark.parametrize("name", ["", "   "])
def test_resolve_refuses_an_empty_name(repo, name):
    result = CliRunner().invoke(main, ["resolve", name, "--gazetteer", str(repo / "gazetteer")])
    assert result.exit_code == 2 and "NAME is empty" in result.output and "unresolved" not in result.output


@pytest.mark.parametrize("code", ["USA", "XX", "k"])
def test_resolve_refuses_a_country_that_is_no_iso_code(repo, code):
    result = CliRunner().invoke(main, ["resolve", "Springfield", "--country", code, "--gazetteer", str(repo / "gazetteer")])
    assert result.exit_code == 2 and f"--country {code}: not an ISO 3166-1 alpha-2 code" in result.output


def test_a_missing_gazetteer_says_where_it_was_looked_for_and_how_to_give_another(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # "geomap build" run outside the repository: ./gazetteer is not there
    write_doc(tmp_path / "seeds", "a.txt", "Police raided a casino in Poipet.\n")
    for command in (["build", "-q"], ["check"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2, result.output
        assert str(tmp_path / "gazetteer") in result.output and "--gazetteer DIR" in result.output
        assert "Traceback" not in result.output
