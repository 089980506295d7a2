"""Benchmark: many alerts through a local Slack server that rate-limits and fails a share of calls.

Prints how many alerts were delivered exactly once, duplicates, missing, whether order per channel (and per
thread) held, rounds of delivery needed, Slack calls made and the wall time.

    .venv/bin/python bench/bench_delivery.py [--alerts 240] [--fail-rate 0.2] [--interval 0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import Actor, Config, Delivery  # noqa: E402
from bot.notify import deliver_pending  # noqa: E402
from bot.store import Store, outbox  # noqa: E402
from bot.store.models import AlertRecord  # noqa: E402
from tests.slack_server import SlackServer  # noqa: E402

ACTORS = ("us", "russia", "ukraine", "eu")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone.utc)


def make_alerts(store: Store, count: int) -> dict[int, str]:
    """Shifts for four actors plus casualty events, each followed later by an update in its thread."""
    expected: dict[int, str] = {}
    with store.session() as session:
        for i in range(count):
            actor = ACTORS[i % len(ACTORS)]
            if i % 10 == 3:        # a casualty event
                town = f"Town{i}"
                kind, payload, thread = "casualty_event", {"casualty": {"killed": 5, "location": town, "country": "UA"},
                                                           "sources": ["https://n.example/1"]}, f"ev{i}"
                subject = None
            elif i % 10 == 8:      # an update of the event five alerts earlier
                town = f"Town{i - 5}"
                kind, payload, thread = "casualty_update", {"casualty": {"killed": 9, "location": town, "country": "UA"},
                                                            "previous": {"killed": 5}, "sources": ["https://n.example/2"]}, f"ev{i - 5}"
                subject = None
            else:
                kind, thread, subject = "position_shift", None, f"topic_{i}"
                payload = {"before": {"requires": ["ceasefire"], "quote": f"quote {i}"},
                           "after": {"requires": [], "quote": f"new quote {i}"}}
            row = AlertRecord(key=f"bench-{i}", kind=kind, actor=actor if kind == "position_shift" else "russia",
                              subject=subject, payload=payload, url=f"https://n.example/{i}", thread_key=thread,
                              published=NOW)
            session.add(row)
            session.flush()
            expected[row.id] = kind
    return expected


def identify(header: str) -> tuple[str, int]:
    """(kind, number) from a message header: 'Position shift: … topic 12' or 'Casualty …: … Town3 …'."""
    kind = "update" if header.startswith("Casualty update") else "event" if header.startswith("Casualty event") else "shift"
    found = re.search(r"topic (\d+)" if kind == "shift" else r"Town(\d+)", header)
    return kind, int(found.group(1)) if found else -1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=240)
    parser.add_argument("--fail-rate", type=float, default=0.2)
    parser.add_argument("--interval", type=float, default=0.0, help="seconds between messages per channel")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds of the server's 429s")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)

    config = Config(actors=tuple(Actor(id=a, name=a.upper()) for a in ACTORS),
                    delivery=Delivery(by_actor={"us": "#us", "russia": "#russia", "ukraine": "#ukraine"},
                                      by_kind={"casualty_event": "#casualties", "casualty_update": "#casualties"},
                                      per_channel_interval=args.interval, retry_backoff=0.05))
    with tempfile.TemporaryDirectory() as tmp, SlackServer() as slack:
        store = Store(f"sqlite:///{tmp}/bench.db")
        expected = make_alerts(store, args.alerts)
        slack.fail_randomly(args.fail_rate, seed=args.seed, retry_after=args.retry_after)
        env = {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url}
        started = time.perf_counter()
        rounds, failed_attempts = 0, 0
        for rounds in range(1, 100):
            report = deliver_pending(store, config, env=env, now=NOW + dt.timedelta(hours=rounds))
            failed_attempts += report.failed
            if not outbox.list_alerts(store, pending_only=True):
                break
        wall = time.perf_counter() - started

        messages = slack.all_messages()
        seen = Counter(identify(m.blocks[0]["text"]["text"]) for m in messages)
        wanted = Counter()
        for i in range(args.alerts):
            wanted[("event", i) if i % 10 == 3 else ("update", i - 5) if i % 10 == 8 else ("shift", i)] += 1
        exactly_once = sum(1 for key, n in wanted.items() if seen.get(key) == n)
        duplicates = sum(max(0, seen[key] - wanted.get(key, 0)) for key in seen)
        missing = sum(max(0, n - seen.get(key, 0)) for key, n in wanted.items())

        order_ok = True
        for channel in ("#us", "#russia", "#ukraine", "#casualties", "#discourse-alerts"):
            numbers = [identify(m.blocks[0]["text"]["text"])[1] for m in slack.posts(channel)]
            order_ok &= numbers == sorted(numbers)
        threads_ok = all(len(slack.replies("#casualties", m.ts)) == wanted.get(("update", identify(m.blocks[0]["text"]["text"])[1]), 0)
                         for m in slack.posts("#casualties"))
        edited = sum(1 for m in slack.posts("#casualties") if m.edits)
        calls = Counter((r.method, r.status) for r in slack.requests)
        rows = outbox.list_alerts(store)
        store.close()

    print(f"alerts: {args.alerts} ({Counter(expected.values())})")
    print(f"server: fails {args.fail_rate:.0%} of calls at random (half 429 Retry-After: {args.retry_after}, half 500)")
    print(f"slack calls: {sum(calls.values())} ({', '.join(f'{m} {s}: {n}' for (m, s), n in sorted(calls.items()))})")
    print(f"delivered exactly once: {exactly_once}/{len(wanted)}")
    print(f"duplicates: {duplicates}")
    print(f"missing: {missing}")
    print(f"order per channel OK: {order_ok}")
    print(f"updates in their event's thread: {threads_ok}; event messages edited: {edited}")
    print(f"outbox: {Counter(r.status for r in rows)}; failed attempts kept for retry: {failed_attempts}")
    print(f"delivery rounds: {rounds}")
    print(f"wall time: {wall:.1f} s")
    return 0 if exactly_once == len(wanted) and not duplicates and order_ok and threads_ok else 1


if __name__ == "__main__":
    sys.exit(main())
