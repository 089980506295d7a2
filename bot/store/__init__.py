"""Everything that touches the database. Other packages call the functions of its modules with a Store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.database import create_database_engine, database_url, migrate
from bot.store.models import DocumentRecord

__all__ = ["Store", "database_url"]


class Store:
    """A migrated database and its sessions."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        self.url = database_url(url)
        self.engine = engine or create_database_engine(self.url)
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on error."""
        with self._sessions() as session:
            with session.begin():
                yield session

    @contextmanager
    def rolled_back(self) -> Iterator[Session]:
        """A session whose work is always rolled back: a dry run."""
        with self._sessions() as session:
            transaction = session.begin()
            try:
                yield session
            finally:
                transaction.rollback()

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def is_empty(self) -> bool:
        """No document has ever been processed: the seeds have not been loaded."""
        with self.session() as session:
            return self.is_empty_in(session)

    @staticmethod
    def is_empty_in(session: Session) -> bool:
        return session.scalar(select(func.count()).select_from(DocumentRecord)) == 0

    def close(self) -> None:
        self.engine.dispose()
