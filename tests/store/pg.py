"""A throwaway PostgreSQL server for database tests, started once per test session.

Use it from any test module or conftest:

    from tests.store.pg import postgres_server, postgres_url  # noqa: F401  (pytest fixtures)

    @pytest.mark.postgres
    def test_something(postgres_url: str) -> None:
        store = Store(postgres_url)          # a fresh, empty database for this test
        ...

- `postgres_server` (session): a `PostgresServer` with `.admin_url` and `.create_database()`; the server runs
  as the `postgres` user from a temporary data directory, listening only on 127.0.0.1 at a free port, and is
  stopped and deleted when the test process exits (one server per process, however many modules import it).
- `postgres_url` (function): the SQLAlchemy URL of a new empty database, dropped after the test.
- `store_url` (function, parametrised): runs a test once on SQLite (tmp_path) and once on PostgreSQL.

Tests skip with a visible reason when initdb/pg_ctl are not installed or the server cannot start.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

PG_USER = "postgres"
_BIN_DIRS = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin",
             "/usr/lib/postgresql/14/bin")


def _find(tool: str) -> str | None:
    found = shutil.which(tool)
    if found:
        return found
    for folder in _BIN_DIRS:
        candidate = Path(folder, tool)
        if candidate.exists():
            return str(candidate)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    """Run as the postgres user when we are root (initdb refuses root); as ourselves otherwise."""
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("PostgreSQL tests need `runuser` to start the server as the postgres user")
        return [runuser, "-u", PG_USER, "--", *args]
    return args


@dataclass
class PostgresServer:
    """A running throwaway server; `create_database()` hands out fresh empty databases."""

    port: int
    data_dir: Path
    pg_ctl: str
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=PG_USER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self, prefix: str = "test") -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        subprocess.run(_as_postgres([self.pg_ctl, "-D", str(self.data_dir), "-m", "immediate", "stop"]),
                       capture_output=True, timeout=60, check=False)


def start_postgres(root: Path) -> PostgresServer:
    """initdb + pg_ctl start in `root` (made owned by postgres), bound to 127.0.0.1 on a free port."""
    initdb, pg_ctl = _find("initdb"), _find("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("PostgreSQL tests skipped: initdb/pg_ctl not found (install postgresql to run them)")
    data_dir, log = root / "data", root / "server.log"
    if os.geteuid() == 0:
        shutil.chown(root, user=PG_USER, group=None)
        root.chmod(0o700)
    result = subprocess.run(
        _as_postgres([initdb, "-D", str(data_dir), "-U", PG_USER, "--auth=trust", "--no-sync", "-E", "UTF8",
                      "--locale=C"]),
        capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        pytest.skip(f"PostgreSQL tests skipped: initdb failed: {result.stderr.strip()[:300]}")
    port = _free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off"
    result = subprocess.run(
        _as_postgres([pg_ctl, "-D", str(data_dir), "-l", str(log), "-o", options, "-w", "-t", "60", "start"]),
        capture_output=True, text=True, timeout=90, check=False)
    if result.returncode != 0:
        detail = log.read_text(errors="replace")[-300:] if log.exists() else result.stderr[-300:]
        pytest.skip(f"PostgreSQL tests skipped: server did not start: {detail.strip()}")
    return PostgresServer(port=port, data_dir=data_dir, pg_ctl=pg_ctl)


_shared: dict[str, Any] = {}


def shared_server() -> PostgresServer:
    """The process's one server, started on first use and stopped at exit; skips if it cannot start.

    Shared at module level because a fixture imported into several test modules is a separate fixture
    in each: without this every importing module would start its own server."""
    if "skip" in _shared:
        pytest.skip(_shared["skip"])
    if "server" not in _shared:
        root = Path(tempfile.mkdtemp(prefix="discourse-bot-pg-"))
        try:
            server = start_postgres(root)
        except pytest.skip.Exception as exc:
            shutil.rmtree(root, ignore_errors=True)
            _shared["skip"] = str(exc)
            raise
        _shared["server"] = server
        atexit.register(_stop, server, root)
    return _shared["server"]


def _stop(server: PostgresServer, root: Path) -> None:
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer:
    """One PostgreSQL server for the whole test session (stopped when the session's process exits)."""
    return shared_server()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh empty database on the session's server, dropped after the test."""
    url = postgres_server.create_database()
    try:
        yield url
    finally:
        postgres_server.drop_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: once SQLite in tmp_path, once a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.db'}"
    return str(request.getfixturevalue("postgres_url"))
