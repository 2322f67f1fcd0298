import pytest

from conftest import REPO

from geomap.documents import read_documents
from geomap.actors import ActorFinder, load_actors
from geomap.events import EventExtractor, find_trigger, find_triggers, status_of
from geomap.pipeline import people_countries
from geomap.records import Sentence


def trigger_types(text):
    """The types of the triggers found in ``text`` read as one sentence."""
    return [t.type for t in find_triggers(Sentence(0, 0, len(text), text))]


def events_of(parts, tmp_path, text, published="2022-02-22"):
    from conftest import write_doc

    body = f"---\npublished: {published}\n---\n{text}" if published else text
    write_doc(tmp_path, "a.txt", body)
    doc, = read_documents(tmp_path)
    finder, resolver = parts
    finding = finder.find(doc)
    gazetteer = finder.gazetteer
    countries = {p.country: p for p in gazetteer.places.values() if p.kind == "country"}
    extractor = EventExtractor(ActorFinder(load_actors(REPO / "gazetteer")), frozenset(gazetteer.names), countries,
                               people_countries(finder.geonames, countries))
    return extractor.extract(doc, resolver.resolve_document(finding.mentions),
                             resolver.resolve_document(finding.embedded))


def events_of_type(parts, tmp_path, text, kind, published):
    """The events of type ``kind`` that ``text`` gives, in order."""
    return [e for e in events_of(parts, tmp_path, text, published=published) if e.type == kind]


@pytest.mark.parametrize("sentence,expected", [
    ("Police raided a compound and arrested 40 people.", "raid"),
    ("Forty people were arrested in the capital.", "arrest"),
    ("The workers were rescued on Friday.", "rescue"),
    ("Some workers slipped away from the hub when it was searched.", "escape"),
    ("Dozens tried to run away.", "escape"),  # an attempt is an act, not an aim
    ("Two villagers were wounded on Friday.", "violence"),
    ("Thirty-three Chinese nationals were put on a flight to Xiamen.", "deportation"),
    ("Two planes brought 197 more Indian nationals home from Mae Sot.", "deportation"),
    ("Cambodian police entered a three-storey building in a plaza in Poipet.", "raid"),
    ("At Mae Sot airport they boarded two China Southern Airlines flights.", "deportation"),
    ("Investigators began questioning the first batch over the weekend.", "legal"),
    ("Forensic experts carried out a joint autopsy on Monday.", "legal"),
    ("He had been made to scam people for eight months.", "abuse"),
    ("The row began with a brief exchange of fire near the Emerald Triangle.", "violence"),
    ("Authorities accuse him of using casinos to hold people and force them into online fraud.", "abuse"),
    ("The central bank said it was liquidating Huione Pay.", "closure"),
    ("Cambodia has halted imports of Thai fuel and gas.", "sanction"),
    ("The town fell to the rebels on Jan. 4.", "military"),
    ("283 foreigners were deported from Cambodia.", "deportation"),
    ("The UK imposed sanctions on nine people.", "sanction"),
    ("The US seized assets worth $15 billion.", "seizure"),
    ("Chen was extradited to China.", "legal"),
    ("Police dismantled four call-centre fraud operations in the zone.", "raid"),
    ("Officers searched 12 houses in two provinces.", "raid"),
    ("Police handed 90 Vietnamese caught in the raid over to Vietnam.", "deportation"),
    ("The guards handed them back to Thailand on Friday.", "deportation"),
    ("Prosecutors filed 12 fraud cases against the former mayor on Friday.", "legal"),
    ("He also faces a bribery case in Cebu.", "legal"),
    ("Two recruiters have been named suspects.", "legal"),
    ("Police put the brothers on a wanted list in 2023.", "legal"),
    ("The top court approved the death sentences.", "legal"),
    ("Officers questioned them at the border post.", "legal"),
    ("The police chief set up a panel to investigate the officers.", "legal"),
    ("The rebels handed 40 foreigners to the Thai army on Monday.", "deportation"),
    ("India flew 500 of its citizens out of Mae Sot.", "deportation"),
    ("Two flights carrying 300 nationals landed in Hanoi.", "deportation"),
    ("A transport plane took off with 283 passengers.", "deportation"),
    ("Officers carried away 500 computers.", "seizure"),
    ("Investigators recovered phones, laptops and 40 cars from the site.", "seizure"),
    ("The gang held a teacher captive for a month.", "abuse"),
    ("They were put to work running romance scams.", "abuse"),
    ("She was taken across the border to a scam compound.", "abuse"),
    ("The envoy raised the case during political consultations.", "meeting"),
    ("Fourteen Malaysians were picked up at a house in Taman Gembira.", "arrest"),
    ("Twenty-three people were held over a job fraud targeting Australians.", "arrest"),
    ("The group arrived at Bandaranaike International Airport on Monday.", "deportation"),
    ("Prosecutors completed their case against four recruiters.", "legal"),
    ("Officers took away 400 computers and 10 cars.", "seizure"),
    ("Reporters toured the empty complex.", "meeting"),
    ("The minister was visiting the border on Monday.", "meeting"),
    ("Victims were trafficked and tortured.", "abuse"),
    ("Hu Wei met the governor.", "meeting"),
    ("The ministry issued a statement denying it.", "statement"),
    ("The base has been upgraded with support from China.", "infrastructure"),
    ("Beijing sent warships to the coast.", "military"),
    ("Dozens of workers escaped from the compound overnight.", "escape"),
    ("Hundreds more were seen walking down from the scam site on Bokor Mountain.", "escape"),
    ("Workers at several compounds have begun leaving in large numbers.", "escape"),
    ("FinCEN issued a rule cutting Huione Group off from the U.S. financial system.", "sanction"),
    ("In mid-June Cambodia asked the International Court of Justice to rule on four disputed areas.", "legal"),
    ("The families filed a complaint against the recruiters.", "legal"),
    ("Artillery shells hit a village near the casino.", "violence"),
    ("Thailand cut power to three border towns.", "cutoff"),
    ("Internet services were suspended in the zone.", "cutoff"),
    ("Authorities shut down the casino.", "closure"),
    ("Bosses confiscated their passports on arrival.", "abuse"),
    ("Cambodian officers searched the building in Poipet on May 27.", "raid"),
    ("Police on Tuesday referred 45 South Koreans to prosecutors.", "legal"),
    ("The Court of Appeal on Monday upheld a lower court's order.", "legal"),
    ("The Supreme People's Court then approved the death sentences after a review.", "legal"),
    ("The court rejected the others' appeals on Dec. 24.", "legal"),
    ("By Oct. 20, prosecutors had asked courts for arrest warrants for 58 of them.", "legal"),
    ("About 60 Vietnamese ran from the casino in Bavet on Saturday.", "escape"),
    ("Armed groups released thousands of trafficked workers in February.", "rescue"),
    ("Nearly 80 more Vietnamese workers came home through Moc Bai on Monday.", "deportation"),
    ("Thirty-five Malaysians arrived home on two flights on Thursday.", "deportation"),
    ("About 40 of the workers had been questioned by Monday.", "legal"),
    ("China has executed 11 members of the Ming family.", "legal"),
    ("Police executed a search warrant at the hub.", "raid"),
    ("Three more were jailed in April.", "legal"),
    ("The court ruled in late October.", "legal"),
    ("Police at the airport stopped 14 Indonesians from flying out to Cambodia.", "arrest"),
    ("The first eight were stopped at Terminal 2 on Wednesday.", "arrest"),
    ("Soldiers stopped two Chinese men heading for the border.", "arrest"),
    ("They were escorted through the airport and put on two chartered planes to Wuhan.", "deportation"),
    ("Wang received the same term on April 16 for laundering money.", "legal"),
    ("A team inspected 46 business units in the zone between Aug. 26 and 29.", "raid"),
    ("The operation at the 22-building compound began on Saturday.", "raid"),
    ("Indian diplomats also secured the release of 14 Indian nationals.", "rescue"),
    ("Ring members sold them to gambling companies for $100 each.", "abuse"),
    ("They then had their papers taken and were kept under guard.", "abuse"),
    # a leader's order of a campaign is what is told, not a raid somewhere
    ("Prime Minister Hun Sen ordered a nationwide crackdown on illegal gambling.", "statement"),
    ("Hun Sen on Saturday ordered officials across the country to crack down hard on gambling.", "statement"),
    ("Police cracked down on gambling dens in Poipet.", "raid"),
    # people handed to another state's officers, flown or taken home
    ("Cambodian authorities handed 45 Vietnamese found without papers to border guards.", "deportation"),
    ("The 106 detainees were handed to Chinese police at the crossing.", "deportation"),
    ("China began flying its citizens home through Thailand.", "deportation"),
    ("Two flights left the airport on Thursday, taking 200 people home.", "deportation"),
    ("A chartered plane brought her back to Manila.", "deportation"),
    ("Chen was flown to China the next day at Beijing's request.", "deportation"),
    ("Phnom Penh sent him to China in early January.", "deportation"),
    ("About 44,000 workers had been sent from Myanmar to China since last year.", "deportation"),
    ("Police turned over Bai Suocheng, his son and four other suspects to a Chinese police team.", "deportation"),
    ("Police raided a scam compound on Thursday, freeing a Korean man.", "raid"),
    ("154 Indonesians were brought across the border to Mae Sot on Tuesday.", "deportation"),
    ("Soldiers moved into the town on Nov. 18 in a large operation against the scam centres.", "raid"),
    ("He said 153 Vietnamese were taken to the provincial police station.", "arrest"),
    ("Video showed hundreds of workers pouring out of the zone.", "escape"),
    ("The European Union added Saw Chit Thu to its own list last October.", "sanction"),
    ("The agency barred American banks from dealing with the group.", "sanction"),
    ("They were released on Saturday under an amnesty.", "legal"),
    ("A heavy round struck a vegetable plot in the village.", "violence"),
    ("SpaceX said it had disabled more than 2,500 Starlink kits near the compounds.", "cutoff"),
    ("They said they had been tricked into working for a scam gang.", "abuse"),
    ("His body was found on Aug. 8 in a pickup truck.", "abuse"),
    # a campaign against crime is no combat: the meeting is the event
    ("His meeting on Nov. 4 focused on ties in areas including fighting transnational crime.", "meeting"),
    ("Fighting continued around the town on Monday.", "military"),
    ("Forty workers broke out of the compound on Monday.", "escape"),
])
def test_trigger_types(sentence, expected):
    trigger = find_trigger(Sentence(0, 0, len(sentence), sentence))
    assert trigger is not None and trigger.type == expected


