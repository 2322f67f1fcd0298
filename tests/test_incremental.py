"""Builds that scale: worker processes (--jobs) and per-document results kept between builds.

Nothing here times anything: parallel builds must write the same bytes, and a rebuild must re-read
exactly the documents whose inputs changed, which is counted, not clocked.
"""
import csv
import hashlib
import io
import shutil
from pathlib import Path

import pytest

import importlib
from geomap.build import build
from geomap.pipeline import DocumentPipeline
from geomap.settings import Settings

from conftest import write_doc

ARTICLES = {
    # a nationality of a country the gazetteer lacks: its country comes from the GeoNames index
    "bavet.txt": "Police raided a casino compound in Bavet on March 3, 2024, and detained 80 Kenyan workers.",
    "poipet.txt": "Police raided an online scam compound in Poipet on April 9, 2024.",
    "myawaddy.txt": "Troops raided KK Park near Myawaddy on Oct. 20, 2025, officials said.",
    "sihanoukville.txt": "Authorities in Sihanoukville arrested 12 Chinese nationals on Feb. 2, 2023.",
    "preynob.txt": "Police raided a building in Prey Nob on May 5, 2024.",
}


def digest_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def events_of(out: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((out / "events.csv").read_text(encoding="utf-8"))))


@pytest.fixture
def workspace(tmp_path, repo):
    seeds = tmp_path / "seeds"
    for name, text in ARTICLES.items():
        write_doc(seeds, name, f"---\npublished: 2025-11-01\n---\n{text}\n")
    gazetteer = tmp_path / "gazetteer"
    shutil.copytree(repo / "gazetteer", gazetteer)
    return tmp_path, seeds, gazetteer


def settings_for(root: Path, seeds: Path, gazetteer: Path, out: str, **more) -> Settings:
    return Settings(seeds_dir=seeds, gazetteer_dir=gazetteer, out_dir=root / out,
                    document_cache=root / "cache" / "documents.sqlite", **more)


def count_reads(monkeypatch) -> list[str]:
    """The documents the per-document stage actually reads (in this process: --jobs 1)."""
    read = []
    real = DocumentPipeline.run
    monkeypatch.setattr(DocumentPipeline, "run", lambda self, document, timings=None:
                        read.append(document.name) or real(self, document, timings))
    return read


def edit_row(gazetteer: Path, place_id: str, old: str, new: str) -> None:
    path = gazetteer / "places.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(place_id + ","))
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_a_warm_rebuild_reads_no_unchanged_document_and_writes_the_same_bytes(workspace, monkeypatch):
    root, seeds, gazetteer = workspace
    build_module = importlib.import_module("geomap.build")
    opened = []
    real = build_module.load_index
    monkeypatch.setattr(build_module, "load_index", lambda *a, **k: opened.append(a) or real(*a, **k))
    cold = build(settings_for(root, seeds, gazetteer, "cold", jobs=1))
    assert cold.counts["reused"] == 0 and len(opened) == 1  # the GeoNames index: opened once per build
    read = count_reads(monkeypatch)
    from geomap.places import PlaceFactFinder

    computed, split = [], []
    real_compute = PlaceFactFinder._compute
    monkeypatch.setattr(PlaceFactFinder, "_compute", lambda self, place: computed.append(place.id)
                        or real_compute(self, place))
    documents_module = importlib.import_module("geomap.documents")
    real_split = documents_module.split_sentences
    monkeypatch.setattr(documents_module, "split_sentences", lambda text: split.append(text) or real_split(text))
    warm = build(settings_for(root, seeds, gazetteer, "warm", jobs=1))
    assert read == [] and warm.counts["reused"] == len(ARTICLES)
    assert split == []  # a document whose stored result is used is not even cut into sentences
    assert warm.summary().startswith(f"{len(ARTICLES)} documents ({len(ARTICLES)} unchanged since the last build")
    assert digest_tree(root / "cold") == digest_tree(root / "warm")
    # the places' provinces and border distances came back with the documents' results
    named = {r.place.id for r in warm.resolutions if r.place is not None}
    assert named and not named & set(computed)


def test_moving_a_place_rereads_only_the_documents_that_name_it_and_moves_their_events(workspace, monkeypatch):
    root, seeds, gazetteer = workspace
    build(settings_for(root, seeds, gazetteer, "before", jobs=1))
    before = {e["doc"]: e for e in events_of(root / "before")}
    assert before["bavet.txt"]["place_id"] == "kh-bavet"
    edit_row(gazetteer, "kh-bavet", "11.06317,106.13557", "11.07317,106.13557")
    read = count_reads(monkeypatch)
    result = build(settings_for(root, seeds, gazetteer, "after", jobs=1))
    assert read == ["bavet.txt"] and result.counts["reused"] == len(ARTICLES) - 1
    after = {e["doc"]: e for e in events_of(root / "after")}
    assert (float(before["bavet.txt"]["lat"]), float(after["bavet.txt"]["lat"])) == (11.06317, 11.07317)
    assert after["poipet.txt"] == before["poipet.txt"]


