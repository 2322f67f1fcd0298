from pathlib import Path

from geomap.documents import read_documents

from conftest import REPO, write_doc


def resolve_text(parts, tmp_path, text, name="a.txt"):
    finder, resolver = parts
    write_doc(tmp_path, name, text)
    doc = next(d for d in read_documents(tmp_path) if d.name == name)
    finding = finder.find(doc)
    return finding, resolver.resolve_document(finding.mentions, doc.text)


def places(resolutions):
    return [(r.mention.surface, r.place.id if r.place else None, r.resolved_by) for r in resolutions]


def test_riem_spelling_resolves_to_ream_naval_base(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Beijing may use the Naval Base at Riem once completed.")
    assert places(res)[1] == ("Naval Base at Riem", "kh-ream-naval-base", "gazetteer")


def test_west_point_is_the_academy_not_a_town(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Hun Manet, who was educated at West Point, replaced his father.")
    assert places(res) == [("West Point", "us-west-point-academy", "gazetteer")]


def test_publication_names_hold_no_place_mentions(parts, tmp_path):
    finding, res = resolve_text(parts, tmp_path,
                                "The Cambodia China Times reported it, and so did the Straits Times.")
    assert places(res) == []
    assert finding.embedded == ()


def test_institution_names_hold_no_place_mentions_but_are_kept_aside(parts, tmp_path):
    finding, res = resolve_text(parts, tmp_path,
                                "A fellow at the National University of Singapore met the Sihanoukville "
                                "Provincial Gendarmerie in Phnom Penh.")
    assert places(res) == [("Phnom Penh", "kh-phnom-penh", "gazetteer")]
    assert [m.surface for m in finding.embedded] == ["Singapore", "Sihanoukville"]


def test_the_seat_an_institutions_name_opens_with_is_kept_aside(parts, tmp_path):
    # a possessive of the people does not close the name, nor does the town let it be a place
    finding, res = resolve_text(parts, tmp_path,
                                "The Hangzhou Intermediate People's Court heard the case. Guards at the "
                                "Quezon City Jail met the Supreme People's Court's envoys, and the case went "
                                "to the Supreme People's Court for review.")
    assert places(res) == []
    assert [m.surface for m in finding.embedded] == ["Hangzhou", "Quezon City"]
    finding, _ = resolve_text(parts, tmp_path, "The People's Court of Hue City heard the case.")
    assert [m.surface for m in finding.embedded] == ["Hue"]


def test_money_is_not_the_united_states(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "The US would provide US$45 million to Cambodia.")
    assert places(res) == [("US", "us", "gazetteer"), ("Cambodia", "kh", "gazetteer")]


def test_lists_of_places_are_split(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Scams spread to Cambodia, Myanmar and Laos.")
    assert [p[1] for p in places(res)] == ["kh", "mm", "la"]


def test_geonames_resolves_a_place_the_gazetteer_lacks(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Victims were flown home to Lyon after the raid.")
    (surface, place_id, stage), = places(res)
    assert (surface, stage) == ("Lyon", "geonames")
    assert res[0].place.country == "FR"


def test_country_context_disambiguates_geonames_candidates(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Workers from the Philippines were rescued and sent to San Jose.")
    san_jose = next(r for r in res if r.mention.surface == "San Jose")
    assert san_jose.place.country == "PH"


def test_common_words_and_people_are_not_places(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path,
                          "Police said the police had left. It would be easy for Rubio or Trump. "
                          "President Hun Sen spoke.")
    assert places(res) == []


def test_a_part_of_a_place_names_the_place(parts, tmp_path):
    # a town too small to be taken bare is taken after "the outskirts of", "the town hall of"
    _, res = resolve_text(parts, tmp_path, "Police raided a hub behind the town hall of Bamban. Officers "
                                           "searched houses on the outskirts of Porac. Bamban was calm.")
    assert [(surface, stage) for surface, _, stage in places(res)] == [("Bamban", "geonames"), ("Porac", "geonames")]


def test_a_name_taken_as_a_place_is_one_wherever_it_stands(parts, tmp_path):
    # Tokoname (59,000 people) is too small to be taken bare; once the story puts something in it,
    # the same name later in the story is the same place
    text = "The plane landed in Tokoname on Wednesday. Tokoname police said 29 had been arrested."
    _, res = resolve_text(parts, tmp_path, text)
    assert [(r.mention.start, r.place.id) for r in res] == [
        (text.index("Tokoname"), "geonames:1850185"), (text.rindex("Tokoname"), "geonames:1850185")]
    # "to" is too weak a cue to make the name a place everywhere: "Tokoname said" stays a name
    _, res = resolve_text(parts, tmp_path, "Calls went to Tokoname. Tokoname said nothing.", name="b.txt")
    assert [r.mention.start for r in res] == [len("Calls went to ")]


def test_surnames_before_family_are_not_places(parts, tmp_path):
    text = "Police in Laukkai accused the Bai, Wei and Liu families of fraud. The Wei family fled to Wei in China."
    _, res = resolve_text(parts, tmp_path, text)
    # only the town after "to": the surnames before "families" and "family" are people
    assert [(r.mention.surface, r.mention.start) for r in res if r.mention.surface == "Wei"] == [
        ("Wei", text.rindex("Wei"))]


def test_unknown_name_after_a_strong_cue_is_reported_unresolved(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Workers escaped from the border town of Xyzzyville last week.")
    assert places(res) == [("Xyzzyville", None, "unresolved")]
    assert res[0].reason == "no stage knows this name"


def test_seeds_name_the_expected_places(seeds_build):
    found = {(r.mention.doc[:3], r.mention.surface, r.place.id if r.place else None) for r in seeds_build.resolutions}
    expected = {
        ("004", "Naval Base at Riem", "kh-ream-naval-base"), ("004", "Ream Naval Base", "kh-ream-naval-base"),
        ("000", "West Point", "us-west-point-academy"), ("004", "Kuala Lumpur", "my-kuala-lumpur"),
        ("004", "Kra Isthmus", "th-kra-isthmus"), ("004", "Strait of Malacca", "xx-strait-of-malacca"),
        ("004", "Gulf of Thailand", "xx-gulf-of-thailand"), ("004", "South China Sea", "xx-south-china-sea"),
        ("000", "Mekong River", "xx-mekong-river"), ("004", "Davos", "ch-davos"),
        ("001", "Sihanoukville", "kh-sihanoukville"), ("001", "Phnom Penh", "kh-phnom-penh"),
        ("003", "Indochina", "xx-indochina"), ("004", "Indo-Pacific", "xx-indo-pacific"),
        ("000", "Southeast Asia", "xx-southeast-asia"),
    }
    assert expected <= found
    times = [r for r in seeds_build.resolutions if r.mention.surface == "Cambodia"
             and r.mention.doc.startswith("001")]
    assert times
    for r in times:  # "Cambodia China Times" appears twice in 001 and must not count
        text = next(d for d in read_documents(REPO / "seeds") if d.name == r.mention.doc).text
        assert not text[r.mention.start:].startswith("Cambodia China Times")
    assert all(r.place is not None for r in seeds_build.resolutions)


def test_a_name_before_river_or_sea_is_not_the_town_of_that_name(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Tachileik faces Mae Sai across the Sai river. Boats crossed the "
                                           "Salween River. Police in Sai, Japan, spoke.")
    # the town of Sai that the index holds is found only where it is named as a town
    assert places(res) == [("Tachileik", "mm-tachileik", "gazetteer"), ("Mae Sai", "th-mae-sai", "gazetteer"),
                           ("Sai", "geonames:2128363", "geonames"), ("Japan", "jp", "gazetteer")]
    assert res[2].mention.start > res[1].mention.start + 40


def test_demonyms_and_names_inside_organisations_are_exported_as_mentions_and_never_drawn(tmp_path, repo):
    import json

    import pandas as pd

    from geomap.build import build
    from geomap.settings import Settings

    seeds = tmp_path / "seeds"
    write_doc(seeds, "a.txt", "---\npublished: 2025-03-01\n---\nChinese police and Thai soldiers met in Poipet. "
                              "Police detained 40 Myanmar nationals, 12 Indonesians and a Kenyan in Poipet. "
                              "The Phnom Penh Post reported the raid, and the Pakistan Army denied it.\n")
    out = tmp_path / "maps"
    build(Settings(seeds_dir=seeds, gazetteer_dir=repo / "gazetteer", out_dir=out))
    mentions = pd.read_csv(out / "mentions.csv", keep_default_na=False)
    demonyms = mentions[mentions["mention"] == "demonym"]
    assert list(zip(demonyms["surface"], demonyms["place_id"], demonyms["resolved_by"])) == [
        ("Chinese", "cn", "gazetteer"), ("Thai", "th", "gazetteer"), ("Indonesians", "id", "gazetteer"),
        ("Kenyan", "geonames:192950", "geonames")]  # a country with no gazetteer row: the offline index's
    assert set(mentions[mentions["mention"] == "name"]["surface"]) == {"Poipet", "Myanmar"}  # no double Myanmar
    # a place named inside a publication's or an institution's name is a mention of that place
    inside = mentions[mentions["mention"] == "in_organisation"]
    assert list(zip(inside["surface"], inside["place_id"])) == [("Phnom Penh", "kh-phnom-penh"), ("Pakistan", "pk")]
    features = [f["properties"] for f in json.loads((out / "places.geojson").read_text())["features"]]
    # the countries of the demonyms and those names are not places mentioned by name...
    assert {f["id"] for f in features if f["mentions"]} == {"kh-poipet", "mm"}
    # ...and are listed, with no mention, only where an event holds them (the Indonesians' origin)
    events = pd.read_csv(out / "events.csv", keep_default_na=False)
    held = {i for column in ("place_id", "origin_ids", "destination_ids") for cell in events[column]
            for i in cell.split("; ") if i}
    assert {f["id"] for f in features if not f["mentions"]} == held - {"kh-poipet", "mm"}
    assert "id" in held
    assert "kh-phnom-penh" not in set(events["place_id"])  # a newspaper's city is not where the raid was


def test_a_name_of_the_index_opening_an_organisations_name_is_filed_with_its_places(parts, tmp_path):
    finding, res = resolve_text(parts, tmp_path,
                                "The New York Times said the Illinois Department of Public Health had warned "
                                "Kenya Airways. They flew on a Thai Airways flight. Experts in Illinois agreed.")
    # names the index knows, like the gazetteer's ("The Phnom Penh Post"): the body's places
    # (where an event may sit when its sentence names no other) or the other organisations'
    assert [m.surface for m in finding.embedded] == ["Illinois"]
    assert [m.surface for m in finding.in_other_organisations] == ["New York", "Kenya"]
    # a body named for a person, or for a town elsewhere, before its "of": only a country or a
    # division is where it sits
    finding, _ = resolve_text(parts, tmp_path, "The Kennedy School of Government and the Lincoln Institute of Land "
                                               "Policy agreed with the California Department of Justice.", name="b.txt")
    assert [m.surface for m in finding.embedded] == ["California"]
    # a common word opens a name only with the words after it: not the "Thai" of "Thai Airways",
    # which GeoNames keeps as an alternate name of a Malaysian city
    assert places(res) == [("Illinois", "geonames:4896861", "geonames")]


def test_a_name_the_index_knows_before_based_is_a_place(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "A London-based charity, a Norbury-based firm and a Phnom Penh-based "
                                           "lawyer spoke. The Geneva-based World Health Organization agreed. "
                                           "Faith-based groups did not. Home-based workers did not either.")
    # "-based" is a place word after the name, as "province" is: even a small town is taken; before
    # an organisation's name too; not where its capital only opens a sentence
    assert [(surface, place) for surface, place, _ in places(res)] == [
        ("London", "geonames:2643743"), ("Norbury", "geonames:2641462"), ("Phnom Penh", "kh-phnom-penh"),
        ("Geneva", "geonames:2660646")]


def test_a_state_abbreviated_after_a_town_is_the_state(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "She lives in Fresno, Calif., works in Albany, N.Y., and flew to "
                                           "Spokane, Wash. Mo. Farah won. The Ill. law passed.")
    found = [(surface, place) for surface, place, _ in places(res)]
    assert found == [("Fresno", "geonames:5350937"), ("Calif", "geonames:5332921"), ("Albany", "geonames:5106834"),
                     ("N.Y.", "geonames:5128638"), ("Spokane", "geonames:5811696"),
                     ("Wash", "geonames:5815135")]  # Washington State, not the gazetteer's Washington, D.C.
    # an abbreviation that follows no town and its comma is no state ("Mo." Farah, "The Ill. law")
    # the division after its town and a comma says which town: Rome of Georgia, Paris of Tennessee
    _, res = resolve_text(parts, tmp_path, "He lives in Rome, Ga., studied in Paris, Tenn., and in Springfield, "
                                           "Illinois.", name="c.txt")
    assert [(r.mention.surface, r.place.country, r.place.kind) for r in res] == [
        ("Rome", "US", "town"), ("Ga", "US", "province"), ("Paris", "US", "town"), ("Tenn", "US", "province"),
        ("Springfield", "US", "city"), ("Illinois", "US", "province")]
    assert "named right after it" in res[0].reason
    _, res = resolve_text(parts, tmp_path, "Pa. Smith said the UAE and the EU agreed. He moved to Pa.", name="b.txt")
    # nor a town of the index whose alternate name it is: "Pa" was Chongqing's; after a place word,
    # the town called so (in Burkina Faso), not Chongqing
    found = [(surface, place) for surface, place, _ in places(res)]
    assert found[:2] == [("UAE", "geonames:290557"), ("EU", "geonames:6695072")]
    assert [surface for surface, _ in found[2:]] == ["Pa"] and res[2].place.country == "BF"


def test_demonyms_are_read_longest_first_and_ambiguous_ones_are_left_out():
    from geomap.demonyms import find_demonyms
    from geomap.records import Sentence

    text = ("South Korean and Guinea-Bissauan workers, a Chinese-funded city, two Filipinas, "
            "Channel Islander officials and Swiss banks.")
    found = [(text[start:end], code) for start, end, code, _ in find_demonyms(Sentence(0, 0, len(text), text))]
    assert found == [("South Korean", "KR"), ("Guinea-Bissauan", "GW"), ("Chinese", "CN"), ("Filipinas", "PH"),
                     ("Swiss", "CH")]  # "Channel Islander" names two islands of similar size: left out


def test_demonyms_in_the_forms_the_news_uses():
    from geomap.demonyms import find_demonyms
    from geomap.records import Sentence

    text = "Saudi officials, two Argentines, Hong Kongers, Macanese police and Tajik workers."
    found = [(text[start:end], code) for start, end, code, _ in find_demonyms(Sentence(0, 0, len(text), text))]
    # countryinfo writes "Saudi Arabian" and "Tadzhik", and has no word for Hong Kong's or Macau's people
    assert found == [("Saudi", "SA"), ("Argentines", "AR"), ("Hong Kongers", "HK"), ("Macanese", "MO"),
                     ("Tajik", "TJ")]


def test_a_common_first_word_stays_when_the_whole_is_a_name_and_goes_when_it_only_opens_a_clause(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Officials in New York said so. Though London denied it, money went "
                                           "to Dubai. Hu Wei met the governor.")
    found = [(surface, place) for surface, place, _ in places(res)]
    assert found[:3] == [("New York", "geonames:5128581"), ("London", "geonames:2643743"), ("Dubai", "geonames:292223")]
    assert "Wei" not in {surface for surface, _ in found}  # a person's name, not the index's alias of Weifang


def test_the_index_knows_first_level_divisions_and_other_spellings_of_countries(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Police in Texas arrested two men. Money went through the UAE and "
                                           "DR Congo. Officials in Georgia spoke. Victims were found in Bavaria "
                                           "and in Kerala. The New York State police and those of New York "
                                           "agreed. Delegates came from Central and Western Province.")
    found = {r.mention.surface: r.place for r in res}
    assert (found["Texas"].kind, found["Texas"].country, found["Texas"].name) == ("province", "US", "Texas")
    assert 29 < found["Texas"].lat < 33 and -102 < found["Texas"].lon < -97  # the middle of its towns' extent
    # other countries' divisions, by their own names or their English ones
    assert (found["Bavaria"].kind, found["Bavaria"].country) == ("province", "DE")
    assert 47 < found["Bavaria"].lat < 50.5 and 9 < found["Bavaria"].lon < 13.5
    assert (found["Kerala"].kind, found["Kerala"].country) == ("province", "IN")
    # a division named as a city of a million people in it: the bare name is the city
    assert (found["New York State"].kind, found["New York"].kind) == ("province", "city")
    # "Central" alone names no division (the index's towns called so are another matter); "Western
    # Province" does
    assert found.get("Central") is None or found["Central"].kind != "province"
    assert found["Western Province"].kind == "province"
    assert (found["UAE"].kind, found["UAE"].country) == ("country", "AE")
    assert (found["DR Congo"].kind, found["DR Congo"].country) == ("country", "CD")
    assert (found["Georgia"].kind, found["Georgia"].country) == ("country", "GE")  # with no clue, the country


def test_divisions_are_found_without_their_accents(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "The men came from Haryana and Tamil Nadu. Police in Lam Dong and "
                                           "in Bihar freed them. Officers of Police Region 2 spoke.")
    found = {r.mention.surface: r.place for r in res}
    # GeoNames writes "Haryāna", "Tamil Nādu", "Bihār": English news writes no accents; a Vietnamese
    # province is the gazetteer's row by its bare name too
    for surface, country in (("Haryana", "IN"), ("Tamil Nadu", "IN"), ("Bihar", "IN")):
        assert (found[surface].kind, found[surface].country) == ("province", country), surface
        assert found[surface].id.startswith("geonames:"), surface
    assert found["Lam Dong"].id == "vn-lam-dong-province"
    # ...but a city of that name without accents stays the city (Rīga, Mérida, San José are divisions too)
    _, res = resolve_text(parts, tmp_path, "Police in Riga, Merida and San Jose arrested two men.")
    assert [(r.mention.surface, r.place.kind) for r in res] == [("Riga", "city"), ("Merida", "city"),
                                                                ("San Jose", "city")]
    # "Région" (an other name of Togo's Maritime region) is as generic as "Region": no place is called so
    assert "Region" not in found


def test_a_longer_name_of_a_continent_or_country_wins_and_the_stop_list_hides_the_names_inside_it(repo, parts,
                                                                                                   tmp_path):
    from geomap.mentions import MentionFinder, read_stoplist

    finder, resolver = parts
    stopping = MentionFinder(finder.gazetteer, finder.geonames, read_stoplist(repo / "gazetteer"))
    write_doc(tmp_path, "a.txt", "Hubs spread to South America, Papua New Guinea and Latin America. America "
                                 "sanctioned them.")
    doc = next(d for d in read_documents(tmp_path) if d.name == "a.txt")
    found = [(r.mention.surface, r.place.id if r.place else None, r.place.kind if r.place else None)
             for r in resolver.resolve_document(stopping.find(doc).mentions)]
    # "America" is the United States' alias in the gazetteer: not inside the name of a continent or a
    # country of the index, nor inside a name of the stop list
    assert found[0][:1] == ("South America",) and found[0][2] == "region"
    assert found[1][0] == "Papua New Guinea" and found[1][2] == "country"
    assert [f for f in found if f[1] == "us"] == [("America", "us", "country")]
    assert not any("Latin" in f[0] for f in found)


def test_names_in_capitals_and_short_names_of_states_and_unions(parts, tmp_path):
    text = ("POLICE RAID HUB IN SAN DIEGO\n\nOfficials from the DPRK and the EU met in PHNOM PENH. "
            "The KNU denied it.\n")
    _, res = resolve_text(parts, tmp_path, text)
    found = {r.mention.surface: r.place for r in res}
    # a name in capitals is read as it is written elsewhere; a short word in capitals is an acronym
    assert found["SAN DIEGO"].country == "US" and found["PHNOM PENH"].id == "kh-phnom-penh"
    assert "POLICE RAID HUB" not in found and "KNU" not in found
    assert (found["DPRK"].kind, found["DPRK"].country) == ("country", "KP")
    assert found["EU"].kind == "region" and 45 < found["EU"].lat < 55 and 0 < found["EU"].lon < 20


def test_a_country_the_gazetteer_lacks_is_at_its_usual_point(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Money went to Norway, Kenya and Canada.")
    found = {r.mention.surface: r.place for r in res}
    assert (round(found["Norway"].lat), round(found["Norway"].lon)) == (62, 10)  # the mainland, not Svalbard
    assert (round(found["Kenya"].lat), round(found["Kenya"].lon)) == (1, 38)
    # GeoNames' point, not countryinfo's (60, -95), a thousand kilometres east
    assert (round(found["Canada"].lat, 2), round(found["Canada"].lon, 2)) == (60.11, -113.64)


def test_seas_lakes_rivers_and_islands_of_natural_earth_are_places_and_a_bare_river_name_is_not(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Boats crossed the Caspian Sea, Lake Victoria and the Indian Ocean. "
                                           "The Danube River flooded. Amazon said its warehouse in Lagos was shut.")
    found = {r.mention.surface: r.place for r in res}
    for surface in ("Caspian Sea", "Lake Victoria", "Indian Ocean", "Danube River"):
        assert found[surface].kind == "water" and found[surface].id.startswith("naturalearth:"), surface
        assert "Natural Earth" in found[surface].source
    assert found["Danube River"].name == "Danube River"
    assert 40 < found["Caspian Sea"].lat < 45 and 48 < found["Caspian Sea"].lon < 53
    assert found["Caspian Sea"].precision_km > 200  # a sea is not a point
    assert "Amazon" not in found and "Indian" not in found


def test_large_islands_are_places_where_the_story_is_and_small_ones_need_a_place_word(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Compounds on Luzon, north of Manila, and in Sabah on Borneo recruited "
                                           "workers. He wrote Java code. Mr Flores and Ms Leyte said so. Ferries "
                                           "sail to Flores.")
    found = [(r.mention.surface, r.place.id) for r in res]
    # an island the size of a country is named bare, as a country is, where the story names a place
    # on it (Manila, Sabah); Luzon the island, not the village of 3,000 the index also calls so
    assert found == [("Luzon", "naturalearth:luzon"), ("Manila", "geonames:1701668"), ("Sabah", "geonames:1733039"),
                     ("Borneo", "naturalearth:borneo"),
                     # Java is no island in a story with no place on it; a smaller island is a
                     # surname as often: a place only after a place word
                     ("Flores", "naturalearth:flores")]
    borneo = res[3].place
    assert (borneo.kind, borneo.country) == ("region", "") and 0 < borneo.lat < 5 and 110 < borneo.lon < 118
    assert borneo.precision_km > 500 and "Natural Earth" in borneo.source


def test_indonesian_provinces_by_their_english_names(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Workers from East Java, North Sumatra and Southeast Sulawesi were "
                                           "flown home.")
    found = {r.mention.surface: r.place for r in res}
    assert {surface: (p.kind, p.country, p.name) for surface, p in found.items()} == {
        "East Java": ("province", "ID", "Jawa Timur"), "North Sumatra": ("province", "ID", "Sumatera Utara"),
        "Southeast Sulawesi": ("province", "ID", "Sulawesi Tenggara")}


def test_the_gazetteer_countries_stand_at_geonames_points_or_say_why_not():
    from geomap.gazetteer.country_facts import geonames_country_points
    import pandas as pd

    points = geonames_country_points()
    rows = pd.read_csv(Path(__file__).parents[1] / "gazetteer" / "places.csv", dtype=str).fillna("")
    for row in rows[rows.kind == "country"].itertuples():
        if (float(row.lat), float(row.lon)) != points[row.country]:
            assert "GeoNames" in row.source and "at sea" in row.source, row.name


def test_an_acronym_is_no_town_that_has_it_only_as_an_alternate_name(parts, tmp_path):
    # GeoNames lists KNU for Kanpur, BGF for Bangui and VIP for Payerne (airport and other codes)
    _, res = resolve_text(parts, tmp_path, "The KNU and the BGF denied it, a VIP said. Officials flew to the UAE.")
    assert [(surface, place) for surface, place, _ in places(res)] == [("UAE", "geonames:290557")]


def test_a_division_the_document_names_picks_the_town_of_the_name_in_it(parts, tmp_path):
    def springfield(text):
        _, res = resolve_text(parts, tmp_path, text)
        return next(r.place for r in res if r.mention.surface == "Springfield")

    alone = springfield("Police in Springfield said the men were held.")
    in_illinois = springfield("Lawmakers in Illinois met. Police in Springfield said the men were held.")
    in_massachusetts = springfield("Police in Springfield said so. Officials in Massachusetts agreed.")
    assert round(alone.lon) == -93  # with no other clue, the largest: Missouri's
    assert (round(in_illinois.lat), round(in_illinois.lon)) == (40, -90)
    assert (round(in_massachusetts.lat), round(in_massachusetts.lon)) == (42, -73)  # named after it, too


def test_a_place_of_the_index_gives_its_precision_as_a_float_whatever_its_kind():
    # the exports write a column of numbers one way: 84.0, never 84 in one row and 84.0 in the next
    from geomap.gazetteer.geonames import GeoName

    for feature, area in (("admin1", 22_000.0), ("country", 180_000.0), ("water", 9_000.0), ("town", 0.0)):
        place = GeoName(1, "X", 1.0, 2.0, "TZ", 5_000, "01", feature, area).to_place()
        assert isinstance(place.precision_km, float) and place.precision_km >= 3.0, (feature, place.precision_km)


def test_a_governor_governs_the_province_not_its_seat(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Tak governor Chucheep Pongchai spoke. Troops arrived in Tak on Friday, "
                                           "and the governor of Tak spoke again.")
    # "Tak" alone is the province too, as the editors' gazetteer says (the index's first-level
    # division of that name is the same province: one place, not two points)
    assert [(s, p) for s, p, _ in places(res)] == [("Tak", "th-tak-province")] * 3


def test_spellings_without_hyphens_and_capitals_named_like_their_region(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Myanmar police raided premises in Muse, on the border with China. "
                                           "Police in Peru raided a house in Lima.")
    found = {r.mention.surface: r.place for r in res}
    # GeoNames writes the town "Mu-se"; the news writes "Muse" (a town of that name in the US is smaller)
    assert (found["Muse"].country, found["Muse"].kind) == ("MM", "city")
    # the capital, not the region around it that bears its name
    assert (found["Lima"].country, found["Lima"].kind) == ("PE", "city")


def test_korean_provinces_by_the_english_names_of_their_halves(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Police in South Chungcheong province referred 45 returnees to "
                                           "prosecutors. Others live in North Gyeongsang.")
    found = {r.mention.surface: r.place for r in res}
    assert (found["South Chungcheong"].kind, found["South Chungcheong"].country) == ("province", "KR")
    assert found["North Gyeongsang"].name == "Gyeongsangbuk-do"


def test_the_neighbourhood_asks_only_the_cells_around_a_point(monkeypatch):
    import geomap.mentions as mentions

    neighbourhood = mentions._Neighbourhood()
    for lat in range(-80, 81, 2):
        for lon in range(-180, 180, 2):
            neighbourhood.add(lat + 0.5, lon + 0.5)  # 14,580 points, one in every other cell
    compared = []
    real = mentions.haversine_km
    monkeypatch.setattr(mentions, "haversine_km", lambda *a: compared.append(a) or real(*a))
    assert neighbourhood.near(10.6, 104.0, 60) and not neighbourhood.near(10.6, 104.0, 50)  # (10.5, 104.5): 56 km
    assert neighbourhood.near(11.6, 105.6, 150) and not neighbourhood.near(11.6, 105.6, 130)  # (12.5, 106.5): 140 km
    assert neighbourhood.near(0.5, 179.9, 70)  # (0.5, -179.5), 67 km off: across the antimeridian
    # each question compares the points of the few cells around it, never all of them
    assert len(compared) < 60


def test_a_name_said_to_lie_in_a_place_is_kept_to_its_country(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Police raided the Chinatown area of Sihanoukville. Officers searched a "
                                           "house in the Fomento area of Dili. Hundreds worked in Bamban, Tarlac. "
                                           "Police in Riga, Merida and San Jose agreed. He flew to Lagos, Nigeria.")
    found = {r.mention.surface: r for r in res}
    # no Chinatown in Cambodia, no Fomento in Timor-Leste: nothing, rather than San Francisco or Cuba
    for name, container in (("Chinatown", "Sihanoukville"), ("Fomento", "Dili")):
        assert found[name].place is None and f"said to lie in {container}" in found[name].reason
    assert found["Sihanoukville"].place.id == "kh-sihanoukville" and found["Dili"].place.country == "TL"
    assert found["Bamban"].place.country == "PH"
    # a list is no container: Riga stays in Latvia
    assert [found[n].place.country for n in ("Riga", "Lagos", "Nigeria")] == ["LV", "NG", "NG"]


def test_a_numbered_common_word_and_a_nickname_are_no_towns(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "A cook was beaten outside Casino 67 in Bavet; the casino denied it. "
                                           "Governor Dennis \"Delta\" Pineda joined the raid in Porac. "
                                           "He spends 2 days a week in Paris.")
    # not Casino in New South Wales, nor Nigeria's Delta State
    assert [r.mention.surface for r in res] == ["Bavet", "Porac", "Paris"]


def test_the_index_division_the_gazetteer_has_a_row_for_is_that_row(parts, tmp_path):
    _, res = resolve_text(parts, tmp_path, "Rockets hit Chiang Rai. Officials of Chiang Rai province met. "
                                           "Police in Haryana agreed.")
    # one province, one point and one id on the map, whether named with "province" or not
    assert [r.place.id for r in res[:2]] == ["th-chiang-rai-province", "th-chiang-rai-province"]
    assert "the gazetteer's row th-chiang-rai-province" in res[0].reason
    assert res[2].place.id.startswith("geonames:")  # a division the gazetteer has no row for
