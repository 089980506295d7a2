"""An event's identity (place, date, weapon, attacker) where news prose tells it apart from the toll.

Follow-up tolls ("the number of dead had risen to 35") name no place of their own: the place, date, weapon and
attacker belong to the attack the document told before (or its title). Places the model does not tag ("the Sumy
death toll", "Quetta's main road", "the Old City of Damascus") are looked up in the gazetteer. Texts are written
in wire-service style; 2025-04-15 is a Tuesday.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.language import Language

from bot.extract.facts import CasualtyReport
from tests.extract.casualty_support import extract, shared_pipeline

PUBLISHED = dt.date(2025, 4, 15)
SUNDAY, SATURDAY, MONDAY = dt.date(2025, 4, 13), dt.date(2025, 4, 12), dt.date(2025, 4, 14)


@pytest.fixture(scope="session")
def nlp(repo_root: Path) -> Language:
    return shared_pipeline(str(repo_root / "config"))


def identity(report: CasualtyReport) -> tuple:
    return (report.killed, report.injured, report.location, report.country, report.date, report.weapon,
            report.perpetrator)


def one(nlp: Language, text: str) -> CasualtyReport:
    reports = extract(nlp, text, PUBLISHED)
    assert len(reports) == 1, [identity(r) for r in reports]
    return reports[0]


# -- places the model does not tag ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "location", "country"),
    [
        ("The Sumy death toll has risen to 40, officials said.", "Sumy", "UA"),
        ("Sumy toll rises to 40 as rescuers search rubble", "Sumy", "UA"),
        ("The Kramatorsk toll climbed to 11 on Friday, rescue workers said.", "Kramatorsk", "UA"),
        ("Gunmen killed 14 people at a market in the Old City of Damascus, state media said.", "Damascus", "SY"),
        ("A suicide bomber killed 9 worshippers outside a church on Quetta's main road, police said.",
         "Quetta", "PK"),
        ("A bomb ripped through a Kabul wedding hall, killing 63 people, the interior ministry said.",
         "Kabul", "AF"),
    ],
)
def test_a_place_named_only_as_a_modifier_is_found(nlp: Language, text: str, location: str, country: str) -> None:
    report = one(nlp, text)
    assert (report.location, report.country) == (location, country)


def test_the_sumy_toll_resolves_at_city_and_admin_level(nlp: Language) -> None:
    report = one(nlp, "The Sumy death toll has risen to 40, officials said.")
    assert (report.killed, report.admin) == (40, "UA.21")
    assert report.lat == pytest.approx(50.9, abs=0.1)


def test_a_person_named_like_a_town_is_not_a_place(nlp: Language) -> None:
    report = one(nlp, "A suicide bomber blew himself up at an Ariana Grande concert in Manchester, killing "
                      "22 people and injuring more than 800 others.")
    assert (report.location, report.country) == ("Manchester", "GB")


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen attacked the Lincoln Memorial Hospital, killing 3 guards.",
        "A bomb exploded near the Victoria Cross memorial, killing 4 people.",
        "Mayor Nice Ahmed said 5 people were killed when a bomb exploded at the Mobile Phone market.",
        "Police said 3 people were killed in a shooting at a Reading festival.",
    ],
)
def test_a_town_name_inside_another_name_is_not_a_place(nlp: Language, text: str) -> None:
    assert one(nlp, text).location is None


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Kyiv came under a massive Russian missile attack overnight, killing 3 people.", "Kyiv"),
        ("The Kyiv mayor said 4 people were killed when debris hit a high-rise.", "Kyiv"),
        ("A blast in Moscow's metro killed 10 people, investigators said.", "Moscow"),
        ("Moscow's war has killed 12,000 civilians, the UN said.", None),      # the government, not the city
    ],
)
def test_a_capital_that_names_an_actor_is_a_place_only_where_places_are(nlp: Language, text: str,
                                                                        location: str | None) -> None:
    assert one(nlp, text).location == location


def test_a_capital_speaking_for_its_government_is_not_the_place(nlp: Language) -> None:
    report = one(nlp, "Moscow said its missiles had hit military targets. The strike on Chernihiv killed 17 "
                      "people, Ukrainian officials said.")
    assert (report.location, report.country) == ("Chernihiv", "UA")


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Speaking in Kyiv, Zelenskiy said the number of dead in Sumy had risen to 35.", "Sumy"),
        ("The governor told reporters in Kharkiv that 4 people were killed in a drone strike on Chuhuiv.",
         "Chuhuyiv"),
    ],
)
def test_where_something_was_said_is_not_where_it_happened(nlp: Language, text: str, location: str) -> None:
    assert one(nlp, text).location == location


def test_a_follow_up_told_from_the_capital_keeps_the_attacks_city(nlp: Language) -> None:
    report = one(nlp, "Russian missiles hit Sumy on Sunday. Zelenskiy condemned the attack. Speaking to reporters "
                      "in Kyiv on Monday, he said the number of dead had risen to 35.")
    assert identity(report) == (35, None, "Sumy", "UA", SUNDAY, "missile", "russia")


# -- follow-up tolls carry the document's event ---------------------------------------------------------

SUMY_FOLLOW_UP = """Sumy death toll rises to 35 after Russian missile strike

