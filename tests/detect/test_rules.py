"""The pure rules on small inputs: no database, no NLP."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from bot.detect.casualties import merge_reports, same_event, same_place
from bot.detect.merge import merge_positions
from bot.detect.positions import classify_change
from bot.detect.stance import Stance
from bot.extract.facts import CasualtyReport, Position

if TYPE_CHECKING:
    from bot.detect.evidence import Evidence

WINDOW = dt.timedelta(days=1)


@pytest.mark.parametrize(("before", "after", "change", "added", "dropped"), [
    (Stance(requires=("ceasefire",)), Stance(requires=("ceasefire",), negated=True), "dropped", [], ["ceasefire"]),
    (Stance(requires=("ceasefire",), negated=True), Stance(requires=("ceasefire",)), "added", ["ceasefire"], []),
    (Stance(requires=("ceasefire", "security_guarantees")), Stance(requires=("ceasefire",)), "dropped", [], ["security_guarantees"]),
    (Stance(requires=("ceasefire",)), Stance(requires=("ceasefire", "troop_withdrawal")), "added", ["troop_withdrawal"], []),
    (Stance(requires=("ceasefire",)), Stance(requires=("troop_withdrawal",)), "replaced", ["troop_withdrawal"], ["ceasefire"]),
    (Stance(requires=("ceasefire",)), Stance(requires=("ceasefire",), hedged=True), "softened", [], []),
    (Stance(requires=("ceasefire",), hedged=True), Stance(requires=("ceasefire",)), "hardened", [], []),
    (Stance(requires=("ceasefire",)), Stance("refusal", requires=("ceasefire",)), "reframed", [], []),
    (Stance(requires=("ceasefire",)), Stance("offer", requires=("ceasefire",)), "restated", [], []),
    (Stance(requires=("troop_withdrawal", "no nato_membership")), Stance("offer", requires=("preconditions",), negated=True),
     "dropped", [], ["no nato_membership", "troop_withdrawal"]),
    (Stance(requires=("nato_membership",)), Stance(requires=("no nato_membership",)), "replaced",
     ["no nato_membership"], ["nato_membership"]),
])
def test_change_names(before: Stance, after: Stance, change: str, added: list[str], dropped: list[str]) -> None:
    assert classify_change(before, after) == (change, added, dropped)


def p(**kw: object) -> Position:
    return Position(**{"actor": "us", "kind": "condition", "subject": "negotiations", **kw})  # type: ignore[arg-type]


def test_merge_unites_firm_requirements_and_ignores_hedged_reported_and_hypothetical() -> None:
    [merged] = merge_positions([
        p(requires=("sanctions",), reported=True), p(requires=("ceasefire",), quote="first"),
        p(requires=("nato_membership",), hedged=True), p(requires=(), hypothetical=True),
        p(requires=("security_guarantees",)),
    ], url="https://x")
    assert merged.stance.labels == ("ceasefire", "security_guarantees")
    assert (merged.stance.hedged, merged.reported, merged.stance.quote, merged.stance.url) == (False, False, "first", "https://x")


def test_merge_keeps_only_reported_when_nothing_first_hand() -> None:
    [merged] = merge_positions([p(requires=("ceasefire",), reported=True, hedged=True)])
    assert merged.reported and merged.stance.hedged


def test_merge_lets_the_lede_decide_between_asserting_and_denying() -> None:
    [merged] = merge_positions([p(requires=("ceasefire",), negated=True), p(requires=("ceasefire",))])
    assert merged.stance.negated


def r(**kw: object) -> CasualtyReport:
    return CasualtyReport(**{"killed": 1, "country": "UA", "date": dt.date(2025, 4, 13), **kw})  # type: ignore[arg-type]


SUMY = {"location": "Sumy", "admin": "UA.21", "place_level": "city", "district": "Sumy district", "lat": 50.9,
        "lon": 34.8}
SUMY_OBLAST = {"location": "Sumy Oblast", "admin": "UA.21", "place_level": "region"}
SUMY_DISTRICT = {"location": "Sumy district", "admin": "UA.21", "place_level": "district", "district": "Sumy district"}
KONOTOP = {"location": "Konotop", "admin": "UA.21", "place_level": "city", "district": "Konotop district",
           "lat": 51.24, "lon": 33.2}


@pytest.mark.parametrize(("a", "b", "same"), [
    (r(**SUMY), r(location="sumy"), True),
    (r(**SUMY), r(**SUMY_OBLAST), True),                   # a region's report, the city's event inside it
    (r(**SUMY), r(**SUMY_DISTRICT), True),
    (r(**SUMY_DISTRICT), r(**SUMY_OBLAST), True),
    (r(**SUMY), r(**KONOTOP), False),                      # two towns of one region are two places
    (r(**KONOTOP), r(**SUMY_DISTRICT), False),             # a town of another district
    (r(**SUMY), r(**{**SUMY, "country": "RU"}), False),
    (r(**SUMY), r(location=None, place_level="country"), False),   # a country alone is no place
    (r(**SUMY, weapon="missile"), r(**SUMY, weapon="shooting"), False),   # two kinds of attack
    (r(**SUMY, weapon="missile"), r(**SUMY, weapon="drone"), True),       # one strike, its weapons named loosely
    # the same toll there that day is one attack, however loosely one outlet names its weapon ("suicide bombers"
    # for attack drones); a toll of one dead is no such mark
    (r(**SUMY, weapon="drone", killed=7, injured=20), r(**SUMY, weapon="suicide_bombing", killed=7, injured=20), True),
    (r(**SUMY, weapon="drone"), r(**SUMY, weapon="suicide_bombing"), False),
    # a toll told as risen there that day revises the attack known, however loosely it names the weapon ...
    (r(**SUMY_DISTRICT, weapon="shooting"), r(**SUMY_OBLAST, weapon="shelling", killed=2, revision=True), True),
    # ... but a revision told the next day, or at another town, is no licence to join another kind of attack
    (r(**SUMY, weapon="shooting"), r(**SUMY, weapon="missile", revision=True, date=dt.date(2025, 4, 14)), False),
    (r(**KONOTOP, weapon="shooting"), r(**SUMY, weapon="missile", revision=True), False),
    (r(**SUMY, weapon="missile"), r(**SUMY, weapon="bombing"), True),     # "a blast": any attack
    (r(**SUMY, weapon="missile"), r(**SUMY), True),
    (r(**SUMY, perpetrator="russia"), r(**SUMY, perpetrator="ukraine"), True),
    (r(**SUMY), r(**SUMY, date=dt.date(2025, 4, 14)), True),      # a night attack told under either date
    (r(**SUMY), r(**SUMY, date=dt.date(2025, 4, 16)), False),     # two days the texts tell: two attacks
    (r(**SUMY), r(**SUMY, date=dt.date(2025, 4, 15), undated=True), True),   # told two days later, no day named
    (r(**SUMY), r(**SUMY, date=dt.date(2025, 4, 17), undated=True), False),  # ... four days later: another attack
    # ... unless it names the same distinctive target there: told a week later
    (r(**SUMY, target="school"), r(**SUMY, date=dt.date(2025, 4, 20), undated=True, target="school"), True),
    (r(**SUMY), r(**SUMY, date=dt.date(2025, 4, 27), undated=True, revision=True), True),  # a late revision
    (r(**SUMY), r(**SUMY, date=dt.date(2025, 4, 30), undated=True, revision=True), False),
    (r(**SUMY, undated=True), r(**SUMY, date=dt.date(2025, 4, 16)), False),  # the attack after the first news
    (r(**SUMY, undated=True), r(**SUMY, date=dt.date(2025, 4, 11)), True),   # the day the first news left out
    (r(**SUMY, undated=True, revision=True), r(**SUMY, date=dt.date(2025, 4, 3)), True),  # "last week's strike"
    (r(**SUMY), r(**{**KONOTOP, "lat": 50.95, "lon": 34.9}), True),            # the village beside it, that day
    # the same toll at the same place, told six days on without a day: the attack told again ...
    (r(**SUMY, killed=4, injured=11), r(**SUMY, killed=4, injured=11, date=dt.date(2025, 4, 19), undated=True), True),
    (r(**SUMY, killed=6, injured=11), r(**SUMY, killed=6, date=dt.date(2025, 4, 19), undated=True), True),
    (r(**SUMY, killed=4, injured=11), r(**SUMY, killed=4, date=dt.date(2025, 4, 19), undated=True), False),
    (r(**SUMY, killed=4, injured=11), r(**SUMY, killed=4, injured=9, date=dt.date(2025, 4, 19), undated=True), False),
    (r(**SUMY, killed=1), r(**SUMY, killed=1, date=dt.date(2025, 4, 19), undated=True), False),  # one dead: no mark
    (r(**SUMY, killed=3), r(**SUMY, killed=3, date=dt.date(2025, 4, 19), undated=True), False),  # nor three
    # ... and with its target named too, up to a month on
    (r(**SUMY, killed=17, target="market"), r(**SUMY, killed=17, target="market", date=dt.date(2025, 5, 6),
                                                 undated=True), True),
    (r(**SUMY, killed=17), r(**SUMY, killed=17, date=dt.date(2025, 5, 6), undated=True), False),
    (r(**SUMY, target="hypermarket"), r(**{**KONOTOP, "district": "Sumy district"}, target="hypermarket"), True),
])
def test_event_identity(a: CasualtyReport, b: CasualtyReport, same: bool) -> None:
    assert same_event(a, b, WINDOW) is same and same_event(b, a, WINDOW) is same


def test_reports_in_one_article_merge_to_the_highest_figure() -> None:
    merged = merge_reports([r(location=None, killed=9), r(**SUMY, killed=35, date=None),
                            r(**SUMY, killed=40, injured=117), r(location=None, country=None, killed=2)],
                           published=dt.date(2025, 4, 14), window=WINDOW)
    # the country-only report is kept last, to join an event; the one with no place at all is dropped
    assert [(m.killed, m.injured, m.location) for m in merged] == [(40, 117, "Sumy"), (9, None, None)]


@pytest.mark.parametrize(("later", "same"), [
    (r(**SUMY, killed=3, date=dt.date(2025, 4, 14)), False),   # fewer dead told for the next day: the next strike
    (r(**SUMY, killed=3, date=dt.date(2025, 4, 12)), True),    # the day before: the night's first figure, late
    (r(**SUMY, killed=5, date=dt.date(2025, 4, 14)), True),    # the same toll under the next day's date
    (r(**SUMY, killed=7, date=dt.date(2025, 4, 14)), True),    # a higher one
    (r(**SUMY, killed=3, date=dt.date(2025, 4, 14), revision=True), True),   # a toll told as revised
    (r(**SUMY, killed=3, date=dt.date(2025, 4, 14), undated=True), True),    # no day of its own
    (r(**SUMY, killed=9, date=dt.date(2025, 4, 14), target="market"), True),   # a night's barrage hits several
])
def test_a_smaller_toll_a_later_report_dates_to_the_next_day_is_another_strike(later: CasualtyReport,
                                                                              same: bool) -> None:
    assert same_event(r(**SUMY, killed=5, target="school"), later, WINDOW) is same


SATURDAY, SUNDAY, MONDAY = dt.date(2025, 4, 12), dt.date(2025, 4, 13), dt.date(2025, 4, 14)


@pytest.mark.parametrize(("first", "later", "same"), [
    # "on Saturday night", then "early on Sunday" with one victim of it: one night, a partial toll
    (r(**SUMY, killed=3, date=SATURDAY, night=SATURDAY), r(**SUMY, killed=1, date=SUNDAY, night=SATURDAY), True),
    # ... or the district's one victim, told "on Sunday" without the night
    (r(**SUMY, killed=3, date=SATURDAY, night=SATURDAY), r(**SUMY, killed=1, date=SUNDAY), True),
    # "overnight" in Sunday's news, then one victim "on Saturday": a day of that night
    (r(**SUMY, killed=3, date=SUNDAY, night=SATURDAY), r(**SUMY, killed=1, date=SATURDAY), True),
    # "overnight" in Sunday's news and "overnight" in Monday's, fewer dead: the next night's strike
    (r(**SUMY, killed=3, date=SUNDAY, night=SATURDAY), r(**SUMY, killed=1, date=MONDAY, night=SUNDAY), False),
    # a day after the night's second day, fewer dead: another strike, as before
    (r(**SUMY, killed=3, date=SATURDAY, night=SATURDAY), r(**SUMY, killed=1, date=dt.date(2025, 4, 14)), False),
    # the next day's report with more dead: the same attack told late, unless it tells one more attack
    (r(**SUMY, killed=1, date=SUNDAY), r(**SUMY, killed=4, date=MONDAY), True),
    (r(**SUMY, killed=1, date=SUNDAY), r(**SUMY, killed=4, date=MONDAY, again=True), False),
    (r(**SUMY, killed=1, date=SUNDAY), r(**SUMY, killed=4, date=MONDAY, again=True, revision=True), True),
    # "again" within the night it tells is that night's attack
    (r(**SUMY, killed=1, date=SATURDAY, night=SATURDAY), r(**SUMY, killed=4, date=SUNDAY, night=SATURDAY,
                                                             again=True), True),
])
def test_two_days_of_one_night_are_one_attack_and_two_nights_two(first: CasualtyReport, later: CasualtyReport,
                                                                  same: bool) -> None:
    assert same_event(first, later, WINDOW) is same


def test_two_reports_of_one_article_dated_to_days_of_their_own_stay_two() -> None:
    merged = merge_reports([r(**SUMY, killed=3), r(**SUMY, killed=None, injured=11, date=dt.date(2025, 4, 12))],
                           published=dt.date(2025, 4, 13), window=WINDOW)
    assert [(m.killed, m.injured, m.date) for m in merged] == [(3, None, dt.date(2025, 4, 13)),
                                                               (None, 11, dt.date(2025, 4, 12))]


def test_a_report_naming_only_the_region_matches_a_city_in_it() -> None:
    city = CasualtyReport(killed=9, location="Lashkar Gah", country="AF", admin="AF.10", lat=31.6, lon=64.4,
                          place_level="city")
    region = CasualtyReport(killed=11, location="Helmand", country="AF", admin="AF.10", place_level="region")
    other_city = CasualtyReport(killed=4, location="Gereshk", country="AF", admin="AF.10", lat=31.8, lon=64.6,
                                place_level="city")
    assert same_place(city, region) and same_place(region, city)
    assert not same_place(city, other_city)  # two towns of one province are two places


def test_a_figure_told_after_dozens_is_the_first_toll_and_dozens_after_a_toll_a_source() -> None:
    from bot.detect.casualties import EventView, decide_casualty
    from bot.detect.evidence import Evidence

    def evidence(n: int) -> Evidence:
        return Evidence(document_id=f"d{n}", url=f"https://outlet{n}.example/a", source=f"outlet{n}.example",
                        feed="f", published=dt.datetime(2025, 4, 13, 12 + n, tzinfo=dt.timezone.utc))

    dozens = r(**SUMY, killed=5, injured=None, injured_low=24)
    event = EventView(key="e", report=dozens, sources=("https://outlet0.example/a",))
    told = decide_casualty(r(**SUMY, killed=5, injured=20, injured_low=20, injured_high=20), event, evidence(1))
    assert (told.action, told.event.report.injured) == ("update", 20)
    again = decide_casualty(r(**SUMY, killed=5, injured=None, injured_low=24), told.event, evidence(2))
    assert (again.action, again.event.report.injured) == ("source", 20)



def _evidence(n: int) -> "Evidence":
    from bot.detect.evidence import Evidence

    return Evidence(document_id=f"d{n}", url=f"https://outlet{n}.example/a", source=f"outlet{n}.example",
                    feed="f", published=dt.datetime(2025, 4, 13, 12 + n, tzinfo=dt.timezone.utc))


def _figures(killed: int | None, injured: int | None, **kw: object) -> CasualtyReport:
    return r(**SUMY, killed=killed, killed_low=killed, killed_high=killed, injured=injured, injured_low=injured,
             injured_high=injured, **kw)


@pytest.mark.parametrize("victims", [19, 14])
def test_a_count_of_victims_that_is_the_event_s_wounded_or_its_dead_and_wounded_raises_no_dead(victims: int) -> None:
    # "the number of casualties rose to 19" after 5 killed and 14 injured were told: the same people counted again
    from bot.detect.casualties import EventView, decide_casualty

    event = EventView(key="e", report=_figures(5, 14), sources=("https://outlet0.example/a",))
    told = decide_casualty(_figures(victims, None, killed_as_victims=True), event, _evidence(1))
    assert (told.action, told.event.report.killed, told.event.report.injured) == ("source", 5, 14)


def test_a_count_of_victims_above_the_event_s_dead_and_wounded_still_raises_the_toll() -> None:
    from bot.detect.casualties import EventView, decide_casualty

    event = EventView(key="e", report=_figures(5, 14), sources=("https://outlet0.example/a",))
    told = decide_casualty(_figures(23, None, killed_as_victims=True), event, _evidence(1))
    assert (told.action, told.event.report.killed) == ("update", 23)


def test_a_count_of_the_dead_told_as_such_raises_the_toll_even_where_it_matches_the_wounded() -> None:
    from bot.detect.casualties import EventView, decide_casualty

    event = EventView(key="e", report=_figures(5, 14), sources=("https://outlet0.example/a",))
    told = decide_casualty(_figures(14, None), event, _evidence(1))
    assert (told.action, told.event.report.killed) == ("update", 14)
