"""The plain-text rendering of an alert: the console output and the `text` fallback of every Slack message."""

from __future__ import annotations

from bot.detect.alerts import Alert, AlertKind, CasualtyChange, PositionChange
from bot.notify import wording as w
from bot.notify.escape import cut
from bot.notify.names import Names

QUOTE_LIMIT = 400


def render_text(alert: Alert, names: Names | None = None) -> str:
    """Readable multi-line text for one alert."""
    names = names or Names()
    lines = [w.title(alert, names)]
    if alert.position is not None:
        lines.extend(_position_lines(alert, alert.position, names))
    elif alert.casualty is not None:
        lines.extend(_casualty_lines(alert, alert.casualty, names))
    elif alert.health is not None and alert.health.error:
        lines.append(f"Error: {alert.health.error}")
    footer = [part for part in (w.published(alert) and f"Published {w.published(alert)}", alert.url) if part]
    if footer:
        lines.append(" · ".join(footer))
    return "\n".join(lines)


def quoted(text: str) -> str:
    return f"“{cut(w.clean_quote(text), QUOTE_LIMIT)}”"


def _position_lines(alert: Alert, position: PositionChange, names: Names) -> list[str]:
    speaker = names.speaker(alert.actor, position.after.speaker)
    lines = [f"Kind: {w.kind(position)}" + (f" · Speaker: {speaker}" if speaker else "")]
    if position.before is not None:
        before = position.before
        lines.append(f"Before: {w.stance(alert.subject, before, names)}.")
        if before.quote:
            other = before.speaker and before.speaker != position.after.speaker
            lines.append("  " + quoted(before.quote) + (f" — {names.speaker(alert.actor, before.speaker)}" if other else ""))
        if before.url and before.url != alert.url:
            lines.append(f"  {before.url}")
    label = "After" if position.before is not None else "Position"
    lines.append(f"{label}: {w.stance(alert.subject, position.after, names)}.")
    if position.after.quote:
        lines.append("  " + quoted(position.after.quote))
    if position.after.url and position.after.url != alert.url:
        lines.append(f"  {position.after.url}")
    if w.change(position, names):
        lines.append(f"Change: {w.change(position, names)}")
    return lines


def _casualty_lines(alert: Alert, change: CasualtyChange, names: Names) -> list[str]:
    casualty = change.casualty
    lines = []
    if alert.kind == AlertKind.CASUALTY_UPDATE and w.revision(change):
        lines.append(f"Revised: {w.revision(change)}")
    facts = [f"{name}: {value}" for name, value in (
        ("Killed", w.figure(casualty, "killed")), ("Injured", w.figure(casualty, "injured")),
        ("Place", w.place(casualty)), ("Date", casualty.date.isoformat() if casualty.date else ""),
        ("Weapon", casualty.weapon or ""), ("Perpetrator", w.perpetrator(alert, names)),
    ) if value]
    if facts:
        lines.append(" · ".join(facts))
    if casualty.quote:
        lines.append(quoted(casualty.quote))
    links = [u for u in w.sources(alert) if u != alert.url]
    lines.append(f"Sources: {w.source_count(alert)}" + (f" ({', '.join(links[:5])})" if links else ""))
    return lines