KYIV, April 14 (Reuters) - Russia launched two ballistic missiles at the centre of the northern Ukrainian city \
of Sumy on Sunday morning, as residents gathered for Palm Sunday, Ukrainian officials said.

President Volodymyr Zelenskiy condemned the attack and called for a tough response from the West. European \
leaders said the strike showed that Moscow was not interested in peace.

Regional governor Volodymyr Artyukh said on Monday that the number of dead had risen to 35, including two \
children. More than 117 people were wounded, he said.
"""


def test_a_revised_toll_takes_place_date_weapon_and_attacker_from_the_story(nlp: Language) -> None:
    report = one(nlp, SUMY_FOLLOW_UP)
    # not Moscow (a metonym), not Kyiv (the dateline), not Monday (the day the governor spoke)
    assert identity(report) == (35, 117, "Sumy", "UA", SUNDAY, "missile", "russia")


SUMY_LONG = """Russia launched two ballistic missiles at the centre of Sumy on Sunday morning, officials said.

The missiles struck as people were heading to church. One hit a university building; the other exploded in \
the air above a busy street, scattering shrapnel. Video posted online showed bodies lying among burnt-out cars.

Zelenskiy called for pressure on Moscow. He said only scum could act like this. Western leaders voiced outrage. \
Germany's chancellor-in-waiting said he would consider sending long-range missiles.

Regional governor Volodymyr Artyukh said on Monday that the number of dead had risen to 35.
"""


def test_the_context_reaches_a_toll_told_paragraphs_after_the_attack(nlp: Language) -> None:
    report = one(nlp, SUMY_LONG)
    assert identity(report) == (35, None, "Sumy", "UA", SUNDAY, "missile", "russia")


MOGADISHU = """MOGADISHU (Reuters) - A car bomb exploded at a busy checkpoint in Mogadishu on Saturday, killing at \
least 20 people, police said. The al Qaeda-linked al Shabaab group claimed responsibility.

Witnesses described bodies scattered across the road and several minibuses on fire.

On Sunday, the death toll from the attack rose to 31, police captain Mohamed Hussein told Reuters. He said the \
number of dead could rise further as many of the wounded were in critical condition.
"""


def test_a_toll_revised_on_a_later_day_is_the_attacks_one_report_with_its_day(nlp: Language) -> None:
    assert [identity(r) for r in extract(nlp, MOGADISHU, PUBLISHED)] == [
        (31, None, "Mogadishu", "SO", SATURDAY, "car_bomb", None)]


KHARKIV = """KHARKIV, Ukraine (AP) — Russian glide bombs struck a residential area of Kharkiv late Saturday night, \
regional governor Oleh Syniehubov said.

Rescue crews worked through the night to pull survivors from the rubble of a five-storey building.

