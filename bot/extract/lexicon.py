"""The position lexicons (bot/extract/data/positions.yaml), loaded once as sets and maps."""

from __future__ import annotations

from importlib import resources
from typing import Any

from bot.extract.yaml_data import parse_yaml


class Lexicon:
    """Each top-level key of the data file as an attribute: lists become frozensets of lowercase words."""

    def __init__(self, data: dict[str, Any]) -> None:
        for key, value in data.items():
            if isinstance(value, list):
                value = frozenset(str(v).lower() for v in value)
            setattr(self, key, value)

    def __getattr__(self, name: str) -> Any:  # only called for missing keys
        raise AttributeError(f"positions.yaml has no list {name!r}")


def load_lexicon() -> Lexicon:
    text = resources.files("bot.extract").joinpath("data/positions.yaml").read_text(encoding="utf-8")
    return Lexicon(parse_yaml(text))


LEXICON = load_lexicon()
