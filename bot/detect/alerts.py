"""Alerts: what detection decided a team must hear about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

AlertKind = Literal["position_shift", "new_position", "casualty_event", "casualty_update", "feed_health"]


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    key: str                              # idempotency key: the same fact never makes two alerts
    actor: str | None = None
    subject: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)  # the JSON of design.md §5, minus kind
    url: str = ""
    published: dt.datetime | None = None
    thread_key: str | None = None          # alerts sharing it go to one Slack thread (casualty event id)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "actor": self.actor,
            **({"subject": self.subject} if self.subject is not None else {}),
            **self.payload,
            "url": self.url,
            "published": self.published.isoformat().replace("+00:00", "Z") if self.published else None,
        }