The governor said on Sunday that the toll from the attack had risen to seven dead and 42 injured.
"""


def test_a_night_time_attack_and_its_toll_told_the_next_day(nlp: Language) -> None:
    report = one(nlp, KHARKIV)
    assert identity(report) == (7, 42, "Kharkiv", "UA", SATURDAY, "airstrike", "russia")


def test_a_toll_told_paragraphs_later_belongs_to_the_documents_one_attack(nlp: Language) -> None:
    text = SUMY_LONG.replace("that the number of dead had risen to 35", "that 35 people had died in hospitals")
    report = one(nlp, text)
    assert (report.killed, report.location, report.perpetrator, report.date) == (35, "Sumy", "russia", SUNDAY)


# -- two events: nothing is carried between them ----------------------------------------------------------

GAZA_AND_LEBANON = """GAZA CITY (AP) — Israeli airstrikes on a school sheltering displaced families in Gaza City \
killed at least 27 people on Wednesday, hospital officials said.

The strike hit the school as families slept, witnesses said.

In southern Lebanon, an Israeli drone strike on a car near Tyre killed two men, Lebanon's health ministry said.
"""


def test_two_events_in_one_story_keep_their_own_fields(nlp: Language) -> None:
    gaza, tyre = extract(nlp, GAZA_AND_LEBANON, PUBLISHED)
    assert (gaza.killed, gaza.country, gaza.date, gaza.weapon) == (27, "PS", dt.date(2025, 4, 9), "airstrike")
    assert (tyre.killed, tyre.location, tyre.country, tyre.weapon) == (2, "Tyre", "LB", "drone")
    assert tyre.date == PUBLISHED


UKRAINE_TWO_CITIES = """Russian missiles hit Odesa on Saturday, killing four people, the regional governor said.

In a separate attack, a drone struck a bus in Kherson on Sunday, killing two passengers.

Officials said on Monday that the number of dead had risen to six.
"""


def test_a_vague_toll_after_two_attacks_is_not_given_one_of_them(nlp: Language) -> None:
    reports = extract(nlp, UKRAINE_TWO_CITIES, PUBLISHED)
    # "the number of dead had risen to six": which attack is not said, so it revises neither
    assert [(r.killed, r.location, r.weapon) for r in reports] == [(4, "Odesa", "missile"), (2, "Kherson", "drone")]


# -- dates relative to publication -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Russian drones attacked Odesa overnight, killing three people, the regional governor said.", PUBLISHED),
        ("Two people were killed in a drone attack on Kherson three days ago, officials said.", SATURDAY),
        ("Shelling killed two civilians in Nikopol on Sunday, the governor said on Monday.", SUNDAY),
        ("The governor said on Monday that shelling had killed two civilians in Nikopol.", MONDAY),
        # last week's strike: neither the publication nor the statement day; matched on place and attack alone
        ("The number of people killed in last week's Russian missile strike on Kryvyi Rih has risen to 20, "
         "officials said on Monday.", None),
    ],
)
def test_the_attacks_day(nlp: Language, text: str, day: dt.date | None) -> None:
    assert one(nlp, text).date == day


@pytest.mark.parametrize(
    ("text", "night"),
    [
        ("Russian drones attacked Odesa overnight, killing three people, the regional governor said.", MONDAY),
        ("Russian drones attacked Odesa on Sunday night, killing three people, the governor said.", SUNDAY),
        ("A drone hit a warehouse in Odesa early on Tuesday, killing three workers, officials said.", MONDAY),
        ("On the night of 13-14 April, Russian drones hit Odesa, killing three people.", SUNDAY),
        ("Shelling killed two civilians in Nikopol on Sunday, the governor said on Monday.", None),
        # the night of the statement is not the attack's
        ("Shelling killed two civilians in Nikopol on Sunday, the governor said late on Monday.", None),
    ],
)
def test_a_night_attack_remembers_its_evening(nlp: Language, text: str, night: dt.date | None) -> None:
    assert one(nlp, text).night == night


@pytest.mark.parametrize(
    ("text", "again"),
    [
        ("Russia attacked Kharkiv again with guided bombs on Monday, killing four people.", True),
        ("Drones hit Sumy for a second night in a row, killing two people, the governor said.", True),
        ("Russian forces launched another attack on Nikopol on Monday, killing one man.", True),
        ("Russian drones attacked Odesa on Sunday night, killing three people, the governor said.", False),
    ],
)
def test_an_attack_told_as_one_more_on_its_place(nlp: Language, text: str, again: bool) -> None:
    assert one(nlp, text).again is again


@pytest.mark.parametrize(
    "text",
    [
        "The toll from Saturday's Russian drone strike on a bus in Zelenyi Yar rose to four, officials said.",
        "Russian shelling of Velyka Pysarivka Hromada killed two people on Sunday, officials said.",
    ],
)
def test_the_last_word_of_a_place_the_gazetteer_lacks_is_no_town_of_its_own(nlp: Language, text: str) -> None:
    # "Yar" alone is a Russian village: a bus attack in Ukraine must not found an event there
    assert all(r.country != "RU" and r.location not in {"Yar", "Hromada"} for r in extract(nlp, text, PUBLISHED))


@pytest.mark.parametrize(
    ("text", "location"),
    [
        # a small town named by the attacker's adjective alone: the war's other country is where it lies
        ("A Russian drone attack on Ochakiv killed two people on Monday, officials said.", "Ochakiv"),
        ("Russian drones hit a seaside resort in Zatoka on Sunday, killing two holidaymakers.", "Zatoka"),
        # spellings of either side, and a hyphenated name the model does not tag
        ("Ukrainian drones attacked a bus in Aleshki on Sunday, killing three civilians, Vladimir Saldo said.",
         "Oleshky"),
        ("Russian drones hit the port of Chornomorsk on Sunday, killing one person and injuring eight.",
         "Chornomors’k"),
        ("Russian missiles hit Kamianets-Podilskyi on Sunday, killing two people and injuring five.",
         "Kamyanets-Podilskyi"),
    ],
)
def test_a_ukrainian_town_told_by_either_side_is_found_in_ukraine(nlp: Language, text: str, location: str) -> None:
    report = one(nlp, text)
    assert (report.location, report.country) == (location, "UA")


# -- numbers that are not casualties --------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "Sumy, a city of 250,000 people about 30 km from the Russian border, was shelled 12 times on Sunday.",
        "The Kyiv toll road carries 40,000 vehicles a day, the city council said.",
        "Officials said 40 buildings and 117 cars were damaged, but no one was killed in the attack on Sumy.",
        "The Kharkiv governor said 35 schools would reopen on Monday after the strike.",
        "Hamas said it would release 3 hostages on Saturday in exchange for 90 Palestinian prisoners.",
        "Mogadishu's port handled 2 million tonnes of cargo last year, up 12 percent.",
    ],
)
def test_numbers_near_places_that_are_not_casualties_give_nothing(nlp: Language, text: str) -> None:
    assert extract(nlp, text, PUBLISHED) == []


# -- regions, Africa, Ukrainian and Middle East reporting ---------------------------------------------------

NIGERIA = """Gunmen kill 40 farmers in northeast Nigeria

