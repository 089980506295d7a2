"""Documents ingested together in one transaction (a poll's chunk) decide exactly as when each has its own,
on SQLite and a real PostgreSQL: the transaction's reads are kept for its later documents, and forgotten when
a document's savepoint rolls back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Config
from bot.detect.alerts import Alert
from bot.store import Store
from bot.store.ingest import ingest, ingest_in, prepare_chunk, seed
from bot.store.models import AlertRecord, CasualtyEvent, CasualtySource
from tests.detect.harness import load_cases, make_config, make_document
from tests.store.at_once import at_once
from tests.store.pg import postgres_server, postgres_url, store_url  # noqa: F401  (pytest fixtures)

DATA = load_cases()


def report(id: str, source: str, published: str, **casualty: Any) -> dict[str, Any]:
    return {"id": id, "source": f"{source}.example", "feed": source, "published": published, "text": id,
            "casualties": [{"country": "UA", "weapon": "drone", **casualty}]}


# Reports of several attacks over three weeks, in publication order: tolls that rise, a repeat, another
# city the same day, a report without a day, one in another country, a revision of an old attack.
TIMELINE = [
    report("k1", "outlet-a", "2025-04-18", killed=5, location="Kharkiv", date="2025-04-18"),
    report("k2", "outlet-b", "2025-04-18", killed=7, location="Kharkiv", date="2025-04-18"),
    report("o1", "outlet-a", "2025-04-18", killed=3, location="Odesa", date="2025-04-18"),
    report("k3", "outlet-c", "2025-04-19", killed=7, location="Kharkiv", date="2025-04-18"),
    report("d1", "outlet-b", "2025-04-25", killed=2, injured=10, location="Dnipro", date="2025-04-25"),
    report("u1", "outlet-c", "2025-04-26", killed=4, location="Dnipro"),
    report("b1", "outlet-a", "2025-04-26", killed=6, location="Belgorod", country="RU", date="2025-04-26"),
    report("k4", "outlet-d", "2025-04-27", killed=9, location="Kharkiv", date="2025-04-18"),
    report("s1", "outlet-d", "2025-05-08", killed=1, location="Sumy", date="2025-05-08"),
    report("d2", "outlet-a", "2025-05-09", killed=3, injured=12, location="Dnipro", date="2025-04-25"),
]


@pytest.fixture
def config() -> Config:
    return make_config(DATA["config"], None)


def fresh_store(url: str, config: Config) -> Store:
    store = Store(url)
    seed(store, [make_document(d) for d in DATA["seed"]], config)
    return store


@pytest.fixture
def store(store_url: str, config: Config) -> Iterator[Store]:
    store = fresh_store(store_url, config)
    yield store
    store.close()


def together(store: Store, config: Config, specs: list[dict[str, Any]]) -> list[Alert]:
    """The documents in one transaction, each in its savepoint, as a poll records a chunk."""
    pairs = [make_document(spec) for spec in specs]
    alerts = []
    with store.session() as session:
        prepare_chunk(session, pairs, config)
        for document, facts in pairs:
            with session.begin_nested():
                alerts += ingest_in(session, document, facts, config)
    return alerts


def one_by_one(store: Store, config: Config, specs: list[dict[str, Any]]) -> list[Alert]:
    return [alert for spec in specs for alert in ingest(store, *make_document(spec), config)]


def outcome(store: Store, alerts: list[Alert]) -> dict[str, Any]:
    """What a user sees: the alerts raised and the events and sources stored."""
    with store.session() as session:
        events = [(e.key, e.location, e.country, e.date, e.killed, e.injured, e.trust, e.url)
                  for e in session.scalars(select(CasualtyEvent).order_by(CasualtyEvent.id))]
        sources = session.execute(select(CasualtySource.event_id, CasualtySource.url, CasualtySource.killed)
                                  .order_by(CasualtySource.id)).all()
        outbox = session.scalars(select(AlertRecord.key).order_by(AlertRecord.id)).all()
    raised = [(a.kind, a.key, a.thread_key, a.to_json().get("previous")) for a in alerts]
    return {"alerts": raised, "events": events, "sources": sources, "outbox": outbox}


def test_a_rolled_back_document_is_forgotten_by_the_documents_after_it(store: Store, config: Config) -> None:
    first, rolled_back, after = TIMELINE[0], TIMELINE[1], {**TIMELINE[1], "id": "k2-again"}
    pairs = [make_document(spec) for spec in (first, rolled_back, after)]
    alerts: list[Alert] = []
    with store.session() as session:
        prepare_chunk(session, pairs, config)
        with session.begin_nested():
            alerts += ingest_in(session, *pairs[0], config)
        with pytest.raises(RuntimeError), session.begin_nested():
            ingest_in(session, *pairs[1], config)   # the toll rises to 7, then the document fails
            raise RuntimeError("the document fails after its decisions were written")
        alerts += ingest_in(session, *pairs[2], config)
    assert [a.kind for a in alerts] == ["casualty_event", "casualty_update"]   # 5 to 7 is still news
    assert alerts[1].to_json()["previous"] == {"killed": 5, "injured": None}
    with store.session() as session:
        kharkiv = session.scalars(select(CasualtyEvent).where(CasualtyEvent.location == "Kharkiv")).one()
        links = session.scalars(select(CasualtySource.url).where(CasualtySource.event_id == kharkiv.id)).all()
    assert kharkiv.killed == 7 and len(links) == 2


@pytest.fixture
def reference_url(store_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A second empty database of the same kind as `store_url`."""
    if store_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'reference.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(url)


@pytest.mark.parametrize("chunk", [3, len(TIMELINE)])
def test_chunks_of_a_timeline_decide_as_documents_one_by_one(store: Store, reference_url: str, config: Config,
                                                             chunk: int) -> None:
    alerts = []
    for start in range(0, len(TIMELINE), chunk):
        alerts += together(store, config, TIMELINE[start:start + chunk])
    reference = fresh_store(reference_url, config)
    try:
        expected = outcome(reference, one_by_one(reference, config, TIMELINE))
    finally:
        reference.close()
    kinds = [kind for kind, *_ in expected["alerts"]]
    assert kinds.count("casualty_event") >= 4 and "casualty_update" in kinds   # the timeline is not trivial
    assert outcome(store, alerts) == expected


def test_concurrent_chunks_report_a_new_fact_once(store: Store, config: Config) -> None:
    """Four workers record chunks holding reports of the same new attack at once: one alert, every source."""
    def worker(n: int) -> list[Alert]:
        return together(store, config, [report(f"w{n}-{i}", f"outlet-{n}", "2025-04-18", killed=5,
                                               location="Kharkiv", date="2025-04-18") for i in range(3)])

    assert len([a for r in at_once(4, worker) for a in r]) == 1
    with store.session() as session:
        kharkiv = session.scalars(select(CasualtyEvent).where(CasualtyEvent.location == "Kharkiv")).all()
        assert len(kharkiv) == 1
        assert len(session.scalars(select(CasualtySource).where(CasualtySource.event_id == kharkiv[0].id)).all()) == 12
