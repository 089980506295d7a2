"""The alerts outbox: claim due alerts with a lease, and record what delivery did with each.

A claim is one UPDATE over the ids of due rows chosen with `FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite
ignores the clause and serialises writers), so two workers never take the same alert. Leases
(`claimed_until`) are short and renewed while their worker lives (`renew_claims`); one that runs out hands
an alert abandoned by a crashed worker to the next one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.detect.alerts import Alert
from bot.store import Store
from bot.store.models import AlertRecord, AlertStatus
from bot.store.upsert import affected, insert_ignore

WAITING = AlertStatus.waiting()   # not delivered yet, will be tried again
UNSENT = AlertStatus.unsent()     # what `alerts list --pending` shows
IN_FLIGHT = "interrupted while posting"  # last_error while a post is under way; a crash leaves it behind


@dataclass(frozen=True)
class OutboxAlert:
    """A snapshot of one outbox row, detached from any session."""

    id: int
    key: str
    kind: str
    actor: str | None
    subject: str | None
    payload: dict[str, Any]
    url: str
    published: dt.datetime | None
    thread_key: str | None
    channel: str | None
    status: AlertStatus
    attempts: int
    next_attempt_at: dt.datetime | None
    claimed_by: str | None
    claimed_until: dt.datetime | None
    last_error: str | None
    slack_channel: str | None
    slack_ts: str | None
    created_at: dt.datetime | None
    sent_at: dt.datetime | None

    def to_json(self) -> dict[str, Any]:
        """The alert JSON this row was made from (as `replay --json` prints it)."""
        return self.alert.to_json()

    @cached_property
    def alert(self) -> Alert:
        """The typed alert this row holds (read once)."""
        return Alert.from_json({"kind": self.kind, "actor": self.actor, "subject": self.subject, **(self.payload or {}),
                                "url": self.url, "published": self.published}, key=self.key,
                               thread_key=self.thread_key, id=self.id)


@dataclass(frozen=True)
class ThreadHead:
    """The first alert of a thread (a casualty event's first message) and where Slack put it."""

    id: int
    status: AlertStatus
    payload: dict[str, Any]
    alert: OutboxAlert
    slack_channel: str | None
    slack_ts: str | None
    shared: bool  # its ts is a digest's, shared with other alerts: never edit it


@dataclass(frozen=True)
class Outlook:
    """What planning a batch of claimed alerts needs to know of the rest of the outbox, read at once."""

    oldest_waiting: Mapping[str, int] = field(default_factory=dict)  # channel → oldest alert pending there
    heads: Mapping[str, ThreadHead] = field(default_factory=dict)     # thread key → its first alert
    slack_ids: Mapping[str, str] = field(default_factory=dict)        # channel → its Slack id, as Slack said


def outlook(store: Store, *, channels: Collection[str], thread_keys: Collection[str],
            besides: Collection[int]) -> Outlook:
    """For these routed channels: the oldest alert still pending in each (not one of `besides`, the batch)
    and each one's Slack id; for these thread keys, each thread's first alert."""
    heads = {key: head for key in sorted(thread_keys) if (head := thread_head(store, key)) is not None}
    if not channels:
        return Outlook(heads=heads)
    with store.session() as session:
        oldest = dict(session.execute(
            select(AlertRecord.channel, func.min(AlertRecord.id))
            .where(AlertRecord.channel.in_(list(channels)), AlertRecord.status == AlertStatus.PENDING,
                   AlertRecord.id.not_in(list(besides)))
            .group_by(AlertRecord.channel)).all())
        slack_ids = dict(session.execute(
            select(AlertRecord.channel, func.min(AlertRecord.slack_channel))
            .where(AlertRecord.channel.in_(list(channels)), AlertRecord.slack_channel.is_not(None))
            .group_by(AlertRecord.channel)).all())
    return Outlook(oldest_waiting={c: int(i) for c, i in oldest.items() if c is not None},
                   heads=heads, slack_ids={c: str(i) for c, i in slack_ids.items() if c is not None and i})


def aware(value: dt.datetime) -> dt.datetime:
    """The same moment as an aware UTC datetime (SQLite hands back naive ones, stored as UTC)."""
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """An aware UTC datetime (SQLite hands back naive ones, stored as UTC)."""
    return None if value is None else aware(value)


def snapshot(row: AlertRecord) -> OutboxAlert:
    return OutboxAlert(
        id=row.id, key=row.key, kind=row.kind, actor=row.actor, subject=row.subject, payload=dict(row.payload or {}),
        url=row.url or "", published=utc(row.published), thread_key=row.thread_key, channel=row.channel,
        status=row.status, attempts=row.attempts or 0, next_attempt_at=utc(row.next_attempt_at),
        claimed_by=row.claimed_by, claimed_until=utc(row.claimed_until), last_error=row.last_error,
        slack_channel=row.slack_channel, slack_ts=row.slack_ts, created_at=utc(row.created_at),
        sent_at=utc(row.sent_at),
    )


def _due(now: dt.datetime) -> ColumnElement[bool]:
    return and_(
        AlertRecord.status.in_(WAITING),
        or_(AlertRecord.next_attempt_at.is_(None), AlertRecord.next_attempt_at <= now),
        or_(AlertRecord.claimed_until.is_(None), AlertRecord.claimed_until < now),
    )


def write_alert(session: Session, alert: Alert) -> int | None:
    """Put an alert in the outbox unless its key is already there; its new id, or None for a repeat."""
    return insert_ignore(session, AlertRecord, ["key"], {
        "key": alert.key, "kind": str(alert.kind), "actor": alert.actor, "subject": alert.subject,
        "payload": alert.detail_json(), "url": alert.url, "published": alert.published,
        "thread_key": alert.thread_key, "status": AlertStatus.PENDING,
    })


def claim_due(store: Store, worker_id: str, now: dt.datetime, *, lease: float, limit: int = 100,
              after_id: int = 0) -> list[OutboxAlert]:
    """Take up to limit due alerts (id > after_id, oldest first) for lease seconds; none another worker holds."""
    now = aware(now)
    until = now + dt.timedelta(seconds=lease)
    chosen = (select(AlertRecord.id).where(_due(now), AlertRecord.id > after_id)
              .order_by(AlertRecord.id).limit(limit).with_for_update(skip_locked=True))
    statement = (update(AlertRecord).where(AlertRecord.id.in_(chosen), _due(now))
                 .values(claimed_by=worker_id, claimed_until=until).returning(AlertRecord))
    for attempt in range(5):
        try:
            with store.session() as session:
                rows = session.scalars(statement, execution_options={"synchronize_session": False}).all()
                return sorted((snapshot(r) for r in rows), key=lambda a: a.id)
        except OperationalError:  # SQLite: another writer held the database past busy_timeout
            if store.is_postgres or attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))
    return []