def test_an_act_of_the_sentence_wins_over_the_same_act_in_a_relative_clause_before_it():
    text = ("In April 2023 it deported 19 men who had been detained at a hotel in Sihanoukville, and Tokyo "
            "police arrested them on their return.")
    arrest = [t for t in find_triggers(Sentence(0, 0, len(text), text)) if t.type == "arrest"]
    assert [t.text for t in arrest] == ["arrested"]


def test_people_brought_back_after_a_long_description_are_a_deportation():
    text = "Two military flights brought 300 Vietnamese workers freed from compounds in northern Laos back to Hanoi."
    assert "deportation" in trigger_types(text)


@pytest.mark.parametrize("sentence,expected", [
    ("Amnesty International has called the situation a crisis.", []),
    ("He died of cardiac arrest on Monday.", []),
    ("The minister faced questions about the case on Monday.", []),
    ("No one had been arrested by Friday, police said.", []),
    ("A story was picked up internationally.", []),
    ("A visiting Senior Fellow at the institute wrote the report.", ["report"]),
    ("The meeting was held over the weekend.", ["meeting"]),
    ("Police made no arrests inside the complex.", []),
    ("None of them was deported.", []),
    ("The two men were not detained.", []),
    ("Nobody was hurt in the shelling.", ["violence"]),
    ("Compounds across the river hold thousands of people, according to rights groups.", []),
    ("Americans lost $10 billion to such scams in 2024, according to government estimates.", ["report"]),
    ("Most of the workers returned to their dormitories.", []),
    ("Police in Wenzhou issued arrest warrants on Sunday for four suspects.", ["legal"]),
    ("Checks showed that seven of the returnees were wanted on Thai arrest warrants.", []),
    # a happening named with "the" and whom it befell is told here, not elsewhere
    ("The exodus followed the arrest of Chen Zhi on Jan. 6 and his deportation to China.", ["arrest", "deportation"]),
    # a participle naming a thing
    ("Police searching a compound of the bosses of the raided hub found three mansions.", []),
    ("The officers mapped possible escape routes for a week.", []),
    ("Experts on trafficking have questioned the assertion.", []),
    ("Rangers and rescue volunteers searched the area.", []),
    ("The injured man was sent to a hospital in Mae Sot.", []),
    ("The men were sent to the national penitentiary in Muntinlupa.", []),
    ("Soldiers fired smoke rounds as a warning to both sides.", []),
    ("The crowds said they had received no warning.", []),
    ("The embassy's warning to its nationals advised against such jobs.", ["statement"]),
    ("The town sits where the borders of Myanmar, Thailand and Laos meet, near the river.", []),
    # quoted speech is the content of a saying
    ('"The Thai side has closed the entire border," he said.', []),
    ("“He was promised good money by a friend and was arrested after a month,” said his mother.", []),
    # a word or two in quotation marks is no speech
    ('Soldiers raided the "new city" on Nov. 18.', ["raid"]),
    # naming someone or something is not reporting on it
    ("A police source identified the target as the Prince Group.", []),
    ("The Criminal Investigation and Detection Group led the operation.", []),
    ("The ring was led by a 30-year-old identified only as A.", []),
    ("Inspectors identified 109 buildings used for fraud.", ["report"]),
])
def test_words_that_only_look_like_triggers(sentence, expected):
    assert [t.type for t in find_triggers(Sentence(0, 0, len(sentence), sentence))] == expected


@pytest.mark.parametrize("sentence", [
    "The minister handed a letter to the ambassador.",
    "She flew to Bangkok for the talks.",
])
def test_handing_and_flying_alone_are_no_deportation(sentence):
    trigger = find_trigger(Sentence(0, 0, len(sentence), sentence))
    assert trigger is None or trigger.type != "deportation"


@pytest.mark.parametrize("text,expected", [
    ("The army's commander told reporters on Sunday that the explosions were controlled demolitions.",
     [("statement", "told")]),
    ("Cambodia's defence ministry on Thursday called the air strikes reckless aggression.", [("statement", "called")]),
    # said of the happening itself: it is the event
    ("Police said on Tuesday that the raids took place between August 17 and August 19.", [("raid", "raids")]),
    ("Police said the raid on Monday freed 40 workers.", [("rescue", "freed")]),
])
def test_what_is_said_of_a_happening_told_elsewhere_is_a_statement(text, expected):
    assert [(t.type, t.text) for t in find_triggers(Sentence(0, 0, len(text), text))] == expected


@pytest.mark.parametrize("text,expected", [
    ("Officials said 14 had been rescued and 147 detained, and that many had been beaten by guards.",
     ["arrest", "rescue", "abuse"]),
    # a crime named as what someone is accused of is no abuse told
    ("Police arrested the boss on Monday, accusing him of human trafficking.", ["arrest"]),
    ("He was charged with human trafficking on Monday.", ["legal"]),
])
def test_abuse_people_went_through_is_told_beside_the_action(text, expected):
    assert trigger_types(text) == expected


@pytest.mark.parametrize("text", ["The weather was fine.", "A fire broke out in the compound on Monday."])
def test_no_trigger_no_event(text):
    # a fire breaking out is no escape
    assert find_trigger(Sentence(0, 0, len(text), text)) is None


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


def test_a_sentence_pointing_back_at_a_site_is_placed_there(parts, tmp_path):
    text = ("Soldiers took control of KK Park near Myawaddy on Oct. 16.\n\n"
            "Officials in Myawaddy spoke to reporters.\n\n"
            "They said 30 Starlink receivers had been seized in the compound.\n\n"
            "On Nov. 28, officers arrested 462 people there.\n")
    events = {e.type: e for e in events_of(parts, tmp_path, text, published="2025-12-01")}
    # "the compound" means the nearest compound named before, not the nearer town
    assert (events["seizure"].place.id, events["seizure"].place_basis) == ("mm-kk-park", "reference")
    # "there" means the nearest place finer than a country
    assert (events["arrest"].place.id, events["arrest"].place_basis) == ("mm-myawaddy", "reference")


def test_a_list_of_provinces_after_a_city_is_a_list(parts, tmp_path):
    text = "Police raided compounds in Phnom Penh and the provinces of Pursat, Kampot and Kratie on July 16.\n"
    event, = events_of(parts, tmp_path, text, published="2025-07-20")
    assert (event.place.id, event.place_basis) == ("kh", "list")


def test_the_same_crossing_is_the_crossing_named_before(parts, tmp_path):
    text = ("Cambodia deported 161 Vietnamese through the Moc Bai border gate on Saturday.\n\n"
            "Officials in Phnom Penh spoke to reporters.\n\n"
            "On Thursday, Cambodian authorities handed 45 Vietnamese to border guards at the same crossing.\n")
    first, then = [e for e in events_of(parts, tmp_path, text, published="2025-07-20") if e.type == "deportation"]
    # the Vietnamese gate of the Bavet-Moc Bai crossing, in Vietnam: the Cambodian side has a row of its own
    assert (first.place.id, first.place.country) == ("vn-moc-bai-gate", "VN")
    assert (then.place.id, then.place_basis) == ("vn-moc-bai-gate", "reference")


def test_a_crossing_borrowed_from_the_paragraph_yields_to_the_officers_of_another_state(parts, tmp_path):
    text = "Police raided a compound near the Poipet checkpoint on Monday. Thai police arrested 20 people on Tuesday.\n"
    arrest, = [e for e in events_of(parts, tmp_path, text, published="2025-07-20") if e.type == "arrest"]
    assert (arrest.place.country, arrest.place_basis) == ("TH", "government")


def test_an_event_spread_over_a_list_of_places_of_one_country_is_at_the_country(parts, tmp_path):
    text = ("Police arrested 500 foreigners in raids in Poipet, Bavet and Sihanoukville on March 3.\n\n"
            "Police raided a casino in Poipet and Bavet on March 9.\n")
    events = events_of(parts, tmp_path, text, published="2025-03-20")
    assert sorted((e.sentence_start > 0, e.type, e.place.id, e.place_basis) for e in events) == [
        (False, "arrest", "kh", "list"), (False, "raid", "kh", "list"), (True, "raid", "kh-poipet", "sentence")]


