"""Generated feeds for the benchmarks: many small RSS feeds on one loopback server, and a config naming them."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import yaml

from common import REPO
from tests.hardness.servers import FeedServer, Response

SUBJECTS = ["Officials in Kharkiv", "The ministry", "Rescue teams", "The spokesperson", "Local authorities"]
CITIES = ["Sumy", "Kharkiv", "Odesa", "Dnipro", "Kherson", "Lviv", "Poltava", "Chernihiv"]
VERBS = ["said talks could resume", "reported damage to a bridge", "described the night as quiet",
         "announced new measures", "confirmed the figures"]


DAY = dt.datetime(2025, 4, 15, 12, 0, tzinfo=dt.timezone.utc)
EVENT_DAYS = 200  # feeds publish on this many different days, so their casualty reports tell of many events


def small_feed(feed: int, items: int, generation: int = 0, *, same_day: bool = False) -> bytes:
    """An RSS feed of short, distinct items (a headline and one sentence); every fifth is a casualty report.

    Each feed publishes on a day of its own (one of EVENT_DAYS), so its reports are of events that a few other
    feeds report too. With `same_day` every feed publishes on one day: every report is of one of 8 events
    (one per city), each then told by hundreds of sources."""
    published = format_datetime(DAY - dt.timedelta(days=0 if same_day else feed % EVENT_DAYS), usegmt=True)
    entries = []
    for i in range(items):
        n = generation * items + i
        sentence = f"{SUBJECTS[(feed + n) % 5]} {VERBS[(feed * 7 + n) % 5]} on day {n} of report {feed}."
        if n % 5 == 4:  # now and then an event: a casualty report (an alert when the feed alerts)
            sentence = f"A drone strike on {CITIES[(feed + n) % len(CITIES)]} killed {n % 40 + 2} people, officials said."
        entries.append(f"<item><title>Update {feed}-{n}</title><link>https://f{feed}.example.org/{n}</link>"
                       f"<guid>f{feed}-{n}</guid><pubDate>{published}</pubDate>"
                       f"<description>{sentence}</description></item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed {feed}</title>'
            f"<link>https://f{feed}.example.org/</link><description>d</description>{''.join(entries)}"
            "</channel></rss>").encode()


def serve_feeds(count: int, items: int, *, same_day: bool = False) -> FeedServer:
    return FeedServer({f"/feeds/{n}.xml": Response(small_feed(n, items, same_day=same_day)) for n in range(count)})


def write_config(folder: Path, server: FeedServer, count: int, *, settings: dict[str, Any] | None = None,
                 first_poll: str = "silent") -> Path:
    """A config folder with the repo's actors and topics and `count` feeds on the server."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("actors.yaml", "topics.yaml"):
        (folder / name).write_text((REPO / "config" / name).read_text(encoding="utf-8"), encoding="utf-8")
    data = {
        "settings": {"per_host_concurrency": 16, "read_timeout": 10, "connect_timeout": 5, **(settings or {})},
        "delivery": {"per_channel_interval": 0},
        "feeds": [{"name": f"feed-{n:04d}", "url": server.url(f"/feeds/{n}.xml"), "interval": "15m", "jitter": 0,
                   "first_poll": first_poll} for n in range(count)],
    }
    (folder / "bot.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder
