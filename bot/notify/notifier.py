"""What every notifier provides, and the error it raises when Slack (or a webhook) refuses a message."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.errors import DeliveryError
from bot.notify.blocks import Message

AUTH_ERRORS = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive",
                         "missing_scope", "invalid_token", "no_service"})
CHANNEL_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived", "channel_is_archived",
                            "restricted_action", "no_active_hooks", "no_text", "posting_to_general_channel_denied"})
BLOCK_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long", "invalid_attachments"})


@dataclass(frozen=True)
class Posted:
    """Where Slack put a message: channel id and ts (None for webhooks and the console)."""

    channel: str | None
    ts: str | None


class NotifyError(DeliveryError):
    """Slack did not take the message."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        super().__init__(f"{code}: {detail}" if detail else code)

    @property
    def is_auth(self) -> bool:
        return self.code in AUTH_ERRORS

    @property
    def is_permanent(self) -> bool:
        """Retrying soon will not help: a person has to fix the token or the channel."""
        return self.code in AUTH_ERRORS or self.code in CHANNEL_ERRORS


def fingerprint(alert_key: str) -> str:
    """A short stable id of an alert, carried in the message metadata so a post can be found again."""
    return hashlib.sha1(alert_key.encode("utf-8")).hexdigest()[:16]


class Notifier(Protocol):
    name: str
    threads: bool  # can reply in threads, edit messages and find its own posts again
    paced: bool  # a rate-limited service: keep to about one message per interval per channel

    def post(self, channel: str, message: Message, *, thread_ts: str | None = None,
             keys: Sequence[str] = ()) -> Posted: ...

    def update(self, channel: str, ts: str, message: Message) -> None: ...

    def find(self, channel: str, key: str, *, thread_ts: str | None = None,
             since: dt.datetime | None = None) -> Posted | None: ...
