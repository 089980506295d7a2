"""Memory: peak RSS with the model loaded, and RSS growth over 200 cycles with fresh items each cycle.

    .venv/bin/python bench/bench_memory.py [--cycles 200] [--feeds 5] [--items 4]

A loopback server publishes new items on every feed before each cycle (so every cycle fetches, parses,
extracts, ingests and delivers to the console, whose output goes to /dev/null). Growth is measured from
the RSS after a warm-up of 10 cycles (caches filled) to the RSS after the last cycle.
Goals: peak RSS <= 400 MB; growth <= 5%.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, peak_rss_mb, rss_mb  # noqa: E402
from feeds import small_feed, write_config  # noqa: E402

from bot.config import load_config  # noqa: E402
from bot.pipeline import Pipeline  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.hardness.servers import FeedServer, Response  # noqa: E402

T0 = dt.datetime(2025, 4, 16, 12, 0, tzinfo=dt.timezone.utc)
WARM_UP = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cycles", type=int, default=200)
    parser.add_argument("--feeds", type=int, default=5)
    parser.add_argument("--items", type=int, default=4)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    start_rss = rss_mb()
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as server:
        for n in range(args.feeds):
            server.set(f"/feeds/{n}.xml", Response(small_feed(n, args.items, 0)))
        config = load_config(write_config(Path(tmp) / "config", server, args.feeds, first_poll="alert"))
        store = Store(f"sqlite:///{tmp}/bench.db")
        pipeline = Pipeline(config, store, env={})
        pipeline.extractor
        gc.collect()
        model_rss = rss_mb()
        print(f"RSS: {start_rss:.0f} MB at start, {model_rss:.0f} MB with the model loaded")
        samples: list[tuple[int, float]] = []
        documents = alerts = 0
        started = time.perf_counter()
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            for cycle in range(1, args.cycles + 1):
                for n in range(args.feeds):
                    server.set(f"/feeds/{n}.xml", Response(small_feed(n, args.items, cycle)))
                report = pipeline.run_cycle(now=T0 + dt.timedelta(hours=cycle))
                documents += report.documents_new
                alerts += len(report.alerts)
                if cycle == WARM_UP or cycle % 50 == 0 or cycle == args.cycles:
                    gc.collect()
                    samples.append((cycle, rss_mb()))
        seconds = time.perf_counter() - started
        pipeline.close()
        store.close()
    print(f"{args.cycles} cycles over {args.feeds} feeds in {seconds:.0f} s: {documents} new documents, {alerts} alerts")
    for cycle, value in samples:
        print(f"  RSS after cycle {cycle:>4}: {value:6.1f} MB")
    warm = dict(samples)[WARM_UP]
    end = samples[-1][1]
    growth = 100 * (end - warm) / warm
    peak = peak_rss_mb()
    print(f"peak RSS: {peak:.0f} MB (goal <= 400: {'met' if peak <= 400 else 'NOT met'})")
    print(f"growth from cycle {WARM_UP} to {samples[-1][0]}: {end - warm:+.1f} MB = {growth:+.1f}% "
          f"(goal <= 5%: {'met' if growth <= 5 else 'NOT met'})")


if __name__ == "__main__":
    main()
