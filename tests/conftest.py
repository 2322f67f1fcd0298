from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geomap.build import build
from geomap.settings import Settings

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    """One build of the bundled seeds with the bundled gazetteer, shared by the tests that read it."""
    out = tmp_path_factory.mktemp("seeds-build") / "maps"
    result = build(Settings(seeds_dir=REPO / "seeds", gazetteer_dir=REPO / "gazetteer", out_dir=out))
    return result


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


def write_doc(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
