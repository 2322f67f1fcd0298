#!/usr/bin/env python3
"""Score a build's events.csv against the hand-annotated gold events (bench/gold/events.csv).

    python bench/eval_events.py [--gold bench/gold/events.csv] [--events maps/events.csv] [--json]

Matching: a predicted event matches a gold event when both have the same `doc` and their sentence
spans [sentence_start, sentence_end) overlap (or are equal). An event that merges several reports
(its `quotes` column lists them) matches through any of its sentences; one merged across documents
counts once in each document it cites, as the gold is annotated document by document. Matching is one-to-one, greedy by best
agreement: candidate pairs are ranked by how many of type / date / place_id agree, then by the span
overlap (intersection over union), then by file order, and taken while neither side is used yet.

Scores (precision over predicted events, recall over gold events):
  match       matched at all (span only)
  strict      matched + same type + same date (ISO string) + same place_id
  place_date  matched + same date + same place_id (type ignored)
  type        matched + same type
  status      accuracy over matched pairs, only when the events file has a `status` column

`score(gold_rows, predicted_rows) -> dict` is the importable entry point; rows are mappings
(e.g. csv.DictReader rows) or a pandas DataFrame.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from geomap.records import date_period  # noqa: E402  (the script runs from anywhere)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT / "bench" / "gold" / "events.csv"
DEFAULT_EVENTS = ROOT / "maps" / "events.csv"
DEFAULT_SEEDS = ROOT / "seeds"

TYPES = ["raid", "arrest", "rescue", "escape", "deportation", "sanction", "seizure", "legal", "violence",
         "cutoff", "closure", "abuse", "meeting", "statement", "report", "military", "infrastructure", "other"]


def _s(value) -> str:
    """A cell as a clean string: None/NaN -> '', ints stay ints ('2024', not '2024.0')."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def _rows(rows) -> list[dict]:
    if isinstance(rows, pd.DataFrame):
        rows = rows.to_dict("records")
    return [dict(r) for r in rows]


def _window(row: dict) -> tuple[str, str]:
    """The days a row's date may mean: its date_start/date_end, else the period of its date."""
    if row.get("date_start") and row.get("date_end"):
        return row["date_start"], row["date_end"]
    iso = row.get("date", "")[:10]
    return date_period(iso, {4: "year", 7: "month"}.get(len(iso), "day"))  # an ISO date says its precision


def date_agrees(gold: dict, pred: dict) -> bool:
    """The predicted window lies inside the gold window (a day inside "August 17-19" is right; the
    whole of August is not); two undated rows agree."""
    g_start, g_end = gold["_window"]
    p_start, p_end = pred["_window"]
    if not g_start or not p_start:
        return not g_start and not p_start
    return g_start <= p_start and p_end <= g_end


def _ids(value: str) -> set[str]:
    return {part.strip() for part in value.replace(";", " ").split() if part.strip()}


def _norm(row: dict) -> dict:
    out = {k: _s(v) for k, v in row.items()}
    out["_window"] = _window(out)
    out["_start"] = int(float(out.get("sentence_start") or 0))
    out["_end"] = int(float(out.get("sentence_end") or 0))
    # a corroborated event cites several sentences (its `quotes`): it may match through any of them
    out["_spans"] = [(out.get("doc", ""), out["_start"], out["_end"])]
    if out.get("quotes"):
        out["_spans"] += [(q["doc"], int(q["sentence_start"]), int(q["sentence_end"]))
                          for q in json.loads(out["quotes"])]
    return out


def _per_document(row: dict) -> list[dict]:
    """An event merged across documents, as each of its documents reports it: the gold is annotated
    document by document, so two articles telling of one sanction are two gold rows that the one
    merged event answers, once in each document (the same place, date and type in both)."""
    docs = list(dict.fromkeys(doc for doc, _, _ in row["_spans"]))
    if len(docs) <= 1:
        return [row]
    parts = []
    for doc in docs:
        spans = [span for span in row["_spans"] if span[0] == doc]
        parts.append({**row, "doc": doc, "_start": spans[0][1], "_end": spans[0][2], "_spans": spans})
    return parts


def _best_overlap(g: dict, p: dict) -> float:
    return max((_overlap(g, {"_start": start, "_end": end}) for doc, start, end in p["_spans"]
                if doc == g.get("doc", "")), default=0.0)


