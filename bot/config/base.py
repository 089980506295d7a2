"""Shared pieces of the config models: strict, immutable, and readable durations."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


class Strict(BaseModel):
    """Unknown keys are errors and a loaded config never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def parse_duration(value: object) -> float:
    """Seconds from 90, "90s", "15m", "2h" or "1d"."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 90, '15m' or '2h'")
    if isinstance(value, (int, float)):
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a duration such as 90, '15m' or '2h'")
    number, unit = match.groups()
    return float(number) * _UNIT_SECONDS[(unit or "s").lower()]


Duration = Annotated[float, BeforeValidator(parse_duration)]
