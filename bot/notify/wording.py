"""The words of an alert, shared by the plain-text and Block Kit renderings (raw text, not yet escaped)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

KIND_TITLES = {
    "position_shift": "Position shift",
    "new_position": "New position",
    "casualty_event": "Casualty event",
    "casualty_update": "Casualty update",
    "feed_health": "Feed health",
}
CASUALTY_KINDS = ("casualty_event", "casualty_update")


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def label(value: Any, labels: Mapping[str, str] | None = None) -> str:
    """A readable name for an actor or topic id ("peace_agreement" → "peace agreement")."""
    if value is None or value == "":
        return ""
    text = str(value)
    if labels and text in labels:
        return labels[text]
    return text.upper() if len(text) <= 2 and text.isalpha() else text.replace("_", " ")


def requirements(side: Any, labels: Mapping[str, str] | None = None) -> str:
    """'requires ceasefire and security guarantees', or 'no precondition' for an empty set."""
    side = _mapping(side)
    reqs = side.get("requires")
    items = [label(r, labels) for r in reqs] if isinstance(reqs, (list, tuple)) else ([str(reqs)] if reqs else [])
    negated = " (negated)" if side.get("negated") else ""
    hedged = " (hedged)" if side.get("hedged") else ""
    if not items:
        return "no precondition" + negated + hedged
    joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return f"requires {joined}{negated}{hedged}"


def change(payload: Mapping[str, Any]) -> str:
    """The detector's description of a change, whatever shape it has."""
    value = payload.get("change")
    if not value:
        return ""
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, (list, tuple)) else v}"
                         for k, v in value.items() if v not in (None, "", [], ()))
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def figure(data: Mapping[str, Any], name: str) -> str:
    """'35', '35 (35–40)', 'at least 35' or '' from killed/killed_low/killed_high."""
    value, low, high = data.get(name), data.get(f"{name}_low"), data.get(f"{name}_high")
    if value is None and low is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        return f"{value if value is not None else low} ({low}–{high})"
    if low is not None and high is None and value in (None, low):
        return f"at least {low}"
    return str(value if value is not None else (low if low is not None else high))


def place(casualty: Mapping[str, Any]) -> str:
    parts = [str(casualty[k]) for k in ("location", "country") if casualty.get(k)]
    return ", ".join(parts)


def toll(casualty: Mapping[str, Any]) -> str:
    """'35 killed, 117 injured' (or 'toll unknown')."""
    parts = []
    killed, injured = figure(casualty, "killed"), figure(casualty, "injured")
    if killed:
        parts.append(f"{killed} killed")
    if injured:
        parts.append(f"{injured} injured")
    return ", ".join(parts) or "toll unknown"


def revision(alert: Mapping[str, Any]) -> str:
    """'killed 35 → 40; injured ? → 117' for a casualty update."""
    casualty, previous = _mapping(alert.get("casualty")), _mapping(alert.get("previous"))
    parts = []
    for name in ("killed", "injured"):
        before, after = previous.get(name), casualty.get(name)
        if before != after and (before is not None or after is not None):
            parts.append(f"{name} {'?' if before is None else before} → {'?' if after is None else after}")
    return "; ".join(parts)


def title(alert: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    """The one-line headline of an alert."""
    kind = str(alert.get("kind") or "alert")
    name = KIND_TITLES.get(kind, kind.replace("_", " ").capitalize())
    if kind in CASUALTY_KINDS:
        casualty = _mapping(alert.get("casualty"))
        where = place(casualty) or "unknown place"
        if kind == "casualty_update":
            return f"{name}: {where}, now {toll(casualty)}"
        return f"{name}: {toll(casualty)} in {where}"
    if kind == "feed_health":
        return f"{name}: {alert.get('feed') or 'a feed'} is {alert.get('state') or 'unhealthy'}"
    who = label(alert.get("actor"), labels) or "unknown actor"
    subject = label(alert.get("subject"), labels)
    return f"{name}: {who} on {subject}" if subject else f"{name}: {who}"


def sources(alert: Mapping[str, Any]) -> list[str]:
    """The links reporting an alert, its own url first, without repeats."""
    found: list[str] = []
    candidates = [alert.get("url")]
    for key in ("before", "after"):
        candidates.append(_mapping(alert.get(key)).get("url"))
    raw = alert.get("sources")
    if isinstance(raw, (list, tuple)):
        candidates.extend(s.get("url") if isinstance(s, Mapping) else s for s in raw)
    for url in candidates:
        if url and str(url) not in found:
            found.append(str(url))
    return found


def source_count(alert: Mapping[str, Any]) -> int:
    """How many sources back the alert: its `sources`, else the new position's, else its own link."""
    after = _mapping(alert.get("after"))
    for holder in (alert, after):
        raw = holder.get("sources")
        if isinstance(raw, (list, tuple)) and raw:
            return len(raw)
        count = holder.get("source_count")
        if isinstance(count, int) and not isinstance(count, bool):
            return count
    return 1 if alert.get("url") or after.get("url") else 0


def published(alert: Mapping[str, Any]) -> str:
    """'2025-04-15 08:30 UTC' from the ISO time (shown as given when it is not one)."""
    value = alert.get("published")
    if not value:
        return ""
    try:
        when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M UTC")