def renew(store: Store, alert_id: int, worker_id: str, now: dt.datetime, lease: float) -> bool:
    """Extend our lease just before posting and mark the post as under way; False when the alert is not ours."""
    now = aware(now)
    with store.session() as session:
        result = session.execute(
            update(AlertRecord)
            .where(AlertRecord.id == alert_id, AlertRecord.claimed_by == worker_id, AlertRecord.status.in_(WAITING))
            .values(claimed_until=now + dt.timedelta(seconds=lease), last_error=IN_FLIGHT),
            execution_options={"synchronize_session": False},
        )
        return affected(result) > 0


def renew_claims(store: Store, worker_id: str, now: dt.datetime, lease: float) -> int:
    """Extend every lease this worker holds (it is alive); how many. A dead worker's leases simply run out."""
    now = aware(now)
    with store.session() as session:
        result = session.execute(
            update(AlertRecord).where(AlertRecord.claimed_by == worker_id, AlertRecord.status.in_(WAITING))
            .values(claimed_until=now + dt.timedelta(seconds=lease)),
            execution_options={"synchronize_session": False},
        )
        return affected(result)


def release(store: Store, alert_id: int, worker_id: str, *, channel: str | None = None) -> None:
    """Give an alert back untouched (not an attempt), e.g. when an earlier one in its channel is waiting."""
    values: dict[str, Any] = {"claimed_by": None, "claimed_until": None}
    if channel is not None:
        values["channel"] = channel
    _update_claimed(store, [alert_id], worker_id, values)


def hold(store: Store, alert_id: int, worker_id: str, channel: str, until: dt.datetime) -> None:
    """Keep an alert for a digest or the end of quiet hours."""
    _update_claimed(store, [alert_id], worker_id, {
        "status": AlertStatus.HELD, "channel": channel, "next_attempt_at": utc(until), "claimed_by": None, "claimed_until": None,
    })


