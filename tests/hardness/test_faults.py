"""Faults a running bot meets: the database locked for a while, Slack down for a cycle, `kill -9` in mid-cycle
(and in mid-delivery) followed by a restart. What must hold: no document processed twice, no alert lost or
duplicated in Slack; an alert whose fate is unknown stays pending (delayed), never dropped."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.pipeline import Pipeline
from bot.store import Store
from tests.hardness.conftest import write_config
from tests.hardness.servers import FeedServer, Response
from tests.slack_server import SlackServer

from bot.config import load_config

NOW = dt.datetime(2025, 4, 16, 12, 0, tzinfo=dt.timezone.utc)
CITIES = ["Sumy", "Kharkiv", "Odesa", "Dnipro", "Kherson", "Lviv", "Poltava", "Chernihiv"]
DEADLINE = 120.0  # seconds any wait in this module may last; every loop below is bounded by it


def casualty_feed(name: str, cities: list[str], start: int = 0) -> bytes:
    """One item per city, each a distinct casualty event (a casualty_event alert when the feed alerts)."""
    items = "".join(
        f"<item><title>Strike on {city}</title><link>https://{name}.example.org/{i}</link><guid>{name}-{i}</guid>"
        f"<pubDate>Mon, 14 Apr 2025 09:00:00 GMT</pubDate><description>A Russian missile strike on {city} killed "
        f"{start + i + 3} people on Sunday, regional officials said.</description></item>"
        for i, city in enumerate(cities))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{name}</title>'
            f"<link>https://{name}.example.org/</link><description>d</description>{items}</channel></rss>").encode()


def alert_config(folder: Path, feeds: dict[str, str], **settings: object) -> Path:
    return write_config(
        folder, [{"name": name, "url": url, "first_poll": "alert"} for name, url in feeds.items()],
        settings={"read_timeout": 5, "connect_timeout": 2, **settings},
        delivery={"default_channel": "#alerts", "admin_channel": "#admin", "per_channel_interval": 0, "retry_backoff": 0})


def city_posts(slack: SlackServer) -> Counter[str]:
    """How many Slack messages name each city (a duplicate shows as 2)."""
    found: Counter[str] = Counter()
    for message in slack.all_messages():
        text = " ".join(message.texts())
        found.update(city for city in CITIES if city in text)
    return found


def wait_for(condition, what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


def test_a_locked_database_delays_the_cycle_but_loses_nothing(tmp_path, extractor):
    with FeedServer({"/a": Response(casualty_feed("a", CITIES[:3]))}) as feeds, SlackServer() as slack:
        config = load_config(alert_config(tmp_path / "config", {"a": feeds.url("/a")}))
        database = tmp_path / "bot.db"
        store = Store(f"sqlite:///{database}")
        locked, release = threading.Event(), threading.Event()

        def hold_write_lock() -> None:  # another process's long write transaction
            connection = sqlite3.connect(database, isolation_level=None)
            connection.execute("BEGIN IMMEDIATE")
            locked.set()
            release.wait(timeout=DEADLINE)
            connection.execute("COMMIT")
            connection.close()

        holder = threading.Thread(target=hold_write_lock, daemon=True)
        holder.start()
        assert locked.wait(timeout=DEADLINE)
        timer = threading.Timer(2.0, release.set)  # the lock goes after a while, well inside the busy timeout
        timer.start()
        pipeline = Pipeline(config, store, extractor=extractor,
                            env={"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url})
        try:
            report = pipeline.run_cycle(now=NOW)
        finally:
            pipeline.close()
            release.set()
            timer.cancel()
            holder.join(timeout=DEADLINE)
        assert report.errors == {}
        assert report.documents_new == 3
        assert city_posts(slack) == Counter({city: 1 for city in CITIES[:3]})
        store.close()


def test_slack_down_for_a_cycle_delays_alerts_without_loss_or_duplicates(tmp_path, extractor):
    with FeedServer({"/a": Response(casualty_feed("a", CITIES[:3]))}) as feeds, SlackServer() as slack:
        config = load_config(alert_config(tmp_path / "config", {"a": feeds.url("/a")}))
        store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
        pipeline = Pipeline(config, store, extractor=extractor,
                            env={"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url})
        try:
            slack.fail_always("chat.postMessage", error="internal_error", status=500)
            down = pipeline.run_cycle(now=NOW)
            assert down.documents_new == 3 and len(down.alerts) == 3
            assert city_posts(slack) == Counter()
            slack.heal("chat.postMessage")
            back = pipeline.run_cycle(now=NOW + dt.timedelta(hours=1))
            later = pipeline.run_cycle(now=NOW + dt.timedelta(hours=2))
        finally:
            pipeline.close()
        assert back.documents_new == 0 and later.documents_new == 0
        assert city_posts(slack) == Counter({city: 1 for city in CITIES[:3]})
        store.close()


# -- kill -9 --------------------------------------------------------------------------------------------


def bot_command(tmp_path: Path, slack: SlackServer, *args: str) -> tuple[list[str], dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCOURSE_BOT_"))}
    (tmp_path / "no-seeds").mkdir(exist_ok=True)
    env.update({"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url,
                "DISCOURSE_BOT_CONFIG": str(tmp_path / "config"),
                "DISCOURSE_BOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
                "DISCOURSE_BOT_SEEDS": str(tmp_path / "no-seeds")})
    return [sys.executable, "-m", "bot", *args], env


def stored_documents(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)
        try:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:  # not migrated yet, or busy: ask again
        return 0


def pending_alerts(command: list[str], env: dict[str, str]) -> list[str]:
    result = subprocess.run([*command, "alerts", "list", "--pending", "--json"], env=env, capture_output=True,
                            text=True, timeout=DEADLINE)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.strip().startswith("{")]


@pytest.mark.slow
def test_kill_9_in_mid_cycle_then_restart_processes_each_document_once(tmp_path):
    """Killed while a slow feed is being fetched, after the first feed's documents were stored."""
    reached, gate = threading.Event(), threading.Event()

    def slow_feed() -> Response:
        reached.set()
        gate.wait(timeout=DEADLINE)
        return Response(casualty_feed("b", CITIES[3:6]))

    with FeedServer({"/a": Response(casualty_feed("a", CITIES[:3])), "/b": slow_feed,
                     "/c": Response(casualty_feed("c", CITIES[6:]))}) as feeds, SlackServer() as slack:
        alert_config(tmp_path / "config", {"a": feeds.url("/a"), "b": feeds.url("/b"), "c": feeds.url("/c")},
                     read_timeout=DEADLINE)
        command, env = bot_command(tmp_path, slack, "run", "--once")
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for(lambda: reached.is_set() and stored_documents(tmp_path / "bot.db") >= 3 or process.poll() is not None,
                     "the first feed's documents")
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=DEADLINE)
            if process.stderr:
                process.stderr.close()
        assert city_posts(slack) == Counter()  # delivery comes at the end of a cycle: nothing sent yet
        gate.set()

        restart = subprocess.run(command, env=env, capture_output=True, text=True, timeout=DEADLINE * 2)
        assert restart.returncode == 0, restart.stderr[-3000:]
        assert stored_documents(tmp_path / "bot.db") == len(CITIES)
        assert city_posts(slack) == Counter({city: 1 for city in CITIES})
        assert pending_alerts(command, env) == []


