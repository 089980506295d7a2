"""Detection policy: how facts turn into alerts and move the baseline."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot.config.base import Duration, Strict


class Detection(Strict):
    baseline_update: Literal["auto", "manual"] = "auto"
    first_poll: str = Field(default="silent", pattern=r"^(silent|alert|latest \d+)$")
    min_sources: int = Field(default=1, ge=1, description="independent sources needed before a shift is alerted")
    trusted_feeds: tuple[str, ...] = Field(default=(), description="one of these alone confirms a shift")
    casualty_window: Duration = Field(default=86400, description="how far apart two reports of one event may date the "
                                      "attack itself (a night attack is told under either date)")
