"""How facts, alerts and the baseline read on a terminal and as JSON."""

from __future__ import annotations

from typing import Any

import click

from bot.config import Config
from bot.detect.alerts import Alert
from bot.detect.stance import Stance
from bot.extract.facts import DocumentFacts, Position
from bot.sources.document import Document
from bot.store import Store


def facts_json(document: Document, facts: DocumentFacts) -> dict[str, Any]:
    """`extract --json`: one object per document."""
    return {
        "id": document.id,
        "title": document.title,
        "url": document.url,
        "published": document.published.isoformat().replace("+00:00", "Z") if document.published else None,
        "positions": [p.to_json() for p in facts.positions],
        "casualties": [c.to_json() for c in facts.casualties],
    }


def describe_stance(actor: str, subject: str, stance: Stance, flags: tuple[str, ...] = ()) -> str:
    """One line: "us — negotiations requires ceasefire", "russia — offer: ceasefire without preconditions"."""
    requires = ", ".join(stance.labels)
    if stance.kind == "condition":
        text = f"{actor} — {subject} {'does not require' if stance.negated else 'requires'} {requires or 'nothing'}"
    else:
        text = f"{actor} — {stance.kind}: {subject}"
        if requires:
            text += f" without {requires}" if stance.negated else f" (if {requires})"
    flags = (*(("hedged",) if stance.hedged else ()), *flags)
    return text + (f"  [{', '.join(flags)}]" if flags else "")


def describe_position(p: Position) -> str:
    flags = tuple(name for name in ("hypothetical", "reported") if getattr(p, name))
    return describe_stance(p.actor, p.subject, Stance.of(p, ""), flags)


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
        click.echo(f"  {describe_stance(entry.actor, entry.subject, entry.stance)}")
    for event in casualty_events(store):
        click.echo(f"  casualty event: {describe_casualty(event)}")
    if not entries:
        click.echo("  (no positions)")
