"""`feedback list | export`: the team's decisions on alerts, and those decisions as labelled examples."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.cli import cli
from bot.cli.context import CliContext, clean_errors, pass_context


@cli.group()
def feedback() -> None:
    """The decisions reviewers took on alerts (Slack buttons, `baseline accept`)."""


@feedback.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per decision.")
@pass_context
@clean_errors
def list_decisions(obj: CliContext, as_json: bool) -> None:
    """Every decision, oldest first: when, who, what, on which alert, and what it changed."""
    from bot.store.feedback import decisions

    found = decisions(obj.store)
    for decision in found:
        if as_json:
            click.echo(json.dumps(decision.to_json(), ensure_ascii=False))
            continue
        alert = decision.alert
        about = " ".join(x for x in (alert.actor, alert.subject) if x)
        click.echo(f"{decision.decided_at:%Y-%m-%d %H:%M} UTC  {decision.action.title} by {decision.who}"
                   f" ({decision.via or 'unknown'}): alert {alert.id}, {alert.kind}{' ' + about if about else ''}")
        click.echo(f"    before: {json.dumps(decision.before, ensure_ascii=False)}")
        click.echo(f"    after:  {json.dumps(decision.after, ensure_ascii=False)}")
    if not found and not as_json:
        click.echo("no decisions yet", err=True)


@feedback.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@pass_context
@clean_errors
def export(obj: CliContext, folder: Path) -> None:
    """Write the decided alerts as labelled examples: FOLDER/positions.jsonl and FOLDER/casualties.jsonl, in
    the formats `eval` reads, so the team's corrections become test and training data."""
    from bot.errors import BotError
    from bot.store.feedback import labelled_examples

    lines: dict[str, list[str]] = {"positions": [], "casualties": []}
    for kind, example in labelled_examples(obj.store):
        lines[kind].append(json.dumps(example, ensure_ascii=False))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for kind, rows in lines.items():
            (folder / f"{kind}.jsonl").write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    except OSError as exc:
        raise BotError(f"cannot write to {folder}: {exc.strerror or exc}") from exc
    click.echo(f"{len(lines['positions'])} position example(s), {len(lines['casualties'])} casualty example(s) "
               f"written to {folder}", err=True)
