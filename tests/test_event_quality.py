"""The events against the hand-annotated gold sets: the five seeds (bench/gold/events.csv) and the
32 articles written for the bench (bench/gold/articles.csv). Floors, so that a change that makes
the events worse fails; raise them when the extractor improves."""

import pandas as pd
import pytest

from bench.eval_events import score

from conftest import REPO
from geomap.build import build
from geomap.settings import Settings

SEED_FLOORS = {"strict": 0.41, "place_date": 0.45, "type": 0.60, "match": 0.77}
ARTICLE_FLOORS = {"strict": 0.28, "place_date": 0.31, "type": 0.52, "match": 0.67}
STATUS_FLOOR = 0.80


@pytest.fixture(scope="module")
def articles_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("articles-build") / "maps"
    return build(Settings(seeds_dir=REPO / "bench" / "articles", gazetteer_dir=REPO / "gazetteer", out_dir=out))


def _score(gold_file, out_dir):
    gold = pd.read_csv(REPO / "bench" / "gold" / gold_file, dtype=str, keep_default_na=False)
    predicted = pd.read_csv(out_dir / "events.csv", dtype=str, keep_default_na=False)
    return score(gold, predicted)


def test_event_scores_on_the_seeds_do_not_fall(seeds_build):
    result = _score("events.csv", seeds_build.out_dir)
    for name, floor in SEED_FLOORS.items():
        assert result[name]["f1"] >= floor, (name, result[name])
    assert result["status"]["accuracy"] >= STATUS_FLOOR, result["status"]


def test_event_scores_on_the_bench_articles_do_not_fall(articles_build):
    result = _score("articles.csv", articles_build.out_dir)
    for name, floor in ARTICLE_FLOORS.items():
        assert result[name]["f1"] >= floor, (name, result[name])
    assert result["status"]["accuracy"] >= STATUS_FLOOR, result["status"]
    assert result["roles"]["origin"]["f1"] >= 0.50 and result["roles"]["destination"]["f1"] >= 0.25, result["roles"]
    assert result["map_precision"] >= 0.72, result["map_precision"]
    assert result["place_accuracy"] >= 0.50, result["place_accuracy"]


@pytest.mark.parametrize("gold_file,texts", [("events.csv", "seeds"), ("articles.csv", "bench/articles")])
def test_every_gold_quote_is_the_text_at_its_offsets(gold_file, texts):
    from bench.eval_events import check_gold

    gold = pd.read_csv(REPO / "bench" / "gold" / gold_file, dtype=str, keep_default_na=False)
    assert len(gold) > 40 and check_gold(gold, REPO / texts) == []
