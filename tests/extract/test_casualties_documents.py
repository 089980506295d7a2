"""A document's attacks, not its sentences: toll semantics, places in the hierarchy, and texts that tell no new
attack. Short reports written for these tests, read by the real model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.language import Language

from bot.extract.yaml_data import parse_yaml
from tests.extract.casualty_support import PUBLISHED, one, reports, shared_pipeline

MONDAY, SUNDAY = dt.date(2025, 6, 9), dt.date(2025, 6, 8)
CASES = Path(__file__).with_name("casualty_documents.yaml")     # tolls and days, case by case


@pytest.fixture(scope="module")
def nlp(repo_root: Path) -> Language:
    return shared_pipeline(str(repo_root / "config"))


# -- toll semantics ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Russian strike on Sumy",
         "The number of injured in Sunday's Russian missile strike on Sumy has risen to 14, the regional governor said."),
        ("Sumy missile strike: two dead, number of those injured rises to 14",
         "The regional governor gave the new figures on Tuesday."),
        ("Sumy missile strike: number of wounded rises to 14",
         "Two people were killed in the Russian attack, the regional governor said."),
    ],
)
def test_the_number_of_injured_rising_is_the_injured_toll(nlp: Language, title: str, text: str) -> None:
    report = one(nlp, title, text)
    assert (report.injured, report.location) == (14, "Sumy")


@pytest.mark.parametrize(
    ("title", "killed", "injured"),
    [
        ("One killed, 12 injured as Russian drones hit Sumy", 1, 12),
        ("Russian attack on Sumy: 1 dead, 8 wounded", 1, 8),
        ("Russian missiles hit Sumy: woman killed, seven wounded", 1, 7),
        ("Man killed in Russian shelling of Sumy", 1, None),
    ],
)
def test_a_headline_s_list_of_the_dead_and_the_wounded(nlp: Language, title: str, killed: int,
                                                       injured: int | None) -> None:
    report = one(nlp, title, "The regional governor gave the figures on Saturday.")
    assert (report.location, report.killed, report.injured) == ("Sumy", killed, injured)


@pytest.mark.parametrize("count", ["Seven", "Four", "Fifteen", "12"])
def test_a_paragraph_opening_with_its_count_keeps_the_count(nlp: Language, count: str) -> None:
    # the parser cut a paragraph's first word off after the title, and the dead went uncounted
    report = one(nlp, "Strike on Vinnytsia",
                 f"{count} people were killed and 30 injured when a Russian missile hit a clinic in Vinnytsia on "
                 "Tuesday.")
    assert (report.killed, report.injured) == (int(count) if count.isdigit() else
                                               {"Seven": 7, "Four": 4, "Fifteen": 15}[count], 30)


@pytest.mark.parametrize("update", [
    "Later he said the toll had risen: a 64-year-old woman died in hospital from her wounds.",
    "Update at 18:00\n\n\"Sadly, the number of dead has increased. A 58-year-old man has died in hospital from "
    "his injuries,\" the governor added.",
])
def test_a_victim_who_died_after_the_toll_was_said_to_rise_is_one_more(nlp: Language, update: str) -> None:
    report = one(nlp, "Drone hits bus in Kherson, killing one and injuring six",
                 "A Russian drone struck a city bus in Kherson on Tuesday, killing one passenger and injuring six, the "
                 f"governor said.\n\n{update}")
    assert (report.killed, report.injured) == (2, 6)


def test_a_victim_who_died_in_hospital_among_the_toll_is_not_one_more(nlp: Language) -> None:
    report = one(nlp, "Two killed in Russian shelling of Nikopol",
                 "Russian shelling killed two people in Nikopol on Tuesday. One died at the scene, the other died in "
                 "hospital from his wounds.")
    assert report.killed == 2


def test_wounded_who_died_are_more_dead_not_injured(nlp: Language) -> None:
    report = one(nlp, "Two injured in Chernihiv strike die in hospital",
                 "Two of the people wounded in Sunday's Russian missile strike on Chernihiv have died in hospital, "
                 "the regional governor said on Tuesday.")
    assert (report.killed, report.killed_added, report.injured, report.location) == (None, 2, None, "Chernihiv")


def test_a_girl_injured_in_the_attack_who_died_is_one_more_dead(nlp: Language) -> None:
    report = one(nlp, "Girl injured in Odesa drone attack dies",
                 "A 12-year-old girl who was injured in Monday's Russian drone attack on Odesa died in hospital, "
                 "officials said.")
    assert (report.killed_added, report.injured) == (1, None)


def test_more_people_who_died_are_added_to_the_toll(nlp: Language) -> None:
    report = one(nlp, "Toll of Poltava strike rises",
                 "Three more people died in hospital after Sunday's Russian missile strike on Poltava, the regional "
                 "governor said on Tuesday.")
    assert (report.killed, report.killed_added, report.location) == (None, 3, "Poltava")


def test_the_latest_toll_wins_over_the_initial_one(nlp: Language) -> None:
    report = one(nlp, "Death toll in Kramatorsk strike climbs to 20",
                 "Officials in Kramatorsk initially said nine people had been killed in Monday's missile strike, "
                 "but later raised the toll to 20.")
    assert report.killed == 20


def test_a_lower_figure_told_as_earlier_does_not_win(nlp: Language) -> None:
    report = one(nlp, "Sumy toll revised",
                 "Emergency services revised the death toll from Sunday's Russian missile strike on Sumy to 14. "
                 "They had earlier reported 17 dead.")
    assert report.killed == 14


def test_a_count_of_children_is_part_of_the_toll_not_the_toll(nlp: Language) -> None:
    report = one(nlp, "Russian strike on Kryvyi Rih kills 18",
                 "A Russian missile struck a residential area of Kryvyi Rih on Monday, killing 18 people, including "
                 "nine children, and wounding 61, the regional governor said.")
    assert (report.killed, report.injured, report.date) == (18, 61, MONDAY)


def test_ranges_keep_their_bounds(nlp: Language) -> None:
    report = one(nlp, "Dozens hurt in Kharkiv", "At least seven people were killed and dozens injured when Russian "
                                              "glide bombs hit Kharkiv on Sunday, the mayor said.")
    assert (report.killed, report.killed_low, report.injured, report.injured_low, report.date) == (7, 7, None, 24, SUNDAY)


def test_a_toll_told_in_a_revision_is_marked_so(nlp: Language) -> None:
    report = one(nlp, "Zaporizhzhia death toll rises to 13",
                 "The number of people killed in Monday's Russian bombing of Zaporizhzhia has risen to 13, the "
                 "regional governor said on Tuesday.")
    assert (report.killed, report.revision, report.date) == (13, True, MONDAY)


# -- places -----------------------------------------------------------------------------------------------

def test_the_village_named_within_the_region_of_the_title(nlp: Language) -> None:
    report = one(nlp, "Russian missiles kill 19 in Ukraine's Odesa region",
                 "Russian missiles struck an apartment building in the small town of Serhiivka, about 50 kilometres "
                 "southwest of Odesa, on Friday, killing at least 19 people.")
    assert (report.location, report.place_level, report.admin, report.district) == (
        "Serhiivka", "city", "UA.17", "Bilhorod-Dnistrovskyi district")


@pytest.mark.parametrize(("title", "text", "place"), [
    ("Glide bomb hits school", "Three people were injured in Kharkiv's Shevchenkivskyi district when a glide bomb "
     "hit a school, the mayor said.", "Kharkiv"),
    ("Night shelling", "One person was killed and seven were injured in the night shelling of Donetsk's Pokrovsk, "
     "the regional governor said.", "Pokrovsk"),
])
def test_a_place_in_the_possessive_holds_the_next_and_is_no_place_of_its_own(nlp: Language, title: str, text: str,
                                                                           place: str) -> None:
    # Shevchenkivskyi is a district of Kyiv too; Donetsk is a city as well as the region
    assert [r.location for r in reports(nlp, title, text)] == [place]


def test_a_district_several_cities_have_is_the_named_city_s(nlp: Language) -> None:
    text = ("A drone strike on Kharkiv killed three people overnight. \"Three dead after the night strike on "
            "Shevchenkivskyi district,\" Kharkiv Mayor Ihor Terekhov said.")
    assert [r.location for r in reports(nlp, "Night strike", text)] == ["Kharkiv"]


def test_the_dateline_is_not_the_place(nlp: Language) -> None:
    report = one(nlp, "Missile hits restaurant in eastern Ukraine",
                 "KYIV, Ukraine (AP) — A Russian missile hit a crowded pizza restaurant in the eastern city of "
                 "Kramatorsk on Monday evening, killing at least nine people, officials said.")
    assert (report.location, report.target) == ("Kramatorsk", "restaurant")


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("A Russian drone hit a block of flats in Chernihiv overnight, killing three people, the regional "
         "administration said.", None),
        ("A Russian drone hit a block of flats in Chernihiv overnight, killing three people, the head of the "
         "regional administration said.", None),
        ("A Russian drone hit a block of flats in Chernihiv overnight, killing three people, according to the "
         "regional administration.", None),
        ("A Russian drone hit the regional administration building in Chernihiv overnight, killing three people, "
         "officials said.", "administration_building"),
    ],
)
def test_an_institution_that_speaks_is_no_target(nlp: Language, text: str, target: str | None) -> None:
    report = one(nlp, "Drone strike on Chernihiv", text)
    assert (report.location, report.killed, report.target) == ("Chernihiv", 3, target)


@pytest.mark.parametrize(
    ("text", "admin"),
    [
        ("Shelling of a bus stop in the Russian-controlled city of Donetsk killed eight people on Monday, the "
         "Russian-installed authorities said.", "UA.05"),
        ("A Ukrainian drone hit a house in the town of Donetsk in Russia's Rostov region on Monday, killing eight "
         "people.", "RU.61"),
    ],
)
def test_a_nationality_adjective_tells_who_acts_more_than_where(nlp: Language, text: str, admin: str) -> None:
    report = one(nlp, "Eight killed in Donetsk", text)
    assert (report.location, report.admin, report.killed) == ("Donetsk", admin, 8)


@pytest.mark.parametrize("text", [
    "Russian attacks killed three people in Kherson and two in Nikopol on Monday, regional officials said.",
    "Three people were killed in Kherson and two in Nikopol on Monday, regional officials said.",
    "Russian shelling killed three people in Kherson and a drone killed two in Nikopol on Monday, officials said.",
])
def test_a_list_of_tolls_by_place_gives_each_place_its_own(nlp: Language, text: str) -> None:
    found = reports(nlp, "Russian attacks kill five in southern Ukraine", text)
    assert sorted((r.location, r.killed) for r in found) == [("Kherson", 3), ("Nikopol", 2)]


def test_a_title_summing_a_list_of_tolls_is_no_one_place_s(nlp: Language) -> None:
    # "injure nine" is five and four: the title's sum goes to neither place
    found = reports(nlp, "Russian attacks injure nine",
                    "Russian attacks injured five people in the Kharkiv region and four in Kherson on Monday, "
                    "officials said.")
    assert sorted((r.location, r.injured) for r in found) == [("Kharkiv Oblast", 5), ("Kherson", 4)]


@pytest.mark.parametrize("district", ["Pavlograd district", "Pavlohrad district"])
def test_a_district_named_by_another_spelling_of_its_town_is_that_district(nlp: Language, district: str) -> None:
    report = one(nlp, "Drone hits miners' bus",
                 f"A Russian drone hit a shuttle bus in the {district} on Sunday, killing 12 miners, the governor said.")
    assert (report.location, report.place_level, report.killed) == ("Pavlohrad district", "district", 12)


def test_a_capital_naming_a_government_is_not_the_place(nlp: Language) -> None:
    report = one(nlp, "Belgorod shelled", "The Kiev regime shelled Belgorod with cluster munitions on Saturday, "
                                          "killing five residents, the regional governor said.")
    assert (report.location, report.killed, report.weapon) == ("Belgorod", 5, "shelling")


def test_a_year_to_date_tally_beside_the_toll_is_not_the_toll(nlp: Language) -> None:
    report = one(nlp, "Missile attack on Lviv kills five",
                 "A Russian missile attack on Lviv on Monday killed five people and injured 31, officials said. This "
                 "brings to 60 the number of civilians killed in the region since the start of the year.")
    assert (report.killed, report.injured) == (5, 31)


def test_an_attack_told_as_a_day_earlier_is_its_own_with_its_own_toll(nlp: Language) -> None:
    found = reports(nlp, "Missile attack on Lviv kills five",
                    "A Russian missile attack on Lviv on Monday killed five people, officials said. A day earlier, a "
                    "Russian drone strike on Sumy killed two people.")
    assert sorted((r.location, r.killed, r.undated) for r in found) == [("Lviv", 5, False), ("Sumy", 2, False)]


@pytest.mark.parametrize(
    "background",
    ["On Sunday, a drone attack on the city killed nine people.",
     "Two days earlier, nine people died in a missile strike on the town.",
     "Last week, a missile strike on the city killed nine.",
     "Last Sunday, nine people died when two ballistic missiles hit the city centre.",
     "The attack came three days after a missile strike on the city centre killed nine people."],
)
def test_another_day_s_toll_at_the_same_place_is_not_the_day_s(nlp: Language, background: str) -> None:
    found = reports(nlp, "Glide bomb kills 4 in Pokrovsk",
                    f"A Russian glide bomb hit an apartment block in Pokrovsk on Tuesday, killing four people and "
                    f"injuring nine, the governor said. {background}")
    main = [r for r in found if r.date == PUBLISHED]
    assert [(r.location, r.killed, r.injured) for r in main] == [("Pokrovsk", 4, 9)]
    assert all(r.killed == 9 and r.date != PUBLISHED for r in found if r not in main)


def _told_cases() -> list[dict[str, object]]:
    return list(parse_yaml(CASES.read_text(encoding="utf-8")) or [])


@pytest.mark.parametrize("case", _told_cases(), ids=lambda case: str(case["why"])[:40])
def test_tolls_and_days_as_the_document_tells_them(nlp: Language, case: dict[str, object]) -> None:
    report = one(nlp, str(case["title"]), str(case["text"]))
    assert (report.killed, report.injured, str(report.date), report.undated) == (
        case["killed"], case["injured"], str(case["date"]), case["undated"]), case["why"]


@pytest.mark.parametrize("text", [
    "A Russian strike on the village of Ivanivka in the Kharkiv region killed three people on Tuesday.",
    "Three people were killed in Ivanivka, Kharkiv region, when Russian drones struck on Tuesday.",
])
def test_a_town_known_only_in_another_region_is_read_as_the_region_named(nlp: Language, text: str) -> None:
    # the gazetteer knows an Ivanivka in the Luhansk region only: the text's region is where it happened
    assert [(r.location, r.admin) for r in reports(nlp, "Strike on village", text)] == [("Kharkiv Oblast", "UA.07")]


def test_a_country_wide_toll_of_a_barrage_is_not_one_city_s(nlp: Language) -> None:
    found = reports(nlp, "Russia's biggest air attack of the war",
                    "Russia launched 367 drones and missiles at Ukraine overnight, killing at least 12 people. Three "
                    "people were killed in Kyiv and 11 injured. In the Khmelnytskyi region, four people were killed.")
    assert [(r.location, r.killed, r.injured) for r in found if r.location == "Kyiv"] == [("Kyiv", 3, 11)]


def test_mercenaries_a_side_claims_to_have_killed_are_not_the_toll(nlp: Language) -> None:
    report = one(nlp, "Russia says strike on Odesa killed 40 'foreign mercenaries'",
                 "Russia's defence ministry said its missile strike on Odesa on Monday killed up to 40 foreign "
                 "mercenaries. Ukrainian officials said three civilians were killed.")
    assert (report.location, report.killed) == ("Odesa", 3)


def test_a_title_led_by_a_place_and_a_colon_names_the_place(nlp: Language) -> None:
    report = one(nlp, "Poltava: 14 killed in Russian strike",
                 "Rescuers finished searching the rubble on Tuesday. The final toll of Monday's attack is 14 dead, "
                 "the emergency service said.")
    assert (report.location, report.killed) == ("Poltava", 14)


def test_people_taken_to_hospital_are_the_injured(nlp: Language) -> None:
    report = one(nlp, "Missile strike on Poltava",
                 "A Russian missile hit a block of flats in Poltava on Monday, killing six people. Twenty-two people "
                 "were hospitalised, among them four children.")
    assert (report.killed, report.injured) == (6, 22)


@pytest.mark.parametrize(
    "second",
    ["Another 22 people sought medical help.", "A total of 22 people applied for medical assistance.",
     "Doctors are treating 22 people for injuries."],
)
def test_people_given_medical_help_are_the_injured(nlp: Language, second: str) -> None:
    report = one(nlp, "Missile strike on Poltava",
                 f"A Russian missile hit a block of flats in Poltava on Monday, killing six people. {second}")
    assert (report.killed, report.injured) == (6, 22)


def test_a_clarified_toll_wins_over_a_higher_earlier_one(nlp: Language) -> None:
    report = one(nlp, "Russian strike on Poltava",
                 "Six people were killed and 90 sought medical help after a Russian missile hit a block of flats in "
                 "Poltava on Monday.\n\nUpdate on Tuesday. The mayor clarified that seven people were killed and "
                 "74 injured in the attack.")
    assert (report.killed, report.injured) == (7, 74)


def test_a_second_attack_is_placed_in_the_town_its_region_contains(nlp: Language) -> None:
    found = reports(nlp, "Russian strike on Poltava kills six",
                    "A Russian missile strike on Poltava on Monday killed six people, officials said. In the Kharkiv "
                    "region, Russian shelling killed two people in the town of Kupiansk, the regional governor said.")
    assert sorted((r.location, r.killed) for r in found) == [("Kupyansk", 2), ("Poltava", 6)]


def test_a_title_naming_a_region_by_its_city_matches_the_town_the_story_names(nlp: Language) -> None:
    report = one(nlp, "Strike on Lugansk",
                 "A Ukrainian strike on a bakery in Lisichansk in the LPR killed 28 people, the emergencies ministry "
                 "said.")
    assert (report.location, report.admin, report.killed) == ("Lysychansk", "UA.14", 28)


def test_a_title_city_the_story_names_only_in_passing_still_means_its_region(nlp: Language) -> None:
    # "the Kursk-Kurchatov road" names no place where anything happened
    found = reports(nlp, "Ukrainian drones hit Kursk, wounding five",
                    "Ukrainian drones attacked the town of Kurchatov in the Kursk region on Monday, wounding five "
                    "people on the Kursk-Kurchatov road, the governor said.")
    assert [(r.location, r.injured) for r in found] == [("Kurchatov", 5)]


def test_a_title_city_the_story_names_again_stays_the_city(nlp: Language) -> None:
    found = reports(nlp, "Strike on Kharkiv",
                    "A Russian missile hit Kharkiv on Monday, killing three people. In Chuhuiv, a drone killed two.")
    assert sorted((r.location, r.killed) for r in found) == [("Chuhuyiv", 2), ("Kharkiv", 3)]


def test_a_capital_mourning_its_dead_is_the_place(nlp: Language) -> None:
    report = one(nlp, "Day of mourning",
                 "Kyiv declared Wednesday a day of mourning after a Russian missile attack on Monday killed 14 "
                 "people in the capital.")
    assert (report.location, report.killed) == ("Kyiv", 14)


def test_a_place_the_attack_hit_is_the_place_however_the_model_tags_it(nlp: Language) -> None:
    report = one(nlp, "Sumy hit by Russian missiles: woman killed, seven wounded",
                 "The regional governor gave the figures on Saturday.")
    assert (report.location, report.killed, report.injured) == ("Sumy", 1, 7)


def test_a_month_is_not_a_place(nlp: Language) -> None:
    report = one(nlp, "Zaporizhzhia toll rises to seven",
                 "Rescuers recovered two more bodies from the apartment block in Zaporizhzhia hit by Russian "
                 "missiles on 2 March. The death toll now stands at seven.")
    assert (report.location, report.killed) == ("Zaporizhzhya", 7)


def test_a_country_alone_is_no_place(nlp: Language) -> None:
    report = one(nlp, "Pakistan mosque bombing toll rises to 87",
                 "The death toll from the suicide bombing at a mosque in Pakistan rose to 87 on Tuesday.")
    assert (report.location, report.country, report.place_level, report.target) == (None, "PK", "country", "mosque")


def test_a_separate_attack_elsewhere_is_its_own_report(nlp: Language) -> None:
    found = reports(nlp, "Russian attacks kill 2 in southern Ukraine",
                    "A Russian attack on Kherson on Monday killed one person and wounded two, the governor said, and "
                    "a Russian drone strike killed another civilian in the city of Nikopol.")
    assert [(r.location, r.killed if r.killed is not None else r.killed_added, r.injured) for r in found] == [
        ("Kherson", 1, 2), ("Nikopol", 1, None)]


def test_a_background_paragraph_about_an_earlier_attack_is_no_report(nlp: Language) -> None:
    found = reports(nlp, "Russian missile strike on Odesa kills 20",
                    "A Russian missile strike on Odesa on Friday killed 20 people, the regional governor said.\n\n"
                    "On March 2, a Russian drone struck an apartment building in the city, killing 12 people.")
    assert [(r.location, r.killed) for r in found] == [("Odesa", 20)]


# -- what is not an attack ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("UN: civilian deaths in Ukraine pass 12,000",
         "At least 12,000 civilians have been killed in Ukraine since the start of the full-scale invasion, the UN "
         "human rights monitoring mission said."),
        ("Ukraine loses 600 soldiers on Donetsk direction, Russia says",
         "Ukraine has lost up to 600 servicemen on the Donetsk direction over the past 24 hours, the Russian "
         "defence ministry said."),
        ("Kyiv commemorates victims of the Mariupol theatre bombing",
         "An event to commemorate the anniversary of the bombing of the drama theatre in Mariupol, in which some "
         "300 people died, was held in Kyiv."),
        ("Court sentences Russian soldier for killing civilians",
         "A court in Kyiv sentenced a Russian soldier to life in prison for killing four civilians in Bucha."),
        ("Bus crash in Khmelnytskyi region kills two",
         "Two people were killed and 12 injured when a bus collided with a truck in the Khmelnytskyi region."),
        ("Ukraine recovers bodies of 121 soldiers in exchange",
         "Ukraine has repatriated the bodies of 121 fallen soldiers as part of an exchange with Russia."),
        ("Air defence downs 30 drones",
         "Ukraine's air force shot down 30 of the 35 drones Russia launched overnight. No casualties were reported."),
        ("Fire at Lviv hostel kills three",
         "Three guests died when a fire spread through a hostel in Lviv overnight. Investigators said faulty wiring "
         "in the basement had started the blaze."),
        ("Kherson region: 900 civilians killed since liberation",
         "Since the liberation of Kherson, Russian shelling has killed more than 900 civilians in the region, "
         "regional prosecutors said."),
        ("Russian shelling kills 9 in Zaporizhzhia region",
         "Russian shelling killed nine civilians across the Zaporizhzhia region over the past day, the governor "
         "said."),
        ("UN: 900 civilians killed in first half of year",
         "The UN monitoring mission said 900 civilians were killed between January and June."),
        ("Memorial unveiled for Chernihiv theatre victims",
         "A memorial to the 17 people killed outside the Chernihiv drama theatre in August 2023 was unveiled on "
         "Tuesday."),
        ("Kremenchuk remembers mall strike victims",
         "Relatives of the 22 people killed in the 2022 Russian missile strike on a shopping mall in Kremenchuk "
         "gathered at a new memorial on Tuesday."),
        ("Families of Kremenchuk mall victims sue",
         "Relatives of the 22 people killed in the 2022 Russian missile strike on a shopping mall in Kremenchuk "
         "filed a lawsuit on Tuesday."),
        ("Mykolaiv region: 27 killed in May",
         "In total, 27 people have been killed in Russian attacks on the Mykolaiv region since the beginning of "
         "May, the governor said."),
        ("Chernihiv remembers those it lost",
         "Hundreds gathered in Chernihiv on Sunday to remember those killed when a missile hit the city centre, "
         "killing seven people."),
        ("Odesa grieves for 12 killed on waterfront one year ago",
         "Residents brought flowers to the Odesa waterfront on Monday. The strike on March 15 killed 12 people and "
         "injured 40."),
        ("Ten years after Ilovaisk: Ukraine remembers its fallen defenders",
         "Ten years ago Russian forces shelled a column of Ukrainian soldiers leaving the encirclement near "
         "Ilovaisk. At that time, 366 soldiers were killed and 429 wounded."),
        ("Dozens injured in blast at optics plant near Moscow",
         "At least 43 people were injured in an explosion at an optics plant in Sergiyev Posad, where pyrotechnics "
         "were stored, officials said."),
        # mines and shells left behind by an army that has gone: an accident, not an attack of the day
        ("Mine kills farmer in Kharkiv region",
         "A farmer died on Tuesday in Kharkiv region after his tractor hit an anti-tank mine left by Russian troops "
         "during the occupation."),
        ("Farmer killed by Russian mine in Kharkiv region",
         "A farmer died on Tuesday near Izium when his combine ran over an explosive object in a field."),
    ],
)
def test_texts_that_tell_no_new_attack_give_no_report(nlp: Language, title: str, text: str) -> None:
    assert reports(nlp, title, text) == []


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Uman holds funerals for strike victims",
         "Families in Uman buried on Tuesday eleven of the 23 people who died when a Russian cruise missile struck "
         "a residential block on Friday."),
        ("Farewell in Dnipro to family killed by drone",
         "Hundreds of mourners said goodbye in Dnipro on Tuesday to the five members of one family who died in "
         "Saturday's drone attack."),
        ("Chernihiv lays its dead to rest",
         "Chernihiv laid to rest on Tuesday the seven people a Russian missile killed in the city centre last week."),
        ("Odesa residents repair homes after drone attack",
         "Residents of Odesa were repairing their homes on Tuesday, days after a Russian drone attack that killed "
         "eight people and injured 30."),
        ("A month after the strike, Vinnytsia remembers",
         "A month after a Russian missile killed 27 people in central Vinnytsia, people brought flowers to the "
         "square."),
        ("SBU detains woman over Ternopil strike",
         "The SBU said it had detained a woman suspected of helping Russia plan the missile strike on Ternopil in "
         "which 30 people died."),
        ("Kharkiv man jailed for guiding glide bomb",
         "A Kharkiv court jailed a man for 15 years on Tuesday for sending Russian officers the location of a "
         "hypermarket that a glide bomb later hit, killing 19 people."),
    ],
)
def test_an_attack_s_aftermath_tells_no_new_attack(nlp: Language, title: str, text: str) -> None:
    # funerals, rebuilding and arrests days later restate a toll the team was alerted to at the time
    assert reports(nlp, title, text) == []


def test_a_gunman_arrested_at_the_scene_is_still_the_attack(nlp: Language) -> None:
    report = one(nlp, "Gunman kills four at Sumy school, police arrest him",
                 "A gunman opened fire at a school in Sumy on Tuesday, killing four people, before police arrested "
                 "him at the scene.")
    assert (report.killed, report.location) == (4, "Sumy")


def test_a_fire_a_strike_started_is_an_attack(nlp: Language) -> None:
    report = one(nlp, "Fire at Lviv market kills three",
                 "Three traders died when a fire broke out at a covered market in Lviv after a Russian drone hit it "
                 "overnight, the mayor said.")
    assert (report.killed, report.location) == (3, "Lviv")


def test_a_strike_on_a_coal_mine_is_still_an_attack(nlp: Language) -> None:
    report = one(nlp, "Missile hits coal mine in Donetsk region",
                 "A Russian missile hit a coal mine in Pokrovsk on Tuesday, killing two miners and injuring five.")
    assert (report.killed, report.injured, report.location) == (2, 5, "Pokrovsk")


def test_the_deadliest_since_the_war_began_is_still_an_attack(nlp: Language) -> None:
    report = one(nlp, "Strike on Kyiv kills 31",
                 "A Russian missile attack on Kyiv on Monday killed 31 people, the deadliest attack on the capital "
                 "since the full-scale war began.")
    assert (report.killed, report.location) == (31, "Kyiv")


@pytest.mark.parametrize("title", [
    "Petrol station in Poltava hit in Russian drone attack",
    "Service station destroyed by missile in Poltava",
])
def test_a_filling_station_an_attack_hit_is_no_accident(nlp: Language, title: str) -> None:
    # a station hit by a weapon is the attack's target, not the scene of an accident at a fuel station
    report = one(nlp, title, "Two people were killed and seven injured in Poltava, the regional governor said.")
    assert (report.killed, report.injured, report.location) == (2, 7, "Poltava")


def test_a_region_s_toll_told_beside_its_city_s_is_the_wider_sum(nlp: Language) -> None:
    # the story's "in Donetsk region" sums the region's towns; the figure told of Kramatorsk is the attack's
    report = one(nlp, "Russian shelling of Kramatorsk",
                 "Five people were killed in Donetsk region on Monday as a result of Russian shelling, the governor "
                 "said.\n\nIn Kramatorsk, three people died and seven were injured.")
    assert (report.location, report.killed, report.injured) == ("Kramatorsk", 3, 7)


def test_a_toll_joined_to_one_that_names_its_town_is_told_of_that_town(nlp: Language) -> None:
    # "a woman died and three were injured in Izium": the town closes both tolls
    found = reports(nlp, "Russian shelling of Kharkiv region",
                    "Russian shelling killed a man in Kupiansk on Monday morning, the governor said. In the "
                    "afternoon, a woman died and three people were injured in Izium.")
    assert {(r.location, r.killed, r.injured) for r in found} == {("Kupyansk", 1, None), ("Izyum", 1, 3)}


def test_the_region_across_a_border_is_no_place_of_the_attack(nlp: Language) -> None:
    # "near the border with Ukraine's Sumy region" says where the Kursk village lies
    report = one(nlp, "Drone attacks in Kursk region",
                 "A woman was killed by a drone in a village near the border with Ukraine's Sumy region, the Kursk "
                 "governor said.")
    assert (report.killed, report.location) == (1, "Kursk Oblast")


def test_a_toll_told_as_a_separate_incident_is_no_part_of_the_attack_before(nlp: Language) -> None:
    # the title sums two attacks; the story's own toll for the van is the attack's, the woman's death another's
    found = reports(nlp, "Drone strikes kill two in Kursk region",
                    "A Ukrainian drone hit a van in Rylsk on Monday, killing its driver, the governor said.\n\n"
                    "In a separate incident, a woman was killed by an explosive dropped from a drone.")
    assert sorted((r.location or "", r.killed) for r in found) == [("", 1), ("Ryl’sk", 1)]


def test_a_region_named_inside_a_governor_s_title_is_the_region_not_its_city(nlp: Language) -> None:
    report = one(nlp, "Two civilians killed in Ukrainian strike in Russia's Kursk Region - Governor",
                 "A Ukrainian strike has killed two civilians, Russia's Kursk Region Governor said.")
    assert (report.killed, report.location, report.place_level) == (2, "Kursk Oblast", "region")


def test_a_region_told_as_where_a_town_lies_is_no_wider_sum(nlp: Language) -> None:
    # the toll of "a town in the region" is the town's, however its victims are told one by one afterwards
    report = one(nlp, "Ukrainian attack on Kursk region kills 2",
                 "Ukrainian shelling of a town in the Kursk region on Monday killed two people, the governor said. "
                 "A man was killed in the attack on Rylsk, and a woman died later in hospital.")
    assert (report.killed, report.location) == (2, "Ryl’sk")


def test_a_capital_told_as_the_hardest_hit_is_where_the_toll_is(nlp: Language) -> None:
    # a roundup opening on the capital told as hit, its toll told with no place, then other regions' own
    found = reports(nlp, "Russia pounds Ukraine with drones overnight",
                    "Kyiv was the worst affected city. Debris hit several apartment blocks and a school. Two women "
                    "died and 14 were injured.\n\nIn the Poltava region, three people were injured.")
    assert sorted((r.location, r.killed, r.injured) for r in found) == [("Kyiv", 2, 14), ("Poltava Oblast", None, 3)]


def test_a_city_s_district_tagged_as_one_name_with_the_city_is_in_that_city(nlp: Language) -> None:
    # "Kyiv’s Obolonsk district" (a spelling the gazetteer lacks) tagged as one facility: the city holding it
    report = one(nlp, "Drone strike on apartment block",
                 "A Russian drone struck an apartment block in Kyiv’s Obolonsk district on Friday, injuring four "
                 "people.")
    assert (report.location, report.injured) == ("Kyiv", 4)


def test_a_one_line_paragraph_telling_a_second_attack_places_the_toll_told_after_it(nlp: Language) -> None:
    # the toll comes in the next paragraph with no place of its own (Bilopilya: a spelling of Bilopillia)
    found = reports(nlp, "Missile strike kills four in Kramatorsk",
                    "A Russian missile hit a shop in Kramatorsk on Monday, killing four people.\n\n"
                    "Russian troops also shelled the town of Bilopilya overnight.\n\n"
                    "\"Two houses burned down. A man was killed and three people were wounded,\" local officials "
                    "said.")
    assert sorted((r.location, r.killed, r.injured) for r in found) == [("Bilopillia", 1, 3), ("Kramatorsk", 4, None)]


def test_others_injured_beside_a_title_s_dead_are_the_injured_not_a_slip(nlp: Language) -> None:
    # a title counting the dead and a story counting only "others" hurt: both tolls, the same number or not
    report = one(nlp, "Four dead in Russian missile strike on Kramatorsk",
                 "A Russian missile hit a shop in Kramatorsk on Monday. Four others were injured in the attack, the "
                 "governor said.")
    assert (report.killed, report.injured) == (4, 4)


def test_a_death_told_there_by_officials_of_another_region_is_an_attack_there(nlp: Language) -> None:
    found = reports(nlp, "Russian drones kill two in Kharkiv",
                    "Russian drones struck Kharkiv overnight, killing two people, the mayor said.\n\n"
                    "Officials in the Poltava region said one person had died in separate attacks there.")
    assert sorted((r.location, r.killed) for r in found) == [("Kharkiv", 2), ("Poltava Oblast", 1)]


def test_the_toll_of_an_attack_told_as_hitting_places_apart_is_no_one_place_s(nlp: Language) -> None:
    # the title's toll is the town's; "the attack" after the barrage was told at several places is their sum
    report = one(nlp, "Missile hits warehouse in Rivne, killing two",
                 "Rivne and Ternopil were among the cities hit in an overnight missile attack on Tuesday.\n\n"
                 "A power plant in Kremenchuk was also hit in the attack.\n\n"
                 "By the evening, the attack had killed two people and wounded 19, the interior minister said.")
    assert (report.location, report.killed, report.injured) == ("Rivne", 2, None)


def test_a_hard_wrapped_line_does_not_end_its_sentence(nlp: Language) -> None:
    """Pages wrap lines inside a sentence ("in the\ncentral city of Dnipro"): the line after the wrap is still the
    sentence's, so a roundup's second town keeps its own toll."""
    found = reports(nlp, "Strikes across Ukraine",
                    "Russian drones struck Kharkiv overnight, injuring three people. Later a missile hit an apartment "
                    "block in the\ncentral city of Dnipro,\nkilling four people, the governor said.")
    assert {(r.location, r.killed) for r in found} == {("Kharkiv", None), ("Dnipro", 4)}


def test_a_deceased_person_is_one_killed(nlp: Language) -> None:
    """"Deceased" before a person noun counts the dead as "dead" does ("there is a deceased person")."""
    report = one(nlp, "Drone strike on Kherson bus",
                 "A Russian drone struck a bus in Kherson on Monday: there is a deceased person and three people were "
                 "injured, the governor said.")
    assert (report.location, report.killed, report.injured) == ("Kherson", 1, 3)


def test_a_lone_victim_beside_a_counted_toll_in_the_next_sentence_counts(nlp: Language) -> None:
    """"There is a deceased person. Two residents were also injured": the counted toll in the sentence beside it
    makes the lone victim a casualty of the same report (alone, a singular victim needs a word of violence)."""
    report = one(nlp, "Russian shelling of Kherson",
                 "Russian troops shelled a residential district of Kherson on Monday morning, the regional "
                 "administration said.\n\n\"Unfortunately, there is a deceased person. Two residents were also "
                 "injured, a mother and her son,\" the governor wrote.")
    assert (report.killed, report.injured) == (1, 2)
