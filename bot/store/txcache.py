"""What one transaction has read, kept by the modules that read it, so that the documents recorded together
read each thing once.

A cache lives in `session.info` and is dropped when the transaction commits or anything rolls back (a
document's savepoint included): after a rollback the database, not the cache, says what is stored. A cache
whose owner changed rows behind the session's back has its `rolled_back(session)` called first. The modules
that keep one are the only writers of what they cache within the transaction, and keep it current as they
write; the detection lock (and, on PostgreSQL, the row locks taken as rows are read) keeps other workers from
changing it meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

T = TypeVar("T")
_PREFIX = "txcache:"


def cached(session: Session, name: str, make: Callable[[], T]) -> T:
    """The transaction's cache called `name`, made by `make` on first use."""
    key = _PREFIX + name
    found = session.info.get(key)
    if found is None:
        found = session.info[key] = make()
        if not event.contains(session, "after_soft_rollback", _rolled_back):
            event.listen(session, "after_soft_rollback", _rolled_back)   # a savepoint's too
            event.listen(session, "after_transaction_end", _drop_at_end)
    return found


def peek(session: Session, name: str) -> Any | None:
    """The transaction's cache called `name` if one was made, else None (nothing is made)."""
    return session.info.get(_PREFIX + name)


def drop(session: Session, name: str) -> None:
    """Forget one cache (its owner wrote in a way it cannot follow)."""
    session.info.pop(_PREFIX + name, None)


def _drop_at_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:   # the transaction itself, not a savepoint or subtransaction in it
        _drop_all(session)


def _rolled_back(session: Session, *_args: Any) -> None:
    """Caches that wrote past the session's unit of work (`rolled_back(session)`) undo what it cannot."""
    for key in [k for k in session.info if isinstance(k, str) and k.startswith(_PREFIX)]:
        undo = getattr(session.info[key], "rolled_back", None)
        if undo is not None:
            undo(session)
    _drop_all(session)


def _drop_all(session: Session, *_args: Any) -> None:
    for key in [k for k in session.info if isinstance(k, str) and k.startswith(_PREFIX)]:
        del session.info[key]
