"""Quarantine: documents whose processing raised, kept with their error instead of failing their feed.

A quarantined document is skipped by later polls while its content is unchanged (a document that fails
once fails again: retrying it every poll would cost the feed each time and log the same traceback). It is
processed again by `discourse-bot quarantine retry`, or when its feed publishes a changed version; once
processed, its row goes. `quarantine drop` gives up on it: it no longer counts against its feed, and is
never retried unless its content changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import traceback
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from bot.sources.document import Document
from bot.store import Store
from bot.store.feeds import utc
from bot.store.models import DocumentRecord, QuarantinedDocument, QuarantineStage, QuarantineStatus
from bot.store.upsert import affected, insert_ignore

HELD, DROPPED = QuarantineStatus.HELD, QuarantineStatus.DROPPED
_CHUNK = 500  # stays under every database's bound-parameter limit


@dataclass(frozen=True)
class Quarantined:
    """One quarantined document, detached from any session."""

    id: int
    feed: str
    key: str
    title: str
    url: str
    stage: QuarantineStage
    error: str
    detail: str
    status: QuarantineStatus
    attempts: int
    alerting: bool
    first_failed_at: dt.datetime | None
    last_failed_at: dt.datetime | None
    document: Document


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def describe(exc: BaseException) -> str:
    """The error as one line: its type and message."""
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:500]


def put(store: Store, document: Document, *, stage: QuarantineStage, error: BaseException, alerting: bool,
        now: dt.datetime | None = None) -> None:
    """Quarantine a document (again): its latest content, error and traceback; attempts count up."""
    now = now or dt.datetime.now(dt.timezone.utc)
    values: dict[str, Any] = {
        "key": document.id, "content_hash": document.content_hash, "feed": document.feed,
        "title": document.title[:2000], "url": document.url, "stage": stage, "error": describe(error),
        "detail": "".join(traceback.format_exception(error))[-4000:], "document": _to_json(document),
        "alerting": alerting, "status": HELD, "last_failed_at": now,
    }
    with store.session() as session:
        hashed = key_hash(document.id)
        if insert_ignore(session, QuarantinedDocument, ["key_hash"],
                         {**values, "key_hash": hashed, "attempts": 1, "first_failed_at": now}) is None:
            session.execute(update(QuarantinedDocument).where(QuarantinedDocument.key_hash == hashed)
                            .values(**values, attempts=QuarantinedDocument.attempts + 1),
                            execution_options={"synchronize_session": False})


def partition(store: Store, documents: Sequence[Document]) -> tuple[list[Document], list[Document], list[Document]]:
    """(to process, of which were quarantined in an earlier version, skipped as quarantined unchanged)."""
    return split(documents, held_versions(store, documents))


def held_versions(store: Store, documents: Sequence[Document]) -> dict[str, str]:
    """The content hash held in quarantine, by key hash, for those of these documents that are held (many
    feeds' documents in one query per few hundred)."""
    known: dict[str, str] = {}
    with store.session() as session:
        for start in range(0, len(documents), _CHUNK):
            hashes = [key_hash(d.id) for d in documents[start:start + _CHUNK]]
            known.update(session.execute(select(QuarantinedDocument.key_hash, QuarantinedDocument.content_hash)
                                         .where(QuarantinedDocument.key_hash.in_(hashes))).all())
    return known


def split(documents: Sequence[Document], held: dict[str, str]) -> tuple[list[Document], list[Document], list[Document]]:
    """`partition` with what quarantine holds already read (`held_versions`)."""
    fresh: list[Document] = []
    changed: list[Document] = []
    skipped: list[Document] = []
    for document in documents:
        content = held.get(key_hash(document.id))
        if content is None:
            fresh.append(document)
        elif content == document.content_hash:
            skipped.append(document)
        else:
            fresh.append(document)
            changed.append(document)
    return fresh, changed, skipped


def release_processed(store: Store, keys: Collection[str] | None = None) -> int:
    """Remove the quarantine rows (of these keys, or all) whose document has since been processed, under
    its key or (a re-published copy) its content."""
    with store.session() as session:
        statement = delete(QuarantinedDocument).where(or_(
            QuarantinedDocument.key.in_(select(DocumentRecord.key)),
            QuarantinedDocument.content_hash.in_(select(DocumentRecord.content_hash))))
        if keys is not None:
            if not keys:
                return 0
            statement = statement.where(QuarantinedDocument.key_hash.in_([key_hash(k) for k in keys]))
        return affected(session.execute(statement, execution_options={"synchronize_session": False}))


def listed(store: Store, *, ids: Collection[int] | None = None, include_dropped: bool = False) -> list[Quarantined]:
    """Quarantined documents, oldest first: held ones (and dropped ones if asked), or those with these ids."""
    statement = select(QuarantinedDocument).order_by(QuarantinedDocument.id)
    if ids is not None:
        statement = statement.where(QuarantinedDocument.id.in_(list(ids)))
    elif not include_dropped:
        statement = statement.where(QuarantinedDocument.status == HELD)
    with store.session() as session:
        return [_snapshot(row) for row in session.scalars(statement)]


def held_by_feed(store: Store) -> dict[str, tuple[int, str]]:
    """Per feed: how many documents are held in quarantine, and the latest error."""
    with store.session() as session:
        counts = dict(session.execute(select(QuarantinedDocument.feed, func.count())
                                      .where(QuarantinedDocument.status == HELD)
                                      .group_by(QuarantinedDocument.feed)).all())
        latest: dict[str, str] = {}
        for feed, error in session.execute(select(QuarantinedDocument.feed, QuarantinedDocument.error)
                                           .where(QuarantinedDocument.status == HELD)
                                           .order_by(QuarantinedDocument.last_failed_at, QuarantinedDocument.id)):
            latest[feed] = error
    return {feed: (int(count), latest.get(feed, "")) for feed, count in counts.items()}


def drop(store: Store, ids: Collection[int] | None = None) -> int:
    """Give up on held documents (these, or all): hidden from `status`, not retried; how many changed."""
    statement = update(QuarantinedDocument).where(QuarantinedDocument.status == HELD).values(status=DROPPED)
    if ids is not None:
        statement = statement.where(QuarantinedDocument.id.in_(list(ids)))
    with store.session() as session:
        return affected(session.execute(statement, execution_options={"synchronize_session": False}))


def _to_json(document: Document) -> dict[str, Any]:
    return {"id": document.id, "text": document.text, "title": document.title, "url": document.url,
            "published": document.published.isoformat() if document.published else None, "feed": document.feed,
            "source": document.source, "published_assumed": document.published_assumed}


def _from_json(data: dict[str, Any]) -> Document:
    published = data.get("published")
    return Document(id=str(data.get("id", "")), text=str(data.get("text", "")), title=str(data.get("title", "")),
                    url=str(data.get("url", "")), published=dt.datetime.fromisoformat(published) if published else None,
                    feed=str(data.get("feed", "")), source=str(data.get("source", "")),
                    published_assumed=bool(data.get("published_assumed")))


def _snapshot(row: QuarantinedDocument) -> Quarantined:
    return Quarantined(id=row.id, feed=row.feed, key=row.key, title=row.title, url=row.url, stage=row.stage,
                       error=row.error, detail=row.detail, status=row.status, attempts=row.attempts or 0,
                       alerting=bool(row.alerting), first_failed_at=utc(row.first_failed_at),
                       last_failed_at=utc(row.last_failed_at), document=_from_json(dict(row.document or {})))


__all__ = ["DROPPED", "HELD", "Quarantined", "describe", "drop", "held_by_feed", "listed", "partition", "put",
           "release_processed"]
