"""ingest(): outbox rows, threads, idempotency and concurrent workers, on SQLite and a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.config import Config
from bot.detect.alerts import Alert
from bot.store import Store
from bot.store.ingest import ingest, seed
from bot.store.models import AlertRecord, CasualtyEvent, CasualtySource, DocumentRecord, PositionRecord
from tests.detect.harness import make_document
from tests.store.at_once import at_once
from tests.store.pg import postgres_server, postgres_url, store_url  # noqa: F401  (pytest fixtures)
from tests.store.seeded import DATA, config, store  # noqa: F401  (pytest fixtures)


def doc(id: str, source: str = "outlet-a.example", feed: str = "outlet-a", published: str = "2025-04-20",
        **facts: Any) -> dict[str, Any]:
    return {"id": id, "source": source, "feed": feed, "published": published, **facts}


SHIFT = [{"actor": "us", "kind": "condition", "subject": "negotiations", "requires": ["ceasefire"], "negated": True,
          "speaker": "Marco Rubio", "quote": "Talks can begin without a ceasefire"}]
KHARKIV = [{"killed": 5, "location": "Kharkiv", "country": "UA", "date": "2025-04-18", "weapon": "drone"}]


def run(store: Store, config: Config, spec: dict[str, Any], **options: Any) -> list[Alert]:
    document, facts = make_document(spec)
    return ingest(store, document, facts, config, **options)


def count(store: Store, model: Any) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_seeding_alerts_nothing_and_records_the_document(store: Store) -> None:
    assert count(store, AlertRecord) == 0
    assert count(store, DocumentRecord) == 1
    assert count(store, PositionRecord) == 4


def test_alerts_wait_in_the_outbox_as_pending(store: Store, config: Config) -> None:
    alerts = run(store, config, doc("shift", positions=SHIFT))
    assert [a.kind for a in alerts] == ["position_shift"]
    with store.session() as session:
        row = session.scalars(select(AlertRecord)).one()
        assert (row.status, row.kind, row.actor, row.subject) == ("pending", "position_shift", "us", "negotiations")
        assert row.key == alerts[0].key
        assert row.payload["after"]["negated"] is True and row.payload["before"]["requires"] == ["ceasefire"]


def test_a_seen_document_changes_nothing_unless_forced_and_never_alerts_twice(store: Store, config: Config) -> None:
    spec = doc("shift", positions=SHIFT, casualties=KHARKIV)
    assert len(run(store, config, spec)) == 2
    assert run(store, config, spec) == []
    assert run(store, config, spec, force=True) == []
    assert count(store, AlertRecord) == 2
    assert count(store, DocumentRecord) == 2
    assert count(store, PositionRecord) == 5


def test_not_alerting_writes_no_alert_but_moves_the_baseline(store: Store, config: Config) -> None:
    assert run(store, config, doc("silent", positions=SHIFT), alerting=False) == []
    assert count(store, AlertRecord) == 0
    assert run(store, config, doc("again", source="outlet-b.example", feed="outlet-b", positions=SHIFT)) == []


def test_casualty_updates_share_the_event_thread(store: Store, config: Config) -> None:
    first = run(store, config, doc("kharkiv-5", casualties=KHARKIV))
    update = run(store, config, doc("kharkiv-7", source="outlet-b.example", feed="outlet-b",
                                    casualties=[{**KHARKIV[0], "killed": 7}]))
    assert [a.kind for a in first + update] == ["casualty_event", "casualty_update"]
    assert first[0].thread_key and first[0].thread_key == update[0].thread_key
    assert first[0].key != update[0].key
    assert update[0].to_json()["previous"] == {"killed": 5, "injured": None}
    with store.session() as session:
        threads = session.scalars(select(AlertRecord.thread_key)).all()
        assert threads == [first[0].thread_key] * 2
        sumy = session.scalars(select(CasualtyEvent).where(CasualtyEvent.location == "Sumy")).one()
        assert first[0].thread_key != f"casualty:{sumy.id}"


@pytest.mark.parametrize("what", ["casualty", "shift"])
def test_concurrent_workers_report_a_new_fact_once(store: Store, config: Config, what: str) -> None:
    """Eight workers ingest eight outlets' reports of one new fact at once: one alert, eight sources."""
    def worker(n: int) -> list[Alert]:
        facts = {"casualties": KHARKIV} if what == "casualty" else {"positions": SHIFT}
        spec = doc(f"outlet-{n}", source=f"outlet-{n}.example", feed="outlet-a", text=f"report {n}", **facts)
        return run(store, config, spec)

    results = at_once(8, worker)
    alerts = [a for r in results for a in r]
    assert len(alerts) == 1, alerts
    assert count(store, AlertRecord) == 1
    if what == "casualty":
        assert count(store, CasualtyEvent) == 2  # Sumy (the seed) and Kharkiv
        assert count(store, CasualtySource) == 1 + 8
