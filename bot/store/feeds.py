"""Per-feed polling state: claims for several workers, conditional-GET validators, and feed health.

Claiming: a feed is due when it was never polled or its `next_due_at` has passed, and it is not held by a
live lease (`claimed_until` in the future). PostgreSQL picks due rows with `FOR UPDATE SKIP LOCKED` and
leases them in the same transaction; SQLite runs one conditional UPDATE (a write first, so the database
lock is taken before anything is read). A worker that dies holds its feeds only until the lease runs out.

Health: a feed is `ok`, `unhealthy` (failure_threshold consecutive failures) or `silent` (polled fine, but
no new item for longer than its `silent_after`), see FeedStatus. Each change of state writes one `feed_health` alert to
the outbox, inside the same transaction as the state change, so one alert per change, never one per poll.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from bot.config import Config, Feed
from bot.detect.alerts import AlertKind
from bot.sources.document import FeedFetch
from bot.store import Store
from bot.store.models import AlertRecord, AlertStatus, FeedChange, FeedState, FeedStatus
from bot.store.upsert import affected, insert_ignore

log = logging.getLogger(__name__)

DEFAULT_SILENT_AFTER = 86400.0  # a feed with no new item for a day is reported silent (feed.silent_after overrides)


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """An aware UTC datetime (SQLite hands back naive ones, stored as UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def _now(now: dt.datetime) -> dt.datetime:
    result = utc(now)
    assert result is not None
    return result


# -- rows -------------------------------------------------------------------------------------------


def ensure_feeds(store: Store, config: Config) -> None:
    """A state row for every configured feed (idempotent; safe when several workers start together)."""
    with store.session() as session:
        known = set(session.scalars(select(FeedState.name)))
        for feed in config.feeds:
            if feed.name not in known:
                insert_ignore(session, FeedState, ["name"], {
                    "name": feed.name, "url": feed.url, "consecutive_failures": 0, "healthy": True, "polls": 0,
                })


def _due(now: dt.datetime) -> ColumnElement[bool]:
    return and_(
        or_(FeedState.next_due_at.is_(None), FeedState.next_due_at <= now),
        or_(FeedState.claimed_until.is_(None), FeedState.claimed_until <= now),
    )


def claim_due_feeds(store: Store, config: Config, worker_id: str, now: dt.datetime, lease_seconds: float,
                    *, names: Collection[str] | None = None, limit: int | None = None) -> list[str]:
    """Lease the enabled feeds that are due (all, or those in `names`) to this worker; returns their names.

    A feed claimed here is polled by nobody else until `record_poll` releases it or the lease expires.
    """
    now = _now(now)
    wanted = [f.name for f in config.feeds if f.enabled and (names is None or f.name in names)]
    if not wanted:
        return []
    ensure_feeds(store, config)
    until = now + dt.timedelta(seconds=lease_seconds)
    with store.session() as session:
        if store.is_postgres:
            query = (select(FeedState.id).where(FeedState.name.in_(wanted), _due(now))
                     .order_by(FeedState.next_due_at.asc().nulls_first(), FeedState.id)
                     .with_for_update(skip_locked=True))
            ids = list(session.scalars(query.limit(limit) if limit else query))
            if not ids:
                return []
            session.execute(update(FeedState).where(FeedState.id.in_(ids))
                            .values(claimed_by=worker_id, claimed_until=until),
                            execution_options={"synchronize_session": False})
            return list(session.scalars(select(FeedState.name).where(FeedState.id.in_(ids)).order_by(FeedState.id)))
        # SQLite: the UPDATE takes the write lock first; the subquery then sees the latest committed state.
        pick = select(FeedState.id).where(FeedState.name.in_(wanted), _due(now)) \
            .order_by(FeedState.next_due_at.asc().nulls_first(), FeedState.id)
        claimed = session.execute(
            update(FeedState).where(FeedState.id.in_((pick.limit(limit) if limit else pick).scalar_subquery()))
            .values(claimed_by=worker_id, claimed_until=until).returning(FeedState.id, FeedState.name),
            execution_options={"synchronize_session": False}).all()
        return [name for _id, name in sorted(claimed)]


def release_claims(store: Store, worker_id: str) -> int:
    """Give back every feed this worker holds (on a clean shutdown); returns how many."""
    with store.session() as session:
        result = session.execute(update(FeedState).where(FeedState.claimed_by == worker_id)
                                 .values(claimed_by=None, claimed_until=None),
                                 execution_options={"synchronize_session": False})
        return affected(result)


def next_due(store: Store, name: str) -> dt.datetime | None:
    """When the feed may next be polled (None: now); a live claim by another worker counts as not due yet."""
    with store.session() as session:
        row = session.execute(select(FeedState.next_due_at, FeedState.claimed_until)
                              .where(FeedState.name == name)).first()
    if row is None:
        return None
    due, claimed = utc(row[0]), utc(row[1])
    return max([t for t in (due, claimed) if t is not None], default=None)


# -- polls ------------------------------------------------------------------------------------------


def feed_validators(store: Store, name: str) -> tuple[str | None, str | None]:
    """(etag, last_modified) from the last successful poll, for a conditional GET."""
    return validators_of(store, [name])[name]


def validators_of(store: Store, names: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
    """(etag, last_modified) of many feeds in one query; feeds never polled get (None, None)."""
    found: dict[str, tuple[str | None, str | None]] = {name: (None, None) for name in names}
    with store.session() as session:
        for start in range(0, len(names), 500):
            rows = session.execute(select(FeedState.name, FeedState.etag, FeedState.last_modified)
                                   .where(FeedState.name.in_(names[start:start + 500])))
            for name, etag, last_modified in rows:
                found[name] = (etag, last_modified)
    return found


def is_first_poll(store: Store, name: str) -> bool:
    """The feed has never been polled successfully: its items are its back catalogue."""
    return name in first_polls(store, [name])


def first_polls(store: Store, names: Sequence[str]) -> set[str]:
    """Those of the feeds that have never been polled successfully, in one query per few hundred."""
    polled: set[str] = set()
    with store.session() as session:
        for start in range(0, len(names), 500):
            polled.update(session.scalars(select(FeedState.name).where(
                FeedState.name.in_(names[start:start + 500]), FeedState.last_success_at.is_not(None))))
    return set(names) - polled


def _state(healthy: bool, failures: int, threshold: int) -> FeedStatus:
    if healthy:
        return FeedStatus.OK
    return FeedStatus.UNHEALTHY if failures >= threshold else FeedStatus.SILENT


@dataclass(frozen=True)
class PollRecord:
    """One poll to record: what the fetch brought, when, how many new items, how many of them quarantined."""

    feed: Feed
    result: FeedFetch
    now: dt.datetime
    new_items: int
    quarantined: int = 0


def record_poll(store: Store, feed: Feed, result: FeedFetch, now: dt.datetime, new_items: int,
                *, failure_threshold: int = 3, quarantined: int = 0) -> FeedChange | None:
    """Record one poll: validators, counters, items left beyond max_items, next due time, health; release
    the claim. `quarantined`: documents of this poll put in quarantine (for the log line).

    Returns the health transition when the feed's state changed, after writing its one `feed_health` alert to
    the outbox; None otherwise.
    """
    return record_polls(store, [PollRecord(feed, result, now, new_items, quarantined)],
                        failure_threshold=failure_threshold)[0]


def record_polls(store: Store, polls: Sequence[PollRecord], *,
                 failure_threshold: int = 3) -> list[FeedChange | None]:
    """Record many polls as `record_poll` does, in one transaction and a few statements (a cycle of a thousand
    unchanged feeds costs one commit, not a thousand); each poll's health transition, in order."""
    if not polls:
        return []
    names = list(dict.fromkeys(poll.feed.name for poll in polls))
    with store.session() as session:
        # Write first: takes the row locks (PostgreSQL) or the database lock (SQLite) before reading.
        for start in range(0, len(names), 500):
            session.execute(update(FeedState).where(FeedState.name.in_(names[start:start + 500]))
                            .values(polls=FeedState.polls + 1), execution_options={"synchronize_session": False})
        rows = {row.name: row for start in range(0, len(names), 500)
                for row in session.scalars(select(FeedState).where(FeedState.name.in_(names[start:start + 500])))}
        for poll in polls:
            if poll.feed.name not in rows:
                insert_ignore(session, FeedState, ["name"], {"name": poll.feed.name, "url": poll.feed.url, "polls": 1,
                                                             "consecutive_failures": 0, "healthy": True})
                rows[poll.feed.name] = session.scalars(select(FeedState).where(FeedState.name == poll.feed.name)).one()
        return [_record_in(session, rows[poll.feed.name], poll, failure_threshold) for poll in polls]


def _record_in(session: Session, row: FeedState, poll: PollRecord, threshold: int) -> FeedChange | None:
    """One poll on its feed's row (its poll already counted), inside the caller's transaction."""
    feed, result, new_items, quarantined = poll.feed, poll.result, poll.new_items, poll.quarantined
    now = _now(poll.now)
    before = _state(row.healthy, row.consecutive_failures or 0, threshold)

    row.url = feed.url
    row.last_polled_at = now
    row.first_polled_at = row.first_polled_at or now
    if result.error:
        row.consecutive_failures = (row.consecutive_failures or 0) + 1
        row.last_error = result.error[:2000]
        after = FeedStatus.UNHEALTHY if row.consecutive_failures >= threshold else before
    else:
        row.consecutive_failures = 0
        row.last_error = None
        row.last_success_at = now
        if not result.not_modified or result.etag or result.last_modified:
            row.etag, row.last_modified = result.etag, result.last_modified
        if new_items > 0:
            row.last_new_item_at = now
        quiet_since = utc(row.last_new_item_at) or utc(row.first_polled_at) or now
        silent_after = feed_silent_after(feed)
        after = FeedStatus.SILENT if (now - quiet_since).total_seconds() > silent_after else FeedStatus.OK
    row.healthy = after == FeedStatus.OK
    if not result.error and not result.not_modified:
        row.skipped_items = result.skipped
    outcome = "error" if result.error else "not_modified" if result.not_modified else "ok"
    notes = "".join([f", {new_items} new item(s)",
                     f", {quarantined} quarantined" if quarantined else "",
                     f", {result.skipped} beyond max_items not read" if result.skipped else ""])
    log.log(logging.WARNING if result.error or quarantined else logging.INFO, "polled %s: %s%s", feed.name,
            outcome, f" ({result.error})" if result.error else notes,
            extra={"action": "poll", "feed": feed.name, "outcome": outcome, "new_items": new_items,
                   "quarantined": quarantined, "skipped_items": result.skipped,
                   "error": result.error, "failures": row.consecutive_failures, "state": after})
    row.next_due_at = now + dt.timedelta(seconds=feed.interval + random.uniform(0, feed.jitter))
    row.claimed_by = None
    row.claimed_until = None
    if after == before:
        return None
    transition = FeedChange.RECOVERED if after == FeedStatus.OK else FeedChange(after.value)
    log.warning("feed %s is %s", feed.name, transition,
                extra={"action": "feed_health", "feed": feed.name, "state": transition, "error": row.last_error})
    _health_alert(session, feed, transition, row.last_error, row.polls, now)
    return transition


def feed_silent_after(feed: Feed) -> float:
    """Seconds without a new item after which a feed counts as silent."""
    value = getattr(feed, "silent_after", None)
    return float(value) if value else max(DEFAULT_SILENT_AFTER, 4 * feed.interval)


def _health_alert(session: Session, feed: Feed, state: FeedChange, error: str | None, poll: int,
                  now: dt.datetime) -> None:
    """One outbox row per state change; the key (feed, state, poll number) makes a repeat a no-op."""
    insert_ignore(session, AlertRecord, ["key"], {
        "key": f"feed_health:{feed.name}:{state}:{poll}",
        "kind": str(AlertKind.FEED_HEALTH),
        "actor": None,
        "subject": feed.name,
        "payload": {"feed": feed.name, "state": str(state), "error": error},
        "url": feed.url if feed.is_remote else "",
        "status": AlertStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    })


# -- status -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedRow:
    """One feed's state as `status` shows it."""

    name: str
    url: str
    state: FeedStatus
    polls: int
    last_polled_at: dt.datetime | None
    last_new_item_at: dt.datetime | None
    consecutive_failures: int
    last_error: str | None
    next_due_at: dt.datetime | None
    claimed_by: str | None
    claimed_until: dt.datetime | None
    quarantined: int = 0              # documents held in quarantine
    quarantine_error: str | None = None  # the latest of their errors
    skipped_items: int = 0            # items beyond max_items at the last poll


def feed_table(store: Store, threshold: int = 3) -> list[FeedRow]:
    """Every feed the database knows, by name. A feed otherwise ok is `quarantined` while it has documents
    held in quarantine."""
    from bot.store.quarantine import held_by_feed

    held = held_by_feed(store)
    with store.session() as session:
        rows = session.scalars(select(FeedState).order_by(FeedState.name)).all()
        table = []
        for r in rows:
            state = _state(r.healthy, r.consecutive_failures or 0, threshold) if r.last_polled_at \
                else FeedStatus.NEVER_POLLED
            count, error = held.get(r.name, (0, None))
            table.append(FeedRow(
                name=r.name, url=r.url, state=FeedStatus.QUARANTINED if count and state == FeedStatus.OK else state,
                polls=r.polls or 0, last_polled_at=utc(r.last_polled_at), last_new_item_at=utc(r.last_new_item_at),
                consecutive_failures=r.consecutive_failures or 0, last_error=r.last_error,
                next_due_at=utc(r.next_due_at), claimed_by=r.claimed_by, claimed_until=utc(r.claimed_until),
                quarantined=count, quarantine_error=error, skipped_items=r.skipped_items or 0,
            ))
        return table