@pytest.mark.parametrize("text,published,expected", [
    # a place that opens a sentence as the setting of a saying is where it was said
    ("In Phnom Penh, police raided a casino on Monday.\n\n"
     "In Phnom Penh, an Interior Ministry spokesman said on Wednesday that 80 workers had been rescued.\n",
     "2025-10-16", [("raid", "kh-phnom-penh", "sentence"), ("rescue", "kh", "document")]),
    # what had happened before the paragraph's scene did not happen where it is set
    ("Cambodian police handed 161 Vietnamese to border guards at the Bavet checkpoint on Saturday. "
     "Officials said 14 of them had been rescued from scam compounds. "
     "Officials said 20 more were detained on Sunday.\n",
     "2025-07-20", [("deportation", "kh-bavet-crossing", "sentence"), ("rescue", "kh", "document"),
                    ("arrest", "kh-bavet-crossing", "paragraph")]),
    # an event across the whole country is at the country, whatever town the sentence names
    ("Police raided a casino in Poipet on Monday.\n\n"
     "Workers at compounds in Bavet and around the country have begun leaving in large numbers.\n\n"
     "In Sihanoukville, officers detained 40 people on Tuesday in a nationwide campaign.\n",
     "2026-01-20", [("raid", "kh-poipet", "sentence"), ("escape", "kh", "nationwide"),
                    ("arrest", "kh", "nationwide")]),
    # a place named just before its speakers speak is where they are; the story goes on where the
    # paragraph's last event happened (where the soldiers moved into)
    ("Soldiers moved into Shwe Kokko on Nov. 18 in an operation against scam gangs, across the river from Mae Sot. "
     "A day later they rounded up 346 foreign nationals, reporters in Mae Sot said.\n",
     "2025-11-29", [("raid", "mm-shwe-kokko", "sentence"), ("arrest", "mm-shwe-kokko", "paragraph")]),
    # a cut aimed at "the area" is not at another place the sentence names
    ("Workers streamed out of compounds in Myawaddy on Feb. 1. Thailand cut power to the area on Feb. 5 "
     "and China flew its citizens home through Mae Sot.\n",
     "2025-02-10", [("escape", "mm-myawaddy", "sentence"), ("deportation", "th-mae-sot", "sentence"),
                    ("cutoff", "mm-myawaddy", "paragraph")]),
])
def test_the_setting_of_a_saying_an_earlier_scene_and_a_whole_country_place_events(parts, tmp_path, text, published, expected):
    events = events_of(parts, tmp_path, text, published=published)
    assert [(e.type, e.place.id, e.place_basis) for e in events] == expected


@pytest.mark.parametrize("text,place_id", [
    ("Thailand cut electricity, fuel and internet supplies to Myawaddy on Feb. 5.", "mm-myawaddy"),
    ("Thailand cut off electricity to three Myanmar border towns on Wednesday.", "mm"),
    # the state cutting is not where: the area is, found as for any unplaced event
    ("Workers streamed out of compounds in Myawaddy. Thailand cut power to the area on Feb. 5.", "mm-myawaddy"),
])
def test_a_cut_is_where_it_is_aimed_not_at_the_state_that_cuts(parts, tmp_path, text, place_id):
    (cut,) = events_of_type(parts, tmp_path, text, "cutoff", "2025-02-10")
    assert cut.place.id == place_id


def test_where_troops_moved_into_is_where_they_raided(parts, tmp_path):
    text = "Soldiers moved into Shwe Kokko on Nov. 18 in an operation against scam centres facing Mae Sot in Thailand.\n"
    (raid,) = events_of_type(parts, tmp_path, text, "raid", "2025-11-29")
    assert raid.place.id == "mm-shwe-kokko"


def test_a_raid_is_not_where_its_people_were_sent_afterwards(parts, tmp_path):
    text = ("The Golden Triangle Special Economic Zone lies in Bokeo province.\n\n"
            "Police arrested 462 Chinese nationals in raids inside the zone on Nov. 28 and deported them "
            "to China the next day.\n")
    (raid,) = events_of_type(parts, tmp_path, text, "raid", "2023-12-08")
    assert raid.place.country == "LA"


def test_a_place_named_by_the_country_it_is_in_is_the_finer_place(parts, tmp_path):
    text = ("Many were taken to compounds in Myanmar's Karen State, where survivors say they were beaten "
            "and threatened.\n")
    (abuse,) = events_of_type(parts, tmp_path, text, "abuse", "2025-05-10")
    assert abuse.place.id == "mm-kayin"


def test_there_is_where_the_sentence_before_placed_its_event(parts, tmp_path):
    # "there" is Poipet, where the search happened, not Tak, the last place the sentence named
    text = ("Cambodian officers searched the building in Poipet on May 27, acting on information that "
            "police in Tak had passed on. They detained more than 30 foreigners there.\n")
    events = {e.type: e for e in events_of(parts, tmp_path, text, published="2025-08-20")}
    assert events["raid"].place.id == "kh-poipet"
    assert (events["arrest"].place.id, events["arrest"].place_basis) == ("kh-poipet", "reference")


def test_a_time_of_day_goes_on_with_the_day_told_before(parts, tmp_path):
    text = ("Police rescued 1,090 people from a hub in Poipet on Thursday night, police said.\n\n"
            "Officers entered the hub shortly after seven in the evening.\n")
    raid, = [e for e in events_of(parts, tmp_path, text, published="2023-05-08") if e.type == "raid"]
    assert raid.date.window == ("2023-05-04", "2023-05-04")


def test_later_that_month_is_after_the_day_told_before_within_its_month(parts, tmp_path):
    text = ("Sixteen Malaysians were freed in Sihanoukville on April 5 this year.\n\n"
            "Twelve of them were flown home later that month.\n")
    deportation, = [e for e in events_of(parts, tmp_path, text, published="2022-11-03") if e.type == "deportation"]
    assert (deportation.date.iso, deportation.date.precision, deportation.date.window) == \
        ("2022-04", "month", ("2022-04-05", "2022-04-30"))


def test_what_befell_people_before_in_a_relative_clause_does_not_place_their_return(parts, tmp_path):
    text = ("Twenty-three Ugandans who had been held captive by traffickers in Myanmar flew home on Thursday, "
            "landing at Entebbe International Airport.\n")
    (event,) = events_of(parts, tmp_path, text, published="2024-05-23")
    assert (event.type, event.place.name) == ("deportation", "Entebbe")
    text = ("Soldiers raided the compound in Shwe Kokko and freed 47 Nepalis, who were then detained by Thai "
            "immigration officers in Mae Sot.\n")
    raid = events_of_type(parts, tmp_path, text, "raid", "2025-12-10")[0]
    assert raid.place.id == "mm-shwe-kokko"


# Where the rules of 2026-11-27's second session put an event: (text, published, type, the place's
# id or name, its basis or None). The last event of the type is read: earlier sentences set the scene.
PLACED = {
    "a court named for its city places its ruling when the sentence names no place": (
        "BEIJING - China executed three men on Monday.\n\n"
        "The Hangzhou Intermediate People's Court had sentenced them to death on Oct. 3.\n",
        "2025-12-02", "legal", "Hangzhou", "organisation"),
    "a court rules where it sits, not where the crime was": (
        "The People's Court of Hanoi City on Monday sentenced four people to prison for luring young "
        "Vietnamese to a fraud operation in Sihanoukville.\n", "2025-07-01", "legal", "Hanoi", "organisation"),
    "a court's seat before its name, a capital, stays the city": (
        "The Hanoi People's Court jailed a recruiter for selling nine people to a company in Sihanoukville.\n",
        "2025-07-01", "legal", "Hanoi", "organisation"),
    "a court with no place sits in the state the story is filed from": (
        "BANGKOK, Nov 13 - Thailand sent the developer of a casino town in Myanmar's Karen State to China.\n\n"
        "He built the Shwe Kokko complex in Myanmar, across the river from Myanmar's Myawaddy.\n\n"
        "The Court of Appeal on Monday upheld the order that he be sent to China.\n",
        "2025-11-13", "legal", "th", "court"),
    # "in Soi Wat Bunkanjanaram, Pattaya": the lane is unknown, the town after it has its place word;
    # the state whose body acts ("Thailand's Department of Special Investigation") only says who acted
    "a town after a comma tells where the place before it is": (
        "Officers of Thailand's Department of Special Investigation raided a rented house on a quiet lane in "
        "Soi Wat Bunkanjanaram, Pattaya, on Friday, police said.\n", "2025-08-19", "raid", "Pattaya", "sentence"),
    "a dateline's country is not told as where the dateline's place is": (
        "SEPANG, Malaysia, Nov 3 - Twelve Malaysians who had been held in Cambodia arrived home on Thursday.\n",
        "2022-11-03", "deportation", "Sepang", None),
    "people are freed where a relative clause says they were held": (
        "Police freed 40 Indonesians who had been trapped in a compound in Poipet.\n",
        "2025-02-13", "rescue", "kh-poipet", "sentence"),
    "a site people were trafficked into is where the zone points later": (
        "Police rescued 13 Vietnamese who had been trafficked into the Golden Triangle Special Economic Zone.\n\n"
        "Lao officers detained 771 people in another operation in the zone in August.\n",
        "2024-08-31", "arrest", "la-golden-triangle-sez", "reference"),
    "the building points back at the site named before": (
        "Police raided a hub inside the Clark Freeport Zone in Mabalacat City on Thursday.\n\n"
        "Workers said they had been beaten and were not allowed to leave the building.\n",
        "2023-05-08", "abuse", "Clark Freeport Zone", "reference"),  # the site: the zone, in Mabalacat
    "a state's saying beats an attribution at the sentence's end": (
        "Taiwan said on Aug. 19 that 333 of its citizens were stranded in Cambodia, according to reports "
        "from their families.\n", "2022-08-22", "statement", "tw", None),
    "an envoy acts where it is sent, not on its state's soil": (
        "PHNOM PENH - Cambodia deported 300 Vietnamese from Sihanoukville on Sunday.\n\n"
        "Hours before the flight, Vietnam's ambassador met the interior minister to discuss the returns.\n",
        "2026-02-11", "meeting", "kh", None),
    "where a scam's victims are is not where it was raided": (
        "Police raided a call centre in Kuala Lumpur on Sept 4.\n\n"
        "Officers detained 59 people in the city over a forex scam aimed at victims in Singapore and India.\n",
        "2023-10-25", "arrest", "my-kuala-lumpur", None),
    "the town points first at a town its own sentence named before": (
        "Officials met in Bangkok on Monday.\n\n"
        "Poipet, which faces Aranyaprathet, has long hosted casinos, and a raid near the town's market in "
        "March led to 300 arrests.\n", "2025-06-02", "raid", "kh-poipet", "reference"),
    "a return told from home is seen in the town of home it is sent to": (
        "COLOMBO, June 3 - Forty Sri Lankans who had been held in compounds in Myanmar were flown back "
        "to Colombo on Monday, the ministry said.\n", "2025-06-03", "deportation", "Colombo", "sentence"),
    "a return told from home with no town named is seen at the dateline's": (
        "DHAKA, June 3 - Twelve Bangladeshis who had been trapped by scam gangs in Cambodia arrived home "
        "on Sunday.\n", "2025-06-03", "deportation", "Dhaka", "dateline"),
}


