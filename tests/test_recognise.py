"""The optional statistical recogniser (``geomap build --ner``, spaCy's small English pipeline):
what it adds to the finder, through the command, and a clear error where it is not installed."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import write_doc
from geomap.cli import main
from geomap.documents import split_sentences
from geomap.mentions import MentionFinder
from geomap.recognise import SpacyRecogniser, pieces, place_name
from geomap.records import Document

TEXT = ("Mudslides cut the highway between Carpinteria and Montecito, California, on Jan. 9, 2018. "
        "Police raided a compound in Poipet the next day.")


@pytest.fixture(scope="module")
def recogniser():
    pytest.importorskip("spacy")
    return SpacyRecogniser().load()


def test_the_recogniser_adds_places_the_finder_does_not_read_and_keeps_its_own(parts, recogniser):
    finder, _ = parts
    document = Document(name="a.txt", text=TEXT, sentences=split_sentences(TEXT))
    plain = [m.surface for m in finder.find(document).mentions]
    with_model = MentionFinder(finder.gazetteer, finder.geonames, finder.stoplist, recogniser)
    found = with_model.find(document).mentions
    # two small towns named with no place word before them: only a model reads them as places
    assert plain == ["California", "Poipet"]
    assert [m.surface for m in found] == ["Carpinteria", "Montecito", "California", "Poipet"]
    assert all(TEXT[m.start:m.end] == m.surface for m in found)


def test_a_name_nothing_can_resolve_is_no_mention(parts, recogniser):
    finder, _ = parts
    text = "Floods reached Xyzzyvale and Qorblin Heights on Monday."
    with_model = MentionFinder(finder.gazetteer, finder.geonames, finder.stoplist, recogniser)
    assert with_model.find(Document(name="a.txt", text=text, sentences=split_sentences(text))).mentions == ()


def test_a_small_town_only_the_model_reads_needs_a_place_word_or_a_neighbour(parts, recogniser):
    finder, _ = parts
    with_model = MentionFinder(finder.gazetteer, finder.geonames, finder.stoplist, recogniser)

    def found(text):
        return [m.surface for m in with_model.find(Document(name="a.txt", text=text,
                                                              sentences=split_sentences(text))).mentions]

    # the model reads Norbury (a London suburb in the index) and Somerville as places, but which?
    # Named bare, far from every other place of the story, they are passed over...
    assert found("Police raided a compound in Poipet. The mayor of Norbury said he was shocked.") == ["Poipet"]
    assert found("Police raided a compound in Poipet. The mayor of Somerville said he was shocked.") == ["Poipet"]
    # ...and taken where the document names the town with a place word, or its first-level
    # division (California), or a place beside it (Croydon)
    assert found("Police raided a compound in Poipet. The mayor of Norbury said he was shocked. Later he "
                 "walked to a pub in Norbury.") == ["Poipet", "Norbury", "Norbury"]
    assert found(TEXT) == ["Carpinteria", "Montecito", "California", "Poipet"]
    assert found("Crowds gathered in Croydon. The mayor of Norbury said he was shocked.") == ["Croydon", "Norbury"]
    # two small towns do not vouch for each other, neighbours though they are: among thousands of
    # namesakes some pair is near somewhere by chance
    assert found("Mudslides cut the highway between Carpinteria and Montecito on Jan. 9, 2018. Police raided "
                 "a compound in Poipet the next day.") == ["Poipet"]


def test_a_long_text_is_read_in_pieces_cut_at_line_breaks(recogniser, monkeypatch):
    # spaCy refuses a text of over a million characters, and a document is untrusted input: the model
    # reads pieces, each well under its limit, and the entities keep their offsets in the whole text
    import geomap.recognise

    assert geomap.recognise.PIECE_CHARS < recogniser._nlp.max_length
    line = "Floods cut the road near Carpinteria.\n"
    text = line * 40
    cut = pieces(text, size=100)
    assert "".join(piece for _, piece in cut) == text and all(len(p) <= 100 and p.endswith("\n") for _, p in cut)
    assert [offset for offset, _ in cut] == [len(line) * 2 * i for i in range(20)]
    monkeypatch.setattr(geomap.recognise, "PIECE_CHARS", 100)
    found = recogniser.entities(text)
    assert len(found) == 40 and {text[e.start:e.end] for e in found} == {"Carpinteria"}


def test_an_entity_loses_its_article_and_possessive():
    text = "the Mekong's banks"
    assert text[slice(*place_name(text, 0, 12))] == "Mekong"


def test_build_with_ner_through_the_command(tmp_path, repo, recogniser, parts):
    seeds = tmp_path / "seeds"
    write_doc(seeds, "a.txt", f"---\npublished: 2018-01-10\n---\n{TEXT}\n")
    # a store of results of its own, beside the session's GeoNames index (not built again)
    cache = tmp_path / "c"
    cache.mkdir()
    index = parts[0].geonames.path
    (cache / index.name).symlink_to(index)
    common = ["build", "--seeds", str(seeds), "--gazetteer", str(repo / "gazetteer"), "--cache", str(cache),
              "-q", "--jobs", "1"]
    result = CliRunner().invoke(main, [*common, "--out", str(tmp_path / "plain")])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, [*common, "--ner", "--out", str(tmp_path / "ner")])
    assert result.exit_code == 0, result.output
    # the stored result of the build without the recogniser is not taken for one with it
    assert "unchanged since the last build" not in result.output
    plain = pd.read_csv(tmp_path / "plain" / "mentions.csv", keep_default_na=False)
    ner = pd.read_csv(tmp_path / "ner" / "mentions.csv", keep_default_na=False)
    assert list(plain["surface"]) == ["California", "Poipet"]
    assert list(ner["surface"]) == ["Carpinteria", "Montecito", "California", "Poipet"]
    assert set(ner["resolved_by"]) == {"geonames", "gazetteer"} and (ner["country"][:2] == "US").all()


def test_ner_without_the_model_is_a_clear_error(tmp_path, repo, monkeypatch):
    monkeypatch.setattr("geomap.recognise.MODEL", "no_such_model_installed")
    seeds = tmp_path / "seeds"
    write_doc(seeds, "a.txt", f"---\npublished: 2018-01-10\n---\n{TEXT}\n")
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(repo / "gazetteer"),
                                       "--out", str(tmp_path / "out"), "-q", "--ner"])
    assert result.exit_code == 2
    assert "--ner needs spaCy and the model no_such_model_installed" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_the_parser_benchmark_reads_the_triggers_clause_from_the_parse():
    pytest.importorskip("spacy")
    from bench.parser_clauses import ParsedClauses
    from geomap.events import find_trigger
    from geomap.records import Sentence

    text = "Police said on Tuesday that the raids took place between August 17 and August 19 in Poipet."
    sentence = Sentence(0, 0, len(text), text)
    start, end = ParsedClauses().clause(text, sentence, find_trigger(sentence))
    # the reporting verb and its date are outside the raids' clause; the range and the place inside
    assert text[start:end] == "that the raids took place between August 17 and August 19 in Poipet"
