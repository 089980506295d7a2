"""Extraction fixtures: the real model, loaded once per session, in pipelines built from real configs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, load_config
from bot.extract import Extractor

DATA = Path(__file__).resolve().parent.parent / "data"
EVAL_CONFIG = DATA / "eval-config"
LABELLED = DATA / "positions_labelled.yaml"


@pytest.fixture(scope="session")
def eval_config() -> Config:
    return load_config(EVAL_CONFIG)


@pytest.fixture(scope="session")
def extractor(default_config: Config) -> Extractor:
    """The default config's pipeline (actors us, russia, ukraine, eu)."""
    return Extractor(default_config)


@pytest.fixture(scope="session")
def eval_extractor(eval_config: Config) -> Extractor:
    """The evaluation config's pipeline (Israel, Hamas, Iran, North Korea, Sudan, Taliban, ...)."""
    return Extractor(eval_config)
