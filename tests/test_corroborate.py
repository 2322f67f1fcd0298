import json

import pandas as pd
from click.testing import CliRunner

from geomap.cli import main

from conftest import write_doc


def test_the_same_event_in_two_documents_is_one_event_with_two_sources(repo, tmp_path):
    seeds = tmp_path / "seeds"
    write_doc(seeds, "a.txt", "---\ntitle: First report\npublisher: Paper A\npublished: 2024-03-05\n---\n"
                              "Police raided a casino in Poipet on March 4.\n")
    write_doc(seeds, "b.txt", "---\ntitle: Second report\npublisher: Paper B\npublished: 2024-03\n---\n"
                              "Cambodian police raided a scam compound in Cambodia this month.\n")
    write_doc(seeds, "c.txt", "---\ntitle: Other raid\npublished: 2024-05-02\n---\n"
                              "Police raided a casino in Bavet on May 1.\n")
    out = tmp_path / "maps"
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(repo / "gazetteer"),
                                       "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    events = pd.read_csv(out / "events.csv", keep_default_na=False)
    assert list(events["place_id"]) == ["kh-poipet", "kh-bavet"]
    poipet = events.iloc[0]
    assert (poipet["sources"], poipet["source_docs"], poipet["date"]) == (2, "a.txt; b.txt", "2024-03-04")
    assert poipet["source_titles"] == "First report; Second report"
    quotes = json.loads(poipet["quotes"])
    assert [q["doc"] for q in quotes] == ["a.txt", "b.txt"]
    assert quotes[1]["quote"] == "Cambodian police raided a scam compound in Cambodia this month."
    assert events.iloc[1]["sources"] == 1
    html = (out / "index.html").read_text()
    assert "2 report(s) in 2 document(s)" in html


def test_different_statuses_or_dates_are_not_merged(repo, tmp_path):
    seeds = tmp_path / "seeds"
    write_doc(seeds, "a.txt", "---\npublished: 2024-03-05\n---\nThe US imposed sanctions on Cambodia on March 1.\n")
    write_doc(seeds, "b.txt", "---\npublished: 2024-03-05\n---\nThe US is considering sanctions on Cambodia.\n")
    write_doc(seeds, "c.txt", "---\npublished: 2024-09-05\n---\nThe US imposed sanctions on Cambodia on Sept. 1.\n")
    out = tmp_path / "maps"
    assert CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(repo / "gazetteer"),
                                     "--out", str(out), "-q"]).exit_code == 0
    events = pd.read_csv(out / "events.csv", keep_default_na=False)
    assert sorted(zip(events["status"], events["date"], events["sources"])) == [
        ("happened", "2024-03-01", 1), ("happened", "2024-09-01", 1), ("planned", "2024-03-05", 1)]
