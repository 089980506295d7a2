"""`baseline show | history | accept`: inspect the baseline and, with baseline_update: manual, move it."""

from __future__ import annotations

import getpass
import json

import click

from bot.cli import cli
from bot.cli.context import CliContext, clean_errors, pass_context
from bot.cli.render import describe_stance
from bot.errors import BotError
from bot.notify.names import Names
from bot.store.baseline import BaselineRow


def _describe(names: Names, row: BaselineRow) -> str:
    return describe_stance(names, row.actor, row.subject, row.stance)


def _known_actor(obj: CliContext, actor: str, found: bool) -> None:
    """An actor neither in the config nor in the baseline is a typo: say so and which actors there are."""
    if found or obj.config.actor(actor) is not None:
        return
    configured = ", ".join(a.id for a in obj.config.actors) or "none"
    raise BotError(f"unknown actor {actor!r} (configured: {configured})")


def _day(row_time: object) -> str:
    return row_time.strftime("%Y-%m-%d") if hasattr(row_time, "strftime") else "—"


@cli.group()
def baseline() -> None:
    """Inspect and change the baseline: the current stance per actor and subject."""


@baseline.command("show")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per baseline entry.")
@click.option("--actor", default=None, help="Only this actor's positions.")
@pass_context
@clean_errors
def show(obj: CliContext, as_json: bool, actor: str | None) -> None:
    """Print the current baseline with its provenance."""
    from bot.store.baseline import current

    rows = current(obj.store, actor)
    if actor is not None:
        _known_actor(obj, actor, bool(rows))
    names = Names.of(obj.config)
    for row in rows:
        if as_json:
            click.echo(json.dumps(row.to_json(), ensure_ascii=False))
            continue
        click.echo(_describe(names, row))
        who = f"{names.speaker(row.actor, row.stance.speaker)}, " if row.stance.speaker else ""
        click.echo(f"    since {_day(row.since)}, {who}{len(row.sources)} source(s), last seen {_day(row.last_seen)}")
        if row.stance.quote:
            click.echo(f"    “{row.stance.quote}”")
        if row.stance.url:
            click.echo(f"    {row.stance.url}")
    if not rows and not as_json:
        click.echo(f"(no positions of {names.actor(actor)} in the baseline)" if actor else "(the baseline is empty)",
                   err=True)


@baseline.command("history")
@click.argument("actor")
@click.argument("subject", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per position held.")
@pass_context
@clean_errors
def history(obj: CliContext, actor: str, subject: str | None, as_json: bool) -> None:
    """Every position ACTOR has held (on SUBJECT), oldest first, with why it changed."""
    from bot.store.baseline import history as load_history

    rows = load_history(obj.store, actor, subject)
    _known_actor(obj, actor, bool(rows))
    names = Names.of(obj.config)
    for row in rows:
        if as_json:
            click.echo(json.dumps(row.to_json(), ensure_ascii=False))
            continue
        until = _day(row.until) if row.until else "now"
        alert = f", alert {row.alert_id}" if row.alert_id else ""
        click.echo(f"{_day(row.since)} → {until}  {_describe(names, row)}  ({row.reason}{alert})")
        if row.stance.quote:
            click.echo(f"    “{row.stance.quote}”  {row.stance.url}")
    if not rows:
        what = f"{actor}/{subject}" if subject else actor
        click.echo(f"no baseline history for {what}", err=True)


@baseline.command("accept")
@click.argument("alert_id", type=int)
@pass_context
@clean_errors
def accept(obj: CliContext, alert_id: int) -> None:
    """Move the baseline to the stance alert ALERT_ID reported (for baseline_update: manual)."""
    from bot.errors import StoreError
    from bot.store.baseline import current
    from bot.store.feedback import FeedbackAction, decide

    decision = decide(obj.store, alert_id, FeedbackAction.ACCEPT, user_id=getpass.getuser(), via="cli")
    if decision.repeated:
        raise StoreError(f"alert {alert_id} was already decided: {decision.action.title.lower()} by {decision.who} "
                         f"on {decision.decided_at:%Y-%m-%d %H:%M} UTC")
    alert = decision.alert
    [row] = [r for r in current(obj.store, alert.actor) if r.subject == alert.subject]
    click.echo(f"baseline now: {_describe(Names.of(obj.config), row)}")
