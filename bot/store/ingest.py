"""One document's facts → detection against the stored baseline → baseline, events and outbox, in one transaction."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot.config import Config
from bot.detect.alerts import Alert
from bot.detect.casualties import casualty_alert, decide_casualty, find_event, merge_reports
from bot.detect.evidence import Evidence
from bot.detect.merge import drop_circular, merge_positions
from bot.detect.positions import Policy, decide_position
from bot.errors import StoreError
from bot.extract.facts import DocumentFacts
from bot.sources.document import Document
from bot.store import Store
from bot.store.baseline import apply_decision, load_candidate, load_views
from bot.store.casualties import nearby_events, save_decision
from bot.store.documents import find_processed, record_document
from bot.store.locks import lock_detection
from bot.store.models import AlertRecord
from bot.store.upsert import insert_ignore

log = logging.getLogger(__name__)
ATTEMPTS = 3


def ingest(store: Store, document: Document, facts: DocumentFacts, config: Config, *, alerting: bool = True,
           force: bool = False) -> list[Alert]:
    """Process one document: a document seen before (same key or content) changes nothing unless `force`
    (replay); returns the alerts written to the outbox (none when `alerting` is off, and never a repeat)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with store.session() as session:
                return _ingest(session, document, facts, config, alerting=alerting, force=force, seeding=False)
        except (OperationalError, IntegrityError) as exc:  # a busy SQLite, a deadlock, a concurrent insert
            if attempt == ATTEMPTS:
                raise StoreError(f"cannot record document {document.id}: {' '.join(str(exc).split())[:200]}") from exc
            log.warning("retrying document %s after: %s", document.id, exc.__class__.__name__,
                        extra={"action": "ingest_retry", "document": document.id})
    return []  # not reached


def seed(store: Store, pairs: Iterable[tuple[Document, DocumentFacts]], config: Config) -> int:
    """Load facts as the first baseline, silently; returns the documents newly recorded."""
    count = 0
    for document, facts in pairs:
        with store.session() as session:
            if find_processed(session, document) is None:
                _ingest(session, document, facts, config, alerting=False, force=False, seeding=True)
                count += 1
    return count


def _ingest(session: Session, document: Document, facts: DocumentFacts, config: Config, *, alerting: bool,
            force: bool, seeding: bool) -> list[Alert]:
    seen = find_processed(session, document) is not None
    if seen:
        if not force:
            return []
    elif record_document(session, document, facts.positions) is None:
        return []  # another worker recorded it in the meantime
    lock_detection(session)
    evidence = Evidence.of(document, config)
    written: list[Alert] = []

    stated = merge_positions(facts.positions, document.url)
    baselines = load_views(session, [s.key for s in stated])
    stated = drop_circular(stated, set(baselines))
    move = config.detection.baseline_update == "auto" or not alerting
    for position in stated:
        actor = config.actor(position.actor)
        policy = Policy(min_sources=config.detection.min_sources, trusted_feeds=config.detection.trusted_feeds,
                        alert_new_positions=actor.alert_new_positions if actor else True, alerting=alerting)
        decision = decide_position(position, baselines.get(position.key),
                                   load_candidate(session, position.key, position.stance.signature), evidence, policy)
        alert_id = _write_alert(session, decision.alert, written) if decision.alert else None
        apply_decision(session, decision, evidence, move=move, alert_id=alert_id, seeding=seeding)
        log.debug("position %s: %s", position.key, decision.action,
                  extra={"action": f"position_{decision.action}", "document": document.id})

    window = dt.timedelta(seconds=config.detection.casualty_window)
    for report in merge_reports(facts.casualties, document.published_date, window):
        event = find_event(report, nearby_events(session, report, window), window)
        decision = decide_casualty(report, event, evidence, replay=seen)
        decision = save_decision(session, decision, evidence, report)
        alert = casualty_alert(decision, evidence) if alerting else None
        if alert is not None:
            _write_alert(session, alert, written)
    return written


def _write_alert(session: Session, alert: Alert, written: list[Alert]) -> int | None:
    """Put an alert in the outbox unless its key is already there; collects it in `written` when new."""
    new_id = insert_ignore(session, AlertRecord, ["key"], {
        "key": alert.key, "kind": alert.kind, "actor": alert.actor, "subject": alert.subject,
        "payload": alert.payload, "url": alert.url, "published": alert.published, "thread_key": alert.thread_key,
        "status": "pending",
    })
    if new_id is not None:
        written.append(alert)
    return new_id
