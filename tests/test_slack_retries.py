"""Transient Slack errors in one-shot commands: retried inside the run, with backoff, within the pass's budget,
so cron's `run --once` and `replay --deliver` deliver the alert in the same run."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.error import URLError

import pytest
import yaml
from slack_sdk.http_retry import HttpRequest, RetryState

from bot.notify.slack import RetryBudget, TransientRetryHandler
from tests.cli_process import REPO, run_cli
from tests.slack_server import SlackServer
from tests.test_cli_errors import RUBIO, config_folder, feed_file

ARTICLE = ("Rubio on talks\nSecretary of State Marco Rubio said on Thursday that talks with Russia can begin "
           "without a ceasefire.\n")


def quick_retries(config: Path) -> Path:
    """Backoff of a few milliseconds, so the test does not wait for Slack's real retry times."""
    delivery = config / "delivery.yaml"
    data = yaml.safe_load(delivery.read_text())
    data["delivery"].update({"retry_backoff": 0.01, "retry_budget": "30s"})
    delivery.write_text(yaml.safe_dump(data))
    return config


@pytest.mark.slow
def test_run_once_delivers_in_the_same_run_after_two_500s(tmp_path: Path) -> None:
    config = quick_retries(config_folder(tmp_path, feed_file(tmp_path, RUBIO), first_poll="alert"))
    with SlackServer() as slack:
        slack.fail_next("chat.postMessage", status=500, times=2)
        env = {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url, "DISCOURSE_BOT_SEEDS": str(REPO / "seeds")}
        result = run_cli("--config", str(config), "--database-url", f"sqlite:///{tmp_path}/bot.db", "run", "--once",
                         env=env)
        statuses = [r.status for r in slack.calls("chat.postMessage")]
        delivered = [m.text.splitlines()[0] for m in slack.posts("#alerts")]
    assert result.returncode == 0, result.stderr
    assert statuses == [500, 500, 200]
    assert delivered == ["Position shift: United States on negotiations"]
    assert result.stderr.splitlines()[-1] == "1 alert(s) delivered"


@pytest.mark.slow
def test_replay_deliver_waits_out_a_rate_limit_and_an_outage_longer_than_the_client_used_to(tmp_path: Path) -> None:
    config = quick_retries(config_folder(tmp_path, feed_file(tmp_path, RUBIO)))
    article = tmp_path / "rubio.txt"
    article.write_text(ARTICLE)
    with SlackServer() as slack:
        slack.fail_next("chat.postMessage", status=429, retry_after=1)
        slack.fail_next("chat.postMessage", status=503, times=4)
        env = {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url, "DISCOURSE_BOT_SEEDS": str(REPO / "seeds")}
        result = run_cli("--config", str(config), "--database-url", f"sqlite:///{tmp_path}/bot.db", "replay",
                         "--deliver", str(article), env=env)
        calls = slack.calls("chat.postMessage")
        delivered = [m.text.splitlines()[0] for m in slack.posts("#alerts")]
    assert result.returncode == 0, result.stderr
    assert [c.status for c in calls] == [429, 503, 503, 503, 503, 200]
    assert calls[1].at - calls[0].at >= 1.0   # Retry-After was honoured
    assert delivered == ["Position shift: United States on negotiations"]


def test_a_refused_connection_is_retried_but_a_post_cut_short_after_sending_is_not() -> None:
    handler = TransientRetryHandler(0.0, RetryBudget(10))
    post = HttpRequest(method="POST", url="https://slack.example/api/chat.postMessage", headers={})
    read = HttpRequest(method="GET", url="https://slack.example/api/conversations.history", headers={})
    refused = URLError(ConnectionRefusedError(111, "Connection refused"))
    unknown_host = URLError(socket.gaierror(-2, "Name or service not known"))
    reset = URLError(ConnectionResetError(104, "Connection reset by peer"))

    assert handler.can_retry(state=RetryState(), request=post, error=refused)
    assert handler.can_retry(state=RetryState(), request=post, error=unknown_host)
    assert not handler.can_retry(state=RetryState(), request=post, error=reset)   # Slack may have posted it
    assert handler.can_retry(state=RetryState(), request=read, error=reset)       # reading again repeats nothing
    assert not TransientRetryHandler(0.0, RetryBudget(0)).can_retry(state=RetryState(), request=post, error=refused)
