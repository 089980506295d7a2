"""Portable "insert unless the unique key exists" for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import CursorResult, Result
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignore(session: Session, model: Any, unique: list[str], values: dict[str, Any]) -> int | None:
    """Insert a row and return its id, or None when a row with the same unique columns already exists."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = (
        module.insert(model).values(**values).on_conflict_do_nothing(index_elements=unique).returning(model.id)
    )
    return session.execute(statement).scalar_one_or_none()


def insert_ignore_many(session: Session, model: Any, unique: list[str], rows: Sequence[dict[str, Any]]) -> int:
    """Insert many rows in one statement, skipping those whose unique columns exist; how many were inserted."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(model).values(list(rows)).on_conflict_do_nothing(index_elements=unique)
    return affected(session.execute(statement))


def affected(result: Result[Any]) -> int:
    """How many rows an INSERT, UPDATE or DELETE touched."""
    return int(result.rowcount or 0) if isinstance(result, CursorResult) else 0
