"""What a condition is about when the clause that states it names it only in passing: a relative pronoun, a
pronoun-owned nominalisation, "see no reason to …", an amount of money."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.extract import Extractor
from bot.extract.facts import Position
from bot.sources.document import Document

MAY_2025 = dt.datetime(2025, 5, 20, 9, tzinfo=dt.timezone.utc)


def subjects(extractor: Extractor, text: str) -> list[str]:
    found: list[Position] = next(extractor.extract([Document(id="n", text=text, published=MAY_2025)])).positions
    return [p.subject for p in found if p.kind == "condition"]


@pytest.mark.parametrize("text, subject", [
    ("Moscow wants guarantees before it rejoins the Black Sea shipping deal, which could happen next week if the "
     "West keeps its promises, Lavrov said.", "grain_deal"),   # the config's "Black Sea deal", a modifier between
    ("Lavrov said Russia was prepared to return to the shipping corridor deal, which could happen soon if the West "
     "honours its commitments.", "shipping corridor deal"),
])
def test_which_names_what_it_stands_for(extractor: Extractor, text: str, subject: str) -> None:
    found = subjects(extractor, text)
    assert found and set(found) == {subject}   # not the generic peace agreement "deal" would name alone


def test_its_implementation_is_the_agreement_implemented(extractor: Extractor) -> None:
    found = subjects(extractor, "\"Any agreement struck behind our backs will fail, because for its implementation "
                                "Ukraine has to agree to it,\" Kallas said.")
    assert found == ["peace_agreement"]


def test_an_amount_of_money_keeps_its_figure(extractor: Extractor) -> None:
    found = subjects(extractor, "Ukraine will receive €4 billion from the European Union after the Rada adopts "
                                "the reform laws, the European Commission said.")
    assert len(found) == 1 and "4 billion" in found[0]


def test_the_cue_word_is_no_part_of_what_it_conditions(extractor: Extractor) -> None:
    found = subjects(extractor, "The Ukrainian president said he was ready to meet with Lavrov, contingent upon a full "
                                "ceasefire.")
    assert found == ["meet with Lavrov"]   # who is met, not the "contingent" that opens the condition


@pytest.mark.parametrize("text, subject", [
    ("Kyiv can become a member of NATO only after the war is over, the US secretary of state said.",
     "nato_membership"),
    ("Russia will rejoin the Black Sea Initiative only when the West lifts the restrictions on its fertiliser "
     "exports, Peskov said.", "grain_deal"),
])
def test_the_names_people_use_for_a_topic_name_it(extractor: Extractor, text: str, subject: str) -> None:
    assert subjects(extractor, text) == [subject]


def titled_subjects(extractor: Extractor, title: str, text: str) -> list[str]:
    found = next(extractor.extract([Document(id="n", text=text, title=title, published=MAY_2025)])).positions
    return [p.subject for p in found if p.kind == "condition"]


@pytest.mark.parametrize("title, text, subject", [
    # what a speaker is ready to do, told without its object, is taking part in what the story is about
    ("Kremlin open to peace talks with Kyiv",
     "We are ready to meet as soon as Kyiv pulls its troops out of the four regions, Peskov said.", "negotiations"),
    # a step of something the story names, told without what it is a step of
    ("Kyiv sets terms for a truce",
     "The next phase can begin only when Russia returns the deported children, Yermak said.", "ceasefire"),
    # "first Y, then we will speak": the speaker's bare next step
    ("Kyiv open to talks with Moscow after a defeat on the battlefield",
     "\"Let us first change the situation on the front, and then we will speak,\" Sybiha said.", "negotiations"),
    ("Kremlin sets out its terms for a truce",
     "\"First they have to leave the four regions, then we will see,\" Peskov said.", "ceasefire"),
    # a verb or a step with words of its own keeps them
    ("Kremlin open to peace talks with Kyiv",
     "We are ready to sign the grain agreement as soon as Kyiv pulls its troops out, Peskov said.",
     "grain_deal"),
])
def test_a_bare_step_takes_the_subject_of_the_story(extractor: Extractor, title: str, text: str,
                                                    subject: str) -> None:
    assert titled_subjects(extractor, title, text) == [subject]
