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
    return unseen_among(documents, stored(store, documents))


def stored(store: Store, documents: Sequence[Document]) -> tuple[set[str], set[str]]:
    """The keys and content hashes of these documents that are stored, in one query per few hundred (many
    feeds' documents at once)."""
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
    return seen_keys, seen_hashes


def unseen_among(documents: Sequence[Document], known: tuple[set[str], set[str]]) -> list[Document]:
    """The documents whose key and content are not among `known` (keys, hashes: see `stored`), in their
    original order, repeats removed."""
    seen_keys, seen_hashes = set(known[0]), set(known[1])
    fresh: list[Document] = []
    for doc in documents:
        if doc.id in seen_keys or doc.content_hash in seen_hashes:
            continue
        seen_keys.add(doc.id)
        seen_hashes.add(doc.content_hash)
        fresh.append(doc)
    return fresh