@pytest.mark.parametrize("case", list(PLACED))
def test_where_the_events_of_a_sentence_happened(parts, tmp_path, case):
    text, published, kind, place, basis = PLACED[case]
    event = events_of_type(parts, tmp_path, text, kind, published)[-1]
    assert place in (event.place.id, event.place.name), (event.place.id, event.place_basis)
    assert basis is None or event.place_basis == basis


@pytest.mark.parametrize("text, published, kind, not_at", [
    # what befell the people otherwise still does not place the act
    ("Forty Indonesians who had been recruited in Poipet were freed on Friday.\n", "2025-02-13", "rescue",
     "kh-poipet"),
    # people sent out of the dateline's country are no return home
    ("DHAKA, June 3 - Police raided a compound in Poipet last week.\n\n"
     "Twenty Chinese nationals were put on a flight to Xiamen on Sunday.\n", "2025-06-03", "deportation", "Dhaka"),
    # where a body is based is not where it acts, nor its country's government acting
    ("The Tokyo-based magazine The Diplomat reported on Monday that Cambodia's image had been whitewashed.\n",
     "2025-06-03", "report", "jp"),
])
def test_where_the_events_of_a_sentence_did_not_happen(parts, tmp_path, text, published, kind, not_at):
    event = events_of_type(parts, tmp_path, text, kind, published)[-1]
    assert event.place is None or not_at not in (event.place.id, event.place.name)


def test_an_arrest_the_story_tells_without_a_day_is_of_its_operation(parts, tmp_path):
    text = ("Police raided a mall in Lat Phrao on Aug. 12.\n\n"
            "The bag held 400,000 baht. Officers seized the cash and phones in the car park.\n")
    seizure = events_of_type(parts, tmp_path, text, "seizure", "2025-08-17")[0]
    assert (seizure.date.iso, seizure.date.precision) == ("2025-08-12", "day")
    # not an abuse told without a day: that may be of any time before
    text = ("Police raided a mall in Lat Phrao on Aug. 12.\n\n"
            "Workers said they had been beaten by their bosses.\n")
    abuse = events_of_type(parts, tmp_path, text, "abuse", "2025-08-17")[0]
    assert abuse.date.from_publication


def test_a_ministry_saying_is_a_statement_dated_by_its_day(parts, tmp_path):
    text = "Vietnam's foreign ministry said on Monday that 40 citizens had gone home.\n"
    event, = events_of(parts, tmp_path, text, published="2024-08-22")
    assert (event.type, event.date.iso) == ("statement", "2024-08-19")


def test_an_official_named_with_lower_case_titles_speaks(parts, tmp_path):
    for text in ("Thai deputy police chief Surachate Hakparn said the operation needed 15 flights.\n",
                 "CCIB commissioner Pol Lt Gen Trairong Phiewpan told a briefing that brokers were paid.\n"):
        event, = events_of(parts, tmp_path, text, published="2024-03-14")
        assert event.type == "statement"


def test_what_befell_people_named_by_a_participle_does_not_place_the_sentences_act(parts, tmp_path):
    # "Nepalis rescued from Myawaddy" says where they had been, not where they were sent home from
    text = "BANGKOK - The embassy sent home five Nepalis rescued from Myawaddy on Dec. 17.\n"
    deportation = events_of_type(parts, tmp_path, text, "deportation", "2024-12-20")[0]
    assert deportation.place.id != "mm-myawaddy"
    # the participle's own act is still there
    text = "In May, 165 Chinese arrested in Poipet were flown to Shanghai.\n"
    arrest = events_of_type(parts, tmp_path, text, "arrest", "2024-09-06")[0]
    assert arrest.place.id == "kh-poipet"


def test_where_a_saying_tells_people_to_go_is_not_where_it_was_said(parts, tmp_path):
    text = ("SEOUL - The ministry urged South Koreans to be careful when travelling to Tachileik and to check "
            "job offers with the authorities.\n")
    (statement,) = events_of(parts, tmp_path, text, published="2023-11-14")
    assert statement.place.id != "mm-tachileik"


def test_an_act_on_a_place_with_no_place_of_its_own_is_at_the_storys_scene(parts, tmp_path):
    text = ("Soldiers raided Shwe Kokko on Nov. 18 and detained 2,000 foreigners.\n\n"
            "Officials also confiscated 3,310 computers and 102 Starlink terminals.\n\n"
            "Rights groups say many of the workers had been beaten.\n")
    events = {e.type: e for e in events_of(parts, tmp_path, text, published="2025-11-29")}
    assert (events["seizure"].place.id, events["seizure"].place_basis) == ("mm-shwe-kokko", "story")
    assert events["abuse"].place_basis != "story"  # what befalls people is not tied to the scene so


def test_a_dateline_name_lies_in_the_country_the_dateline_names(parts, tmp_path):
    from test_mentions import resolve_text

    # the index knows a Clark in New Jersey, none in the Philippines: not this dateline's place
    _, res = resolve_text(parts, tmp_path, "CLARK, Philippines - Police rescued 1,090 people.\n")
    assert [r.mention.surface for r in res if r.mention.cue == "dateline"] == []
    _, res = resolve_text(parts, tmp_path, "MAE SOT, Thailand - Police detained 40 people.\n", name="b.txt")
    assert [(r.mention.surface, r.place.id) for r in res if r.mention.cue == "dateline"] == [("MAE SOT", "th-mae-sot")]


@pytest.mark.parametrize("sentence", [
    "Officers of the Central Investigation Bureau drove him to the airport.",  # a body's name
    "Investigators of the Department of Special Investigation spoke to reporters.",
    "The four clans ruled Laukkai for more than a decade.",  # governed, not a court's ruling
    "Callers persuaded them to hand over cash.",  # money handed over, not people
    "Police stopped two trucks.",  # things stopped, not people
    "The works were stopped.",
])
def test_words_of_acts_that_name_something_else_are_no_trigger(sentence):
    assert trigger_types(sentence) == []


def test_one_act_told_for_several_days_is_one_event_a_day(parts, tmp_path):
    text = "Police raided a compound in Poipet on March 13, and a casino in Bavet on June 4.\n"
    raids = [(e.type, e.date.iso, e.place.id) for e in events_of(parts, tmp_path, text, published="2024-09-06")]
    assert raids == [("raid", "2024-03-13", "kh-poipet"), ("raid", "2024-06-04", "kh-bavet")]
    # another act in between, a saying, or the end of a range is no second day of the first act
    for text in ("Police arrested 20 people in Poipet on Jan. 6 and deported them to China on Jan. 7.\n",
                 "Police arrested 20 people in Poipet on Jan. 6, the ministry said on Jan. 8.\n",
                 "Police arrested 20 people in Poipet between Jan. 6 and Jan. 9.\n"):
        arrests = [e for e in events_of(parts, tmp_path, text, published="2024-09-06") if e.type == "arrest"]
        assert len(arrests) == 1, text


def test_named_bosses_handed_to_another_states_police_are_a_legal_transfer(parts, tmp_path):
    text = ("Myanmar police turned over Bai Suocheng, his son Bai Yingcang and four other suspects to a "
            "Chinese police team in Laukkai on Jan. 30.\n\n"
            "The 106 Chinese detainees were handed to Chinese police at the Boten crossing on Aug. 15.\n")
    types = [e.type for e in events_of(parts, tmp_path, text, published="2024-02-01")]
    assert types == ["legal", "deportation"]


def test_a_district_of_a_province_named_by_its_possessor_is_in_the_province(parts, tmp_path):
    text = "Officials handed 260 foreigners to Thai police at a crossing in Tak's Phop Phra district.\n"
    (event,) = events_of(parts, tmp_path, text, published="2025-02-13")
    assert event.place.id == "th-tak-province"


def test_a_state_acting_in_a_clause_after_a_conjunction_places_its_act(parts, tmp_path):
    text = ("Police in Tay Ninh opened the case.\n\n"
            "The case opened after Cambodian authorities, on July 9, sent back a group of Vietnamese.\n")
    deportation = events_of_type(parts, tmp_path, text, "deportation", "2024-08-25")[0]
    assert deportation.place.id == "kh"


def test_an_unnamed_site_is_where_the_words_after_it_put_it(parts, tmp_path):
    # the compound is the scam centre "in Myanmar", not in Dhaka, where the people later landed
    text = ("Eighteen Bangladeshis trafficked to a scam centre in Myanmar returned home on Wednesday, landing "
            "at an airport in Dhaka.\n\nAt least 11 of the men were freed from the compound on Feb. 23.\n")
    rescue = events_of_type(parts, tmp_path, text, "rescue", "2025-03-19")[0]
    assert rescue.place.id == "mm"


def test_a_saying_the_story_tells_without_a_day_was_said_on_the_storys_day(parts, tmp_path):
    text = ("Twenty-three Ugandans flew home on Thursday, the ministry said.\n\n"
            "Speaking at the airport, the minister warned young Ugandans to be wary of job offers abroad.\n")
    statement = events_of_type(parts, tmp_path, text, "statement", "2024-05-23")[0]
    assert statement.date.window == ("2024-05-23", "2024-05-23")


def test_a_day_of_that_year_is_of_the_year_told_before(parts, tmp_path):
    text = ("Lee was detained in 2022.\n\n"
            "On July 5 that year, officers raided an office used by the gang in Taipei.\n")
    raid = events_of_type(parts, tmp_path, text, "raid", "2024-11-08")[0]
    assert (raid.date.iso, raid.date.window) == ("2022-07-05", ("2022-07-05", "2022-07-05"))


