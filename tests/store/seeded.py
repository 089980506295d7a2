"""Fixtures shared by the store tests: the detection cases' config, and a store seeded with their baseline
(on SQLite and on a throwaway PostgreSQL, through `store_url`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Config
from bot.store import Store
from bot.store.ingest import seed
from tests.detect.harness import load_cases, make_config, make_document

DATA = load_cases()


@pytest.fixture
def config() -> Config:
    return make_config(DATA["config"], None)


@pytest.fixture
def store(store_url: str, config: Config) -> Iterator[Store]:
    store = Store(store_url)
    seed(store, [make_document(d) for d in DATA["seed"]], config)
    yield store
    store.close()
