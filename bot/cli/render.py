"""How facts, alerts and the baseline read on a terminal and as JSON."""

from __future__ import annotations

from typing import Any

import click

from bot.config import Config
from bot.detect.alerts import Alert
from bot.extract.facts import DocumentFacts, Position
from bot.sources.document import Document
from bot.store import Store


def facts_json(document: Document, facts: DocumentFacts) -> dict[str, Any]:
    """design.md §5: one object per document."""
    return {
        "id": document.id,
        "title": document.title,
        "url": document.url,
        "published": document.published.isoformat().replace("+00:00", "Z") if document.published else None,
        "positions": [p.to_json() for p in facts.positions],
        "casualties": [c.to_json() for c in facts.casualties],
    }


def describe_position(p: Position | Any) -> str:
    """One line for a Position, or for a baseline row (actor, kind, subject and a stance)."""
    stance = getattr(p, "stance", p)
    requires = ", ".join(stance.requires) if stance.requires else "nothing"
    flags = [name for name in ("negated", "hedged", "hypothetical", "reported") if getattr(stance, name, False)]
    verb = {"condition": "requires", "demand": "demanded:", "refusal": "refused:", "offer": "offered:",
            "threat": "threatened:"}.get(p.kind, p.kind)
    text = f"{p.actor} — {p.subject} {verb} {requires}" if p.kind == "condition" else f"{p.actor} — {verb} {p.subject}" + (f" (if {requires})" if stance.requires else "")
    return text + (f"  [{', '.join(flags)}]" if flags else "")


def describe_casualty(c: Any) -> str:
    def figure(value: Any, low: Any, high: Any) -> str:
        if value is None:
            return "?"
        if low is not None and high is not None and (low != value or high != value):
            return f"{value} ({low}–{high})" if high != low else str(value)
        return str(value)

    killed = figure(c.killed, getattr(c, "killed_low", None), getattr(c, "killed_high", None))
    injured = figure(c.injured, getattr(c, "injured_low", None), getattr(c, "injured_high", None))
    place = ", ".join(x for x in (c.location, c.country) if x) or "unknown place"
    extras = [f"{c.weapon}" if c.weapon else "", f"by {c.perpetrator}" if c.perpetrator else ""]
    date = c.date.isoformat() if hasattr(c.date, "isoformat") else (c.date or "undated")
    return f"{place}, {date}: {killed} killed, {injured} injured" + "".join(f", {x}" for x in extras if x)


def print_facts(document: Document, facts: DocumentFacts) -> None:
    click.secho(document.title or document.id, bold=True)
    if not facts.positions and not facts.casualties:
        click.echo("  (no facts)")
    for p in facts.positions:
        click.echo(f"  position: {describe_position(p)}" + (f"  — {p.speaker}" if p.speaker else ""))
    for c in facts.casualties:
        click.echo(f"  casualties: {describe_casualty(c)}")


def print_alert(alert: Alert) -> None:
    from bot.notify import render_text

    click.echo(render_text(alert.to_json()))
    click.echo()


def print_baseline(store: Store, config: Config) -> None:
    from bot.store.baseline import current
    from bot.store.views import casualty_events

    entries = current(store)
    for entry in entries:
        click.echo(f"  {describe_position(entry)}")
    for event in casualty_events(store):
        click.echo(f"  casualty event: {describe_casualty(event)}")
    if not entries:
        click.echo("  (no positions)")


def print_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Columns padded to their widest cell, one row per line."""
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    for row in (headers, *rows):
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
