"""The online geocoder stage, against a Nominatim stub on 127.0.0.1: geopy's real code path over real
HTTP, with faults scripted per query. No test needs the internet."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from geomap.errors import GazetteerError, GeocoderError
from geomap.resolve import (USER_AGENT, CacheRow, GazetteerStage, GeocoderCache, GeocoderIssue, GeocoderStage,
                            Resolver, geocoded_csv, place_kind, precision_km, row_to_place, validate_cache)

from geocoding import CHREY_THOM, HEADER, arrival_gaps, context, make_stage, mention
from nominatim_stub import EMPTY, MALFORMED, OK, Sleep


def write_cache(path: Path, *rows: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")


CHREY_THOM_ROW = ("Chrey Thom,nominatim,unreviewed,10.9670421,105.0921334,\"Chrey Thom International Checkpoint, "
                  "National Road 21, Chrey Thom, Sampov Poun, Koh Thum District, Kandal Province, 08652, "
                  "Cambodia\",barrier,border_control,KH,2024-05-01,,"
                  "\"addresstype=barrier; boundingbox=10.9665421,10.9675421,105.0916334,105.0926334\"")


# --- found, not found, and what the server was asked ------------------------------------------------

def test_a_found_place_becomes_a_candidate_and_a_cache_row(stub, cache_path):
    stage = make_stage(cache_path, stub)
    [candidate] = stage.candidates(mention("Chrey Thom"), context("KH"))

    place = candidate.place
    assert (place.id, place.name, place.kind, place.country) == (
        "geocoder:nominatim:chrey-thom", "Chrey Thom International Checkpoint", "border_crossing", "KH")
    assert (place.lat, place.lon) == pytest.approx((10.967, 105.092), abs=0.001)
    assert place.precision_km == 0.5  # a node's tiny bounding box, raised to the minimum
    assert place.source == ("nominatim geocoder, retrieved 2024-05-01, status unreviewed; "
                            + CHREY_THOM["display_name"])
    assert candidate.stage == "geocoder" and candidate.score == 5.0
    assert candidate.why == ("nominatim geocoder answer, status unreviewed, OSM barrier=border_control, "
                             "retrieved 2024-05-01")

    [request] = stub.requests
    assert request.path == "/search"
    assert request.params == {"q": "Chrey Thom", "format": "json", "limit": "5", "addressdetails": "1",
                              "countrycodes": "kh"}
    assert request.headers["User-Agent"] == USER_AGENT
    assert cache_path.read_bytes() == (HEADER + CHREY_THOM_ROW + "\n").encode("utf-8")
    assert validate_cache(cache_path) == []


def test_the_chain_marks_the_place_as_resolved_by_the_geocoder(stub, cache_path):
    from geomap.gazetteer.table import Gazetteer

    resolver = Resolver([GazetteerStage(Gazetteer.from_places([])), make_stage(cache_path, stub)])
    resolution = resolver.resolve(mention("Chrey Thom"), context("KH"))
    assert resolution.resolved_by == "geocoder"
    assert resolution.reason.startswith("geocoder: nominatim geocoder answer")


def test_countrycodes_are_sent_only_when_the_document_names_countries(stub, cache_path):
    stage = make_stage(cache_path, stub)
    stage.candidates(mention("Kandal"), context("TH", "KH", "KH"))
    stage.candidates(mention("Chrey Thom"), context())
    assert stub.requests_for("Kandal")[0].params["countrycodes"] == "kh,th"
    assert "countrycodes" not in stub.requests_for("Chrey Thom")[0].params


def test_an_empty_answer_is_cached_as_not_found_and_not_asked_again(stub, cache_path):
    stub.script("Chrey Thom", EMPTY)
    stage = make_stage(cache_path, stub)
    assert stage.candidates(mention("Chrey Thom"), context()) == []
    assert cache_path.read_text(encoding="utf-8") == HEADER + "Chrey Thom,nominatim,not_found,,,,,,,2024-05-01,,\n"
    assert stage.issues[-1].reason == "nominatim had no answer on 2024-05-01"
    assert not stage.issues[-1].fault

    again = make_stage(cache_path, stub)
    assert again.candidates(mention("Chrey Thom"), context()) == []
    assert len(stub.requests) == 1


def test_a_name_not_found_in_the_documents_countries_is_asked_without_them_then_checked(stub, cache_path):
    stage = make_stage(cache_path, stub)
    assert stage.candidates(mention("Victoria"), context("KH")) == []
    first, second = stub.requests_for("Victoria")
    assert first.params["countrycodes"] == "kh" and "countrycodes" not in second.params
    assert stage.issues[-1].reason == ("11726 km from KH, the nearest country the document names "
                                       "(expected within 1500 km)")
    assert GeocoderCache.load(cache_path).lookup("Victoria", "nominatim").country == "CA"

    # The checks run on each use: a document about Canada, or naming no country, may use the answer.
    offline = make_stage(cache_path)
    assert offline.candidates(mention("Victoria"), context("CA"))[0].place.kind == "city"
    assert offline.candidates(mention("Victoria"), context())[0].place.country == "CA"
    assert len(stub.requests) == 2


def test_a_shop_is_not_a_place_unless_an_editor_accepts_it(stub, cache_path):
    stage = make_stage(cache_path, stub)
    assert stage.candidates(mention("Golden Fortune Mart"), context("KH")) == []
    assert stage.issues[-1].reason.startswith("OSM shop=supermarket is not a place-like answer")

    text = cache_path.read_text(encoding="utf-8").replace(",unreviewed,", ",accepted,")
    cache_path.write_text(text.replace(",2024-05-01,,", ",2024-05-01,editor,"), encoding="utf-8")
    [candidate] = make_stage(cache_path).candidates(mention("Golden Fortune Mart"), context("KH"))
    assert candidate.place.kind == "landmark"
    assert "status accepted" in candidate.place.source


# --- faults: the build always finishes, and a fault is never cached ---------------------------------

def test_429_then_success_is_retried_after_the_error_wait(stub, fake_clock, cache_path):
    stub.script("Chrey Thom", 429, OK)
    stage = make_stage(cache_path, stub, error_wait_seconds=0.2, clock=fake_clock)
    [candidate] = stage.candidates(mention("Chrey Thom"), context())
    assert candidate.place.kind == "border_crossing"
    assert arrival_gaps(stub) == [0.2]  # the error wait, longer than the 0.05 s rate limit
    assert stage.last_error is None


def test_500_gives_up_after_the_retries_and_is_not_cached(stub, cache_path):
    stub.script("Chrey Thom", 500, 500, 500)
    stage = make_stage(cache_path, stub, max_retries=2)
    assert stage.candidates(mention("Chrey Thom"), context()) == []
    assert len(stub.requests) == 3
    assert stage.last_error.startswith("Chrey Thom: HTTP 500: GeocoderServiceError: Non-successful status code 500")
    assert stage.last_error.endswith("(after 2 retries)")
    assert stage.issues[-1].fault
    assert not cache_path.exists()

    # Not asked again in the same run; the next run asks again, and this time the server answers.
    assert stage.candidates(mention("Chrey Thom"), context()) == []
    assert len(stub.requests) == 3
    assert len(make_stage(cache_path, stub).candidates(mention("Chrey Thom"), context())) == 1


def test_a_timeout_gives_no_candidate(stub, cache_path):
    stub.script("Chrey Thom", Sleep(1.5), Sleep(1.5))
    stage = make_stage(cache_path, stub, timeout_seconds=0.3, max_retries=1)
    assert stage.candidates(mention("Chrey Thom"), context()) == []
    assert len(stub.requests) == 2
    assert "GeocoderTimedOut" in stage.last_error
    assert not cache_path.exists()


def test_malformed_json_is_a_fault_and_is_not_retried(stub, cache_path):
    stub.script("Chrey Thom", MALFORMED)
    stage = make_stage(cache_path, stub)
    assert stage.candidates(mention("Chrey Thom"), context()) == []
    assert len(stub.requests) == 1
    assert stage.last_error.startswith("Chrey Thom: GeocoderParseError: Could not deserialize")
    assert not cache_path.exists()


def test_a_dead_server_is_given_up_after_a_few_queries(stub, cache_path):
    for name in ("A", "B", "C", "D"):
        stub.script(name, 503)
    stage = make_stage(cache_path, stub, max_retries=0, max_consecutive_faults=3)
    for name in ("A", "B", "C", "D"):
        assert stage.candidates(mention(name), context()) == []
    assert [r.query for r in stub.requests] == ["A", "B", "C"]
    assert stage.issues[-1].reason.startswith("not asked: the geocoder failed 3 queries in a row")


def test_requests_are_spaced_by_the_rate_limit(stub, fake_clock, cache_path):
    stage = make_stage(cache_path, stub, min_delay_seconds=0.2, error_wait_seconds=0.2, clock=fake_clock)
    for name in ("Chrey Thom", "Kandal", "Nowhere", "Golden Fortune Mart"):
        stage.candidates(mention(name), context())
    assert [r.query for r in stub.requests] == ["Chrey Thom", "Kandal", "Nowhere", "Golden Fortune Mart"]
    assert arrival_gaps(stub) == [0.2, 0.2, 0.2]


# --- the cache: offline use, editors' verdicts, safe writes ---------------------------------------

def test_offline_answers_from_the_cache_without_the_network(stub, cache_path, monkeypatch):
    online = make_stage(cache_path, stub).candidates(mention("Chrey Thom"), context("KH"))

    def no_network(self):
        raise AssertionError("an offline stage built a network geocoder")

    monkeypatch.setattr(GeocoderStage, "_make_geocode", no_network)
    offline = make_stage(cache_path)
    assert offline.candidates(mention("Chrey Thom"), context("KH")) == online
    assert offline.candidates(mention("Never Asked"), context("KH")) == []
    assert offline.geocoder is None
    assert len(stub.requests) == 1


def test_online_reuses_the_cache_too(stub, cache_path):
    make_stage(cache_path, stub).candidates(mention("Chrey Thom"), context())
    again = make_stage(cache_path, stub)
    assert len(again.candidates(mention("Chrey  Thom"), context())) == 1  # same name, spacing normalised
    assert len(stub.requests) == 1


def test_a_rejected_row_is_never_used_nor_asked_again(stub, cache_path):
    rejected = CHREY_THOM_ROW.replace(",unreviewed,", ",rejected,").replace(",2024-05-01,,", ",2024-05-01,sok,")
    write_cache(cache_path, rejected)
    for stage in (make_stage(cache_path), make_stage(cache_path, stub)):
        assert stage.candidates(mention("Chrey Thom"), context("KH")) == []
        assert stage.issues == [GeocoderIssue(
            "Chrey Thom", "nominatim", "the cached answer was rejected by an editor (sok); not asked again")]
        # and the name's resolution says so, for the review queue, not "no stage knows this name"
        resolved = Resolver([stage]).resolve(mention("Chrey Thom"), context("KH"))
        assert (resolved.place, resolved.reason) == (
            None, "geocoder: the cached answer was rejected by an editor (sok); not asked again")
    assert stub.requests == []
    assert Resolver([make_stage(cache_path)]).resolve(mention("Never Asked"), context()).reason \
        == "no stage knows this name"


def test_the_server_url_comes_from_the_environment(stub, cache_path, monkeypatch):
    from geomap.settings import Settings

    monkeypatch.setenv("GEOMAP_GEOCODER_URL", stub.url)
    assert Settings(online=True).geocoder_url == stub.url
    stage = make_stage(cache_path, online=True, url=Settings().geocoder_url)
    assert (stage.geocoder.scheme, stage.geocoder.domain) == ("http", stub.domain)
    assert len(stage.candidates(mention("Chrey Thom"), context())) == 1
    assert len(stub.requests) == 1


def test_providers_and_urls(cache_path):
    from geopy.geocoders import Photon

    photon = make_stage(cache_path, online=True, provider="photon", url="https://photon.example.org/")
    assert isinstance(photon.geocoder, Photon)
    assert (photon.geocoder.scheme, photon.geocoder.domain) == ("https", "photon.example.org")
    assert photon.geocoder.headers["User-Agent"] == USER_AGENT

    with pytest.raises(GeocoderError, match="unknown geocoder 'nope'"):
        make_stage(cache_path, provider="nope")
    with pytest.raises(GeocoderError) as error:
        make_stage(cache_path, online=True, url="127.0.0.1:8123")
    assert str(error.value) == ("geocoder URL '127.0.0.1:8123' is not an http(s) URL "
                                "(expected e.g. http://127.0.0.1:8080 or https://nominatim.example.org)")
    with pytest.raises(GeocoderError, match="'here' does not take a server URL"):
        make_stage(cache_path, online=True, provider="here", url="http://127.0.0.1:1")


def _record_many(path: str, prefix: str, count: int) -> None:
    for number in range(count):
        cache = GeocoderCache.load(Path(path))  # each write starts from an old view of the file
        cache.record(CacheRow(f"{prefix} {number:02d}", "nominatim", "not_found", retrieved="2024-05-01"))
        cache.save()


def test_two_processes_writing_at_once_lose_nothing(cache_path):
    forked = multiprocessing.get_context("fork")
    workers = [forked.Process(target=_record_many, args=(str(cache_path), prefix, 25)) for prefix in "AB"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    rows = GeocoderCache.load(cache_path).rows
    assert len(rows) == 50
    assert list(rows) == sorted(rows)
    assert validate_cache(cache_path) == []
    assert sorted(p.name for p in cache_path.parent.iterdir()) == ["geocoded.csv", "geocoded.csv.lock"]


def test_two_threads_writing_at_once_lose_nothing(cache_path):
    threads = [threading.Thread(target=_record_many, args=(str(cache_path), prefix, 25)) for prefix in "CD"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(GeocoderCache.load(cache_path).rows) == 50


def test_a_failed_write_leaves_the_file_as_it_was(cache_path, monkeypatch):
    write_cache(cache_path, CHREY_THOM_ROW)
    before = cache_path.read_bytes()
    cache = GeocoderCache.load(cache_path)
    cache.record(CacheRow("Nowhere", "nominatim", "not_found", retrieved="2024-05-01"))

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(geocoded_csv.os, "replace", failing_replace)
    with pytest.raises(OSError):
        cache.save()
    assert cache_path.read_bytes() == before
    assert sorted(p.name for p in cache_path.parent.iterdir()) == ["geocoded.csv", "geocoded.csv.lock"]


def test_a_row_already_on_disk_wins_over_a_new_one(cache_path):
    cache = GeocoderCache.load(cache_path)  # empty: the file does not exist yet
    write_cache(cache_path, CHREY_THOM_ROW.replace(",unreviewed,", ",accepted,"))  # meanwhile, an editor
    cache.record(CacheRow("Chrey Thom", "nominatim", "not_found", retrieved="2024-05-02"))
    cache.save()
    assert cache.lookup("Chrey Thom", "nominatim").status == "accepted"
    assert [line.split(",")[0] for line in cache_path.read_text(encoding="utf-8").splitlines()] == [
        "query", "Chrey Thom"]


# --- validate_cache -------------------------------------------------------------------------------

def test_validate_cache_reports_a_bad_header(cache_path):
    cache_path.parent.mkdir(parents=True)
    cache_path.write_text(HEADER.replace("status", "state") + CHREY_THOM_ROW + "\n", encoding="utf-8")
    assert [str(p) for p in validate_cache(cache_path)] == [
        f"{cache_path}:1: column state: column 3 is 'state' ('status')"]


def test_validate_cache_reports_each_bad_value(cache_path):
    write_cache(cache_path,
                CHREY_THOM_ROW,
                "Poipet,nominatim,acepted,13.65,north,Poipet,place,town,KH,2024-05-01,,",
                "Bavet,nominatim,unreviewed,north,106.16,Bavet,place,town,KH,2024-05-01,,",
                "Myawaddy,nominatim,unreviewed,16.69,200,Myawaddy,place,town,MM,2024-05-01,,",
                "Shwe Kokko,nominatim,unreviewed,16.83,98.52,Shwe Kokko,place,village,MM,2024-13-01,,",
                "KK Park,nominatim,unreviewed,16.59,98.53,KK Park, Myawaddy,landuse,commercial,MM,2024-05-01,,",
                "Poipet,nominatim,unreviewed,13.65,102.56,Poipet,place,town,KH,2024-05-01,,",
                "Nowhere,nominatim,not_found,,,,,,,2024-05-01,,")
    assert [str(p) for p in validate_cache(cache_path)] == [
        # a misspelt status hides no other problem of its row
        f"{cache_path}:3: column status: unknown status 'acepted' "
        "(one of unreviewed, accepted, rejected, not_found)",
        f"{cache_path}:3: column lon: 'north' is not a number (decimal degrees, -180 to 180)",
        f"{cache_path}:4: column lat: 'north' is not a number (decimal degrees, -90 to 90)",
        f"{cache_path}:5: column lon: 200 is out of range (-180 to 180)",
        f"{cache_path}:6: column retrieved: '2024-13-01' is not a date (YYYY-MM-DD)",
        f"{cache_path}:7: 13 fields where the header has 12 (one per column; a field holding a comma goes in double quotes)",
        f"{cache_path}:8: column query: 'Poipet' with provider 'nominatim' again "
        "(one row per query and provider; first on line 3)",
    ]
    assert all(p.is_error for p in validate_cache(cache_path))
    with pytest.raises(GazetteerError) as error:  # a broken cache stops the build, every problem listed
        GeocoderCache.load(cache_path)
    assert str(error.value).splitlines()[1:] == [str(p) for p in validate_cache(cache_path)]


def test_validate_cache_accepts_a_missing_file(cache_path):
    assert validate_cache(cache_path) == []


# --- from a row to a place ------------------------------------------------------------------------

@pytest.mark.parametrize("osm_class, osm_type, addresstype, display_name, kind", [
    ("place", "city", "city", "Phnom Penh, Cambodia", "city"),
    ("place", "village", "village", "Chrey Thom, Cambodia", "town"),
    ("boundary", "administrative", "province", "Kandal Province, Cambodia", "province"),
    ("boundary", "administrative", "country", "Cambodia", "country"),
    ("boundary", "administrative", "", "Cambodia", "country"),
    ("boundary", "administrative", "", "Kandal, Cambodia", "province"),
    # a district is no province: its province is the one the boundaries put it in
    ("boundary", "administrative", "county", "Prey Nob District, Preah Sihanouk, Cambodia", "town"),
    ("boundary", "administrative", "", "Prey Nob District, Preah Sihanouk, Cambodia", "town"),
    ("barrier", "border_control", "barrier", "Chrey Thom International Checkpoint, Cambodia", "border_crossing"),
    ("military", "naval_base", "military", "Ream Naval Base, Cambodia", "facility"),
    ("waterway", "river", "river", "Moei River, Myanmar", "water"),
    ("natural", "water", "water", "Tonle Sap, Cambodia", "water"),
    ("tourism", "attraction", "tourism", "Angkor Wat, Cambodia", "landmark"),
])
def test_kinds_from_osm_classes(osm_class, osm_type, addresstype, display_name, kind):
    assert place_kind(osm_class, osm_type, addresstype, display_name) == kind


def test_precision_from_the_bounding_box_or_the_kind():
    assert precision_km("province", "10.8,11.8,104.6,105.3") == pytest.approx(67.4, abs=0.5)
    assert precision_km("town", "") == 3.0
    row = CacheRow("Kandal", "nominatim", "unreviewed", "11.2237", "105.1259", "Kandal Province, Cambodia",
                   "boundary", "administrative", "KH", "2024-05-01", "",
                   "addresstype=province; boundingbox=10.8,11.8,104.6,105.3; checked against the 2019 map")
    place = row_to_place(row)
    assert (place.kind, place.precision_km, place.name) == ("province", 67.4, "Kandal Province")


def test_answers_of_another_geocoder_are_said_to_be_unused(cache_path):
    write_cache(cache_path, CHREY_THOM_ROW.replace(",nominatim,", ",photon,"))
    stage = make_stage(cache_path)
    assert stage.candidates(mention("Chrey Thom"), context("KH")) == []
    assert stage.warnings == [f"{cache_path}: 1 answer(s) of the geocoder 'photon' are not used with 'nominatim' "
                              "(--geocoder photon uses them)"]
