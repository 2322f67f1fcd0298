"""Inputs a user's own folder may well contain, found in review: each must give a clear error or a
right answer, never a traceback."""

from __future__ import annotations

import shutil

import pandas as pd
from click.testing import CliRunner

from geomap.cli import main
from geomap.dates import find_dates

from conftest import write_doc


def build(seeds, gazetteer, out, *extra, cwd=None):
    return CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(gazetteer), "--out",
                                     str(out), "-q", *extra])


def test_a_day_that_does_not_exist_is_a_warning_and_with_strict_an_input_error(repo, tmp_path):
    write_doc(tmp_path / "s", "a.txt", "---\npublished: 2024-02-30\n---\nPolice raided a compound in Poipet.\n")
    result = build(tmp_path / "s", repo / "gazetteer", tmp_path / "m")
    assert result.exit_code == 0
    assert "a.txt:2: warning: published '2024-02-30' in front matter is not a date" in result.output
    assert "1 documents" in result.output
    strict = build(tmp_path / "s", repo / "gazetteer", tmp_path / "strict", "--strict")
    assert strict.exit_code == 2 and "published '2024-02-30' in front matter is not a date" in strict.output
    assert "ignored" not in strict.output and "a strict build stops at a document's warning" in strict.output
    assert not (tmp_path / "strict").exists()


def test_a_broken_actors_file_is_reported_by_build_and_check(repo, tmp_path, gazetteer_copy):
    with open(gazetteer_copy / "actors.csv", "a", encoding="utf-8") as handle:
        handle.write("\nbad,row,with,too,many,fields,x,y\n")
    lines = (gazetteer_copy / "actors.csv").read_text(encoding="utf-8").split("\n")
    bad_line = lines.index("bad,row,with,too,many,fields,x,y") + 1
    expected = f"{gazetteer_copy / 'actors.csv'}:{bad_line}: 8 fields where the header has 6 (one per column"
    result = build(repo / "seeds", gazetteer_copy, tmp_path / "m")
    assert result.exit_code == 2 and expected in result.output
    check = CliRunner().invoke(main, ["check", "--gazetteer", str(gazetteer_copy)])
    assert check.exit_code == 1 and expected in check.output


def test_an_actor_of_an_unknown_kind_or_country_is_reported(repo, gazetteer_copy):
    with open(gazetteer_copy / "actors.csv", "a", encoding="utf-8") as handle:
        handle.write("typo-police,Typo Police,,goverment,KHX,\n")
    lines = (gazetteer_copy / "actors.csv").read_text(encoding="utf-8").split("\n")
    line = lines.index("typo-police,Typo Police,,goverment,KHX,") + 1
    check = CliRunner().invoke(main, ["check", "--gazetteer", str(gazetteer_copy)])
    assert check.exit_code == 1
    # a kind like one that changes how events are read is an error; any other kind only a warning
    assert f"actors.csv:{line}: column kind: unknown kind 'goverment', like 'government' (one of " in check.output
    assert f"actors.csv:{line}: column country: 'KHX' is not an ISO 3166-1 alpha-2 code" in check.output
    with open(gazetteer_copy / "actors.csv", "w", encoding="utf-8") as handle:
        handle.write("id,name,aliases,kind,country,notes\nkarens,Karen militia,,militia,MM,\n")
    check = CliRunner().invoke(main, ["check", "--gazetteer", str(gazetteer_copy)])
    assert check.exit_code == 0 and "actors.csv:2: column kind: warning: unknown kind 'militia'" in check.output


def test_files_with_the_same_stem_get_distinct_event_ids(repo, tmp_path):
    write_doc(tmp_path / "s", "a.txt", "Police raided a casino in Poipet on 3 March 2024.\n")
    write_doc(tmp_path / "s", "a.md", "Police raided a casino in Bavet on 5 May 2023.\n")
    assert build(tmp_path / "s", repo / "gazetteer", tmp_path / "m").exit_code == 0
    events = pd.read_csv(tmp_path / "m" / "events.csv")
    assert sorted(events["event_id"]) == ["a.md-s000", "a.txt-s000"]


def test_the_output_folder_may_not_hold_the_inputs(repo, tmp_path):
    seeds = tmp_path / "project" / "seeds"
    write_doc(seeds, "a.txt", "Police raided a casino in Poipet.\n")
    result = build(seeds, repo / "gazetteer", tmp_path / "project")
    assert result.exit_code == 2 and "the output folder holds the documents folder" in result.output
    assert (seeds / "a.txt").exists()


def test_two_separate_operations_in_one_article_stay_two_events(repo, tmp_path):
    write_doc(tmp_path / "s", "a.txt", "---\npublished: 2024-03-15\n---\n"
              "Cambodia has been fighting scam compounds.\nPolice raided a building and freed 30 Thai workers.\n"
              "In a separate operation, officers raided a hotel and rescued 12 Indonesians.\n")
    assert build(tmp_path / "s", repo / "gazetteer", tmp_path / "m").exit_code == 0
    events = pd.read_csv(tmp_path / "m" / "events.csv")
    assert list(events["type"]).count("raid") == 2


def test_a_weekday_on_the_publication_day_is_that_day():
    assert [(d.text, d.date.iso) for d in find_dates("completed on Friday.", "2024-03-15", "day")] == [
        ("Friday", "2024-03-15")]


def test_a_capital_naming_its_local_police_stays_the_city(parts, tmp_path):
    from geomap.actors import ActorFinder
    from geomap.documents import read_documents
    from geomap.events import EventExtractor

    finder, resolver = parts
    write_doc(tmp_path, "a.txt", "Phnom Penh police raided a scam compound.\nPhnom Penh started works on a canal.\n")
    doc, = read_documents(tmp_path)
    countries = {p.country: p for p in finder.gazetteer.places.values() if p.kind == "country"}
    events = EventExtractor(ActorFinder([]), countries=countries).extract(
        doc, resolver.resolve_document(finder.find(doc).mentions))
    assert [(e.type, e.place.id, e.place_basis) for e in events] == [
        ("raid", "kh-phnom-penh", "sentence"), ("infrastructure", "kh", "government")]


def test_parent_loops_are_errors(tmp_path, repo):
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "places.csv").write_text(
        "id,name,aliases,kind,lat,lon,precision_km,country,parent,source,notes\n"
        "kh-a,A,,town,12,104,3,KH,kh-b,s,\nkh-b,B,,town,12.1,104,3,KH,kh-a,s,\n", encoding="utf-8")
    shutil.copytree(repo / "gazetteer" / "boundaries", folder / "boundaries")
    result = CliRunner().invoke(main, ["check", "--gazetteer", str(folder)])
    assert result.exit_code == 1
    assert f"{folder / 'places.csv'}:2: column parent: parents form a loop: kh-a -> kh-b -> kh-a" in result.output


def test_very_long_lines_are_split_correctly():
    from geomap.documents import split_sentences

    text = "Mr. A. " * 3000 + "End. Next one."
    sentences = split_sentences(text)
    assert [s.text for s in sentences][-1] == "Next one."
    assert len(split_sentences("." * 100000 + "!?" * 10000 + " A")) == 2
