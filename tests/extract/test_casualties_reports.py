"""Real reports as documents: where a text places an attack when it names towns as reference points, sources,
speakers and qualifiers; figures that are tallies of a week or a barrage; which of several figures is the toll;
and days told long after. Short reports written for these tests, read by the real model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.language import Language

from bot.extract.facts import CasualtyReport
from tests.extract.casualty_support import PUBLISHED, one, reports, shared_pipeline

@pytest.fixture(scope="module")
def nlp(repo_root: Path) -> Language:
    return shared_pipeline(str(repo_root / "config"))


def toll(report: CasualtyReport) -> tuple[int | None, int | None]:
    return report.killed, report.injured


# -- where it happened ----------------------------------------------------------------------------------------

def test_a_base_near_a_city_is_placed_in_the_city_s_region(nlp: Language) -> None:
    report = one(nlp, "Eleven killed in missile strike on training base near Lviv",
                 "Eleven people were killed and 40 wounded when Russian missiles hit a training ground outside the "
                 "western city of Lviv on Sunday, the head of the Lviv regional administration said.")
    assert (report.location, report.place_level, report.admin, toll(report)) == (
        "Lviv Oblast", "region", "UA.15", (11, 40))


def test_a_news_channel_is_no_place(nlp: Language) -> None:
    report = one(nlp, "Drone attack on Domodedovo",
                 "Two guards were killed in a drone attack on a warehouse in Domodedovo on Tuesday. According to "
                 "Baza and Mash, 20 people were injured in the attack.")
    assert (report.location, report.country, toll(report)) == ("Domodedovo", "RU", (2, 20))


def test_a_capital_that_qualifies_officials_is_no_place(nlp: Language) -> None:
    report = one(nlp, "Strike on Luhansk kills four, say Moscow-appointed officials",
                 "A missile strike on an apartment block in Luhansk on Monday killed four people and injured 43, "
                 "the Moscow-backed regional authorities said.")
    assert (report.location, toll(report)) == ("Luhansk", (4, 43))


def test_the_speaker_s_region_is_not_where_the_attack_was(nlp: Language) -> None:
    report = one(nlp, "Couple killed on Crimean Bridge",
                 "Two people died and their son was wounded in a drone attack on the Crimean Bridge early on "
                 "Monday, Vyacheslav Gladkov, governor of the Belgorod region, said.")
    assert (report.location, report.admin, report.target) == ("Crimean Bridge", "UA.11", "bridge")


def test_a_district_of_a_city_is_the_city(nlp: Language) -> None:
    report = one(nlp, "Three dead in Kyiv after missile debris falls on house",
                 "Missile debris fell on a house in the Solomiansky district of Kyiv overnight, killing three "
                 "residents and injuring eight.")
    assert (report.location, report.place_level, toll(report)) == ("Kyiv", "city", (3, 8))


def test_a_village_of_two_regions_is_the_one_of_the_region_named(nlp: Language) -> None:
    report = one(nlp, "Air strike on Desna kills 87",
                 "Eighty-seven people were killed in a Russian air strike on the village of Desna, in the northern "
                 "region of Chernihiv, the president said.")
    assert (report.location, report.admin, report.killed) == ("Desna", "UA.02", 87)


def test_a_sum_over_two_cities_is_not_one_city_s_toll(nlp: Language) -> None:
    report = one(nlp, "Missile hits castle-like school in Odesa",
                 "At least seven people were killed in Russian missile strikes on the cities of Odesa and Kharkiv. "
                 "In Odesa, a missile hit an educational institution in a seaside park, killing five people and "
                 "injuring 32, officials said.")
    assert (report.location, toll(report)) == ("Odesa", (5, 32))


def test_figures_after_a_paragraph_tells_of_an_attack_elsewhere_are_that_attack_s(nlp: Language) -> None:
    found = reports(nlp, "Glide bombs kill 13 in Zaporizhzhia",
                    "Russian glide bombs hit a street in Zaporizhzhia on Wednesday, killing 13 people and injuring "
                    "67, the governor said.\n\nAt the same time the Russians shelled the village of Stepnohirsk "
                    "with guided bombs. Two residents were rescued, two more died.")
    assert [(r.location, r.killed if r.killed is not None else r.killed_added) for r in found] == [
        ("Zaporizhzhya", 13), ("Stepnohirsk", 2)]


# -- what is not this attack's toll ---------------------------------------------------------------------------

def test_a_week_s_count_in_the_same_city_is_no_toll(nlp: Language) -> None:
    report = one(nlp, "Zaporizhzhia toll rises to 14",
                 "The number of people killed in the night-time rocket attack on Zaporizhzhia rose to 14, and at "
                 "least 43 people were killed in the city during the week, the president said.")
    assert report.killed == 14


def test_a_superlative_over_the_whole_war_is_no_tally(nlp: Language) -> None:
    report = one(nlp, "One of the heaviest attacks on Kyiv during the entire war: four dead, 30 injured",
                 "A massive Russian attack on Kyiv killed four people and injured 30, the city's military "
                 "administration said on Friday.")
    assert (report.location, toll(report)) == ("Kyiv", (4, 30))


def test_the_barrage_s_toll_is_not_the_city_s(nlp: Language) -> None:
    report = one(nlp, "Death toll of Kharkiv strike rises to 10",
                 "The death toll of the Russian missile attack on Kharkiv has risen to 10 as two more bodies were "
                 "found, rescuers said.\n\nRussia launched a mass missile strike against Ukraine on Tuesday, "
                 "targeting Kyiv, Kharkiv and Pavlohrad. Counting the latest numbers, the attack killed 11 people "
                 "and injured more than 80.")
    assert toll(report) == (10, None)


def test_a_death_in_the_south_of_the_country_is_not_the_capital_s(nlp: Language) -> None:
    report = one(nlp, "Russian strikes injure 20 in Kyiv",
                 "Russian drone and missile strikes overnight injured at least 20 people in Kyiv, authorities said. "
                 "A child was killed in attacks in the southeast of the country.")
    assert (report.location, toll(report)) == ("Kyiv", (None, 20))


# -- which figure is the toll ---------------------------------------------------------------------------------

def test_a_figure_told_as_a_correction_wins(nlp: Language) -> None:
    report = one(nlp, "Missiles hit apartment block in Zaporizhzhia",
                 "Russian missiles hit an apartment block in Zaporizhzhia overnight. The city council said 17 people "
                 "died. The regional governor later specified that 12 people had died.")
    assert report.killed == 12


def test_a_victim_who_died_after_a_plain_toll_adds_to_it(nlp: Language) -> None:
    report = one(nlp, "Drone attack on Moscow region",
                 "The drone attack on the Moscow region resulted in 20 injuries and one death, officials said.\n\n"
                 "Another victim has died in hospital following the attack, the governor reported.")
    assert toll(report) == (2, 20)


def test_a_death_of_a_heart_attack_and_a_dog_are_not_counted(nlp: Language) -> None:
    report = one(nlp, "Missile strike on Odesa kills five",
                 "A Russian missile struck a landmark building in Odesa, killing five people. Another man died of a "
                 "heart attack shortly afterwards. A dog was also killed by shrapnel.")
    assert report.killed == 5


def test_a_child_named_by_age_is_one_victim(nlp: Language) -> None:
    found = reports(nlp, "Russia injures 12 in Kyiv and kills 7-year-old in Zaporizhzhia",
                    "Russian drones and missiles hit homes and the power grid overnight, officials said.")
    assert sorted((r.location, toll(r)) for r in found) == [("Kyiv", (None, 12)), ("Zaporizhzhya", (1, None))]


def test_an_earlier_count_told_without_a_verb_of_its_own_stays_earlier(nlp: Language) -> None:
    report = one(nlp, "Death toll in Kyiv rises to three",
                 "Missile debris fell on an apartment building in Kyiv. \"Three people are currently dead, eight are "
                 "injured,\" the minister wrote.\n\nEarlier, the local authorities reported two dead and 11 injured.")
    assert toll(report) == (3, 8)


def test_victims_counted_as_the_injured_are_not_the_dead(nlp: Language) -> None:
    report = one(nlp, "Number of victims of the strike on Kyiv increases to 30",
                 "As a result of the massive Russian attack on Kyiv, 30 people were injured and four died. According "
                 "to updated data, the number of victims of the attack has increased to 30 people.")
    assert toll(report) == (4, 30)


def test_a_count_with_injuries_is_the_injured(nlp: Language) -> None:
    report = one(nlp, "35 dead in strike on training base",
                 "Thirty-five people died when Russian missiles hit a training base in Yavoriv on Sunday. \"134 more "
                 "with injuries of varying severity are in a military hospital,\" the governor added.")
    assert toll(report) == (35, 134)


def test_a_dateline_read_as_the_subject_keeps_its_count(nlp: Language) -> None:
    report = one(nlp, "Airstrike on Gaza school",
                 "Thursday, September 12, 2024 - At least 18 people were killed in an airstrike on a school in "
                 "Nuseirat on Wednesday, hospital officials said.", dt.date(2024, 9, 12))
    assert (report.killed, report.date) == (18, dt.date(2024, 9, 11))


def test_a_town_and_country_dateline_read_as_the_subject_keeps_its_count(nlp: Language) -> None:
    report = one(nlp, "Missile strike on eastern town",
                 "Kostiantynivka, Ukraine - At least 14 people, including two children, were killed by a Russian "
                 "missile strike on the eastern town of Kostiantynivka on Monday, officials said.", dt.date(2024, 9, 9))
    assert (report.location, report.killed) == ("Kostyantynivka", 14)


# -- days -------------------------------------------------------------------------------------------------------

def test_a_lead_figure_keeps_its_own_day_however_long_ago(nlp: Language) -> None:
    report = one(nlp, "Investigation suggests 600 died in theatre strike",
                 "Close to 600 people died in the Russian airstrike on the drama theatre in Mariupol on March 16, "
                 "an investigation suggests.", dt.date(2022, 5, 4))
    assert (report.killed, report.date, report.undated) == (600, dt.date(2022, 3, 16), False)


def test_a_strike_of_last_april_told_after_a_broken_sentence_is_background(nlp: Language) -> None:
    report = one(nlp, "Russian rocket destroys Kramatorsk apartment building",
                 "A Russian rocket destroyed an apartment building in Kramatorsk late on Monday, killing two people "
                 "and injuring seven, the governor said.\n\nLast April, Ukraine said\n\n57 people died when a "
                 "Russian missile hit the train station in Kramatorsk.")
    assert toll(report) == (2, 7)


def test_at_night_is_the_night_before_the_news(nlp: Language) -> None:
    report = one(nlp, "Russia again hits a high-rise in Zaporizhzhia",
                 "At night, Russia again fired missiles at a high-rise building in Zaporizhzhia. Twelve people died "
                 "and about 40 were injured, the city council said on Tuesday morning.")
    assert (report.date, report.undated) == (PUBLISHED, False)


def test_yesterday_with_an_unusual_apostrophe_is_a_day(nlp: Language) -> None:
    report = one(nlp, "Toll of the attack on Zaporizhzhia reaches 14",
                 "The number of dead as a result of yesterday\u02bcs attack on Zaporizhzhia increased to 14.")
    assert (report.killed, report.date) == (14, PUBLISHED - dt.timedelta(days=1))


def test_a_final_toll_is_the_count_when_told_not_on_the_day_before_it(nlp: Language) -> None:
    report = one(nlp, "Poltava search ends with 21 dead",
                 "Rescuers ended the search of the collapsed building in Poltava on Tuesday. The final toll is 21 "
                 "dead and 64 injured.")
    assert (report.killed, report.injured, report.undated, report.revision) == (21, 64, True, True)


def test_days_of_a_sentence_about_last_week_s_strike_are_not_its_day(nlp: Language) -> None:
    report = one(nlp, "Poltava residents demand answers",
                 "Hundreds gathered in Poltava on Monday to demand answers about last week's Russian missile strike "
                 "on a block of flats, which killed 21 people.")
    assert (report.killed, report.date, report.revision) == (21, None, True)


def test_a_day_told_for_a_vow_dates_the_vow(nlp: Language) -> None:
    report = one(nlp, "Zelensky vows justice for Poltava",
                 "President Volodymyr Zelensky vowed on Monday to punish those responsible for the Russian strike "
                 "on Poltava, which has killed at least 21 people.")
    assert (report.killed, report.undated) == (21, True)


def test_weeks_after_a_strike_it_is_told_after_the_fact(nlp: Language) -> None:
    report = one(nlp, "Poltava families wait for answers",
                 "Two weeks after a Russian missile destroyed a block of flats in Poltava, killing 21 people, "
                 "families of the missing are still waiting for DNA results.")
    assert (report.killed, report.date, report.revision) == (21, None, True)


def test_victims_who_died_in_hospital_after_an_earlier_toll_add_to_it(nlp: Language) -> None:
    report = one(nlp, "Chernihiv toll rises",
                 "Officials initially said six people were killed in Sunday's Russian strike on Chernihiv. On "
                 "Tuesday, two men died in hospital, the governor said.")
    assert report.killed == 8


def test_a_recap_paragraph_naming_a_number_that_is_no_toll_still_recaps(nlp: Language) -> None:
    report = one(nlp, "Two more people die after shelling of Chernihiv",
                 "Two more people have died in hospital after Sunday's Russian shelling of Chernihiv, the governor "
                 "said on Tuesday.\n\nAs it was reported, Russian troops fired cluster shells at one of the districts "
                 "of Chernihiv on Sunday.\n\nSix people were killed and 15 others were injured.")
    assert (report.killed, report.injured) == (8, 15)


def test_a_day_told_of_the_strike_wins_over_the_day_bodies_were_found(nlp: Language) -> None:
    report = one(nlp, "Rescuers find more bodies in Poltava",
                 "Rescuers recovered two more bodies from the rubble in Poltava on Tuesday, bringing the toll from "
                 "last Saturday's Russian strike to 23.")
    assert (report.killed, report.date) == (23, dt.date(2025, 6, 7))
