"""Serialise detection across workers, so two documents about one new fact never both find it new."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

DETECTION_LOCK = 4_207_611  # an arbitrary, fixed advisory-lock id for "detection"


def lock_detection(session: Session) -> None:
    """Hold the detection lock until this transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite needs none: its first write (the document's row)
    already takes the database's single write lock until commit."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DETECTION_LOCK})
