"""`discourse-bot alerts list`, in process."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import cli
from bot.notify import deliver_pending
from bot.store import Store
from tests.notify.conftest import NOW, add_alerts, make_config, shift
from tests.slack_server import SlackServer


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
    assert "United States / alpha" in everything.stdout and "channel_not_found" in everything.stdout
    rows = [json.loads(line) for line in pending.stdout.splitlines()]
    # newest first: what just happened is on top
    assert [(r["subject"], r["status"], r["attempts"]) for r in rows] == [("beta", "pending", 0), ("alpha", "pending", 1)]
    assert rows[1]["next_attempt_at"] == "2026-11-25T12:00:30Z"
    assert rows[1]["alert"]["before"]["requires"] == ["ceasefire"]
    assert everything.stdout.index("beta") < everything.stdout.index("alpha")


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


def test_a_retry_after_a_routing_fix_goes_where_the_config_now_says(tmp_path, slack) -> None:
    url = f"sqlite:///{tmp_path}/bot.db"
    store = Store(url)
    add_alerts(store, shift(actor="russia", subject="ceasefire"))
    env = {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url}
    slack.known_channels = {"#discourse-alerts", "#russia"}
    deliver_pending(store, make_config(max_attempts=1, by_actor={"russia": "#typo"}), env=env, now=NOW)
    assert CliRunner().invoke(cli, ["--database-url", url, "alerts", "retry", "--all-failed"]).exit_code == 0
    report = deliver_pending(store, make_config(max_attempts=1, by_actor={"russia": "#russia"}), env=env, now=NOW)
    assert report.sent == 1 and len(slack.posts("#russia")) == 1
    store.close()


def test_alerts_show_tells_the_whole_alert_and_where_it_went(tmp_path, slack) -> None:
    url = f"sqlite:///{tmp_path}/bot.db"
    store = Store(url)
    sent, failing = add_alerts(store, shift(subject="peace_agreement"), shift(actor="russia", subject="ceasefire"))
    config = make_config(by_actor={"russia": "#russia"})
    slack.known_channels = {"#discourse-alerts"}
    deliver_pending(store, config, env={"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url}, now=NOW)
    store.close()
    runner = CliRunner()

    shown = runner.invoke(cli, ["--database-url", url, "alerts", "show", str(sent)])
    waiting = runner.invoke(cli, ["--database-url", url, "alerts", "show", str(failing)])
    missing = runner.invoke(cli, ["--database-url", url, "alerts", "show", "404"])

    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[0].startswith(f"alert {sent} · position_shift · sent")
    assert "Position shift: United States on a peace agreement" in lines
    assert "Before: a peace agreement only after a ceasefire." in lines   # the shipped config's wording
    [message] = slack.posts("#discourse-alerts")
    assert f"delivery: sent to #discourse-alerts as {message.channel} {message.ts} at 2026-11-25 12:00:00 UTC (1 attempt)" \
        in lines
    assert "delivery: pending for #russia (1 attempt, next try 2026-11-25 12:00:30 UTC)" in waiting.stdout
    assert "last error: channel_not_found" in waiting.stdout
    assert missing.exit_code == 1 and "no alert with id 404" in missing.stderr


def test_alerts_preview_prints_the_block_kit_slack_would_get(tmp_path, slack, default_config, repo_root) -> None:
    url = f"sqlite:///{tmp_path}/bot.db"
    store = Store(url)
    [alert_id] = add_alerts(store, shift())
    result = CliRunner().invoke(cli, ["--config", str(repo_root / "config"), "--database-url", url, "alerts",
                                      "preview", str(alert_id)])
    deliver_pending(store, default_config, env={"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url},
                    now=NOW)
    store.close()

    assert result.exit_code == 0, result.output
    preview = json.loads(result.stdout)
    [posted] = slack.posts("#discourse-alerts")
    assert preview["channel"] == "#discourse-alerts"
    assert (preview["text"], preview["blocks"]) == (posted.text, posted.blocks)


def test_slack_test_posts_to_each_routed_channel_and_says_what_failed(tmp_path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "delivery.yaml").write_text(
        "delivery:\n  default_channel: '#alerts'\n  admin_channel: '#bot-admin'\n"
        "  by_kind: {casualty_event: '#casualties'}\n  per_channel_interval: 0\n  retry_backoff: 0\n")
    runner = CliRunner()
    with SlackServer(channels=("#alerts", "#casualties")) as server:
        env = {"SLACK_BOT_TOKEN": server.token, "SLACK_API_URL": server.api_url}
        result = runner.invoke(cli, ["--config", str(config), "slack", "test"], env=env)
        revoked = runner.invoke(cli, ["--config", str(config), "slack", "test"],
                                env={**env, "SLACK_BOT_TOKEN": "xoxb-revoked"})
        posted = {name: len(server.posts(name)) for name in ("#alerts", "#casualties")}
    unset = runner.invoke(cli, ["--config", str(config), "slack", "test"],
                          env={"SLACK_BOT_TOKEN": "", "SLACK_WEBHOOK_URL": ""})

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok      #alerts") and lines[2].startswith("ok      #casualties")
    assert lines[1].startswith("failed  #bot-admin: channel_not_found (no such channel")
    assert "1 of 3 channel(s) could not be posted to" in result.stderr
    assert posted == {"#alerts": 1, "#casualties": 1}
    assert revoked.exit_code == 1 and "Slack refused the token (invalid_auth" in revoked.stderr
    assert unset.exit_code == 1 and "no Slack settings" in unset.stderr
