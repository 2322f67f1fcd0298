"""geomap against the published geoparsers on the GeoWebNews sample (issue 15).

    python bench/geoparse.py                      # the default settings
    python bench/geoparse.py --ner                # also with the optional recogniser, where installed

Builds the 100 GeoWebNews articles of ``../shared/external/geowebnews/docs`` with each setting, scores
each build's ``mentions.csv`` with the benchmark's own scorer (``score_geowebnews.py``, the EUPEG
protocol), times it, and counts the largest classes of errors. Writes ``bench/results/geowebnews.json``
and prints a table beside the published rows of the other systems, recomputed on the same sample
(``../shared/external/ANCHORS.md``, table 1b).

The benchmark is a test set: this script reads its gold only to score and to count errors by class.
No rule, gazetteer row or setting of geomap may come from what it shows.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from scale import _commit  # bench/ is on the path when this runs as a script

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = ROOT.parent / "shared" / "external"

#: Published scores of other systems, recomputed on this 100-article sample from their authors'
#: outputs (ANCHORS.md, table 1b: Wang & Hu, GeoAI 2019, EUPEG outputs): P, R, F1, Acc@161, AUC.
PUBLISHED = {
    "StanfordNER + population": (0.874, 0.618, 0.724, 0.738, 0.234),
    "CamCoder": (0.882, 0.548, 0.676, 0.851, 0.145),
    "TopoCluster": (0.816, 0.553, 0.659, 0.691, 0.349),
    "DBpedia Spotlight": (0.846, 0.529, 0.651, 0.539, 0.410),
    "Edinburgh Geoparser": (0.809, 0.534, 0.644, 0.900, 0.088),
    "GeoTxt": (0.753, 0.455, 0.567, 0.909, 0.086),
    "CLAVIN": (0.904, 0.395, 0.550, 0.951, 0.055),
}
#: The issue's targets: (F1 at least, Acc@161 at least, AUC at most).
TARGETS = {"default": (0.75, 0.90, 0.10), "ner": (0.80, 0.95, None)}


def build(docs: Path, out: Path, extra: list[str]) -> dict:
    """One cold build (no stored results) in a subprocess, timed."""
    command = [sys.executable, "-m", "geomap", "build", "--seeds", str(docs), "--out", str(out), "--no-cache",
               "-q", *extra]
    start = time.perf_counter()
    process = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"build failed: {' '.join(command)}\n{process.stderr}")
    documents = len(list(docs.glob("*.txt")))
    return {"wall_s": round(wall, 2), "documents": documents, "docs_per_s": round(documents / wall, 1)}


def score(scorer: Path, mentions: Path, gold: Path) -> dict:
    process = subprocess.run([sys.executable, str(scorer), str(mentions), str(gold)], capture_output=True,
                             text=True, check=True)
    return json.loads(process.stdout.strip().splitlines()[-1])


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def error_classes(mentions: Path, gold_path: Path) -> dict:
    """Counts of the misses, the false places and the far placements, by class, matched as the scorer
    matches (span midpoints under 10 characters apart, the same string ignoring case)."""
    rows = list(csv.DictReader(mentions.open(encoding="utf-8")))
    found: dict[str, list[dict]] = {}
    for row in rows:
        if row.get("lat") not in ("", None):
            found.setdefault(os.path.basename(row["doc"]), []).append(row)
    missed, false, far = Counter(), Counter(), Counter()
    for article in json.loads(gold_path.read_text(encoding="utf-8")):
        doc, places = article["doc"], [p for p in article["places"] if p.get("geonameid") is not None]
        candidates = list(found.get(doc, []))
        surfaces_found = {r["surface"].casefold() for r in candidates}
        for place in places:
            middle = (place["start"] + place["end"]) / 2
            hit = next((r for r in candidates if abs((int(r["start"]) + int(r["end"])) / 2 - middle) < 10
                        and r["surface"].casefold() == place["surface"].casefold()), None)
            if hit is None:
                if place["modifier"] == "Adjective":
                    kind = "an adjective or demonym (French, Syrian)"
                elif place["surface"].casefold() in surfaces_found:
                    kind = "the name is found elsewhere in the document, not here"
                elif place["surface"].isupper():
                    kind = "written in capitals"
                elif " " in place["surface"].strip():
                    kind = "a name of several words"
                else:
                    kind = "a one-word name"
                missed[kind] += 1
                continue
            candidates.remove(hit)
            error = _km(float(hit["lat"]), float(hit["lon"]), place["lat"], place["lon"])
            if error >= 161:
                far[f"{hit['kind']} (by {hit['resolved_by']})"] += 1
        for row in candidates:
            false[f"{row['kind']} (by {row['resolved_by']}, {row.get('mention') or 'name'})"] += 1
    return {"missed": dict(missed.most_common()), "false_places": dict(false.most_common(12)),
            "placed_161_km_or_more_away": dict(far.most_common(12))}


def table(results: dict) -> str:
    lines = ["| system | P | R | F1 | Acc@161 | AUC |", "|---|---|---|---|---|---|"]
    for name, figures in results["configurations"].items():
        s = figures["score"]
        lines.append(f"| **geomap, {name}** ({figures['docs_per_s']} docs/s) | {s['P']:.3f} | {s['R']:.3f} | "
                     f"{s['F1']:.3f} | {s['acc161']:.3f} | {s['AUC']:.3f} |")
    for name, (p, r, f1, acc, auc) in PUBLISHED.items():
        lines.append(f"| {name} | {p:.3f} | {r:.3f} | {f1:.3f} | {acc:.3f} | {auc:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=EXTERNAL / "geowebnews" / "docs")
    parser.add_argument("--gold", type=Path, default=EXTERNAL / "geowebnews" / "gold.json")
    parser.add_argument("--scorer", type=Path, default=EXTERNAL / "score_geowebnews.py")
    parser.add_argument("--ner", action="store_true", help="also build with the optional recogniser (geomap[ner])")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "geowebnews.json")
    args = parser.parse_args(argv)
    for path in (args.docs, args.gold, args.scorer):
        if not path.exists():
            raise SystemExit(f"not found: {path} (the benchmark is in shared/external beside the repository)")
    configurations = {"default": []}
    if args.ner:
        configurations["ner"] = ["--ner"]
    work = Path(tempfile.mkdtemp(prefix="geomap-geoparse-"))
    results = {"benchmark": "GeoWebNews, 100-article sample, EUPEG protocol (score_geowebnews.py)",
               "python": platform.python_version(), "cpu_count": os.cpu_count(), "commit": _commit(),
               "configurations": {}, "targets": TARGETS,
               "published": {name: dict(zip(("P", "R", "F1", "acc161", "AUC"), row)) for name, row in PUBLISHED.items()}}
    try:
        for name, extra in configurations.items():
            out = work / name
            timing = build(args.docs, out, extra)
            figures = {**timing, "score": score(args.scorer, out / "mentions.csv", args.gold),
                       "errors": error_classes(out / "mentions.csv", args.gold)}
            results["configurations"][name] = figures
            print(f"{name}: {figures['score']} at {timing['docs_per_s']} docs/s", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))


if __name__ == "__main__":
    main()
