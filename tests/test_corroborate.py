import json

import pandas as pd
from click.testing import CliRunner

from geomap.cli import main

from conftest import read_map_data, write_doc


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
    assert json.loads(poipet["source_titles"]) == ["First report", "Second report"]
    quotes = json.loads(poipet["quotes"])
    assert [q["doc"] for q in quotes] == ["a.txt", "b.txt"]
    assert quotes[1]["quote"] == "Cambodian police raided a scam compound in Cambodia this month."
    assert events.iloc[1]["sources"] == 1
    # the popup's record counts the reports and the documents ("Told in 2 sentence(s) of 2 document(s)")
    (row,) = [row for row in read_map_data(out)["events/raid"] if row[6][3] == "Poipet"]
    assert row[6][8] == [2, 2]


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


def _build(repo, tmp_path, docs: dict[str, str]) -> pd.DataFrame:
    seeds = tmp_path / "seeds"
    for name, text in docs.items():
        write_doc(seeds, name, text)
    out = tmp_path / "maps"
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(repo / "gazetteer"),
                                       "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return pd.read_csv(out / "events.csv", keep_default_na=False)


def test_a_restated_lede_is_one_event_and_a_separate_operation_is_not(repo, tmp_path):
    events = _build(repo, tmp_path, {"a.txt": (
        "---\npublished: 2025-08-22\n---\nPolice raid scam compound in Poipet\n\n"
        "Police raided a scam compound in Poipet on Monday, officials said.\n\n"
        "The raid on the compound in Poipet began before dawn.\n\n"
        "In a separate operation, officers raided a hotel in Poipet on Monday.\n")})
    raids = events[events["type"] == "raid"]
    assert list(raids["sources"]) == [1, 1]  # the headline is told in the lede; the lede restated once
    merged = raids.iloc[0]
    assert merged["date"] == "2025-08-18" and len(json.loads(merged["quotes"])) == 2
    assert "separate operation" in raids.iloc[1]["quote"]


def test_a_generic_country_report_does_not_merge_with_a_specific_raid(repo, tmp_path):
    events = _build(repo, tmp_path, {
        "a.txt": "---\npublished: 2025-08-22\n---\nPolice raided a casino in Poipet on August 20.\n",
        "b.txt": "---\npublished: 2025-08-22\n---\nCambodian police raided 40 scam sites in Cambodia.\n"})
    assert sorted(events["place_id"]) == ["kh", "kh-poipet"]
    assert list(events["sources"]) == [1, 1]


