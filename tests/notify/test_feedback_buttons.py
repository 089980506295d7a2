"""Which messages carry the decision buttons, and what a decided message shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from bot.config import Config, ConfigError, load_config
from bot.detect.alerts import Alert, FeedHealth
from bot.errors import BotError
from bot.interactive import Interactions
from bot.notify import deliver_pending
from bot.notify.blocks import alert_message
from bot.notify.slack import WebApiNotifier
from bot.store import Store
from bot.store.feedback import Decision, FeedbackAction
from bot.store.outbox import list_alerts
from tests.notify.conftest import add_alerts, casualty, shift
from tests.slack_server import SlackServer, block_problem


def buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(e["action_id"], e["value"], e["text"]["text"]) for b in blocks if b["type"] == "actions"
            for e in b["elements"]]


def test_each_kind_gets_the_buttons_that_apply_to_it(store: Store, config: Config, slack: SlackServer,
                                                     env: dict[str, str]) -> None:
    ids = add_alerts(store, shift(), casualty(), casualty("casualty_update", killed=40, previous={"killed": 35}))
    deliver_pending(store, config, env=env)
    messages = {m.ts: m for m in slack.all_messages()}
    shown = {a.id: buttons(messages[a.slack_ts or ""].blocks) for a in list_alerts(store)}
    assert shown == {
        ids[0]: [("accept", str(ids[0]), "Accept"), ("not_a_shift", str(ids[0]), "Not a shift")],
        ids[1]: [("not_an_attack", str(ids[1]), "Not an attack")],
        ids[2]: [("not_an_attack", str(ids[2]), "Not an attack"), ("wrong_figures", str(ids[2]), "Wrong figures")],
    }
    assert all(block_problem(m.blocks) is None for m in messages.values())


def test_webhooks_feed_health_and_unstored_alerts_get_no_buttons(store: Store, config: Config,
                                                                 slack: SlackServer) -> None:
    add_alerts(store, shift())
    deliver_pending(store, config, env={"SLACK_WEBHOOK_URL": slack.webhook_url})
    [posted] = slack.webhook
    assert posted.blocks and buttons(posted.blocks) == []               # a click there would reach nobody
    health = Alert(kind="feed_health", key="h", id=9, detail=FeedHealth("bbc", "failing", "HTTP 500"))
    assert buttons(alert_message(health).blocks) == []
    [stored] = list_alerts(store)
    assert buttons(alert_message(replace(stored.alert, id=None)).blocks) == []   # a replay's alert: not stored


def test_a_decided_message_says_who_decided_what_and_when_and_has_no_buttons(store: Store) -> None:
    [alert_id] = add_alerts(store, shift())
    [row] = list_alerts(store)
    decision = Decision(id=1, alert=row.alert, action=FeedbackAction.NOT_A_SHIFT, user_id="U0ANA", user_name="ana",
                        via="slack-http", decided_at=dt.datetime(2026, 11, 25, 12, 5, tzinfo=dt.timezone.utc),
                        before={}, after={})
    message = alert_message(row.alert, decision=decision)
    assert buttons(message.blocks) == [] and row.alert.id == alert_id
    assert message.blocks[-1] == {"type": "context", "elements": [
        {"type": "mrkdwn", "text": "*Not a shift* by ana · 2026-11-25 12:05 UTC"}]}
    assert message.text.endswith("Not a shift by ana, 2026-11-25 12:05 UTC")


def test_reviewers_are_slack_ids(tmp_path: Any) -> None:
    (tmp_path / "delivery.yaml").write_text("delivery:\n  reviewers: [U01ABCDEF, S02GROUP1, '@ana']\n")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    [problem] = error.value.problems
    assert "reviewers" in problem.field and "'@ana'" in problem.reason and "S…" in problem.reason


def test_the_slack_app_needs_the_bot_token_and_an_app_level_token(store: Store, config: Config,
                                                                  slack: SlackServer) -> None:
    assert Interactions.from_env({"SLACK_BOT_TOKEN": "xoxb-1"}, config, store) is None   # no app: nothing to run
    with pytest.raises(BotError, match="need SLACK_BOT_TOKEN"):
        Interactions.from_env({"SLACK_APP_TOKEN": "xapp-1"}, config, store)
    with pytest.raises(BotError, match="app-level token"):
        Interactions.from_env({"SLACK_APP_TOKEN": "xoxb-2", "SLACK_BOT_TOKEN": "xoxb-1"}, config, store)
    wrong = Interactions(store, config, WebApiNotifier(slack.token, slack.api_url), app_token="xapp-wrong")
    with pytest.raises(BotError, match=r"Slack refused SLACK_APP_TOKEN \(invalid_auth\)"):
        wrong.start()
