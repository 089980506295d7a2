"""Errors as a user meets them: one line that names what failed, and an exit code a script or cron can test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bot.cli import cli
from tests.cli_process import REPO, one_line_error, run_cli
from tests.notify.conftest import add_alerts, shift
from tests.slack_server import SlackServer

RUBIO = ("<item><title>Rubio on talks</title><link>https://wire.example/rubio</link><guid>rubio</guid>"
         "<pubDate>Thu, 17 Apr 2025 09:00:00 GMT</pubDate><description>Secretary of State Marco Rubio said on "
         "Thursday that talks with Russia can begin without a ceasefire.</description></item>")
MARKETS = ("<item><title>Markets steady</title><link>https://wire.example/markets-{n}</link><guid>m{n}</guid>"
           "<pubDate>Mon, 14 Apr 2025 09:00:00 GMT</pubDate><description>European stock markets were steady on "
           "Monday, for the {n}th day.</description></item>")


def feed_file(folder: Path, *items: str) -> Path:
    path = folder / "wire.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example'
                    f'</link><description>d</description>{"".join(items)}</channel></rss>', encoding="utf-8")
    return path


def config_folder(folder: Path, feed: Path, *, first_poll: str = "silent", channel: str = "#alerts") -> Path:
    config = folder / "config"
    config.mkdir(parents=True)
    for name in ("actors.yaml", "topics.yaml"):
        shutil.copy(REPO / "config" / name, config / name)
    (config / "feeds.yaml").write_text(yaml.safe_dump({"feeds": [
        {"name": "wire", "url": str(feed), "first_poll": first_poll}]}))
    (config / "delivery.yaml").write_text(yaml.safe_dump({"delivery": {
        "default_channel": channel, "per_channel_interval": 0, "retry_backoff": 0}}))
    return config


@pytest.mark.parametrize("url,names", [
    ("sqlite:////etc/passwd/bot.db", "/etc/passwd"),        # a file where a folder should be
    ("sqlite:////proc/discourse-bot.db", "/proc/discourse-bot.db"),   # a folder no one may write in
    ("postgresql://bot:secret@127.0.0.1:9/bot", "127.0.0.1:9/bot"),   # nothing listens there
])
def test_a_database_that_cannot_be_opened_is_one_line_naming_it(url: str, names: str) -> None:
    result = run_cli("--config", str(REPO / "config"), "--database-url", url, "status")
    line = one_line_error(result)
    assert names in line and "secret" not in line
    assert result.returncode == 1


def test_alerts_retry_of_an_unknown_id_says_so_and_fails(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/bot.db"
    from bot.store import Store

    store = Store(url)
    [known] = add_alerts(store, shift())
    store.close()
    runner = CliRunner()

    unknown = runner.invoke(cli, ["--database-url", url, "alerts", "retry", "999"])
    mixed = runner.invoke(cli, ["--database-url", url, "alerts", "retry", str(known), "998"])

    assert unknown.exit_code == 1 and unknown.stderr.strip() == "error: no alert with id 999"
    assert "queued" not in unknown.stdout
    assert mixed.exit_code == 1 and "1 alert(s) queued" in mixed.stdout and "no alert with id 998" in mixed.stderr


def test_baseline_of_an_unknown_actor_names_the_configured_ones(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(REPO / "config"), "--database-url",
                                      f"sqlite:///{tmp_path}/bot.db", "baseline", "show", "--actor", "zz"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: unknown actor 'zz' (configured: us, russia, ukraine, eu)"
    history = CliRunner().invoke(cli, ["--config", str(REPO / "config"), "--database-url",
                                       f"sqlite:///{tmp_path}/bot.db", "baseline", "history", "zz"])
    assert history.exit_code == 1 and "unknown actor 'zz'" in history.stderr


def test_check_config_warns_when_there_is_nothing_to_watch(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    no_actors = tmp_path / "no-actors"
    no_actors.mkdir()
    (no_actors / "feeds.yaml").write_text("feeds:\n  - {name: w, url: 'https://wire.example/rss'}\n")
    runner = CliRunner()

    nothing = runner.invoke(cli, ["--config", str(empty), "check-config"])
    feeds_only = runner.invoke(cli, ["--config", str(no_actors), "check-config"])
    shipped = runner.invoke(cli, ["--config", str(REPO / "config"), "check-config"])

    assert nothing.exit_code == 1 and "config OK" not in nothing.stdout
    assert [line.split(":")[1].strip() for line in nothing.stderr.splitlines()] == [str(empty), "feeds", "actors"]
    assert feeds_only.exit_code == 1 and feeds_only.stderr.startswith("warning: actors: no actor to watch")
    assert shipped.exit_code == 0 and shipped.stderr == ""


@pytest.mark.slow
def test_a_revoked_token_makes_replay_deliver_and_run_once_fail_so_cron_notices(tmp_path: Path) -> None:
    config = config_folder(tmp_path, feed_file(tmp_path, RUBIO), first_poll="alert")
    article = tmp_path / "rubio.txt"
    article.write_text("Rubio on talks\nSecretary of State Marco Rubio said on Thursday that talks with Russia "
                       "can begin without a ceasefire.\n")
    with SlackServer() as slack:
        env = {"SLACK_BOT_TOKEN": "xoxb-revoked", "SLACK_API_URL": slack.api_url,
               "DISCOURSE_BOT_SEEDS": str(REPO / "seeds")}
        replayed = run_cli("--config", str(config), "--database-url", f"sqlite:///{tmp_path}/replay.db", "replay",
                           "--deliver", str(article), env=env)
        polled = run_cli("--config", str(config), "--database-url", f"sqlite:///{tmp_path}/run.db", "run", "--once",
                         env=env)
        assert slack.all_messages() == []

    for result in (replayed, polled):
        assert result.returncode == 1, result.stderr
        assert "error: Slack refused delivery: #alerts: invalid_auth" in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_run_once_fails_on_a_missing_channel_and_passes_when_slack_takes_the_alert(tmp_path: Path) -> None:
    feed = feed_file(tmp_path, RUBIO)
    missing_config = config_folder(tmp_path / "missing", feed, first_poll="alert", channel="#nowhere")
    good_config = config_folder(tmp_path / "good", feed, first_poll="alert", channel="#alerts")
    with SlackServer(channels=("#alerts",)) as slack:
        env = {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url, "DISCOURSE_BOT_SEEDS": str(REPO / "seeds")}
        missing = run_cli("--config", str(missing_config), "--database-url", f"sqlite:///{tmp_path}/a.db", "run",
                          "--once", env=env)
        good = run_cli("--config", str(good_config), "--database-url", f"sqlite:///{tmp_path}/b.db", "run", "--once",
                       env=env)
        delivered = [m.text.splitlines()[0] for m in slack.posts("#alerts")]

    assert missing.returncode == 1 and "error: Slack refused delivery: #nowhere: channel_not_found" in missing.stderr
    assert good.returncode == 0, good.stderr
    assert delivered == ["Position shift: United States on negotiations"]


@pytest.mark.slow
def test_a_silent_first_poll_says_how_many_items_it_took_as_known(tmp_path: Path) -> None:
    config = config_folder(tmp_path, feed_file(tmp_path, RUBIO, MARKETS.format(n=1), MARKETS.format(n=2)))
    result = run_cli("--config", str(config), "--database-url", f"sqlite:///{tmp_path}/bot.db", "run", "--once",
                     env={"DISCOURSE_BOT_SEEDS": str(REPO / "seeds")})
    assert result.returncode == 0, result.stderr
    assert "feed wire: first poll: 3 item(s) taken as known without alerts (first_poll: silent)" in result.stderr


@pytest.mark.slow
def test_seeds_are_found_as_documented_and_a_missing_folder_is_said(tmp_path: Path) -> None:
    config = config_folder(tmp_path, feed_file(tmp_path, MARKETS.format(n=1)))
    beside = tmp_path / "seeds"            # beside the config folder: found first
    beside.mkdir()
    shutil.copy(REPO / "seeds" / "seed-feed.xml", beside / "ours.xml")
    args = ("--config", str(config), "--database-url")

    found = run_cli(*args, f"sqlite:///{tmp_path}/a.db", "run", "--once")
    empty = tmp_path / "no-seeds"
    empty.mkdir()
    none = run_cli(*args, f"sqlite:///{tmp_path}/b.db", "baseline", "show", env={"DISCOURSE_BOT_SEEDS": str(empty)})
    wrong = run_cli(*args, f"sqlite:///{tmp_path}/c.db", "run", "--once",
                    env={"DISCOURSE_BOT_SEEDS": str(tmp_path / "typo")})

    assert found.returncode == 0 and f"baseline from 1 seed document(s) in {beside}" in found.stdout
    assert none.returncode == 0 and f"no seed feed (*.xml) in {empty}: the baseline starts empty" in none.stderr
    assert one_line_error(wrong) == f"error: DISCOURSE_BOT_SEEDS={tmp_path / 'typo'}: no such folder"
