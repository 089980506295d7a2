"""Fixtures every test may use: the repo's paths and its default config."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Config, load_config
from tests.slack_server import SlackServer

REPO = Path(__file__).resolve().parent.parent
SHARED_EVAL = REPO.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def default_config() -> Config:
    return load_config(REPO / "config")


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    """A local Slack-compatible Web API server on a free loopback port, with state for this test only."""
    with SlackServer() as server:
        yield server


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    """The evaluation set beside the repository (`eval --eval-dir`'s default); tests that need it skip,
    saying why, where it is absent."""
    if not SHARED_EVAL.is_dir():
        pytest.skip(f"evaluation data not found at {SHARED_EVAL} (CI always has it)")
    return SHARED_EVAL