def test_a_compound_without_a_name_is_at_the_town_that_told_of_it(parts, tmp_path):
    text = ("A court sentenced the former mayor of Sihanoukville over a scam hub that ran behind the "
            "town hall, officials in Phnom Penh said.\n\n"
            "Police freed 300 workers from the compound on March 13, 2024.\n")
    events = {e.type: e for e in events_of(parts, tmp_path, text, published="2025-01-10")}
    assert (events["rescue"].place.id, events["rescue"].place_basis) == ("kh-sihanoukville", "reference")


def test_the_documents_country_counts_no_place_people_were_sent_to(parts, tmp_path):
    # China is named more often than Myanmar, but only as where suspects were sent and who asked:
    # the story happens in Myanmar
    text = ("Myanmar police in Laukkai arrested 40 suspects on Oct. 2.\n\n"
            "They were handed over to China and flown to China on Oct. 5.\n\n"
            "Officials said talks with China and with China went on.\n\n"
            "Investigators said some of the suspects were later charged.\n")
    events = {e.type: e for e in events_of(parts, tmp_path, text, published="2025-10-20")}
    assert (events["legal"].place.id, events["legal"].place_basis) == ("mm", "document")


@pytest.mark.parametrize("sentence,place_id,basis", [
    ("Thai immigration fined them and confiscated their phones.", "th", "government"),
    ("Later, Thai authorities found that 174 of them had been trafficked.", "th", "government"),
    # officers who only speak, or who receive, do not say where it happened
    ("Thai officials said 14 of them were rescued.", "mm-kk-park", "paragraph"),
    ("They were handed over to Thai police.", "mm-kk-park", "paragraph"),
    ("Cambodian and Thai police arrested 12 men.", "mm-kk-park", "paragraph"),
    # the place of their own country the sentence names, as the origin or destination of those moved
    ("Thai officials detained 40 men who had crossed from Myawaddy and took them to Mae Sot.", "th-mae-sot",
     "officers"),
])
def test_a_states_own_officers_acting_place_an_unplaced_event_in_their_country(parts, tmp_path, sentence,
                                                                               place_id, basis):
    text = f"Hundreds of workers fled KK Park on Oct. 23. {sentence}\n"
    event = events_of(parts, tmp_path, text, published="2025-11-01")[-1]
    assert (event.place.id, event.place_basis) == (place_id, basis)


def test_a_companys_name_is_never_where_an_event_happened(parts, tmp_path):
    text = ("Hundreds of workers fled KK Park on Oct. 23. Police detained 30 of them as they boarded "
            "a China Southern Airlines plane.\n")
    event = events_of(parts, tmp_path, text, published="2025-11-01")[-1]
    assert (event.type, event.place.id, event.place_basis) == ("arrest", "mm-kk-park", "paragraph")


def test_the_date_of_the_triggers_own_clause_wins_over_a_nearer_one_in_another(parts, tmp_path):
    text = "Guo left the country in July 2024, and was arrested by police in Tangerang on Sept. 4, 2024.\n"
    events = {e.type: e for e in events_of(parts, tmp_path, text, published="2025-11-20")}
    assert events["arrest"].date.iso == "2024-09-04"


def test_a_date_before_and_dates_what_the_sentence_told_before_it(parts, tmp_path):
    # the appositive ("near Jakarta") cuts the arrest's clause before its date: the date of the
    # conjunct before "and" is still not the arrest's
    text = ("Guo slipped out of the Philippines in July 2024 and was arrested by police in Tangerang, near "
            "Jakarta, on Sept. 4, 2024.\n")
    events = {e.type: e for e in events_of(parts, tmp_path, text, published="2025-11-20")}
    assert (events["escape"].date.iso, events["arrest"].date.iso) == ("2024-07", "2024-09-04")


def test_a_paragraph_that_says_it_goes_on_keeps_the_date_before_it(parts, tmp_path):
    text = ("On Aug. 12, officers raided a compound in Bokeo.\n\n"
            "Officers also seized 709 computers in Bokeo.\n\n"
            "Police arrested 20 men in Vientiane.\n")
    raid, seizure, arrest = events_of(parts, tmp_path, text, published="2024-08-21")
    assert (seizure.type, seizure.date.iso) == ("seizure", "2024-08-12")
    assert (arrest.type, arrest.date.from_publication) == ("arrest", True)  # nothing says it goes on


def test_a_paragraph_that_points_back_there_keeps_the_date_before_it(parts, tmp_path):
    text = ("On Aug. 25, police raided a hotel in Oecusse.\n\n"
            "More than 30 foreigners were detained for working there without permits.\n\n"
            "There were 40 more workers, police said. Police arrested 20 men in Dili.\n")
    raid, detained, arrest = events_of(parts, tmp_path, text, published="2026-02-22")
    assert (detained.type, detained.date.iso) == ("arrest", "2025-08-25")
    # "there were": no place pointed at, and no story told on
    assert (arrest.type, arrest.date.from_publication) == ("arrest", True)


@pytest.mark.parametrize("sentence,expected", [
    ("Soldiers surrounded the compound in Poipet on Monday.", ["raid"]),
    ("Thousands of workers streamed out of a compound in Poipet on Monday.", ["escape"]),
    # a crime naming a charge or people is no abuse told of; charges brought against people are a legal act
    ("Police in Poipet announced murder and fraud charges against three men on Monday.", ["legal"]),
    ("Officials in Poipet screened trafficking victims on Monday.", []),
    ("Police in Poipet said 40 workers had been trafficked.", ["abuse"]),
])
def test_triggers_for_raids_escapes_and_crimes_that_only_name_a_thing(parts, tmp_path, sentence, expected):
    assert [e.type for e in events_of(parts, tmp_path, sentence + "\n", published="2025-08-22")] == expected


def test_people_named_again_keep_where_they_came_from_within_the_paragraph(parts, tmp_path):
    text = ("Police in Bavet detained 147 Vietnamese nationals on Monday. Officials said 14 of them had "
            "been rescued.\n\nSeveral workers were rescued in Poipet.\n")
    arrest, rescue, other = events_of(parts, tmp_path, text, published="2025-08-22")
    assert [p.id for p in arrest.origins] == [p.id for p in rescue.origins] == ["vn"]
    assert other.origins == ()  # a new paragraph, other people


def test_what_befalls_people_no_sentence_names_befalls_the_storys_people(parts, tmp_path):
    text = ("NAIROBI - Kenya flew home 119 Kenyans on Monday who had been held in scam compounds in "
            "Myawaddy. The Kenyan workers landed at Jomo Kenyatta airport.\n\nSeveral said they were beaten "
            "when they failed to meet their targets. A Chinese manager was arrested in Myawaddy last week.\n")
    events = {e.type: e for e in events_of(parts, tmp_path, text, published="2025-08-22")}
    # Kenyans are the story's people (three of its four nationality words): they were beaten
    assert [p.id for p in events["abuse"].origins] == ["geonames:192950"]
    assert events["abuse"].destinations == ()
    # an arrest befalls suspects as often: only its own sentence says whose
    assert events["arrest"].origins == ()


def test_officers_named_after_the_act_did_another_clauses_deed(parts, tmp_path):
    text = ("LAUKKAI, Myanmar, Nov 17 (Irrawaddy-style) - Myanmar's military government says it has arrested "
            "members of a family that ruled the border region, days after Chinese police put a price on their "
            "heads.\n")
    arrest, = events_of(parts, tmp_path, text, published="2025-11-17")
    # Myanmar's government arrested them, at its dateline; not China, whose police came later
    assert (arrest.type, arrest.place.id) == ("arrest", "mm-laukkai")


def test_a_country_bringing_back_its_citizens_is_where_they_came_from_and_go(parts, tmp_path):
    text = "Police in Mae Sot said China would send planes to bring back 600 of its citizens.\n"
    event, = events_of(parts, tmp_path, text, published="2025-02-22")
    assert event.type == "deportation"
    assert [p.id for p in event.origins] == [p.id for p in event.destinations] == ["cn"]


@pytest.mark.parametrize("sentence,trigger_type,status", [
    ("The United States is considering imposing sanctions on prominent Cambodians.", "sanction", "planned"),
    ("Police have acted slowly and not conducted sweeping operations.", "raid", "denied"),
    ("The move would come during a delicate phase.", None, None),
    ("Sanction decisions had been postponed by the government.", "sanction", "planned"),
    ("He was allegedly trafficked to a compound.", "abuse", "alleged"),
    ("Police raided a compound on Monday.", "raid", "happened"),
    ("The secretary is expected to join a naval ship visit.", "military", "planned"),
    ("An inspection team prepares their deportation.", "deportation", "planned"),
    ("Those returned are to be investigated in China.", "legal", "planned"),
    ("The militia has said it wants to expel 10,000 foreigners.", "deportation", "planned"),
    ("Some were reported to have been beaten by guards.", "abuse", "alleged"),
    # people suspected of a crime, arrested: the arrest happened
    ("Ten nationals suspected of online scams were arrested on Thursday.", "arrest", "happened"),
    # "the arrest" is told of elsewhere; the act told here comes after it, and happened
    ("Police would not confirm details about the arrest, but in 2020 authorities arrested 523 people.",
     "arrest", "happened"),
    # what should, still had to or is scheduled to happen has not happened yet
    ("Repatriation flights for the remaining Indonesians should restart next week.", "deportation", "planned"),
    ("Another 62 workers still had to be rescued from the compound, officials said.", "rescue", "planned"),
    ("The deportation of the last 40 men is scheduled for Wednesday.", "deportation", "planned"),
    # ...but a relative clause's schedule is not the act's, nor another clause's, nor "due to" a cause
    ("The 40 men were deported on a flight that was scheduled to leave at noon.", "deportation", "happened"),
    ("36 of them were flown home on Friday and another 30 were due to leave.", "deportation", "happened"),
    ("Police rescued 40 workers, whose families were expected to arrive.", "rescue", "happened"),
    ("Police arrested 12 people; the suspects are due to appear in court.", "arrest", "happened"),
    ("The raid was due to a tip-off.", "raid", "happened"),
    ("It should be noted that police raided the compound.", "raid", "happened"),
    # ...while a recommendation, a date due and a schedule told across a parenthesis are not yet done
    ("Thailand should deport the workers.", "deportation", "planned"),
    ("The men are due to be deported on Friday.", "deportation", "planned"),
    ("The repatriation of 200 Indonesians, officials said, is scheduled for Wednesday.", "deportation", "planned"),
])
def test_status_of_an_event(sentence, trigger_type, status):
    s = Sentence(0, 0, len(sentence), sentence)
    triggers = find_triggers(s)
    if trigger_type is None:
        assert triggers == []
        return
    assert triggers[0].type == trigger_type
    assert status_of(s, triggers[0]) == status


