"""Delivery as a plan: what to send where, in which order, what is held by quiet hours or digests, and what
waits for its thread's first message, worked out from the claimed alerts, the channel policies and the clock.

Pure: no database, no Slack. What it needs to know of the rest of the outbox comes in an `Outlook`, read by
the caller just before planning. The executor (`bot.notify.execute`) performs the steps in order. One thing
only the executor can know is which post fails: when one does, it leaves that channel's remaining steps for a
later pass, so the order per channel still holds.

Order per channel: an alert is not posted while an older one for the same channel waits (for a retry, for its
digest's hour, for its thread's first message); it is deferred, and so is every later alert of that channel in
the pass. A casualty update goes into the thread of its event's first message, once that message is out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.config import Delivery
from bot.detect.alerts import AlertKind
from bot.notify import routing
from bot.store.models import AlertStatus
from bot.store.outbox import IN_FLIGHT, OutboxAlert, Outlook, ThreadHead


@dataclass(frozen=True)
class Thread:
    """Where a reply goes: under its event's first message. When that message goes out in this same pass,
    `ts` is unknown until it is posted (the executor fills it in)."""

    head: OutboxAlert
    channel: str | None = None     # Slack's channel id of the first message, when it is out
    ts: str | None = None
    edit: bool = True              # the first message shows the latest toll (never a digest's shared message)


@dataclass(frozen=True)
class Post:
    """Post one alert to `channel` (or as a reply in `thread`)."""

    alert: OutboxAlert
    channel: str
    thread: Thread | None = None


@dataclass(frozen=True)
class Hold:
    """Keep an alert for its channel's digest or the end of quiet hours, until `until`."""

    alert: OutboxAlert
    channel: str
    until: dt.datetime


@dataclass(frozen=True)
class Defer:
    """Give an alert back untouched, for a later pass: something older in its channel waits."""

    alert: OutboxAlert
    channel: str
    reason: str


@dataclass(frozen=True)
class Collect:
    """A held alert whose time has come joins its channel's digest, posted at the end of the pass (one
    digest per channel, however many batches the pass took)."""

    alert: OutboxAlert
    channel: str


@dataclass(frozen=True)
class Recover:
    """The last attempt may have reached Slack (its worker died mid-post, or the answer was lost): look for the
    message in `places` (channel, thread ts) first; if it is there, record it; if not, do `then`."""

    alert: OutboxAlert
    channel: str
    places: tuple[tuple[str, str | None], ...]
    then: "Step"


@dataclass(frozen=True)
class Digest:
    """Post the due held alerts of one channel as digest messages."""

    channel: str
    alerts: tuple[OutboxAlert, ...]
    heading: str


Step = Post | Hold | Defer | Collect | Recover | Digest


def channel_of(alert: OutboxAlert, delivery: Delivery) -> str:
    """The channel an alert was routed to, or would be now."""
    return alert.channel or routing.route(alert.alert, delivery)


def maybe_posted(alert: OutboxAlert) -> bool:
    """The last attempt may have reached Slack: its worker died mid-post, or the answer was lost on the way."""
    return bool(alert.last_error) and (alert.last_error == IN_FLIGHT
                                       or str(alert.last_error).startswith("connection_error"))


def plan_batch(batch: Sequence[OutboxAlert], delivery: Delivery, now: dt.datetime, outlook: Outlook, *,
               threads: bool, blocked: Iterable[str] = ()) -> list[Step]:
    """The steps for a batch of claimed alerts (oldest first). `threads`: the notifier can reply in threads,
    edit and read back; `blocked`: channels that failed earlier in this pass."""
    planner = _Planner(delivery, now, outlook, threads, set(blocked))
    steps: list[Step] = []
    for alert in batch:
        channel = channel_of(alert, delivery)
        if channel in planner.blocked:
            steps.append(Defer(alert, channel, "an earlier alert of the channel waits"))
        else:
            steps.append(planner.recovering(alert, channel, planner.step(alert, channel)))
    return steps


