"""The plain-text rendering of an alert: the console output and the `text` fallback of every Slack message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.notify import wording as w
from bot.notify.escape import cut

QUOTE_LIMIT = 400


def render_text(alert_json: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    """Readable multi-line text for one alert (design.md §5 JSON); tolerant of missing keys."""
    kind = str(alert_json.get("kind") or "")
    lines = [w.title(alert_json, labels)]
    if kind in w.CASUALTY_KINDS:
        lines.extend(_casualty_lines(alert_json, labels))
    elif kind == "feed_health":
        if alert_json.get("error"):
            lines.append(f"Error: {alert_json['error']}")
    else:
        lines.extend(_position_lines(alert_json, labels))
    footer = [part for part in (w.published(alert_json) and f"Published {w.published(alert_json)}",
                                alert_json.get("url")) if part]
    if footer:
        lines.append(" · ".join(str(p) for p in footer))
    return "\n".join(lines)


def _position_lines(alert: Mapping[str, Any], labels: Mapping[str, str] | None) -> list[str]:
    lines = []
    for key in ("before", "after"):
        side = alert.get(key)
        if not isinstance(side, Mapping):
            continue
        lines.append(f"{key.capitalize()}: {w.requirements(side, labels)}")
        if side.get("quote"):
            lines.append(f"  “{cut(str(side['quote']), QUOTE_LIMIT)}”" + (f" — {side.get('speaker')}" if side.get("speaker") else ""))
        if side.get("url"):
            lines.append(f"  {side['url']}")
    if w.change(alert):
        lines.append(f"Change: {w.change(alert)}")
    return lines


def _casualty_lines(alert: Mapping[str, Any], labels: Mapping[str, str] | None) -> list[str]:
    casualty = alert.get("casualty") if isinstance(alert.get("casualty"), Mapping) else {}
    lines = []
    if alert.get("kind") == "casualty_update" and w.revision(alert):
        lines.append(f"Revised: {w.revision(alert)}")
    facts = [f"{name}: {value}" for name, value in (
        ("Killed", w.figure(casualty, "killed")), ("Injured", w.figure(casualty, "injured")),
        ("Place", w.place(casualty)), ("Date", casualty.get("date")), ("Weapon", casualty.get("weapon")),
        ("Perpetrator", w.label(casualty.get("perpetrator") or alert.get("actor"), labels)),
    ) if value]
    if facts:
        lines.append(" · ".join(facts))
    if casualty.get("quote"):
        lines.append(f"“{cut(str(casualty['quote']), QUOTE_LIMIT)}”")
    links = [u for u in w.sources(alert) if u != alert.get("url")]
    lines.append(f"Sources: {w.source_count(alert)}" + (f" ({', '.join(links[:5])})" if links else ""))
    return lines
