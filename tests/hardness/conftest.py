"""Fixtures of the hardness suite: one real Extractor per session and configs written to tmp_path."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import Config, load_config

REPO = Path(__file__).resolve().parents[2]
# What every hardness config shares with the shipped one: the watched actors and topics.
SHARED_FILES = ("actors.yaml", "topics.yaml")


def write_config(folder: Path, feeds: Iterable[Mapping[str, Any]], settings: Mapping[str, Any] | None = None,
                 detection: Mapping[str, Any] | None = None, delivery: Mapping[str, Any] | None = None) -> Path:
    """A config folder: the repo's actors and topics plus the given feeds and sections. Returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in SHARED_FILES:
        shutil.copy(REPO / "config" / name, folder / name)
    data: dict[str, Any] = {"feeds": [dict(f) for f in feeds]}
    if settings:
        data["settings"] = dict(settings)
    if detection:
        data["detection"] = dict(detection)
    if delivery:
        data["delivery"] = dict(delivery)
    (folder / "bot.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def make_config(folder: Path, feeds: Iterable[Mapping[str, Any]], **sections: Any) -> Config:
    return load_config(write_config(folder, feeds, **sections))


@pytest.fixture(scope="session")
def extractor():
    """The real model and pipeline, built once: the components only read the (shared) actors and topics."""
    from bot.extract import Extractor

    return Extractor(load_config(REPO / "config"))
