"""The position lexicons (bot/extract/data/positions.yaml), loaded once as sets and maps."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Lexicon:
    data: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            value = self.data[name]
        except KeyError:
            raise AttributeError(name) from None
        if isinstance(value, list):
            return frozenset(str(v).lower() for v in value)
        return value


def load_lexicon() -> Lexicon:
    text = resources.files("bot.extract").joinpath("data/positions.yaml").read_text(encoding="utf-8")
    return Lexicon(yaml.safe_load(text))


LEXICON = load_lexicon()
