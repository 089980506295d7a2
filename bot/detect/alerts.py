"""Alerts: what detection decided a team must hear about, one typed object from detection to delivery.

An `Alert` carries one of three details: a `PositionChange` (a stance that is new or shifted), a
`CasualtyChange` (an event or its revised toll) or a `FeedHealth` (a feed's state changed). `to_json` gives
the alert JSON of the command line and the outbox stores `detail_json()`; `Alert.from_json` reads either back,
so this module is the one place where an alert is serialised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Union

from bot.detect.stance import Stance
from bot.extract.facts import CasualtyReport


class AlertKind(StrEnum):
    POSITION_SHIFT = "position_shift"
    NEW_POSITION = "new_position"
    CASUALTY_EVENT = "casualty_event"
    CASUALTY_UPDATE = "casualty_update"
    FEED_HEALTH = "feed_health"

    @property
    def is_position(self) -> bool:
        return self in (AlertKind.POSITION_SHIFT, AlertKind.NEW_POSITION)

    @property
    def is_casualty(self) -> bool:
        return self in (AlertKind.CASUALTY_EVENT, AlertKind.CASUALTY_UPDATE)


@dataclass(frozen=True)
class PositionChange:
    """A stance that is new (`before` None) or has shifted, and what changed between the two."""

    change: str                      # new | dropped | added | replaced | reframed | softened | hardened | restated
    after: Stance
    before: Stance | None = None
    added: tuple[str, ...] = ()      # requirement labels
    dropped: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()    # independent sources that stated `after`

    def to_json(self) -> dict[str, Any]:
        return {"position_kind": self.after.kind, "change": self.change, "added": list(self.added),
                "dropped": list(self.dropped), "speaker": self.after.speaker,
                "before": self.before.to_json() if self.before else None, "after": self.after.to_json(),
                "sources": list(self.sources)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "PositionChange":
        kind = data.get("position_kind")
        before = data.get("before")
        return cls(change=str(data.get("change") or ""), after=Stance.from_json(data.get("after") or {}, kind),
                   before=Stance.from_json(before, kind) if isinstance(before, Mapping) else None,
                   added=tuple(data.get("added") or ()), dropped=tuple(data.get("dropped") or ()),
                   sources=tuple(data.get("sources") or ()))


@dataclass(frozen=True)
class Figures:
    killed: int | None = None
    injured: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"killed": self.killed, "injured": self.injured}


@dataclass(frozen=True)
class CasualtyChange:
    """A casualty event as it stands after a report, with the figures it revises (an update)."""

    casualty: CasualtyReport
    sources: tuple[str, ...] = ()   # links of every report of the event
    previous: Figures | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"casualty": self.casualty.to_json(), "sources": list(self.sources)}
        if self.previous is not None:
            data["previous"] = self.previous.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "CasualtyChange":
        previous = data.get("previous")
        return cls(casualty=CasualtyReport.from_json(data.get("casualty") or {}),
                   sources=tuple(data.get("sources") or ()),
                   previous=Figures(previous.get("killed"), previous.get("injured"))
                   if isinstance(previous, Mapping) else None)


@dataclass(frozen=True)
class FeedHealth:
    """A feed's change of state: unhealthy, silent or recovered."""

    feed: str
    state: str
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"feed": self.feed, "state": self.state, "error": self.error}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "FeedHealth":
        return cls(feed=str(data.get("feed") or ""), state=str(data.get("state") or ""), error=data.get("error"))


AlertDetail = Union[PositionChange, CasualtyChange, FeedHealth]
_DETAILS: dict[AlertKind, type[PositionChange] | type[CasualtyChange] | type[FeedHealth]] = {
    AlertKind.POSITION_SHIFT: PositionChange, AlertKind.NEW_POSITION: PositionChange,
    AlertKind.CASUALTY_EVENT: CasualtyChange, AlertKind.CASUALTY_UPDATE: CasualtyChange,
    AlertKind.FEED_HEALTH: FeedHealth,
}


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    key: str                              # idempotency key: the same fact never makes two alerts
    detail: AlertDetail
    actor: str | None = None
    subject: str | None = None
    url: str = ""
    published: dt.datetime | None = None
    thread_key: str | None = None         # alerts sharing it go to one Slack thread (a casualty event)
    id: int | None = None                 # its outbox id, once stored

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", AlertKind(self.kind))
        if not isinstance(self.detail, _DETAILS[self.kind]):
            raise TypeError(f"a {self.kind} alert carries a {_DETAILS[self.kind].__name__}")

    @property
    def position(self) -> PositionChange | None:
        return self.detail if isinstance(self.detail, PositionChange) else None

    @property
    def casualty(self) -> CasualtyChange | None:
        return self.detail if isinstance(self.detail, CasualtyChange) else None

    @property
    def health(self) -> FeedHealth | None:
        return self.detail if isinstance(self.detail, FeedHealth) else None

    def detail_json(self) -> dict[str, Any]:
        """What the outbox stores beside the alert's columns."""
        return self.detail.to_json()

    def to_json(self) -> dict[str, Any]:
        """The alert as `replay --json` prints it."""
        return {
            **({"id": self.id} if self.id is not None else {}),
            "kind": str(self.kind),
            "actor": self.actor,
            **({"subject": self.subject} if self.subject is not None else {}),
            **self.detail_json(),
            "url": self.url,
            "published": iso(self.published),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, key: str = "", thread_key: str | None = None,
                  id: int | None = None) -> "Alert":
        """From `to_json`, or from an outbox row's columns with its stored detail merged in."""
        kind = AlertKind(str(data.get("kind")))
        published = data.get("published")
        if isinstance(published, str):
            published = dt.datetime.fromisoformat(published.replace("Z", "+00:00"))
        return cls(kind=kind, key=key or str(data.get("key") or ""), detail=_DETAILS[kind].from_json(data),
                   actor=data.get("actor"), subject=data.get("subject"), url=data.get("url") or "",
                   published=published if isinstance(published, dt.datetime) else None,
                   thread_key=thread_key if thread_key is not None else data.get("thread_key"),
                   id=id if id is not None else data.get("id"))


def iso(value: dt.datetime | None) -> str | None:
    """An ISO time in UTC with a Z, as the JSON output writes times."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
