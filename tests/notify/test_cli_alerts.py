"""`discourse-bot alerts list`, in process."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import cli
from bot.notify import deliver_pending
from bot.store import Store
from tests.notify.conftest import NOW, add_alerts, make_config, shift


def test_alerts_list_shows_the_outbox_and_what_waits(tmp_path, slack) -> None:
    url = f"sqlite:///{tmp_path}/bot.db"
    store = Store(url)
    add_alerts(store, shift(subject="alpha"), shift(subject="beta"))
    slack.fail_next("chat.postMessage", status=200, error="channel_not_found", times=1)
    deliver_pending(store, make_config(), env={"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url},
                    now=NOW)
    store.close()
    runner = CliRunner()

    everything = runner.invoke(cli, ["--database-url", url, "alerts", "list"])
    pending = runner.invoke(cli, ["--database-url", url, "alerts", "list", "--pending", "--json"])

    assert everything.exit_code == 0, everything.output
    assert everything.stdout.splitlines()[0].split() == ["ID", "STATUS", "KIND", "ABOUT", "CHANNEL", "TRIES", "WHEN",
                                                         "LAST", "ERROR"]
    assert "us / alpha" in everything.stdout and "channel_not_found" in everything.stdout
    rows = [json.loads(line) for line in pending.stdout.splitlines()]
    assert [(r["subject"], r["status"], r["attempts"]) for r in rows] == [("alpha", "pending", 1), ("beta", "pending", 0)]
    assert rows[0]["next_attempt_at"] == "2026-11-25T12:00:30Z"
    assert rows[0]["alert"]["before"]["requires"] == ["ceasefire"]


def test_alerts_list_on_an_empty_outbox(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["--database-url", f"sqlite:///{tmp_path}/bot.db", "alerts", "list", "--pending"])
    assert result.exit_code == 0 and result.stdout.strip() == "no pending alerts"
    assert "--pending" in CliRunner().invoke(cli, ["alerts", "list", "--help"]).stdout


def test_alerts_retry_requeues_what_gave_up(tmp_path, slack) -> None:
    url = f"sqlite:///{tmp_path}/bot.db"
    store = Store(url)
    add_alerts(store, shift(subject="alpha"))
    env = {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url}
    slack.fail_always("chat.postMessage", error="not_in_channel")
    deliver_pending(store, make_config(max_attempts=1), env=env, now=NOW)
    runner = CliRunner()
    assert "failed" in runner.invoke(cli, ["--database-url", url, "alerts", "list", "--pending"]).stdout

    result = runner.invoke(cli, ["--database-url", url, "alerts", "retry", "--all-failed"])
    slack.heal("chat.postMessage")
    report = deliver_pending(store, make_config(max_attempts=1), env=env, now=NOW)

    assert result.exit_code == 0 and "1 alert(s) queued" in result.stdout
    assert report.sent == 1 and len(slack.posts("#discourse-alerts")) == 1
    assert runner.invoke(cli, ["--database-url", url, "alerts", "retry"]).exit_code == 2
    store.close()
