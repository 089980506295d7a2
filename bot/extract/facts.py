"""Facts extracted from a document: stated positions and casualty reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PositionKind = Literal["condition", "demand", "refusal", "offer", "threat"]


@dataclass(frozen=True)
class Position:
    """Actor states that `subject` requires `requires` (for a condition), or demands/refuses/offers/threatens it."""

    actor: str
    kind: PositionKind
    subject: str                      # topic id or normalised noun phrase
    requires: tuple[str, ...] = ()    # topic ids or normalised noun phrases, sorted
    speaker: str | None = None
    negated: bool = False
    hedged: bool = False
    hypothetical: bool = False
    reported: bool = False
    quote: str = ""
    sentence: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["requires"] = list(self.requires)
        return data


@dataclass(frozen=True)
class CasualtyReport:
    killed: int | None = None
    killed_low: int | None = None
    killed_high: int | None = None
    injured: int | None = None
    injured_low: int | None = None
    injured_high: int | None = None
    location: str | None = None
    country: str | None = None        # ISO 3166-1 alpha-2
    admin: str | None = None          # region, for event identity at admin level
    lat: float | None = None
    lon: float | None = None
    date: dt.date | None = None
    weapon: str | None = None
    perpetrator: str | None = None    # actor id
    quote: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


@dataclass
class DocumentFacts:
    document_id: str
    positions: list[Position] = field(default_factory=list)
    casualties: list[CasualtyReport] = field(default_factory=list)
