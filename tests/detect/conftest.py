"""Fixtures for detection tests: the store on SQLite and on a throwaway PostgreSQL."""

from tests.store.pg import postgres_server, postgres_url, store_url  # noqa: F401  (pytest fixtures)
