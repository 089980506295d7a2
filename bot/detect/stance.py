"""A stance: what an actor holds on one (kind, subject), as the baseline and the alerts show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.extract.facts import Position

Key = tuple[str, str, str]  # (actor, kind, subject)


@dataclass(frozen=True)
class Stance:
    """The comparable part of a position (requires, negated, hedged) and where it was said."""

    requires: tuple[str, ...] = ()
    negated: bool = False
    hedged: bool = False
    speaker: str | None = None
    quote: str = ""
    url: str = ""

    @property
    def signature(self) -> str:
        """Equal signatures mean the same position, whoever said it and wherever."""
        flags = ("!" if self.negated else "") + ("~" if self.hedged else "")
        return f"{flags}{'+'.join(self.requires) or '-'}"

    def same_as(self, other: "Stance") -> bool:
        return self.signature == other.signature

    def to_json(self) -> dict[str, Any]:
        return {"requires": list(self.requires), "quote": self.quote, "url": self.url,
                "negated": self.negated, "hedged": self.hedged, "speaker": self.speaker}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Stance":
        return cls(requires=tuple(sorted(data.get("requires") or ())), negated=bool(data.get("negated")),
                   hedged=bool(data.get("hedged")), speaker=data.get("speaker"), quote=data.get("quote") or "",
                   url=data.get("url") or "")

    @classmethod
    def of(cls, position: Position, url: str) -> "Stance":
        return cls(requires=tuple(sorted(set(position.requires))), negated=position.negated, hedged=position.hedged,
                   speaker=position.speaker, quote=position.quote or position.sentence, url=url)


@dataclass(frozen=True)
class BaselineView:
    """One baseline entry as detection sees it."""

    actor: str
    kind: str
    subject: str
    stance: Stance
    sources: tuple[str, ...] = ()
    version: int = 1                       # how many positions this entry has held
    as_of: dt.datetime | None = None       # publication time of the statement it holds

    @property
    def key(self) -> Key:
        return (self.actor, self.kind, self.subject)


@dataclass(frozen=True)
class CandidateView:
    """A changed position seen but not yet corroborated enough to alert or move the baseline."""

    signature: str
    stance: Stance
    sources: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    direct: bool = False                   # at least one source stated it first-hand


@dataclass(frozen=True)
class StatedPosition:
    """One document's merged position on a key: what it states, and whether only second-hand."""

    actor: str
    kind: str
    subject: str
    stance: Stance
    reported: bool = False
    merged: int = 1                        # how many extracted positions it merges

    @property
    def key(self) -> Key:
        return (self.actor, self.kind, self.subject)
