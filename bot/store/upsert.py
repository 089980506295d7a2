"""Portable "insert unless the unique key exists" for SQLite and PostgreSQL."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import CursorResult, Result
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignore(session: Session, model: Any, unique: list[str], values: dict[str, Any]) -> int | None:
    """Insert a row and return its id, or None when a row with the same unique columns already exists."""
    statement = _statement(session.get_bind().dialect.name, model, tuple(unique), returning=True)
    session.flush()   # what is pending goes first, as the session would do before its own statements
    return session.connection().execute(statement, values).scalar_one_or_none()


def insert_ignore_many(session: Session, model: Any, unique: list[str], rows: Sequence[dict[str, Any]]) -> int:
    """Insert many rows, skipping those whose unique columns exist; how many were inserted. One statement
    executed for every row (executemany): compiled once and cached, where a multi-row VALUES would be
    compiled again for every count of rows."""
    if not rows:
        return 0
    statement = _statement(session.get_bind().dialect.name, model, tuple(unique), returning=False)
    session.flush()
    return affected(session.connection().execute(statement, list(rows)))


@functools.cache
def _statement(dialect: str, model: Any, unique: tuple[str, ...], *, returning: bool) -> Any:
    """The insert-unless-exists statement of a table, built once: its values come as parameters, so
    SQLAlchemy's compiled cache serves every later call."""
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(model).on_conflict_do_nothing(index_elements=list(unique))
    return statement.returning(model.id) if returning else statement


def affected(result: Result[Any]) -> int:
    """How many rows an INSERT, UPDATE or DELETE touched."""
    return int(result.rowcount or 0) if isinstance(result, CursorResult) else 0