MAIDUGURI, Nigeria (Reuters) - Suspected Boko Haram insurgents killed at least 40 farmers working in rice fields \
in Borno state on Saturday, a local militia leader said.

The attackers tied up the farmers and slit their throats, he said. Borno's governor condemned the killings.

The toll from the massacre rose to 43 on Sunday, the militia leader said, after three more bodies were found.
"""


def test_a_title_its_story_and_the_revision_are_one_report_with_the_latest_toll(nlp: Language) -> None:
    reports = extract(nlp, NIGERIA, PUBLISHED)
    # "kill 40" (title), "killed at least 40" (story), "rose to 43 ... after three more bodies were found"
    assert [(r.killed, r.location, r.country, r.admin, r.place_level, r.date) for r in reports] == [
        (43, "Borno", "NG", "NG.27", "region", SATURDAY)]


@pytest.mark.parametrize(
    ("text", "location", "country", "admin"),
    [
        ("A suicide attack killed 4 people in Helmand province on Sunday, officials said.", "Helmand", "AF", "AF.10"),
        ("Four Islamic State militants were killed in a Nangarhar airstrike.", "Nangarhar", "AF", "AF.18"),
        ("Militants ambushed a convoy in North Kivu, killing 12 soldiers, the army said.", "North Kivu", "CD", "CD.11"),
    ],
)
def test_a_province_resolves_with_its_admin_code(nlp: Language, text: str, location: str, country: str,
                                                 admin: str) -> None:
    report = one(nlp, text)
    assert (report.location, report.country, report.admin, report.lat) == (location, country, admin, None)


UKRINFORM = """Russian troops struck Zaporizhzhia with guided aerial bombs on Thursday evening, the head of the \
regional military administration, Ivan Fedorov, reported on Telegram.

