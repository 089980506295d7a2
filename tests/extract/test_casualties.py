"""The `casualties` component on short news sentences, with the real model and an actor ruler from config."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import example, given, settings, strategies as st
from spacy.language import Language

from bot.extract.facts import CasualtyReport
from bot.extract.numbers import spell
from tests.extract.casualty_support import build_casualty_pipeline, extract, shared_pipeline

PUBLISHED = dt.date(2025, 4, 15)          # a Tuesday


@pytest.fixture(scope="session")
def nlp(repo_root: Path) -> Language:
    return shared_pipeline(str(repo_root / "config"))


def one(nlp: Language, text: str, published: dt.date | None = PUBLISHED) -> CasualtyReport:
    reports = extract(nlp, text, published)
    assert len(reports) == 1, reports
    return reports[0]


def test_the_seed_article_reports_sumy(nlp: Language, repo_root: Path) -> None:
    text = (repo_root / "seeds" / "sample-article.txt").read_text(encoding="utf-8")
    report = one(nlp, text)
    assert (report.killed, report.location, report.country, report.weapon, report.perpetrator) == (
        35, "Sumy", "UA", "missile", "russia")
    assert report.lat == pytest.approx(50.9, abs=0.1) and report.lon == pytest.approx(34.8, abs=0.1)
    assert report.date == PUBLISHED        # "recent events": no date in the text, so the publication date
    assert "35 deaths" in report.quote


def test_a_sum_of_stated_parts_with_place_date_weapon_and_perpetrator(nlp: Language) -> None:
    report = one(nlp, "Russian forces shelled Kharkiv on Sunday, killing three civilians and their driver, "
                      "the regional governor said.")
    assert report.killed == 4
    assert (report.location, report.country, report.date) == ("Kharkiv", "UA", dt.date(2025, 4, 13))
    assert (report.weapon, report.perpetrator) == ("shelling", "russia")


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("At least 12 people were killed and more than 40 wounded when a car bomb exploded at a market.",
         (12, 12, None), (40, 41, None)),
        ("Twenty-three soldiers died when their convoy hit a roadside bomb near Kandahar.", (23, 23, 23), None),
        ("Gunmen shot dead 10 villagers in the north of the country on Saturday night.", (10, 10, 10), None),
        ("The attack left 3 dead and 12 injured, police said, adding that the wounded were taken to hospital.",
         (3, 3, 3), (12, 12, 12)),
        ("Dozens of people were injured in the blast, the mayor said.", None, (None, 24, None)),
        ("Up to 15 people may have died in the fire at the depot, rescuers said.", None, None),
        ("A suicide bomber blew himself up outside a police station, killing a police officer and two passers-by.",
         (3, 3, 3), None),
        ("The militants killed eight soldiers and wounded four others in an ambush, the army said.",
         (8, 8, 8), (4, 4, 4)),
        ("The death toll from Tuesday's strike has risen to 21, regional officials said.", (21, 21, 21), None),
        ("Police said 4 people were hurt.", None, (4, 4, 4)),
        ("Three people, including a local imam, were killed and at least 20 wounded in the explosion.",
         (3, 3, 3), (20, 20, None)),
        ("Two children and their mother were among the dead after the shelling, officials said.", (3, 3, 3), None),
        ("At least 8 civilians lost their lives when artillery shells hit a residential area of Donetsk.",
         (8, 8, None), None),
        ("Authorities said 17 people had been hospitalised with injuries after the explosion.", None, (17, 17, 17)),
        ("Both pilots died when the helicopter was shot down.", (2, 2, 2), None),
        ("A stampede after the blast left 121 dead.", (121, 121, 121), None),
        ("Local authorities reported 2 fatalities and 9 injuries after the drone attack.", (2, 2, 2), (9, 9, 9)),
        ("The bombing killed a candidate running for a seat in the assembly, his driver and a guard.",
         (3, 3, 3), None),
        ("The number of people killed in the Russian attack on Ternopil has risen to 32, rescuers said.",
         (32, 32, 32), None),
        ("A 63-year-old woman was killed and her husband wounded when a guided bomb hit their house.",
         (1, 1, 1), (1, 1, 1)),
        ("At least 1,000 soldiers were killed or wounded in the battle, the ministry claimed.", None, None),
        ("The shelling killed and wounded 40 residents of the town, the governor said.", None, None),
        ("Some 40 residents were killed and wounded when shells hit the market.", None, None),
        ("The shelling killed six residents and wounded 40 others, the governor said.", (6, 6, 6), (40, 40, 40)),
        ("The bombing claimed the lives of 14 people, police said.", (14, 14, 14), None),
        ("A second strike hit the area an hour later, raising the death toll to 23.", (23, 23, 23), None),
        ("Rescuers pulled more bodies from the rubble, bringing the number of dead to 45.", (45, 45, 45), None),
        ("Gunmen killed a village chief and his two sons in an overnight raid.", (3, 3, 3), None),
        ("At least a dozen people were killed and nearly 200 wounded in the explosions.",
         (12, 12, None), (200, None, 199)),
        ("By Sunday the toll stood at 63 dead and 157 wounded.", (63, 63, 63), (157, 157, 157)),
    ],
)
def test_figures_and_their_bounds(nlp: Language, text: str, killed: tuple | None, injured: tuple | None) -> None:
    reports = extract(nlp, text, PUBLISHED)
    if killed is None and injured is None:
        assert reports == []
        return
    report = reports[0]
    assert (report.killed, report.killed_low, report.killed_high) == (killed or (None, None, None))
    assert (report.injured, report.injured_low, report.injured_high) == (injured or (None, None, None))


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine exported 35 million tonnes of grain to 35 countries last year, up 12 percent.",
        "The 75-year-old president said 2024 would be a decisive year for the 27 member states.",
        "Rheinmetall, which employs 30,000 people, said profits rose 20 percent.",
        "He died in 2019 at the age of 84.",
        "No one was killed in the attack, police said.",
        "The rebels threatened to kill 100 hostages if their demands were not met.",
        "The Senate killed the measure by 52 votes to 48.",
        "The court sentenced 3 men to death for the 2015 attack.",
        "Striker Harry Kane was injured in the 35th minute and missed 3 games.",
        "Twenty years after the death of her husband, she returned to Kabul.",
        "The 4 men face the death penalty if convicted.",
    ],
)
def test_numbers_that_are_not_casualties_give_nothing(nlp: Language, text: str) -> None:
    assert extract(nlp, text, PUBLISHED) == []


def test_several_events_in_one_text_are_kept_apart(nlp: Language) -> None:
    reports = extract(nlp, "A drone strike on a bus in Kherson killed two people on Monday. In a separate attack, "
                           "shelling in Nikopol wounded five.", PUBLISHED)
    assert [(r.killed, r.injured, r.location, r.weapon) for r in reports] == [
        (2, None, "Kherson", "drone"), (None, 5, "Nikopol", "shelling")]
    assert reports[0].date == dt.date(2025, 4, 14)


WIRE_STORY = """KYIV, Ukraine (AP) — Russia pounded Ukrainian cities with missiles and drones overnight, killing at least \
11 people and wounding dozens, officials said Tuesday.

