"""Local copies of the JS/CSS that folium and its plugins would load from CDNs.

``assets/manifest.json`` maps each CDN address folium uses to a file vendored from the npm
registry (``assets/package.json`` pins the versions, ``assets/update.sh`` refreshes them,
``assets/ASSETS.md`` lists the licences). Rendering rewrites every element's JS/CSS links to
those files, so the page needs no network but for map tiles.
"""

from __future__ import annotations

import itertools
import json
import shutil
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from branca.element import Element

from ..errors import RenderError

ASSETS_DIR = Path(__file__).parent / "assets"
OUTPUT_FOLDER = "assets"  # inside the output folder, next to index.html


@lru_cache(maxsize=1)
def cdn_manifest() -> dict[str, str]:
    return json.loads((ASSETS_DIR / "manifest.json").read_text(encoding="utf-8"))


def walk(element: Element):
    yield element
    for child in element._children.values():
        yield from walk(child)


def localise_links(root: Element) -> None:
    """Point every element's ``default_js``/``default_css`` at the vendored copies."""
    manifest = cdn_manifest()
    for element in walk(root):
        for attribute in ("default_js", "default_css"):
            links = getattr(element, attribute, None)
            if not links:
                continue
            local = []
            for name, url in links:
                if url.startswith(f"{OUTPUT_FOLDER}/"):
                    local.append((name, url))
                elif url in manifest:
                    local.append((name, f"{OUTPUT_FOLDER}/{manifest[url]}"))
                else:
                    raise RenderError(f"{type(element).__name__} needs {url}, which has no local copy in "
                                      f"{ASSETS_DIR / 'manifest.json'}; vendor it with update.sh")
            setattr(element, attribute, local)


STATIC_DIR = Path(__file__).parent / "static"


def copy_assets(out_dir: Path) -> None:
    target = out_dir / OUTPUT_FOLDER
    shutil.copytree(ASSETS_DIR / "vendor", target / "vendor")
    shutil.copytree(STATIC_DIR, target / "geomap")
    for name in ("ASSETS.md", "package.json"):
        if (ASSETS_DIR / name).exists():
            shutil.copy2(ASSETS_DIR / name, target / name)
    if (ASSETS_DIR / "licenses").is_dir():
        shutil.copytree(ASSETS_DIR / "licenses", target / "licenses")


@contextmanager
def deterministic_ids():
    """Number folium's elements in creation order instead of by random UUIDs, so building twice
    from the same inputs writes the same bytes. branca draws every id from the one class method
    ``Element._generate_id``; it is swapped for a counter here and put back afterwards."""
    counter = itertools.count(1)
    random_ids = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{next(counter):06x}")
    try:
        yield
    finally:
        Element._generate_id = random_ids
