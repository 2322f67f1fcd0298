import pytest

from conftest import REPO

from geomap.documents import read_documents
from geomap.actors import ActorFinder, load_actors
from geomap.events import EventExtractor, find_trigger, find_triggers, status_of
from geomap.records import Sentence


def events_of(parts, tmp_path, text, published="2022-02-22"):
    from conftest import write_doc

    body = f"---\npublished: {published}\n---\n{text}" if published else text
    write_doc(tmp_path, "a.txt", body)
    doc, = read_documents(tmp_path)
    finder, resolver = parts
    finding = finder.find(doc)
    extractor = EventExtractor(ActorFinder(load_actors(REPO / "gazetteer")))
    return extractor.extract(doc, resolver.resolve_document(finding.mentions),
                             resolver.resolve_document(finding.embedded))


@pytest.mark.parametrize("sentence,expected", [
    ("Police raided a compound and arrested 40 people.", "raid"),
    ("Forty people were arrested in the capital.", "arrest"),
    ("The workers were rescued on Friday.", "rescue"),
    ("283 foreigners were deported from Cambodia.", "deportation"),
    ("The UK imposed sanctions on nine people.", "sanction"),
    ("The US seized assets worth $15 billion.", "seizure"),
    ("Chen was extradited to China.", "legal"),
    ("Victims were trafficked and tortured.", "abuse"),
    ("Hu Wei met the governor.", "meeting"),
    ("The ministry issued a statement denying it.", "statement"),
    ("The base has been upgraded with support from China.", "infrastructure"),
    ("Beijing sent warships to the coast.", "military"),
])
def test_trigger_types(sentence, expected):
    trigger = find_trigger(Sentence(0, 0, len(sentence), sentence))
    assert trigger is not None and trigger.type == expected


def test_no_trigger_no_event():
    assert find_trigger(Sentence(0, 0, 20, "The weather was fine.")) is None


def test_event_takes_date_city_over_country_and_cites_its_sentence(parts, tmp_path):
    text = ("Intro line.\nHu Wei met on Sunday (February 20) with the governor in Sihanoukville, Cambodia, "
            "to discuss action.\n")
    event, = events_of(parts, tmp_path, text)
    assert (event.type, event.date.iso, event.date.precision) == ("meeting", "2022-02-20", "day")
    assert not event.date.from_publication
    assert event.place.id == "kh-sihanoukville" and event.place_basis == "sentence"
    assert event.quote.startswith("Hu Wei met on Sunday (February 20)")
    assert text[event.sentence_start:event.sentence_end] == event.quote
    assert text[event.trigger_start:event.trigger_end] == "met"


def test_sentence_without_date_takes_the_publication_date_and_says_so(parts, tmp_path):
    event, = events_of(parts, tmp_path, "Police raided a casino in Poipet.\n", published="2023-05")
    assert (event.date.iso, event.date.precision, event.date.from_publication) == ("2023-05", "month", True)
    assert event.place.id == "kh-poipet"


def test_undated_document_gives_undated_events(parts, tmp_path):
    event, = events_of(parts, tmp_path, "Police raided a casino in Poipet last week.\n", published="")
    assert event.date.iso == "" and event.date.precision == ""


def test_repeated_headline_is_one_event(parts, tmp_path):
    text = "Police raid casino in Bavet\n\nPolice raid casino in Bavet\n\nNothing else happened.\n"
    event, = events_of(parts, tmp_path, text)
    assert (event.type, event.place.id, event.sentence_start) == ("raid", "kh-bavet", 0)


def test_place_falls_back_to_the_paragraph_then_the_document(parts, tmp_path):
    text = ("Cambodia is in the news. Officials in Phnom Penh spoke. Later, police arrested 12 men.\n"
            "Cambodia again. Cambodia said it would act.\nThey were later deported.\n")
    events = {e.type: e for e in events_of(parts, tmp_path, text)}
    assert (events["arrest"].place.id, events["arrest"].place_basis) == ("kh-phnom-penh", "paragraph")
    assert (events["deportation"].place.id, events["deportation"].place_basis) == ("kh", "document")
