"""`discourse-bot eval`: extraction quality on labelled real text."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli import cli
from bot.cli.context import CliContext, clean_errors, pass_context
from bot.errors import BotError

LABELLED_POSITIONS = Path(__file__).resolve().parents[2] / "tests" / "data" / "positions_labelled.yaml"
STATEMENTS_CONFIG = LABELLED_POSITIONS.parent / "eval-config"
CASUALTY_TIMELINES = LABELLED_POSITIONS.parent / "casualties"
OPEN_TIMELINE, HELD_OUT_TIMELINE = CASUALTY_TIMELINES / "news_dev.jsonl", CASUALTY_TIMELINES / "news_test.jsonl"


@cli.command("eval")
@click.option("--eval-dir", type=click.Path(path_type=Path), default=Path("../shared/eval"), show_default=True,
              help="Folder holding casualties/dev.csv and positions/dev.jsonl.")
@click.option("--casualties", "casualties_csv", type=click.Path(path_type=Path),
              help="Casualty CSV (id,text,killed,injured,...); default EVAL_DIR/casualties/dev.csv.")
@click.option("--statements", "statements_jsonl", type=click.Path(path_type=Path),
              help="Official statements JSON lines with has_condition; default EVAL_DIR/positions/dev.jsonl.")
@click.option("--positions", "positions_yaml", type=click.Path(path_type=Path), multiple=True,
              help="Labelled position sentences (YAML); default the project's own labelled set. Repeatable.")
@click.option("--half", type=click.Choice(["dev", "test"]),
              help="Score only one half of each --positions set by case order: dev = 1st, 3rd, …; test = 2nd, 4th, … "
                   "(the test half's report shows figures only).")
@click.option("--statements-config", type=click.Path(path_type=Path), default=STATEMENTS_CONFIG,
              help="Config with the actors the statements need.")
@click.option("--timeline", "timelines", type=click.Path(path_type=Path), multiple=True,
              help="Casualty timeline (JSON lines, one report per line) replayed in publication order through "
                   "extraction, detection and a fresh database; default the project's open and held-out timelines "
                   "(the held-out one shows figures only). Repeatable.")
@click.option("--explain", is_flag=True,
              help="Print each open timeline attack by attack: every report's labels, what the ideal raises, what "
                   "was raised in which thread and what extraction read (never for the held-out timeline).")
@pass_context
@clean_errors
def evaluate(obj: CliContext, eval_dir: Path, casualties_csv: Path | None, statements_jsonl: Path | None,
             positions_yaml: tuple[Path, ...], half: str | None, statements_config: Path,
             timelines: tuple[Path, ...], explain: bool) -> None:
    """Measure extraction: casualty accuracy, casualty alerts on real timelines, position precision/recall,
    condition detection on real statements."""
    from bot.config import load_config
    from bot.evaluation.casualties import evaluate_casualties, extractor_texts
    from bot.evaluation.casualty_timeline import evaluate_timeline
    from bot.evaluation.positions import evaluate_condition_detection, evaluate_positions
    from bot.extract import Extractor

    casualties_csv = casualties_csv or eval_dir / "casualties" / "dev.csv"
    statements_jsonl = statements_jsonl or eval_dir / "positions" / "dev.jsonl"
    ran = False
    extractor: Extractor | None = None
    if casualties_csv.is_file():
        click.secho(f"== casualties: {casualties_csv}", bold=True)
        extractor = Extractor(obj.config)
        click.echo(evaluate_casualties(extractor_texts(extractor), casualties_csv).report())
        ran = True
    for timeline in timelines or (OPEN_TIMELINE, HELD_OUT_TIMELINE):
        if timeline.is_file():
            held_out = timeline.resolve() == HELD_OUT_TIMELINE.resolve()
            click.secho(f"== casualty timeline: {timeline}" + (" (held out: figures only)" if held_out else ""),
                        bold=True)
            extractor = extractor or Extractor(obj.config)
            try:
                result = evaluate_timeline(timeline, obj.config, extractor)
            except ValueError as exc:
                raise BotError(str(exc)) from exc
            click.echo(result.report(details=not held_out, explain=explain))
            ran = True
    for labelled in positions_yaml or (LABELLED_POSITIONS,):
        if labelled.is_file():
            click.secho(f"== positions: {labelled}" + (f" ({half} half)" if half else ""), bold=True)
            click.echo(evaluate_positions(Extractor, labelled, half=half).report())
            ran = True
    if statements_jsonl.is_file():
        click.secho(f"== condition detection: {statements_jsonl}", bold=True)
        extractor = Extractor(load_config(statements_config))
        click.echo(evaluate_condition_detection(extractor, statements_jsonl).report())
        ran = True
    if not ran:
        raise BotError(f"no evaluation data found (looked in {eval_dir}); pass --casualties/--statements/--positions")
