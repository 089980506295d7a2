"""Digest messages: many held alerts in a few Block Kit messages, one short section each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.detect.alerts import Alert, AlertKind
from bot.notify import wording as w
from bot.notify.blocks import MAX_BLOCKS, SECTION_LIMIT, Message, context, header, host_link, section
from bot.notify.escape import cut_escaped, escape
from bot.notify.names import Names

PER_MESSAGE = MAX_BLOCKS - 4  # header + context, with room to spare


def summary(alert: Alert, names: Names) -> str:
    """One line under an alert's title: what changed, in raw text."""
    if alert.casualty is not None:
        casualty = alert.casualty.casualty
        bits = [w.revision(alert.casualty) if alert.kind == AlertKind.CASUALTY_UPDATE else "",
                casualty.date.isoformat() if casualty.date else "", casualty.weapon or "",
                f"{w.source_count(alert)} source(s)"]
        return " · ".join(b for b in bits if b)
    if alert.health is not None:
        return alert.health.error or ""
    if alert.position is None:
        return ""
    sides = (alert.position.before, alert.position.after)
    return " → ".join(w.stance(alert.subject, side, names) for side in sides if side is not None)


def digest_messages(alerts: Sequence[Alert], heading: str, names: Names | None = None) -> list[Message]:
    """Messages of at most PER_MESSAGE alerts each, in the order given."""
    names = names or Names()
    chunks = [alerts[i:i + PER_MESSAGE] for i in range(0, len(alerts), PER_MESSAGE)] or [[]]
    messages = []
    for number, chunk in enumerate(chunks, 1):
        part = f" ({number}/{len(chunks)})" if len(chunks) > 1 else ""
        title = f"{heading}: {len(alerts)} alert{'s' if len(alerts) != 1 else ''}{part}"
        blocks: list[dict[str, Any] | None] = [header(title)]
        for alert in chunk:
            line = f"*{escape(w.title(alert, names))}*"
            detail = summary(alert, names)
            if detail:
                line += "\n" + cut_escaped(detail, 1500)
            if alert.url:
                line += " · " + host_link(alert.url)
            blocks.append(section(line))
        blocks.append(context(["Held by the channel's digest or quiet hours"]))
        text = "\n\n".join([title, *(w.title(a, names) for a in chunk)])
        messages.append(Message(text=cut_escaped(text, SECTION_LIMIT), blocks=[b for b in blocks if b], plain=text))
    return messages
