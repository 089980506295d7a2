"""Conditions that news states in wordings the shapes used to miss (issue 10): each test is a sentence of its own
kind, and the position a reader of it would note down; the last ones are near wordings that state none."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.extract import Extractor
from bot.extract.facts import Position

MAY_2025 = dt.date(2025, 5, 20)


def conditions(extractor: Extractor, text: str) -> list[Position]:
    return [p for p in extractor.extract_text(text, published=MAY_2025).positions if p.kind == "condition"]


def found(extractor: Extractor, text: str) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(p.actor, p.subject, p.labels) for p in conditions(extractor, text)}


def test_no_deals_made_without_ukraine_conditions_the_deals(extractor: Extractor) -> None:
    """A reduced relative ("deals made without it") has no tense of its own: the refusal is now, and what is
    conditioned is the deals, not their making."""
    got = conditions(extractor, "Sybiha said Kyiv would not recognise any agreements reached without Ukraine.")
    assert [(p.actor, p.subject) for p in got] == [("ukraine", "peace_agreement")]
    assert any("Ukraine" in r.words for r in got[0].requires)


def test_a_gerund_that_is_a_prerequisite_is_the_requirement(extractor: Extractor) -> None:
    got = found(extractor, "Peskov said that settling the territorial questions is a prerequisite for any peace "
                           "agreement.")
    assert ("russia", "peace_agreement", ("settling territorial questions",)) in got


def test_the_need_for_y_before_x_with_x_hung_on_the_verb_of_saying(extractor: Extractor) -> None:
    got = found(extractor, "Kallas stressed the need for a full ceasefire before any talks with Moscow can start.")
    assert ("eu", "negotiations", ("ceasefire",)) in got


def test_an_if_clause_hung_on_a_relative_clause_still_conditions_the_demand(extractor: Extractor) -> None:
    """"must leave the regions it holds if it wants a deal": the parser hangs the if-clause on "holds"."""
    got = found(extractor, "The Kremlin said Kyiv must pull its troops out of the regions it still holds if it "
                           "wants a peace deal.")
    assert ("russia", "peace_agreement", ("troop_withdrawal",)) in got


def test_if_you_want_x_and_an_imperative(extractor: Extractor) -> None:
    got = found(extractor, "“If Moscow wants sanctions relief, let it pull its troops out,” Kallas said.")
    assert ("eu", "sanctions_relief", ("troop_withdrawal",)) in got


def test_an_if_clause_hung_on_the_complement_after_it(extractor: Extractor) -> None:
    """"X if Y, it is Z": the parser hangs the if-clause on "it's serious"; it conditions X."""
    text = ("The White House will pursue diplomacy \"if Moscow is prepared to take visible steps to provide Europe "
            "with some degree of confidence it's serious about pulling back,\" Sullivan said.")
    got = [p for p in extractor.extract_text(text, published=dt.date(2022, 2, 10)).positions]
    assert [(p.actor, p.kind, p.subject) for p in got] == [("us", "condition", "negotiations")]
    assert "steps" in got[0].labels[0]


def test_cannot_x_when_there_is_no_y_waits_for_y(extractor: Extractor) -> None:
    got = found(extractor, "“We will not hold elections when there is no ceasefire,” Zelensky said.")
    assert got == {("ukraine", "elections", ("ceasefire",))}


def test_only_as_the_last_step_with_only_on_the_verb(extractor: Extractor) -> None:
    got = conditions(extractor, "Ushakov said a meeting between the two presidents could only take place as the "
                                "culmination of a peace process.")
    assert [(p.actor, p.labels) for p in got] == [("russia", ("peace process",))]
    assert "meeting" in got[0].subject


def test_only_based_on_y(extractor: Extractor) -> None:
    got = found(extractor, "Kos said that accession talks will move forward only based on progress in reforms.")
    assert got and all(actor == "eu" and labels == ("progress in reforms",) for actor, _, labels in got)


def test_ready_for_x_but_with_a_partner_of_another_kind(extractor: Extractor) -> None:
    got = found(extractor, "“We are ready for talks with Russia, but with a different leadership in the Kremlin,” "
                           "Zelensky said.")
    assert ("ukraine", "negotiations", ("different leadership in Kremlin",)) in got


def test_it_would_suffice_for_z_to_y(extractor: Extractor) -> None:
    got = found(extractor, "“In order to resume the talks, it would be enough for Kyiv to withdraw its troops from "
                           "Kursk,” Peskov said.")
    assert ("russia", "negotiations", ("troop_withdrawal",)) in got


def test_waiting_for_y_to_be_set_up_before_x(extractor: Extractor) -> None:
    """"waiting for Y to be approved before X", with the infinitive hung on the awaited noun."""
    got = conditions(extractor, "Sybiha said Kyiv is waiting for “a guarantee framework” to be approved by its "
                                "allies before agreeing to a summit.")
    assert [(p.actor, p.subject) for p in got] == [("ukraine", "summit")]
    assert "guarantee" in got[0].labels[0]


def test_rejecting_any_deal_that_permits_y_conditions_the_deal_on_no_y(extractor: Extractor) -> None:
    got = conditions(extractor, "Kuleba said Kyiv will reject any peace plan that requires ceding territory.")
    assert [(p.actor, p.subject, p.labels) for p in got] == [("ukraine", "peace_agreement",
                                                              ("no territorial_concessions",))]


@pytest.mark.parametrize("text, wanted", [
    # the first step towards X is what X waits for
    ("Kallas said the first step towards a settlement must be a full ceasefire.", ("peace_agreement", ("ceasefire",))),
    # "if X is set up, it must Y": X is the if-clause's thing, Y what it requires (not the other way round)
    ("Sybiha said that if a truce is agreed, it would have to be watched by foreign monitors.",
     ("ceasefire", ("watched by foreign monitors",))),
    # "if Russia wants X, it must Y" is X requiring Y, once: not also Y waiting for Russia's wish
    ("If Moscow wants a peace deal, it must pull its troops back, Umerov said.",
     ("peace_agreement", ("troop_withdrawal",))),
    # ruling X out until Y is no X until Y
    ("Sybiha ruled out any peace talks until the last Russian soldier has left.",
     ("negotiations", ("last Russian soldier left",))),
    # a second verb shares the first's "would", and "after" takes a clause however the parser hangs it
    ("Lavrov said that Moscow would halt its strikes and open talks after Kyiv pulls its troops back.",
     ("negotiations", ("troop_withdrawal",))),
    # a pact without Y called a utopia is no pact without Y
    ("Lavrov said that any security pact without Russia is a utopia.", None),
])
def test_the_thing_an_obligation_or_a_first_step_is_about(extractor: Extractor, text: str,
                                                        wanted: tuple[str, tuple[str, ...]] | None) -> None:
    got = found(extractor, text)
    if wanted is None:
        assert len(got) == 1 and all(labels for _, _, labels in got)
    else:
        assert {(subject, labels) for _, subject, labels in got} == {wanted}


@pytest.mark.parametrize("text, subject", [
    # an obligation and an intention are about what is to come, like "will"
    ("\"Kyiv has to hand back the grain if Moscow pays the insurers,\" Kallas said.", "hand back grain"),
    ("Zelensky said Kyiv intends to send the memorandum to Moscow once the partners have approved it.",
     "send memorandum to Moscow"),
])
def test_has_to_and_intends_to_x_if_y_condition_x(extractor: Extractor, text: str, subject: str) -> None:
    assert [p.subject for p in conditions(extractor, text)] == [subject]


@pytest.mark.parametrize("text, subject, requirement", [
    ("Ryabkov said firm guarantees of payment must be in place to resume the grain deal.", "grain_deal",
     "firm guarantees of payment in place"),
    ("Podolyak said the decree banning talks must be repealed to pave the way for negotiations.",
     "negotiations", "decree banning talks repealed"),
])
def test_a_purpose_told_after_the_obligation_is_what_it_conditions(extractor: Extractor, text: str, subject: str,
                                                                    requirement: str) -> None:
    assert {(s, labels) for _, s, labels in found(extractor, text)} == {(subject, (requirement,))}


@pytest.mark.parametrize("text", [
    # working together to reach an aim sets no term
    "Blinken said the allies must work together to ensure Ukraine's security.",
    # backing another side in its own choice defers to it
    "Rubio said Washington would support Kyiv if it decides to negotiate with Moscow.",
    # a journey planned if the schedule allows is a schedule
    "Zelensky plans to travel to Brussels on Monday if the schedule allows, his office said.",
    # a reduced relative told of the past is no position
    "The deals made without Ukraine in 2014 were signed by Moscow and Berlin, Sybiha recalled.",
    # an "after" that dates the saying conditions nothing
    "“We are ready for a dialogue with Russia,” Zelensky said after Putin declared the annexation of four regions.",
    # a generic "if you want" with an imperative of no watched actor's position
    "“If you want to understand this war, read the history books,” the historian said.",
    # a "when there is no" that judges, not conditions
    "Kallas said it is not surprising when there is no progress at the talks.",
    # a deal refused for what it would be, not for a term it holds
    "Zelensky said Kyiv will reject any agreement that humiliates Ukraine.",
])
def test_near_wordings_that_state_no_condition(extractor: Extractor, text: str) -> None:
    assert conditions(extractor, text) == []


def test_y_necessary_to_do_x_with_the_infinitive_hung_on_the_copula(extractor: Extractor) -> None:
    got = found(extractor, "Zelensky added that a truce of at least two months would be necessary to hold such a "
                           "vote.")
    assert any(actor == "ukraine" and "ceasefire" in labels for actor, _, labels in got), got


def test_a_source_line_the_parser_hangs_on_the_requirement_does_not_date_it(extractor: Extractor) -> None:
    got = found(extractor, "Adviser Mykhailo Podolyak said that Kyiv could restart dialogue with Moscow only after "
                           "the withdrawal of Russian forces from Ukraine, the presidential press service reported on "
                           "Friday.")
    assert ("ukraine", "negotiations", ("troop_withdrawal",)) in got, got
