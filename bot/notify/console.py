"""The console notifier: alerts printed as readable text when no Slack setting is given."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from typing import TextIO

from bot.notify.blocks import Message
from bot.notify.notifier import Posted


class ConsoleNotifier:
    """Prints each message to stdout (or stream); no threads, no edits."""

    name = "console"
    threads = False
    paced = False

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def post(self, channel: str, message: Message, *, thread_ts: str | None = None,
             keys: Sequence[str] = ()) -> Posted:
        stream = self._stream or sys.stdout
        stream.write(f"── {channel} ──\n{message.plain or message.text}\n\n")
        stream.flush()
        return Posted(channel=None, ts=None)

    def update(self, channel: str, ts: str, message: Message) -> None:
        """Nothing to edit on a console."""

    def find(self, channel: str, key: str, *, thread_ts: str | None = None,
             since: dt.datetime | None = None) -> Posted | None:
        return None
