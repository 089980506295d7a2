"""How facts, alerts and the baseline read on a terminal and as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from bot.config import Config
from bot.detect.alerts import Alert
from bot.detect.stance import Stance
from bot.extract.facts import DocumentFacts, Position
from bot.notify import wording as w
from bot.notify.names import Names
from bot.sources.document import Document

if TYPE_CHECKING:
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


def describe_stance(names: Names, actor: str, subject: str, stance: Stance, flags: tuple[str, ...] = ()) -> str:
    """One line, in the words of the messages: "United States — negotiations only after a ceasefire"."""
    text = f"{names.actor(actor)} — {w.stance(subject, stance, names)}"
    return text + (f"  [{', '.join(flags)}]" if flags else "")


def describe_position(names: Names, p: Position) -> str:
    flags = tuple(name for name in ("hypothetical", "reported") if getattr(p, name))
    return describe_stance(names, p.actor, p.subject, Stance.of(p, ""), flags)


def describe_casualty(names: Names, c: Any) -> str:
    """One line: "Sumy, UA, 2025-04-13: 35 killed, at least 117 injured, missile, by Russia"."""
    amounts = {n: w.amount(getattr(c, n), getattr(c, f"{n}_low", None), getattr(c, f"{n}_high", None))
               for n in ("killed", "injured")}
    figures = [f"{amount} {n}" for n, amount in amounts.items() if amount] or ["toll unknown"]
    place = ", ".join(x for x in (c.location, c.country) if x) or "unknown place"
    extras = [f"{c.weapon}" if c.weapon else "", f"by {names.actor(c.perpetrator)}" if c.perpetrator else ""]
    date = c.date.isoformat() if hasattr(c.date, "isoformat") else (c.date or "undated")
    return f"{place}, {date}: {', '.join(figures)}" + "".join(f", {x}" for x in extras if x)


def print_facts(names: Names, document: Document, facts: DocumentFacts) -> None:
    click.secho(document.title or document.id, bold=True)
    if not facts.positions and not facts.casualties:
        click.echo("  (no facts)")
    for p in facts.positions:
        speaker = names.speaker(p.actor, p.speaker)
        click.echo(f"  {p.kind}: {describe_position(names, p)}" + (f"  — {speaker}" if speaker else ""))
    for c in facts.casualties:
        click.echo(f"  casualties: {describe_casualty(names, c)}")


def print_alert(alert: Alert, names: Names) -> None:
    from bot.notify import render_text

    click.echo((f"[alert {alert.id}] " if alert.id is not None else "") + render_text(alert, names))
    click.echo()


def print_baseline(store: Store, config: Config) -> None:
    from bot.store.baseline import current
    from bot.store.views import casualty_events

    names = Names.of(config)
    entries = current(store)
    for entry in entries:
        click.echo(f"  {describe_stance(names, entry.actor, entry.subject, entry.stance)}")
    for event in casualty_events(store):
        click.echo(f"  casualty event: {describe_casualty(names, event)}")
    if not entries:
        click.echo("  (no positions)")


def print_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Columns padded to their widest cell, one row per line."""
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    for row in (headers, *rows):
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
