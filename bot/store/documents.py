"""Processed documents and the positions extracted from them: what makes reprocessing a no-op."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.extract.facts import Position
from bot.sources.document import Document
from bot.store.models import DocumentRecord, PositionRecord
from bot.store.upsert import insert_ignore, insert_ignore_many

_CHUNK = 200  # rows per statement: under every database's bound-parameter limit (7 columns each)


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
    """Record documents that yielded no fact (nothing to detect) in one statement per few hundred, so a
    later poll skips them; one already recorded is left as it is. How many were new."""
    return sum(insert_ignore_many(session, DocumentRecord, ["key"], [_row(d) for d in documents[i:i + _CHUNK]])
               for i in range(0, len(documents), _CHUNK))


def record_document(session: Session, document: Document, positions: Iterable[Position]) -> DocumentRecord | None:
    """Record the document and every position extracted from it; None if another worker recorded it first."""
    new_id = insert_ignore(session, DocumentRecord, ["key"], _row(document))
    if new_id is None:
        return None
    record = session.get_one(DocumentRecord, new_id)
    session.add_all(
        PositionRecord(document_id=record.id, actor=p.actor, kind=p.kind, subject=p.subject,
                       requires=[r.to_json() for r in p.requires], speaker=p.speaker, negated=p.negated, hedged=p.hedged,
                       hypothetical=p.hypothetical, reported=p.reported, quote=p.quote, sentence=p.sentence)
        for p in positions
    )
    return record
