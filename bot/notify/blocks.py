"""Block Kit messages for alerts, always within Slack's limits and with feed text escaped."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.notify import wording as w
from bot.notify.escape import cut, cut_escaped, escape, link
from bot.notify.text import render_text

MAX_BLOCKS = 50
HEADER_LIMIT = 150
SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
MAX_FIELDS = 10
CONTEXT_LIMIT = 2000
QUOTE_LIMIT = 700
MAX_SOURCE_LINKS = 10


@dataclass(frozen=True)
class Message:
    """What is posted: Block Kit blocks and the plain `text` fallback (already escaped)."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    plain: str = ""  # the unescaped text, for the console


def header(text: str) -> dict[str, Any]:
    """A header block; plain_text is never parsed for mentions or links, so it is cut, not escaped."""
    return {"type": "header", "text": {"type": "plain_text", "text": cut(" ".join(text.split()) or "Alert", HEADER_LIMIT)}}


def section(mrkdwn: str) -> dict[str, Any]:
    """A section of already-escaped mrkdwn, cut to Slack's 3,000 characters."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut_mrkdwn(mrkdwn, SECTION_LIMIT)}}


def fields(pairs: list[tuple[str, str]]) -> dict[str, Any] | None:
    """A section of up to ten '*Name*\\nvalue' fields; values are raw feed text and get escaped here."""
    items = [{"type": "mrkdwn", "text": f"*{name}*\n{cut_escaped(value, FIELD_LIMIT - len(name) - 4)}"}
             for name, value in pairs if value not in (None, "")]
    return {"type": "section", "fields": items[:MAX_FIELDS]} if items else None


def context(parts: list[str]) -> dict[str, Any] | None:
    """A context line of already-escaped mrkdwn parts."""
    text = " · ".join(p for p in parts if p)
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut_mrkdwn(text, CONTEXT_LIMIT)}]} if text else None


def _cut_mrkdwn(text: str, limit: int) -> str:
    """Cut already-escaped text at a line or word, never inside an entity or a <link>."""
    if len(text) <= limit:
        return text
    head = cut(text, limit)
    # Drop a half-written link or entity at the end.
    if head.rfind("<") > head.rfind(">"):
        head = head[: head.rfind("<")].rstrip() + "…"
    amp = head.rfind("&")
    if amp != -1 and ";" not in head[amp:]:
        head = head[:amp].rstrip() + "…"
    return head


def quote(text: Any) -> str:
    """A one-paragraph mrkdwn block quote of feed text, cut at a word with an ellipsis."""
    flat = " ".join(str(text).split())
    return "> " + cut_escaped(flat, QUOTE_LIMIT)


def host_link(url: Any) -> str:
    host = urlsplit(str(url or "")).hostname or str(url or "")
    return link(url, host.removeprefix("www.") or "source")


def alert_message(alert: Mapping[str, Any], labels: Mapping[str, str] | None = None, *,
                  note: str | None = None) -> Message:
    """The Slack message for one alert (design.md §5 JSON); note is an extra line of our own words."""
    kind = str(alert.get("kind") or "")
    blocks: list[dict[str, Any] | None] = [header(w.title(alert, labels))]
    if note:
        blocks.append(context([escape(note)]))
    if kind in w.CASUALTY_KINDS:
        blocks.extend(_casualty_blocks(alert, labels))
    elif kind == "feed_health":
        blocks.append(fields([("Feed", str(alert.get("feed") or "")), ("State", str(alert.get("state") or ""))]))
        if alert.get("error"):
            blocks.append(section("*Error:* " + cut_escaped(alert["error"], SECTION_LIMIT - 20)))
    else:
        blocks.extend(_position_blocks(alert, labels))
    blocks.append(context([
        f"Published {escape(w.published(alert))}" if w.published(alert) else "",
        f"{w.source_count(alert)} source{'s' if w.source_count(alert) != 1 else ''}",
        link(alert.get("url"), "article") if alert.get("url") else "",
    ]))
    kept = [b for b in blocks if b]
    plain = render_text(alert, labels)
    return Message(text=cut_escaped(plain, SECTION_LIMIT), blocks=kept[:MAX_BLOCKS], plain=plain)


def _position_blocks(alert: Mapping[str, Any], labels: Mapping[str, str] | None) -> list[dict[str, Any] | None]:
    out: list[dict[str, Any] | None] = [fields([
        ("Actor", w.label(alert.get("actor"), labels)), ("Subject", w.label(alert.get("subject"), labels)),
    ])]
    for key in ("before", "after"):
        side = alert.get(key)
        if not isinstance(side, Mapping):
            continue
        lines = [f"*{key.capitalize()}:* {escape(w.requirements(side, labels))}"]
        if side.get("quote"):
            speaker = f" — {escape(side['speaker'])}" if side.get("speaker") else ""
            lines.append(quote(side["quote"]) + speaker)
        if side.get("url"):
            lines.append(host_link(side["url"]))
        out.append(section("\n".join(lines)))
    if w.change(alert):
        out.append(section("*Change:* " + cut_escaped(w.change(alert), SECTION_LIMIT - 20)))
    return out


def _casualty_blocks(alert: Mapping[str, Any], labels: Mapping[str, str] | None) -> list[dict[str, Any] | None]:
    casualty = alert.get("casualty") if isinstance(alert.get("casualty"), Mapping) else {}
    out: list[dict[str, Any] | None] = []
    if alert.get("kind") == "casualty_update" and w.revision(alert):
        out.append(section("*Revised:* " + escape(w.revision(alert))))
    out.append(fields([
        ("Killed", w.figure(casualty, "killed")), ("Injured", w.figure(casualty, "injured")),
        ("Place", w.place(casualty)), ("Date", str(casualty.get("date") or "")),
        ("Weapon", str(casualty.get("weapon") or "")),
        ("Perpetrator", w.label(casualty.get("perpetrator") or alert.get("actor"), labels)),
    ]))
    if casualty.get("quote"):
        out.append(section(quote(casualty["quote"])))
    links = w.sources(alert)[:MAX_SOURCE_LINKS]
    if links:
        out.append(section("*Sources:* " + " · ".join(host_link(u) for u in links)))
    return out
