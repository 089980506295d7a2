"""Fixtures for delivery tests: a real SQLite outbox, a local Slack server, and alert rows written directly."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from bot.config import Actor, Config, Delivery, Topic
from bot.detect.alerts import CasualtyChange, Figures, PositionChange
from bot.detect.positions import classify_change
from bot.detect.stance import Stance
from bot.extract.facts import CasualtyReport
from bot.store import Store
from bot.store.models import AlertRecord
from tests.slack_server import SlackServer

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone.utc)
_keys = itertools.count(1)


@pytest.fixture
def store(tmp_path: Any) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path}/bot.db")
    yield s
    s.close()


@pytest.fixture
def env(slack: SlackServer) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url}


def make_config(**delivery: Any) -> Config:
    """A config with the test actors and topics; Slack pacing and retry sleeps off unless asked."""
    delivery.setdefault("per_channel_interval", 0)
    delivery.setdefault("retry_backoff", 0)
    return Config(
        actors=(Actor(id="us", name="United States"), Actor(id="russia", name="Russia"),
                Actor(id="ukraine", name="Ukraine")),
        topics=(Topic(id="peace_agreement", label="peace agreement"), Topic(id="ceasefire"),
                Topic(id="negotiations")),
        delivery=Delivery(**delivery),
    )


@pytest.fixture
def config() -> Config:
    return make_config()


def shift(actor: str = "us", subject: str = "peace_agreement", *, before: list[str] | None = None,
          after: list[str] | None = None, quote: str = "We need a ceasefire first.",
          new_quote: str = "Talks can start now.", url: str = "https://news.example/a") -> dict[str, Any]:
    """A position_shift row as detection writes it: by default a condition that dropped its ceasefire."""
    old = Stance(requires=tuple(["ceasefire"] if before is None else before), quote=quote,
                 url="https://news.example/old")
    new = Stance(requires=tuple([] if after is None else after), quote=new_quote, url=url)
    change, added, dropped = classify_change(old, new)
    detail = PositionChange(change=change, after=new, before=old, added=tuple(added), dropped=tuple(dropped))
    return {"kind": "position_shift", "actor": actor, "subject": subject, "payload": detail.to_json(), "url": url}


def casualty(kind: str = "casualty_event", *, killed: int = 35, injured: int | None = 117,
             previous: dict[str, Any] | None = None, thread_key: str = "event-1", location: str = "Sumy",
             actor: str = "russia") -> dict[str, Any]:
    """A casualty row as detection writes it, with exact figures."""
    report = CasualtyReport(killed=killed, killed_low=killed, killed_high=killed, injured=injured,
                            injured_low=injured, injured_high=injured, location=location, country="UA",
                            date=dt.date(2025, 4, 13), weapon="missile", perpetrator="russia",
                            quote=f"At least {killed} people were killed in {location}.")
    detail = CasualtyChange(casualty=report, sources=("https://news.example/sumy-1", "https://wire.example/sumy"),
                            previous=Figures(**previous) if previous is not None else None)
    return {"kind": kind, "actor": actor, "subject": None, "payload": detail.to_json(),
            "url": "https://news.example/sumy-1", "thread_key": thread_key}


def add_alerts(store: Store, *alerts: dict[str, Any]) -> list[int]:
    """Write outbox rows the way ingest does: committed, pending, before any delivery."""
    ids = []
    with store.session() as session:
        for alert in alerts:
            row = AlertRecord(key=f"test-{next(_keys)}", kind=alert["kind"], actor=alert.get("actor"),
                              subject=alert.get("subject"), payload=alert.get("payload", {}),
                              url=alert.get("url", ""), published=alert.get("published", NOW),
                              thread_key=alert.get("thread_key"), status="pending",
                              created_at=alert.get("created_at", NOW))
            session.add(row)
            session.flush()
            ids.append(row.id)
    return ids
