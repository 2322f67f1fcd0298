#!/usr/bin/env python3
"""How a whole build scales with the number of documents, and how far it is from its limits.

    pip install -e '.[bench]'
    python bench/scale.py                       # N = 100, 1000, 10000 (sizes that do not fit --budget are skipped)
    python bench/scale.py --sizes 100 300       # any sizes
    python bench/scale.py --map-events 1000 10000 --jobs 2 --budget 3600 --out bench/results/scale.json

A benchmark, not a test: it checks nothing and never runs in the suite. Everything is measured in
one run on one machine, so the ratios between its rows mean something even where the seconds do not.

For each N, on the synthetic corpus of ``bench/corpus.py`` (its first N documents):

- **builds**: ``geomap build`` as a user runs it, in a subprocess, with ``--timings``: wall and CPU
  seconds (the process and its workers), peak memory (the main process, VmHWM), and per stage (read,
  index, find, resolve, events, merge, atlas, mention exports, event exports, map, events page,
  timeline); documents/s, MB/s; the outputs' sizes. *Cold* is the first build on a machine (an
  empty cache folder: the GeoNames index is built first); *warm* is every later one (``--no-cache``:
  each document read again); ``--jobs 1`` against ``--jobs J``.
- **incremental**: a build that fills the per-document store, then one more document, then one
  gazetteer row moved (Poipet's coordinates): each rebuild against the cold build.
- **baselines** on the same documents, in this process: *the limit* (read the files and run one
  pyahocorasick automaton over every name geomap knows: the gazetteer's and the GeoNames index's);
  the peer *geotext* (PyPI, offline: its own city and country names); and *the naive way* (one
  regular expression per gazetteer name, on at most 50 documents, scaled per document).
- the fitted exponent of wall time against N (log-log least squares over the sizes run).

``--map-events`` opens, for each count, the map of the smallest corpus whose build has at least that
many events, in headless Chromium (Playwright, Debian's /usr/bin/chromium): time to the load event,
to the first marker drawn, to a date-filter change; DOM nodes; JS heap; and the events page's load
time. Results go to --out (JSON) and a plot of time against N beside it (PNG).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import subprocess
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import write_corpus  # noqa: E402

DEFAULT_SIZES = (100, 1000, 10000)
DEFAULT_OUT = ROOT / "bench" / "results" / "scale.json"
STAGES = ("read", "index", "find", "resolve", "events", "merge", "atlas", "mention exports", "event exports", "map",
          "events page", "timeline")


def corpus(work: Path, size: int, seed: int) -> Path:
    """The first ``size`` documents of the corpus, as a folder of their own (hard links: free)."""
    full = work / f"corpus-{seed}"
    have = len(list(full.glob("s*.txt"))) if full.exists() else 0
    if have < size:
        write_corpus(full, size, seed)
    folder = work / f"corpus-{seed}-{size}"
    if not folder.exists():
        folder.mkdir()
        names = sorted(full.glob("s*.txt"))[:size]
        for path in names:
            os.link(path, folder / path.name)
        lines = (full / "manifest.csv").read_text(encoding="utf-8").splitlines()
        (folder / "manifest.csv").write_text("\n".join(lines[:size + 1]) + "\n", encoding="utf-8")
    return folder


def run_build(seeds: Path, out: Path, cache_dir: Path, jobs: int, reuse: bool, gazetteer: Path) -> dict:
    """One ``geomap build`` in a subprocess: its wall, CPU and peak memory (with its workers)."""
    timings = out.parent / f"{out.name}-timings.json"
    command = [sys.executable, "-m", "geomap", "build", "--seeds", str(seeds), "--out", str(out),
               "--gazetteer", str(gazetteer), "--cache", str(cache_dir), "--jobs", str(jobs), "-q",
               "--timings", str(timings)]
    if not reuse:
        command.append("--no-cache")
    env = {k: v for k, v in os.environ.items() if k not in ("GEOMAP_DOCUMENT_CACHE", "GEOMAP_CACHE_DIR")}
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stdout, stderr = process.stdout.read().decode(), process.stderr.read().decode()
    process.stdout.close()
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed: {' '.join(command)}\n{stderr}")
    report = json.loads(timings.read_text(encoding="utf-8"))
    events = re.search(r"(\d+) events \((\d+) on the map\)", stdout)
    sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()}
    return {"wall_s": round(wall, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
            # the build's own peak (VmHWM, see geomap/timings.py): wait4's maxrss starts at this
            # driver's size, which writing the corpus makes several hundred MB
            "peak_mb": max(stage["peak_mb"] for stage in report["stages"].values()), "jobs": jobs,
            "reused": report["reused"],
            "events": int(events.group(1)), "events_on_map": int(events.group(2)),
            "stages": report["stages"], "output_bytes": sizes, "output_total_mb": round(sum(sizes.values()) / 2**20, 2)}


def names_geomap_knows(cache_dir: Path, gazetteer_names) -> list[str]:
    import sqlite3

    index = next(cache_dir.glob("geonames-*.sqlite"))
    with sqlite3.connect(index) as db:
        names = [row[0] for row in db.execute("SELECT DISTINCT key FROM names")]
    return sorted(set(names) | set(gazetteer_names))


def baselines(seeds: Path, cache_dir: Path) -> dict:
    import ahocorasick

    from geomap.gazetteer.table import load_gazetteer

    files = sorted(seeds.glob("s*.txt"))
    gazetteer_names = sorted(load_gazetteer(ROOT / "gazetteer").names)
    names = names_geomap_knows(cache_dir, gazetteer_names)
    cpu = time.process_time()
    automaton = ahocorasick.Automaton()
    for name in names:
        automaton.add_word(name, len(name))
    automaton.make_automaton()
    build_s = time.process_time() - cpu
    cpu, found = time.process_time(), 0
    for path in files:
        found += sum(1 for _ in automaton.iter(path.read_text(encoding="utf-8")))
    limit_s = time.process_time() - cpu
    result = {"names": len(names), "limit": {"cpu_s": round(limit_s, 3), "automaton_build_s": round(build_s, 3),
                                            "matches": found, "docs_per_s": round(len(files) / limit_s, 1)}}
    try:
        from geotext import GeoText
    except ImportError:
        result["geotext"] = None
    else:
        GeoText("warm up")  # loads its data once
        cpu, found = time.process_time(), 0
        for path in files:
            match = GeoText(path.read_text(encoding="utf-8"))
            found += len(match.cities) + len(match.countries)
        seconds = time.process_time() - cpu
        result["geotext"] = {"cpu_s": round(seconds, 3), "matches": found, "docs_per_s": round(len(files) / seconds, 1)}
    patterns = [re.compile(rf"\b{re.escape(n)}\b") for n in gazetteer_names]
    sample = files[:50]
    cpu, found = time.process_time(), 0
    for path in sample:
        text = path.read_text(encoding="utf-8")
        found += sum(len(p.findall(text)) for p in patterns)
    seconds = time.process_time() - cpu
    result["naive"] = {"names": len(patterns), "documents": len(sample), "cpu_s_per_doc": round(seconds / len(sample), 5),
                       "docs_per_s": round(len(sample) / seconds, 1),
                       "note": "one re per gazetteer name only; over the GeoNames names too it would be "
                               f"~{len(names) // max(1, len(patterns))}x slower"}
    return result


def incremental(seeds: Path, work: Path, cache_dir: Path, jobs: int, gazetteer: Path) -> dict:
    """A build that fills the store, then one added document, then one gazetteer row moved."""
    folder = work / f"incremental-{seeds.name}"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(seeds, folder / "seeds", copy_function=os.link)
    editable = folder / "gazetteer"
    shutil.copytree(gazetteer, editable)
    store = folder / "cache"
    store.mkdir()
    for index in cache_dir.glob("geonames-*.sqlite"):
        os.link(index, store / index.name)
    cold = run_build(folder / "seeds", folder / "cold", store, jobs, True, editable)
    extra = sorted((folder / "seeds").glob("s*.txt"))[0].read_text(encoding="utf-8")
    (folder / "seeds" / "zz-added.txt").write_text(extra.replace("(geomap synthetic)", "(added)"), encoding="utf-8")
    added = run_build(folder / "seeds", folder / "added", store, jobs, True, editable)
    places = editable / "places.csv"
    places.write_text(places.read_text(encoding="utf-8").replace("13.65805,102.56365", "13.66005,102.56365"),
                      encoding="utf-8")
    moved = run_build(folder / "seeds", folder / "moved", store, jobs, True, editable)
    return {"cold": cold, "one_document_added": added, "one_row_moved": moved,
            "added_over_cold": round(added["wall_s"] / cold["wall_s"], 3),
            "moved_over_cold": round(moved["wall_s"] / cold["wall_s"], 3)}


def exponent(points: list[tuple[int, float]]) -> float | None:
    points = [(n, t) for n, t in points if n > 0 and t > 0]
    if len(points) < 2:
        return None
    xs, ys = [math.log(n) for n, _ in points], [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs), 3)


def measure_map(out: Path) -> dict:
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--enable-precise-memory-info"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        # opened three times, each in a new tab: the first opening after the browser starts pays for
        # its cold caches (once 6.5 s against 2.5 s for the next), so it is reported apart
        loads, draws = [], []
        for _ in range(3):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            start = time.perf_counter()
            page.goto((out / "index.html").as_uri(), wait_until="load", timeout=600_000)
            loads.append(time.perf_counter() - start)
            page.wait_for_function("() => window.geomap !== undefined", timeout=600_000)
            page.wait_for_selector(".leaflet-marker-icon", state="attached", timeout=600_000)
            draws.append(time.perf_counter() - start)
            if len(loads) < 3:
                page.close()
        loaded, drawn = statistics.median(loads), statistics.median(draws)
        nodes = page.evaluate("document.getElementsByTagName('*').length")
        heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : null")
        # a date-filter change as the controls make it (geomap.setRange), until the next frame is drawn:
        # one month at each of five places of the histogram, each followed by "All dates"; medians and
        # the slowest, since one change alone varies by a third from run to run
        months = page.evaluate("window.geomap.config.histogram.map(b => b.month)")
        change = """(range) => new Promise(resolve => {
          const start = performance.now();
          window.geomap.setRange(range, range);
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
        })"""
        filter_ms, all_ms = [], []
        page.wait_for_timeout(500)  # the first view's tiles and outlines settle
        for month in [months[len(months) * k // 6] for k in range(1, 6)] if months else []:
            filter_ms.append(page.evaluate(change, month))
            all_ms.append(page.evaluate(change, ""))
        start = time.perf_counter()
        page.goto((out / "events.html").as_uri(), wait_until="load", timeout=600_000)
        events_page = time.perf_counter() - start
        browser.close()
    return {"load_s": round(loaded, 3), "markers_drawn_s": round(drawn, 3),
            "first_load_s": round(loads[0], 3), "first_markers_drawn_s": round(draws[0], 3),
            "date_filter_change_ms": round(statistics.median(filter_ms), 1) if filter_ms else None,
            "date_filter_change_ms_max": round(max(filter_ms), 1) if filter_ms else None,
            "all_dates_ms": round(statistics.median(all_ms), 1) if all_ms else None,
            "all_dates_ms_max": round(max(all_ms), 1) if all_ms else None,
            "dom_nodes": nodes, "js_heap_mb": round(heap / 2**20, 1) if heap else None,
            "events_page_load_s": round(events_page, 3)}


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = [r for r in results["runs"] if "warm" in r]
    if not runs:
        return
    figure, axis = plt.subplots(figsize=(7, 4.5), dpi=110)
    sizes = [r["documents"] for r in runs]
    axis.loglog(sizes, [r["warm"]["wall_s"] for r in runs], "o-", label=f"geomap build, --jobs {results['jobs']}")
    axis.loglog(sizes, [r["warm_one_job"]["wall_s"] for r in runs], "o--", label="geomap build, --jobs 1")
    if all(r["baselines"].get("geotext") for r in runs):
        axis.loglog(sizes, [r["documents"] / r["baselines"]["geotext"]["docs_per_s"] for r in runs], "s:",
                    label="geotext (matching only)")
    axis.loglog(sizes, [r["baselines"]["limit"]["cpu_s"] for r in runs], "^:", label="limit: read + one Aho-Corasick pass")
    axis.loglog(sizes, [n / 300 for n in sizes], color="grey", linewidth=0.8, label="target: 300 documents/s")
    axis.set_xlabel("documents")
    axis.set_ylabel("seconds")
    axis.set_title("geomap build: time against corpus size (warm)")
    axis.grid(True, which="both", linewidth=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="for the parallel builds [cores]")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--map-events", type=int, nargs="*", default=[1000, 10000],
                        help="measure the map in Chromium at these event counts [1000 10000]")
    parser.add_argument("--budget", type=float, default=3600,
                        help="seconds for the whole run: a size whose predicted builds do not fit is skipped")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "geomap-bench",
                        help="folder for the corpora and the builds")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--map-only", action="store_true",
                        help="measure only the maps, of the builds an earlier run left in --work and listed in --out")
    args = parser.parse_args(argv)
    if args.map_only:
        results = json.loads(args.out.read_text(encoding="utf-8"))
        _measure_maps(results, args)
        _write(results, args.out)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    gazetteer = ROOT / "gazetteer"
    results = {"benchmark": "geomap build end to end, synthetic corpus (bench/corpus.py)", "seed": args.seed,
               "jobs": args.jobs, "cpu_count": os.cpu_count(), "python": platform.python_version(),
               "platform": platform.platform(), "commit": _commit(), "runs": [], "skipped": []}
    started = time.perf_counter()
    cache_dir = args.work / "cache-cold"
    shutil.rmtree(cache_dir, ignore_errors=True)
    seconds_per_doc = None
    for size in sorted(args.sizes):
        spent = time.perf_counter() - started
        if seconds_per_doc and spent + 4 * size * seconds_per_doc > args.budget:
            results["skipped"].append({"documents": size, "predicted_s": round(4 * size * seconds_per_doc),
                                       "reason": "does not fit --budget"})
            continue
        seeds = corpus(args.work, size, args.seed)
        megabytes = sum(p.stat().st_size for p in seeds.glob("s*.txt")) / 2**20
        run = {"documents": size, "corpus_mb": round(megabytes, 2)}
        out = args.work / f"out-{size}"
        if not any(cache_dir.glob("geonames-*.sqlite")):
            run["cold"] = run_build(seeds, out, cache_dir, args.jobs, False, gazetteer)
        run["warm"] = run_build(seeds, out, cache_dir, args.jobs, False, gazetteer)
        run["warm_one_job"] = run_build(seeds, args.work / f"out-{size}-j1", cache_dir, 1, False, gazetteer)
        warm = run["warm"]
        run["docs_per_s"] = round(size / warm["wall_s"], 1)
        run["mb_per_s"] = round(megabytes / warm["wall_s"], 3)
        run["jobs_speedup"] = round(run["warm_one_job"]["wall_s"] / warm["wall_s"], 3)
        run["same_output_for_any_jobs"] = _same_tree(out, args.work / f"out-{size}-j1")
        run["baselines"] = baselines(seeds, cache_dir)
        limit = run["baselines"]["limit"]["cpu_s"]
        places = sum(warm["stages"].get(s, {}).get("cpu_s", 0) for s in ("read", "find", "resolve"))
        run["ratios"] = {"build_over_limit": round(warm["cpu_s"] / limit, 1),
                         "find_and_resolve_over_limit": round(places / limit, 2)}
        if run["baselines"].get("geotext"):
            run["ratios"]["build_over_geotext"] = round(warm["wall_s"] / (size / run["baselines"]["geotext"]["docs_per_s"]), 2)
        run["incremental"] = incremental(seeds, args.work, cache_dir, args.jobs, gazetteer)
        seconds_per_doc = warm["wall_s"] / size
        results["runs"].append(run)
        print(f"N={size}: {warm['wall_s']} s wall ({run['docs_per_s']} docs/s), {warm['events']} events, "
              f"jobs speed-up {run['jobs_speedup']}x, peak {warm['peak_mb']} MB", flush=True)
        _write(results, args.out)
    results["exponent_wall"] = exponent([(r["documents"], r["warm"]["wall_s"]) for r in results["runs"]])
    results["exponent_cpu"] = exponent([(r["documents"], r["warm"]["cpu_s"]) for r in results["runs"]])
    _measure_maps(results, args)
    results["total_s"] = round(time.perf_counter() - started, 1)
    _write(results, args.out)
    plot(results, args.out.with_suffix(".png"))


def _measure_maps(results: dict, args) -> None:
    results["map"] = []
    for wanted in args.map_events:
        fitting = [r for r in results["runs"] if r["warm"]["events_on_map"] >= wanted]
        if not fitting:
            results["map"].append({"events_wanted": wanted, "skipped": "no build of the run has that many events"})
            continue
        run = fitting[0]
        measured = measure_map(args.work / f"out-{run['documents']}")
        results["map"].append({"events_wanted": wanted, "documents": run["documents"],
                               "events_on_map": run["warm"]["events_on_map"], **measured})
        print(f"map at {run['warm']['events_on_map']} events: {measured}", flush=True)


def _same_tree(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    return files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()) and \
        all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _write(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
