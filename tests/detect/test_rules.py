"""The pure rules on small inputs: no database, no NLP."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.detect.casualties import merge_reports, same_event, same_place
from bot.detect.merge import merge_positions
from bot.detect.positions import classify_change
from bot.detect.stance import Stance
from bot.extract.facts import CasualtyReport, Position

WINDOW = dt.timedelta(days=3)


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


@pytest.mark.parametrize(("a", "b", "same"), [
    (r(location="Sumy"), r(location="sumy"), True),
    (r(location="Sumy", admin="Sumy Oblast"), r(location="Sumy Oblast", admin="Sumy Oblast"), True),
    (r(location="Sumy", admin="Sumy Oblast"), r(location="Konotop", admin="Sumy Oblast"), False),
    (r(location="Sumy"), r(location="Sumy", country="RU"), False),
    (r(location="Sumy", weapon="missile"), r(location="Sumy", weapon="drone"), False),
    (r(location="Sumy", weapon="missile"), r(location="Sumy"), True),
    (r(location="Sumy", perpetrator="russia"), r(location="Sumy", perpetrator="ukraine"), True),
    (r(location="Sumy"), r(location="Sumy", date=dt.date(2025, 4, 17)), False),
    (r(location="Sumy"), r(location="Sumy", date=dt.date(2025, 4, 16)), True),
])
def test_event_identity(a: CasualtyReport, b: CasualtyReport, same: bool) -> None:
    assert same_event(a, b, WINDOW) is same and same_event(b, a, WINDOW) is same


def test_region_named_for_a_city_event_matches() -> None:
    assert same_place(r(location="Sumy Oblast"), r(location="Sumy", admin="Sumy Oblast"))


def test_reports_in_one_article_merge_to_the_highest_figure() -> None:
    merged = merge_reports([r(location="Sumy", killed=35, date=None), r(location="Sumy", killed=40, injured=117),
                            r(location=None, killed=9)], published=dt.date(2025, 4, 14), window=WINDOW)
    assert [(m.killed, m.injured, m.date) for m in merged] == [(40, 117, dt.date(2025, 4, 14))]


def test_a_report_naming_only_the_region_matches_a_city_in_it() -> None:
    from bot.detect.casualties import same_place
    from bot.extract.facts import CasualtyReport

    city = CasualtyReport(killed=9, location="Lashkar Gah", country="AF", admin="AF.10", lat=31.6, lon=64.4)
    region = CasualtyReport(killed=11, location="Helmand", country="AF", admin="AF.10")
    other_city = CasualtyReport(killed=4, location="Gereshk", country="AF", admin="AF.10", lat=31.8, lon=64.6)
    assert same_place(city, region) and same_place(region, city)
    assert not same_place(city, other_city)  # two towns of one province are two places
