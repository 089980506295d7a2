"""The table of detection cases (cases.yaml), each run through the real ingest on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.store import Store
from bot.store.baseline import current
from bot.store.ingest import ingest, seed
from bot.store.models import CasualtyEvent
from tests.detect.harness import load_cases, make_config, make_document, mismatches

DATA = load_cases()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    store = Store(store_url)
    yield store
    store.close()


def _baseline(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r.actor, r.subject): r.to_json() for r in current(store)}


def _events(store: Store) -> list[dict[str, Any]]:
    with store.session() as session:
        events = session.scalars(select(CasualtyEvent).options(selectinload(CasualtyEvent.sources))
                                 .order_by(CasualtyEvent.id)).all()
        return [{"location": e.location, "killed": e.killed, "injured": e.injured, "sources": len(e.sources)}
                for e in events]


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["name"] for c in DATA["cases"]])
def test_case(case: dict[str, Any], store: Store) -> None:
    config = make_config(DATA["config"], case.get("config"))
    if case.get("seed", True):
        seed(store, [make_document(d) for d in DATA["seed"]], config)
        assert _events(store), "the seed must leave its casualty event"
    problems: list[str] = []
    for number, step in enumerate(case["steps"], 1):
        document, facts = make_document(step["doc"])
        alerts = ingest(store, document, facts, config, alerting=step.get("alerting", True),
                        force=step.get("force", False))
        got = [a.to_json() for a in alerts]
        want = step.get("expect") or []
        if len(got) != len(want):
            problems.append(f"step {number} ({document.id}): expected {len(want)} alert(s), got {len(got)}: {got}")
            continue
        for i, (alert, expected) in enumerate(zip(got, want, strict=True)):
            problems += [f"step {number} alert {i}: {p}  in {alert}" for p in mismatches(alert, expected)]
    baseline = _baseline(store)
    for expected in case.get("baseline", []):
        key = (expected["actor"], expected["subject"])
        if key not in baseline:
            problems.append(f"baseline {key}: missing (have {sorted(baseline)})")
            continue
        problems += [f"baseline {key}: {p}" for p in mismatches(baseline[key], expected)]
    if "events" in case:
        events = _events(store)
        if len(events) != len(case["events"]):
            problems.append(f"events: expected {len(case['events'])}, got {events}")
        else:
            for i, (event, expected) in enumerate(zip(events, case["events"], strict=True)):
                problems += [f"event {i}: {p}" for p in mismatches(event, expected)]
    assert not problems, "\n".join(problems)
