"""Feed state on SQLite and PostgreSQL: claims and leases, validators, health transitions and their alerts."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.config import Config, Feed
from bot.sources.document import Document, FeedFetch
from bot.store import Store
from bot.store.feeds import (claim_due_feeds, feed_table, feed_validators, is_first_poll, next_due, record_poll,
                             release_claims)
from bot.store.models import AlertRecord
from tests.store.pg import postgres_server, postgres_url, store_url  # noqa: F401

T0 = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
LEASE = 300.0


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def make_config(n: int = 3, interval: float = 600, jitter: float = 0, **extra: object) -> Config:
    feeds = tuple(Feed(name=f"f{i}", url=f"http://127.0.0.1:9/f{i}.xml", interval=interval, jitter=jitter, **extra)  # type: ignore[arg-type]
                  for i in range(n))
    return Config(feeds=feeds)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    yield s
    s.close()


def ok(name: str, items: int = 1, etag: str | None = '"e1"') -> FeedFetch:
    docs = [Document(id=f"{name}-{i}", text="t") for i in range(items)]
    return FeedFetch(feed=name, documents=docs, etag=etag, last_modified="Tue, 15 Apr 2025 12:00:00 GMT")


def failed(name: str, error: str = "HTTP 500 Internal Server Error") -> FeedFetch:
    return FeedFetch(feed=name, error=error)


def health_alerts(store: Store) -> list[tuple[str, str, str | None]]:
    with store.session() as session:
        rows = session.scalars(select(AlertRecord).where(AlertRecord.kind == "feed_health").order_by(AlertRecord.id))
        return [(r.payload["feed"], r.payload["state"], r.payload["error"]) for r in rows
                if r.status == "pending"]


def test_new_feeds_are_due_once_and_not_again_until_their_interval_passes(store: Store) -> None:
    config = make_config(3)
    assert claim_due_feeds(store, config, "w1", T0, LEASE) == ["f0", "f1", "f2"]
    assert claim_due_feeds(store, config, "w2", T0, LEASE) == []  # leased to w1
    for feed in config.feeds:
        record_poll(store, feed, ok(feed.name), T0, new_items=1)
    assert claim_due_feeds(store, config, "w2", T0 + minutes(9), LEASE) == []
    assert claim_due_feeds(store, config, "w2", T0 + minutes(10), LEASE) == ["f0", "f1", "f2"]


def test_claims_can_be_limited_and_filtered_by_name(store: Store) -> None:
    config = make_config(4)
    assert claim_due_feeds(store, config, "w1", T0, LEASE, limit=2) == ["f0", "f1"]
    assert claim_due_feeds(store, config, "w2", T0, LEASE, names=["f3"]) == ["f3"]
    assert claim_due_feeds(store, config, "w2", T0, LEASE) == ["f2"]


def test_a_dead_workers_claims_expire_after_the_lease(store: Store) -> None:
    config = make_config(2)
    assert claim_due_feeds(store, config, "dead", T0, LEASE) == ["f0", "f1"]
    assert claim_due_feeds(store, config, "alive", T0 + minutes(4), LEASE) == []
    assert claim_due_feeds(store, config, "alive", T0 + minutes(5), LEASE) == ["f0", "f1"]


def test_a_clean_shutdown_releases_claims(store: Store) -> None:
    config = make_config(2)
    claim_due_feeds(store, config, "w1", T0, LEASE)
    assert release_claims(store, "w1") == 2
    assert claim_due_feeds(store, config, "w2", T0, LEASE) == ["f0", "f1"]


def test_disabled_feeds_are_never_claimed(store: Store) -> None:
    config = Config(feeds=(Feed(name="on", url="http://127.0.0.1:9/a"), Feed(name="off", url="http://127.0.0.1:9/b", enabled=False)))
    assert claim_due_feeds(store, config, "w1", T0, LEASE) == ["on"]


def test_next_due_time_includes_the_jitter(store: Store) -> None:
    config = make_config(1, interval=600, jitter=60)
    claim_due_feeds(store, config, "w1", T0, LEASE)
    record_poll(store, config.feeds[0], ok("f0"), T0, 1)
    due = next_due(store, "f0")
    assert due is not None and T0 + minutes(10) <= due <= T0 + minutes(11)


def test_validators_are_kept_for_the_next_conditional_get(store: Store) -> None:
    feed = make_config(1).feeds[0]
    assert feed_validators(store, "f0") == (None, None)
    assert is_first_poll(store, "f0")
    record_poll(store, feed, ok("f0"), T0, 1)
    assert feed_validators(store, "f0") == ('"e1"', "Tue, 15 Apr 2025 12:00:00 GMT")
    assert not is_first_poll(store, "f0")
    record_poll(store, feed, FeedFetch(feed="f0", not_modified=True), T0 + minutes(10), 0)  # 304 without headers
    assert feed_validators(store, "f0") == ('"e1"', "Tue, 15 Apr 2025 12:00:00 GMT")
    record_poll(store, feed, failed("f0"), T0 + minutes(20), 0)
    assert feed_validators(store, "f0") == ('"e1"', "Tue, 15 Apr 2025 12:00:00 GMT")


def test_a_failing_feed_alerts_once_when_unhealthy_and_once_when_it_recovers(store: Store) -> None:
    feed = make_config(1).feeds[0]
    t = T0
    transitions = []
    transitions.append(record_poll(store, feed, ok("f0"), t, 1, failure_threshold=3))
    for i in range(6):
        t += minutes(10)
        transitions.append(record_poll(store, feed, failed("f0", f"HTTP 500 Internal Server Error #{i}"), t, 0,
                                       failure_threshold=3))
    t += minutes(10)
    transitions.append(record_poll(store, feed, ok("f0"), t, 1, failure_threshold=3))
    assert transitions == [None, None, None, "unhealthy", None, None, None, "recovered"]
    assert health_alerts(store) == [("f0", "unhealthy", "HTTP 500 Internal Server Error #2"), ("f0", "recovered", None)]
    row = feed_table(store)[0]
    assert (row.state, row.consecutive_failures, row.polls) == ("ok", 0, 8)


def test_a_feed_without_new_items_for_too_long_is_reported_silent_once(store: Store) -> None:
    feed = make_config(1, interval=3600, silent_after=6 * 3600).feeds[0]
    assert record_poll(store, feed, ok("f0"), T0, 1) is None
    states = [record_poll(store, feed, FeedFetch(feed="f0", not_modified=True), T0 + dt.timedelta(hours=h), 0)
              for h in range(1, 10)]
    assert states.count("silent") == 1 and states[6] == "silent"  # hour 7 is the first past 6 hours
    assert record_poll(store, feed, ok("f0"), T0 + dt.timedelta(hours=10), 2) == "recovered"
    assert [s for _f, s, _e in health_alerts(store)] == ["silent", "recovered"]
    assert feed_table(store)[0].state == "ok"


def test_status_table_shows_polls_errors_and_next_run(store: Store) -> None:
    config = make_config(2)
    claim_due_feeds(store, config, "w1", T0, LEASE)
    record_poll(store, config.feeds[0], ok("f0"), T0, 1)
    record_poll(store, config.feeds[1], failed("f1", "timed out"), T0, 0)
    rows = {r.name: r for r in feed_table(store)}
    assert rows["f0"].state == "ok" and rows["f0"].last_new_item_at == T0 and rows["f0"].next_due_at == T0 + minutes(10)
    assert rows["f1"].last_error == "timed out" and rows["f1"].consecutive_failures == 1
    assert rows["f1"].claimed_by is None  # recording a poll releases the claim


def test_concurrent_claimers_never_share_a_feed(store: Store) -> None:
    config = make_config(30)
    claimed: dict[str, list[str]] = {}
    barrier = threading.Barrier(4)

    def worker(wid: str) -> None:
        barrier.wait()
        got: list[str] = []
        for _ in range(10):
            got += claim_due_feeds(store, config, wid, T0, LEASE, limit=2)
        claimed[wid] = got

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [name for names in claimed.values() for name in names]
    assert sorted(every) == sorted(f.name for f in config.feeds)