def _overlap(a: dict, b: dict) -> float:
    """Intersection over union of the two sentence spans; > 0 when they overlap, 1.0 when equal."""
    if a["_start"] == b["_start"] and a["_end"] == b["_end"]:
        return 1.0
    inter = min(a["_end"], b["_end"]) - max(a["_start"], b["_start"])
    if inter <= 0:
        return 0.0
    union = max(a["_end"], b["_end"]) - min(a["_start"], b["_start"])
    return inter / union if union else 1.0


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one greedy matching; returns (gold index, predicted index) pairs."""
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = _best_overlap(g, p)
            if ov <= 0:
                continue
            agree = ((g.get("type") == p.get("type")) + date_agrees(g, p)
                     + (g.get("place_id") == p.get("place_id")))
            cands.append((-agree, -ov, gi, pi))
    cands.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def score(gold_rows, predicted_rows) -> dict:
    """Scores of the predicted *events* against the gold; rows of ``kind`` context (trends, history:
    off the map) are counted apart and not scored."""
    gold = [_norm(r) for r in _rows(gold_rows)]
    pred_all = _rows(predicted_rows)
    pred_raw = [r for r in pred_all if _s(r.get("kind", "event")) in ("", "event")]
    pred = [part for r in pred_raw for part in _per_document(_norm(r))]
    has_status = any("status" in r for r in pred_raw)
    pairs = match(gold, pred)
    ng, npred = len(gold), len(pred)

    def same(g, p, *keys):
        return all((date_agrees(g, p) if k == "date" else g.get(k, "") == p.get(k, "")) for k in keys)

    strict = sum(same(gold[g], pred[p], "type", "date", "place_id") for g, p in pairs)
    place_date = sum(same(gold[g], pred[p], "date", "place_id") for g, p in pairs)
    typ = sum(same(gold[g], pred[p], "type") for g, p in pairs)
    on_map = [i for i, r in enumerate(pred) if r.get("lat", "x")]
    matched_pred = {p for _, p in pairs}
    result = {
        "n_gold": ng,
        "n_predicted": npred,
        "n_context": len(pred_all) - len(pred_raw),
        "n_matched": len(pairs),
        "match": _prf(len(pairs), npred, ng),
        "strict": _prf(strict, npred, ng),
        "place_date": _prf(place_date, npred, ng),
        "type": _prf(typ, npred, ng),
        "matched_same_date": sum(same(gold[g], pred[p], "date") for g, p in pairs),
        "matched_same_place": sum(same(gold[g], pred[p], "place_id") for g, p in pairs),
        "place_accuracy": round(sum(same(gold[g], pred[p], "place_id") for g, p in pairs) / len(pairs), 4)
        if pairs else 0.0,
        "date_accuracy": round(sum(same(gold[g], pred[p], "date") for g, p in pairs) / len(pairs), 4)
        if pairs else 0.0,
        # the share of the map's event points that are gold events (span match)
        "map_precision": round(sum(i in matched_pred for i in on_map) / len(on_map), 4) if on_map else 0.0,
        "roles": _role_scores(gold, pred, pairs),
    }
    if has_status:
        ok = sum(same(gold[g], pred[p], "status") for g, p in pairs)
        result["status"] = {"correct": ok, "matched": len(pairs),
                            "accuracy": round(ok / len(pairs), 4) if pairs else 0.0}
    else:
        result["status"] = None

    types = [t for t in TYPES]
    for r in gold + pred:
        if r.get("type") and r["type"] not in types:
            types.append(r["type"])
    per_type = {}
    for t in types:
        g_n = sum(r.get("type") == t for r in gold)
        p_n = sum(r.get("type") == t for r in pred)
        if not g_n and not p_n:
            continue
        per_type[t] = {
            "gold": g_n,
            "predicted": p_n,
            # gold events of this type matched by a prediction of the same type
            "matched": sum(gold[g].get("type") == t and pred[p].get("type") == t for g, p in pairs),
            # gold events of this type matched by any prediction (span only)
            "span_matched": sum(gold[g].get("type") == t for g, p in pairs),
        }
    result["per_type"] = per_type

    per_doc = {}
    for d in sorted({r.get("doc", "") for r in gold + pred}):
        dp = [(g, p) for g, p in pairs if gold[g].get("doc") == d]
        per_doc[d] = {
            "gold": sum(r.get("doc") == d for r in gold),
            "predicted": sum(r.get("doc") == d for r in pred),
            "matched": len(dp),
            "strict": sum(same(gold[g], pred[p], "type", "date", "place_id") for g, p in dp),
        }
    result["per_doc"] = per_doc

    result["pairs"] = [
        {"gold_id": gold[g].get("gold_id", str(g)), "event_id": pred[p].get("event_id", str(p)),
         "doc": gold[g].get("doc"),
         "type": [gold[g].get("type"), pred[p].get("type")],
         "date": [gold[g].get("date"), pred[p].get("date")],
         "date_agrees": date_agrees(gold[g], pred[p]),
         "place_id": [gold[g].get("place_id"), pred[p].get("place_id")],
         **({"status": [gold[g].get("status"), pred[p].get("status")]} if has_status else {})}
        for g, p in pairs
    ]
    mg = {g for g, _ in pairs}
    mp = {p for _, p in pairs}
    result["unmatched_gold"] = [gold[i].get("gold_id", str(i)) for i in range(ng) if i not in mg]
    result["unmatched_predicted"] = [pred[i].get("event_id", str(i)) for i in range(npred) if i not in mp]
    return result


def _role_scores(gold: list[dict], pred: list[dict], pairs) -> dict | None:
    """Origins and destinations: ids right on matched pairs, over every id the predicted events
    give and every id the gold gives. None when the gold has no role columns."""
    if not any("origin_ids" in g for g in gold):
        return None
    scores = {}
    for column in ("origin_ids", "destination_ids"):
        tp = sum(len(_ids(gold[g].get(column, "")) & _ids(pred[p].get(column, ""))) for g, p in pairs)
        n_pred = sum(len(_ids(p.get(column, ""))) for p in pred)
        n_gold = sum(len(_ids(g.get(column, ""))) for g in gold)
        scores[column.split("_")[0]] = _prf(tp, n_pred, n_gold)
    tp = sum(s["tp"] for s in scores.values())
    n_pred = sum(len(_ids(p.get(c, ""))) for p in pred for c in ("origin_ids", "destination_ids"))
    n_gold = sum(len(_ids(g.get(c, ""))) for g in gold for c in ("origin_ids", "destination_ids"))
    scores["both"] = _prf(tp, n_pred, n_gold)
    return scores


def check_gold(gold_rows, seeds_dir: Path) -> list[str]:
    """Problems with the gold file's quotes/offsets against the seed texts (empty list = fine)."""
    problems = []
    for r in _rows(gold_rows):
        r = _norm(r)
        path = seeds_dir / r["doc"]
        if not path.exists():
            problems.append(f"{r.get('gold_id')}: {path} not found")
            continue
        text = path.read_text(encoding="utf-8")
        if text[r["_start"]:r["_end"]] != r.get("quote", ""):
            problems.append(f"{r.get('gold_id')}: quote != text[{r['_start']}:{r['_end']}]")
    return problems


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def format_table(res: dict) -> str:
    lines = [f"gold events: {res['n_gold']}   predicted events: {res['n_predicted']}   "
             f"matched (span overlap, 1:1): {res['n_matched']}", ""]
    lines.append(f"{'score':<12}{'tp':>5}{'P':>8}{'R':>8}{'F1':>8}")
    for k in ("strict", "place_date", "type", "match"):
        m = res[k]
        lines.append(f"{k:<12}{m['tp']:>5}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}")
    lines.append("")
    lines.append(f"matched pairs with the date inside the gold window: {res['matched_same_date']}/{res['n_matched']}"
                 f" ({res['date_accuracy']:.3f}), same place_id: {res['matched_same_place']}/{res['n_matched']}"
                 f" ({res['place_accuracy']:.3f})")
    lines.append(f"map points that are gold events: {res['map_precision']:.3f}   "
                 f"context items (not scored, off the map): {res['n_context']}")
    if res["roles"]:
        lines.append("roles: " + "   ".join(f"{k} P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f}"
                                           for k, v in res["roles"].items()))
    if res["status"] is None:
        lines.append("status: skipped (the events file has no `status` column)")
    else:
        s = res["status"]
        lines.append(f"status accuracy: {s['correct']}/{s['matched']} = {s['accuracy']:.3f}")
    lines.append("")
    lines.append(f"{'type':<16}{'gold':>6}{'pred':>6}{'matched':>9}{'span_m':>8}")
    for t, c in res["per_type"].items():
        lines.append(f"{t:<16}{c['gold']:>6}{c['predicted']:>6}{c['matched']:>9}{c['span_matched']:>8}")
    lines.append("")
    lines.append(f"{'doc':<28}{'gold':>6}{'pred':>6}{'matched':>9}{'strict':>8}")
    for d, c in res["per_doc"].items():
        lines.append(f"{d:<28}{c['gold']:>6}{c['predicted']:>6}{c['matched']:>9}{c['strict']:>8}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--events", type=Path, default=DEFAULT_EVENTS)
    ap.add_argument("--seeds", "--texts", dest="seeds", type=Path, default=DEFAULT_SEEDS,
                    help="the texts the gold quotes, to check its offsets (skipped if missing)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--pairs", action="store_true", help="also list every matched pair (table mode)")
    args = ap.parse_args(argv)

    gold = _read(args.gold)
    events = _read(args.events)
    if args.seeds.is_dir():
        for problem in check_gold(gold, args.seeds):
            print(f"warning: gold: {problem}", file=sys.stderr)
    res = score(gold, events)
    if args.json:
        print(json.dumps(res, ensure_ascii=False))
    else:
        print(format_table(res))
        if args.pairs:
            print()
            for p in res["pairs"]:
                # a date differs when it is outside the gold window ("2025-02-05" agrees with "2025-02")
                flags = " ".join(f"{k}={p[k][0]}|{p[k][1]}" for k in ("type", "date", "place_id", "status")
                                 if k in p and (not p["date_agrees"] if k == "date" else p[k][0] != p[k][1]))
                print(f"{p['gold_id']:<8} {p['event_id']:<32} {flags or 'ok'}")
            print("unmatched gold:", " ".join(res["unmatched_gold"]) or "-")
            print("unmatched predicted:", " ".join(res["unmatched_predicted"]) or "-")
    return 0


if __name__ == "__main__":
    sys.exit(main())
