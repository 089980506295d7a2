"""Engine creation and schema migration; the only place that knows which database it is."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from bot.errors import StoreError

DEFAULT_DATABASE_URL = "sqlite:///data/bot.db"
MIGRATIONS = Path(__file__).with_name("migrations")


def database_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get("DISCOURSE_BOT_DATABASE_URL") or DEFAULT_DATABASE_URL


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or an in-memory one."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def describe_database(url: str | URL) -> str:
    """The database as a person names it: its SQLite file, or its URL without the password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return str(url)
    if parsed.get_backend_name() == "sqlite":
        return str(Path(parsed.database).resolve()) if parsed.database and parsed.database != ":memory:" else "in memory"
    return parsed.render_as_string(hide_password=True)


def database_reason(exc: BaseException) -> str:
    """The driver's own words for a database error, on one line, without SQLAlchemy's links."""
    original = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = " ".join(str(original).split())
    text = text.split(" (Background on this error at:")[0]
    if "unable to open database file" in text:
        text += " (does its folder exist, and may this user write there?)"
    return text[:300]


def _make_folder(path: Path) -> None:
    """The folder of a SQLite file, made if missing; a clear StoreError when it cannot be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocker = next((p for p in path.parents if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            raise StoreError(f"database {path}: {blocker} is a file, not a folder") from exc
        raise StoreError(f"database {path}: cannot create the folder {path.parent}: {exc.strerror or exc}") from exc


def create_database_engine(url: str) -> Engine:
    """An engine for SQLite (WAL, created folder) or PostgreSQL (psycopg 3)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {url!r}") from exc
    if parsed.drivername == "postgresql" or parsed.drivername == "postgres":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _make_folder(Path(parsed.database))
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(f"cannot use database {parsed.render_as_string(hide_password=True)}: {exc}") from exc


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL survives a process crash (kill -9); only a power cut may lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":  # workers starting together migrate one at a time
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(72176001)")
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise StoreError(f"database {describe_database(engine.url)}: {database_reason(exc)}") from exc