According to him, the enemy hit an industrial facility and a residential quarter. A fire broke out at the site.

Later, Fedorov said that the number of injured had increased to 29. Among the victims are three children.
"""


def test_an_injured_count_revised_later_in_the_report(nlp: Language) -> None:
    report = one(nlp, UKRINFORM)
    assert identity(report) == (None, 29, "Zaporizhzhya", "UA", dt.date(2025, 4, 10), "airstrike", "russia")


JERUSALEM_AND_KHAN_YOUNIS = """JERUSALEM (Reuters) - A Palestinian gunman opened fire at a bus stop in Jerusalem \
on Monday morning, killing six people before being shot dead, Israeli police said.

Hours later, an Israeli air strike on a house in Khan Younis in the southern Gaza Strip killed 11 people, \
Palestinian health officials said.
"""


def test_two_attacks_in_two_territories(nlp: Language) -> None:
    shooting, strike = extract(nlp, JERUSALEM_AND_KHAN_YOUNIS, PUBLISHED)
    assert (shooting.killed, shooting.location, shooting.date, shooting.weapon) == (6, "Jerusalem", MONDAY,
                                                                                   "shooting")
    assert (strike.killed, strike.country, strike.weapon) == (11, "PS", "airstrike")
    assert strike.location == "Khān Yūnis"


# -- what detection does with them --------------------------------------------------------------------------

def test_follow_up_tolls_match_the_event_they_revise(nlp: Language, repo_root: Path) -> None:
    from bot.detect.casualties import same_event

    window = dt.timedelta(days=3)
    seed = one(nlp, (repo_root / "seeds" / "sample-article.txt").read_text(encoding="utf-8"))
    headline_toll = extract(nlp, "The Sumy death toll has risen to 40, officials said.", dt.date(2025, 4, 16))[0]
    story = one(nlp, SUMY_FOLLOW_UP)
    assert same_event(seed, headline_toll, window) and same_event(seed, story, window)
    assert same_event(story, headline_toll, window)
    kharkiv = one(nlp, KHARKIV)
    assert not same_event(story, kharkiv, window)


# -- names the model tags as something else -------------------------------------------------------------------

def test_a_name_the_text_calls_a_city_is_placed_there_under_a_russian_spelling(nlp: Language) -> None:
    # the model tags "Energodar" as a nationality; "the city of" says what it is
    report = one(nlp, "Drone attack on Energodar\n\nA man was killed on Sunday in a Ukrainian drone attack on the city "
                      "of Energodar, the Russian-installed governor said.")
    assert (report.killed, report.location) == (1, "Enerhodar")


def test_a_capital_naming_the_side_that_attacks_is_no_place_of_the_attack(nlp: Language) -> None:
    # "Kiev terrorists" names who fired, as a quote from the other side words it; the attack is in Horlivka
    report = one(nlp, "Ukrainian drone attack on Horlivka kills one - governor\n\nOne man was killed in a Ukrainian "
                      "drone attack on Horlivka, the Russian-installed governor said on Sunday.\n\"Kiev terrorists are "
                      "attacking the power station in Horlivka with drones. The city has no electricity. So far, one "
                      "man is dead,\" he wrote on Telegram.")
    assert (report.killed, report.location) == (1, "Horlivka")


def test_a_half_russian_spelling_of_a_ukrainian_town_is_the_town(nlp: Language) -> None:
    report = one(nlp, "Shelling in Donetsk region\n\nIn Myrnograd, two people were killed on Sunday and three "
                      "injured, the regional governor said.")
    assert (report.killed, report.injured, report.location) == (2, 3, "Myrnohrad")


def test_attacks_reported_in_a_town_happened_there(nlp: Language) -> None:
    # "reported in Poltava" tells where the strikes were, not where someone spoke
    found = extract(nlp, "Night of drone attacks\n\nRussian drones struck Kharkiv overnight, killing one person, the "
                         "mayor said. Further strikes were reported in Poltava, where the regional governor confirmed "
                         "two deaths and six injuries.", PUBLISHED)
    assert {(r.location, r.killed, r.injured) for r in found} == {("Kharkiv", 1, None), ("Poltava", 2, 6)}
