"""The `discourse-bot` command line (also `python -m bot`)."""

from __future__ import annotations

import json
import logging
import sys

import click

from bot import __version__
from bot.cli.context import CliContext, clean_errors, pass_context


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="discourse-bot")
@click.option("--config", "config_path", envvar="DISCOURSE_BOT_CONFIG", default="config", show_default=True,
              metavar="PATH", help="Config folder (every *.yaml in it) or one YAML file.")
@click.option("--database-url", envvar="DISCOURSE_BOT_DATABASE_URL", default="sqlite:///data/bot.db",
              show_default=True, metavar="URL", help="SQLAlchemy URL: sqlite:///path or postgresql://...")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.pass_context
def cli(ctx: click.Context, config_path: str, database_url: str, verbose: int) -> None:
    """Watch news feeds for what actors state and what happens; alert Slack to what is new or changed."""
    from bot.observability import configure_logging

    configure_logging(verbose)
    ctx.obj = CliContext(config_path=config_path, database_url=database_url)


@cli.command("check-config")
@pass_context
@clean_errors
def check_config(obj: CliContext) -> None:
    """Validate the config; exit 0, or exit 2 listing each error as file, field, reason."""
    config = obj.config
    click.echo(f"config OK: {len(config.feeds)} feed(s), {len(config.actors)} actor(s), {len(config.topics)} topic(s)")


@cli.command()
@click.option("--once", is_flag=True, help="Poll every feed once, deliver, and exit (for cron).")
@pass_context
@clean_errors
def run(obj: CliContext, once: bool) -> None:
    """Poll feeds on their schedules (or one cycle with --once) and deliver alerts."""
    from bot.cli.render import print_baseline
    from bot.pipeline import Pipeline, make_extractor, seed_if_empty
    from bot.store import Store

    from bot.observability import configure_logging  # a service logs on stdout (JSON unless a terminal)
    configure_logging(click.get_current_context().find_root().params.get("verbose") or 0, service=True)
    config = obj.config
    extractor = make_extractor(config)
    store = Store(obj.database_url)
    if seed_if_empty(store, config, extractor):
        click.echo("Established the baseline from the seeds:")
        print_baseline(store, config)
    pipeline = Pipeline(config, store, extractor=extractor)
    pipeline.check_delivery()
    try:
        if once:
            report = pipeline.run_cycle(only_due=False)
            click.echo(report.summary(), err=True)
            if report.delivery is not None:
                click.echo(str(report.delivery), err=True)
            for name, error in report.errors.items():
                click.echo(f"feed {name}: {error}", err=True)
        else:
            from bot.scheduler import run_forever

            run_forever(pipeline)
    finally:
        pipeline.close()


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
@click.option("--input-format", type=click.Choice(["auto", "jsonl"]), default="auto", show_default=True)
@pass_context
@clean_errors
def extract(obj: CliContext, paths: tuple[str, ...], as_json: bool, input_format: str) -> None:
    """Print the facts found in documents (feed files, .txt, .html, JSON lines, or - for stdin); no database."""
    from bot.cli.render import facts_json, print_facts
    from bot.pipeline import make_extractor, read_documents

    documents = read_documents(paths, input_format)
    extractor = make_extractor(obj.config)
    try:
        for document, facts in zip(documents, extractor.extract(documents)):
            if as_json:
                click.echo(json.dumps(facts_json(document, facts), ensure_ascii=False))
            else:
                print_facts(document, facts)
    finally:
        extractor.close()


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per alert.")
@click.option("--deliver", is_flag=True, help="Also deliver the alerts (Slack or console) before exiting.")
@click.option("--input-format", type=click.Choice(["auto", "jsonl"]), default="auto", show_default=True)
@pass_context
@clean_errors
def replay(obj: CliContext, paths: tuple[str, ...], as_json: bool, deliver: bool, input_format: str) -> None:
    """Run documents through detection against the database and print the alerts."""
    from bot.cli.render import print_alert
    from bot.pipeline import Pipeline, read_documents

    documents = read_documents(paths, input_format)
    pipeline = Pipeline(obj.config, obj.store)
    alerts = pipeline.replay(documents)
    for alert in alerts:
        if as_json:
            click.echo(json.dumps(alert.to_json(), ensure_ascii=False, default=str))
        else:
            print_alert(alert)
    if not as_json:
        click.echo(f"{len(alerts)} alert(s) from {len(documents)} document(s)", err=True)
    if deliver:
        click.echo(str(pipeline.deliver()), err=True)


# command modules: each adds its group to `cli`
# (one import line per module, e.g. `from bot.cli import baseline as _baseline  # noqa: E402,F401`)
from bot.cli import baseline as _baseline  # noqa: E402,F401
from bot.cli import status as _status  # noqa: E402,F401
from bot.cli import alerts as _alerts  # noqa: E402,F401
from bot.cli import eval as _eval  # noqa: E402,F401
from bot.cli import quarantine as _quarantine  # noqa: E402,F401


def main() -> None:
    cli(prog_name="discourse-bot")


__all__ = ["cli", "main"]
