"""Which documents are new: checked before any NLP so a repeat costs one query."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select

from bot.sources.document import Document
from bot.store import Store
from bot.store.models import DocumentRecord

_CHUNK = 500  # stays under every database's bound-parameter limit


def unseen_documents(store: Store, documents: Sequence[Document]) -> list[Document]:
    """The documents whose key and content are both unknown, in their original order, repeats removed."""
    seen_keys: set[str] = set()
    seen_hashes: set[str] = set()
    with store.session() as session:
        for start in range(0, len(documents), _CHUNK):
            chunk = documents[start:start + _CHUNK]
            rows = session.execute(
                select(DocumentRecord.key, DocumentRecord.content_hash).where(
                    or_(DocumentRecord.key.in_([d.id for d in chunk]),
                        DocumentRecord.content_hash.in_([d.content_hash for d in chunk]))
                )
            )
            for key, content_hash in rows:
                seen_keys.add(key)
                seen_hashes.add(content_hash)
    fresh: list[Document] = []
    for doc in documents:
        if doc.id in seen_keys or doc.content_hash in seen_hashes:
            continue
        seen_keys.add(doc.id)
        seen_hashes.add(doc.content_hash)
        fresh.append(doc)
    return fresh
