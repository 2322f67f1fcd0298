"""The events against the hand-annotated gold sets: the five seeds (bench/gold/events.csv) and the
92 articles written for the bench (bench/gold/articles.csv). Floors, so that a change that makes
the events worse fails; raise them when the extractor improves."""

import pandas as pd
import pytest

from bench.eval_events import score

from conftest import REPO
from geomap.build import build
from geomap.settings import Settings

SEED_FLOORS = {"strict": 0.48, "place_date": 0.50, "type": 0.68, "match": 0.84}
ARTICLE_FLOORS = {"strict": 0.39, "place_date": 0.43, "type": 0.65, "match": 0.77}
STATUS_FLOOR = 0.85


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
    assert result["roles"]["origin"]["f1"] >= 0.50 and result["roles"]["destination"]["f1"] >= 0.40, result["roles"]
    assert result["map_precision"] >= 0.83, result["map_precision"]
    assert result["place_accuracy"] >= 0.62, result["place_accuracy"]
    assert result["date_accuracy"] >= 0.83, result["date_accuracy"]


# the held-out set's gold is checked for its offsets only: its scores are measured, never floored
# here, so that no test failure invites reading its errors (bench/README.md)
@pytest.mark.parametrize("gold_file,texts", [("events.csv", "seeds"), ("articles.csv", "bench/articles"),
                                             ("heldout.csv", "bench/heldout")])
def test_every_gold_quote_is_the_text_at_its_offsets(gold_file, texts):
    from bench.eval_events import check_gold

    gold = pd.read_csv(REPO / "bench" / "gold" / gold_file, dtype=str, keep_default_na=False)
    assert len(gold) > 40 and check_gold(gold, REPO / texts) == []


def test_an_event_merged_across_documents_answers_the_gold_of_each_document():
    quotes = ('[{"doc": "a.txt", "sentence_start": 0, "sentence_end": 40},'
              ' {"doc": "b.txt", "sentence_start": 100, "sentence_end": 150}]')
    predicted = [{"doc": "a.txt", "sentence_start": "0", "sentence_end": "40", "quotes": quotes, "kind": "event",
                  "type": "sanction", "date": "2024", "place_id": "us", "lat": "38"}]
    gold = [{"gold_id": f"{doc}-1", "doc": doc, "sentence_start": start, "sentence_end": end, "type": "sanction",
             "date": "2024", "place_id": "us"} for doc, start, end in (("a.txt", "0", "40"), ("b.txt", "100", "150"))]
    result = score(gold, predicted)
    assert result["strict"]["tp"] == 2 and result["strict"]["precision"] == 1.0 and result["strict"]["recall"] == 1.0
    # the same event against a gold that has it in one document only: the other document's report is
    # a prediction no gold row answers
    assert score(gold[:1], predicted)["strict"]["precision"] == 0.5


def test_every_place_basis_the_articles_give_has_its_note_in_the_popups(articles_build):
    from typing import get_args

    from geomap.records import PlaceBasis
    from geomap.render.popups import BASIS_NOTES

    bases = set(pd.read_csv(articles_build.out_dir / "events.csv", dtype=str, keep_default_na=False).place_basis)
    assert "story" in bases  # the place of the story's scene is among them
    assert bases - {""} <= set(get_args(PlaceBasis)) and bases - {"", "sentence"} <= set(BASIS_NOTES)
