"""Whose condition a sentence states: hard negatives that must stay silent (speakers nobody watches, claims and
forecasts about an actor, a newsroom's headline) and speakers carried from one sentence or the headline to the
next."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.extract import Extractor
from bot.extract.facts import Position
from bot.sources.document import Document

JUNE_2025 = dt.datetime(2025, 6, 10, 9, tzinfo=dt.timezone.utc)


def read(extractor: Extractor, text: str, title: str = "") -> list[Position]:
    return next(extractor.extract([Document(id="v", text=text, title=title, published=JUNE_2025)])).positions


def conditions(found: list[Position]) -> list[tuple[str, str | None]]:
    return [(p.actor, p.speaker) for p in found if p.kind == "condition"]


@pytest.mark.parametrize("title, text", [
    ("Diplomats doubt a truce is near",
     "Western diplomats believe the Kremlin will only negotiate when it runs out of soldiers."),
    ("Sources: Moscow could accept a freeze",
     "Russia could agree to freeze the front line if the West lifted sanctions on its banks, two people familiar "
     "with the Kremlin's thinking said, speaking on condition of anonymity."),
    ("Allies weigh Moscow's terms",
     "Western officials said Moscow would only accept a truce if it kept the land it had seized."),
    ("Polish PM: no peace until Russia is defeated",
     "Polish Prime Minister Donald Tusk spoke to reporters in Warsaw on Monday."),
    ("Kyiv urged to look ahead",
     "Ukrainian President Volodymyr Zelensky said Putin would only agree to talks when his economy started to "
     "collapse."),
    ("Allies plan guarantees after any deal: alliance chief",
     "Secretary General Mark Rutte said the alliance was designing guarantees. \"(Russian President Vladimir) "
     "Putin has to know that after a peace deal, if he will try to attack Ukraine again, the reaction will be "
     "devastating,\" he said."),
    ("Kyiv must give up land before any talks",
     "Negotiators met in Geneva for a second day, officials said."),
    ("Zelensky's week", "Zelensky will travel to Washington on Friday if the security situation allows, his office "
                        "said."),
    ("Delegation to fly", "If the weather permits, the delegation will fly to Istanbul tomorrow, Umerov said."),
    ("Trump and Putin to talk", "Trump said he would speak to Putin on Tuesday if the call could be arranged."),
    ("Kallas on Moscow", "EU foreign policy chief Kaja Kallas said Russia would only negotiate seriously when it "
                         "had consolidated a strong position on the battlefield."),
    ("Erdogan on the exchange", "\"This is a positive step,\" said the Turkish president, who added that if a peace "
                                "agreement is reached, Ukraine's territorial integrity must be respected."),
    ("Blinken on talks", "Secretary of State Antony Blinken said Kyiv would decide. If Putin shows any interest in "
                         "seriously engaging in negotiations, Ukraine will respond appropriately, Blinken said."),
    ("Kyiv reads Moscow's mood", "Moscow may agree to sign a peace treaty if Kyiv accepts neutral status, the "
                                 "Ukrainian foreign minister said."),
    ("Rubio on a pause", "\"If there is a ceasefire now, it will give Putin time to rest and rearm,\" Rubio said."),
    ("Bessent on the economy", "\"If the US and Europe add new sanctions, the Russian economy will collapse,\" "
                               "Bessent said."),
    ("Think tank on the talks", "Dmitry Peskov said on Monday that the Kremlin was studying the plan. Quote from ISW: "
                                "\"Russia will come to the negotiating table only after the West stops arming Kyiv.\""),
    # after a speaker's words in quotes, the next sentence outside them is the newsroom's explanation
    ("Zelensky on the deal", "\"We have done our part, and now we wait for our partners to name a date,\" Zelensky "
                             "told reporters in Kyiv. Once ratified by both parliaments, the treaty would only enter "
                             "into force after a referendum."),
    # a report's account of what someone called a condition, named as such in the next sentence
    ("Kremlin terms", "Putin described a halt to Western arms deliveries as a necessary condition for any truce. The "
                      "Financial Times writes about this, citing two officials briefed on the talks."),
    # a headline naming no speaker over a story told according to a report sums up the report
    ("Putin open to a pause, but only if Kyiv drops its NATO bid",
     "Russia is ready to discuss a pause in the fighting, provided that Kyiv drops its NATO ambitions, according to "
     "a report by Reuters. The proposal was passed on at talks in Riyadh."),
    # what a country nobody watches will do is a forecast, not a term the speaker sets
    ("Talks venue", "Turkey will host a new round of talks only if both sides agree to a prisoner exchange first, "
                    "Rubio said on Thursday."),
    # forecasts of how things will go, about nothing in particular
    ("Envoy on the summit", "\"Nothing is going to happen until the two presidents sit down together,\" Witkoff "
                            "told reporters."),
    ("Envoy on the summit", "\"We will finish the draft by Friday. Then everything will be ready for the leaders' "
                            "meeting,\" Rubio said."),
    # a headline's own verb names the speaker, but in the story only someone nobody watches speaks: its summary
    ("EU vows to keep sanctions on Russia until the war ends",
     "French President Emmanuel Macron said on Thursday that the time to ease sanctions on Moscow had not come. He "
     "added that the leaders of 27 nations agreed to wait for a lasting peace."),
    # in a transcript, what the speaker says another actor will do is the speaker's account, not that actor's term
    ("Rubio: the choice is Kyiv's", "We will keep supporting Ukraine whatever it decides. If Moscow makes a serious "
                                    "offer, Ukraine will respond in kind, but we see no such offer today."),
    # "he" after a name the model could not type is that person, not the headline's speaker
    ("Podolyak says the ball is in Moscow's court",
     "Lindqvist believes that the parties could build on the success of the grain deal. \"It was a mistake to "
     "reject talks,\" he said and noted that it would not be possible to end the conflict without negotiations."),
    # "he" after an unwatched speaker is that speaker, not the person he spoke of
    ("UK leader on the mission",
     "Asked about the mission, Sir Keir said it was meant to deter Mr Putin from attacking again. He added: \"Any "
     "peace deal will require the support of the United States.\""),
    # a force of several countries named after the country it would serve is not that country
    ("Ukraine peacekeeping force ready to move in after truce",
     "Troops from France and Britain would be placed in Ukraine under the plans."),
    # what a step would bring about judges it, and what would have happened in the past sets no terms
    ("Washington on the bid", "If Ukraine joined the alliance tomorrow, it would mean a direct war with Moscow, a "
                              "senior US official said."),
    ("Kremlin on Europe", "Peskov argued that without European backing, Kyiv would have pursued negotiations "
                          "instead of war."),
    # a commentator's "if Ukraine wants X, it must Y", told by no one: a term laid on Ukraine, not Ukraine's own
    ("Moscow's red lines", "Moscow might accept a freeze along the southern front, but not in the east. If Ukraine "
                           "wants the fighting to stop, it must hand over the rest of the Donbas."),
    # the newsroom's guess, and the terms an actor has to meet, are no position of that actor
    ("Accession timetable", "In order to ensure that Ukraine meets the conditions that are still open, it would "
                            "probably be agreed to make the next steps of the talks dependent on this."),
    ("Sanctions outlook", "Washington will probably not lift sanctions until Russia withdraws its troops."),
    # "facilities subject to a truce" are the ones it would cover
    ("Energy truce list", "Zelensky said Kyiv would draw up a list of facilities subject to a possible partial "
                          "ceasefire."),
    # "if I were them" supposes what is not; "if he did the right thing" asks for nothing in particular
    ("Lavrov on the formula", "\"If I were the people who care about their reputation, I would stop mentioning this "
                              "formula,\" Lavrov said."),
    ("White House on the war", "\"The war could end tomorrow if Mr. Putin would just do the right thing,\" Leavitt "
                               "said on Friday."),
    # "Then, in an interview, he stated …" is the story's sequence of events
    ("Treasury on sanctions", "\"We are going to announce a big new package of sanctions this afternoon,\" Bessent "
                              "said on Friday. Then, in an interview with Fox News, Bessent stated that he is not "
                              "going to reveal the exact sanctions."),
    # the issues a summit went through set no terms
    ("Envoy on the summit", "Witkoff said the two leaders addressed almost all of the issues necessary for a peace "
                            "agreement."),
    # what a body nobody watches decided or agreed is its decision, whoever the clause is about
    ("Allies on the bid", "At their summit in the Baltic capital, the allies decided that Ukraine could join the "
                          "alliance once certain requirements were met."),
    ("G7 on the loan", "G7 leaders agreed that Ukraine could receive the loan once its reforms were completed."),
    # a duration is no term: "as long as needed"
    ("Brussels on sanctions", "Kallas said the EU will maintain its sanctions as long as needed."),
    # out of office, or in a parliament, an official speaks for no government we watch
    ("Envoy looks back", "According to the former U.S. ambassador to Moscow, Putin could agree to a truce if losses "
                         "at the front forced him to pause."),
    ("Moscow lawmaker on talks", "Talks will only be possible after Kyiv changes its leadership, a Russian senator "
                                 "told the agency."),
    # what the requirement would be is left unsaid, or is a circumstance or a date
    ("Kremlin on a call", "A call between the two leaders will be arranged quickly if the need arises, Peskov said."),
    ("White House on pressure", "There are further measures the president can take if he has to, Leavitt said."),
    ("Biden on sanctions", "\"After a month we will still sustain what we are doing,\" Biden told reporters."),
    # how long talks last is a schedule, not a term
    ("Talks resume", "The duration of the new round of talks will depend on their progress, Peskov said."),
    # what the speaker expects to learn, not a term
    ("Rubio on secrecy", "\"Progress is probably not going to be known until we really have a breakthrough,\" Rubio "
                         "told reporters."),
])
def test_a_condition_nobody_watched_states_stays_silent(extractor: Extractor, title: str, text: str) -> None:
    assert conditions(read(extractor, text, title=title)) == []


def test_an_occasion_named_after_its_guests_is_told_by_the_headline_speaker(extractor: Extractor) -> None:
    found = read(extractor, "The Kremlin spoke on Sunday.",
                 title="Kremlin says a Trump-Putin summit requires careful preparation")
    assert conditions(found) and all(actor == "russia" for actor, _ in conditions(found))


@pytest.mark.parametrize("text", [
    "Defence Minister Rustem Umerov said the swap requires coordinated work by all state bodies.",
    "Peskov said the settlement requires patience and careful work.",
    "Sybiha said the talks will require patience and a lot of coordination.",
])
def test_the_work_a_process_takes_is_no_term_and_no_demand(extractor: Extractor, text: str) -> None:
    assert read(extractor, text) == []


def test_a_process_noun_with_a_purpose_of_its_own_is_a_requirement(extractor: Extractor) -> None:
    found = read(extractor, "Kallas said that Ukraine's accession will require continued efforts to root out "
                            "corruption in the courts.")
    assert [(p.actor, p.subject, p.labels) for p in found if p.kind == "condition"] == [
        ("eu", "accession", ("continued efforts root out corruption in courts",))]


def test_a_word_of_duration_with_a_subject_of_its_own_is_a_requirement(extractor: Extractor) -> None:
    # "as long as needed" is a duration; "Kyiv needed guarantees first" names what is needed
    found = read(extractor, "Sybiha said Kyiv needed security guarantees first and that a peace deal could be "
                            "signed only afterwards.")
    assert [(p.actor, p.subject, p.labels) for p in found if p.kind == "condition"] == [
        ("ukraine", "peace_agreement", ("security_guarantees",))]


def test_a_great_deal_of_work_is_no_deal(extractor: Extractor) -> None:
    found = read(extractor, "\"A great deal of work must be done before the leaders can meet,\" Peskov said.")
    assert found and all("peace_agreement" not in (p.subject, *p.labels) for p in found)


def test_a_speaker_named_before_goes_on_in_the_next_sentence(extractor: Extractor) -> None:
    text = ("European Commission President Ursula von der Leyen presented the loan in Brussels. She emphasized that "
            "the mechanism would not confiscate Russian assets. Ukraine will be obliged to repay this loan only when "
            "Russia pays it reparations.")
    assert conditions(read(extractor, text)) == [("eu", "Ursula von der Leyen")]


def test_the_headline_speaker_owns_the_headline_whoever_its_subject(extractor: Extractor) -> None:
    found = read(extractor, "The minister spoke on television on Monday.",
                 title="Sybiha: if Russia really wants peace, it must stop firing now")
    assert [(p.actor, p.speaker) for p in found] and all(p.actor == "ukraine" for p in found)


def test_a_headline_by_its_own_verb_stands_when_a_watched_speaker_tells_the_story(extractor: Extractor) -> None:
    found = read(extractor, "Kaja Kallas said on Thursday that the time to ease sanctions on Moscow had not come.",
                 title="EU vows to keep sanctions on Russia until the war ends")
    assert [actor for actor, _ in conditions(found)] == ["eu"]


def test_a_headline_without_a_full_stop_does_not_swallow_the_body(extractor: Extractor) -> None:
    text = "Costa said that Ukraine would receive the next tranche only if it completed the judicial reform."
    found = read(extractor, text, title="Ukraine's next tranche tied to reforms")
    assert conditions(found) == [("eu", "António Costa")]


def test_a_go_between_relays_the_party_it_met(extractor: Extractor) -> None:
    text = ("The Kremlin will only agree to a ceasefire if Kyiv withdraws its troops from Donetsk, mediators said "
            "after meeting the Russian delegation.")
    assert [actor for actor, _ in conditions(read(extractor, text))] == ["russia"]


def test_it_said_names_the_office_of_the_sentence_before(extractor: Extractor) -> None:
    text = ("The Kremlin issued a statement on Tuesday. It said talks could resume only after Kyiv lifted its ban "
            "on negotiations.")
    assert [actor for actor, _ in conditions(read(extractor, text))] == ["russia"]


@pytest.mark.parametrize("text, speaker", [
    ("Moscow is ready for negotiations only if the sanctions are lifted. Source: Dmitry Peskov on TASS.",
     ("russia", "Dmitry Peskov")),
    ("Washington will ease sanctions on Russian banks only after a ceasefire holds for a month. Source: US special "
     "envoy Steve Witkoff in an interview with CNN.", ("us", "Steve Witkoff")),
])
def test_a_source_line_names_the_speaker_of_the_sentence_before(extractor: Extractor, text: str,
                                                                 speaker: tuple[str, str]) -> None:
    assert conditions(read(extractor, text)) == [speaker]


def test_a_title_keeps_its_of_phrase(extractor: Extractor) -> None:
    text = "Kyiv will hold elections only after a ceasefire, the Ukrainian head of state said."
    assert conditions(read(extractor, text)) == [("ukraine", "the Ukrainian head of state")]


def test_a_forecast_about_a_watched_topic_still_states_a_condition(extractor: Extractor) -> None:
    text = "\"If Russia stops the strikes, it will be possible to resume talks,\" Rubio said."
    assert conditions(read(extractor, text)) == [("us", "Marco Rubio")]
    text = "\"A truce will happen only when Russian troops leave Ukrainian soil,\" Zelensky said."
    assert conditions(read(extractor, text)) == [("ukraine", "Volodymyr Zelensky")]


@pytest.mark.parametrize("text, speaker", [
    ("Peace talks are possible only if Kyiv gives up its bid to join NATO, the Kremlin declared on Friday.",
     ("russia", "Kremlin")),
    ("The White House said sanctions on Russian oil would stay until a ceasefire is agreed.", ("us", "White House")),
    ("Any reconstruction fund will depend on Ukraine meeting its reform targets, the European Commission insisted.",
     ("eu", "European Commission")),
    ("The State Department spoke on Friday. \"Sanctions relief will only come once Russian troops leave Ukraine,\" "
     "it said.", ("us", "State Department")),
    ("Moscow insists that a ceasefire requires a halt to Western arms deliveries.", ("russia", None)),
])
def test_an_office_speaks_for_its_actor_under_its_own_name(extractor: Extractor, text: str,
                                                          speaker: tuple[str, str | None]) -> None:
    assert speaker in conditions(read(extractor, text))


def test_a_truce_subject_to_the_other_side_accepting_it_is_a_condition(extractor: Extractor) -> None:
    found = read(extractor, "Sybiha said Kyiv would agree to a 30-day truce, subject to Russia's acceptance.")
    assert [(p.actor, p.subject) for p in found if p.kind == "condition"] == [("ukraine", "ceasefire")]


@pytest.mark.parametrize("title, text, actor, subject, required", [
    # a denial with "see" is no forecast of what will be learnt
    ("Kremlin on talks", "The Kremlin sees no point in talks until Kyiv lifts its ban on negotiations, Peskov said.",
     "russia", "negotiations", None),
    # a title nobody watches beside a listed official's name does not silence him
    ("Delegation head on talks", "The head of the delegation, MP Davyd Arakhamia, said Kyiv would resume talks only "
                                 "when Russian forces returned to their lines of February 23.", "ukraine",
     "negotiations", None),
    # a leaders' meeting is one subject however it is written
    ("Kremlin on a summit", "Peskov said a meeting between Putin and Zelensky could take place only once a proper "
                            "agenda is set.", "russia", "summit_meeting", None),
    ("Kremlin on a summit", "Peskov said a Putin-Zelensky summit is possible only after the delegations agree a "
                            "text.", "russia", "summit_meeting", None),
    # single curly quotes are speech too, and a text an office issues is that office's
    ("Zelensky in Kyiv", "Zelensky spoke to reporters in Kyiv. ‘We will only sit down with Russia once its troops "
                         "leave our land,’ he said.", "ukraine", "negotiations", "troop_withdrawal"),
    ("Sanctions renewed", "The Council of the European Union extended its economic sanctions on Friday. ‘The "
                          "sanctions will stay in place until Russia withdraws its troops from Ukraine,’ the statement "
                          "said.", "eu", "sanctions_relief", "troop_withdrawal"),
    # "these conditions" are the ones the sentences before told
    ("Putin sets out terms", "Putin said Ukraine would have to pull its troops out of the four regions. Kyiv would "
                             "also have to renounce its bid to join NATO. \"Once these conditions are met, we will "
                             "immediately order a ceasefire,\" Putin said.", "russia", "ceasefire",
     "no nato_membership"),
    # "he" after a clause whose subject is named in the same sentence is that person, not the story's last speaker
    ("Elections in wartime", "Trump urged Zelensky to hold elections. While Zelensky did not reject the request "
                             "outright, he insisted that an election can only take place if the West provides strong "
                             "security guarantees.", "ukraine", "elections", "security_guarantees"),
    # the speaker's tag closing a headline is neither side of what the headline says
    ("No talks until Russia withdraws its troops - Sybiha", "The minister spoke in Kyiv on Monday.", "ukraine",
     "negotiations", "troop_withdrawal"),
])
def test_a_condition_its_speaker_states_is_found(extractor: Extractor, title: str, text: str, actor: str,
                                                 subject: str, required: str | None) -> None:
    found = [p for p in read(extractor, text, title=title) if p.kind == "condition"]
    assert any(p.actor == actor and p.subject == subject for p in found), found
    if required is not None:
        hit = next(p for p in found if p.subject == subject)
        assert required in hit.labels and not any("Sybiha" in r.topic for r in hit.requires), hit
