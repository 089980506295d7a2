"""One document's facts → detection against the stored baseline → baseline, events and outbox, in one transaction.

Per document: load the one view its facts touch (`load_view`), let detection decide everything at once
(`bot.detect.document.detect`, pure), apply the decisions (`apply`). The session is the caller's, so a replay
can run a whole timeline in one transaction and roll it back (a dry run).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot.config import Config
from bot.detect.alerts import Alert
from bot.detect.document import Detection, DetectionPolicy, DocumentView, Wanted, detect, wanted
from bot.detect.evidence import Evidence
from bot.errors import StoreError
from bot.extract.facts import DocumentFacts
from bot.sources.document import Document
from bot.store import Store
from bot.store.baseline import apply_decision, load_candidates, load_rejected, load_views
from bot.store.casualties import expect_reports, nearby_events, save_decision
from bot.store.documents import is_processed, prefetch_processed, record_document
from bot.store.locks import lock_detection
from bot.store.outbox import write_alert

log = logging.getLogger(__name__)
ATTEMPTS = 3


def ingest(store: Store, document: Document, facts: DocumentFacts, config: Config, *, alerting: bool = True,
           force: bool = False) -> list[Alert]:
    """Process one document in its own transaction: a document seen before (same key or content) changes
    nothing unless `force` (replay); returns the alerts written to the outbox (never a repeat)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with store.session() as session:
                return ingest_in(session, document, facts, config, alerting=alerting, force=force)
        except (OperationalError, IntegrityError) as exc:  # a busy SQLite, a deadlock, a concurrent insert
            if attempt == ATTEMPTS:
                raise StoreError(f"cannot record document {document.id}: {' '.join(str(exc).split())[:200]}") from exc
            log.warning("retrying document %s after: %s", document.id, exc.__class__.__name__,
                        extra={"action": "ingest_retry", "document": document.id})
    return []  # not reached


def seed(store: Store, pairs: Iterable[tuple[Document, DocumentFacts]], config: Config) -> int:
    """Load facts as the first baseline, silently; returns the documents newly recorded."""
    with store.session() as session:
        return seed_in(session, pairs, config)


def seed_in(session: Session, pairs: Iterable[tuple[Document, DocumentFacts]], config: Config) -> int:
    """`seed` inside the caller's transaction."""
    count = 0
    for document, facts in pairs:
        if not is_processed(session, document):
            ingest_in(session, document, facts, config, alerting=False, seeding=True)
            count += 1
    return count


def prepare_chunk(session: Session, pairs: Sequence[tuple[Document, DocumentFacts]], config: Config) -> None:
    """Before documents are ingested together in this transaction: which of them are processed, looked up
    at once, and the casualty events their reports will ask for, read together on the first ask."""
    prefetch_processed(session, [document for document, _facts in pairs])
    window = DetectionPolicy.of(config, alerting=False).casualty_window
    expect_reports(session, (report for document, facts in pairs
                             for report in wanted(facts, document.published_date, window).reports), window)


def ingest_in(session: Session, document: Document, facts: DocumentFacts, config: Config, *, alerting: bool = True,
              force: bool = False, seeding: bool = False) -> list[Alert]:
    """`ingest` inside the caller's transaction."""
    seen = is_processed(session, document)
    if seen:
        if not force:
            return []
    elif record_document(session, document, facts.positions) is None:
        return []  # another worker recorded it in the meantime
    lock_detection(session)
    evidence = Evidence.of(document, config)
    policy = DetectionPolicy.of(config, alerting=alerting)
    view = load_view(session, wanted(facts, document.published_date, policy.casualty_window))
    detection = detect(facts, evidence, view, policy, replay=seen)
    return apply(session, detection, evidence, policy, seeding=seeding)


def load_view(session: Session, want: Wanted) -> DocumentView:
    """The stances, pending candidates and nearby events one document touches, locked where the database can."""
    return DocumentView(stances=load_views(session, want.keys), candidates=load_candidates(session, want.keys),
                        events=tuple(nearby_events(session, want.reports, want.window)),
                        rejected=load_rejected(session, want.keys))


def apply(session: Session, detection: Detection, evidence: Evidence, policy: DetectionPolicy, *,
          seeding: bool = False) -> list[Alert]:
    """Write every decision of one document; returns the alerts that were new to the outbox, with their ids."""
    ids = {alert.key: write_alert(session, alert) for alert in detection.alerts}
    for decision in detection.positions:
        alert_id = ids.get(decision.alert.key) if decision.alert else None
        apply_decision(session, decision, evidence, move=policy.move_baseline, alert_id=alert_id, seeding=seeding)
        log.debug("position %s: %s", decision.stated.key, decision.action,
                  extra={"action": f"position_{decision.action}", "document": evidence.document_id})
    for step in detection.casualties:
        save_decision(session, step.decision, evidence, step.said)
    return [replace(alert, id=ids[alert.key]) for alert in detection.alerts if ids[alert.key] is not None]
