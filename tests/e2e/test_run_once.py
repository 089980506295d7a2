"""The whole bot as a user runs it: `discourse-bot run --once` as a subprocess, feeds over real HTTP on
loopback, alerts posted to a local Slack-compatible Web API server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import datetime as dt
import pytest
import yaml

from tests.slack_server import SlackServer

REPO = Path(__file__).resolve().parents[2]


class FeedServer:
    """Serves RSS feeds whose items a test can change between polls."""

    def __init__(self) -> None:
        self.feeds: dict[str, bytes] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                server.requests.append(self.path)
                body = server.feeds.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def rss(items: list[dict[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(i['title'])}</title><link>{escape(i['link'])}</link><guid>{escape(i['link'])}</guid>"
        f"<pubDate>{i['date']}</pubDate><description>{escape(i['text'])}</description></item>"
        for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
            f"<link>https://wire.example</link><description>t</description>{entries}</channel></rss>").encode()


def day(d: int) -> str:
    return format_datetime(dt.datetime(2025, 4, d, 9, 0, tzinfo=dt.timezone.utc))


OLD_ITEM = {"title": "Markets steady", "link": "https://wire.example/markets", "date": day(14),
            "text": "European stock markets were steady on Monday as investors waited for earnings."}
SHIFT_ITEM = {
    "title": "US drops ceasefire precondition for talks", "link": "https://wire.example/us-talks", "date": day(17),
    "text": ("The United States no longer insists on a ceasefire before negotiations with Russia. "
             "\u201cTalks with Russia can begin without a ceasefire,\u201d State Department spokesperson "
             "Tammy Bruce told reporters in Washington on Thursday.")}
TOLL_ITEM = {
    "title": "Sumy toll rises", "link": "https://wire.example/sumy-toll", "date": day(16),
    "text": ("The death toll from the Russian missile attack on Sumy on Sunday has risen to 40, "
             "regional officials said on Wednesday.")}


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


def make_config(folder: Path, feed_url: str) -> Path:
    config = folder / "config"
    config.mkdir()
    for name in ("actors.yaml", "topics.yaml"):
        shutil.copy(REPO / "config" / name, config / name)
    (config / "feeds.yaml").write_text(yaml.safe_dump({"feeds": [
        {"name": "wire", "url": feed_url, "interval": "15m", "first_poll": "silent"}]}))
    (config / "delivery.yaml").write_text(yaml.safe_dump({"delivery": {
        "default_channel": "#alerts", "admin_channel": "#bot-admin", "per_channel_interval": 0}}))
    return config


def run_once(config: Path, database: Path, slack: SlackServer) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url,
           "DISCOURSE_BOT_SEEDS": str(REPO / "seeds")}
    env.pop("SLACK_WEBHOOK_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "--database-url", f"sqlite:///{database}",
         "run", "--once"],
        capture_output=True, text=True, env=env, timeout=300, check=False)


def test_new_facts_reach_slack_once(tmp_path, feeds, slack):
    feeds.feeds["/wire.xml"] = rss([OLD_ITEM])
    config = make_config(tmp_path, feeds.url("/wire.xml"))
    database = tmp_path / "bot.db"

    first = run_once(config, database, slack)
    assert first.returncode == 0, first.stderr
    assert "United States — negotiations only after a ceasefire" in first.stdout  # the baseline from the seed
    assert feeds.requests == ["/wire.xml"]
    assert slack.all_messages() == []  # a new feed's back catalogue is silent

    feeds.feeds["/wire.xml"] = rss([SHIFT_ITEM, TOLL_ITEM, OLD_ITEM])
    second = run_once(config, database, slack)
    assert second.returncode == 0, second.stderr
    messages = slack.all_messages()
    texts = "\n".join(m.text for m in messages)
    assert len(messages) == 2, texts
    assert all(m.channel == slack.channel_id("#alerts") for m in messages)
    assert "negotiations" in texts and "ceasefire" in texts  # the shift: talks no longer need a ceasefire
    assert "40" in texts and "35" in texts and "Sumy" in texts  # the revised toll, with the figure it revises

    third = run_once(config, database, slack)
    assert third.returncode == 0, third.stderr
    assert len(slack.all_messages()) == 2  # nothing is posted twice