def test_a_sentence_reporting_two_actions_gives_two_events(parts, tmp_path):
    events = events_of(parts, tmp_path, "In 2023, 283 foreigners were arrested and deported from Cambodia.\n",
                       published="2025-11")
    assert [(e.type, e.date.iso, e.place.id) for e in events] == [("arrest", "2023", "kh"),
                                                                   ("deportation", "2023", "kh")]
    assert events[0].event_id != events[1].event_id
    figure, = events[0].figures
    assert (figure.kind, figure.value, figure.unit, figure.role) == ("people", 283, "foreigners", "arrested")


def test_an_aim_is_not_an_action(parts, tmp_path):
    event, = events_of(parts, tmp_path, "Cambodia rejected a commentary on its efforts to crack down on scams.\n")
    assert event.type == "statement"


def test_actors_known_and_recognised(parts, tmp_path):
    event, = events_of(parts, tmp_path, "Deputy Prime Minister Tea Seiha met Hegseth and the Sihanoukville "
                                        "Provincial Gendarmerie in Kuala Lumpur.\n")
    assert event.actors == ("Tea Seiha", "Pete Hegseth", "Sihanoukville Provincial Gendarmerie")


@pytest.mark.parametrize("sentence,actors", [
    ("(Reuters) - The United States sanctioned three tycoons on Monday.", ()),
    ("Reuters could not confirm whether police raided the compound on Monday.", ()),
    ("He told Reuters that police raided the compound in Poipet on Monday.", ()),
    # an outlet a sentence tells of, not the one telling it, is an actor
    ("The government closed VOD in February 2023.", ("VOD English",)),
    ("Police raided the offices of VOD in Phnom Penh in February 2023.", ("VOD English",)),
])
def test_a_news_outlet_telling_the_story_is_no_actor_of_it(parts, tmp_path, sentence, actors):
    event, = events_of(parts, tmp_path, sentence + "\n", published="2024-03-01")
    assert event.actors == actors


def test_money_figures_with_currency(parts, tmp_path):
    event, = events_of(parts, tmp_path, "In October, the US seized US$15 billion in bitcoin in Cambodia.\n",
                       published="2026-01")
    money, = event.figures
    assert (money.kind, money.value, money.unit) == ("money", 15e9, "USD")
    assert (event.type, event.date.iso) == ("seizure", "2025-10")


def test_a_capital_named_as_an_actor_stands_for_its_country(parts, tmp_path):
    event, = events_of(parts, tmp_path, "Beijing sent warships to the coast.\n")
    assert (event.place.id, event.place_basis) == ("cn", "government")
    other, = events_of(parts, tmp_path, "Officials met in Beijing to talk.\n")
    assert (other.place.id, other.place_basis) == ("cn-beijing", "sentence")


def test_a_capital_whose_will_it_was_does_not_place_the_event(parts, tmp_path):
    text = ("Police in Cambodia detained Chen Zhi.\n\n"
            "Chen was arrested on Jan. 6 and flown to China the next day at Beijing's request.\n")
    arrest, deportation = [e for e in events_of(parts, tmp_path, text, published="2026-01-08")
                           if e.sentence_start > 0]
    assert (arrest.type, deportation.type) == ("arrest", "deportation")
    assert arrest.place.id == deportation.place.id == "kh"
    assert [p.id for p in deportation.destinations] == ["cn"]


def test_a_country_naming_whose_forces_act_yields_to_a_place_the_sentence_names(parts, tmp_path):
    text = "Myanmar troops attacked rebels holding a hill on Friday, near a village in Myawaddy.\n"
    event, = events_of(parts, tmp_path, text, published="2025-12-06")
    assert event.place.id == "mm-myawaddy"
    alone, = events_of(parts, tmp_path, "Myanmar troops attacked rebels on Friday.\n", published="2025-12-06")
    assert alone.place.id == "mm"


def test_a_suspects_crime_abroad_is_not_where_their_own_police_arrested_them(parts, tmp_path):
    text = ("Japanese police have arrested 13 people on suspicion of taking part in phone fraud run from a "
            "base in the Cambodian border city of Bavet, investigators said on Thursday.\n")
    event, = [e for e in events_of(parts, tmp_path, text, published="2026-01-15") if e.type == "arrest"]
    assert (event.place.country, event.place_basis) == ("JP", "government")
    # the crime's place is where the arrest was when the police are that country's own
    text = ("Cambodian police arrested 13 people on suspicion of running phone fraud from a base in Bavet on "
            "Thursday.\n")
    event, = [e for e in events_of(parts, tmp_path, text, published="2026-01-15") if e.type == "arrest"]
    assert event.place.id == "kh-bavet"


def test_geo_precision_says_how_precise_the_place_is(parts, tmp_path):
    events = events_of(parts, tmp_path, "Police raided KK Park.\nPolice raided the Jin Bei casino.\nPolice "
                                        "raided a casino in Sihanoukville.\nThousands were trafficked in Cambodia.\n")
    # a compound whose point is known to 1.5 km is the site; Jin Bei, placed at its town's point
    # (known to 5 km), is known to the town
    assert [(e.place.id, e.geo_precision) for e in events] == [
        ("mm-kk-park", "site"), ("kh-jin-bei-sihanoukville", "town"), ("kh-sihanoukville", "town"), ("kh", "country or region")]


def test_inferred_publication_dates_are_flagged(tmp_path):
    from conftest import write_doc

    write_doc(tmp_path, "a.txt", "Police raided a casino on Feb. 3.\nThe report was dated March 9, 2024.\n")
    doc, = read_documents(tmp_path)
    assert (doc.published, doc.published_precision, doc.published_basis) == ("2024-03-09", "day", "inferred")
    write_doc(tmp_path, "a.txt", "Raid in Poipet\nFebruary 22, 2022\nPolice raided a casino.\n")
    doc, = read_documents(tmp_path)
    assert (doc.published, doc.published_basis) == ("2022-02-22", "dateline")


def test_the_codebook_documents_every_type_and_status():
    from geomap.event_types import type_names
    from geomap.records import EVENT_STATUSES

    codebook = (REPO / "docs" / "events.md").read_text(encoding="utf-8")
    for name in [*type_names(), *EVENT_STATUSES]:
        assert f"| `{name}` |" in codebook, name


def test_a_reporting_date_does_not_date_the_event_and_a_range_is_its_window(parts, tmp_path):
    text = ("Police said on Tuesday that the raids in Poipet took place between August 17 and August 19.\n")
    event, = events_of(parts, tmp_path, text, published="2025-08-22")
    assert (event.type, event.date.iso, event.date.precision) == ("raid", "2025-08-17", "day")
    assert event.date.window == ("2025-08-17", "2025-08-19")


def test_the_day_after_which_something_was_said_does_not_date_the_event(parts, tmp_path):
    text = ("On June 21 the army ordered the crossing in Poipet closed, and the prime minister said the next day "
            "that the post opposite was shut too.\n")
    (event,) = events_of_type(parts, tmp_path, text, "closure", "2025-06-25")
    assert event.date.iso == "2025-06-21"


def test_the_next_day_in_the_triggers_clause_dates_it(parts, tmp_path):
    text = ("Chen was arrested in Phnom Penh on Jan. 6 and flown to China the next day.\n\n"
            "On Nov. 28, officers arrested 462 people in Poipet, and they were deported the following day.\n")
    events = {(e.sentence_start > 0, e.type): e.date.iso for e in events_of(parts, tmp_path, text, published="2026-01-20")}
    assert events[(False, "arrest")] == "2026-01-06" and events[(False, "deportation")] == "2026-01-07"
    assert events[(True, "arrest")] == "2025-11-28" and events[(True, "deportation")] == "2025-11-29"


def test_a_month_without_a_year_is_of_the_year_its_paragraph_tells(parts, tmp_path):
    text = ("Police arrested the mayor in Poipet on Sept. 4, 2024. Her sister had been arrested in Bavet in August.\n\n"
            "Police raided a casino in Bavet in August.\n")
    first, sister, raid = events_of(parts, tmp_path, text, published="2025-11-21")
    assert (first.date.iso, sister.date.iso, sister.date.window) == ("2024-09-04", "2024-08", ("2024-08-01", "2024-08-31"))
    assert raid.date.iso == "2025-08"  # a paragraph of its own: the last August before publication


def test_the_day_of_a_happening_told_before_dates_a_later_paragraph(parts, tmp_path):
    text = ("Police raided a hub in Porac on June 4.\n\n"
            "Its licence had been cancelled late last year, officials said.\n\n"
            "On the day of the raid, 157 foreigners were arrested at a checkpoint in Angeles City.\n")
    events = events_of(parts, tmp_path, text, published="2024-07-08")
    assert [(e.type, e.date.iso) for e in events if e.sentence_start > 60] == [("arrest", "2024-06-04")]


