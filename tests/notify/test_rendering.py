"""Rendering: escaping holds for any feed text, messages stay within Slack's limits, text reads well."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.notify import alert_message, render_text
from bot.notify.digest import digest_messages
from bot.notify.escape import cut, escape, link
from tests.slack_server import SlackMessage, block_problem

OUR_LINK = re.compile(r"<https?://[^<>|\s]+(\|[^<>]*)?>")
feed_text = st.lists(st.sampled_from([*"<>&|!@#:/ aZ.\n*_~`é", "<!channel>", "<@U12>", "&amp;", "https://x.io",
                                       "<https://evil.example|gov>"]), max_size=30).map("".join)


def _alerts(draw_text: str, url: str) -> list[dict]:
    side = {"requires": [draw_text], "quote": draw_text, "url": url, "speaker": draw_text}
    return [
        {"kind": "position_shift", "actor": draw_text, "subject": draw_text, "before": side, "after": side,
         "change": draw_text, "url": url, "published": "2025-04-15T00:00:00Z"},
        {"kind": "casualty_update", "actor": draw_text,
         "casualty": {"killed": 3, "location": draw_text, "country": draw_text, "date": draw_text,
                      "weapon": draw_text, "perpetrator": draw_text, "quote": draw_text},
         "previous": {"killed": 1}, "sources": [url, draw_text], "url": url},
        {"kind": "feed_health", "feed": draw_text, "state": draw_text, "error": draw_text},
    ]


@settings(max_examples=300, deadline=None)
@given(text=feed_text, url=st.one_of(feed_text, st.builds(lambda t: "https://n.example/" + t, feed_text)))
def test_feed_text_never_becomes_a_mention_or_a_foreign_link(text: str, url: str) -> None:
    for alert in _alerts(text, url):
        for message in [alert_message(alert), *digest_messages([alert, alert], "Digest")]:
            posted = SlackMessage("C1", "1.0", message.text, message.blocks)
            assert posted.mentions() == []
            for mrkdwn in posted.texts():
                # Every "<" left is the start of a link we built; nothing else can open Slack's syntax.
                assert OUR_LINK.sub("", mrkdwn).count("<") == 0
                assert OUR_LINK.sub("", mrkdwn).count(">") == mrkdwn.count("\n> ") + mrkdwn.startswith("> ")
            assert block_problem(message.blocks) is None


@given(st.text())
def test_escape_is_reversible_and_leaves_no_angle_brackets(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text


def test_link_keeps_only_http_urls() -> None:
    assert link("javascript:alert(1)", "click") == "click"
    assert link("https://a.example/?q=1&r=<2>", "A & B") == "<https://a.example/?q=1&amp;r=%3C2%3E|A &amp; B>"


def test_long_quotes_are_cut_at_a_word_with_an_ellipsis() -> None:
    assert cut("the ceasefire must come first", 20) == "the ceasefire must…"
    message = alert_message({"kind": "casualty_event", "casualty": {"killed": 2, "quote": "alpha beta " * 500}})
    quote = next(b["text"]["text"] for b in message.blocks if b.get("text", {}).get("text", "").startswith(">"))
    assert quote.endswith("beta…") or quote.endswith("alpha…")
    assert len(quote) <= 702


def test_header_is_at_most_150_characters() -> None:
    message = alert_message({"kind": "position_shift", "actor": "us", "subject": "x" * 400})
    assert len(message.blocks[0]["text"]["text"]) == 150 and message.blocks[0]["text"]["text"].endswith("…")


def test_render_text_for_each_kind_and_missing_keys() -> None:
    assert render_text({"kind": "casualty_event", "actor": "russia",
                        "casualty": {"killed": 40, "killed_low": 35, "killed_high": 40, "location": "Sumy",
                                     "country": "UA", "date": "2025-04-13", "weapon": "missile"},
                        "sources": ["https://a.example/1", "https://b.example/2"], "url": "https://a.example/1",
                        "published": "2025-04-14T08:00:00Z"}) == (
        "Casualty event: 40 (35–40) killed in Sumy, UA\n"
        "Killed: 40 (35–40) · Place: Sumy, UA · Date: 2025-04-13 · Weapon: missile · Perpetrator: russia\n"
        "Sources: 2 (https://b.example/2)\n"
        "Published 2025-04-14 08:00 UTC · https://a.example/1")
    assert render_text({"kind": "new_position", "actor": "ukraine", "subject": "negotiations",
                        "after": {"requires": ["security_guarantees", "ceasefire"], "quote": "q"}}) == (
        "New position: ukraine on negotiations\nAfter: requires security guarantees and ceasefire\n  “q”")
    assert render_text({}) == "Alert: unknown actor"
    assert render_text({"kind": "feed_health", "feed": "bbc", "state": "failing", "error": "HTTP 500"}) == (
        "Feed health: bbc is failing\nError: HTTP 500")


json_values = st.recursive(st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=False) | feed_text,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(feed_text, inner, max_size=4),
                           max_leaves=12)
keys = st.sampled_from(["before", "after", "change", "casualty", "previous", "sources", "url", "published", "feed",
                        "state", "error", "actor", "subject", "source_count"])


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(["position_shift", "new_position", "casualty_event", "casualty_update", "feed_health",
                             "something_new"]),
       payload=st.dictionaries(keys, json_values, max_size=8))
def test_any_payload_shape_renders_within_limits(kind: str, payload: dict) -> None:
    alert = {**payload, "kind": kind}
    assert render_text(alert).strip()
    for message in [alert_message(alert), *digest_messages([alert], "Digest")]:
        assert message.text and block_problem(message.blocks) is None
        assert SlackMessage("C1", "1.0", message.text, message.blocks).mentions() == []


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
