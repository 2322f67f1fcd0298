#!/usr/bin/env python3
"""How the cross-document merge (geomap.corroborate.corroborate) scales with the number of articles.

    python bench/merge_scaling.py                    # N = 1000, 2000, 5000, 10000 articles
    python bench/merge_scaling.py --quick            # N = 100, 300, 1000
    python bench/merge_scaling.py --sizes 500 4000   # any sizes
    python bench/merge_scaling.py --span-grows       # six years of news per 1000 articles: constant density
    python bench/merge_scaling.py --seed 7 --repeat 1 --budget 0 --out other.json

A benchmark, not a test: it checks no outcome. For each N it builds synthetic but realistic event
reports (deterministic from --seed), then times ``corroborate`` alone, the fastest of --repeat runs
(wall: time.perf_counter, CPU: time.process_time), after one unmeasured warm-up run of the smallest
size (a fresh process measures its first size ~1.5x slow); then, in one more run with a counting wrapper put
in place of ``geomap.corroborate._same_event`` (and put back after), counts the pairwise
comparisons. The timed runs have no wrapper, so the counting does not inflate the times. A size whose
predicted time does not fit the --budget (seconds for the whole run) is skipped and listed as skipped,
never replaced by a smaller one. Results go to bench/results/merge_scaling.json.

The synthetic events: places are the rows of gazetteer/places.csv, weighted towards a few hot spots
(Poipet, Sihanoukville, Myawaddy, KK Park, Phnom Penh and the countries of the region); about 17
reports per article; types skewed to raids, arrests, deportations and statements; statuses mostly
"happened"; ~15 % context; place basis mostly "sentence" (a "document" basis places the report at
the article's country); dates over 2020-2025 (~60 % a day, ~20 % a month, ~20 % the publication day
with its 30-day window). About a sixth of the reports retell a story another article reported first
(2-4 articles per story, same type / status / place, or the place's province, and date), so the merge
has real work to do; the generator knows each report's story, so the results also say how many
merged events join different stories and how many stories stay split.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geomap.corroborate as corroborate_module  # noqa: E402
from geomap.corroborate import corroborate  # noqa: E402
from geomap.event_types import type_names  # noqa: E402
from geomap.gazetteer.table import Gazetteer, load_gazetteer  # noqa: E402
from geomap.records import Event, EventDate, Place, Source  # noqa: E402

DEFAULT_SIZES = (1000, 2000, 5000, 10000)
QUICK_SIZES = (100, 300, 1000)
DEFAULT_OUT = ROOT / "bench" / "results" / "merge_scaling.json"

EVENTS_PER_ARTICLE = 17
FIRST_DAY = dt.date(2020, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
BASE_SPAN_DAYS = (LAST_DAY - FIRST_DAY).days
#: share of an article's reports that restate a story another article already reported
DUPLICATE_SHARE = 0.20
CONTEXT_SHARE = 0.15

#: relative weights; types not named get 1
TYPE_WEIGHTS = {"raid": 12, "arrest": 12, "deportation": 9, "statement": 9, "rescue": 5, "legal": 4,
                "report": 4, "meeting": 3, "abuse": 3, "seizure": 2, "sanction": 2, "closure": 2}
STATUS_WEIGHTS = {"happened": 84, "planned": 8, "alleged": 6, "denied": 2}
#: hot spots, by gazetteer id; every other row gets 1
PLACE_WEIGHTS = {"kh-poipet": 40, "kh-sihanoukville": 40, "mm-myawaddy": 30, "mm-kk-park": 30,
                 "kh-phnom-penh": 25, "kh": 45, "mm": 30, "th": 20, "la": 10, "ph": 10, "cn": 10,
                 "mm-shwe-kokko": 8, "kh-bavet": 6, "th-mae-sot": 6}
#: the country an article is about (the place of its "document"-basis reports)
HOME_WEIGHTS = {"kh": 50, "mm": 30, "th": 10, "la": 5, "ph": 5}
BASIS_WEIGHTS = {"sentence": 80, "paragraph": 12, "document": 8}

VERBS = {"raid": "raided", "arrest": "arrested", "rescue": "rescued", "escape": "escaped from",
         "deportation": "deported", "seizure": "seized", "sanction": "sanctioned", "legal": "charged",
         "violence": "shelled", "cutoff": "cut power to", "closure": "closed", "abuse": "abused",
         "military": "deployed troops to", "infrastructure": "built a road to", "meeting": "met in",
         "statement": "said of", "report": "reported on"}
ACTORS = ("Police", "Authorities", "Officials", "Soldiers", "Immigration officers", "The ministry",
          "Border guards", "Investigators")
OBJECTS = ("workers", "suspects", "victims", "foreign nationals", "people", "compound staff")
#: an opening word the merge reads as "a different event" (see corroborate._ANOTHER), in a few quotes
SEPARATELY = ("Separately,", "In another case,", "Meanwhile,")


class Generator:
    """Synthetic event reports for n articles, the same for the same seed."""

    def __init__(self, gazetteer: Gazetteer, seed: int):
        self.gazetteer = gazetteer
        self.seed = seed
        self.types = list(type_names())
        self.type_w = [TYPE_WEIGHTS.get(t, 1) for t in self.types]
        self.statuses = list(STATUS_WEIGHTS)
        self.status_w = list(STATUS_WEIGHTS.values())
        self.places = [p for p in gazetteer.places.values()]
        self.place_w = [PLACE_WEIGHTS.get(p.id, 1) for p in self.places]
        self.homes = [gazetteer.places[i] for i in HOME_WEIGHTS if i in gazetteer.places]
        self.home_w = [HOME_WEIGHTS[p.id] for p in self.homes]
        self.bases = list(BASIS_WEIGHTS)
        self.basis_w = list(BASIS_WEIGHTS.values())

    def events(self, n_articles: int, span_days: int = BASE_SPAN_DAYS) -> tuple[list[Event], dict[str, str]]:
        """The reports of n articles published over span_days from 2020-01-01, in document order,
        and the story each report tells (by event id: the id of the story's first report), the
        truth a perfect merge would find."""
        rng = random.Random(self.seed)
        published = sorted(FIRST_DAY + dt.timedelta(days=rng.randrange(span_days + 1)) for _ in range(n_articles))
        open_stories: list[dict] = []  # stories that more articles will report
        events: list[Event] = []
        story_of: dict[str, str] = {}
        stories = 0
        for n, pub in enumerate(published):
            doc = f"d{n:06d}.txt"
            home = rng.choices(self.homes, self.home_w)[0]
            count = max(3, round(rng.gauss(EVENTS_PER_ARTICLE, 5)))
            offset = 0
            told: set[int] = set()  # stories already in this article
            # stories too old for this article are closed: news is told within a couple of months
            open_stories = [s for s in open_stories if (pub - s["day"]).days <= 60 and s["left"] > 0]
            for index in range(count):
                story = None
                if open_stories and rng.random() < DUPLICATE_SHARE:
                    pick = rng.choice(open_stories)
                    if pick["number"] not in told and pick["day"] <= pub:
                        story = pick
                if story is not None:
                    story["left"] -= 1
                    told.add(story["number"])
                    event = self._restatement(rng, doc, index, offset, story)
                    story_of[event.event_id] = story["event"].event_id
                else:
                    event = self._report(rng, doc, index, offset, pub, home)
                    story_of[event.event_id] = event.event_id
                    if self._story_worthy(event) and rng.random() < 0.35:
                        stories += 1
                        open_stories.append({"number": stories, "event": event, "left": rng.choice((1, 1, 2, 3)),
                                             "day": dt.date.fromisoformat(event.date.window[0])})  # 2-4 articles
                        told.add(stories)
                events.append(event)
                if rng.random() < 0.9:  # a tenth of the time the next report shares this sentence
                    offset = event.sentence_end + 1
            open_stories = [s for s in open_stories if s["left"] > 0]
        return events, story_of

    @staticmethod
    def _story_worthy(event: Event) -> bool:
        # a story other articles retell: a specific, dated, placed event in its own sentence
        return (event.kind == "event" and event.place_basis == "sentence" and not event.date.from_publication
                and not event.quote.startswith(SEPARATELY))

    def _date(self, rng: random.Random, pub: dt.date) -> EventDate:
        roll = rng.random()
        if roll < 0.6:
            day = max(FIRST_DAY, pub - dt.timedelta(days=rng.randrange(0, 45)))
            return EventDate(iso=day.isoformat(), precision="day", text=day.strftime("on %B %d"))
        if roll < 0.8:
            day = max(FIRST_DAY, pub - dt.timedelta(days=rng.randrange(0, 90)))
            return EventDate(iso=day.strftime("%Y-%m"), precision="month", text=day.strftime("in %B"))
        return EventDate(iso=pub.isoformat(), precision="day", from_publication=True,
                         start=(pub - dt.timedelta(days=30)).isoformat(), end=pub.isoformat())

    def _report(self, rng: random.Random, doc: str, index: int, offset: int, pub: dt.date,
                home: Place) -> Event:
        type_ = rng.choices(self.types, self.type_w)[0]
        status = rng.choices(self.statuses, self.status_w)[0]
        kind = "context" if rng.random() < CONTEXT_SHARE else "event"
        basis = rng.choices(self.bases, self.basis_w)[0]
        place = home if basis == "document" else rng.choices(self.places, self.place_w)[0]
        date = self._date(rng, pub)
        opener = rng.choice(SEPARATELY) + " " if rng.random() < 0.05 else ""
        return self._event(rng, doc, index, offset, type_, status, kind, basis, place, date, opener)

    def _restatement(self, rng: random.Random, doc: str, index: int, offset: int, story: dict) -> Event:
        first: Event = story["event"]
        date = first.date
        if date.precision == "day" and rng.random() < 0.25:  # "earlier this month"
            date = EventDate(iso=date.iso[:7], precision="month", text="earlier this month")
        place = first.place
        parent = self.gazetteer.places.get(place.parent)
        if parent is not None and parent.kind != "country" and rng.random() < 0.15:
            place = parent  # "in Banteay Meanchey province" for Poipet
        return self._event(rng, doc, index, offset, first.type, first.status, "event", "sentence", place,
                           date, "")

    @staticmethod
    def _event(rng: random.Random, doc: str, index: int, offset: int, type_: str, status: str, kind: str,
               basis: str, place: Place, date: EventDate, opener: str) -> Event:
        actor = rng.choice(ACTORS)
        verb = VERBS.get(type_, "acted on")
        head = f"{opener}{actor} {verb}"
        quote = f"{head} {rng.randint(2, 400)} {rng.choice(OBJECTS)} in {place.name} {date.text}.".replace("  ", " ")
        trigger_start = offset + len(opener) + len(actor) + 1
        trigger_end = trigger_start + len(verb.split()[0])
        place_start = offset + quote.index(place.name)
        source = Source(doc, quote, offset, offset + len(quote), trigger_start, trigger_end,
                        place_start, place_start + len(place.name))
        return Event(event_id=f"{doc}-s{index:03d}", doc=doc, type=type_, trigger=verb.split()[0],
                     trigger_start=trigger_start, trigger_end=trigger_end, sentence_start=offset,
                     sentence_end=offset + len(quote), quote=quote, date=date, place=place,
                     place_surface=place.name, place_start=place_start, place_end=place_start + len(place.name),
                     resolved_by="gazetteer", place_basis=basis, status=status, sources=(source,), kind=kind)


def merge_quality(events: list[Event], merged: list[Event], story_of: dict[str, str]) -> dict:
    """How the merge compares with the stories the reports were made from: the reports that restate
    another article's story (what a perfect merge removes), those merged away, merged events that mix
    stories (distinct happenings joined because they share type, status, place and window), and
    stories left in more than one event."""
    story_by_source = {(e.doc, e.sentence_start, e.quote): story_of[e.event_id] for e in events}
    mixed, events_of_story = 0, Counter()
    for event in merged:
        stories = {story_by_source[(s.doc, s.sentence_start, s.quote)] for s in event.sources}
        mixed += len(stories) > 1
        events_of_story.update(stories)
    restated = sum(story != event_id for event_id, story in story_of.items())
    return {"restated_reports": restated, "merged_away": len(events) - len(merged),
            "multi_source_events": sum(len(e.sources) > 1 for e in merged),
            "events_mixing_stories": mixed, "stories_split": sum(k > 1 for k in events_of_story.values())}


def count_comparisons(events: list[Event], parent_of) -> tuple[list[Event], dict]:
    """Run corroborate with a counting wrapper on _same_event (restored afterwards): how many pairs
    it compares, how many of those have windows that do not even overlap, and by the kind of the
    coarser place of the pair."""
    original = corroborate_module._same_event
    specificity = corroborate_module.KIND_SPECIFICITY
    stats = {"calls": 0, "true": 0, "windows_disjoint": 0}
    by_kind: Counter = Counter()

    def counting(a: Event, b: Event, ancestry) -> bool:
        stats["calls"] += 1
        if not corroborate_module._windows_overlap(a, b):
            stats["windows_disjoint"] += 1
        coarser = min((a.place, b.place), key=lambda p: specificity.get(p.kind, 0))
        by_kind[coarser.kind] += 1
        result = original(a, b, ancestry)
        stats["true"] += bool(result)
        return result

    corroborate_module._same_event = counting
    try:
        merged = corroborate(events, parent_of)
    finally:
        corroborate_module._same_event = original
    stats["by_coarser_place_kind"] = dict(by_kind.most_common())
    return merged, stats


def slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log(y) on log(x)."""
    points = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x > 0 and y > 0]
    if len(points) < 2:
        return None
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    sxx = sum((p[0] - mx) ** 2 for p in points)
    return sum((p[0] - mx) * (p[1] - my) for p in points) / sxx if sxx else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", help=f"numbers of articles (default {DEFAULT_SIZES})")
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--gazetteer", type=Path, default=ROOT / "gazetteer")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--span-grows", action="store_true",
                        help="stretch the publication span with N (six years per 1000 articles) so that the "
                             "reports per place and week stay the same: separates the merge's own growth from "
                             "denser data")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs per size, the fastest reported (default 3)")
    parser.add_argument("--no-warmup", action="store_true",
                        help="measure from a cold process (the first size then reads slow)")
    parser.add_argument("--no-count", action="store_true", help="skip the counting run (about halves the time)")
    parser.add_argument("--budget", type=float, default=280,
                        help="seconds for the whole run (default 280): a size whose predicted time does not fit "
                             "is skipped and reported as skipped; 0 = no limit")
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES))

    gazetteer = load_gazetteer(args.gazetteer)

    def parent_of(place_id: str) -> str:
        return gazetteer.places[place_id].parent if place_id in gazetteer.places else ""

    generator = Generator(gazetteer, args.seed)
    runs: list[dict] = []
    skipped: list[dict] = []
    started = time.perf_counter()
    if not args.no_warmup:
        # the first size measured in a fresh process runs ~1.5x slower, every repeat alike (seen at
        # N=1000: 0.67 s first, 0.46 s when measured again): the smallest size is run once, unmeasured
        warm_events, _ = generator.events(sizes[0])
        corroborate(warm_events, parent_of)
        del warm_events
    for n in sizes:
        elapsed = time.perf_counter() - started
        predicted = _predict_step_s(runs, n)
        if args.budget and predicted is not None and elapsed + predicted > args.budget:
            skipped.append({"articles": n, "predicted_s": round(predicted), "budget_s": args.budget,
                            "elapsed_s": round(elapsed)})
            print(f"  N={n}: skipped, predicted ~{predicted:.0f} s with {args.budget - elapsed:.0f} s of the "
                  f"{args.budget:.0f} s budget left (--budget 0 runs it anyway)", file=sys.stderr, flush=True)
            continue
        step0 = time.perf_counter()
        span_days = round(BASE_SPAN_DAYS * n / 1000) if args.span_grows else BASE_SPAN_DAYS
        events, story_of = generator.events(n, span_days)
        generated = time.perf_counter() - step0
        timings = []  # (wall, cpu) of each repeat; the fastest is reported, the others kept
        for _ in range(max(1, args.repeat)):
            wall0, cpu0 = time.perf_counter(), time.process_time()
            merged = corroborate(events, parent_of)
            timings.append((time.perf_counter() - wall0, time.process_time() - cpu0))
        wall, cpu = min(timings)
        run = {"articles": n, "events_in": len(events), "events_out": len(merged),
               "span_days": span_days, **merge_quality(events, merged, story_of),
               "wall_s": round(wall, 4), "cpu_s": round(cpu, 4),
               "wall_s_repeats": [round(t[0], 4) for t in timings],
               "us_per_article": round(wall / n * 1e6, 1), "us_per_event": round(wall / len(events) * 1e6, 2),
               "generate_s": round(generated, 3)}
        if not args.no_count:
            count0 = time.perf_counter()
            counted, stats = count_comparisons(events, parent_of)
            run["count_run_wall_s"] = round(time.perf_counter() - count0, 3)
            assert len(counted) == len(merged)  # the wrapper must not change the result
            run.update({"comparisons": stats["calls"],
                        "comparisons_per_event": round(stats["calls"] / len(events), 2),
                        "comparisons_true": stats["true"],
                        "comparisons_windows_disjoint": stats["windows_disjoint"],
                        "comparisons_by_coarser_place_kind": stats["by_coarser_place_kind"]})
        run["step_s"] = round(time.perf_counter() - step0, 3)
        runs.append(run)
        print(f"  N={n}: {len(events)} events -> {len(merged)} in {wall:.2f} s (step {run['step_s']:.0f} s)",
              file=sys.stderr, flush=True)

    ns = [r["articles"] for r in runs]
    result = {
        "benchmark": "geomap.corroborate.corroborate, synthetic events",
        "seed": args.seed, "repeat": args.repeat, "warmup": not args.no_warmup, "span_grows": args.span_grows,
        "events_per_article_mean": EVENTS_PER_ARTICLE,
        "duplicate_share": DUPLICATE_SHARE, "context_share": CONTEXT_SHARE,
        "gazetteer_places": len(gazetteer.places),
        "code": _code_version(),
        "cpu_count": os.cpu_count(), "python": platform.python_version(),
        "platform": platform.platform(), "machine": platform.machine(),
        "runs": runs,
        "skipped": skipped,
        "exponent_wall": _round(slope(ns, [r["wall_s"] for r in runs])),
        "exponent_cpu": _round(slope(ns, [r["cpu_s"] for r in runs])),
        "exponent_comparisons": _round(slope(ns, [r.get("comparisons", 0) for r in runs])),
        "total_s": round(time.perf_counter() - started, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"{'N':>7} {'events':>8} {'merged':>8} {'wall s':>8} {'cpu s':>8} {'us/art':>9} {'cmp/event':>10}")
    for r in runs:
        print(f"{r['articles']:>7} {r['events_in']:>8} {r['events_out']:>8} {r['wall_s']:>8.2f} {r['cpu_s']:>8.2f}"
              f" {r['us_per_article']:>9.0f} {r.get('comparisons_per_event', float('nan')):>10.1f}")
    for r in skipped:
        print(f"{r['articles']:>7}  skipped: predicted ~{r['predicted_s']} s, over the {r['budget_s']:.0f} s budget")
    print(f"exponent (log time vs log N): wall {result['exponent_wall']}, cpu {result['exponent_cpu']}, "
          f"comparisons {result['exponent_comparisons']}")
    print(f"python {result['python']}, {result['cpu_count']} CPUs; results in {_shown(args.out)}")
    return 0


def _predict_step_s(runs: list[dict], n: int) -> float | None:
    """The time a size will take (generation, timed run, counting run), scaled from the last size
    run by the exponent fitted so far (2 when only one size has run)."""
    if not runs:
        return None
    exponent = slope([r["articles"] for r in runs], [r["wall_s"] for r in runs]) if len(runs) > 1 else 2.0
    last = runs[-1]
    return last["step_s"] * (n / last["articles"]) ** max(1.0, exponent or 2.0)


def _code_version() -> dict:
    """The commit the merge was measured at, and whether geomap/corroborate.py differed from it."""
    def git(*command: str) -> str:
        try:
            return subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "corroborate_modified": bool(git("status", "--porcelain", "--", "geomap/corroborate.py"))}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
