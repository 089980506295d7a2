"""Facts extracted from a document: stated positions and casualty reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, Union

PositionKind = Literal["condition", "demand", "refusal", "offer", "threat"]
POSITION_KINDS: tuple[PositionKind, ...] = ("condition", "demand", "refusal", "offer", "threat")
Direction = Literal["for", "against"]


@dataclass(frozen=True, order=True)
class Requirement:
    """One thing a position requires, and which way: "Ukraine renounces NATO membership" is
    `Requirement("nato_membership", "against")`, "Russia withdraws its troops" `Requirement("troop_withdrawal")`.

    `direction` "for": the thing named happens, is granted or continues; "against": it is renounced, halted,
    withdrawn or ruled out. `words` keeps the text's own wording beside the topic ("withdrawal from Donetsk,
    Luhansk, Zaporizhzhia and Kherson"); it is shown, never compared.
    """

    topic: str                       # topic id, else a short normalised phrase
    direction: Direction = "for"
    words: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        """The compact form compared and printed: "troop_withdrawal", "no nato_membership"."""
        return self.topic if self.direction == "for" else f"no {self.topic}"

    def to_json(self) -> dict[str, Any]:
        return {"topic": self.topic, "direction": self.direction, "words": self.words}

    @classmethod
    def of(cls, value: "RequirementLike") -> "Requirement":
        """A Requirement from itself, its JSON, or a label ("ceasefire", "no nato_membership")."""
        if isinstance(value, Requirement):
            return value
        if isinstance(value, Mapping):
            direction: Direction = "against" if value.get("direction") == "against" else "for"
            return cls(str(value.get("topic") or ""), direction, str(value.get("words") or ""))
        text = str(value)
        if text.startswith("no ") and len(text) > 3:
            return cls(text[3:], "against")
        return cls(text)


RequirementLike = Union[Requirement, Mapping[str, Any], str]


def requirements(values: Iterable[RequirementLike] | None) -> tuple[Requirement, ...]:
    """Requirements without repeats, in a stable order (by label)."""
    unique: dict[str, Requirement] = {}
    for value in values or ():
        requirement = Requirement.of(value)
        if requirement.topic:
            unique.setdefault(requirement.label, requirement)
    return tuple(unique[k] for k in sorted(unique))


@dataclass(frozen=True)
class Position:
    """Actor states that `subject` requires `requires` (for a condition), or demands/refuses/offers/threatens it.

    `negated`: the requirements are explicitly *not* required ("talks can begin without a ceasefire"; "a
    ceasefire without preconditions" is negated with the requirement "preconditions").
    """

    actor: str
    kind: PositionKind
    subject: str                      # topic id or normalised noun phrase
    requires: tuple[Requirement, ...] = ()
    speaker: str | None = None
    negated: bool = False
    hedged: bool = False
    hypothetical: bool = False
    reported: bool = False
    quote: str = ""
    sentence: str = ""

    def __post_init__(self) -> None:
        # labels and JSON are accepted where Requirements are expected, so facts read from files stay simple
        object.__setattr__(self, "requires", requirements(self.requires))

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(r.label for r in self.requires)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["requires"] = list(self.labels)
        data["requirements"] = [r.to_json() for r in self.requires]
        return data


@dataclass(frozen=True)
class CasualtyReport:
    """One attack's toll as one document tells it, or as a casualty event stands after its reports.

    Place: `location` is the most specific place named (a city or village, else a district or region; never a
    country alone), `place_level` says which ("city", "district", "region"; "country" when only the country is
    known, then `location` is None), `admin` is its region's geonames code and `district` its district.
    `killed_added` / `injured_added`: victims told on top of a toll told before ("two more bodies were found",
    "two of the wounded died"), where the document states no total. `undated`: no day is told, `date` is the
    publication date. `night`: the evening of the night the text tells the attack in ("overnight", "on Saturday
    night", "early on Sunday": the same evening, whichever of its two days an outlet dates it by). `revision`: the text tells its toll after the fact: as a revision of an earlier one ("the
    death toll rose to 40", "two more bodies were found"), or of an attack it dates only vaguely ("last week's
    strike"). `target`: a distinctive target named ("hypermarket", "railway_station"). `claimed_*`: a
    higher figure from a less trusted source than the toll's, shown beside the toll, never as it (set by
    detection on an event). `killed_as_victims`: the killed figure is read from "the number of victims" or
    "casualties", no count of the dead told or only a lower one.
    """

    killed: int | None = None
    killed_low: int | None = None
    killed_high: int | None = None
    injured: int | None = None
    injured_low: int | None = None
    injured_high: int | None = None
    location: str | None = None
    country: str | None = None        # ISO 3166-1 alpha-2
    admin: str | None = None          # region code, for event identity at region level
    lat: float | None = None
    lon: float | None = None
    date: dt.date | None = None
    weapon: str | None = None
    perpetrator: str | None = None    # actor id
    quote: str = ""
    place_level: str | None = None
    district: str | None = None
    target: str | None = None
    killed_added: int | None = None
    injured_added: int | None = None
    undated: bool = False
    night: dt.date | None = None      # the evening of the night the attack is told in (its day that or the next)
    revision: bool = False            # told after the fact ("rose to", "two more bodies", "last week's strike")
    claimed_killed: int | None = None
    claimed_injured: int | None = None
    claimed_by: str | None = None
    again: bool = False               # told as one more attack on its place ("hit again"; set by extraction, never
                                      # stored: it tells a later report from the event it follows)
    killed_as_victims: bool = False   # the dead counted only as "the number of victims/casualties", which may
                                      # count the wounded too (set by extraction; never stored)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        data["night"] = self.night.isoformat() if self.night else None
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "CasualtyReport":
        """From `to_json` (unknown keys are ignored, a bad date is no date)."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        for name in ("date", "night"):
            day = values.get(name)
            if isinstance(day, str):
                try:
                    values[name] = dt.date.fromisoformat(day[:10])
                except ValueError:
                    values[name] = None
        return cls(**values)


@dataclass
class DocumentFacts:
    document_id: str
    positions: list[Position] = field(default_factory=list)
    casualties: list[CasualtyReport] = field(default_factory=list)