def test_a_new_name_rereads_only_the_documents_that_contain_it(workspace, monkeypatch):
    root, seeds, gazetteer = workspace
    build(settings_for(root, seeds, gazetteer, "before", jobs=1))
    assert {e["doc"]: e for e in events_of(root / "before")}["preynob.txt"]["place_id"] != "kh-prey-nob"
    with (gazetteer / "places.csv").open("a", encoding="utf-8") as handle:
        handle.write("kh-prey-nob,Prey Nob,,town,10.67000,103.78000,10,KH,kh-preah-sihanouk,test row,\n")
    read = count_reads(monkeypatch)
    build(settings_for(root, seeds, gazetteer, "after", jobs=1))
    assert read == ["preynob.txt"]
    assert {e["doc"]: e for e in events_of(root / "after")}["preynob.txt"]["place_id"] == "kh-prey-nob"


def test_adding_a_document_reads_only_that_document(workspace, monkeypatch):
    root, seeds, gazetteer = workspace
    build(settings_for(root, seeds, gazetteer, "before", jobs=1))
    write_doc(seeds, "osmach.txt", "---\npublished: 2025-11-01\n---\nSoldiers shelled O'Smach on July 24, 2025.\n")
    read = count_reads(monkeypatch)
    result = build(settings_for(root, seeds, gazetteer, "after", jobs=1))
    assert read == ["osmach.txt"] and result.counts["reused"] == len(ARTICLES)
    assert "osmach.txt" in {e["doc"] for e in events_of(root / "after")}


def test_a_changed_actor_list_rereads_every_document(workspace, monkeypatch):
    root, seeds, gazetteer = workspace
    build(settings_for(root, seeds, gazetteer, "before", jobs=1))
    with (gazetteer / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write("")  # unchanged bytes: nothing to re-read
    read = count_reads(monkeypatch)
    build(settings_for(root, seeds, gazetteer, "same", jobs=1))
    assert read == []
    (gazetteer / "not_places.txt").write_text(
        (gazetteer / "not_places.txt").read_text(encoding="utf-8") + "\nKrong\n", encoding="utf-8")
    build(settings_for(root, seeds, gazetteer, "after", jobs=1))
    assert sorted(read) == sorted(ARTICLES)
    read.clear()  # a border distance that makes a border place is a setting the facts depend on
    build(settings_for(root, seeds, gazetteer, "wider", jobs=1, border_km=25.0))
    assert sorted(read) == sorted(ARTICLES)


def test_a_broken_store_is_no_reason_to_fail_a_build(workspace):
    root, seeds, gazetteer = workspace
    store = root / "cache" / "documents.sqlite"
    store.parent.mkdir()
    store.write_bytes(b"this is not a database" * 100)
    notices = []
    result = build(settings_for(root, seeds, gazetteer, "out", jobs=1), notify=notices.append)
    assert result.counts["documents"] == len(ARTICLES) and len(events_of(root / "out")) >= 4
    assert any("document cache" in n and str(store) in n for n in notices)


def test_a_process_running_threads_reads_in_process():
    import threading

    from geomap.pipeline import workers_for

    assert workers_for(2, 100) == 2 or threading.active_count() > 1
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert workers_for(2, 100) == 0
    finally:
        stop.set()
        helper.join()


def test_a_damaged_entry_is_read_again(workspace, monkeypatch):
    import sqlite3

    root, seeds, gazetteer = workspace
    build(settings_for(root, seeds, gazetteer, "before", jobs=1))
    with sqlite3.connect(root / "cache" / "documents.sqlite") as db:
        db.execute("UPDATE results SET payload = ? WHERE rowid = (SELECT MIN(rowid) FROM results)", (b"garbage",))
    read = count_reads(monkeypatch)
    notices = []
    build(settings_for(root, seeds, gazetteer, "after", jobs=1), notify=notices.append)
    assert len(read) == 1 and any("damaged" in n for n in notices)
    assert digest_tree(root / "before") == digest_tree(root / "after")


def test_renaming_a_province_row_rereads_the_documents_whose_places_take_their_province_name_from_it(
        workspace, monkeypatch):
    """A town of the index in Tak (Mae Ramat) has no province among its parents: its province is
    named after the gazetteer's row that names the polygon. Renaming that row re-reads its document."""
    root, seeds, gazetteer = workspace
    write_doc(seeds, "maeramat.txt", "---\npublished: 2025-11-01\n---\nPolice raided a scam compound in Mae Ramat "
                                     "on Oct. 3, 2025.\n")
    build(settings_for(root, seeds, gazetteer, "before", jobs=1))
    assert {e["doc"]: e for e in events_of(root / "before")}["maeramat.txt"]["admin1"] == "Tak Province"
    edit_row(gazetteer, "th-tak-province", "th-tak-province,Tak Province,", "th-tak-province,Changwat Tak,")
    read = count_reads(monkeypatch)
    build(settings_for(root, seeds, gazetteer, "after", jobs=1))
    assert "maeramat.txt" in read
    assert {e["doc"]: e for e in events_of(root / "after")}["maeramat.txt"]["admin1"] == "Changwat Tak"
