"""The online geocoder against a hostile or broken server: the local Nominatim stub on 127.0.0.1
trickles, floods, redirects, asks to wait, and answers nonsense. Every build must finish, nothing
bogus may reach the cache, and the server must never see two requests less than the rate limit
apart. No test needs the internet; waits are checked on a fake clock
shared by the stage and the stub, and real time only as a generous hang guard."""

from __future__ import annotations

import csv
import errno
import json
import logging
import os
import socket
import threading
import time
import tracemalloc
from email.utils import formatdate
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geomap.cli import main
from geomap.resolve import CSV_FIELD_LIMIT, GeocoderCache, GeocoderStage, validate_cache

from geocoding import CHREY_THOM, HEADER, arrival_gaps, context, mention
from geocoding import make_stage as shared_make_stage
from nominatim_stub import Flood, Late, OK, Reply, Sleep, Trickle, nominatim_result, running_stub

#: Generous: only there so that a regression fails instead of hanging the test run.
HANG_GUARD_SECONDS = 30


def make_stage(cache_path: Path, stub=None, **options) -> GeocoderStage:
    """The shared stage, but with no retries and a deadline long enough for the stub's scripted waits."""
    return shared_make_stage(cache_path, stub, **{"timeout_seconds": 2.0, "max_retries": 0, **options})