In the southern city of Odessa, a ballistic missile struck a port facility, killing four workers and injuring seven, \
regional governor Oleh Kiper said.

Further north, a drone hit an apartment building in Kharkiv, where two children were among six people killed, \
Mayor Ihor Terekhov said. At least 25 others were wounded.

Separately, Ukrainian forces said they had shot down 52 of the 70 drones launched overnight.

Russia's Defense Ministry said Ukrainian drones had attacked the Kursk region, wounding three civilians.
"""


def test_a_wire_story_with_a_summary_and_three_strikes(nlp: Language) -> None:
    reports = extract(nlp, WIRE_STORY, PUBLISHED)
    seen = [(r.killed, r.injured, r.location, r.country, r.place_level, r.weapon) for r in reports]
    # the overnight summary over many cities is no attack's toll, and a country alone is no attack's place
    assert seen == [
        (4, 7, "Odesa", "UA", "city", "missile"),
        (6, 25, "Kharkiv", "UA", "city", "drone"),
        (None, 3, "Kursk Oblast", "RU", "region", "drone"),
    ]
    assert (reports[0].perpetrator, reports[2].perpetrator) == ("russia", "ukraine")


def test_equal_figures_of_two_attacks_stay_two_events_but_a_recap_is_not_one(nlp: Language) -> None:
    two = extract(nlp, "A drone killed 2 people in Kherson on Monday. In a separate attack, shelling killed 2 in "
                       "Nikopol.", PUBLISHED)
    assert [(r.killed, r.location) for r in two] == [(2, "Kherson"), (2, "Nikopol")]
    recap = extract(nlp, "26 people were killed and 91 were injured in a blast at a Kabul wrestling club. In total "
                         "26 were killed and 91 were injured, officials said.", PUBLISHED)
    assert [(r.killed, r.injured) for r in recap] == [(26, 91)]


def test_attackers_killed_after_the_victims_are_not_another_event(nlp: Language) -> None:
    reports = extract(nlp, "Gunmen stormed a hotel, killing 21 people and injuring 28. Five attackers were also "
                           "killed by security forces.", PUBLISHED)
    assert [(r.killed, r.injured) for r in reports] == [(21, 28)]


def test_a_later_also_adds_victims_to_the_same_event(nlp: Language) -> None:
    report = one(nlp, "Two package bombs exploded, killing 2 people and injuring another five. The suspect later "
                      "blew himself up in his car, also injuring a police officer.")
    assert (report.killed, report.injured) == (2, 6)


def test_spellings_resolve_through_the_gazetteer(nlp: Language) -> None:
    report = one(nlp, "A Russian missile hit Kiev early on Thursday, killing four people and injuring 19, "
                      "Ukrainian officials said.")
    assert (report.location, report.country, report.date, report.perpetrator) == (
        "Kyiv", "UA", dt.date(2025, 4, 10), "russia")
    assert (report.killed, report.injured) == (4, 19)


def test_a_region_named_with_its_kind_and_the_attacker_as_an_adjective(nlp: Language) -> None:
    report = one(nlp, "Ukrainian drone attacks on the Belgorod region killed one civilian and wounded three others, "
                      "the governor said.")
    assert (report.killed, report.injured, report.location, report.country, report.place_level) == (
        1, 3, "Belgorod Oblast", "RU", "region")
    assert (report.weapon, report.perpetrator) == ("drone", "ukraine")


def test_an_explicit_date_and_no_publication_date(nlp: Language) -> None:
    report = one(nlp, "Three people were killed on 13 April 2024 when a glide bomb hit an apartment block in "
                      "Zaporizhzhia.", published=None)
    assert (report.date, report.location, report.weapon) == (dt.date(2024, 4, 13), "Zaporizhzhya", "airstrike")


def test_no_perpetrator_is_guessed_from_the_victims_nationality(nlp: Language) -> None:
    report = one(nlp, "Four Ukrainian soldiers were killed in an ambush near the border.")
    assert report.perpetrator is None


def test_headlines_joined_by_semicolons_keep_their_figures_apart(nlp: Language) -> None:
    reports = extract(nlp, "Blast kills 2 soldiers in northwest Pakistan;Suicide bomber kills seven in market", None)
    assert sorted(r.killed for r in reports) == [2, 7]


def test_a_us_state_is_a_place(nlp: Language) -> None:
    report = one(nlp, "A gunman opened fire at a shopping mall in Texas, killing eight people before he was shot "
                      "dead by police.")
    assert (report.killed, report.location, report.country, report.admin, report.weapon) == (
        8, "Texas", "US", "US.TX", "shooting")


def test_the_capital_named_by_its_country_adjective(nlp: Language) -> None:
    report = one(nlp, "A suicide bomber stormed a cultural centre in the Afghan capital, killing 50 people.")
    assert (report.country, report.location, report.place_level) == ("AF", "Kabul", "city")


def test_the_component_registers_its_doc_slot_and_skips_texts_without_triggers(nlp: Language) -> None:
    doc = nlp("Talks on a ceasefire will resume in Geneva next week, diplomats said.")
    assert doc._.casualties == []


def test_config_places_are_found_and_change_no_code(repo_root: Path, default_config) -> None:
    place = {"name": "Nogolait", "country": "ID", "lat": -4.4, "lon": 138.9, "aliases": [], "admin": "Highland Papua"}
    nlp = build_casualty_pipeline(default_config, places=[place])
    report = one(nlp, "Around 20 gunmen attacked the village of Nogolait. 10 men were shot to death and two others "
                      "were injured.")
    assert (report.location, report.country, report.admin) == ("Nogolait", "ID", "Highland Papua")
    assert (report.killed, report.injured, report.weapon) == (10, 2, "shooting")


TEMPLATES = [
    ("{k} people were killed and {i} injured in the attack on the market, police said.", True),
    ("The strike killed {k} civilians and wounded {i} others, the governor said.", True),
    ("Officials said {k} soldiers died and {i} were wounded in the shelling.", True),
    ("At least {k} people have died in the blast, according to the health ministry.", False),
]


@settings(max_examples=40, deadline=None)
@example(template=TEMPLATES[3], killed=87, injured=2, words=True)   # the model tags "At least eighty-seven" PERCENT
@example(template=TEMPLATES[2], killed=2, injured=86, words=True)   # the model tags "eighty-six were wounded" DATE
@given(
    template=st.sampled_from(TEMPLATES),
    killed=st.integers(min_value=2, max_value=2_000),
    injured=st.integers(min_value=2, max_value=2_000),
    words=st.booleans(),
)
def test_any_figure_in_digits_or_words_is_read(nlp: Language, template: tuple[str, bool], killed: int,
                                                injured: int, words: bool) -> None:
    text, has_injured = template

    def write(n: int) -> str:       # words below 100, digits with a thousands separator above (news style)
        return spell(n) if words and n < 100 else f"{n:,}"

    sentence = text.format(k=write(killed), i=write(injured))
    sentence = sentence[0].upper() + sentence[1:]
    report = one(nlp, sentence)
    assert report.killed == killed
    assert report.injured == (injured if has_injured else None)
