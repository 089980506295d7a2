"""Logs as JSON or text, and the health endpoint that turns stale when the scheduler stops beating."""

from __future__ import annotations

import io
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from bot.observability import HealthServer, Metrics, configure_logging


@pytest.fixture(autouse=True)
def restore_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("DISCOURSE_BOT_LOG_FORMAT", raising=False)
    monkeypatch.delenv("DISCOURSE_BOT_LOG_LEVEL", raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_service_logs_are_json_lines_with_their_fields() -> None:
    out = io.StringIO()
    configure_logging(0, out, service=True)
    logging.getLogger("bot.test").info("polled %s", "seed", extra={"action": "poll", "feed": "seed"})
    record = json.loads(out.getvalue())
    assert record["message"] == "polled seed" and record["level"] == "info"
    assert (record["action"], record["feed"]) == ("poll", "seed")
    assert record["time"].endswith("Z")


def test_a_terminal_gets_readable_text_and_commands_only_warnings() -> None:
    out = Terminal()
    configure_logging(0, out)
    log = logging.getLogger("bot.test")
    log.info("not shown")
    log.warning("feed %s failed", "seed", extra={"feed": "seed"})
    text = out.getvalue()
    assert "not shown" not in text
    assert "WARNING" in text and "feed seed failed" in text and "feed=seed" in text
    assert not text.lstrip().startswith("{")


def test_log_format_and_level_can_be_forced_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCOURSE_BOT_LOG_FORMAT", "json")
    monkeypatch.setenv("DISCOURSE_BOT_LOG_LEVEL", "debug")
    out = Terminal()
    configure_logging(0, out)
    logging.getLogger("bot.test").debug("details")
    assert json.loads(out.getvalue())["message"] == "details"


def test_health_endpoint_reports_a_stalled_scheduler() -> None:
    metrics = Metrics()
    metrics.polls.labels("seed", "ok").inc()
    server = HealthServer(metrics, 0, host="127.0.0.1", max_age=60).start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        metrics.beat()
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
            assert json.loads(response.read())["status"] == "ok"
        with urllib.request.urlopen(f"{base}/metrics", timeout=5) as response:
            assert 'discourse_bot_polls_total{feed="seed",outcome="ok"} 1.0' in response.read().decode()
        server.max_age = 0.0  # any heartbeat is now too old
        with pytest.raises(urllib.error.HTTPError) as stalled:
            urllib.request.urlopen(f"{base}/healthz", timeout=5)
        assert stalled.value.code == 503
        stalled.value.close()
    finally:
        server.stop()