def test_the_merge_compares_a_report_only_with_reports_filed_at_its_places_and_weeks(monkeypatch):
    """An archive growing in time: four reports a day at 40 places, every fifth a second source of
    the one before. The comparisons grow with the reports; all pairs would grow with their square."""
    import datetime as dt

    from geomap import corroborate as merging
    from geomap.records import Event, EventDate, Place

    calls = []
    original = merging._same_event
    monkeypatch.setattr(merging, "_same_event", lambda a, b, ancestry: calls.append(1) or original(a, b, ancestry))
    places = [Place(f"p{i}", f"P{i}", "town", 10 + i / 10, 104, 5, "KH", parent="kh") for i in range(40)]

    def reports(n):
        events = []
        for i in range(n):
            seen = i - 1 if i % 5 == 4 else i  # a second report of the event before
            day = dt.date(2020, 1, 1) + dt.timedelta(days=seen // 4)
            events.append(Event(event_id=f"d{i:05d}", doc=f"d{i:05d}.txt", type="raid", trigger="raided",
                                trigger_start=0, trigger_end=6, sentence_start=0, sentence_end=10, quote="x",
                                date=EventDate(day.isoformat(), "day"), place=places[(seen * 7) % 40],
                                place_basis="sentence"))
        return events

    counts = []
    for n in (1_000, 4_000):
        calls.clear()
        merged = merging.corroborate(reports(n), lambda place_id: "kh" if place_id.startswith("p") else "")
        counts.append(len(calls))
        assert len(merged) == n - n // 5  # every second report found its event
    assert counts[0] > 0 and counts[1] < 5 * counts[0]


def test_reports_that_share_nothing_are_never_chained_into_one_event():
    """A report is compared with a few of a group's reports only; what the whole group shares (a
    window, a place nested in all of its places) keeps it from joining reports it matches with none."""
    from geomap.corroborate import corroborate
    from geomap.records import Event, EventDate, Place

    kh = Place("kh", "Cambodia", "country", 12.7, 104.9, 240, "KH")
    poipet = Place("kh-poipet", "Poipet", "town", 13.66, 102.56, 3, "KH", parent="kh")
    sihanoukville = Place("kh-sihanoukville", "Sihanoukville", "city", 10.6, 103.5, 5, "KH", parent="kh")

    def report(doc, place, iso, precision="day"):
        return Event(event_id=f"{doc}-s000", doc=doc, type="raid", trigger="raided", trigger_start=0,
                     trigger_end=6, sentence_start=0, sentence_end=10, quote="Police raided a compound.",
                     date=EventDate(iso, precision), place=place, place_basis="sentence")

    reports = [report("a", kh, "2024-03", "month"), report("b", poipet, "2024-03-02"),
               *(report(doc, kh, f"2024-03-{day:02d}") for doc, day in (("c", 2), ("d", 2), ("e", 2))),
               report("f", sihanoukville, "2024-03-20")]
    parents = {"kh-poipet": "kh", "kh-sihanoukville": "kh"}
    merged = corroborate(reports, lambda place_id: parents.get(place_id, ""))
    # a, c, d and e retell b's raid at Poipet on March 2; f, at Sihanoukville on March 20, matches
    # the country-level reports it is compared with, but not b, so it stays apart
    assert [e.event_id for e in merged] == ["b-s000", "f-s000"]


def test_a_merged_event_takes_the_narrowest_date_of_its_reports(repo, tmp_path):
    # the report at the finer place (Poipet) leads, but only the other one gives the day
    events = _build(repo, tmp_path, {
        "a.txt": "---\npublished: 2024-03-20\n---\nPolice in Poipet raided a casino in March.\n",
        "b.txt": "---\npublished: 2024-03-20\n---\nCambodian police raided a casino in Banteay Meanchey on March 4.\n",
    })
    assert list(zip(events["place_id"], events["date"], events["date_text"], events["sources"])) == [
        ("kh-poipet", "2024-03-04", "March 4", 2)]


def test_reports_sending_people_to_different_countries_are_not_one_deportation(repo, tmp_path):
    events = _build(repo, tmp_path, {
        "a.txt": "---\npublished: 2026-01-20\n---\nCambodia deported 64 Chinese nationals from Phnom Penh to China "
                 "on Jan. 7.\n",
        "b.txt": "---\npublished: 2026-01-25\n---\nCambodia deported 73 South Koreans from Phnom Penh between "
                 "Jan. 1 and Jan. 22.\n",
        "c.txt": "---\npublished: 2026-01-21\n---\nOn Jan. 7, Phnom Penh sent 64 Chinese back to China.\n"})
    deportations = events[events["type"] == "deportation"].sort_values("destination_ids")
    assert list(zip(deportations["destination_ids"], deportations["sources"])) == [("cn", 2), ("kr", 1)]


def test_a_report_spread_over_several_towns_leads_the_report_of_one_of_them(repo, tmp_path):
    events = _build(repo, tmp_path, {"a.txt": (
        "---\npublished: 2025-02-06\n---\n"
        "Thailand cut off electricity to three Myanmar border towns on Wednesday.\n\n"
        "In Myawaddy, power was cut on Wednesday.\n")})
    (cut,) = events[events["type"] == "cutoff"].itertuples()
    assert (cut.place_id, cut.place_basis, cut.date) == ("mm", "list", "2025-02-05")
    assert len(json.loads(cut.quotes)) == 2


def test_reports_counting_very_different_numbers_of_people_are_not_one_event(repo, tmp_path):
    events = _build(repo, tmp_path, {
        "a.txt": "---\npublished: 2024-03-05\n---\nPolice arrested 1,620 foreigners in Poipet on March 4.\n",
        "b.txt": "---\npublished: 2024-03-05\n---\nPolice arrested 29 Malaysian workers in Poipet on March 4.\n",
        "c.txt": "---\npublished: 2024-03-06\n---\nMore than 1,500 people were arrested in Poipet on March 4.\n"})
    arrests = events[events["type"] == "arrest"].sort_values("sources")
    assert list(arrests["sources"]) == [1, 2]
    assert "29 Malaysian workers" in arrests.iloc[0]["quote"]


def test_two_copies_of_a_wire_story_give_a_title_each(repo, tmp_path):
    """source_titles is a list aligned with source_docs: a title each, the same one twice when two
    papers ran the same story."""
    seeds = tmp_path / "seeds"
    for name in ("a.txt", "b.txt"):
        write_doc(seeds, name, "---\ntitle: Police raid Poipet casino; 40 held\npublished: 2024-03-05\n---\n"
                               f"Police raided a casino in Poipet on March 4 ({name}).\n")
    out = tmp_path / "maps"
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(repo / "gazetteer"),
                                       "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    event = pd.read_csv(out / "events.csv", keep_default_na=False).iloc[0]
    assert event["source_docs"] == "a.txt; b.txt"
    assert json.loads(event["source_titles"]) == ["Police raid Poipet casino; 40 held"] * 2
