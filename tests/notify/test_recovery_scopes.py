"""Crash recovery needs to read the channel back: the bot says once, at start, which Slack scopes it lacks for
that and what it risks; the documented app manifest grants them. Leases of claimed alerts are renewed by a
living worker and run out for a dead one."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import yaml

from bot.notify import check_recovery
from bot.notify.slack import RECOVERY_SCOPES
from bot.store import outbox
from tests.notify.conftest import add_alerts, make_config, shift
from tests.slack_server import SlackServer


def test_a_token_without_history_scopes_is_warned_about_once_naming_them(caplog: pytest.LogCaptureFixture) -> None:
    with SlackServer(scopes=("chat:write", "channels:read")) as slack, caplog.at_level(logging.WARNING):
        warning = check_recovery({"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url}, make_config())
    assert warning is not None
    assert "channels:history, groups:history, groups:read" in warning and "may post that alert twice" in warning
    assert [r.getMessage() for r in caplog.records] == [warning]


def test_a_token_with_every_scope_and_the_console_say_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with SlackServer() as slack, caplog.at_level(logging.WARNING):
        assert check_recovery({"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url}, make_config()) is None
        assert check_recovery({}, make_config()) is None
    assert caplog.records == []


def test_a_webhook_is_said_to_be_unable_to_read_back() -> None:
    with SlackServer() as slack:
        warning = check_recovery({"SLACK_WEBHOOK_URL": slack.webhook_url}, make_config())
    assert warning is not None and "cannot read its channel back" in warning


def test_the_documented_app_manifest_grants_what_the_bot_checks_for(repo_root) -> None:
    manifest = yaml.safe_load((repo_root / "docs" / "slack-app-manifest.yaml").read_text(encoding="utf-8"))
    granted = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", *RECOVERY_SCOPES} <= granted
    assert "slack-app-manifest.yaml" in (repo_root / "docs" / "slack.md").read_text(encoding="utf-8")


def test_a_living_worker_renews_its_leases_and_a_dead_ones_run_out(store) -> None:
    add_alerts(store, shift(subject="a"), shift(subject="b"))
    start = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone.utc)
    assert len(outbox.claim_due(store, "alive", start, lease=30)) == 2
    later = start + dt.timedelta(seconds=25)
    assert outbox.renew_claims(store, "alive", later, 30) == 2
    assert outbox.claim_due(store, "other", start + dt.timedelta(seconds=40), lease=30) == []  # still held
    # "alive" dies here: nothing renews its leases, which end 30 s after the last renewal
    taken = outbox.claim_due(store, "other", later + dt.timedelta(seconds=31), lease=30)
    assert [a.claimed_by for a in taken] == ["other", "other"]
