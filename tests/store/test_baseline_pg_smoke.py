"""The throwaway PostgreSQL server starts and the schema migrates on it."""

import pytest
from sqlalchemy import inspect

from bot.store import Store
from tests.store.pg import postgres_server, postgres_url  # noqa: F401


@pytest.mark.postgres
def test_schema_migrates_on_postgres(postgres_url: str) -> None:
    store = Store(postgres_url)
    try:
        assert store.is_postgres
        assert {"baseline", "alerts", "casualty_events"} <= set(inspect(store.engine).get_table_names())
    finally:
        store.close()
