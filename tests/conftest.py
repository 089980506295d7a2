"""Fixtures every test may use: the repo's paths and its default config."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, load_config

REPO = Path(__file__).resolve().parent.parent
SHARED_EVAL = REPO.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def default_config() -> Config:
    return load_config(REPO / "config")


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    """../shared/eval beside the repo; tests that need it skip, saying why, where it is absent."""
    if not SHARED_EVAL.is_dir():
        pytest.skip(f"evaluation data not found at {SHARED_EVAL} (CI always has it)")
    return SHARED_EVAL
