"""`alerts list | show | preview | retry`: the outbox — what was sent where, what still waits and why."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import click

from bot.cli import cli
from bot.cli.context import CliContext, clean_errors, pass_context
from bot.errors import BotError
from bot.store.models import AlertStatus

if TYPE_CHECKING:
    from bot.notify.names import Names
    from bot.store.outbox import OutboxAlert

HEADERS = ("ID", "STATUS", "KIND", "ABOUT", "CHANNEL", "TRIES", "WHEN", "LAST ERROR")


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _short(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _row_json(alert: "OutboxAlert") -> dict[str, Any]:
    return {
        "id": alert.id, "key": alert.key, "status": alert.status, "kind": alert.kind, "actor": alert.actor,
        "subject": alert.subject, "thread_key": alert.thread_key, "channel": alert.channel,
        "attempts": alert.attempts, "next_attempt_at": _iso(alert.next_attempt_at), "last_error": alert.last_error,
        "slack_channel": alert.slack_channel, "slack_ts": alert.slack_ts, "created_at": _iso(alert.created_at),
        "sent_at": _iso(alert.sent_at), "alert": alert.to_json(),
    }


def _about(alert: "OutboxAlert", names: "Names") -> str:
    """What the alert is about, in the names the messages use: "United States / negotiations", "Sumy (40 killed)"."""
    from bot.notify import wording as w

    typed = alert.alert
    if typed.casualty is not None:
        casualty = typed.casualty.casualty
        return f"{casualty.location or '?'} ({w.figure(casualty, 'killed') or '?'} killed)"
    if typed.health is not None:
        return typed.health.feed
    return " / ".join(x for x in (names.actor(alert.actor), names.topic(alert.subject)) if x)


def _one(obj: CliContext, alert_id: int) -> "OutboxAlert":
    from bot.store import Store
    from bot.store.outbox import alerts_by_id

    store = Store(obj.database_url)
    try:
        found = alerts_by_id(store, [alert_id]).get(alert_id)
    finally:
        store.close()
    if found is None:
        raise BotError(f"no alert with id {alert_id} (see `alerts list`)")
    return found


@cli.group()
def alerts() -> None:
    """The outbox of alerts: delivered, pending, held for digests, failed."""


@alerts.command("list")
@click.option("--pending", is_flag=True, help="Only alerts not delivered yet (pending, held, failed).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per alert.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many (the newest).")
@pass_context
@clean_errors
def list_alerts(obj: CliContext, pending: bool, as_json: bool, limit: int | None) -> None:
    """List the outbox, newest first: status, channel, attempts, next retry or send time, last error."""
    from bot.notify.names import Names
    from bot.store import Store
    from bot.store.outbox import list_alerts as outbox_alerts

    names = Names.of(obj.config)
    store = Store(obj.database_url)
    try:
        rows = outbox_alerts(store, pending_only=pending, limit=limit, newest_first=True)
    finally:
        store.close()
    if as_json:
        for alert in rows:
            click.echo(json.dumps(_row_json(alert), ensure_ascii=False, default=str))
        return
    if not rows:
        click.echo("no pending alerts" if pending else "the outbox is empty")
        return
    lines = [HEADERS] + [(
        str(a.id), a.status, a.kind, _about(a, names)[:40], a.slack_channel or a.channel or "-", str(a.attempts),
        _short(a.sent_at if a.status == AlertStatus.SENT else a.next_attempt_at), (a.last_error or "")[:60],
    ) for a in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]
    for line in lines:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
    waiting = sum(1 for a in rows if a.status != AlertStatus.SENT)
    click.echo(f"{len(rows)} alert(s), {waiting} not delivered", err=True)


def _delivery(alert: "OutboxAlert", routed: str) -> str:
    """Where the alert went or will go, and what stands in its way."""
    tries = f"{alert.attempts} attempt{'s' if alert.attempts != 1 else ''}"
    if alert.status == AlertStatus.SENT:
        where = alert.channel or routed
        posted = f" as {alert.slack_channel} {alert.slack_ts}" if alert.slack_ts else ""
        return f"sent to {where}{posted} at {_utc(alert.sent_at)} ({tries})"
    if alert.status == AlertStatus.HELD:
        return f"held for {alert.channel or routed} until {_utc(alert.next_attempt_at)} (a digest or quiet hours)"
    if alert.status == AlertStatus.FAILED:
        return f"failed for {alert.channel or routed} after {tries}; `alerts retry {alert.id}` queues it again"
    retry = f", next try {_utc(alert.next_attempt_at)}" if alert.next_attempt_at else ""
    return f"pending for {alert.channel or routed} ({tries}{retry})"


def _utc(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "-"


@alerts.command("show")
@click.argument("alert_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="The outbox row as JSON (as `alerts list --json`).")
@pass_context
@clean_errors
def show(obj: CliContext, alert_id: int, as_json: bool) -> None:
    """The whole alert ALERT_ID: its kind and facts as a message reads them, where it was posted, attempts, errors."""
    from bot.notify import render_text
    from bot.notify.names import Names
    from bot.notify.routing import route

    alert = _one(obj, alert_id)
    if as_json:
        click.echo(json.dumps(_row_json(alert), ensure_ascii=False, default=str))
        return
    click.echo(f"alert {alert.id} · {alert.kind} · {alert.status} · created {_utc(alert.created_at)}")
    click.echo(f"key: {alert.key}" + (f" · thread: {alert.thread_key}" if alert.thread_key else ""))
    click.echo()
    click.echo(render_text(alert.alert, Names.of(obj.config)))
    click.echo()
    click.echo(f"delivery: {_delivery(alert, route(alert.alert, obj.config.delivery))}")
    if alert.last_error:
        click.echo(f"last error: {alert.last_error}")


@alerts.command("preview")
@click.argument("alert_id", type=int)
@pass_context
@clean_errors
def preview(obj: CliContext, alert_id: int) -> None:
    """Print the Slack message (Block Kit JSON) alert ALERT_ID is or would be posted as; nothing is sent."""
    from bot.notify import alert_message
    from bot.notify.names import Names
    from bot.notify.routing import route

    alert = _one(obj, alert_id)
    message = alert_message(alert.alert, Names.of(obj.config))
    payload = {"channel": alert.channel or route(alert.alert, obj.config.delivery), "text": message.text,
               "blocks": message.blocks}
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


@alerts.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all-failed", is_flag=True, help="Every alert that gave up (status failed).")
@pass_context
@clean_errors
def retry(obj: CliContext, ids: tuple[int, ...], all_failed: bool) -> None:
    """Send alerts again at the next delivery: the given ids (failed, pending or held) or --all-failed."""
    from bot.store import Store
    from bot.store.outbox import UNSENT, alerts_by_id, requeue

    if bool(ids) == all_failed:
        raise click.UsageError("give alert ids or --all-failed")
    store = Store(obj.database_url)
    try:
        problems: list[str] = []
        chosen: list[int] | None = None
        if not all_failed:
            found = alerts_by_id(store, list(ids))
            problems = [f"no alert with id {i}" if i not in found else f"alert {i} was delivered already"
                        for i in dict.fromkeys(ids) if i not in found or found[i].status not in UNSENT]
            chosen = [i for i in ids if i in found and found[i].status in UNSENT]
        count = requeue(store, chosen) if chosen is None or chosen else 0
    finally:
        store.close()
    if count or not problems:
        click.echo(f"{count} alert(s) queued for the next delivery")
    if problems:
        raise BotError("; ".join(problems))
