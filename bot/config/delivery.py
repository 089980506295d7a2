"""Slack routing and noise control. Secrets come from the environment, never from here."""

from __future__ import annotations

import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from bot.config.base import Duration, Strict

_HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
_REVIEWER = re.compile(r"^[UWS][A-Z0-9]{2,}$")


class ChannelPolicy(Strict):
    mode: Literal["immediate", "hourly", "daily"] = "immediate"
    quiet_hours: str | None = Field(default=None, description="HH:MM-HH:MM in the channel's timezone")
    timezone: str = "UTC"
    daily_at: str = Field(default="08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM of the daily digest")

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r} (use an IANA name such as Europe/Kyiv)") from exc
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _check_hours(cls, value: str | None) -> str | None:
        if value is not None and not _HOURS.match(value):
            raise ValueError("must look like 22:00-07:00")
        return value


class Delivery(Strict):
    default_channel: str = "#discourse-alerts"
    admin_channel: str | None = None
    by_actor: dict[str, str] = {}
    by_kind: dict[str, str] = {}
    channels: dict[str, ChannelPolicy] = {}
    urgent_killed_at_least: int | None = Field(default=None, ge=1, description="casualty events at or above bypass digests and quiet hours")
    per_channel_interval: float = Field(default=1.0, ge=0, description="seconds between messages to one channel")
    max_attempts: int = Field(default=8, ge=1)
    retry_backoff: float = Field(default=0.5, ge=0, description="seconds, doubled per HTTP retry of one Slack call")
    retry_budget: Duration = Field(default=60.0, ge=0, description="seconds one delivery pass may spend waiting to "
                                   "retry transient Slack errors (429, 5xx, refused connections) before it leaves "
                                   "an alert pending for a later pass")
    reviewers: tuple[str, ...] = Field(default=(), description="Slack user ids (U…, W…) or user group ids (S…) "
                                       "who may decide on alerts; empty: anyone in the alert's channel")

    @field_validator("reviewers")
    @classmethod
    def _check_reviewers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        wrong = [v for v in value if not _REVIEWER.match(v)]
        if wrong:
            raise ValueError(f"{', '.join(map(repr, wrong))}: use Slack ids, U… for a person or S… for a user "
                             "group (a profile's ⋮ menu, \"Copy member ID\"), not names")
        return value
