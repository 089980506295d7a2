"""Processed documents and the positions extracted from them: what makes reprocessing a no-op."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.extract.facts import Position
from bot.sources.document import Document
from bot.store import txcache
from bot.store.models import DocumentRecord, PositionRecord
from bot.store.upsert import insert_ignore, insert_ignore_many

_LOOKUP = 500  # documents per look-up in `prefetch_processed` (two parameters each)
_KNOWN = "documents"


@dataclass
class _Known:
    """The stored keys and content hashes among those of the documents looked up, kept current as documents
    are recorded in this transaction."""

    asked: set[tuple[str, str]] = field(default_factory=set)   # (key, content hash) of the documents looked up
    keys: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)


def prefetch_processed(session: Session, documents: Sequence[Document]) -> None:
    """Look up at once which of these documents are processed, for `is_processed` to answer from memory for
    the rest of the transaction (the documents of one chunk: one query instead of one each)."""
    known = txcache.cached(session, _KNOWN, _Known)
    for start in range(0, len(documents), _LOOKUP):
        chunk = documents[start:start + _LOOKUP]
        rows = session.execute(select(DocumentRecord.key, DocumentRecord.content_hash).where(
            or_(DocumentRecord.key.in_([d.id for d in chunk]),
                DocumentRecord.content_hash.in_([d.content_hash for d in chunk]))))
        for key, content_hash in rows:
            known.keys.add(key)
            known.hashes.add(content_hash)
        known.asked.update((d.id, d.content_hash) for d in chunk)


def is_processed(session: Session, document: Document) -> bool:
    """Whether this document was processed: same key (GUID or link) or same content."""
    known: _Known | None = txcache.peek(session, _KNOWN)
    if known is not None and (document.id, document.content_hash) in known.asked:
        return document.id in known.keys or document.content_hash in known.hashes
    return find_processed(session, document) is not None


def find_processed(session: Session, document: Document) -> DocumentRecord | None:
    """The record of this document if already processed: same key (GUID or link) or same content."""
    return session.scalars(
        select(DocumentRecord)
        .where(or_(DocumentRecord.key == document.id, DocumentRecord.content_hash == document.content_hash))
        .limit(1)
    ).first()


def _row(document: Document) -> dict[str, object]:
    return {"key": document.id, "content_hash": document.content_hash, "feed": document.feed,
            "source": document.source, "url": document.url, "title": document.title, "published": document.published}


def record_seen(session: Session, documents: Sequence[Document]) -> int:
    """Record documents that yielded no fact (nothing to detect) in one statement executed for all, so a
    later poll skips them; one already recorded is left as it is. How many were new."""
    txcache.drop(session, _KNOWN)  # a row skipped for its key keeps its old content hash: look up again
    return insert_ignore_many(session, DocumentRecord, ["key"], [_row(d) for d in documents])


def record_document(session: Session, document: Document, positions: Iterable[Position]) -> int | None:
    """Record the document and every position extracted from it; its id, or None if another worker recorded
    it first."""
    new_id = insert_ignore(session, DocumentRecord, ["key"], _row(document))
    if new_id is None:
        return None
    known: _Known | None = txcache.peek(session, _KNOWN)
    if known is not None:
        known.keys.add(document.id)
        known.hashes.add(document.content_hash)
    session.add_all(
        PositionRecord(document_id=new_id, actor=p.actor, kind=p.kind, subject=p.subject,
                       requires=[r.to_json() for r in p.requires], speaker=p.speaker, negated=p.negated, hedged=p.hedged,
                       hypothetical=p.hypothetical, reported=p.reported, quote=p.quote, sentence=p.sentence)
        for p in positions
    )
    return new_id
