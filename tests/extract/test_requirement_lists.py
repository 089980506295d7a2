"""A condition with several requirements names each: a list after a dash or colon, an enumeration over the
sentences that follow ("First, … Second, …"), and a second clause the parser hung on the conditioned verb."""

from __future__ import annotations

import pytest

from bot.extract import Extractor


def _condition(extractor: Extractor, text: str) -> tuple[str, set[str]]:
    found = [p for p in extractor.extract_text(text).positions if p.kind == "condition"]
    assert len(found) == 1, found
    return found[0].subject, set(found[0].labels)


def test_a_second_requirement_hung_on_the_conditioned_verb_is_still_required(extractor: Extractor) -> None:
    subject, required = _condition(
        extractor, "Peskov said that talks can start only if Kyiv withdraws its troops and drops its bid to join NATO.")
    assert subject == "negotiations"
    assert required == {"troop_withdrawal", "no nato_membership"}


@pytest.mark.parametrize(("text", "subject", "required"), [
    pytest.param("Lavrov said Russia would agree to a ceasefire on four conditions -- the withdrawal of Ukrainian "
                 "troops from the four regions, neutrality, demilitarisation and the lifting of sanctions.",
                 "ceasefire", {"troop_withdrawal", "no nato_membership", "sanctions_relief"}, id="after a dash"),
    pytest.param("Zelensky said Ukraine would sign a peace deal on the following terms: security guarantees, the "
                 "return of the deported children and an exchange of all prisoners.", "peace_agreement",
                 {"security_guarantees", "return of deported children", "exchange of prisoners"}, id="after a colon"),
    pytest.param('"We will agree to a truce only if three things happen. First, Russia stops the strikes on our '
                 'energy. Second, the prisoners are exchanged. Third, the children come home," Sybiha said.',
                 "ceasefire", {"Russia stops strikes on energy", "prisoners exchanged", "children come home"},
                 id="enumerated over the next sentences"),
    pytest.param('"Kyiv will join the talks only if two things are done. First, the shelling of our cities stops. '
                 'And second, the deported children are returned," Yermak said.', "negotiations",
                 {"shelling of cities stops", "deported children returned"}, id="an enumeration closed with and"),
])
def test_a_list_of_requirements_gives_one_per_item(extractor: Extractor, text: str, subject: str,
                                                   required: set[str]) -> None:
    assert _condition(extractor, text) == (subject, required)


def test_the_conditions_a_peace_is_offered_on_are_no_part_of_its_name(extractor: Extractor) -> None:
    text = ("Shoigu said Moscow offered Kyiv a peace on three conditions -- the withdrawal of Ukrainian troops, "
            "neutrality and the lifting of sanctions.")
    subject, required = _condition(extractor, text)
    assert subject == "peace_agreement"
    assert required == {"troop_withdrawal", "no nato_membership", "sanctions_relief"}


def test_sentences_after_a_condition_that_are_no_enumeration_are_not_required(extractor: Extractor) -> None:
    subject, required = _condition(
        extractor, '"We will agree to a truce only if Russia stops the strikes on our energy. The talks resume on '
                   'Monday. Our delegation is ready," Sybiha said.')
    assert subject == "ceasefire"
    assert required == {"Russia stops strikes on energy"}


@pytest.mark.parametrize(("text", "subject"), [
    ('"If Moscow agrees, it would open the way to a summit of the leaders," Rubio said.', "summit of leaders"),
    ('"Once the Council approves the plan, this would pave the way for Ukraine to receive the first tranche," '
     'Dombrovskis said.', "receive tranche"),
])
def test_what_a_condition_opens_the_way_to_is_what_is_conditioned(extractor: Extractor, text: str,
                                                                 subject: str) -> None:
    assert _condition(extractor, text)[0] == subject


def test_an_ordinal_that_tells_which_part_stays_in_the_requirement(extractor: Extractor) -> None:
    _, required = _condition(extractor, "Umerov said Ukraine will sign the deal only if Russia finishes the first "
                                        "stage of the exchange.")
    assert any("first stage" in r for r in required), required


def test_a_cue_the_parser_took_for_an_adverb_still_parts_x_from_y(extractor: Extractor) -> None:
    # "once" parsed as an adverb of "take place": X is the exchange, not the speech verb above it
    subject, required = _condition(extractor, "Umerov says the prisoner exchange in Ukraine will take place only "
                                              "once a ceasefire with Russia is secured and full monitoring is in place.")
    assert subject == "prisoner exchange in Ukraine"
    assert "ceasefire" in required


def test_if_this_happens_requires_what_the_sentence_before_says(extractor: Extractor) -> None:
    text = ('"Kyiv must hand over the captured soldiers and lift the blockade of the port. If this happens, we will '
            'agree to a truce," Peskov said.')
    subject, required = _condition(extractor, text)
    assert subject == "ceasefire"
    assert required == {"hand over captured soldiers"}


def test_the_actor_a_condition_is_for_is_not_what_it_conditions(extractor: Extractor) -> None:
    text = "Asked about the truce, Peskov said the pullout of Ukrainian forces from Zaporizhzhia remains a key " \
           "condition for Moscow."
    assert _condition(extractor, text) == ("ceasefire", {"troop_withdrawal"})
