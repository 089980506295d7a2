"""Rendering: escaping holds for any feed text, messages stay within Slack's limits, text reads well."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import Config
from bot.detect.alerts import Alert, AlertKind, CasualtyChange, FeedHealth, Figures, PositionChange
from bot.detect.stance import Stance
from bot.extract.facts import POSITION_KINDS, CasualtyReport, Requirement
from bot.notify import alert_message, render_text
from bot.notify.digest import digest_messages
from bot.notify.escape import cut, escape, link
from bot.notify.names import Names
from tests.slack_server import SlackMessage, block_problem

OUR_LINK = re.compile(r"<https?://[^<>|\s]+(\|[^<>]*)?>")
CHANGES = ("new", "dropped", "added", "replaced", "reframed", "softened", "hardened", "restated", "")
feed_text = st.lists(st.sampled_from([*"<>&|!@#:/ aZ.\n*_~`é-,", "<!channel>", "<@U12>", "&amp;", "https://x.io",
                                       "<https://evil.example|gov>", "KYIV, March 3 - "]), max_size=30).map("".join)
urls = st.one_of(feed_text, st.builds(lambda t: "https://n.example/" + t, feed_text))
counts = st.one_of(st.none(), st.integers(0, 10**6))
when = st.one_of(st.none(), st.datetimes(min_value=dt.datetime(1990, 1, 1), timezones=st.just(dt.timezone.utc)))
stances = st.builds(
    Stance, kind=st.sampled_from(POSITION_KINDS),
    requires=st.lists(st.builds(Requirement, topic=feed_text, direction=st.sampled_from(["for", "against"]),
                                words=feed_text), max_size=4).map(tuple),
    negated=st.booleans(), hedged=st.booleans(), speaker=st.one_of(st.none(), feed_text), quote=feed_text, url=urls)
positions = st.builds(
    lambda change, after, before, added, dropped, sources, new, actor, subject, url, published: Alert(
        kind=AlertKind.NEW_POSITION if new else AlertKind.POSITION_SHIFT, key="k", actor=actor, subject=subject,
        detail=PositionChange(change=change, after=after, before=None if new else before, added=tuple(added),
                              dropped=tuple(dropped), sources=tuple(sources)), url=url, published=published),
    st.sampled_from(CHANGES), stances, stances, st.lists(feed_text, max_size=3), st.lists(feed_text, max_size=3),
    st.lists(feed_text, max_size=3), st.booleans(), st.one_of(st.none(), feed_text), st.one_of(st.none(), feed_text),
    urls, when)
reports = st.builds(
    CasualtyReport, killed=counts, killed_low=counts, killed_high=counts, injured=counts, injured_low=counts,
    injured_high=counts, location=st.one_of(st.none(), feed_text), country=st.one_of(st.none(), feed_text),
    weapon=st.one_of(st.none(), feed_text), perpetrator=st.one_of(st.none(), feed_text), quote=feed_text,
    date=st.one_of(st.none(), st.dates()))
casualties = st.builds(
    lambda update, report, sources, previous, url, published: Alert(
        kind=AlertKind.CASUALTY_UPDATE if update else AlertKind.CASUALTY_EVENT, key="k", actor="russia",
        detail=CasualtyChange(casualty=report, sources=tuple(sources), previous=previous), url=url,
        published=published),
    st.booleans(), reports, st.lists(urls, max_size=80), st.one_of(st.none(), st.builds(Figures, counts, counts)),
    urls, when)
health = st.builds(lambda feed, state, error: Alert(kind=AlertKind.FEED_HEALTH, key="k",
                                                    detail=FeedHealth(feed, state, error)),
                   feed_text, feed_text, st.one_of(st.none(), feed_text))
alerts = st.one_of(positions, casualties, health)


@settings(max_examples=400, deadline=None)
@given(alert=alerts)
def test_feed_text_never_becomes_a_mention_or_a_foreign_link_and_limits_hold(alert: Alert) -> None:
    assert render_text(alert).strip()
    for message in [alert_message(alert), *digest_messages([alert, alert], "Digest")]:
        assert message.text and block_problem(message.blocks) is None
        posted = SlackMessage("C1", "1.0", message.text, message.blocks)
        assert posted.mentions() == []
        for mrkdwn in posted.texts():
            # Every "<" left is the start of a link we built; nothing else can open Slack's syntax.
            assert OUR_LINK.sub("", mrkdwn).count("<") == 0
            assert OUR_LINK.sub("", mrkdwn).count(">") == mrkdwn.count("\n> ") + mrkdwn.startswith("> ")


@given(st.text())
def test_escape_is_reversible_and_leaves_no_angle_brackets(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text


def test_link_keeps_only_http_urls() -> None:
    assert link("javascript:alert(1)", "click") == "click"
    assert link("https://a.example/?q=1&r=<2>", "A & B") == "<https://a.example/?q=1&amp;r=%3C2%3E|A &amp; B>"


def event(quote: str = "", **figures: int | None) -> Alert:
    report = CasualtyReport(location="Kharkiv", country="UA", date=dt.date(2026, 3, 3), weapon="missile",
                            perpetrator="russia", quote=quote, **figures)
    return Alert(kind=AlertKind.CASUALTY_EVENT, key="k", actor="russia",
                 detail=CasualtyChange(casualty=report, sources=("https://a.example/1", "https://b.example/2")),
                 url="https://a.example/1", published=dt.datetime(2026, 3, 3, 8, tzinfo=dt.timezone.utc))


def shift(before: Stance | None, after: Stance, change: str, *, subject: str = "ceasefire", added: tuple[str, ...] = (),
          dropped: tuple[str, ...] = ()) -> Alert:
    return Alert(kind=AlertKind.POSITION_SHIFT if before else AlertKind.NEW_POSITION, key="k", actor="russia",
                 subject=subject, url="https://kremlin.example/news/2",
                 detail=PositionChange(change=change, after=after, before=before, added=added, dropped=dropped),
                 published=dt.datetime(2026, 3, 3, 11, tzinfo=dt.timezone.utc))


def test_long_quotes_are_cut_at_a_word_with_an_ellipsis() -> None:
    assert cut("the ceasefire must come first", 20) == "the ceasefire must…"
    message = alert_message(event("alpha beta " * 500, killed=2))
    quote = next(b["text"]["text"] for b in message.blocks if b.get("text", {}).get("text", "").startswith(">"))
    assert quote.endswith("beta…") or quote.endswith("alpha…")
    assert len(quote) <= 702


def test_header_is_at_most_150_characters() -> None:
    message = alert_message(shift(None, Stance(), "new", subject="x" * 400))
    assert len(message.blocks[0]["text"]["text"]) == 150 and message.blocks[0]["text"]["text"].endswith("…")


def test_a_shift_says_before_and_after_in_the_requirements_own_words(default_config: Config) -> None:
    names = Names.of(default_config)
    before = Stance(requires=(Requirement("troop_withdrawal"), Requirement("nato_membership", "against")),
                    speaker="Dmitry Peskov", quote="Peskov said a ceasefire was possible only after a withdrawal.",
                    url="https://kremlin.example/news/1")
    after = Stance(kind="offer", requires=(Requirement("preconditions"),), negated=True, speaker="Vladimir Putin",
                   quote=", March 3 - The Kremlin said Russia was ready for a ceasefire without preconditions.",
                   url="https://kremlin.example/news/2")
    alert = shift(before, after, "dropped", dropped=("no nato_membership", "troop_withdrawal"))

    text = render_text(alert, names)
    message = alert_message(alert, names)

    assert text.splitlines() == [
        "Position shift: Russia on a ceasefire",
        "Kind: offer (was condition) · Speaker: Vladimir Putin (President)",
        "Before: a ceasefire only after Ukraine renouncing NATO and troop withdrawal.",
        "  “Peskov said a ceasefire was possible only after a withdrawal.” — Dmitry Peskov (Kremlin spokesman)",
        "  https://kremlin.example/news/1",
        "After: offers a ceasefire without preconditions.",
        "  “The Kremlin said Russia was ready for a ceasefire without preconditions.”",
        "Change: No longer requires Ukraine renouncing NATO and troop withdrawal.",
        "Published 2026-03-03 11:00 UTC · https://kremlin.example/news/2",
    ]
    body = "\n".join(SlackMessage("C1", "1", message.text, message.blocks).texts()[1:])
    assert "*Kind*\noffer (was condition)" in body and "*Speaker*\nVladimir Putin (President)" in body
    assert "*Actor*\nRussia" in body and "*Subject*\na ceasefire" in body
    assert body.count("https://kremlin.example/news/2") == 1 and "March 3" not in body
    assert "(negated)" not in text + body


def test_a_new_position_does_not_repeat_its_title() -> None:
    alert = shift(None, Stance(requires=(Requirement("ceasefire"),), quote="q"), "new", subject="negotiations")
    assert render_text(alert) == (
        "New position: russia on negotiations\nKind: condition\nPosition: negotiations only after ceasefire.\n  “q”\n"
        "Published 2026-03-03 11:00 UTC · https://kremlin.example/news/2")


def test_requirements_without_wording_fall_back_to_the_articles_words_then_the_label() -> None:
    names = Names()
    held = Stance(requires=(Requirement("troop_withdrawal", words="withdrawal from Donetsk and Luhansk"),
                            Requirement("nato_membership", "against")))
    alert = shift(None, held, "new")
    assert "a ceasefire" not in render_text(alert, names)
    assert "ceasefire only after no nato membership and withdrawal from Donetsk and Luhansk." in render_text(alert, names)


def test_each_kind_of_stance_reads_as_a_phrase(default_config: Config) -> None:
    names = Names.of(default_config)
    cases = {
        Stance(kind="demand"): "Position: demands a ceasefire.",
        Stance(kind="refusal", hedged=True): "Position: refuses a ceasefire (said tentatively).",
        Stance(kind="threat", requires=(Requirement("peace_agreement"),)): "Position: threatens a ceasefire unless a peace agreement.",
        Stance(kind="offer", requires=(Requirement("negotiations"),)): "Position: offers a ceasefire if negotiations.",
        Stance(negated=True): "Position: a ceasefire without preconditions.",
    }
    for held, line in cases.items():
        assert line in render_text(shift(None, held, "new"), names).splitlines()


def test_figures_read_as_the_text_gave_them() -> None:
    assert render_text(event(killed=7, killed_low=7, injured_low=24)).splitlines()[:2] == [
        "Casualty event: at least 7 killed, dozens injured in Kharkiv, UA",
        "Killed: at least 7 · Injured: dozens · Place: Kharkiv, UA · Date: 2026-03-03 · Weapon: missile · "
        "Perpetrator: russia"]
    assert w_title(event(killed=12, killed_low=12, killed_high=12, injured=24, injured_low=24)) == (
        "Casualty event: 12 killed, at least 24 injured in Kharkiv, UA")
    assert w_title(event(killed=140, killed_low=141)) == "Casualty event: more than 140 killed in Kharkiv, UA"
    assert w_title(event(killed=12, killed_high=12)) == "Casualty event: up to 12 killed in Kharkiv, UA"
    assert w_title(event(killed=40, killed_low=35, killed_high=40)) == "Casualty event: 40 (35–40) killed in Kharkiv, UA"
    assert w_title(event()) == "Casualty event: toll unknown in Kharkiv, UA"


def w_title(alert: Alert) -> str:
    return render_text(alert).splitlines()[0]


def test_a_quote_never_starts_with_a_dateline() -> None:
    for dateline in ("KYIV, Ukraine, March 3 (Reuters) - ", ", March 3 - ", "MOSCOW (Reuters) — ", "ODESA, Mar. 3, 2026 – "):
        alert = event(dateline + "A missile strike killed 3 people, officials said.", killed=3)
        assert "“A missile strike killed 3 people, officials said.”" in render_text(alert)
        assert "> A missile strike killed 3 people, officials said." in str(alert_message(alert).blocks)
    kept = "Ukraine, Russia and the US - Talks went on."
    assert f"“{kept}”" in render_text(event(kept, killed=3))


def test_a_casualty_links_its_article_once_and_a_revision_says_what_changed(default_config: Config) -> None:
    names = Names.of(default_config)
    report = CasualtyReport(killed=40, killed_low=40, killed_high=40, injured=117, injured_low=117,
                            injured_high=117, location="Sumy", country="UA")
    update = Alert(kind=AlertKind.CASUALTY_UPDATE, key="k", actor="russia", url="https://a.example/1",
                   detail=CasualtyChange(casualty=report, sources=("https://a.example/1", "https://b.example/2"),
                                         previous=Figures(killed=35, injured=None)))
    message = alert_message(update, names)
    body = "\n".join(SlackMessage("C1", "1", message.text, message.blocks).texts()[1:])
    assert body.count("https://a.example/1") == 1
    assert "*Revised:* killed 35 → 40; injured now 117" in body
    assert "*Perpetrator*\nRussia" in body


def test_feed_health_reads_its_state_and_error() -> None:
    alert = Alert(kind=AlertKind.FEED_HEALTH, key="k", detail=FeedHealth("bbc", "failing", "HTTP 500"))
    assert render_text(alert) == "Feed health: bbc is failing\nError: HTTP 500"


def test_the_documented_examples_are_valid_messages() -> None:
    import json
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "slack.md").read_text(encoding="utf-8")
    examples = [json.loads(block) for block in re.findall(r"```json\n(.*?)\n```", doc, re.S)]
    assert len(examples) == 4  # shift, event, threaded update, edit of the event
    assert examples[2]["thread_ts"] == examples[3]["ts"]
    for example in examples:
        assert example["text"] and block_problem(example["blocks"]) is None


def test_the_documented_delivery_config_is_valid() -> None:
    from pathlib import Path

    import yaml

    from bot.config import Delivery

    doc = (Path(__file__).parents[2] / "docs" / "slack.md").read_text(encoding="utf-8")
    [block] = re.findall(r"```yaml\n(.*?)\n```", doc, re.S)
    delivery = Delivery(**yaml.safe_load(block)["delivery"])
    assert delivery.channels["#casualties"].mode == "daily"


def test_a_claimed_figure_is_shown_beside_the_toll_not_as_it() -> None:
    from bot.detect.alerts import Alert, AlertKind, CasualtyChange, Figures
    from bot.extract.facts import CasualtyReport
    from bot.notify import wording

    report = CasualtyReport(killed=12, killed_low=12, killed_high=12, location="Kharkiv", country="UA",
                            claimed_killed=20, claimed_by="rumours.example")
    alert = Alert(kind=AlertKind.CASUALTY_UPDATE, key="k", detail=CasualtyChange(report, (), Figures(12, None)))
    assert wording.toll(report) == "12 killed (20 claimed by rumours.example)"
    assert wording.revision(alert.casualty) == "killed still 12, 20 claimed by rumours.example"