def mark_sent(store: Store, alert_ids: list[int], channel: str, slack_channel: str | None, slack_ts: str | None,
              now: dt.datetime) -> None:
    """Record delivery: what was posted is recorded even if our lease ran out meanwhile."""
    with store.session() as session:
        session.execute(
            update(AlertRecord).where(AlertRecord.id.in_(alert_ids)).values(
                status=AlertStatus.SENT, channel=channel, slack_channel=slack_channel, slack_ts=slack_ts, sent_at=utc(now),
                attempts=AlertRecord.attempts + 1, last_error=None, next_attempt_at=None,
                claimed_by=None, claimed_until=None),
            execution_options={"synchronize_session": False},
        )


def mark_failed(store: Store, alert_ids: list[int], worker_id: str, channel: str, error: str,
                retry_at: dt.datetime | None) -> None:
    """Count a failed attempt; retry at retry_at, or give up (status failed) when it is None."""
    values: dict[str, Any] = {
        "attempts": AlertRecord.attempts + 1, "last_error": error[:2000], "channel": channel,
        "next_attempt_at": utc(retry_at), "claimed_by": None, "claimed_until": None,
    }
    if retry_at is None:
        values["status"] = AlertStatus.FAILED
    _update_claimed(store, alert_ids, worker_id, values)


def _update_claimed(store: Store, alert_ids: list[int], worker_id: str, values: dict[str, Any]) -> None:
    with store.session() as session:
        session.execute(
            update(AlertRecord)
            .where(AlertRecord.id.in_(alert_ids), AlertRecord.claimed_by == worker_id, AlertRecord.status.in_(WAITING))
            .values(**values),
            execution_options={"synchronize_session": False},
        )


def thread_head(store: Store, thread_key: str) -> ThreadHead | None:
    """The oldest live alert sharing thread_key (normally the casualty event), with its Slack message."""
    with store.session() as session:
        row = session.scalars(
            select(AlertRecord).where(AlertRecord.thread_key == thread_key, AlertRecord.status.in_((*WAITING, AlertStatus.SENT)))
            .order_by(AlertRecord.id).limit(1)).first()
        if row is None:
            return None
        shared = False
        if row.slack_ts is not None:
            shared = (session.scalar(
                select(func.count()).select_from(AlertRecord)
                .where(AlertRecord.slack_channel == row.slack_channel, AlertRecord.slack_ts == row.slack_ts)) or 0) > 1
        snap = snapshot(row)
        return ThreadHead(id=row.id, status=row.status, payload=snap.payload, alert=snap,
                          slack_channel=row.slack_channel, slack_ts=row.slack_ts, shared=shared)


def requeue(store: Store, alert_ids: list[int] | None = None) -> int:
    """Make failed (or, by id, waiting) alerts due now with a fresh count of attempts; how many changed. The
    channel is routed again, so a retry after a routing fix in config goes where the config now says."""
    statement = update(AlertRecord).values(status=AlertStatus.PENDING, attempts=0, next_attempt_at=None, claimed_by=None,
                                           claimed_until=None, channel=None)
    if alert_ids is None:
        statement = statement.where(AlertRecord.status == AlertStatus.FAILED)
    else:
        statement = statement.where(AlertRecord.id.in_(alert_ids), AlertRecord.status.in_(UNSENT))
    with store.session() as session:
        return affected(session.execute(statement, execution_options={"synchronize_session": False}))


def list_alerts(store: Store, *, pending_only: bool = False, limit: int | None = None,
                newest_first: bool = False) -> list[OutboxAlert]:
    """The outbox, oldest (or newest) first; pending_only keeps what is not delivered (pending, held, failed)."""
    statement = select(AlertRecord).order_by(AlertRecord.id.desc() if newest_first else AlertRecord.id)
    if pending_only:
        statement = statement.where(AlertRecord.status.in_(UNSENT))
    if limit is not None:
        statement = statement.limit(limit)
    with store.session() as session:
        return [snapshot(r) for r in session.scalars(statement)]


def alerts_by_id(store: Store, alert_ids: list[int]) -> dict[int, OutboxAlert]:
    """The outbox rows with these ids; an id that is not there is simply absent from the answer."""
    with store.session() as session:
        rows = session.scalars(select(AlertRecord).where(AlertRecord.id.in_(alert_ids)))
        return {row.id: snapshot(row) for row in rows}


def thread_alerts(store: Store, thread_key: str) -> list[OutboxAlert]:
    """The sent alerts sharing thread_key (a casualty event and its updates), oldest first."""
    with store.session() as session:
        rows = session.scalars(select(AlertRecord).where(AlertRecord.thread_key == thread_key,
                                                         AlertRecord.status == AlertStatus.SENT).order_by(AlertRecord.id))
        return [snapshot(row) for row in rows]
