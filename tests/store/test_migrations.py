"""A database made before stances were keyed by (actor, subject) opens with its data carried over."""

from __future__ import annotations

import json

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import text

from bot.store import Store
from bot.store.baseline import current, history
from bot.store.database import MIGRATIONS, create_database_engine
from bot.store.models import CasualtyEvent
from tests.store.pg import postgres_server, postgres_url, store_url  # noqa: F401  (pytest fixtures)


def _upgrade_to(url: str, revision: str) -> None:
    engine = create_database_engine(url)
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def _old_rows(url: str) -> None:
    """What version 0001 stored: one entry per (actor, kind, subject), requirements as plain ids."""
    engine = create_database_engine(url)
    with engine.begin() as c:
        insert = text("INSERT INTO baseline (actor, kind, subject, requires, negated, hedged, speaker, quote, url, "
                      "sources, source_count, first_seen, last_seen, updated_at) VALUES (:actor, :kind, :subject, "
                      ":requires, false, false, NULL, :quote, '', '[]', 1, :t, :t, :t)")
        c.execute(insert, {"actor": "us", "kind": "condition", "subject": "negotiations",
                           "requires": json.dumps(["ceasefire"]), "quote": "no talks until a ceasefire",
                           "t": "2025-04-15 00:00:00"})
        c.execute(insert, {"actor": "us", "kind": "demand", "subject": "negotiations", "requires": "[]",
                           "quote": "we demand talks", "t": "2025-04-20 00:00:00"})
        for entry_id, kind in c.execute(text("SELECT id, kind FROM baseline")).all():
            c.execute(text("INSERT INTO baseline_history (baseline_id, requires, negated, hedged, quote, url, reason, "
                           "valid_from) VALUES (:id, :r, false, false, :q, '', 'seed', :t)"),
                      {"id": entry_id, "r": json.dumps(["ceasefire"] if kind == "condition" else []),
                       "q": kind, "t": "2025-04-15 00:00:00" if kind == "condition" else "2025-04-20 00:00:00"})
        c.execute(text("INSERT INTO casualty_events (location, country, killed, trust, quote, url, first_seen, "
                       "updated_at) VALUES ('Sumy', 'UA', 35, 1, '', '', :t, :t)"), {"t": "2025-04-15 00:00:00"})
    engine.dispose()


def test_old_baseline_and_events_are_carried_over(store_url: str) -> None:
    _upgrade_to(store_url, "0001")
    _old_rows(store_url)
    store = Store(store_url)          # migrates to the newest revision on open
    try:
        [entry] = current(store)
        assert (entry.actor, entry.subject, entry.stance.kind) == ("us", "negotiations", "demand")  # the newest
        steps = history(store, "us", "negotiations")
        assert [s.stance.kind for s in steps] == ["condition", "demand"]
        assert steps[0].stance.labels == ("ceasefire",) and steps[0].until is not None
        with store.session() as session:
            event = session.query(CasualtyEvent).one()
            assert event.key == str(event.id)   # old threads ("casualty:<id>") still name their event
            # the place hierarchy's columns: level unknown, no claim, a day told
            assert (event.place_level, event.claimed_killed, event.undated, event.revision) == (None, None, False, False)
    finally:
        store.close()
