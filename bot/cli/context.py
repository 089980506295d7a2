"""What every command shares: the config and database chosen by the global options, loaded once, lazily."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

import click

from bot.config import Config, load_config
from bot.errors import BotError, ConfigError

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class CliContext:
    config_path: str | None
    database_url: str | None
    _config: Config | None = field(default=None, repr=False)
    _store: Any = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    @property
    def store(self) -> Any:
        """The migrated database, seeded from seeds/ when it is empty."""
        if self._store is None:
            from bot.pipeline import open_store

            self._store = open_store(self.config, self.database_url)
        return self._store

    def existing_store(self) -> Any:
        """The database as it is, neither seeded nor (for a SQLite file not made yet) created: a dry run's.
        A SQLite file that does not exist yet stands in as an empty in-memory database."""
        from bot.store import Store, database_url
        from bot.store.database import sqlite_path

        url = database_url(self.database_url)
        path = sqlite_path(url)
        return Store("sqlite://" if path is not None and not path.exists() else url)


pass_context = click.make_pass_decorator(CliContext)


def clean_errors(func: F) -> F:
    """Turn the project's errors into one clear line on stderr and an exit code, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            sys.exit(2)
        except BotError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except Exception as exc:
            from sqlalchemy.exc import DBAPIError    # imported here: most commands never open a database

            if not isinstance(exc, DBAPIError):
                raise
            # locked, gone, refused: nothing is lost, the next run goes on
            from bot.store.database import database_reason, database_url, describe_database

            obj = click.get_current_context().find_object(CliContext)
            where = describe_database(database_url(obj.database_url if obj else None))
            click.echo(f"error: database {where}: {database_reason(exc)}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress(items: list[Any], label: str, enabled: bool) -> Iterator[Any]:
    """A progress bar on a terminal (stderr), never inside machine-readable output."""
    if enabled and sys.stderr.isatty() and len(items) > 1:
        with click.progressbar(items, label=label, file=sys.stderr) as bar:
            yield bar
    else:
        yield items