def test_the_same_day_as_a_happening_told_before_is_its_day_within_a_paragraph(parts, tmp_path):
    text = ("Police raided a hub in Porac on June 4. Officials announced it on June 7.\n\n"
            "The hub had opened in 2022. On the same day as the raid, 12 more suspects were arrested at a "
            "checkpoint in Angeles City.\n")
    arrest = events_of_type(parts, tmp_path, text, "arrest", "2024-07-08")[-1]
    assert arrest.date.iso == "2024-06-04"


def test_a_statement_is_dated_by_the_day_it_was_made(parts, tmp_path):
    event, = events_of(parts, tmp_path, "The ministry said in a statement on Tuesday that it had acted.\n",
                       published="2025-08-22")
    assert (event.type, event.date.iso) == ("statement", "2025-08-19")


def test_an_undated_sentence_takes_the_date_before_it_in_its_paragraph_else_the_month_before_publication(
        parts, tmp_path):
    text = ("On August 12, officers surrounded a compound in Poipet. They arrested 40 people.\n\n"
            "Police raided a casino in Bavet.\n")
    surrounded, arrest, raid = events_of(parts, tmp_path, text, published="2025-08-22")
    assert (surrounded.type, surrounded.date.iso) == ("raid", "2025-08-12")
    assert (arrest.type, arrest.date.iso, arrest.date.from_publication) == ("arrest", "2025-08-12", False)
    assert (raid.type, raid.date.from_publication) == ("raid", True)
    assert raid.date.window == ("2025-07-23", "2025-08-22")


def test_a_paragraph_that_tells_more_of_the_ledes_happening_takes_its_day(parts, tmp_path):
    text = ("Shells fired from Myawaddy wounded two villagers in Mae Sot on Friday.\n\n"
            "The clash began at about noon, when troops advanced on a position near Myawaddy.\n\n"
            "Police raided a casino in Bavet.\n")
    lede, clash, raid = events_of(parts, tmp_path, text, published="2025-12-06")
    assert lede.date.iso == clash.date.iso == "2025-12-05"
    assert raid.date.from_publication  # another story, told without a date


def test_origins_and_destinations_are_kept(parts, tmp_path):
    text = "Cambodian police in Poipet deported 40 Chinese nationals and 12 Thai workers back to China.\n"
    event, = events_of(parts, tmp_path, text, published="2025-08-22")
    assert event.type == "deportation" and event.place.id == "kh-poipet"
    assert [p.id for p in event.origins] == ["cn", "th"]
    assert [p.id for p in event.destinations] == ["cn"]


def test_where_people_were_taken_stays_their_destination_when_the_event_is_there(parts, tmp_path):
    text = "The men were trafficked to Myawaddy, where they were beaten.\n"
    abuse = events_of_type(parts, tmp_path, text, "abuse", "2025-05-10")[0]
    assert abuse.place.id == "mm-myawaddy" and [p.id for p in abuse.destinations] == ["mm-myawaddy"]


def test_people_named_as_coming_from_a_country_do_not_move_the_event_there(parts, tmp_path):
    text = "Laos police raided a compound in Bokeo; those detained came from China, Vietnam and Thailand.\n"
    raid, arrest = events_of(parts, tmp_path, text, published="2025-08-22")
    assert (raid.type, arrest.type) == ("raid", "arrest")
    assert raid.place.id == arrest.place.id == "la-bokeo"
    assert [p.id for p in arrest.origins] == ["cn", "vn", "th"]


@pytest.mark.parametrize("dateline", [
    "MAE SOT, Thailand (Reuters) -",
    "MAE SOT, Thailand, Oct. 27 (AFP) -",  # with a day
    "MAE SOT/MYAWADDY, Nov 29 -",  # two places: the first is the story's
])
def test_a_story_with_no_other_place_happened_at_its_dateline(parts, tmp_path, dateline):
    text = f"Thai police raid a compound\n\n{dateline} Police detained 40 people on Monday.\n"
    lede, = events_of(parts, tmp_path, text, published="2025-08-22")  # the headline is told in the lede
    assert (lede.type, lede.place.id, lede.place_surface, lede.place_basis) == (
        "arrest", "th-mae-sot", "MAE SOT", "dateline")


def test_a_story_filed_from_a_capital_with_no_other_place_happened_in_its_country(parts, tmp_path):
    text = "Inquiry opened into recruiters\n\nJAKARTA - Police opened investigations into the recruiters on Monday.\n"
    lede, = events_of(parts, tmp_path, text, published="2025-08-22")
    assert (lede.place.id, lede.place_basis) == ("id", "dateline")


def test_the_day_of_a_dateline_is_when_the_story_was_filed_not_the_event(parts, tmp_path):
    text = ("BANGKOK, Feb 6 (Reuters-style) - Thailand cut off electricity, fuel and internet supplies to three "
            "Myanmar border towns on Wednesday in an effort to cripple the fraud centres.\n")
    event, = events_of(parts, tmp_path, text, published="2025-02-06")
    assert (event.type, event.date.iso) == ("cutoff", "2025-02-05")


def test_every_place_of_a_dateline_is_a_mention(parts, tmp_path):
    from test_mentions import resolve_text

    _, res = resolve_text(parts, tmp_path, "MYAWADDY/MAE SOT, Nov 29 (Bangkok Post) - Officials spoke.\n")
    assert [(r.mention.surface, r.place.id, r.mention.cue) for r in res] == [
        ("MYAWADDY", "mm-myawaddy", "dateline"), ("MAE SOT", "th-mae-sot", "dateline")]


@pytest.mark.parametrize("text,kind", [
    ("Trafficking of workers has grown across Cambodia in recent years.", "context"),
    ("Analysts say the crackdown in Cambodia is likely to widen.", "context"),
    ("Trafficking victims in Asia have been abused.", "context"),
    ("Police raided a casino in Poipet on August 12.", "event"),
    ("Cambodia deported 283 foreigners.", "event"),
    # a happening recalled as a thing, and people described by what they went through
    ("Officers said no one was hurt in Mae Sot after the two blasts.", "context"),
    ("The compound in Myawaddy has a grim reputation among those who have fled it.", "context"),
    ("Police acting on leads from the Indian embassy freed 67 Indian nationals in Poipet.", "event"),
    # a tally of years in the present perfect; not a tally of days
    ("Courts in China have prosecuted thousands of citizens brought back from Myawaddy since 2023.", "context"),
    ("Police in Poipet have arrested 40 people since Monday.", "event"),
    ("The KNU has been fighting the military near Myawaddy since the 2021 coup.", "context"),
    ("Any of their assets in Cambodia under U.S. jurisdiction are frozen.", "context"),
])
def test_trends_opinions_and_unanchored_claims_are_context(parts, tmp_path, text, kind):
    events = events_of(parts, tmp_path, text + "\n", published="2025-08-22")
    assert events and {e.kind for e in events} == {kind}


def test_a_deportation_with_no_destination_sends_its_people_home(parts, tmp_path):
    text = "Cambodian authorities in Poipet sent 119 Thai nationals back across the border on Saturday.\n"
    event, = events_of(parts, tmp_path, text, published="2025-08-22")
    assert event.type == "deportation"
    assert [p.id for p in event.origins] == [p.id for p in event.destinations] == ["th"]


def test_an_abuse_told_by_its_victims_is_alleged_and_a_happening_named_with_the_is_told_of_elsewhere():
    told = "Several returnees told officials they had been beaten in the compound."
    trigger, = find_triggers(Sentence(0, 0, len(told), told))
    assert (trigger.type, status_of(Sentence(0, 0, len(told), told), trigger)) == ("abuse", "alleged")
    text = "A provincial statement on Sunday announcing the meeting made no mention of it."
    assert trigger_types(text) == ["statement"]


def test_a_day_later_counts_from_the_day_before_it(parts, tmp_path):
    text = ("Soldiers entered a compound in Shwe Kokko on Nov. 18. A day later they detained 346 people "
            "in Shwe Kokko.\n")
    events = events_of(parts, tmp_path, text, published="2025-11-28")
    arrest = next(e for e in events if e.type == "arrest")
    assert (arrest.date.iso, arrest.date.text) == ("2025-11-19", "A day later")


def test_what_an_act_came_a_day_after_was_the_day_before_it(parts, tmp_path):
    text = ("Thai police detained 40 Chinese nationals in Mae Sot on March 1. "
            "The arrests came a day after the governor visited the border town.\n")
    meeting = events_of_type(parts, tmp_path, text, "meeting", "2025-03-03")[0]
    assert meeting.date.iso == "2025-02-28"
    # the act that came after it keeps its own day
    arrests = events_of_type(parts, tmp_path, text, "arrest", "2025-03-03")
    assert {e.date.iso for e in arrests} == {"2025-03-01"}


def test_a_day_told_within_the_month_of_the_sentence_dates_it(parts, tmp_path):
    text = ("In May, the crime division raided sites in Chon Buri, Rayong and Samut Prakan on Wednesday, May 7, and "
            "arrested 31 people.\n")
    events = events_of(parts, tmp_path, text, published="2025-08-17")
    assert sorted((e.type, e.date.iso) for e in events) == [("arrest", "2025-05-07"), ("raid", "2025-05-07")]


def test_where_news_was_given_does_not_place_what_it_reports(parts, tmp_path):
    text = ("The foreign minister told reporters in Bangkok on Monday that police arrested 12 Koreans in a raid "
            "on Thursday.\n")
    arrest = events_of_type(parts, tmp_path, text, "arrest", "2025-10-20")[0]
    assert arrest.place is None or arrest.place.id != "th-bangkok"


