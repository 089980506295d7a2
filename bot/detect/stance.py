"""A stance: what an actor holds about one subject, as the baseline keeps it and the alerts show it.

A stance is keyed by (actor, subject). It holds the requirements (each with its direction), how it was
stated (condition, demand, refusal, offer, threat), whether the requirements are waived ("X without Y",
"X without preconditions") and whether it was hedged. A condition "no X until Y" and an offer "X without
preconditions" are two stances on the same key, so moving between them is a shift.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.extract.facts import POSITION_KINDS, Position, PositionKind, Requirement, requirements

StanceKey = tuple[str, str]  # (actor, subject)

# How a stance is stated, for comparison: "X only if Y" (a condition) and "ready to X if Y" (an offer) are the
# same conditional stance, which the wording of one article or the next makes one or the other.
_FAMILY = {"condition": "conditional", "offer": "conditional", "demand": "demand", "refusal": "refusal",
           "threat": "threat"}


@dataclass(frozen=True)
class Stance:
    """The comparable part of a position (kind, requirements, waived, hedged) and where it was said."""

    kind: PositionKind = "condition"
    requires: tuple[Requirement, ...] = ()
    negated: bool = False                 # the requirements are waived: "X without Y"
    hedged: bool = False
    speaker: str | None = None
    quote: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "requires", requirements(self.requires))

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(r.label for r in self.requires)

    @property
    def required(self) -> frozenset[str]:
        """What must happen first: nothing when the stance waives its requirements."""
        return frozenset() if self.negated else frozenset(self.labels)

    @property
    def family(self) -> str:
        return _FAMILY.get(self.kind, self.kind)

    @property
    def signature(self) -> str:
        """Equal signatures mean the same stance, whoever said it and wherever."""
        flags = ("!" if self.negated else "") + ("~" if self.hedged else "")
        return f"{self.family}:{flags}{'+'.join(self.labels) or '-'}"

    def same_as(self, other: "Stance") -> bool:
        return self.signature == other.signature

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "requires": list(self.labels),
                "requirements": [r.to_json() for r in self.requires], "quote": self.quote, "url": self.url,
                "negated": self.negated, "hedged": self.hedged, "speaker": self.speaker}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], kind: str | None = None) -> "Stance":
        """From `to_json`, or from an older alert's side (requires as labels, no kind: `kind` stands in)."""
        stated = data.get("kind") or kind or "condition"
        return cls(kind=stated if stated in POSITION_KINDS else "condition",
                   requires=requirements(data.get("requirements") or data.get("requires") or ()),
                   negated=bool(data.get("negated")), hedged=bool(data.get("hedged")), speaker=data.get("speaker"),
                   quote=data.get("quote") or "", url=data.get("url") or "")

    @classmethod
    def of(cls, position: Position, url: str) -> "Stance":
        return cls(kind=position.kind, requires=position.requires, negated=position.negated, hedged=position.hedged,
                   speaker=position.speaker, quote=position.quote or position.sentence, url=url)


@dataclass(frozen=True)
class BaselineView:
    """One baseline entry as detection sees it."""

    actor: str
    subject: str
    stance: Stance
    sources: tuple[str, ...] = ()
    version: int = 1                       # how many stances this entry has held
    as_of: dt.datetime | None = None       # publication time of the statement it holds

    @property
    def key(self) -> StanceKey:
        return (self.actor, self.subject)


@dataclass(frozen=True)
class CandidateView:
    """A changed stance seen but not yet corroborated enough to alert or move the baseline."""

    signature: str
    stance: Stance
    sources: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    direct: bool = False                   # at least one source stated it first-hand


@dataclass(frozen=True)
class StatedPosition:
    """One document's merged stance on a key: what it states, and whether only second-hand."""

    actor: str
    subject: str
    stance: Stance
    reported: bool = False
    merged: int = 1                        # how many extracted positions it merges

    @property
    def key(self) -> StanceKey:
        return (self.actor, self.subject)

    @property
    def kind(self) -> PositionKind:
        return self.stance.kind
