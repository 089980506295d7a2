"""Digests, quiet hours and the urgent bypass, with the clock passed in."""

from __future__ import annotations

import datetime as dt

from bot.config import ChannelPolicy
from bot.notify import deliver_pending
from bot.store import outbox
from tests.notify.conftest import add_alerts, casualty, make_config, shift

UTC = dt.timezone.utc


def at(hour: int, minute: int = 0, day: int = 25) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def titles(slack, channel: str = "#discourse-alerts") -> list[str]:
    return [p.blocks[0]["text"]["text"] for p in slack.posts(channel)]


def test_hourly_digest_collects_alerts_and_posts_one_message_on_the_hour(store, slack, env) -> None:
    config = make_config(channels={"#discourse-alerts": ChannelPolicy(mode="hourly")})
    add_alerts(store, shift(subject="ceasefire"), shift(subject="negotiations"))
    first = deliver_pending(store, config, env=env, now=at(10, 10))
    add_alerts(store, shift(actor="russia"))
    deliver_pending(store, config, env=env, now=at(10, 40))
    assert slack.posts("#discourse-alerts") == [] and first.held == 2

    report = deliver_pending(store, config, env=env, now=at(11, 0))

    assert titles(slack) == ["Hourly digest: 3 alerts"]
    body = "\n".join(slack.posts("#discourse-alerts")[0].texts())
    assert body.index("United States on ceasefire") < body.index("United States on negotiations") < body.index("Russia")
    assert "peace agreement only after ceasefire → peace agreement with no preconditions" in body
    assert (report.sent, report.digests) == (3, 1)
    assert outbox.list_alerts(store, pending_only=True) == []


def test_daily_digest_waits_for_its_hour_in_the_channel_timezone(store, slack, env) -> None:
    config = make_config(channels={"#discourse-alerts": ChannelPolicy(mode="daily", daily_at="08:00",
                                                                       timezone="Europe/Kyiv")})
    add_alerts(store, shift(subject="ceasefire"), shift(subject="negotiations"))
    deliver_pending(store, config, env=env, now=at(12))
    assert deliver_pending(store, config, env=env, now=at(5, 59, day=26)).sent == 0
    assert deliver_pending(store, config, env=env, now=at(6, 0, day=26)).sent == 2  # 08:00 in Kyiv (UTC+2)
    assert titles(slack) == ["Daily digest: 2 alerts"]


def test_quiet_hours_hold_delivery_and_send_a_catch_up_when_they_end(store, slack, env) -> None:
    config = make_config(channels={"#discourse-alerts": ChannelPolicy(quiet_hours="22:00-07:00")})
    add_alerts(store, shift(subject="ceasefire"))
    deliver_pending(store, config, env=env, now=at(23))
    add_alerts(store, shift(subject="negotiations"))
    deliver_pending(store, config, env=env, now=at(3, day=26))
    assert slack.posts("#discourse-alerts") == []
    assert {a.status for a in outbox.list_alerts(store, pending_only=True)} == {"held"}

    deliver_pending(store, config, env=env, now=at(7, day=26))
    assert titles(slack) == ["Catch-up after quiet hours: 2 alerts"]

    add_alerts(store, shift(actor="russia"))
    deliver_pending(store, config, env=env, now=at(9, day=26))  # outside quiet hours: immediate again
    assert titles(slack)[-1] == "Position shift: Russia on peace agreement"


def test_urgent_casualties_bypass_quiet_hours_and_digests(store, slack, env) -> None:
    config = make_config(urgent_killed_at_least=20,
                         channels={"#discourse-alerts": ChannelPolicy(mode="daily", quiet_hours="22:00-07:00")})
    add_alerts(store, casualty(killed=3, location="Kharkiv", thread_key="e1"), casualty(killed=35, thread_key="e2"))
    report = deliver_pending(store, config, env=env, now=at(23))
    assert titles(slack) == ["Casualty event: 35 killed, 117 injured in Sumy, UA"]
    assert (report.sent, report.held) == (1, 1)


def test_a_digest_of_many_alerts_is_split_within_block_limits(store, slack, env) -> None:
    config = make_config(channels={"#discourse-alerts": ChannelPolicy(mode="hourly")})
    add_alerts(store, *[shift(subject=f"topic_{i}", quote="q " * 800) for i in range(60)])
    deliver_pending(store, config, env=env, now=at(10, 5))
    report = deliver_pending(store, config, env=env, now=at(11))
    assert titles(slack) == ["Hourly digest: 60 alerts (1/2)", "Hourly digest: 60 alerts (2/2)"]
    assert all(r.error is None for r in slack.calls("chat.postMessage"))
    assert (report.sent, report.digests) == (60, 2)
