"""`status`: one line per feed — state, last poll, last new item, errors (and quarantined documents), next run."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from bot.cli import cli
from bot.cli.context import CliContext, clean_errors, pass_context
from bot.cli.render import print_table

HEADERS = ("FEED", "STATE", "POLLS", "LAST POLL", "LAST NEW ITEM", "ERRORS", "NEXT RUN")


def _ago(when: dt.datetime | None, now: dt.datetime) -> str:
    if when is None:
        return "never"
    return f"{_span((now - when).total_seconds())} ago"


def _next(when: dt.datetime | None, now: dt.datetime) -> str:
    if when is None or when <= now:
        return "due now"
    return f"in {_span((when - now).total_seconds())}"


def _span(seconds: float) -> str:
    seconds = max(0, int(seconds))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _problems(row: Any) -> str:
    """Failed polls, quarantined documents and items beyond max_items, in one cell."""
    parts = []
    if row.consecutive_failures:
        parts.append(f"{row.consecutive_failures}x {row.last_error or ''}".strip())
    if row.quarantined:
        parts.append(f"{row.quarantined} quarantined: {row.quarantine_error or ''}".strip())
    if row.skipped_items:
        parts.append(f"{row.skipped_items} items beyond max_items")
    text = "; ".join(parts) or "-"
    return text if len(text) <= 60 else text[:59] + "…"


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per feed.")
@pass_context
@clean_errors
def status(obj: CliContext, as_json: bool) -> None:
    """Show every feed: state, last poll, last new item, errors and next run.

    A feed is `quarantined` while documents of it are in quarantine (see `quarantine list`)."""
    from bot.store import Store
    from bot.store.feeds import feed_table
    from bot.store.models import FeedStatus

    config = obj.config
    store = Store(obj.database_url)
    try:
        rows = {row.name: row for row in feed_table(store, config.settings.failure_threshold)}
    finally:
        store.close()
    now = dt.datetime.now(dt.timezone.utc)
    names = [f.name for f in config.feeds] + sorted(set(rows) - {f.name for f in config.feeds})
    lines: list[tuple[str, ...]] = []
    for name in names:
        feed, row = config.feed(name), rows.get(name)
        state = row.state if row else FeedStatus.NEVER_POLLED
        if feed is None:
            state = FeedStatus.NOT_IN_CONFIG
        elif not feed.enabled:
            state = FeedStatus.DISABLED
        if as_json:
            record: dict[str, Any] = {"feed": name, "state": state, "polls": row.polls if row else 0}
            if row:
                record.update(last_poll=_iso(row.last_polled_at), last_new_item=_iso(row.last_new_item_at),
                              consecutive_failures=row.consecutive_failures, last_error=row.last_error,
                              quarantined=row.quarantined, quarantine_error=row.quarantine_error,
                              skipped_items=row.skipped_items, next_run=_iso(row.next_due_at),
                              claimed_by=row.claimed_by)
            click.echo(json.dumps(record))
            continue
        errors = _problems(row) if row else "-"
        lines.append((
            name, state, str(row.polls if row else 0),
            _ago(row.last_polled_at if row else None, now), _ago(row.last_new_item_at if row else None, now),
            errors, "-" if state in (FeedStatus.DISABLED, FeedStatus.NOT_IN_CONFIG)
            else _next(row.next_due_at if row else None, now),
        ))
    if as_json:
        return
    if not lines:
        click.echo("no feeds configured")
        return
    print_table(HEADERS, lines)
