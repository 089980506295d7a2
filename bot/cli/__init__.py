"""The `discourse-bot` command line (also `python -m bot`)."""

from __future__ import annotations

import importlib
import json
import logging
import sys
from typing import TYPE_CHECKING

import click

from bot import __version__
from bot.cli.context import CliContext, clean_errors, pass_context

if TYPE_CHECKING:
    from bot.config import Config
    from bot.interactive import Interactions
    from bot.store import Store


# the command modules, each adding its commands to `cli` when imported: one entry per command (or group) they add,
# so a module is imported only when one of its commands is used (start-up stays close to the model's own load)
COMMAND_MODULES = {
    "baseline": "bot.cli.baseline",
    "status": "bot.cli.status",
    "alerts": "bot.cli.alerts",
    "eval": "bot.cli.eval",
    "feedback": "bot.cli.feedback",
    "slack": "bot.cli.slack",
    "quarantine": "bot.cli.quarantine",
}


class CommandModules(click.Group):
    """The top-level group: commands of its own, and those of `COMMAND_MODULES`, imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(COMMAND_MODULES[cmd_name])
        return super().get_command(ctx, cmd_name)


@click.group(cls=CommandModules, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    """Validate the config: exit 0 when it is sound, 1 with warnings (nothing to watch), 2 listing each error
    as file, field, reason."""
    from bot.config import config_warnings

    config = obj.config
    warnings = config_warnings(config)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    counts = f"{len(config.feeds)} feed(s), {len(config.actors)} actor(s), {len(config.topics)} topic(s)"
    if warnings:
        click.echo(f"config valid but not ready: {counts}, {len(warnings)} warning(s)")
        sys.exit(1)
    click.echo(f"config OK: {counts}")


@cli.command()
@click.option("--once", is_flag=True, help="Poll every feed once, deliver, and exit (for cron).")
@pass_context
@clean_errors
def run(obj: CliContext, once: bool) -> None:
    """Poll feeds on their schedules (or one cycle with --once) and deliver alerts."""
    from bot.cli.render import print_baseline
    from bot.pipeline import Pipeline, make_extractor, seed_if_empty, seeds_dir
    from bot.store import Store

    from bot.observability import configure_logging  # a service logs on stdout (JSON unless a terminal)
    configure_logging(click.get_current_context().find_root().params.get("verbose") or 0, service=True)
    config = obj.config
    extractor = make_extractor(config)
    store = Store(obj.database_url)
    seeded = seed_if_empty(store, config, extractor)
    if seeded:
        click.echo(f"Established the baseline from {seeded} seed document(s) in {seeds_dir(config)}:")
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
            for name, count in report.taken_as_known.items():
                feed = config.feed(name)
                policy = (feed.first_poll if feed else None) or config.detection.first_poll
                click.echo(f"feed {name}: first poll: {count} item(s) taken as known without alerts "
                           f"(first_poll: {policy})", err=True)
            exit_if_refused(report.delivery)
        else:
            from bot.scheduler import run_forever

            extractor.load()  # a service builds its pipeline at start: a broken component stops it here
            interactions = _slack_app(config, store)
            try:
                run_forever(pipeline, routes=interactions.routes if interactions else None)
            finally:
                if interactions is not None:
                    interactions.stop()
    finally:
        pipeline.close()


def _slack_app(config: Config, store: Store) -> Interactions | None:
    """The Slack app's ways in (Socket Mode, Request URLs) when the environment sets them up, started."""
    import os

    from bot.interactive import Interactions
    from bot.observability import health_port_from_env

    interactions = Interactions.from_env(os.environ, config, store)
    if interactions is None:
        return None
    if interactions.routes and health_port_from_env() is None:
        logging.getLogger(__name__).warning(
            "SLACK_SIGNING_SECRET is set but DISCOURSE_BOT_HEALTH_PORT is not: no /slack/actions endpoint",
            extra={"action": "slack.request_url"})
    return interactions.start()


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
@click.option("--input-format", type=click.Choice(["auto", "jsonl"]), default="auto", show_default=True)
@pass_context
@clean_errors
def extract(obj: CliContext, paths: tuple[str, ...], as_json: bool, input_format: str) -> None:
    """Print the facts found in documents (feed files, .txt, .html, JSON lines, or - for stdin); no database."""
    from bot.cli.render import facts_json, print_facts
    from bot.extract import Extractor
    from bot.notify.names import Names
    from bot.sources.parse import read_path

    documents = [doc for path in paths for doc in read_path(path, input_format)]
    extractor = Extractor(obj.config)
    names = Names.of(obj.config)
    try:
        for document, facts in zip(documents, extractor.extract(documents)):
            if as_json:
                click.echo(json.dumps(facts_json(document, facts), ensure_ascii=False))
            else:
                print_facts(names, document, facts)
    finally:
        extractor.close()


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per alert.")
@click.option("--apply", is_flag=True, help="Store the documents and move the baseline (alerts wait in the outbox).")
@click.option("--deliver", is_flag=True, help="As --apply, then deliver the alerts (Slack or console).")
@click.option("--input-format", type=click.Choice(["auto", "jsonl"]), default="auto", show_default=True)
@pass_context
@clean_errors
def replay(obj: CliContext, paths: tuple[str, ...], as_json: bool, apply: bool, deliver: bool,
           input_format: str) -> None:
    """Run documents, in order, through detection against the database and print the alerts they raise.

    A dry run unless --apply or --deliver: each document sees what the ones before it changed, and the
    database is left exactly as it was."""
    from bot.cli.render import print_alert
    from bot.notify.names import Names
    from bot.pipeline import Pipeline, read_documents

    documents = read_documents(paths, input_format)
    apply = apply or deliver
    store = obj.store if apply else obj.existing_store()
    pipeline = Pipeline(obj.config, store)
    names = Names.of(obj.config)
    try:
        alerts = pipeline.replay(documents, apply=apply)
        for alert in alerts:
            if as_json:
                click.echo(json.dumps(alert.to_json(), ensure_ascii=False, default=str))
            else:
                print_alert(alert, names)
        if not as_json:
            click.echo(f"{len(alerts)} alert(s) from {len(documents)} document(s)", err=True)
        if not apply:
            click.echo("dry run: nothing was stored (--apply stores, --deliver stores and delivers)", err=True)
        if deliver:
            delivery = pipeline.deliver()
            click.echo(str(delivery), err=True)
            exit_if_refused(delivery)
    finally:
        pipeline.close()


def exit_if_refused(delivery: object) -> None:
    """Exit 1 when Slack refused what only a person can fix (the token, a channel), so cron notices."""
    from bot.notify import DeliveryReport

    refused = list(dict.fromkeys(delivery.refused)) if isinstance(delivery, DeliveryReport) else []
    for line in refused:
        click.echo(f"error: Slack refused delivery: {line}", err=True)
    if refused:
        click.echo("the alerts stay pending and are tried again on later runs; `slack test` checks the token and "
                   "the channels", err=True)
        sys.exit(1)



def main() -> None:
    cli(prog_name="discourse-bot")


__all__ = ["cli", "main"]
