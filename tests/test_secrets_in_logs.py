"""No credential in any log line: the webhook URL, the bot token, the signing secret and the database
password are redacted whichever library logs them (slack_sdk, httpx, SQLAlchemy), exception text included."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.observability import configure_logging
from tests.hardness.conftest import write_config
from tests.slack_server import SlackServer

SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543"
DB_PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def root_logger() -> Iterator[None]:
    """configure_logging replaces the root handlers; give pytest its own back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


@pytest.mark.parametrize("form", ["json", "text"])
def test_third_party_log_lines_and_tracebacks_are_redacted(monkeypatch: pytest.MonkeyPatch, form: str) -> None:
    webhook = "https://hooks.slack.com/services/T0ABCDEF/B0GHIJKL/abcdefghijklmnopqrstuvwx"
    token = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
    database = f"postgresql://bot:{DB_PASSWORD}@db.internal:5432/bot"
    monkeypatch.setenv("SLACK_WEBHOOK_URL", webhook)
    monkeypatch.setenv("SLACK_BOT_TOKEN", token)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("DISCOURSE_BOT_DATABASE_URL", database)
    monkeypatch.setenv("DISCOURSE_BOT_LOG_FORMAT", form)
    out = io.StringIO()
    configure_logging(2, stream=out)
    logging.getLogger("slack_sdk.http_retry").warning("A retry handler found: ServerErrorRetryHandler for POST %s",
                                                      webhook)
    logging.getLogger("httpx").warning("HTTP Request: POST %s?token=%s", webhook, token)
    logging.getLogger("sqlalchemy.engine.Engine").warning("cannot connect to %s", database)
    logging.getLogger("bot.any").warning("signed with %s", SIGNING_SECRET, extra={"url": webhook})
    try:
        raise ConnectionError(f"refused by {database} with Authorization: Bearer {token}")
    except ConnectionError:
        logging.getLogger("slack_sdk.web").exception("request failed")
    text = out.getvalue()
    for secret in (webhook, "abcdefghijklmnopqrstuvwx", token, SIGNING_SECRET, DB_PASSWORD):
        assert secret not in text, (secret, text)
    assert text.count("[redacted]") >= 7
    assert "ServerErrorRetryHandler" in text and "db.internal" in text and "request failed" in text


def casualty_feed(folder: Path) -> Path:
    path = folder / "feed.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://e.org/</link>'
                    "<description>d</description><item><title>Strike on Sumy</title><guid>s1</guid>"
                    "<link>https://e.org/s1</link><description>A Russian missile strike on Sumy killed 35 people "
                    "on Sunday, regional officials said.</description></item></channel></rss>")
    return path


@pytest.mark.parametrize("connection", ["webhook", "token"])
def test_a_run_failing_against_slack_logs_no_secret(tmp_path: Path, connection: str) -> None:
    (tmp_path / "seeds").mkdir()
    config = write_config(tmp_path / "config", [{"name": "f", "url": str(casualty_feed(tmp_path)), "first_poll": "alert"}],
                          delivery={"retry_backoff": 0})
    with SlackServer(token="xoxb-2718281828-3141592653-SeCrEtToKeNvAlUe") as slack:
        slack.fail_always("chat.postMessage", error="internal_error", status=500)
        slack.fail_always("webhook", error="internal_error", status=500)
        secrets = {"SLACK_SIGNING_SECRET": SIGNING_SECRET}
        secrets.update({"SLACK_WEBHOOK_URL": slack.webhook_url} if connection == "webhook"
                       else {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url})
        result = CliRunner().invoke(
            cli, ["-vv", "--config", str(config), "--database-url", f"sqlite:///{tmp_path / 'bot.db'}", "run", "--once"],
            env={**secrets, "DISCOURSE_BOT_LOG_FORMAT": "json", "DISCOURSE_BOT_LOG_LEVEL": "debug",
                 "DISCOURSE_BOT_SEEDS": str(tmp_path / "seeds")})
        posted = slack.calls("chat.postMessage") if connection == "token" else slack.calls("webhook")
    assert result.exit_code == 0, result.output
    output = result.output + (result.stderr or "")
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(posted) >= 2 and any("retry" in str(line.get("message")).lower() for line in lines)  # it did fail
    for secret in (slack.webhook_url, "/services/T000/B000/XXXX", slack.token, SIGNING_SECRET):
        assert secret not in output, secret