def plan_digests(due: Mapping[str, Sequence[OutboxAlert]], delivery: Delivery, now: dt.datetime,
                 outlook: Outlook, *, threads: bool, blocked: Iterable[str] = ()) -> list[Step]:
    """The end of a pass: each channel's collected alerts as one digest (a single one is posted as itself)."""
    planner = _Planner(delivery, now, outlook, threads, set(blocked))
    steps: list[Step] = []
    for channel, alerts in due.items():
        if channel in planner.blocked:
            steps += [Defer(a, channel, "an earlier alert of the channel failed") for a in alerts]
        elif len(alerts) == 1:
            steps.append(planner.post(alerts[0], channel))
        elif alerts:
            steps.append(Digest(channel, tuple(alerts), routing.digest_heading(routing.policy(channel, delivery))))
    return steps


@dataclass
class _Planner:
    delivery: Delivery
    now: dt.datetime
    outlook: Outlook
    threads: bool
    blocked: set[str]
    posting: set[int] = field(default_factory=set)   # alerts this plan posts, before the ones after them

    def step(self, alert: OutboxAlert, channel: str) -> Step:
        """What to do with one alert of a channel that is not blocked."""
        rule = routing.policy(channel, self.delivery)
        urgent = routing.is_urgent(alert.alert, self.delivery)
        if alert.status == AlertStatus.HELD:   # its digest or the end of quiet hours has come
            if not urgent and routing.in_quiet_hours(rule, self.now):
                return Hold(alert, channel, routing.quiet_hours_end(rule, self.now))
            return Collect(alert, channel)
        release = None if urgent else routing.release_time(rule, self.now)
        if release is not None:
            return Hold(alert, channel, release)
        oldest = self.outlook.oldest_waiting.get(channel)
        if oldest is not None and oldest < alert.id:
            return self.defer(alert, channel, f"alert {oldest} of the channel waits for a retry")
        return self.post(alert, channel)

    def post(self, alert: OutboxAlert, channel: str) -> Step:
        """A post, as a reply when it is a casualty update whose event's first message is (or goes) out."""
        head = self._head(alert)
        if head is None:
            self.posting.add(alert.id)
            return Post(alert, channel)
        if head.status != AlertStatus.SENT and head.id not in self.posting:
            return self.defer(alert, channel, f"its event's first message (alert {head.id}) is not out yet")
        self.posting.add(alert.id)
        if head.status != AlertStatus.SENT:   # posted earlier in this plan: its ts comes from the executor
            return Post(alert, channel, Thread(head.alert))
        if head.slack_ts and head.slack_channel:
            return Post(alert, channel, Thread(head.alert, head.slack_channel, head.slack_ts, edit=not head.shared))
        return Post(alert, channel)

    def defer(self, alert: OutboxAlert, channel: str, reason: str) -> Defer:
        self.blocked.add(channel)
        return Defer(alert, channel, reason)

    def recovering(self, alert: OutboxAlert, channel: str, step: Step) -> Step:
        """`step`, preceded by a look in Slack when the last attempt may have posted the alert already."""
        if not (self.threads and maybe_posted(alert)):
            return step   # webhooks and the console cannot read back: at-least-once
        places: list[tuple[str, str | None]] = []
        head = self._head(alert)
        if head is not None and head.status == AlertStatus.SENT and head.slack_ts and head.slack_channel:
            places.append((head.slack_channel, head.slack_ts))
        places.append((self.outlook.slack_ids.get(channel) or channel, None))
        return Recover(alert, channel, tuple(places), step)

    def _head(self, alert: OutboxAlert) -> ThreadHead | None:
        """The first message of the casualty event a casualty update belongs to (not the update itself)."""
        if alert.kind != AlertKind.CASUALTY_UPDATE or not alert.thread_key or not self.threads:
            return None
        head = self.outlook.heads.get(alert.thread_key)
        return head if head is not None and head.id != alert.id else None
