"""`alerts list`: the outbox — what was sent where, and what still waits (pending, held, failed) and why."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from bot.cli import cli
from bot.cli.context import CliContext, clean_errors, pass_context

HEADERS = ("ID", "STATUS", "KIND", "ABOUT", "CHANNEL", "TRIES", "WHEN", "LAST ERROR")


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _short(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _row_json(alert: Any) -> dict[str, Any]:
    return {
        "id": alert.id, "key": alert.key, "status": alert.status, "kind": alert.kind, "actor": alert.actor,
        "subject": alert.subject, "thread_key": alert.thread_key, "channel": alert.channel,
        "attempts": alert.attempts, "next_attempt_at": _iso(alert.next_attempt_at), "last_error": alert.last_error,
        "slack_channel": alert.slack_channel, "slack_ts": alert.slack_ts, "created_at": _iso(alert.created_at),
        "sent_at": _iso(alert.sent_at), "alert": alert.to_json(),
    }


def _about(alert: Any) -> str:
    if alert.kind in ("casualty_event", "casualty_update"):
        casualty = alert.payload.get("casualty") if isinstance(alert.payload.get("casualty"), dict) else {}
        return f"{casualty.get('location') or '?'} ({casualty.get('killed', '?')} killed)"
    if alert.kind == "feed_health":
        return str(alert.payload.get("feed") or "")
    return " / ".join(str(x) for x in (alert.actor, alert.subject) if x)


@cli.group()
def alerts() -> None:
    """The outbox of alerts: delivered, pending, held for digests, failed."""


@alerts.command("list")
@click.option("--pending", is_flag=True, help="Only alerts not delivered yet (pending, held, failed).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per alert.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many (oldest first).")
@pass_context
@clean_errors
def list_alerts(obj: CliContext, pending: bool, as_json: bool, limit: int | None) -> None:
    """List the outbox, oldest first: status, channel, attempts, next retry or send time, last error."""
    from bot.store import Store
    from bot.store.outbox import list_alerts as outbox_alerts

    store = Store(obj.database_url)
    try:
        rows = outbox_alerts(store, pending_only=pending, limit=limit)
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
        str(a.id), a.status, a.kind, _about(a)[:40], a.slack_channel or a.channel or "-", str(a.attempts),
        _short(a.sent_at if a.status == "sent" else a.next_attempt_at), (a.last_error or "")[:60],
    ) for a in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]
    for line in lines:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
    waiting = sum(1 for a in rows if a.status != "sent")
    click.echo(f"{len(rows)} alert(s), {waiting} not delivered", err=True)


@alerts.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all-failed", is_flag=True, help="Every alert that gave up (status failed).")
@pass_context
@clean_errors
def retry(obj: CliContext, ids: tuple[int, ...], all_failed: bool) -> None:
    """Send alerts again at the next delivery: the given ids (failed, pending or held) or --all-failed."""
    from bot.store import Store
    from bot.store.outbox import requeue

    if bool(ids) == all_failed:
        raise click.UsageError("give alert ids or --all-failed")
    store = Store(obj.database_url)
    try:
        count = requeue(store, None if all_failed else list(ids))
    finally:
        store.close()
    click.echo(f"{count} alert(s) queued for the next delivery")
