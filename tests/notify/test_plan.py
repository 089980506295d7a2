"""The delivery plan on its own: claimed alerts, channel policies and the clock in, steps out; no database."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from bot.notify.plan import Collect, Defer, Digest, Hold, Post, Recover, plan_batch, plan_digests
from bot.store.models import AlertStatus
from bot.store.outbox import IN_FLIGHT, OutboxAlert, Outlook, ThreadHead
from tests.notify.conftest import NOW, casualty, make_config, shift

_ids = itertools.count(1)


def claimed(row: dict[str, Any], *, status: AlertStatus = AlertStatus.PENDING, **fields: Any) -> OutboxAlert:
    """An outbox row as a delivery pass claims it."""
    values: dict[str, Any] = {
        "id": next(_ids), "key": f"k{next(_ids)}", "kind": row["kind"], "actor": row.get("actor"),
        "subject": row.get("subject"), "payload": row.get("payload", {}), "url": row.get("url", ""),
        "published": NOW, "thread_key": row.get("thread_key"), "channel": None, "status": status, "attempts": 0,
        "next_attempt_at": None, "claimed_by": "me", "claimed_until": NOW, "last_error": None,
        "slack_channel": None, "slack_ts": None, "created_at": NOW, "sent_at": None}
    return OutboxAlert(**{**values, **fields})


def head_of(alert: OutboxAlert, *, ts: str | None = None) -> ThreadHead:
    status = AlertStatus.SENT if ts else alert.status
    return ThreadHead(id=alert.id, status=status, payload=alert.payload, alert=alert,
                      slack_channel="C1" if ts else None, slack_ts=ts, shared=False)


def kinds(steps: list[Any]) -> list[str]:
    return [type(s).__name__ for s in steps]


def test_alerts_are_posted_in_order_to_their_routed_channels() -> None:
    config = make_config(by_actor={"russia": "#russia"})
    batch = [claimed(shift(actor="us")), claimed(shift(actor="russia"))]
    steps = plan_batch(batch, config.delivery, NOW, Outlook(), threads=True)
    assert [(type(s), s.channel) for s in steps] == [(Post, "#discourse-alerts"), (Post, "#russia")]


def test_an_older_alert_waiting_in_the_channel_defers_this_one_and_the_rest_of_the_channel() -> None:
    config = make_config(by_actor={"russia": "#russia"})
    batch = [claimed(shift(actor="us")), claimed(shift(actor="russia")), claimed(shift(actor="us", subject="b"))]
    waiting = Outlook(oldest_waiting={"#discourse-alerts": batch[0].id - 1})
    steps = plan_batch(batch, config.delivery, NOW, waiting, threads=True)
    assert kinds(steps) == ["Defer", "Post", "Defer"]


def test_an_update_whose_event_goes_out_first_in_the_same_batch_replies_in_its_thread() -> None:
    config = make_config()
    event = claimed(casualty())
    update = claimed(casualty("casualty_update", killed=40, previous={"killed": 35}))
    steps = plan_batch([event, update], config.delivery, NOW, Outlook(heads={"event-1": head_of(event)}), threads=True)
    assert kinds(steps) == ["Post", "Post"]
    assert steps[0].thread is None and steps[1].thread is not None and steps[1].thread.head.id == event.id
    assert steps[1].thread.ts is None   # the executor takes it from the event's post


def test_an_update_whose_event_is_out_replies_under_its_message_and_one_whose_event_waits_is_deferred() -> None:
    config = make_config()
    event = claimed(casualty(), status=AlertStatus.SENT)
    update = claimed(casualty("casualty_update", killed=40, previous={"killed": 35}))
    out = plan_batch([update], config.delivery, NOW, Outlook(heads={"event-1": head_of(event, ts="1.1")}),
                     threads=True)
    held = claimed(casualty(), status=AlertStatus.HELD)
    waits = plan_batch([update], config.delivery, NOW, Outlook(heads={"event-1": head_of(held)}), threads=True)
    assert isinstance(out[0], Post) and out[0].thread is not None and (out[0].thread.channel, out[0].thread.ts) == ("C1", "1.1")
    assert isinstance(waits[0], Defer) and "first message" in waits[0].reason
    webhook = plan_batch([update], config.delivery, NOW, Outlook(heads={"event-1": head_of(held)}), threads=False)
    assert isinstance(webhook[0], Post) and webhook[0].thread is None   # no threads: posted on its own


def test_quiet_hours_and_digests_hold_and_a_due_digest_collects_then_posts_one_message() -> None:
    quiet = {"#discourse-alerts": {"mode": "hourly", "quiet_hours": "22:00-07:00"}}
    config = make_config(channels=quiet, urgent_killed_at_least=30)
    fresh, urgent = claimed(shift()), claimed(casualty(killed=35))
    night = NOW.replace(hour=23)
    steps = plan_batch([fresh, urgent], config.delivery, night, Outlook(), threads=True)
    assert isinstance(steps[0], Hold) and steps[0].until == dt.datetime(2026, 11, 26, 7, 0, tzinfo=dt.timezone.utc)
    assert isinstance(steps[1], Post)                               # an urgent casualty bypasses both

    due = [claimed(shift(subject=s), status=AlertStatus.HELD) for s in ("a", "b")]
    steps = plan_batch(due, config.delivery, NOW.replace(hour=8), Outlook(), threads=True)
    assert kinds(steps) == ["Collect", "Collect"]
    collected = {"#discourse-alerts": [s.alert for s in steps if isinstance(s, Collect)]}
    [digest] = plan_digests(collected, config.delivery, NOW, Outlook(), threads=True)
    assert isinstance(digest, Digest) and digest.heading == "Hourly digest" and len(digest.alerts) == 2


def test_an_alert_cut_short_mid_post_is_looked_for_in_slack_before_it_is_posted_again() -> None:
    config = make_config()
    interrupted = claimed(shift(), last_error=IN_FLIGHT, channel="#discourse-alerts")
    steps = plan_batch([interrupted], config.delivery, NOW, Outlook(slack_ids={"#discourse-alerts": "C9"}),
                       threads=True)
    assert isinstance(steps[0], Recover) and steps[0].places == (("C9", None),) and isinstance(steps[0].then, Post)
    console = plan_batch([interrupted], config.delivery, NOW, Outlook(), threads=False)
    assert isinstance(console[0], Post)   # what cannot read back posts again: at least once


def test_a_channel_that_failed_earlier_in_the_pass_is_left_alone() -> None:
    config = make_config()
    steps = plan_batch([claimed(shift())], config.delivery, NOW, Outlook(), threads=True,
                       blocked={"#discourse-alerts"})
    assert kinds(steps) == ["Defer"]
