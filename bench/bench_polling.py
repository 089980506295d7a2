"""Polling: 1,000 feeds of 20 items on a loopback server, a first poll (all new) and a second (all 304).

    .venv/bin/python bench/bench_polling.py [--feeds 1000] [--items 20] [--profile]

Both polls go through the real Pipeline.run_cycle on SQLite (tmp folder), with the real extractor. Items are
short (a headline and one sentence) and the feeds' first_poll is `silent`, so the first poll builds the
baseline without alerting. All feeds are on one host (127.0.0.1), so settings.per_host_concurrency is
raised to 16 (the number of fetch threads). Goal: the second poll <= 10 s wall, and no document processed again. The all-304 poll is repeated
(--repeat) because its cost is mostly SQLite commits, whose fsync time varies with the disk's load.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, peak_rss_mb  # noqa: E402
from feeds import serve_feeds, write_config  # noqa: E402

from sqlalchemy import event, func, select  # noqa: E402

from bot.config import load_config  # noqa: E402
from bot.pipeline import Pipeline  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.store.database import create_database_engine  # noqa: E402
from bot.store.models import DocumentRecord  # noqa: E402

T0 = dt.datetime(2025, 4, 16, 12, 0, tzinfo=dt.timezone.utc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="cProfile the first all-304 poll (then not counted)")
    parser.add_argument("--repeat", type=int, default=3, help="all-304 polls after the first poll (default 3)")
    parser.add_argument("--synchronous", choices=["default", "NORMAL", "OFF"], default="default",
                        help="SQLite PRAGMA synchronous for this run (what-if; the bot itself sets none: FULL)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp, serve_feeds(args.feeds, args.items) as server:
        config = load_config(write_config(Path(tmp) / "config", server, args.feeds))
        url = f"sqlite:///{tmp}/bench.db"
        engine = create_database_engine(url)
        if args.synchronous != "default":
            event.listen(engine, "connect", lambda connection, _record: connection.execute(
                f"PRAGMA synchronous={args.synchronous}"))
        store = Store(url, engine=engine)
        print(f"SQLite synchronous: {args.synchronous}")
        pipeline = Pipeline(config, store, env={})
        start = time.perf_counter()
        pipeline.extractor  # the model loads outside the timed polls
        print(f"{args.feeds} feeds x {args.items} items; model loaded in {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        first = pipeline.run_cycle(now=T0)
        first_seconds = time.perf_counter() - start
        with store.session() as session:
            stored = session.scalar(select(func.count()).select_from(DocumentRecord))
        print(f"first poll:  {first_seconds:7.1f} s wall  {first.summary()}; {stored} documents stored "
              f"({first.documents_new / first_seconds:.0f} documents/s)")
        if first.errors:
            print(f"  errors: {dict(list(first.errors.items())[:5])}")

        profiler = cProfile.Profile() if args.profile else None
        walls: list[float] = []
        reprocessed = 0
        for k in range(1, args.repeat + 1):
            hits_before, not_modified_before = sum(server.hits.values()), server.not_modified
            start = time.perf_counter()
            if profiler and k == 1:
                profiler.enable()
            second = pipeline.run_cycle(now=T0 + dt.timedelta(hours=k))
            if profiler and k == 1:
                profiler.disable()
            walls.append(time.perf_counter() - start)
            reprocessed += second.documents_new
            requests = sum(server.hits.values()) - hits_before
            answered_304 = server.not_modified - not_modified_before
            print(f"poll {k + 1} (all unchanged): {walls[-1]:7.1f} s wall  {second.summary()}; {requests} requests, "
                  f"{answered_304} answered 304; load average {os.getloadavg()[0]:.1f}"
                  + (" (under cProfile)" if profiler and k == 1 else ""))
        timed = walls[1:] if profiler and len(walls) > 1 else walls
        median = statistics.median(timed)
        ok = median <= 10 and reprocessed == 0
        print(f"second poll, median of {len(timed)}: {median:.1f} s (worst {max(timed):.1f} s); documents processed again: "
              f"{reprocessed}. Goal (<= 10 s, none processed again): {'met' if ok else 'NOT met'}")
        print(f"peak RSS: {peak_rss_mb():.0f} MB")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())
        pipeline.close()
        store.close()


if __name__ == "__main__":
    main()
