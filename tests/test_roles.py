"""Place roles: where an event happened, where its people came from and were sent to."""

from __future__ import annotations

import pytest

from geomap.records import Mention, Place, Resolution, Sentence
from geomap.roles import nationalities, place_roles


def roles_in(text: str, *names: str) -> dict[str, str | None]:
    sentence = Sentence(0, 0, len(text), text)
    resolutions = []
    for name in names:
        start = text.index(name)
        mention = Mention("a.txt", start, start + len(name), name, 0)
        resolutions.append(Resolution(mention, Place(name.lower(), name, "country", 0, 0, 100), "gazetteer", ""))
    found = place_roles(text, sentence, resolutions)
    return {name: found[text.index(name)] for name in names}


@pytest.mark.parametrize("text,names,expected", [
    ("Those detained came from China, Vietnam and Thailand.", ("China", "Vietnam", "Thailand"),
     ["origin", "origin", "origin"]),
    ("The 64 Koreans were flown back to South Korea on Saturday.", ("South Korea",), ["destination"]),
    ("Police deported 200 people to China and Vietnam.", ("China", "Vietnam"), ["destination", "destination"]),
    ("Workers were rescued from Shwe Kokko on Monday.", ("Shwe Kokko",), ["where"]),
    ("Hundreds fled from KK Park across the river.", ("KK Park",), ["where"]),
    ("Nationals of Kenya and Uganda were among them.", ("Kenya", "Uganda"), ["origin", "origin"]),
    ("Thailand cut power to Myawaddy.", ("Thailand", "Myawaddy"), [None, None]),
    ("Police had handed 280 Chinese nationals caught running a call centre in the zone over to China.",
     ("China",), ["destination"]),
    # where people were headed for work, not where they were stopped
    ("Airport police stopped 14 Indonesians from flying out to illegal jobs in Cambodia.", ("Cambodia",),
     ["destination"]),
    ("They were recruited for work in Cambodia.", ("Cambodia",), ["destination"]),
    ("They were trapped by job scam syndicates in Cambodia.", ("Cambodia",), [None]),  # not where they went
    # where a person is from, and whom an envoy is sent to
    ("Officers detained Pham Thi Kim Anh, 21, of Long Khanh city in Dong Nai.", ("Long Khanh",), ["origin"]),
    ("Uganda's ambassador to Thailand said 14 were still held.", ("Thailand",), ["actor"]),
    # a place named by the place it is in has that place's role
    ("In May, 165 Chinese were flown to Shanghai's Pudong airport.", ("Shanghai", "Pudong"),
     ["destination", "destination"]),
    ("Cambodia has been strengthening military cooperation with China.", ("Cambodia", "China"), [None, "actor"]),
    ("Hundreds waded across the river into Thailand.", ("Thailand",), ["destination"]),
    ("He was flown out the next day at Beijing's request.", ("Beijing",), ["actor"]),
    ("The suspects were held on Washington's orders.", ("Washington",), ["actor"]),
])
def test_roles_are_read_from_the_words_before_a_name(text, names, expected):
    assert list(roles_in(text, *names).values()) == expected


def test_a_place_word_makes_a_where():
    text = "Police raided a compound in Poipet."
    start = text.index("Poipet")
    mention = Mention("a.txt", start, start + 6, "Poipet", 0, cue="in")
    found = place_roles(text, Sentence(0, 0, len(text), text),
                        [Resolution(mention, Place("p", "Poipet", "town", 0, 0, 5), "gazetteer", "")])
    assert found == {start: "where"}


def test_demonyms_before_words_for_people_are_origins_and_others_are_not():
    text = "Chinese and Vietnamese nationals, 12 Indonesian workers and the Thai army were there, said Chinese police."
    assert [n.country for n in nationalities(Sentence(0, 0, len(text), text))] == ["CN", "VN", "ID"]


def test_plural_and_counted_nationalities_are_origins_and_bodies_of_a_state_are_not():
    text = "270 Indians, 106 Chinese and 32 Sri Lankans were freed, said Chinese police and the Vietnamese embassy."
    assert [n.country for n in nationalities(Sentence(0, 0, len(text), text))] == ["IN", "CN", "LK"]


def test_landing_and_leaving_for_name_where_people_were_taken(parts, tmp_path):
    from test_events import events_of

    text = ("Four flights left Mae Sot for the city of Nanjing on Thursday and flew 200 Chinese nationals home.\n\n"
            "A chartered plane carrying 64 South Koreans deported from Cambodia landed at Incheon on Saturday.\n")
    flights, landing = events_of(parts, tmp_path, text, published="2025-02-21")
    # Nanjing, not China as well: the finer place of the country they were sent to
    assert [p.name for p in flights.destinations] == ["Nanjing"] and flights.place.id == "th-mae-sot"
    assert [p.name for p in landing.destinations] == ["Incheon"]


@pytest.mark.parametrize("text,expected", [
    ("They rounded up 346 foreign nationals, most of them Chinese, on Friday.", ["CN"]),
    ("They freed 497 foreigners along with Vietnamese, Malaysians, Taiwanese and Indonesians.",
     ["VN", "MY", "TW", "ID"]),
    # no plural in the list: the words name police and an army, not people
    ("Chinese and Thai police met on Friday.", []),
])
def test_nationalities_of_people_counted_or_listed(text, expected):
    assert [n.country for n in nationalities(Sentence(0, 0, len(text), text))] == expected


def test_people_of_a_country_the_gazetteer_lacks_come_from_the_index(parts, tmp_path):
    from test_events import events_of

    text = "Thai soldiers rescued 39 foreigners, 32 Sri Lankans and five Nepalis, near Mae Sot on Nov. 25.\n"
    (rescue,) = [e for e in events_of(parts, tmp_path, text, published="2025-11-30") if e.type == "rescue"]
    assert {p.country for p in rescue.origins} == {"LK", "NP"}
