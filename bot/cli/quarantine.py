"""`quarantine list|retry|drop`: documents whose processing failed, kept aside so their feeds go on."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from bot.cli import cli
from bot.cli.context import CliContext, clean_errors, pass_context

HEADERS = ("ID", "FEED", "STATUS", "STAGE", "TRIES", "LAST FAILED", "DOCUMENT", "ERROR")


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _row_json(row: Any) -> dict[str, Any]:
    return {"id": row.id, "feed": row.feed, "status": row.status, "stage": row.stage, "attempts": row.attempts,
            "first_failed_at": _iso(row.first_failed_at), "last_failed_at": _iso(row.last_failed_at),
            "document": row.key, "title": row.title, "url": row.url, "error": row.error, "traceback": row.detail}


def _chosen(ids: tuple[int, ...], every: bool) -> list[int] | None:
    if bool(ids) == every:
        raise click.UsageError("give document ids (see `quarantine list`) or --all")
    return None if every else list(ids)


@cli.group()
def quarantine() -> None:
    """Documents whose processing raised: listed with their error, retried or dropped by hand.

    A quarantined document is not retried by later polls while its content is unchanged; its feed shows
    `quarantined` in `status` until it is retried successfully or dropped.
    """


@quarantine.command("list")
@click.option("--all", "everything", is_flag=True, help="Also the documents given up on (dropped).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document, with its traceback.")
@pass_context
@clean_errors
def list_quarantine(obj: CliContext, everything: bool, as_json: bool) -> None:
    """List quarantined documents, oldest first: feed, stage that failed, attempts, error."""
    from bot.store import Store
    from bot.store.quarantine import listed

    store = Store(obj.database_url)
    try:
        rows = listed(store, include_dropped=everything)
    finally:
        store.close()
    if as_json:
        for row in rows:
            click.echo(json.dumps(_row_json(row), ensure_ascii=False))
        return
    if not rows:
        click.echo("no document in quarantine")
        return
    from bot.cli.render import print_table

    print_table(HEADERS, [(
        str(r.id), r.feed or "-", r.status, r.stage, str(r.attempts),
        r.last_failed_at.strftime("%Y-%m-%d %H:%M") if r.last_failed_at else "-",
        (r.title or r.key)[:40], r.error[:80],
    ) for r in rows])


@quarantine.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "every", is_flag=True, help="Every document held in quarantine.")
@click.option("--deliver", is_flag=True, help="Also deliver the alerts they raise before exiting.")
@pass_context
@clean_errors
def retry(obj: CliContext, ids: tuple[int, ...], every: bool, deliver: bool) -> None:
    """Process quarantined documents again now (after a fix); those that still fail stay, error updated.

    Their alerts go to the outbox, as they would have when first polled; a running worker delivers them.
    """
    from bot.pipeline import Pipeline

    chosen = _chosen(ids, every)
    pipeline = Pipeline(obj.config, obj.store)
    try:
        processed, released = pipeline.retry_quarantined(chosen)
        click.echo(f"{released} document(s) processed and out of quarantine, {len(processed.quarantined)} still "
                   f"failing, {len(processed.alerts)} alert(s) queued")
        if deliver:
            click.echo(str(pipeline.deliver()), err=True)
    finally:
        pipeline.close()


@quarantine.command("drop")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "every", is_flag=True, help="Every document held in quarantine.")
@pass_context
@clean_errors
def drop(obj: CliContext, ids: tuple[int, ...], every: bool) -> None:
    """Give up on quarantined documents: no longer held against their feed, not retried while unchanged."""
    from bot.store import Store
    from bot.store.quarantine import drop as drop_documents

    chosen = _chosen(ids, every)
    store = Store(obj.database_url)
    try:
        count = drop_documents(store, chosen)
    finally:
        store.close()
    click.echo(f"{count} document(s) dropped from quarantine")
