"""The baseline's history, `baseline accept` for baseline_update: manual, and the `baseline` commands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from bot.cli import cli
from bot.config import Config
from bot.errors import StoreError
from bot.store import Store
from bot.store.baseline import current, history
from bot.store.feedback import FeedbackAction, decide
from bot.store.ingest import ingest, seed
from tests.detect.harness import load_cases, make_config, make_document
from tests.store.pg import postgres_server, postgres_url, store_url  # noqa: F401  (pytest fixtures)

DATA = load_cases()
SHIFT = {"id": "rubio", "feed": "reuters", "source": "reuters.example", "published": "2025-04-20",
         "positions": [{"actor": "us", "kind": "condition", "subject": "negotiations", "requires": ["ceasefire"],
                        "negated": True, "speaker": "Marco Rubio", "quote": "Talks can begin without a ceasefire"}],
         "casualties": [{"killed": 40, "location": "Sumy", "country": "UA", "date": "2025-04-13"}]}


def open_seeded(url: str, config: Config) -> Store:
    store = Store(url)
    seed(store, [make_document(d) for d in DATA["seed"]], config)
    return store


@pytest.fixture
def manual() -> Config:
    return make_config(DATA["config"], {"detection": {"baseline_update": "manual"}})


@pytest.fixture
def store(store_url: str, manual: Config) -> Iterator[Store]:
    store = open_seeded(store_url, manual)
    yield store
    store.close()


def negotiations(store: Store) -> dict[str, Any]:
    return next(r.to_json() for r in current(store) if r.subject == "negotiations")


def alert_id(store: Store, kind: str) -> int:
    from sqlalchemy import select

    from bot.store.models import AlertRecord

    with store.session() as session:
        return session.scalars(select(AlertRecord.id).where(AlertRecord.kind == kind)).one()


def test_manual_shift_moves_the_baseline_only_when_accepted(store: Store, manual: Config) -> None:
    alerts = ingest(store, *make_document(SHIFT), manual)
    assert [a.kind for a in alerts] == ["position_shift", "casualty_update"]
    assert negotiations(store)["negated"] is False

    decision = decide(store, alert_id(store, "position_shift"), FeedbackAction.ACCEPT, user_id="U1")
    assert decision.after["stance"]["negated"] and decision.after["stance"]["speaker"] == "Marco Rubio"
    now = negotiations(store)
    assert now["negated"] is True and now["quote"] == "Talks can begin without a ceasefire"

    steps = history(store, "us", "negotiations")
    assert [(s.reason, s.stance.negated) for s in steps] == [("seed", False), ("accept", True)]
    assert steps[0].until == steps[1].since and steps[1].until is None
    assert steps[1].alert_id == alert_id(store, "position_shift")

    assert decide(store, alert_id(store, "position_shift"), FeedbackAction.ACCEPT, user_id="U2").repeated
    assert len(history(store, "us", "negotiations")) == 2            # a decision is applied once
    with pytest.raises(StoreError, match="casualty_update"):
        decide(store, alert_id(store, "casualty_update"), FeedbackAction.ACCEPT, user_id="U1")
    with pytest.raises(StoreError, match="no alert with id 999"):
        decide(store, 999, FeedbackAction.ACCEPT, user_id="U1")


def test_auto_shift_keeps_the_old_position_in_history(store_url: str) -> None:
    config = make_config(DATA["config"], None)
    store = open_seeded(store_url, config)
    try:
        [shift, _] = ingest(store, *make_document(SHIFT), config)
        steps = history(store, "us")
        assert [(s.subject, s.reason) for s in steps if s.subject == "negotiations"] == [
            ("negotiations", "seed"), ("negotiations", "shift")]
        assert {s.subject for s in steps} == {"negotiations", "peace_agreement", "sanctions_relief",
                                              "economic_partnership"}
        assert [s.alert_id is not None for s in history(store, "us", "negotiations")] == [False, True]
    finally:
        store.close()


# --- the commands, in-process -------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path, manual: Config) -> tuple[list[str], Store]:
    folder = tmp_path / "config"
    folder.mkdir()
    raw = {**DATA["config"], "detection": {"baseline_update": "manual"}}
    (folder / "bot.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    store = open_seeded(url, manual)
    return ["--config", str(folder), "--database-url", url], store


def invoke(args: list[str]) -> Any:
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_baseline_show_prints_each_position_with_its_provenance(cli_env: tuple[list[str], Store]) -> None:
    options, _ = cli_env
    text = invoke([*options, "baseline", "show"])
    assert text.exit_code == 0
    assert "United States — negotiations only after ceasefire" in text.output
    assert "https://example.org/seed/us-reinforces-ceasefire-condition" in text.output
    rows = [json.loads(line) for line in invoke([*options, "baseline", "show", "--json"]).output.splitlines()]
    assert {r["subject"] for r in rows} == {"negotiations", "peace_agreement", "sanctions_relief", "economic_partnership"}
    assert rows[0]["sources"] == ["example.org"] and rows[0]["since"] == "2025-04-15T00:00:00Z"


def test_baseline_accept_and_history_commands(cli_env: tuple[list[str], Store], manual: Config) -> None:
    options, store = cli_env
    ingest(store, *make_document(SHIFT), manual)
    shift_id = alert_id(store, "position_shift")

    done = invoke([*options, "baseline", "accept", str(shift_id)])
    assert done.exit_code == 0, done.output
    assert "United States — negotiations without ceasefire" in done.output

    again = invoke([*options, "baseline", "accept", str(shift_id)])
    assert again.exit_code == 1 and "already decided" in again.output and "Traceback" not in again.output

    lines = invoke([*options, "baseline", "history", "us", "negotiations"]).output.splitlines()
    assert lines[0].startswith("2025-04-15 → 2025-04-20  United States — negotiations only after ceasefire  (seed)")
    assert any(f"(accept, alert {shift_id})" in line for line in lines)
    steps = [json.loads(x) for x in invoke([*options, "baseline", "history", "us", "negotiations", "--json"]).output.splitlines()]
    assert [s["reason"] for s in steps] == ["seed", "accept"]

    none = invoke([*options, "baseline", "history", "ukraine"])
    assert none.exit_code == 0 and "no baseline history for ukraine" in none.output
    unknown = invoke([*options, "baseline", "history", "nobody"])
    assert unknown.exit_code == 1 and "unknown actor 'nobody' (configured: us, russia, ukraine, eu)" in unknown.output
