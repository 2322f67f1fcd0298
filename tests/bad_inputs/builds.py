"""Corpora, builds in a subprocess or through the CLI runner, and digests of output folders: shared by
the tests of the output folder and the kill loop."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from click.testing import CliRunner

from geomap.cli import main

from conftest import REPO, write_doc

ARTICLE = ("---\ntitle: Raid {n}\npublished: 2024-{month:02d}-1{day}\n---\n"
           "Police raided a compound in {place} on Monday and arrested {people} people.\n"
           "Officials said {rescued} workers were rescued.\n")
PLACES = ("Poipet", "Sihanoukville", "Bavet", "Phnom Penh", "O'Smach", "Myawaddy", "Kampot")


def write_corpus(folder: Path, count: int, variant: str) -> Path:
    for n in range(count):
        text = ARTICLE.format(n=f"{variant}{n}", month=1 + n % 12, day=n % 9, place=PLACES[n % len(PLACES)],
                              people=n + 3, rescued=n % 50)
        write_doc(folder, f"doc{n:03d}.txt", text)
    return folder


def tree_digest(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: files by content, symlinks by target."""
    digest = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            digest[key] = "link:" + os.readlink(path)
        elif path.is_file():
            digest[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name and p.name != f".{out.name}.lock")


def cli_build(seeds: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(REPO / "gazetteer"),
                                     "--out", str(out), "-q", *extra])


def build_command(seeds: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "geomap", "build", "--seeds", str(seeds), "--gazetteer",
            str(REPO / "gazetteer"), "--out", str(out), "-q"]
