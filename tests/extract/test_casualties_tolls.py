"""Toll phrase shapes of translated wire copy that a reader counts without thinking: a death told beside a
search still under way, injuries "received", victims "known to be" hurt, and "casualties" that are the hurt.
Short reports written for these tests, read by the real model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.language import Language

from bot.extract.facts import CasualtyReport
from tests.extract.casualty_support import one, reports, shared_pipeline


@pytest.fixture(scope="module")
def nlp(repo_root: Path) -> Language:
    return shared_pipeline(str(repo_root / "config"))


def toll(report: CasualtyReport) -> tuple[int | None, int | None]:
    return report.killed, report.injured


def test_a_death_told_beside_a_search_still_under_way_is_counted(nlp: Language) -> None:
    # the parser hangs "died" on "sought", a verb of intent ("sought to kill"); told in the past, it happened
    report = one(nlp, "Drone hits apartment block in Poltava",
                 "A Russian drone hit an apartment block in Poltava overnight. Six people were injured, one woman "
                 "died, two residents are still being sought under the rubble.")
    assert toll(report) == (1, 6)


def test_an_intended_killing_is_still_no_toll(nlp: Language) -> None:
    report = one(nlp, "Missile strike on Poltava",
                 "A missile struck Poltava on Monday, injuring four people. The governor said the attackers sought "
                 "to kill as many civilians as possible.")
    assert toll(report) == (None, 4)


def test_injuries_received_count_the_injured_not_those_in_hospital(nlp: Language) -> None:
    # the parser hangs "received" on "injuries", and "injuries" on "killed"
    report = one(nlp, "Shelling of Kherson kills two",
                 "According to the Regional Military Administration, two people were killed, five received injuries "
                 "of varying severity. Three victims were taken to hospital.")
    assert toll(report) == (2, 5)


def test_victims_known_to_be_injured_are_the_injured(nlp: Language) -> None:
    report = one(nlp, "Toll of drone strike on Chernihiv rises to four",
                 "The number of people killed in the drone strike on Chernihiv has risen to four. At the moment, "
                 "twelve people are known to be injured.")
    assert toll(report) == (4, 12)


def test_casualties_beside_the_hospitalised_and_no_dead_are_the_injured(nlp: Language) -> None:
    report = one(nlp, "Missile strike on Mykolaiv: number of casualties grows",
                 "In Mykolaiv, the number of casualties of the Russian missile strike has increased to 14 people, "
                 "the governor said. Nine people have been hospitalized, two of them in serious condition.")
    assert toll(report) == (None, 14)


def test_casualties_with_no_other_count_stay_the_dead(nlp: Language) -> None:
    report = one(nlp, "Rescue work ends in Chernihiv",
                 "The search of the rubble in Chernihiv has ended; the number of casualties rose to 9.")
    assert toll(report) == (9, None)


def test_casualties_above_a_death_toll_are_the_injured(nlp: Language) -> None:
    report = one(nlp, "Strike on Mykolaiv kills three",
                 "A missile strike on Mykolaiv killed three people. The number of casualties has risen to 25.")
    assert toll(report) == (3, 25)


# -- the dead and the wounded together, and the wounded who died since ------------------------------------------

def test_victims_that_are_the_dead_and_the_wounded_together_are_neither(nlp: Language) -> None:
    report = one(nlp, "Two dead in Vinnytsia",
                 "The number of victims of the Russian strike on Vinnytsia has risen to 27: three people died and 24 "
                 "were wounded.")
    assert toll(report) == (3, 24)


def test_casualties_that_are_the_dead_and_the_wounded_together_are_neither(nlp: Language) -> None:
    report = one(nlp, "Drone attack on Vinnytsia",
                 "The number of casualties of the drone attack on Vinnytsia has increased to 15: one woman was killed "
                 "and 14 people were injured.")
    assert toll(report) == (1, 14)


def test_a_wounded_victim_who_died_after_the_toll_told_in_title_and_story_adds_to_it(nlp: Language) -> None:
    report = one(nlp, "Four killed in Russian shelling of Nikopol",
                 "Russian artillery shelled Nikopol on Saturday, killing four people and injuring nine. In the "
                 "evening, one of the injured died in hospital.")
    assert toll(report) == (5, 9)


def test_a_title_counting_the_wounded_who_died_is_not_added_to_again(nlp: Language) -> None:
    report = one(nlp, "Five killed in Russian shelling of Nikopol",
                 "Russian artillery shelled Nikopol on Saturday, killing four people and injuring nine. In the "
                 "evening, one of the injured died in hospital.")
    assert report.killed == 5


def test_a_day_on_the_death_that_raised_the_toll_is_no_attack_of_that_day(nlp: Language) -> None:
    reported = reports(nlp, "Nikopol toll rises",
                       "Russian artillery killed two people in Nikopol on Monday. A man wounded in the shelling died "
                       "in hospital on Tuesday, bringing the death toll to three.", published=dt.date(2025, 6, 10))
    assert [(r.location, r.date, r.killed) for r in reported] == [("Nikopol", dt.date(2025, 6, 9), 3)]


def test_dead_counted_only_as_victims_are_marked_so_for_detection(nlp: Language) -> None:
    only_victims = one(nlp, "Odesa strike: toll grows",
                       "The number of victims of the missile strike on Odesa has risen to 21, the governor said.")
    counted = one(nlp, "Odesa strike: toll grows",
                  "The missile strike on Odesa killed 21 people, the governor said.")
    assert (only_victims.killed, only_victims.killed_as_victims) == (21, True)
    assert (counted.killed, counted.killed_as_victims) == (21, False)


def test_a_number_word_alone_the_model_tags_as_a_date_still_counts_the_hurt(nlp: Language) -> None:
    # the model tags a sentence-initial "Eighteen" as a date
    report = one(nlp, "Shelling of Kherson market",
                 "Russian troops shelled the central market in Kherson on Monday. Three people died. Eighteen were "
                 "wounded, 10 of them were taken to hospital.")
    assert toll(report) == (3, 18)


# -- the region's sum in the title, the city's toll in the story ----------------------------------------------

def test_a_title_s_region_wide_toll_is_not_the_city_s(nlp: Language) -> None:
    report = one(nlp, "Russian attacks kill 8 in Zaporizhzhia region",
                 "Russian glide bombs hit the city of Zaporizhzhia on Sunday, killing three people and injuring 17, "
                 "governor Ivan Fedorov said. Five more people were killed in other parts of the Zaporizhzhia region.")
    assert (report.location, toll(report)) == ("Zaporizhzhya", (3, 17))


def test_a_title_naming_the_region_of_the_city_s_own_toll_keeps_it(nlp: Language) -> None:
    report = one(nlp, "Russian strike kills 6 in Zaporizhzhia region",
                 "A Russian missile hit the city of Zaporizhzhia on Sunday, killing six people, the governor said.")
    assert (report.location, report.killed) == ("Zaporizhzhya", 6)


# -- a title and its story telling one number as two tolls ----------------------------------------------------

def test_a_story_that_tells_the_title_s_injured_as_killed_keeps_the_title_s_reading(nlp: Language) -> None:
    report = one(nlp, "Number of wounded in Russian strike on Vinnytsia rises to 12",
                 "People were killed and injured in a missile attack on Vinnytsia. It is known that 12 victims, "
                 "including three children, were killed.")
    assert toll(report) == (None, 12)


def test_a_story_that_tells_both_tolls_is_not_overruled_by_its_title(nlp: Language) -> None:
    report = one(nlp, "Two injured in Russian strike on Vinnytsia",
                 "A Russian missile hit Vinnytsia on Monday. Two people were killed and two injured.")
    assert toll(report) == (2, 2)


# -- where the wounded are treated is not where the attack was -------------------------------------------------

@pytest.mark.parametrize("treated", ["Nine wounded were taken to hospitals in Zaporizhzhia.",
                                     "Nine wounded were evacuated to Zaporizhzhia.",
                                     "Nine wounded are being treated in a Zaporizhzhia hospital."])
def test_the_city_the_wounded_are_taken_to_is_no_attack_of_its_own(nlp: Language, treated: str) -> None:
    reported = reports(nlp, "Russian strike on Huliaipole",
                       f"A Russian guided bomb struck Huliaipole on Friday, killing two people. {treated}")
    assert [(r.location, r.killed, r.injured) for r in reported] == [("Huliaipole", 2, 9)]


def test_a_hospital_that_was_hit_still_places_the_attack(nlp: Language) -> None:
    report = one(nlp, "Strike on a hospital",
                 "A Russian missile hit a hospital in Zaporizhzhia on Friday, killing two people and wounding nine.")
    assert (report.location, toll(report)) == ("Zaporizhzhya", (2, 9))


@pytest.mark.parametrize("title, expected", [
    ("Four killed, 19 wounded as missiles hit Dnipro", (4, 19)),      # the parser makes both numbers subjects
    ("Two dead, 11 hurt in Dnipro missile strike", (2, 11)),
])
def test_a_headline_list_gives_each_count_to_the_word_after_it(nlp: Language, title: str,
                                                                expected: tuple[int, int]) -> None:
    report = one(nlp, title, "Russian missiles struck a residential district of Dnipro on Sunday evening, the "
                             "regional governor said.")
    assert toll(report) == expected


@pytest.mark.parametrize("text, killed", [
    ("A teenage girl and her father were killed when a Russian drone hit their house in Sumy on Friday.", 2),
    ("Two firefighters and two paramedics were killed by a second Russian strike on the same spot in Sumy.", 4),
    # a whole and its parts: the parts are no more victims
    ("Twelve people, four children and eight adults, were killed by the Russian missile strike on Sumy.", 12),
])
def test_coordinated_victims_are_added_unless_they_break_a_whole_down(nlp: Language, text: str,
                                                                      killed: int) -> None:
    report = one(nlp, "Russian strike on Sumy", text)
    assert report.killed == killed


def test_a_toll_is_one_statements_pair_of_dead_and_injured(nlp: Language) -> None:
    # an earlier "four dead, eleven injured" beside the lead's later pair: a wounded victim died in between
    report = one(nlp, "Missile strike on Mykolaiv port",
                 "On Tuesday evening a Russian missile hit the port of Mykolaiv: five people were killed and 10 were "
                 "injured, the governor said.\n\nFour dead and eleven injured, the regional council had said an hour "
                 "earlier.")
    assert toll(report) == (5, 10)


def test_a_breakdown_in_brackets_is_not_counted_again(nlp: Language) -> None:
    report = one(nlp, "Drone kills four in Sumy",
                 "A Russian drone hit a house in Sumy late on Friday, killing three children (two boys and a girl) "
                 "and their mother, the regional administration said.")
    assert report.killed == 4


def test_dying_of_injuries_counts_no_injured(nlp: Language) -> None:
    report = one(nlp, "Missile strike on Odesa: one dead, six hurt",
                 "A Russian missile hit the port of Odesa on Monday: one person was killed and six were injured.\n\n"
                 "Update: a 58-year-old crane operator has died in hospital from his injuries, the governor later "
                 "clarified.")
    assert report.injured == 6


def test_victims_counted_above_the_dead_the_text_tells_are_marked_so_too(nlp: Language) -> None:
    # 45 "victims" beside four dead told: the dead and the wounded together, as likely as a new toll of the dead
    report = one(nlp, "Kherson strike: victims",
                 "The number of victims of Sunday's shelling of Kherson has risen to 45, the regional administration "
                 "said. Four people were killed.")
    assert (report.killed, report.killed_as_victims) == (45, True)


@pytest.mark.parametrize(("title", "location"), [
    ("Kyiv strike toll rises to 23", "Kyiv"),
    ("Odesa death toll hits 20", "Odesa"),
])
def test_a_title_opening_with_its_city_as_a_modifier_places_the_revised_toll(nlp: Language, title: str,
                                                                             location: str) -> None:
    # the tagger calls the opening place an adjective; before "toll" it is still where the attack was
    report = one(nlp, title, "Rescuers kept searching the rubble of the building, officials said.")
    assert (report.location, report.revision) == (location, True)


def test_an_adjective_opening_a_sentence_is_no_place(nlp: Language) -> None:
    report = one(nlp, "Deadly strike toll rises to 23", "Rescuers in Sumy kept searching the rubble, officials said.")
    assert report.location == "Sumy"


@pytest.mark.parametrize(("title", "location"), [
    ("Kharkiv shelling leaves 2 dead, 9 injured", "Kharkiv"),      # the tagger reads "Kharkiv" as a noun
    ("Odesa drone attack injures 12", "Odesa"),
])
def test_a_title_opening_with_a_known_place_the_tagger_misreads_is_placed_there(nlp: Language, title: str,
                                                                                 location: str) -> None:
    report = one(nlp, title, "Emergency crews worked through the night at the scene.")
    assert report.location == location


def test_a_known_place_opening_a_later_sentence_before_an_institution_is_not_the_attacks(nlp: Language) -> None:
    # "Donetsk Gov. ..." in the story names who speaks; the attack's town is the title's
    report = one(nlp, "Rescuers recover 15 bodies after strike on Chasiv Yar building",
                 "Five others were pulled alive from the wrecked building.\n\nDonetsk Gov. Pavlo Kyrylenko said "
                 "dozens were still under the rubble.")
    assert report.location == "Chasiv Yar"


def test_a_count_of_the_injured_beats_dozens(nlp: Language) -> None:
    # "dozens" gives no figure ("dozens is null"): a number told for the same attack is its toll, though lower
    report = one(nlp, "Missile strike on Sumy",
                 "A Russian missile hit Sumy overnight: there are dead and dozens of injuries, emergency services "
                 "said. Two people were killed and 14 were injured, the governor later said.")
    assert toll(report) == (2, 14)


def test_the_dead_told_among_the_victims_leave_the_rest_wounded(nlp: Language) -> None:
    # "victims" counts the dead and the wounded together; the one dead "among them" leaves four wounded
    report = one(nlp, "Drones hit Kharkiv",
                 "Russian drones struck a residential area of Kharkiv in the morning. By noon the number of victims "
                 "had risen to five. Among them is one deceased woman, the mayor said.")
    assert toll(report) == (1, 4)


@pytest.mark.parametrize(("victims", "injured"), [("a man and woman", 2), ("another man and woman", 2)])
def test_one_article_before_two_people_counts_each(nlp: Language, victims: str, injured: int) -> None:
    # the article of the first noun is shared: "a man and woman" are two people
    report = one(nlp, "Drone debris falls on Kursk",
                 f"The governor said {victims} were wounded when debris of a drone fell on a street in Kursk on "
                 "Monday.")
    assert toll(report) == (None, injured)


@pytest.mark.parametrize(("victims", "killed"), [
    ("three small children and father", 4),     # a number's count, then a bare person noun: one more
    ("twins and their mother", 3),              # twins are two
    ("twin boys", 2),
    ("two soldiers and civilian", 3),
])
def test_people_counted_by_a_number_word_or_by_their_kind(nlp: Language, victims: str, killed: int) -> None:
    report = one(nlp, "Drone hits house in Sumy",
                 f"A Russian drone hit a house in Sumy on Monday, killing {victims}, the regional governor said.")
    assert toll(report) == (killed, None)


def test_those_who_sustained_injuries_are_the_injured(nlp: Language) -> None:
    # "five who sustained injuries": the relative clause's "who" is the five; the 12 pulled out are not hurt
    report = one(nlp, "Drone hits apartment block in Poltava",
                 "Rescuers pulled 12 people from the rubble of the block after a Russian drone hit it overnight, "
                 "including five who sustained injuries, officials said.")
    assert toll(report) == (None, 5)


def test_as_a_result_of_counts_the_people_after_it(nlp: Language) -> None:
    # the parser makes "result" the subject of "were killed"; the count is the two women
    report = one(nlp, "Drone hits car near Kursk",
                 "\"A Ukrainian drone struck a car on the road... sadly, as a result of the hit two women were "
                 "killed,\" the governor wrote.")
    assert report.killed == 2


@pytest.mark.parametrize(("title", "injured"), [
    ("One dead, four injured in drone strike on Sumy", 4),    # the title counts the rest: the five held the dead
    ("Drone strike on Sumy", 5),                             # no title to tell: the count told stands
])
def test_the_dead_one_of_the_injured_leave_the_title_s_count(nlp: Language, title: str, injured: int) -> None:
    report = one(nlp, title, "\"The number of injured has reached five, and one of them has died,\" the mayor said "
                             "after Russian drones struck the city.")
    assert toll(report) == (1, injured)


def test_the_wounded_of_an_attack_told_beside_its_dead_are_counted(nlp: Language) -> None:
    # the parser hangs "that injured 14" on the dead; with its own number it is the attack's count of the hurt
    report = one(nlp, "Child among three killed in Odesa",
                 "A child was among three people who died in Russia's drone attack on Odesa that injured 14 and "
                 "damaged dozens of homes, officials said on Monday.")
    assert toll(report) == (3, 14)


def test_people_affected_in_a_translated_report_are_the_hurt(nlp: Language) -> None:
    # "25 were affected": the translated word for the hurt; "affected by the power cut" counts no one
    report = one(nlp, "Drone hits cafe in Oleshky",
                 "A drone hit a cafe in Oleshky on Monday, killing two people, the governor said. About 40 people "
                 "were inside, and 25 were affected. Some 3,000 homes were affected by the power cut.")
    assert toll(report) == (2, 25)


def test_a_victim_fatally_wounded_is_one_dead_not_one_injured(nlp: Language) -> None:
    report = one(nlp, "Drone strike in Poltava",
                 "A man was fatally wounded when a drone hit his car in Poltava on Monday, and two passers-by "
                 "were injured.")
    assert toll(report) == (1, 2)


def test_injuries_caused_to_people_count_them(nlp: Language) -> None:
    # "to" hangs on the verb, or on the first harm noun where two are coordinated
    assert toll(one(nlp, "Drone attack on Kyiv", "On Sunday a drone attack on Kyiv caused injuries to 19 people.")) \
        == (None, 19)
    assert toll(one(nlp, "Drone attack on Kyiv", "On Sunday a drone attack on Kyiv caused the deaths of two "
                    "civilians and injuries to 19 others, including four children.")) == (2, 19)


def test_the_second_person_killed_is_a_toll_of_two(nlp: Language) -> None:
    report = one(nlp, "Strike on Sumy claims another life",
                 "A man wounded in Monday's missile strike on Sumy died in hospital on Wednesday. He is the second "
                 "person killed in the attack.")
    assert toll(report)[0] == 2
    # "a second" is one more victim, no toll of two
    assert toll(one(nlp, "Strike on Sumy", "A second person was killed in the drone strike on Sumy."))[0] == 1


def test_a_rough_count_above_a_precise_one_beside_it_is_the_higher_source(nlp: Language) -> None:
    report = one(nlp, "Drone hits minibus near Sumy",
                 "A Russian drone hit a minibus near Sumy on Monday. Two people were killed and four more were "
                 "injured, the governor said. Prosecutors said about 15 other passengers were injured.")
    assert toll(report) == (2, 15)
    # a rough count from below ("nearly 20") is no higher source than the 18 counted
    assert toll(one(nlp, "Drone hits minibus near Sumy",
                    "A Russian drone hit a minibus near Sumy on Monday, injuring nearly 20 people. The governor "
                    "said 18 were injured.")) == (None, 18)
