"""Three real `discourse-bot run` workers sharing one throwaway PostgreSQL over 50 feeds served locally.

Checks: every poll of a feed is done by exactly one worker and at most once per interval, all workers do
a share of the work, and the feed-health alerts (10 feeds fail, then recover) reach Slack exactly once each.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.store import Store
from bot.store.models import AlertRecord, FeedState
from tests.slack_server import SlackServer
from tests.sources.test_fetch import FeedServer, conditional_feed, rss, send
from tests.store.pg import postgres_server, postgres_url  # noqa: F401
from tests.test_scheduler import BotProcess, gaps, make_config, wait_for

NEWS = {  # city -> (text, feeds reporting it at the same moment): one casualty_event each, never two
    "Kharkiv": ("A Russian missile strike on Kharkiv killed 12 people and injured 30 on Monday, regional governor "
                "Oleh Syniehubov said.", ["feed-01", "feed-02", "feed-03"]),
    "Odesa": ("Russian drones struck Odesa overnight, killing 4 people, officials said.", ["feed-04", "feed-05"]),
    "Dnipro": ("A Russian missile attack on Dnipro killed 9 civilians on Tuesday, Ukrainian officials said.",
               ["feed-06", "feed-07"]),
}
NEWS_ITEM = """<item><title>{title}</title><link>https://{feed}.example.org/{slug}</link><guid>{feed}-{slug}</guid>
<pubDate>Tue, 06 May 2025 12:00:00 GMT</pubDate><description>{text}</description></item>"""

FEEDS = 50
FAILING = 10
INTERVAL = 5.0
LATENCY = 1.5  # a loaded 2-core machine may start a fetch this long after its poll was claimed
JITTER = 1.0
WORKERS = 3


@pytest.mark.postgres
@pytest.mark.slow
def test_three_workers_share_fifty_feeds_without_double_polls_or_lost_alerts(tmp_path: Path, postgres_url: str) -> None:
    names = [f"feed-{i:02d}" for i in range(FEEDS)]
    failing_names = names[-FAILING:]
    failing = threading.Event()
    failing.set()
    server = FeedServer().start()
    news: dict[str, list[str]] = {}  # feed -> extra items, published once the feeds' back catalogue is known

    def newsy(name: str) -> Callable[[BaseHTTPRequestHandler], None]:
        def handle(h: BaseHTTPRequestHandler) -> None:
            extra = news.get(name, [])
            body = rss(2, name).replace(b"</channel>", "".join(extra).encode() + b"</channel>")
            conditional_feed(body, etag=f'"{name}-{len(extra)}"')(h)
        return handle

    for name in names:
        healthy = newsy(name)
        if name in failing_names:
            def flaky(h: BaseHTTPRequestHandler, healthy=healthy) -> None:  # type: ignore[no-untyped-def]
                if failing.is_set():
                    send(h, 500, b"down", "text/plain")
                else:
                    healthy(h)
            server.routes[f"/{name}.xml"] = flaky
        else:
            server.routes[f"/{name}.xml"] = healthy
    config = make_config(tmp_path, [{"name": n, "url": server.url(f"/{n}.xml"), "interval": INTERVAL, "jitter": JITTER}
                                    for n in names], settings={"failure_threshold": 3})
    slack = SlackServer().start()
    env = {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url}
    workers: list[BotProcess] = []
    started = time.monotonic()
    try:
        workers = [BotProcess(config, postgres_url, env=env) for _ in range(WORKERS)]
        try:
            wait_for(lambda: all(len(server.hits(f"/{n}.xml")) >= 4 for n in failing_names), 240,
                     "every failing feed to be polled four times")
        except AssertionError as exc:
            hits_now = {n: len(server.hits(f"/{n}.xml")) for n in names}
            tails = [(w.proc.poll(), w.errors[-8:], [r for r in w.records() if r.get("level") == "error"][:5])
                     for w in workers]
            raise AssertionError(f"{exc}; hits {hits_now}; workers {tails}") from None
        failing.clear()
        for city, (text, reporters) in NEWS.items():
            for feed in reporters:
                news[feed] = [NEWS_ITEM.format(title=f"Strike on {city}", feed=feed, slug=city.lower(), text=text)]
        switched = time.monotonic()
        wait_for(lambda: all(sum(h.at > switched for h in server.hits(f"/{n}.xml")) >= 2 for n in failing_names), 120,
                 "every failing feed to be polled twice after it recovered")
        wait_for(lambda: len(slack.posts("#discourse-bot-admin")) >= 2 * FAILING, 60, "the feed-health alerts in Slack")
        wait_for(lambda: len(slack.posts("#discourse-alerts")) >= len(NEWS), 60, "the casualty alerts in Slack")
        time.sleep(3)  # a few more delivery rounds: any duplicate would show now
        for w in workers:  # all at once, as an orchestrator stopping a deployment does
            w.proc.send_signal(signal.SIGTERM)
        codes = [w.wait(timeout=10) for w in workers]  # the contract: gone within 10 s of SIGTERM
    finally:
        for w in workers:
            w.kill()
        server.stop()
        slack.stop()
    elapsed = time.monotonic() - started
    assert codes == [0] * WORKERS, [w.errors[-5:] for w in workers]

    # every worker did a share of the polling
    share = [len(w.polls()) for w in workers]
    assert all(count > 0 for count in share), share
    # no feed was polled twice within an interval, and every feed kept being polled
    hits = {n: server.hits(f"/{n}.xml") for n in names}
    shortest = min(min(gaps(h)) for h in hits.values())
    closest = min(names, key=lambda n: min(gaps(hits[n])))
    timeline = sorted((str(p["time"]), i, p["outcome"]) for i, w in enumerate(workers) for p in w.polls(closest))
    assert shortest >= INTERVAL - LATENCY, (closest, shortest, timeline)
    assert min(len(h) for h in hits.values()) >= 3
    # each poll was recorded once, by the worker that made it
    logged = Counter(str(p["feed"]) for w in workers for p in w.polls())
    store = Store(postgres_url)
    try:
        with store.session() as session:
            recorded = {row.name: row.polls for row in session.scalars(select(FeedState))}
            health = [(r.payload["feed"], r.payload["state"], r.status, r.slack_ts)
                      for r in session.scalars(select(AlertRecord).where(AlertRecord.kind == "feed_health"))]
            content = [(r.kind, r.status, r.slack_ts)
                       for r in session.scalars(select(AlertRecord).where(AlertRecord.kind != "feed_health"))]
    finally:
        store.close()
    assert recorded == dict(logged)
    # a fetch cut short by the stop signal is not recorded (its feed is polled again later): at most one per feed
    # in hand at that moment; every other request served is a recorded poll
    in_flight = {n: len(h) - recorded[n] for n, h in hits.items() if len(h) != recorded[n]}
    assert all(extra == 1 for extra in in_flight.values()) and len(in_flight) <= WORKERS * 4, in_flight
    # one alert per state change, each delivered exactly once
    assert sorted((f, s) for f, s, _status, _ts in health) == sorted(
        [(n, "unhealthy") for n in failing_names] + [(n, "recovered") for n in failing_names])
    assert all(status == "sent" for _f, _s, status, _ts in health)
    posts = slack.posts("#discourse-bot-admin")
    assert len(posts) == 2 * FAILING and len({p.ts for p in posts}) == 2 * FAILING
    assert sorted(p.ts for p in posts) == sorted(str(ts) for _f, _s, _st, ts in health)
    for name in failing_names:
        assert sum(name in json.dumps(p.blocks) for p in posts) == 2

    # the same strike reported by several feeds at once, polled by different workers: one event alert each
    assert sorted(kind for kind, _status, _ts in content) == ["casualty_event"] * len(NEWS), content
    assert all(status == "sent" for _kind, status, _ts in content)
    news_posts = slack.posts("#discourse-alerts")
    assert len(news_posts) == len(NEWS)
    for city in NEWS:
        assert sum(city in json.dumps(p.blocks) for p in news_posts) == 1, city

    total = sum(len(h) for h in hits.values())
    print(f"\nthree workers, {FEEDS} feeds every {INTERVAL:g}s (+{JITTER:g}s jitter): {total} polls in {elapsed:.1f}s "
          f"(worker shares {share}); shortest gap between two polls of one feed {shortest:.2f}s; "
          f"polls per feed {min(len(h) for h in hits.values())}-{max(len(h) for h in hits.values())}; "
          f"{len(posts)} health and {len(news_posts)} casualty alerts delivered once each")