@pytest.mark.parametrize("text, issuer", [
    # the target's country names the company it owns; the issuer is the government, a subject
    ("The Korean government last month imposed sanctions on 132 entities, among them Cambodia's Prince Group, "
     "which Washington accuses of fraud.", "kr"),
    # a sanctioned tycoon is no issuer; the state body is
    ("The O'Smach Resort, owned by the family of tycoon Ly Yong Phat, was sanctioned by the U.S. Treasury "
     "last year.", "us"),
])
def test_a_sanction_sits_at_the_state_that_issues_it(parts, tmp_path, text, issuer):
    sanction = events_of_type(parts, tmp_path, text, "sanction", "2025-12-20")[0]
    assert (sanction.place.id, sanction.place_basis) == (issuer, "government")


def test_where_a_visitor_went_is_where_the_meeting_was(parts, tmp_path):
    text = "The prime minister travelled to Mae Sot on Monday, meeting the Indian ambassador on the tarmac.\n"
    meeting = events_of_type(parts, tmp_path, text, "meeting", "2025-11-12")[0]
    assert meeting.place.id == "th-mae-sot"


@pytest.mark.parametrize("text, statement", [
    ("China said on Thursday it was willing to help the two sides find a peaceful settlement.", True),
    ("Tak governor Chucheep Pongchai said on Wednesday that officers would screen the arrivals.", True),
    ("One resident said the stations had run dry by the afternoon.", False),  # not an official
])
def test_a_state_or_an_official_speaking_is_a_statement(parts, tmp_path, text, statement):
    events = events_of(parts, tmp_path, text + "\n", published="2025-12-20")
    assert [e.type for e in events] == (["statement"] if statement else [])


def test_an_official_reporting_an_act_gives_the_act_not_a_statement(parts, tmp_path):
    events = events_of(parts, tmp_path, "Police chief Chen said officers arrested 50 people in Poipet.\n")
    assert [e.type for e in events] == ["arrest"]


def test_a_window_is_cut_at_the_publication_by_what_the_event_is(parts, tmp_path):
    text = ("Phumtham said he would visit Poipet this week.\n\n"
            "Rights groups say many workers were trafficked to Bavet earlier this month.\n\n"
            "The renewed fighting began on Dec. 8 near O'Smach.\n")
    visit, trafficking, fighting = events_of(parts, tmp_path, text, published="2025-12-18")
    # planned: still to come on the day of publication (a Thursday); alleged: by then
    assert (visit.type, visit.status, visit.date.window) == ("meeting", "planned", ("2025-12-18", "2025-12-21"))
    assert (trafficking.type, trafficking.status, trafficking.date.window) == (
        "abuse", "alleged", ("2025-12-01", "2025-12-18"))
    assert (fighting.type, fighting.date.iso) == ("violence", "2025-12-08")


def test_weeks_later_count_from_the_day_before_them(parts, tmp_path):
    text = ("The student was abducted in Kampot on July 17. About a week later his family received a ransom demand.\n\n"
            "Police arrested 30 people in Poipet on March 2. Two weeks later they were deported.\n")
    dated = [(e.type, e.date.iso, e.date.window) for e in events_of(parts, tmp_path, text, published="2025-10-10")]
    assert dated == [("abuse", "2025-07-17", ("2025-07-17", "2025-07-17")),
                     ("abuse", "2025-07-24", ("2025-07-21", "2025-07-27")),  # "about": the days either side
                     ("arrest", "2025-03-02", ("2025-03-02", "2025-03-02")),
                     ("deportation", "2025-03-16", ("2025-03-16", "2025-03-16"))]


def test_only_people_taken_somewhere_have_a_destination_and_a_raid_has_no_origins(parts, tmp_path):
    text = ("Police arrested 20 Chinese nationals in Poipet on Jan. 6 and deported them to China the next day.\n\n"
            "Police raided a casino in Bavet and detained 40 Vietnamese workers.\n\n"
            "Last August, 33 Chinese nationals were put on a flight to Xiamen.\n\n"
            "Thailand extradited She Zhijiang to China in November.\n")
    events = [(e.type, [p.id for p in e.origins], [p.id for p in e.destinations])
              for e in events_of(parts, tmp_path, text, published="2026-01-20")]
    assert events[:2] == [("arrest", ["cn"], []), ("deportation", ["cn"], ["cn"])]
    assert events[2:4] == [("raid", [], []), ("arrest", ["vn"], [])]
    (xiamen,) = events[4][2]
    assert events[4][0] == "deportation" and xiamen != "cn"  # the city, not the country of the people
    assert events[5] == ("legal", [], ["cn"])  # an extradition takes its man somewhere


def test_a_country_named_before_its_officers_is_who_acted_not_where(parts, tmp_path):
    text = ("Seoul learned that 19 South Koreans were held by an illegal company in Tachileik. "
            "Myanmar police raided the company in late October, the ministry said.\n\n"
            "Singapore police seized assets worth $150 million on Oct. 30.\n")
    events = events_of(parts, tmp_path, text, published="2023-11-14")
    raid = next(e for e in events if e.type == "raid")
    seizure = next(e for e in events if e.type == "seizure")
    assert (raid.place.id, raid.place_basis) == ("mm-tachileik", "paragraph")
    assert (seizure.place.country, seizure.place.kind, seizure.place_basis) == ("SG", "country", "government")


def test_a_states_official_is_who_acted_and_officials_of_several_states_place_nothing(parts, tmp_path):
    text = ("Officials flew to Mae Sot airport on Thursday. "
            "China's assistant minister of public security and Myanmar's deputy home affairs minister met at the "
            "airport on Thursday evening.\n\n"
            "Cambodia's immigration chief said on Tuesday that he had been told of the closure.\n")
    events = events_of(parts, tmp_path, text, published="2025-02-21")
    meeting = next(e for e in events if e.type == "meeting")
    statement = next(e for e in events if e.type == "statement")
    assert (meeting.place.id, meeting.place_basis) == ("th-mae-sot", "paragraph")
    assert (statement.place.id, statement.place_basis) == ("kh", "government")


def test_a_participle_naming_a_thing_after_a_preposition_is_no_trigger():
    text = "A village chief said the zone, chaired by sanctioned tycoon Try Pheap, was shelled."
    assert trigger_types(text) == ["violence"]
    text = "The Treasury sanctioned Try Pheap in 2019."
    assert trigger_types(text) == ["sanction"]


def test_what_people_are_described_by_is_context(parts, tmp_path):
    text = ("The remains of a South Korean student who was tortured to death in Kampot arrived on Tuesday.\n\n"
            "Planes brought home 197 Indians who escaped from KK Park, officials said on Monday.\n")
    events = events_of(parts, tmp_path, text, published="2025-10-22")
    assert sorted((e.type, e.kind) for e in events) == [
        ("abuse", "context"), ("deportation", "event"), ("escape", "context")]


def test_days_later_count_from_the_last_day_the_sentence_before_named(parts, tmp_path):
    text = ("Guo slipped out of the Philippines in July 2024 and was arrested in Tangerang on Sept. 4, 2024. "
            "A chartered plane brought her back to Manila two days later.\n")
    deportation = events_of_type(parts, tmp_path, text, "deportation", "2025-11-21")[0]
    assert deportation.date.iso == "2024-09-06"


@pytest.mark.parametrize("text", [
    "A spokesman rejected the accusations on Tuesday, saying the group had no part in online scams or human "
    "trafficking.",
    "The company denied any involvement in human trafficking.",
])
def test_a_crime_denied_is_not_told(text):
    assert trigger_types(text) == ["statement"]


def test_what_a_saying_is_about_is_not_where_it_was_said(parts, tmp_path):
    text = ("On Wednesday, the United States announced a strike force to investigate the largest "
            "compounds in Myanmar and Cambodia.\n")
    (statement,) = events_of(parts, tmp_path, text, published="2025-11-13")
    assert (statement.type, statement.place.id, statement.place_basis) == ("statement", "us", "government")


def test_a_compound_placed_by_a_town_near_it_is_the_compound_named_before(parts, tmp_path):
    text = ("Myanmar's army says it has taken control of KK Park.\n\n"
            "Soldiers surrounded the sprawling compound south of the border town of Myawaddy on Oct. 16.\n\n"
            "Police raided a casino south of Poipet on Oct. 17.\n")
    events = events_of(parts, tmp_path, text, published="2025-10-23")
    surrounded = next(e for e in events if "sprawling" in e.quote)
    assert (surrounded.place.id, surrounded.place_basis) == ("mm-kk-park", "reference")
    casino = next(e for e in events if "casino" in e.quote)
    assert casino.place.id == "kh-poipet"  # no compound named before near Poipet: the town


def test_an_escape_that_names_only_where_its_people_got_to_is_seen_there(parts, tmp_path):
    text = "Thai officials said 677 people had crossed the river into Mae Sot district by Thursday morning.\n"
    (escape,) = events_of_type(parts, tmp_path, text, "escape", "2025-10-24")
    assert (escape.place.id, escape.place_basis) == ("th-mae-sot", "sentence")


@pytest.mark.parametrize("text,types", [
    ("Inside a six-storey block damaged by shelling, rows of desks were fitted with booths.", []),
    ("Three villagers were wounded by shelling on Monday.", ["violence"]),
    ("Bangkok says Cambodian forces had turned the sites into drone and artillery bases.", []),
    ("Police have not said how many of those detained will be charged.", []),
])
def test_things_named_by_what_befell_them_and_questions_left_open_tell_no_happening(text, types):
    assert trigger_types(text) == types


def test_a_name_of_the_sentence_nothing_places_is_said_when_the_place_is_borrowed(parts, tmp_path):
    text = ("Police raided a casino in Poipet on Monday, detaining 40 workers.\n"
            "Officers arrested 12 more people in Xyzzy Heights commune on Tuesday.\n")
    events = events_of(parts, tmp_path, text, published="2024-03-08")
    raid, search = events[0], events[-1]
    assert (raid.place.id, raid.unresolved_names) == ("kh-poipet", ())
    assert (search.place_basis, search.unresolved_names) != ("sentence", ()), search
    assert search.unresolved_names == ("Xyzzy Heights",)
