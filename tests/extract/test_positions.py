"""Positions from news prose: condition shapes, other kinds, flags and attribution, with the real model."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.extract import Extractor
from bot.extract.facts import Position
from bot.sources.document import Document

APRIL_2025 = dt.date(2025, 4, 15)


def positions(extractor: Extractor, text: str, published: dt.date | None = APRIL_2025) -> list[Position]:
    return extractor.extract_text(text, published=published).positions


def tuples(found: list[Position]) -> set[tuple[str, str, str, tuple[str, ...]]]:
    return {(p.actor, p.kind, p.subject, p.labels) for p in found}


# -- the seed article ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_positions(extractor: Extractor, repo_root) -> list[Position]:
    title, _, body = (repo_root / "seeds" / "sample-article.txt").read_text(encoding="utf-8").partition("\n")
    document = Document(id="seed", title=title, text=body.strip(),
                        published=dt.datetime(2025, 4, 15, tzinfo=dt.timezone.utc))
    return next(extractor.extract([document])).positions


def test_seed_lists_the_us_ceasefire_conditions(seed_positions: list[Position]) -> None:
    found = tuples(seed_positions)
    assert ("us", "condition", "negotiations", ("ceasefire",)) in found
    assert ("us", "condition", "sanctions_relief", ("ceasefire",)) in found
    assert ("us", "condition", "peace_agreement", ("ceasefire",)) in found
    assert ("us", "condition", "economic_partnership", ("ceasefire",)) in found


def test_seed_attributes_quotes_to_the_spokesperson(seed_positions: list[Position]) -> None:
    quoted = [p for p in seed_positions if "massacre stops" in p.sentence]
    assert quoted and all(p.speaker == "Tammy Bruce" and p.quote for p in quoted)
    she_said = [p for p in seed_positions if "she asserted" in p.sentence]
    assert she_said and all(p.speaker == "Tammy Bruce" for p in she_said)


def test_seed_analyst_paragraph_yields_nothing(seed_positions: list[Position]) -> None:
    assert seed_positions
    assert not [p for p in seed_positions if "Thompson" in p.sentence or "critical precedent" in p.sentence]
    assert not [p for p in seed_positions if "insistence by the United States" in p.sentence]
    assert {p.actor for p in seed_positions} == {"us"}


def test_position_json_has_the_contract_fields(seed_positions: list[Position]) -> None:
    data = seed_positions[0].to_json()
    for key in ("actor", "speaker", "kind", "subject", "requires", "negated", "hedged", "reported", "quote", "sentence"):
        assert key in data
    assert isinstance(data["requires"], list)


# -- condition shapes, in fresh sentences ---------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("“Kyiv will not sign a peace treaty until every Russian soldier has left,” Zelensky said.",
     ("ukraine", "condition", "peace_agreement")),
    ("Lavrov said Moscow would not accept a truce without guarantees that NATO will not expand.",
     ("russia", "condition", "ceasefire")),
    ("The Kremlin said sanctions relief was a precondition for any talks.",
     ("russia", "condition", "negotiations")),
    ("Rubio said weapons deliveries to Kyiv would depend on progress in the talks.",
     ("us", "condition", "military_aid")),
    ("Kallas said the EU would lift sanctions only if Russia withdraws its troops.",
     ("eu", "condition", "sanctions_relief")),
    ("“As soon as the guns fall silent, negotiations will begin,” Peskov said.",
     ("russia", "condition", "negotiations")),
])
def test_condition_shapes(extractor: Extractor, text: str, expected: tuple[str, str, str]) -> None:
    found = {(p.actor, p.kind, p.subject) for p in positions(extractor, text) if p.labels}
    assert expected in found


def test_requirement_without_a_topic_keeps_the_texts_own_words(extractor: Extractor) -> None:
    found = positions(extractor, "Zelensky said there could be no peace deal without the return of abducted children.")
    assert [(p.subject, p.labels) for p in found] == [("peace_agreement", ("return of abducted children",))]
    assert found[0].requires[0].words == "return of abducted children"


# -- other kinds --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, kind, subject", [
    ("Kallas called for an immediate ceasefire.", "demand", "ceasefire"),
    ("Zelensky rejected any territorial concessions.", "refusal", "territorial_concessions"),
    ("The Kremlin said it was ready to hold talks with Kyiv.", "offer", "negotiations"),
    ("Trump warned of new sanctions on Moscow.", "threat", "sanctions"),
])
def test_other_kinds(extractor: Extractor, text: str, kind: str, subject: str) -> None:
    assert (kind, subject) in {(p.kind, p.subject) for p in positions(extractor, text)}


# -- flags --------------------------------------------------------------------------------------------------


def test_negated_when_a_requirement_is_dropped(extractor: Extractor) -> None:
    found = positions(extractor, "“Talks can begin without a ceasefire,” Witkoff said.")
    assert [(p.subject, p.labels, p.negated) for p in found] == [("negotiations", ("ceasefire",), True)]


def test_no_longer_requires_is_negated(extractor: Extractor) -> None:
    found = positions(extractor, "Rubio said sanctions relief no longer requires a ceasefire.")
    assert [(p.subject, p.negated) for p in found] == [("sanctions_relief", True)]


def test_hedged(extractor: Extractor) -> None:
    found = positions(extractor, "Vance said the United States could perhaps ease sanctions if Russia agrees to a truce.")
    assert found and all(p.hedged for p in found)


def test_hypothetical(extractor: Extractor) -> None:
    found = positions(extractor, "Kallas said that if Russia were to withdraw its troops, the EU would lift sanctions.")
    assert found and all(p.hypothetical for p in found)


def test_reported_position_belongs_to_the_actor_it_is_told_about(extractor: Extractor) -> None:
    found = positions(extractor, "Witkoff said the Kremlin insists that any ceasefire depends on an end to arms supplies.")
    assert [(p.actor, p.speaker, p.reported) for p in found] == [("russia", "Steve Witkoff", True)]


# -- attribution ---------------------------------------------------------------------------------------------


def test_quote_spanning_sentences_with_speaker_after(extractor: Extractor) -> None:
    text = ("Sybiha met reporters in Brussels. “The talks were useful. But there will be no agreement "
            "without security guarantees,” he said.")
    found = positions(extractor, text)
    assert [(p.actor, p.speaker, p.subject) for p in found] == [("ukraine", "Andrii Sybiha", "peace_agreement")]


def test_titled_official_of_an_actor(extractor: Extractor) -> None:
    found = positions(extractor, "Ukraine's defence minister said there would be no talks until Russia stops its offensive.")
    assert {p.actor for p in found} == {"ukraine"}


def test_person_outside_their_role_dates_is_not_the_actor(extractor: Extractor) -> None:
    text = "Blinken said there can be no negotiations without a ceasefire."
    assert {p.actor for p in positions(extractor, text, published=dt.date(2024, 3, 1))} == {"us"}
    assert positions(extractor, text, published=dt.date(2025, 6, 1)) == []


@pytest.mark.parametrize("text", [
    "Analysts say any peace agreement will depend on a durable ceasefire.",
    "“Moscow will not negotiate until sanctions are lifted,” said Anna Smith, a researcher at Chatham House.",
    "Some commentators believe that sanctions relief hinges on a ceasefire.",
    "In 2022, the Kremlin said there would be no talks until Kyiv accepted neutrality.",
    "A Russian missile strike on Sumy killed 35 people, Ukrainian officials said.",
    "If you listen to Lavrov carefully, Moscow will only negotiate once sanctions are lifted, a former diplomat said.",
    "“If the Kremlin rejects the proposal, then we will know who stands in the way of peace,” Rubio said.",
    "“There will be no deal until there is a deal,” Trump told reporters.",
])
def test_sentences_that_yield_no_condition(extractor: Extractor, text: str) -> None:
    assert [p for p in positions(extractor, text) if p.labels] == []


def test_extract_keeps_document_order_and_ids(extractor: Extractor) -> None:
    docs = [Document(id=f"d{i}", text=text) for i, text in enumerate([
        "Kallas called for an immediate ceasefire.",
        "The weather in Kyiv was mild.",
        "Zelensky rejected any territorial concessions.",
    ])]
    results = list(extractor.extract(docs))
    assert [r.document_id for r in results] == ["d0", "d1", "d2"]
    assert [len(r.positions) > 0 for r in results] == [True, False, True]


def test_unnamed_official_of_an_actor_speaks_for_it(extractor: Extractor) -> None:
    text = ("A senior US official, speaking on condition of anonymity, said sanctions relief would not be "
            "considered until Russia accepted a truce.")
    found = positions(extractor, text)
    assert [(p.actor, p.speaker, p.subject, p.labels) for p in found] == [
        ("us", "A senior US official", "sanctions_relief", ("ceasefire",))]


def test_offer_with_only_if_is_a_condition_on_the_offer(extractor: Extractor) -> None:
    found = positions(extractor, "Putin said Russia is ready for talks, but only if the West stops supplying weapons to Kyiv.")
    assert [(p.actor, p.kind, p.subject) for p in found] == [("russia", "condition", "negotiations")]
    assert found[0].labels == ("no military_aid",)   # the West stops its weapons deliveries


# -- general mechanisms: negation, subject choice, coordinated requirements, titles ----------------------------


def test_can_begin_without_is_a_dropped_requirement(extractor: Extractor) -> None:
    found = positions(extractor, "The State Department said on Sunday that talks with Russia can begin without a ceasefire.")
    assert [(p.actor, p.subject, p.labels, p.negated) for p in found] == [("us", "negotiations", ("ceasefire",), True)]


def test_no_longer_insists_on_y_before_x(extractor: Extractor) -> None:
    found = positions(extractor, "Rubio said Washington no longer insists on a ceasefire before negotiations.")
    assert [(p.kind, p.subject, p.labels, p.negated) for p in found] == [
        ("condition", "negotiations", ("ceasefire",), True)]


def test_insisting_on_y_before_x_is_a_condition_and_a_demand(extractor: Extractor) -> None:
    found = positions(extractor, "The United States insists on a ceasefire before any negotiations, Rubio said.")
    assert tuples(found) == {("us", "condition", "negotiations", ("ceasefire",)), ("us", "demand", "ceasefire", ())}


def test_coordinated_requirement_clauses_are_named_apart(extractor: Extractor) -> None:
    found = positions(extractor, "Zelensky said Ukraine would hold elections only after the war ends and martial law is lifted.")
    assert [set(p.labels) for p in found] == [{"peace_agreement", "martial law lifted"}]   # the war ending is its settlement


def test_coordinator_is_never_the_subject(extractor: Extractor) -> None:
    text = ("“We support the efforts for a ceasefire,” Kallas said, “but only if it includes a complete Russian "
            "withdrawal and an end to the attacks on civilians.”")
    assert [(p.subject, p.labels) for p in positions(extractor, text)] == [
        ("ceasefire", ("end attacks on civilians", "troop_withdrawal"))]


def test_troops_staying_until_y_conditions_their_withdrawal(extractor: Extractor) -> None:
    found = positions(extractor, "Zelensky said Ukrainian troops would remain in the Kursk region until Russia agrees to a ceasefire.")
    assert [(p.subject, p.labels) for p in found] == [("troop_withdrawal", ("ceasefire",))]


def test_accepting_verb_gives_way_to_its_object(extractor: Extractor) -> None:
    found = positions(extractor, "Ukraine will not agree to any new talks until Russia commits to a complete withdrawal, "
                                 "Zelensky said in Kyiv on Tuesday.")
    assert [(p.subject, p.labels) for p in found] == [("negotiations", ("troop_withdrawal",))]


def test_unlisted_official_titled_as_the_actors_speaks_for_it(extractor: Extractor) -> None:
    found = positions(extractor, "Russian Foreign Ministry spokeswoman Anna Ivanova said Moscow rejected the idea of "
                                 "European peacekeepers.")
    assert [(p.actor, p.kind, p.subject, p.speaker) for p in found] == [
        ("russia", "refusal", "security_guarantees", "Anna Ivanova")]


def test_second_requirement_hung_on_exchange_is_kept(extractor: Extractor) -> None:
    found = positions(extractor, "Kallas said the EU would lift sanctions only in exchange for a ceasefire and a full "
                                 "Russian pullout from Ukraine.")
    assert [(p.subject, p.labels) for p in found] == [("sanctions_relief", ("ceasefire", "troop_withdrawal"))]


def test_a_year_inside_a_requirement_is_no_recap(extractor: Extractor) -> None:
    found = positions(extractor, "Zelensky said there would be no peace deal without a return to the 1991 borders.")
    assert [p.subject for p in found] == ["peace_agreement"]


def test_only_when_is_a_condition(extractor: Extractor) -> None:
    found = positions(extractor, "Sanctions will only be lifted when Russia pulls its troops out of Ukraine, Kallas said.")
    assert tuples(found) == {("eu", "condition", "sanctions_relief", ("troop_withdrawal",))}


def test_any_deal_must_include_y_is_a_condition(extractor: Extractor) -> None:
    found = positions(extractor, "The Kremlin said any peace deal must include recognition of Russian sovereignty over Crimea.")
    assert [(p.actor, p.kind, p.subject) for p in found] == [("russia", "condition", "peace_agreement")]


def test_a_demand_named_with_its_owner_is_the_owners(extractor: Extractor) -> None:
    found = positions(extractor, "Zelensky dismissed Putin's demand that Ukrainian forces withdraw from four regions.")
    assert {(p.actor, p.kind, p.subject, p.reported) for p in found} == {
        ("ukraine", "refusal", "troop_withdrawal", False), ("russia", "demand", "troop_withdrawal", True)}


def test_have_to_or_else_passes_the_gate(extractor: Extractor) -> None:
    found = positions(extractor, "Trump said: “They know they have to move quickly or something bad is going to happen "
                                 "to Russia.”")
    assert [(p.actor, p.kind) for p in found] == [("us", "threat")]


def test_provided_that_hung_on_the_object(extractor: Extractor) -> None:
    found = positions(extractor, "Kallas said the EU would lift sanctions provided that Russia also halts its attacks.")
    assert [(p.subject, p.labels) for p in found] == [("sanctions_relief", ("Russia halts attacks",))]


@pytest.mark.parametrize("text", [
    "Talks can start provided that Ukraine withdraws its troops, Peskov said.",
    "Peskov said that talks could resume provided that Kyiv pulls its troops out of the four regions.",
])
def test_provided_that_with_x_s_verb_taken_for_an_auxiliary(extractor: Extractor, text: str) -> None:
    # the parser hangs "talks can start" on "provided" as if "start" were its auxiliary
    assert tuples(positions(extractor, text)) == {("russia", "condition", "negotiations", ("troop_withdrawal",))}


def test_only_y_will_x(extractor: Extractor) -> None:
    found = positions(extractor, "Only a full ceasefire can open the way to negotiations, Zelensky said.")
    assert tuples(found) == {("ukraine", "condition", "negotiations", ("ceasefire",))}


# -- general shapes added for real statements ------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Rubio said: “Nothing is final until everything is final.”", ("us", "condition", "final", ("everything final",))),
    ("Rubio said: “Any support will have to be earned.”", ("us", "condition", "support", ("earned",))),
    ("The State Department said a peace deal is impossible without a full ceasefire.",
     ("us", "condition", "peace_agreement", ("ceasefire",))),
    ("The Kremlin said a ceasefire was out of the question until Ukraine abandons its NATO bid.",
     ("russia", "condition", "ceasefire", ("no nato_membership",))),
    ("Zelensky said there can be no negotiations without Ukraine at the table and without a full ceasefire.",
     ("ukraine", "condition", "negotiations", ("Ukraine", "ceasefire"))),
    ("Rubio said the peace agreement is conditional on Russia ending its strikes.",
     ("us", "condition", "peace_agreement", ("Russia ending strikes",))),
    ("Lavrov said talks could resume, but Kyiv must first recognise the new borders.",
     ("russia", "condition", "negotiations", ("Kyiv recognise new borders",))),
    ("Zelensky said the war will end when Russia withdraws its troops.",
     ("ukraine", "condition", "peace_agreement", ("troop_withdrawal",))),   # the war ending is its settlement
    ("Rubio said the implementation of an agreement – should one be reached – requires the cooperation of Russia.",
     ("us", "condition", "peace_agreement", ("cooperation of Russia",))),
    ("The EU said it will not lift sanctions on Russia as long as the war continues.",
     ("eu", "condition", "sanctions_relief", ("ceasefire",))),   # the war's end
    ("Rubio said the United States will not support a government that harbours terrorists.",
     ("us", "condition", "support government", ("end of harbours terrorists",))),
])
def test_more_condition_shapes(extractor: Extractor, text: str, expected: tuple) -> None:
    assert expected in tuples(positions(extractor, text))


def test_not_x_while_y_requires_the_end_of_y(extractor: Extractor) -> None:
    found = positions(extractor, "Rubio said: “We don't believe that Ukraine should lift martial law while Russia "
                                 "still occupies its territory.”")
    assert [p.labels for p in found if p.kind == "condition"] == [("end of Russia occupies territory",)]


@pytest.mark.parametrize("text", [
    "Rubio said the United States will not rest until every hostage is returned home.",
    "Rubio said he would travel to Kyiv when the talks resume next week.",
    "While we support the talks, we will not accept a deal that rewards Russia, Rubio said.",
    "The White House said it would not comment while the investigation continues.",
])
def test_vows_plans_and_contrasts_are_no_conditions(extractor: Extractor, text: str) -> None:
    assert not [p for p in positions(extractor, text) if p.labels and not p.negated]


def test_negated_and_affirmed_conditions_of_one_subject_stay_apart(extractor: Extractor) -> None:
    found = positions(extractor, "Zelensky said a peace deal does not depend on Western approval, insisting that only "
                                 "military strength would secure it.")
    negated = {p.labels for p in found if p.negated}
    assert negated and all(not (set(r) & {"military strength"}) for r in negated)


# -- an if-clause hung on a judgement, a threat or a promise ---------------------------------------------------


def test_a_judgement_with_an_if_clause_states_no_condition(extractor: Extractor) -> None:
    found = positions(extractor, "If the delegations agree to meet again, Minsk would be a convenient venue for the "
                                 "talks, Kremlin spokesman Dmitry Peskov said.")
    assert not [p for p in found if p.kind == "condition"]


def test_harm_judged_greater_if_not_obeyed_is_a_threat(extractor: Extractor) -> None:
    found = positions(extractor, "Russia must now withdraw its troops from Ukraine, President Trump said. "
                                 "If they do not, the strikes on Russian oil will be far heavier.")
    assert [p for p in found if p.actor == "us" and p.kind in ("threat", "condition")]


def test_the_speakers_own_conduct_judged_with_an_if_clause_is_a_position(extractor: Extractor) -> None:
    found = positions(extractor, "If Moscow agrees to a ceasefire, we will be very generous on sanctions relief, "
                                 "Secretary of State Marco Rubio said.")
    assert [p for p in found if p.actor == "us"]


# -- conditions that read as offers, or were read as nothing ----------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    # "is prepared for talks" parsed as a passive verb is still a readiness, and the readiness waits for Y
    ("Kyiv is prepared for negotiations as soon as Moscow withdraws its troops, the foreign minister said.",
     ("ukraine", "negotiations")),
    ("Russia is ready for talks provided that the West accepts the new borders, Lavrov said.",
     ("russia", "negotiations")),
    ("Ukraine will be ready to attend a summit when Russia ends its shelling of cities, Zelensky said.",
     ("ukraine", "summit")),
    # "let X happen if Y" is a condition, not a promise to tell
    ("Russia would let the grain ships leave if Ukraine cleared the mines from its ports, Peskov said.",
     ("russia", None)),
    # "first Y – then X" as two clauses of one speech verb
    ("Zelensky said that first Russia must stop shelling power plants – then Ukraine is ready to talk.",
     ("ukraine", "negotiations")),
    # Y named by the noun a relative clause is on
    ("The EU wants a full truce, which Kallas said must be the first step to a peace settlement.",
     ("eu", "peace_agreement")),
    ("Peskov said there will be no ceasefire until the moment when Ukraine pulls its forces out of Donbas.",
     ("russia", "ceasefire")),
    ("Brussels said accession talks will open pending the remaining judicial reforms.",
     ("eu", "eu_accession")),
    # the speaker's own act that waits for Y
    ("“We will lift the sanctions when Russia withdraws from the occupied regions,” Kallas said.",
     ("eu", "sanctions_relief")),
])
def test_conditions_on_a_readiness_a_permission_or_a_sequence(extractor: Extractor, text: str,
                                                              expected: tuple[str, str | None]) -> None:
    actor, subject = expected
    conditions = [p for p in positions(extractor, text) if p.kind == "condition" and p.labels and p.actor == actor]
    assert conditions and (subject is None or subject in {p.subject for p in conditions})


def test_only_possible_without_y_requires_y_not_to_happen_rather_than_dropping_it(extractor: Extractor) -> None:
    found = [p for p in positions(extractor, "Any dialogue is only possible without ultimatums, Zelensky said.")
             if p.kind == "condition"]
    assert [(p.subject, p.negated) for p in found] == [("negotiations", False)]
    dropped = [p for p in positions(extractor, "Talks can begin without a ceasefire, Peskov said.") if p.kind == "condition"]
    assert [p.negated for p in dropped] == [True]


@pytest.mark.parametrize("text", [
    "Ukraine was ready to talk when Russia attacked in February, Zelensky said.",   # a past readiness
    "“We will let you know if the Kremlin answers,” Rubio said.",                  # telling, not conditioning
    "“We will fly to Riyadh when the delegations meet next week,” Rubio said.",     # a plan with a date
    "“I will tell you when I know more,” Peskov said.",
])
def test_readiness_and_permission_that_condition_nothing(extractor: Extractor, text: str) -> None:
    assert [p for p in positions(extractor, text) if p.kind == "condition"] == []


def test_a_pronoun_that_is_the_condition_names_the_sentence_before(extractor: Extractor) -> None:
    found = positions(extractor, "“Kyiv must stop the attacks on Kursk,” Peskov said. “That would be the first step "
                                 "towards a ceasefire.”")
    conditions = [p for p in found if p.kind == "condition"]
    assert [(p.actor, p.subject) for p in conditions] == [("russia", "ceasefire")]
    assert "Kursk" in conditions[0].labels[0]
    asked = positions(extractor, "“Kyiv must stop the attacks on Kursk,” Peskov said. “Is that the first step towards "
                                 "a ceasefire?”")
    assert not [p for p in asked if p.kind == "condition"]


@pytest.mark.parametrize("text, expected", [
    ("Russia will agree to a ceasefire only if Ukraine withdraws its troops from Donbas, the Kremlin declared on "
     "Tuesday.", ("russia", "ceasefire", "troop_withdrawal")),
    ("Washington will lift the sanctions only when Moscow ends the war, the State Department declared on Monday.",
     ("us", "sanctions_relief", "peace_agreement")),
])
def test_a_trailing_speech_verb_the_parser_hangs_under_the_condition(extractor: Extractor, text: str,
                                                                    expected: tuple[str, str, str]) -> None:
    # the model hangs "…, the Kremlin declared" under X's verb and Y under "declared": what was said is still X
    actor, subject, requirement = expected
    assert (actor, "condition", subject, (requirement,)) in tuples(positions(extractor, text))
