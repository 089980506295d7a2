"""Block Kit messages for alerts, always within Slack's limits and with feed text escaped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from bot.detect.alerts import Alert, AlertKind, CasualtyChange, PositionChange
from bot.notify import wording as w
from bot.notify.escape import cut, cut_escaped, escape, link
from bot.notify.names import Names
from bot.notify.text import render_text
from bot.store.feedback import ALLOWED, Decision, FeedbackAction

MAX_BLOCKS = 50
HEADER_LIMIT = 150
SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
MAX_FIELDS = 10
CONTEXT_LIMIT = 2000
QUOTE_LIMIT = 700
MAX_SOURCE_LINKS = 10
FEEDBACK_BLOCK = "discourse_feedback"   # block_id of the buttons; each button's action_id is its FeedbackAction
BUTTON_LABELS = {FeedbackAction.ACCEPT: "Accept", FeedbackAction.NOT_A_SHIFT: "Not a shift",
                 FeedbackAction.NOT_AN_ATTACK: "Not an attack", FeedbackAction.WRONG_FIGURES: "Wrong figures"}


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
             for name, value in pairs if value]
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


def quote(text: str) -> str:
    """A one-paragraph mrkdwn block quote of feed text without its dateline, cut at a word with an ellipsis."""
    return "> " + cut_escaped(w.clean_quote(text), QUOTE_LIMIT)


def host_link(url: str) -> str:
    host = urlsplit(url or "").hostname or url or ""
    return link(url, host.removeprefix("www.") or "source")


def alert_message(alert: Alert, names: Names | None = None, *, note: str | None = None,
                  decision: Decision | None = None) -> Message:
    """The Slack message for one alert; note is an extra line of our own words. A stored alert gets the
    buttons its kind allows (`feedback_buttons`) until it is decided; then a line says who decided what, when."""
    names = names or Names()
    blocks: list[dict[str, Any] | None] = [header(w.title(alert, names))]
    if note:
        blocks.append(context([escape(note)]))
    if alert.position is not None:
        blocks.extend(_position_blocks(alert, alert.position, names))
    elif alert.casualty is not None:
        blocks.extend(_casualty_blocks(alert, alert.casualty, names))
    elif alert.health is not None:
        blocks.append(fields([("Feed", alert.health.feed), ("State", alert.health.state)]))
        if alert.health.error:
            blocks.append(section("*Error:* " + cut_escaped(alert.health.error, SECTION_LIMIT - 20)))
    count = w.source_count(alert)
    blocks.append(context([
        f"Published {escape(w.published(alert))}" if w.published(alert) else "",
        f"{count} source{'s' if count != 1 else ''}" if count else "",
        # a casualty alert lists its article first among its sources: one link, not two
        link(alert.url, "article") if alert.url and alert.casualty is None else "",
    ]))
    plain = render_text(alert, names)
    if decision is not None:
        blocks.append(context([f"*{escape(decision.action.title)}* by {escape(decision.who)} · {decided_when(decision)}"]))
        plain += f"\n{decided_line(decision)}"
    kept = [b for b in blocks if b][:MAX_BLOCKS - 1]
    buttons = feedback_buttons(alert) if decision is None else None
    if buttons is not None:
        kept.append(buttons)
    return Message(text=cut_escaped(plain, SECTION_LIMIT), blocks=kept, plain=plain)


def feedback_buttons(alert: Alert) -> dict[str, Any] | None:
    """An `actions` block with one button per decision the alert's kind allows; each button's value is the
    alert id. None for an alert that is not stored yet (no id) or that no decision applies to."""
    allowed = ALLOWED.get(alert.kind, ())
    if alert.id is None or not allowed:
        return None
    return {"type": "actions", "block_id": FEEDBACK_BLOCK, "elements": [
        {"type": "button", "action_id": str(action), "value": str(alert.id),
         "text": {"type": "plain_text", "text": BUTTON_LABELS[action]},
         **({"style": "primary"} if action is FeedbackAction.ACCEPT else {})}
        for action in allowed]}


def without_buttons(message: Message) -> Message:
    """The message with its buttons taken out, for a way of posting that cannot receive clicks."""
    kept = [b for b in message.blocks if b.get("type") != "actions"]
    return message if len(kept) == len(message.blocks) else replace(message, blocks=kept)


def decided_when(decision: Decision) -> str:
    return decision.decided_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def decided_line(decision: Decision) -> str:
    """"Not a shift by ana, 2026-11-25 12:00 UTC" (plain words)."""
    return f"{decision.action.title} by {decision.who}, {decided_when(decision)}"


def _position_blocks(alert: Alert, position: PositionChange, names: Names) -> list[dict[str, Any] | None]:
    after, before = position.after, position.before
    out: list[dict[str, Any] | None] = [fields([
        ("Actor", names.actor(alert.actor)), ("Subject", names.topic(alert.subject)),
        ("Kind", w.kind(position)), ("Speaker", names.speaker(alert.actor, after.speaker)),
    ])]
    if before is not None:
        lines = [f"*Before:* {escape(w.stance(alert.subject, before, names))}."]
        if before.quote:
            other = before.speaker and before.speaker != after.speaker
            lines.append(quote(before.quote) + (f" — {escape(names.speaker(alert.actor, before.speaker))}" if other else ""))
        if before.url and before.url != alert.url:
            lines.append(host_link(before.url))
        out.append(section("\n".join(lines)))
    lines = [f"*{'After' if before is not None else 'Position'}:* {escape(w.stance(alert.subject, after, names))}."]
    if after.quote:
        lines.append(quote(after.quote))
    if after.url and after.url != alert.url:
        lines.append(host_link(after.url))
    out.append(section("\n".join(lines)))
    if w.change(position, names):
        out.append(section("*Change:* " + escape(w.change(position, names))))
    return out


def _casualty_blocks(alert: Alert, change: CasualtyChange, names: Names) -> list[dict[str, Any] | None]:
    casualty = change.casualty
    out: list[dict[str, Any] | None] = []
    if alert.kind == AlertKind.CASUALTY_UPDATE and w.revision(change):
        out.append(section("*Revised:* " + escape(w.revision(change))))
    out.append(fields([
        ("Killed", w.figure(casualty, "killed")), ("Injured", w.figure(casualty, "injured")),
        ("Place", w.place(casualty)), ("Date", casualty.date.isoformat() if casualty.date else ""),
        ("Weapon", casualty.weapon or ""), ("Perpetrator", w.perpetrator(alert, names)),
    ]))
    if casualty.quote:
        out.append(section(quote(casualty.quote)))
    links = w.sources(alert)[:MAX_SOURCE_LINKS]
    if links:
        out.append(section("*Sources:* " + " · ".join(host_link(u) for u in links)))
    return out


def withdrawn_message(update: Alert, decision: Decision) -> Message:
    """The reply in an event's thread when a reviewer withdraws an update's figures."""
    assert update.casualty is not None
    event = decision.after.get("event") or {}
    now = ", ".join(f"{event[n]} {n}" for n in ("killed", "injured") if event.get(n) is not None) or "toll unknown"
    plain = (f"Figures withdrawn: the update to {w.toll(update.casualty.casualty)} was marked wrong by "
             f"{decision.who} ({decided_when(decision)}). The event's toll is back to {now}.")
    return Message(text=cut_escaped(plain, SECTION_LIMIT), plain=plain, blocks=[section(
        f"*Figures withdrawn:* the update to {escape(w.toll(update.casualty.casualty))} was marked wrong by "
        f"{escape(decision.who)} ({decided_when(decision)}). The event's toll is back to {escape(now)}.")])