def finishes(function, *args):
    """``function(*args)``, run where a hang fails the test after HANG_GUARD_SECONDS instead of
    blocking the run."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # handed to the test below
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_GUARD_SECONDS)
    assert not worker.is_alive(), f"still running after {HANG_GUARD_SECONDS} s: a hang"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def ask(stage: GeocoderStage, name: str, *countries: str):
    return finishes(stage.candidates, mention(name), context(*countries))


# --- 1. a server that trickles its answer ---------------------------------------------------------

@pytest.mark.parametrize("head", [False, True], ids=["body", "status-line-and-headers"])
def test_a_trickled_answer_is_cut_at_the_deadline_and_asked_again_next_build(stub, cache_path, head):
    # A byte every 0.2 s never trips a 1 s read timeout: without a deadline this took minutes per
    # request (hours for a real answer), and --online hung.
    stub.script("Chrey Thom", Trickle(0.2, head=head), Trickle(0.2, head=head))
    stage = make_stage(cache_path, stub, timeout_seconds=1.0, max_retries=1)
    assert ask(stage, "Chrey Thom") == []
    assert len(stub.requests) == 2  # a timeout, so retried like one
    assert "GeocoderTimedOut: no complete answer within 1 s (after 1 retries)" in stage.last_error
    assert stage.issues[-1].fault
    assert not cache_path.exists()

    next_build = make_stage(cache_path, stub)
    assert len(ask(next_build, "Chrey Thom")) == 1
    assert len(stub.requests) == 3


# --- 2. a server that floods ----------------------------------------------------------------------

@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "until-close"])
def test_an_answer_over_the_size_limit_is_a_fault_and_is_not_read_further(stub, cache_path, declared):
    stub.script("Chrey Thom", Flood(150_000_000, declared=declared))
    stage = make_stage(cache_path, stub, max_retries=2)
    tracemalloc.start()
    try:
        assert ask(stage, "Chrey Thom") == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "-byte limit" in stage.last_error and "GeocoderParseError" in stage.last_error
    assert len(stub.requests) == 1  # a malformed answer: not retried
    assert peak < 50_000_000  # 2 MB read at most (a 150 MB answer once took the build to 1.6 GB)
    assert stub.bytes_sent < 100_000_000  # the client hung up: the rest was never read
    assert not cache_path.exists()


def test_json_nested_deeper_than_python_goes_is_a_malformed_answer(stub, cache_path):
    stub.script("Chrey Thom", Reply(body=b"[" * 500_000))
    stage = make_stage(cache_path, stub, max_retries=2)
    assert ask(stage, "Chrey Thom") == []
    assert "GeocoderParseError: Could not deserialize" in stage.last_error
    assert len(stub.requests) == 1
    assert not cache_path.exists()


# --- 3. Retry-After -------------------------------------------------------------------------------

def test_retry_after_in_seconds_is_waited_for(stub, fake_clock, cache_path):
    stub.script("Chrey Thom", Reply(429, {"error": "slow down"}, {"Retry-After": "1"}), OK)
    stage = make_stage(cache_path, stub, max_retries=2, error_wait_seconds=0.05, clock=fake_clock)
    assert len(ask(stage, "Chrey Thom")) == 1
    assert arrival_gaps(stub) == [1.0]  # not the 0.05 s error wait


def test_retry_after_as_an_http_date_is_waited_for_on_503(stub, fake_clock, cache_path):
    # The date is made when the 503 is sent, on the wall clock; whole seconds, so 2 to 3 s from then.
    in_three_seconds = Reply(503, {"error": "busy"}, {"Retry-After": lambda: formatdate(time.time() + 3, usegmt=True)})
    stub.script("Chrey Thom", in_three_seconds, OK)
    stage = make_stage(cache_path, stub, max_retries=2, error_wait_seconds=0.05, clock=fake_clock)
    assert len(ask(stage, "Chrey Thom")) == 1
    [gap] = arrival_gaps(stub)
    assert 1.5 <= gap <= 3.0


def test_a_retry_after_holds_back_the_next_query_too(stub, fake_clock, cache_path):
    stub.script("Chrey Thom", Reply(429, {"error": "slow down"}, {"Retry-After": "1"}))
    stage = make_stage(cache_path, stub, max_retries=0, clock=fake_clock)
    assert ask(stage, "Chrey Thom") == []  # no retry left: a fault
    assert len(ask(stage, "Kandal")) == 1
    assert arrival_gaps(stub) == [1.0]  # the server asked this client to pause, not this query


@pytest.mark.parametrize("retry_after", [
    lambda: "3600",
    lambda: formatdate(time.time() + 3600, usegmt=True),
], ids=["seconds", "http-date"])
def test_a_retry_after_beyond_the_cap_gives_up_the_query_at_once(stub, cache_path, retry_after):
    stub.script("Chrey Thom", Reply(429, {"error": "come back later"}, {"Retry-After": retry_after}), OK)
    stage = make_stage(cache_path, stub, max_retries=2)
    assert ask(stage, "Chrey Thom") == []
    assert len(stub.requests) == 1
    assert stage.last_error.startswith("Chrey Thom: HTTP 429: GeocoderRateLimited")
    assert "Retry-After" in stage.last_error and "more than the 60 s a build waits" in stage.last_error
    assert stage.issues[-1].fault
    assert not cache_path.exists()


# --- 4. one request per min_delay, as the server sees it ------------------------------------------

def test_every_request_is_spaced_as_the_server_sees_it_retries_and_second_requests_included(
        stub, fake_clock, cache_path):
    # A request that reaches the server late (a slow connection) used to be followed at once by the
    # next one, which geopy's RateLimiter had spaced from the first one's *start*: 0.73 s apart at
    # the server for a 1 s limit. Requests now wait from the previous one's end.
    stub.script("Chrey Thom", Late(0.4, 429), 500, OK)  # retries, with an error wait far below the limit
    stub.script("Victoria", Late(0.4))  # nothing in KH, so at once a second request without countrycodes
    stub.script("Kandal", Late(0.4))
    stub.script("Nowhere", Sleep(0.4))  # slow to answer: the next request waits from its end
    stage = make_stage(cache_path, stub, min_delay_seconds=0.3, error_wait_seconds=0.05, max_retries=3,
                       clock=fake_clock)
    assert len(ask(stage, "Chrey Thom")) == 1
    assert ask(stage, "Victoria", "KH") == []
    assert ask(stage, "Nowhere") == []
    assert len(ask(stage, "Kandal")) == 1
    assert len(ask(stage, "Chrey Thom", "TH")) == 1  # from the cache: no request
    assert [r.query for r in stub.requests] == ["Chrey Thom"] * 3 + ["Victoria"] * 2 + ["Nowhere", "Kandal"]
    # Each request starts 0.3 s after the previous one ended. A late request arrives 0.4 s after
    # its start (Victoria's first, Kandal's); Nowhere's answer took 0.4 s: the next start waits for it.
    assert arrival_gaps(stub) == [0.3, 0.3, 0.7, 0.3, 0.3, 0.4 + 0.3 + 0.4]


# --- 5. redirects ---------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "same server"])
def test_a_redirect_is_not_followed(stub, cache_path, monkeypatch, target):
    location = stub.url + "/search?q=Kandal&format=json" if target == "same server" else target
    connections = []
    real_connect = socket.create_connection

    def recording_connect(address, *args, **kwargs):
        connections.append(address)
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", recording_connect)
    stub.script("Chrey Thom", Reply(302, b"", {"Location": location}))
    stage = make_stage(cache_path, stub, max_retries=2)
    assert ask(stage, "Chrey Thom") == []
    assert connections == [("127.0.0.1", stub.port)]  # nothing was asked of the address it named
    assert len(stub.requests) == 1  # not followed, not retried
    assert stage.last_error.startswith(f"Chrey Thom: HTTP 302: GeocoderServiceError: redirect to {location[:150]}")
    assert "not followed" in stage.last_error
    assert not cache_path.exists()


# --- 6. implausible answers -----------------------------------------------------------------------

def answer(**changes) -> dict:
    result = json.loads(json.dumps(CHREY_THOM))
    address = changes.pop("address", None)
    result.update(changes)
    if address:
        result["address"].update(address)
    return result


@pytest.mark.parametrize("bad, reason", [
    (answer(lat="0", lon="0"), "implausible answer: coordinates 0, 0 (Null Island"),
    (answer(lon="200.5"), "implausible answer: malformed: coordinates 10.9670421, 200.5 are out of range"),
    (answer(lat="nan"), "ValueError: Point coordinates must be finite"),
    (answer(lon="1e999"), "ValueError: Point coordinates must be finite"),
    (answer(display_name="Chrey Thom, " * 500), "implausible answer: display_name is 5,999 characters long"),
    (answer(display_name="x" * 200_000), "implausible answer: display_name is 200,000 characters long"),
    (answer(type="y" * 1_001), "implausible answer: osm_type is 1,001 characters long"),
    (answer(addresstype="z" * 5_000), "implausible answer: notes is 5,0"),
    (answer(address={"country_code": "ca"}),
     "implausible answer: in CA, outside the countries the request was limited to (kh)"),
], ids=["null-island", "longitude-200", "nan", "infinite", "long-display-name", "huge-display-name",
        "long-type", "long-addresstype", "outside-the-countries-asked"])
def test_an_implausible_answer_is_a_fault_and_never_cached(stub, cache_path, bad, reason):
    stub.script("Chrey Thom", Reply(body=[bad]))  # the stub's countrycodes filter is bypassed
    stage = make_stage(cache_path, stub)
    assert ask(stage, "Chrey Thom", "KH") == []
    assert reason in stage.last_error
    assert stage.issues[-1].fault
    assert len(stub.requests) == 1
    assert not cache_path.exists()  # so the next build asks again


def test_the_plausible_answer_among_implausible_ones_is_kept(stub, cache_path):
    stub.script("Chrey Thom", Reply(body=[answer(lat="0", lon="0"), answer(address={"country_code": "th"}),
                                          CHREY_THOM]))
    stage = make_stage(cache_path, stub)
    [candidate] = ask(stage, "Chrey Thom", "KH")
    assert (candidate.place.lat, candidate.place.country) == (pytest.approx(10.967, abs=0.001), "KH")
    assert GeocoderCache.load(cache_path).lookup("Chrey Thom", "nominatim").lat == "10.9670421"


def test_a_name_too_long_to_be_a_place_is_not_asked(stub, cache_path):
    stage = make_stage(cache_path, stub)
    assert ask(stage, "Poipet " * 200) == []
    assert "not asked: the name is 1,399 characters long" in stage.last_error
    assert stub.requests == [] and not cache_path.exists()


# --- 7. a cache row no csv reader can read --------------------------------------------------------

KANDAL_ROW = ("Kandal,nominatim,unreviewed,11.2237,105.1259,\"Kandal Province, Cambodia\",boundary,administrative,KH,"
              "2024-05-01,,")


def over_long_row(name: str) -> str:
    return f"{name},nominatim,unreviewed,10.9670421,105.0921334,{'x' * 150_000},barrier,border_control,KH,2024-05-01,,"


def test_a_cached_row_with_an_over_long_field_is_ignored_with_a_warning(stub, cache_path, caplog):
    cache_path.parent.mkdir(parents=True)
    cache_path.write_text(HEADER + over_long_row("Chrey Thom") + "\n" + KANDAL_ROW + "\n", encoding="utf-8")

    [problem] = validate_cache(cache_path)
    assert str(problem) == (f"{cache_path}:2: column display_name: warning: 150,000 characters; the row is "
                            f"ignored (an online build asks again and writes the file without it) (at most 131,072)")
    assert not problem.is_error
    with caplog.at_level(logging.WARNING, logger="geomap"):
        cache = GeocoderCache.load(cache_path)
    assert list(cache.rows) == [("Kandal", "nominatim")]
    assert cache.warnings == [str(problem)] and caplog.messages == [str(problem)]
    assert csv.field_size_limit() == CSV_FIELD_LIMIT  # the process-wide setting is put back

    offline = make_stage(cache_path)
    assert ask(offline, "Chrey Thom", "KH") == [] and len(ask(offline, "Kandal", "KH")) == 1

    online = make_stage(cache_path, stub)  # asks again, and the rewritten file is readable again
    assert len(ask(online, "Chrey Thom", "KH")) == 1
    with open(cache_path, newline="", encoding="utf-8") as handle:
        assert [row[0] for row in csv.reader(handle)] == ["query", "Chrey Thom", "Kandal"]
    assert validate_cache(cache_path) == []


TEXT = ("---\ntitle: Workers moved across the border\npublished: 2024-06-03\n---\n"
        "Police in Cambodia raided a compound and detained workers at the Prek Chak border crossing on June 1.\n")
PREK_CHAK = nominatim_result(
    name="Prek Chak International Border Checkpoint", lat=10.4607, lon=104.4836, osm_class="barrier",
    osm_type="border_control", addresstype="barrier", country_code="kh",
    display_name="Prek Chak International Border Checkpoint, National Road 33, Kampot Province, Cambodia")


def build(seeds, gazetteer, out, *extra):
    return CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(gazetteer), "--out",
                                     str(out), "-q", *extra])


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    return folder


def test_an_offline_build_and_check_go_on_past_an_over_long_cached_field(tmp_path, gazetteer_copy, seeds):
    (gazetteer_copy / "geocoded.csv").write_text(HEADER + over_long_row("Prek Chak") + "\n", encoding="utf-8")
    result = build(seeds, gazetteer_copy, tmp_path / "out")
    assert result.exit_code == 0, result.output
    mentions = pd.read_csv(tmp_path / "out" / "mentions.csv")
    assert mentions[mentions["surface"] == "Prek Chak"]["resolved_by"].tolist() == ["unresolved"]

    check = CliRunner().invoke(main, ["check", "--gazetteer", str(gazetteer_copy)])
    assert check.exit_code == 0, check.output  # a warning, not an error
    assert f"{gazetteer_copy / 'geocoded.csv'}:2: column display_name: warning: 150,000 characters" in check.output


# --- 8. a gazetteer folder that cannot be written -------------------------------------------------

def test_a_cache_that_cannot_be_written_warns_once_and_the_run_goes_on(stub, tmp_path, caplog):
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    cache_path = tmp_path / "file" / "gazetteer" / "geocoded.csv"  # mkdir fails: Not a directory
    stage = make_stage(cache_path, stub)
    with caplog.at_level(logging.WARNING, logger="geomap"):
        assert len(ask(stage, "Chrey Thom", "KH")) == 1
        assert len(ask(stage, "Kandal", "KH")) == 1
        assert len(ask(stage, "Chrey Thom", "KH")) == 1  # this run remembers it: not asked twice
    expected = (f"cannot write {cache_path}: Not a directory; answers not cached "
                f"(this run uses them, the next online build asks again)")
    assert stage.warnings == [expected] and caplog.messages == [expected]
    assert [r.query for r in stub.requests] == ["Chrey Thom", "Kandal"]


def test_an_online_build_with_a_read_only_gazetteer_folder_warns_and_finishes(tmp_path, gazetteer_copy, seeds,
                                                                               monkeypatch, caplog):
    # Root ignores chmod here, so the file system's answer is simulated where the cache meets it.
    real_open = os.open
    folder = str(gazetteer_copy)

    def read_only_open(path, flags, *args, **kwargs):
        writes = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        if writes and os.path.abspath(os.fspath(path)).startswith(folder + os.sep):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only_open)
    with running_stub({"Prek Chak": [PREK_CHAK]}) as stub, caplog.at_level(logging.WARNING, logger="geomap"):
        result = build(seeds, gazetteer_copy, tmp_path / "out", "--online", "--geocoder-url", stub.url)
    assert result.exit_code == 0, result.output
    assert caplog.messages == [f"cannot write {gazetteer_copy / 'geocoded.csv'}: Read-only file system; answers not "
                               f"cached (this run uses them, the next online build asks again)"]
    assert result.output.count(f"geocoder: warning: {caplog.messages[0]}") == 1  # told once, on stderr
    mentions = pd.read_csv(tmp_path / "out" / "mentions.csv")
    assert mentions[mentions["surface"] == "Prek Chak"]["resolved_by"].tolist() == ["geocoder"]
    assert not (gazetteer_copy / "geocoded.csv").exists()


# --- 9. control characters in answer strings ------------------------------------------------------

def test_control_characters_are_stripped_from_answers_before_caching(stub, cache_path):
    hostile = answer(display_name="Chrey\u0000 Thom\u001b[31m Checkpoint\u0085\nខេត្តកណ្ដាល,\tCambodia\ud800",
                     addresstype="barrier\u0007")
    hostile["class"] = "bar\u001brier"
    body = json.dumps([hostile], ensure_ascii=True).encode("ascii")  # a lone surrogate travels as \ud800
    stub.script("Chrey Thom", Reply(body=body))
    stage = make_stage(cache_path, stub)
    [candidate] = ask(stage, "Chrey Thom", "KH")
    row = GeocoderCache.load(cache_path).lookup("Chrey Thom", "nominatim")
    assert row.display_name == "Chrey Thom[31m Checkpoint ខេត្តកណ្ដាល, Cambodia"  # the rest as typed
    assert (row.osm_class, row.note_field("addresstype")) == ("barrier", "barrier")
    assert candidate.place.kind == "border_crossing"
    assert validate_cache(cache_path) == []
    cache_path.read_bytes().decode("utf-8")  # no surrogate made it into the file
