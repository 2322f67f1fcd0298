from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from geomap.build import build
from geomap.settings import Settings

REPO = Path(__file__).resolve().parent.parent

# No test reuses per-document results stored by an earlier build (a test that patches the code would
# be answered from them); the tests of that store give it a folder of their own.
os.environ["GEOMAP_DOCUMENT_CACHE"] = "off"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    """One build of the bundled seeds with the bundled gazetteer, shared by the tests that read it."""
    out = tmp_path_factory.mktemp("seeds-build") / "maps"
    result = build(Settings(seeds_dir=REPO / "seeds", gazetteer_dir=REPO / "gazetteer", out_dir=out))
    return result


@pytest.fixture(scope="module")
def served(seeds_build):
    """The seeds' build served over HTTP on 127.0.0.1 (for the browser tests)."""
    from browsing import serve

    with serve(seeds_build.out_dir) as url:
        yield url, seeds_build.out_dir


@pytest.fixture(scope="session")
def parts(repo):
    """The finder and the resolver over the bundled gazetteer and the GeoNames index."""
    from geomap.build import make_resolver, open_geonames
    from geomap.gazetteer import load_gazetteer
    from geomap.mentions import MentionFinder

    gazetteer = load_gazetteer(repo / "gazetteer")
    geonames = open_geonames(Settings(gazetteer_dir=repo / "gazetteer"))
    return MentionFinder(gazetteer, geonames), make_resolver(gazetteer, geonames)


@pytest.fixture
def gazetteer_copy(tmp_path) -> Path:
    """A writable copy of the bundled gazetteer folder, for tests that edit it."""
    target = tmp_path / "gazetteer"
    shutil.copytree(REPO / "gazetteer", target)
    return target


def read_map_data(out: Path) -> dict:
    """A build's map data: map-data.js and map-data-later.js, each of which must be one assignment
    of a JSON value (no string in it can close its literal and run as code), merged by key."""
    import json

    data = {}
    for name, variable in (("map-data.js", "GEOMAP_DATA"), ("map-data-later.js", "GEOMAP_DATA_LATER")):
        text = (out / name).read_text(encoding="utf-8")
        prefix = f"window.{variable} = "
        assert text.startswith(prefix) and text.endswith(";\n")
        part = json.loads(text[len(prefix):-2])
        assert not set(part) & set(data)
        data.update(part)
    return data


def map_data_strings(out: Path) -> list[str]:
    """Every string in a build's map-data.js, as the browser reads it (the JSON decoded)."""
    found = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, (list, dict)):
            for item in (value.values() if isinstance(value, dict) else value):
                walk(item)
    walk(read_map_data(out))
    return found


def map_text(out: Path) -> str:
    """What the map shows: index.html and the strings of its data file."""
    return (out / "index.html").read_text(encoding="utf-8") + "\n" + "\n".join(map_data_strings(out))


def write_doc(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory):
    """The hostile corpus (tests/hostile_corpus.py) built once through the CLI, from a folder of its own
    so that a payload that ran a command would leave its marker file there."""
    import os

    from click.testing import CliRunner

    import hostile_corpus
    from geomap.cli import main

    root = tmp_path_factory.mktemp("hostile")
    seeds = hostile_corpus.write_seeds(root / "seeds")
    gazetteer = root / "gazetteer"
    shutil.copytree(REPO / "gazetteer", gazetteer)
    hostile_corpus.poison_gazetteer(gazetteer)
    before = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(gazetteer),
                                           "--out", str(root / "maps"), "-q"])
    finally:
        os.chdir(before)
    return {"root": root, "out": root / "maps", "seeds": seeds, "gazetteer": gazetteer, "result": result}


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Playwright cannot download browsers here)."""
    from browsing import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def stub():
    """The local Nominatim stub on 127.0.0.1, answering the names of tests/geocoding.py."""
    from geocoding import ANSWERS
    from nominatim_stub import running_stub

    with running_stub(ANSWERS) as server:
        yield server


@pytest.fixture
def fake_clock(stub):
    """A clock shared by the stub and the stage under test: waits are exact and instant."""
    from geocoding import FakeClock

    stub.clock = FakeClock()
    return stub.clock


@pytest.fixture
def cache_path(tmp_path) -> Path:
    """Where a test's geocoder cache lives (not created)."""
    return tmp_path / "gazetteer" / "geocoded.csv"
