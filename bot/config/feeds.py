"""Feed definitions: where to read, how often, and how the first poll behaves."""

from __future__ import annotations

import os
import re
from urllib.parse import urlparse

from pydantic import Field, field_validator

from bot.config.base import Duration, Strict

_FIRST_POLL = re.compile(r"^(silent|alert|latest \d+)$")


class Feed(Strict):
    name: str = Field(min_length=1)
    url: str = Field(min_length=1, description="http(s) URL, file:// URL or a path relative to the config folder")
    interval: Duration = 900.0
    jitter: Duration = 30.0
    language: str = "en"
    first_poll: str | None = Field(default=None, description="silent | alert | latest N; default from detection")
    trust: int = Field(default=1, ge=0, description="higher wins when sources disagree on a toll")
    full_text: bool = False
    enabled: bool = True
    silent_after: Duration | None = Field(default=None, description="no new item for this long: feed reported silent (default max(1d, 4 intervals))")

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme in ("http", "https"):
            if not parsed.netloc or " " in value:
                raise ValueError(f"{value!r} is not a valid http(s) URL")
        elif "://" in value and parsed.scheme != "file":
            raise ValueError(f"{value!r}: unsupported URL scheme {parsed.scheme!r} (use http, https, file or a path)")
        elif not os.path.isfile(value.removeprefix("file://")):
            raise ValueError(f"{value!r} is neither an http(s) URL nor an existing file")
        return value

    @field_validator("first_poll")
    @classmethod
    def _check_first_poll(cls, value: str | None) -> str | None:
        if value is not None and not _FIRST_POLL.match(value):
            raise ValueError("must be 'silent', 'alert' or 'latest N'")
        return value

    @property
    def is_remote(self) -> bool:
        return self.url.startswith(("http://", "https://"))
