"""Positions read at the level of the document: headline and body, datelines, speakers carried across sentences,
titles without names, lists of conditions, questions; and the direction and wording of requirements."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.extract import Extractor
from bot.extract.discourse import dateline_spans
from bot.extract.facts import Position
from bot.sources.document import Document

APRIL_2025 = dt.datetime(2025, 4, 15, 9, tzinfo=dt.timezone.utc)


def read(extractor: Extractor, text: str, title: str = "", when: dt.datetime = APRIL_2025) -> list[Position]:
    return next(extractor.extract([Document(id="d", text=text, title=title, published=when)])).positions


def conditions(found: list[Position]) -> set[tuple[str, str, tuple[str, ...], bool]]:
    return {(p.actor, p.subject, p.labels, p.negated) for p in found if p.kind == "condition"}


# -- headline, datelines -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, dateline", [
    ("KYIV, March 3 (Reuters) – Ukraine will not", "KYIV, March 3 (Reuters) – "),
    ("WASHINGTON (AP) — The U.S. said", "WASHINGTON (AP) — "),
    ("MOSCOW. May 31 (Interfax) - Ukraine would", "MOSCOW. May 31 (Interfax) - "),
    ("Rome, 15 May (LaPresse) – The duration", "Rome, 15 May (LaPresse) – "),
    ("BRUSSELS, Aug. 6 (Xinhua) -- The European Union", "BRUSSELS, Aug. 6 (Xinhua) -- "),
    ("Pokrovsk, Ukraine - At least 11 people", "Pokrovsk, Ukraine - "),
])
def test_datelines_are_found(text: str, dateline: str) -> None:
    [(start, end)] = dateline_spans(text)
    assert text[start:end] == dateline


@pytest.mark.parametrize("text", ["Zelensky — the president said so.", "Putin (pictured) said that", "US: Russia must",
                                  "Zelensky, Ukraine's president - said so."])
def test_a_name_opening_a_sentence_is_no_dateline(text: str) -> None:
    assert not [text[a:b] for a, b in dateline_spans(text) if text[a:b].strip()[:3].isalpha() and "(" not in text[a:b]
                and not text[a:b].strip().rstrip(":").isupper()]


def test_the_dateline_is_part_of_no_clause(extractor: Extractor) -> None:
    found = read(extractor, "KYIV, March 3 (Reuters) – Ukraine will not join any talks until Russia withdraws its "
                            "troops, Foreign Minister Andrii Sybiha said.")
    assert conditions(found) == {("ukraine", "negotiations", ("troop_withdrawal",), False)}
    assert not any("Reuters" in p.sentence for p in found)


def test_the_headline_names_the_speaker_and_states_nothing_itself(extractor: Extractor) -> None:
    title = "No talks before a ceasefire, says Sybiha"
    body = "“We will sit down with the Russians only when the guns fall silent. Not a day earlier.”"
    found = read(extractor, body, title=title)
    assert conditions(found) == {("ukraine", "negotiations", ("ceasefire",), False)}
    assert all(p.speaker == "Andrii Sybiha" and title not in p.sentence for p in found)


# -- speakers carried across sentences ----------------------------------------------------------------------


def test_he_added_is_the_last_speaker_not_the_last_name(extractor: Extractor) -> None:
    text = ("Peskov told reporters that Putin had met Erdogan on Monday. He added that Russia would sign a peace "
            "treaty only if Ukraine renounced its bid to join NATO.")
    found = read(extractor, text)
    assert ("russia", "peace_agreement", ("no nato_membership",), False) in conditions(found)
    assert {p.speaker for p in found} == {"Dmitry Peskov"}


def test_a_statement_named_in_the_next_sentence(extractor: Extractor) -> None:
    text = ("Talks with Russia are possible after a full ceasefire takes hold. This was stated by Ukrainian "
            "Foreign Minister Andrii Sybiha.")
    assert conditions(read(extractor, text)) == {("ukraine", "negotiations", ("ceasefire",), False)}


@pytest.mark.parametrize("first, actor", [
    ("Ukraine's foreign minister Dmytro Kuleba spoke to ABC News on Sunday.", "ukraine"),
    ("Turkey's foreign minister Hakan Fidan spoke to ABC News on Sunday.", None),
])
def test_the_minister_who_rules_something_out_is_the_minister_named_before(extractor: Extractor, first: str,
                                                                           actor: str | None) -> None:
    text = (f"{first} The minister also ruled out any negotiations with Moscow until Ukraine finds itself in a "
            "much stronger position on the battlefield.")
    found = read(extractor, text, when=dt.datetime(2023, 6, 1, tzinfo=dt.timezone.utc))
    assert {p.actor for p in found if p.kind == "condition"} == ({actor} if actor else set())


@pytest.mark.parametrize("title, actor", [("Kremlin comments on reports of secret talks", "russia"),
                                          ("Budapest comments on reports of secret talks", None)])
def test_the_spokesman_of_a_story_that_names_only_an_office(extractor: Extractor, title: str,
                                                            actor: str | None) -> None:
    text = "The spokesman also repeated that the fighting can stop only after Ukraine leaves the four regions."
    found = read(extractor, text, title=title)
    assert {p.actor for p in found} == ({actor} if actor else set())
    assert all("Kremlin" in (p.speaker or "") for p in found)


def test_the_minister_said_is_the_minister_named_before(extractor: Extractor) -> None:
    text = ("Foreign Minister Andrii Sybiha met his Polish counterpart in Warsaw on Monday. The minister said Kyiv "
            "would join talks only after Russia agrees to a full ceasefire.")
    found = read(extractor, text)
    assert conditions(found) == {("ukraine", "negotiations", ("ceasefire",), False)}
    assert {p.speaker for p in found} == {"Andrii Sybiha"}


def test_the_president_who_speaks_is_not_the_one_his_quote_names(extractor: Extractor) -> None:
    text = ("According to Zelensky, Moscow shows no wish for a truce. \"If we sit down with President Putin, perhaps "
            "we can reach an understanding. He must first commit to a ceasefire, then we can start talks,\" the "
            "president said.")
    found = read(extractor, text, title="Ukrainian president rules out a frozen conflict",
                 when=dt.datetime(2022, 12, 6, tzinfo=dt.timezone.utc))
    assert found and {(p.actor, p.speaker) for p in found} == {("ukraine", "Volodymyr Zelensky")}


@pytest.mark.parametrize("speaker, actor", [
    ("Ukraine's foreign ministry spokesman", "ukraine"),
    ("The Kremlin's chief negotiator", "russia"),
    ("A senior US official", "us"),
    ("The EU's foreign policy chief", "eu"),
    ("Russia's deputy foreign minister", "russia"),
    ("An adviser to Ukraine's president", "ukraine"),
])
def test_titles_without_names_speak_for_their_actor(extractor: Extractor, speaker: str, actor: str) -> None:
    text = f"{speaker} said there could be no sanctions relief until a ceasefire is in place."
    assert {p.actor for p in read(extractor, text) if p.kind == "condition"} == {actor}


def test_other_governments_titles_speak_for_no_watched_actor(extractor: Extractor) -> None:
    text = "The Hungarian foreign minister said there could be no sanctions relief until a ceasefire is in place."
    assert read(extractor, text) == []


def test_officials_are_attributed_by_their_dates_of_office(extractor: Extractor) -> None:
    text = "Kuleba said Ukraine would not negotiate until Russia withdraws its troops."
    assert {p.actor for p in read(extractor, text, when=dt.datetime(2023, 6, 1, tzinfo=dt.timezone.utc))} == {"ukraine"}
    assert read(extractor, text, when=dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)) == []


# -- lists, questions ----------------------------------------------------------------------------------------


def test_a_list_of_conditions_in_the_next_sentence(extractor: Extractor) -> None:
    text = ("Moscow is ready to halt military operations if Kyiv meets a series of conditions, Peskov said. "
            "Peskov said Moscow demanded that Ukraine renounce its NATO bid, recognise the annexation of Crimea "
            "and withdraw its troops from the four regions.")
    [found] = [p for p in read(extractor, text) if p.kind == "condition"]
    assert (found.actor, found.subject) == ("russia", "ceasefire")
    assert {"no nato_membership", "troop_withdrawal", "territorial_concessions"} <= set(found.labels)


def test_a_rhetorical_question_states_nothing(extractor: Extractor) -> None:
    assert read(extractor, "“Why would we agree to a ceasefire before Russia withdraws its troops?” Sybiha asked.") == []


# -- direction, wording, waived requirements ------------------------------------------------------------------


@pytest.mark.parametrize("text, label", [
    ("Lavrov said Russia would return to talks only if Western countries stopped their military aid to Kyiv.",
     "no military_aid"),
    ("Lavrov said a settlement requires Kyiv to renounce its NATO bid.", "no nato_membership"),
    ("Zelensky said there will be no ceasefire until Russia withdraws its troops.", "troop_withdrawal"),
    ("Lavrov said Moscow would agree to a truce once Ukraine drops its bid to join NATO.", "no nato_membership"),
])
def test_the_direction_of_a_requirement(extractor: Extractor, text: str, label: str) -> None:
    assert any(label in p.labels for p in read(extractor, text) if p.kind == "condition")


def test_a_requirement_keeps_its_own_words(extractor: Extractor) -> None:
    text = ("Peskov said a ceasefire is possible only after the withdrawal of Ukrainian forces from Donetsk, Luhansk, "
            "Zaporizhzhia and Kherson.")
    [found] = [p for p in read(extractor, text) if p.kind == "condition"]
    assert [(r.topic, r.words) for r in found.requires] == [
        ("troop_withdrawal", "withdrawal of Ukrainian forces from Donetsk, Luhansk, Zaporizhzhia and Kherson")]


@pytest.mark.parametrize("text, expected", [
    ("Peskov said Russia is ready to hold talks with Ukraine without preconditions.",
     ("russia", "negotiations", ("preconditions",), True)),
    ("Zelensky said Ukraine would hold elections even without a ceasefire.",
     ("ukraine", "elections", ("ceasefire",), True)),
    ("Rubio said the goal is a lasting peace agreement, not a mere ceasefire.",
     ("us", "peace_agreement", ("ceasefire",), True)),
    ("Rubio said the parties should go directly to a peace deal rather than a ceasefire first.",
     ("us", "peace_agreement", ("ceasefire",), True)),
])
def test_waived_requirements(extractor: Extractor, text: str, expected: tuple) -> None:
    assert expected in conditions(read(extractor, text))


# -- what "the deal" is in a story about one ---------------------------------------------------------------


def test_the_deal_in_a_story_about_the_grain_deal_is_the_grain_deal(extractor: Extractor) -> None:
    found = read(extractor, "Lavrov said Moscow would rejoin the agreement only once its farm bank was reconnected "
                            "to SWIFT.", title="Kremlin sets out its price for reviving the grain corridor")
    assert {subject for _, subject, _, _ in conditions(found)} == {"grain_deal"}


def test_the_deal_in_a_story_without_one_stays_the_peace_agreement(extractor: Extractor) -> None:
    found = read(extractor, "Lavrov said Moscow would sign the agreement only once Kyiv withdrew its troops.",
                 title="Kremlin sets out its terms")
    assert {subject for _, subject, _, _ in conditions(found)} == {"peace_agreement"}


# -- wordings of a condition: a purpose clause under a verb of saying, modifiers inside a topic's words ------


def test_for_x_to_happen_y_must_under_a_verb_of_saying(extractor: Extractor) -> None:
    text = ("Kirby indicated that for any constructive talks to occur, Russia would need to withdraw its troops "
            "from Ukraine.")
    found = read(extractor, text, when=dt.datetime(2022, 12, 1, tzinfo=dt.timezone.utc))
    assert conditions(found) == {("us", "negotiations", ("troop_withdrawal",), False)}


@pytest.mark.parametrize("text, subject", [
    ("Peskov said there could be no end to the year-long war until Ukraine withdraws its troops from Donbas.",
     "peace_agreement"),
    ("Kallas said a sustainable resolution of the conflict is only possible if Russia withdraws its troops.",
     "peace_agreement"),
    ("Zelensky said there would be no lifting of all Western sanctions until Russia withdraws its troops.",
     "sanctions_relief"),
    ("Rubio said Ukraine could not be admitted into the alliance until Russia withdraws its troops.",
     "nato_membership"),
])
def test_a_topic_is_named_with_modifiers_between_its_words(extractor: Extractor, text: str, subject: str) -> None:
    assert {(p.subject, p.labels) for p in read(extractor, text) if p.kind == "condition"} == {
        (subject, ("troop_withdrawal",))}


def test_a_demand_made_as_the_condition_of_something_is_that_condition(extractor: Extractor) -> None:
    text = "Lavrov said Moscow insists on the lifting of sanctions as a precondition for any talks with Kyiv."
    found = read(extractor, text)
    assert [(p.kind, p.subject, p.labels) for p in found] == [("condition", "negotiations", ("sanctions_relief",))]


def test_what_x_would_need_to_be_preceded_by(extractor: Extractor) -> None:
    text = "Peskov said a meeting of the two presidents would need to be preceded by a full ceasefire."
    assert {(p.actor, p.labels) for p in read(extractor, text) if p.kind == "condition"} == {
        ("russia", ("ceasefire",))}


@pytest.mark.parametrize("text, subject", [
    # sanctions that "go away" are lifted: relief, not a threat
    ("Rubio said the sanctions could go away if Moscow changes its behaviour.", "sanctions_relief"),
    # the EU's "restrictive measures" kept "as long as" the war goes on are its sanctions
    ("Kallas said the EU will keep all its restrictive measures in place as long as Russia continues its war.",
     "sanctions_relief"),
    # a deal told by what it allows is the topic it allows, not "a landmark deal"
    ("Peskov said a landmark deal allowing Ukraine to export grain will not be restored until the West lifts "
     "curbs on Russian farm exports.", "grain_deal"),
])
def test_what_a_thing_is_called_by_what_it_does(extractor: Extractor, text: str, subject: str) -> None:
    assert [p.subject for p in read(extractor, text) if p.kind == "condition"] == [subject]


@pytest.mark.parametrize("text", [
    # the proviso hangs on the first of two joined clauses, or beside both under "provided"
    "Russia wants the war to end soon, preferably by peaceful means, and is ready to continue negotiations — "
    "provided that Kyiv and its Western allies are willing to engage, Putin added.",
    # the if-clause hangs on the speech verb the parser joined to the quote
    "\"I am even ready to meet him, but only if it is the final phase of the talks,\" Putin said at a press "
    "conference in St. Petersburg.",
])
def test_a_proviso_the_parser_hangs_elsewhere_still_conditions_the_offer(extractor: Extractor, text: str) -> None:
    title = "Putin says ready to meet Zelensky in the final phase of peace talks"
    found = read(extractor, text, title=title, when=dt.datetime(2025, 6, 19, tzinfo=dt.timezone.utc))
    assert {p.actor for p in found if p.kind == "condition"} == {"russia"}


@pytest.mark.parametrize("text, wanted", [
    ("Peskov said a summit of the three leaders should take place only at the final stage of the peace talks.",
     {("russia", "final stage of peace talks")}),
    ("Peskov said such a meeting is possible only at the end of the negotiations.",
     {("russia", "end of negotiations")}),
    # a time and a place, no stage waited for
    ("Peskov said a summit would take place in Istanbul at the end of next week.", set()),
])
def test_x_only_at_a_stage_of_y(extractor: Extractor, text: str, wanted: set) -> None:
    assert {(p.actor, p.labels[0]) for p in read(extractor, text) if p.kind == "condition"} == wanted


def test_conditions_to_meet_then_listed_are_what_is_required(extractor: Extractor) -> None:
    text = ("Rubio said there are conditions Ukraine will need to meet before it can join NATO, including a lasting "
            "ceasefire with Russia.")
    assert conditions(read(extractor, text)) == {("us", "nato_membership", ("ceasefire",), False)}


@pytest.mark.parametrize("text, wanted", [
    ("Russia must pull its troops back so that negotiations can begin, Sybiha said.",
     {("ukraine", "negotiations", ("troop_withdrawal",))}),
    ("\"We need a full ceasefire so that talks can start,\" Sybiha said.", {("ukraine", "negotiations", ("ceasefire",))}),
    # what happened so that something else could: history, no terms
    ("Sybiha said Russia pulled its troops back last year so that it could regroup.", set()),
])
def test_y_is_needed_so_that_x_can_happen(extractor: Extractor, text: str, wanted: set) -> None:
    assert {(p.actor, p.subject, p.labels) for p in read(extractor, text) if p.kind == "condition"} == wanted


def test_if_russia_were_serious_about_x_a_first_step_would_be_y(extractor: Extractor) -> None:
    text = ("Miller said that if Moscow were serious about peace talks, a first step would be to pull its forces out "
            "of Ukraine.")
    found = read(extractor, text, when=dt.datetime(2023, 5, 1, tzinfo=dt.timezone.utc))
    assert conditions(found) == {("us", "negotiations", ("troop_withdrawal",), False)}


def test_but_only_after_y_joined_to_the_clause_above_x(extractor: Extractor) -> None:
    text = ("Ukraine's path to membership is irreversible, Blinken said on Wednesday, repeating assurances that the "
            "country will be allowed to join the Western military alliance but only after Russia pulls its troops out.")
    found = read(extractor, text, when=dt.datetime(2024, 7, 10, tzinfo=dt.timezone.utc))
    assert conditions(found) == {("us", "nato_membership", ("troop_withdrawal",), False)}
