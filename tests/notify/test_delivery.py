"""Delivering the outbox to a local Slack Web API server: what a team sees, and what the outbox records."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from bot.notify import deliver_pending
from bot.store import outbox
from tests.notify.conftest import NOW, add_alerts, casualty, make_config, shift
from tests.slack_server import SlackServer


def test_alerts_are_posted_once_in_order_with_blocks_and_recorded(store, slack, env, config) -> None:
    ids = add_alerts(store, shift(subject="peace_agreement"), shift(subject="negotiations"), shift(actor="russia"))

    report = deliver_pending(store, config, env=env, now=NOW)
    again = deliver_pending(store, config, env=env, now=NOW + dt.timedelta(hours=1))

    posts = slack.posts("#discourse-alerts")
    assert [p.blocks[0]["text"]["text"] for p in posts] == [
        "Position shift: United States on peace agreement",
        "Position shift: United States on negotiations",
        "Position shift: Russia on peace agreement",
    ]
    assert (report.sent, report.failed, again.sent) == (3, 0, 0)
    assert "3 alert(s) delivered" in str(report)
    rows = {a.id: a for a in outbox.list_alerts(store)}
    assert [(rows[i].status, rows[i].slack_channel, rows[i].slack_ts) for i in ids] == [
        ("sent", p.channel, p.ts) for p in posts]
    assert outbox.list_alerts(store, pending_only=True) == []


def test_shift_message_shows_before_after_quotes_links_and_fallback_text(store, slack, env, config) -> None:
    add_alerts(store, shift())
    deliver_pending(store, config, env=env, now=NOW)

    [post] = slack.posts("#discourse-alerts")
    body = "\n".join(post.texts())
    assert "*Before:* peace agreement only after ceasefire." in body
    assert "*After:* peace agreement with no preconditions." in body
    assert "*Change:* No longer requires ceasefire." in body
    assert "> We need a ceasefire first." in body and "> Talks can start now." in body
    assert "(negated)" not in body and "Change: new" not in body
    blocks = "\n".join(post.texts()[1:])
    assert blocks.count("https://news.example/a") == 1             # the article, linked once
    assert "<https://news.example/old|news.example>" in blocks      # where the earlier stance was said
    assert "Published 2026-11-25 12:00 UTC" in body and "1 source ·" in body
    assert post.text.startswith("Position shift: United States on peace agreement\nKind: condition\n"
                                "Before: peace agreement only after ceasefire.")


def test_rate_limits_and_server_errors_are_retried_by_the_client(store, slack, env, config) -> None:
    add_alerts(store, shift(subject="alpha"), shift(subject="beta"))
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    slack.fail_next("chat.postMessage", status=500, times=2)

    report = deliver_pending(store, config, env=env, now=NOW)

    assert report.sent == 2 and report.failed == 0
    assert [p.blocks[0]["text"]["text"] for p in slack.posts("#discourse-alerts")] == [
        "Position shift: United States on alpha", "Position shift: United States on beta"]
    assert [r.status for r in slack.calls("chat.postMessage")] == [429, 500, 500, 200, 200]


def test_transient_errors_are_retried_within_the_pass_while_its_budget_lasts(store, slack, env, config) -> None:
    add_alerts(store, shift(subject="alpha"))
    slack.fail_next("chat.postMessage", status=503, times=3)
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    slack.fail_next("chat.postMessage", status=500, times=3)

    report = deliver_pending(store, config, env=env, now=NOW)

    assert (report.sent, report.failed) == (1, 0)
    assert [r.status for r in slack.calls("chat.postMessage")] == [503, 503, 503, 429, 500, 500, 500, 200]


def test_a_spent_budget_leaves_the_alert_pending_until_a_later_pass(store, slack, env) -> None:
    config = make_config(retry_backoff=0.2, retry_budget=0.5)
    add_alerts(store, shift(subject="alpha"))
    slack.fail_always("chat.postMessage", error="internal_error", status=500)

    report = deliver_pending(store, config, env=env, now=NOW)

    assert (report.sent, report.failed) == (0, 1)
    assert 2 <= len(slack.calls("chat.postMessage")) <= 4   # a few backed-off retries, then no more
    slack.heal("chat.postMessage")
    assert deliver_pending(store, config, env=env, now=NOW + dt.timedelta(seconds=31)).sent == 1


def test_a_failure_keeps_the_alert_pending_with_backoff_and_later_alerts_wait_their_turn(store, slack, env) -> None:
    config = make_config(retry_budget=0)  # no retry within the pass
    first, second = add_alerts(store, shift(subject="first"), shift(subject="second"))
    slack.fail_next("chat.postMessage", status=500)

    report = deliver_pending(store, config, env=env, now=NOW)

    assert (report.sent, report.failed, report.deferred) == (0, 1, 1)
    assert slack.posts("#discourse-alerts") == []
    pending = {a.id: a for a in outbox.list_alerts(store, pending_only=True)}
    assert pending[first].attempts == 1 and pending[first].last_error.startswith("internal_error")
    assert pending[first].next_attempt_at == NOW + dt.timedelta(seconds=30)
    # Before the retry time nothing goes out, not even the second alert (order per channel).
    assert deliver_pending(store, config, env=env, now=NOW + dt.timedelta(seconds=10)).sent == 0
    later = deliver_pending(store, config, env=env, now=NOW + dt.timedelta(seconds=31))
    assert later.sent == 2
    assert [p.blocks[0]["text"]["text"] for p in slack.posts("#discourse-alerts")] == [
        "Position shift: United States on first", "Position shift: United States on second"]


def test_bad_channel_logs_one_error_and_other_channels_go_on(store, env, caplog) -> None:
    config = make_config(by_actor={"us": "#missing", "russia": "#russia"})
    with SlackServer(channels=("#russia",)) as slack:
        env = {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url}
        add_alerts(store, shift(actor="us", subject="a"), shift(actor="russia"), shift(actor="us", subject="b"))
        with caplog.at_level(logging.ERROR, logger="bot.notify"):
            report = deliver_pending(store, config, env=env, now=NOW)
        assert len(slack.posts("#russia")) == 1
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "#missing" in errors[0].getMessage() and "channel_not_found" in errors[0].getMessage()
    assert (report.sent, report.failed, report.deferred) == (1, 1, 1)
    assert {a.subject for a in outbox.list_alerts(store, pending_only=True)} == {"a", "b"}


def test_invalid_auth_leaves_everything_pending_with_one_log(store, slack, config, caplog) -> None:
    add_alerts(store, shift(actor="us"), shift(actor="russia"))
    env = {"SLACK_BOT_TOKEN": "xoxb-wrong", "SLACK_API_URL": slack.api_url}
    cfg = make_config(by_actor={"russia": "#russia"})
    with caplog.at_level(logging.ERROR, logger="bot.notify"):
        report = deliver_pending(store, cfg, env=env, now=NOW)
    assert report.sent == 0 and report.failed == 2
    assert len([r for r in caplog.records if "invalid_auth" in r.getMessage()]) == 1
    assert len(outbox.list_alerts(store, pending_only=True)) == 2


def test_gives_up_after_max_attempts_and_stays_listed(store, slack, env) -> None:
    config = make_config(max_attempts=2)
    [alert_id] = add_alerts(store, shift())
    slack.fail_always("chat.postMessage", error="channel_not_found")
    deliver_pending(store, config, env=env, now=NOW)
    deliver_pending(store, config, env=env, now=NOW + dt.timedelta(minutes=5))
    [row] = outbox.list_alerts(store, pending_only=True)
    assert (row.id, row.status, row.attempts) == (alert_id, "failed", 2)


def test_casualty_update_replies_in_the_event_thread_and_edits_the_event(store, slack, env, config) -> None:
    add_alerts(store, casualty())
    deliver_pending(store, config, env=env, now=NOW)
    add_alerts(store, casualty("casualty_update", killed=40, previous={"killed": 35, "injured": 117}))
    deliver_pending(store, config, env=env, now=NOW + dt.timedelta(minutes=5))

    [event] = slack.posts("#discourse-alerts")
    [reply] = slack.replies("#discourse-alerts", event.ts)
    assert reply.blocks[0]["text"]["text"] == "Casualty update: Sumy, UA, now 40 killed, 117 injured"
    assert "*Revised:* killed 35 → 40" in "\n".join(reply.texts())
    # The first message now shows the latest toll; its first version is kept as an edit.
    assert len(event.edits) == 1
    assert event.edits[0]["blocks"][0]["text"]["text"] == "Casualty event: 35 killed, 117 injured in Sumy, UA"
    assert event.blocks[0]["text"]["text"] == "Casualty event: 40 killed, 117 injured in Sumy, UA"
    assert "killed 35 → 40 (see thread)" in "\n".join(event.texts())


def test_update_waits_for_its_event_to_be_posted(store, slack, env) -> None:
    config = make_config(retry_budget=0)
    add_alerts(store, casualty(), casualty("casualty_update", killed=40, previous={"killed": 35}))
    slack.fail_next("chat.postMessage", status=500)
    first = deliver_pending(store, config, env=env, now=NOW)
    assert first.sent == 0
    deliver_pending(store, config, env=env, now=NOW + dt.timedelta(minutes=1))
    [event] = slack.posts("#discourse-alerts")
    assert len(slack.replies("#discourse-alerts", event.ts)) == 1


def test_routing_by_kind_actor_default_and_admin(store, slack, env) -> None:
    config = make_config(by_kind={"casualty_event": "#casualties"}, by_actor={"us": "#us"},
                         admin_channel="#bot-admin")
    add_alerts(store, shift(actor="us"), shift(actor="ukraine"), casualty(actor="russia"),
               {"kind": "feed_health", "payload": {"feed": "kyiv-independent", "state": "failing",
                                                    "error": "HTTP 503 three times"}})
    deliver_pending(store, config, env=env, now=NOW)
    titles = {ch: [p.blocks[0]["text"]["text"] for p in slack.posts(ch)]
              for ch in ("#us", "#discourse-alerts", "#casualties", "#bot-admin")}
    assert titles == {
        "#us": ["Position shift: United States on peace agreement"],
        "#discourse-alerts": ["Position shift: Ukraine on peace agreement"],
        "#casualties": ["Casualty event: 35 killed, 117 injured in Sumy, UA"],
        "#bot-admin": ["Feed health: kyiv-independent is failing"],
    }


def test_feed_text_cannot_mention_or_forge_links(store, slack, env, config) -> None:
    evil = shift(quote="<!channel> see <https://evil.example|gov.uk> & <@U123>",
                 new_quote="<!here|here> <#C1> >>> done", url="https://news.example/a|<!everyone>")
    evil["subject"] = "<!channel>"
    add_alerts(store, evil)
    deliver_pending(store, config, env=env, now=NOW)
    [post] = slack.posts("#discourse-alerts")
    assert post.mentions() == []
    body = "\n".join(post.texts())
    assert "&lt;!channel&gt; see &lt;https://evil.example|gov.uk&gt; &amp; &lt;@U123&gt;" in body
    assert "<https://news.example/a%7C%3C!everyone%3E|article>" in body


def test_webhook_posts_without_threads(store, slack, config) -> None:
    env = {"SLACK_WEBHOOK_URL": slack.webhook_url}
    add_alerts(store, casualty(), casualty("casualty_update", killed=40, previous={"killed": 35}))
    report = deliver_pending(store, config, env=env, now=NOW)
    assert report.sent == 2
    assert [m.blocks[0]["text"]["text"] for m in slack.webhook] == [
        "Casualty event: 35 killed, 117 injured in Sumy, UA", "Casualty update: Sumy, UA, now 40 killed, 117 injured"]
    assert [a.slack_ts for a in outbox.list_alerts(store)] == [None, None]


def test_console_prints_readable_text(store, config, capsys) -> None:
    add_alerts(store, shift(quote="A & B <tag>"))
    report = deliver_pending(store, config, env={}, now=NOW)
    out = capsys.readouterr().out
    assert report.sent == 1
    assert "Position shift: United States on peace agreement" in out
    assert "“A & B <tag>”" in out and "&amp;" not in out


@pytest.mark.parametrize("killed", [200, 5])
def test_oversized_alert_fits_slack_limits(store, slack, env, config, killed) -> None:
    long_quote = ("word " * 2000).strip()
    alert = casualty(killed=killed)
    alert["payload"]["casualty"]["quote"] = long_quote
    alert["payload"]["sources"] = [f"https://news.example/{i}" for i in range(80)]
    alert["payload"]["casualty"]["location"] = "L" * 300
    add_alerts(store, alert)
    assert deliver_pending(store, config, env=env, now=NOW).sent == 1
    [post] = slack.posts("#discourse-alerts")
    assert [r.error for r in slack.calls("chat.postMessage")] == [None]
    assert any(t.endswith("word…") for t in post.texts())


def test_messages_to_one_channel_are_paced_but_other_channels_are_not_held_up(store, slack, env) -> None:
    config = make_config(per_channel_interval=0.5, by_actor={"russia": "#russia"})
    add_alerts(store, shift(subject="alpha"), shift(subject="beta"), shift(actor="russia"), shift(subject="gamma"))
    deliver_pending(store, config, env=env, now=NOW)
    calls = slack.calls("chat.postMessage")
    us = [c.at for c in calls if c.body["channel"] == "#discourse-alerts"]
    assert len(us) == 3 and all(b - a >= 0.49 for a, b in zip(us, us[1:]))
    russia = next(c.at for c in calls if c.body["channel"] == "#russia")
    assert us[1] < russia < us[2] and russia - us[1] < 0.4  # right after beta, without waiting for the interval
