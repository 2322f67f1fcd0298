"""The seeds' events against the hand-annotated gold set (bench/gold/events.csv): a floor, so that a
change that makes the events worse fails. Raise the floors when the extractor improves."""

import pandas as pd

from bench.eval_events import score

FLOORS = {"strict": 0.38, "place_date": 0.45, "type": 0.55, "match": 0.70}
STATUS_FLOOR = 0.80


def test_event_scores_do_not_fall(seeds_build, repo):
    gold = pd.read_csv(repo / "bench" / "gold" / "events.csv", dtype=str, keep_default_na=False)
    predicted = pd.read_csv(seeds_build.out_dir / "events.csv", dtype=str, keep_default_na=False)
    result = score(gold, predicted)
    for name, floor in FLOORS.items():
        assert result[name]["f1"] >= floor, (name, result[name])
    assert result["status"]["accuracy"] >= STATUS_FLOOR, result["status"]