@pytest.mark.slow
def test_kill_9_while_slack_is_posting_then_restart_never_duplicates(tmp_path):
    """Killed after Slack took the third message but before the bot heard back: the fate of that alert is
    unknown to the bot. After a restart it may still be pending (its claim has to expire), but it is never
    posted twice and no other alert is lost."""
    with FeedServer({"/a": Response(casualty_feed("a", CITIES[:5]))}) as feeds, SlackServer() as slack:
        alert_config(tmp_path / "config", {"a": feeds.url("/a")})
        gate = threading.Event()
        slack.hold_after("chat.postMessage", 2, gate, after_doing=True)
        command, env = bot_command(tmp_path, slack, "run", "--once")
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for(lambda: slack.waiting() > 0 or process.poll() is not None, "the third post to Slack")
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=DEADLINE)
            if process.stderr:
                process.stderr.close()
            gate.set()
        assert sum(city_posts(slack).values()) == 3

        restart = subprocess.run(command, env=env, capture_output=True, text=True, timeout=DEADLINE * 2)
        assert restart.returncode == 0, restart.stderr[-3000:]
        posts = city_posts(slack)
        assert all(count == 1 for count in posts.values()), posts
        pending = pending_alerts(command, env)
        assert len(posts) + len(pending) == 5, (posts, pending)
