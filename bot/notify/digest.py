"""Digest messages: many held alerts in a few Block Kit messages, one short section each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.notify import wording as w
from bot.notify.blocks import MAX_BLOCKS, SECTION_LIMIT, Message, context, header, host_link, section
from bot.notify.escape import cut_escaped, escape
from bot.notify.text import render_text

PER_MESSAGE = MAX_BLOCKS - 4  # header + context, with room to spare


def summary(alert: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    """One line under an alert's title: what changed, in raw text."""
    kind = alert.get("kind")
    if kind in w.CASUALTY_KINDS:
        casualty = alert.get("casualty") if isinstance(alert.get("casualty"), Mapping) else {}
        bits = [w.revision(alert) if kind == "casualty_update" else "", str(casualty.get("date") or ""),
                str(casualty.get("weapon") or ""), f"{w.source_count(alert)} source(s)"]
        return " · ".join(b for b in bits if b)
    if kind == "feed_health":
        return str(alert.get("error") or "")
    parts = []
    if isinstance(alert.get("before"), Mapping):
        parts.append(w.requirements(alert["before"], labels))
    if isinstance(alert.get("after"), Mapping):
        parts.append(w.requirements(alert["after"], labels))
    return " → ".join(parts)


def digest_messages(alerts: Sequence[Mapping[str, Any]], heading: str,
                    labels: Mapping[str, str] | None = None) -> list[Message]:
    """Messages of at most PER_MESSAGE alerts each, in the order given."""
    chunks = [alerts[i:i + PER_MESSAGE] for i in range(0, len(alerts), PER_MESSAGE)] or [[]]
    messages = []
    for number, chunk in enumerate(chunks, 1):
        part = f" ({number}/{len(chunks)})" if len(chunks) > 1 else ""
        title = f"{heading}: {len(alerts)} alert{'s' if len(alerts) != 1 else ''}{part}"
        blocks: list[dict[str, Any] | None] = [header(title)]
        for alert in chunk:
            line = f"*{escape(w.title(alert, labels))}*"
            detail = summary(alert, labels)
            if detail:
                line += "\n" + cut_escaped(detail, 1500)
            if alert.get("url"):
                line += " · " + host_link(alert["url"])
            blocks.append(section(line))
        blocks.append(context(["Held by the channel's digest or quiet hours"]))
        text = "\n\n".join([title, *(render_text(a, labels).split("\n", 1)[0] for a in chunk)])
        messages.append(Message(text=cut_escaped(text, SECTION_LIMIT), blocks=[b for b in blocks if b], plain=text))
    return messages
