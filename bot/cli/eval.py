"""`discourse-bot eval`: extraction quality on labelled real text."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli import cli
from bot.cli.context import CliContext, clean_errors, pass_context
from bot.errors import BotError

TEST_DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
LABELLED_POSITIONS = TEST_DATA / "positions_labelled.yaml"
BLIND_POSITIONS = TEST_DATA / "positions_blind.yaml"
NEWS_POSITIONS = TEST_DATA / "positions"
NEWS_SPLITS = ("dev", "train", "train2", "train3", "val", "val2", "val3", "val4", "val5", "val6", "test", "test2")
STATEMENTS_CONFIG = TEST_DATA / "eval-config"
CASUALTY_TIMELINES = TEST_DATA / "casualties"
# Held-out timelines (news_test, news_test2, news_test3: attacks gathered later, labelled blind; news_val7: round
# eleven's blind check) print figures only.
HELD_OUT_TIMELINES = tuple(CASUALTY_TIMELINES / f"news_{split}.jsonl" for split in ("test", "test2", "test3", "val7"))
# Open timelines: read and tuned on (val4 since round eight, val5 since round nine, val6 since round ten, each after
# its blind score).
OPEN_TIMELINE_SPLITS = ("dev", "val", "val2", "val3", "val4", "val5", "val6")
TIMELINES = tuple(CASUALTY_TIMELINES / f"news_{split}.jsonl" for split in OPEN_TIMELINE_SPLITS) \
    + HELD_OUT_TIMELINES


@cli.command("eval")
@click.option("--eval-dir", type=click.Path(path_type=Path), default=Path("../shared/eval"), show_default=True,
              help="Folder holding casualties/dev.csv and positions/dev.jsonl.")
@click.option("--casualties", "casualties_csv", type=click.Path(path_type=Path),
              help="Casualty CSV (id,text,killed,injured,...); default EVAL_DIR/casualties/dev.csv.")
@click.option("--statements", "statements_jsonl", type=click.Path(path_type=Path),
              help="Official statements JSON lines with has_condition; default EVAL_DIR/positions/dev.jsonl.")
@click.option("--news-dir", type=click.Path(path_type=Path), default=NEWS_POSITIONS, show_default=True,
              help="Folder of the real-news position splits news_dev/news_train/news_test.jsonl.")
@click.option("--split", "splits", type=click.Choice(NEWS_SPLITS), multiple=True,
              help="Real-news splits to score (repeatable; default all). The held-out splits (test, test2, val6) "
                   "print figures only.")
@click.option("--news", "news_files", type=click.Path(path_type=Path), multiple=True,
              help="A file in the real-news positions format (e.g. `feedback export`'s positions.jsonl) to score "
                   "instead of the project's splits. Repeatable.")
@click.option("--positions", "positions_yaml", type=click.Path(path_type=Path), multiple=True,
              help="Labelled position sentences (YAML); default the project's rule-writing set and the blind set "
                   "(both halves). Repeatable.")
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
             news_dir: Path, splits: tuple[str, ...], news_files: tuple[Path, ...], positions_yaml: tuple[Path, ...],
             half: str | None, statements_config: Path, timelines: tuple[Path, ...],
             explain: bool) -> None:
    """Measure extraction: casualty accuracy; casualty alerts on real timelines replayed through the whole
    pipeline; stated positions on real news per split (core conditions found whole, the right actor, stretch,
    false conditions on negatives, per-field accuracy); the older position sets."""
    from bot.config import load_config
    from bot.evaluation.casualties import evaluate_casualties, extractor_texts
    from bot.evaluation.casualty_timeline import evaluate_timeline
    from bot.evaluation.news import evaluate_news
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
    for timeline in timelines or TIMELINES:
        if timeline.is_file():
            held_out = timeline.resolve() in {path.resolve() for path in HELD_OUT_TIMELINES}
            click.secho(f"== casualty timeline: {timeline}" + (" (held out: figures only)" if held_out else ""),
                        bold=True)
            extractor = extractor or Extractor(obj.config)
            try:
                result = evaluate_timeline(timeline, obj.config, extractor)
            except ValueError as exc:
                raise BotError(str(exc)) from exc
            click.echo(result.report(details=not held_out, explain=explain))
            ran = True
    news: list[tuple[str | None, Path]] = [(split, news_dir / f"news_{split}.jsonl") for split in (splits or NEWS_SPLITS)]
    if news_files:
        news = [(None, path) for path in news_files]
    news = [(split, path) for split, path in news if path.is_file()]
    if news:
        click.secho(f"== positions on real news: {', '.join(str(p) for p in news_files) or news_dir}", bold=True)
        extractor = extractor or Extractor(obj.config)
        for split, path in news:
            click.echo(evaluate_news(extractor, path, split).report())
        ran = True
    if positions_yaml:
        sets = [(path, half) for path in positions_yaml]
    else:
        sets = [(LABELLED_POSITIONS, None), (BLIND_POSITIONS, "dev"), (BLIND_POSITIONS, "test")]
    for labelled, which in sets:
        if labelled.is_file():
            click.secho(f"== positions: {labelled}" + (f" ({which} half)" if which else ""), bold=True)
            scored = evaluate_positions(Extractor, labelled, half=which)
            report = scored.report() if positions_yaml else "\n".join(scored.report().splitlines()[:4])
            click.echo(report)
            ran = True
    if statements_jsonl.is_file():
        click.secho(f"== condition detection: {statements_jsonl}", bold=True)
        extractor = Extractor(load_config(statements_config))
        click.echo(evaluate_condition_detection(extractor, statements_jsonl).report())
        ran = True
    if not ran:
        raise BotError(f"no evaluation data found (looked in {eval_dir} and {news_dir}); "
                       "pass --casualties/--statements/--positions/--news-dir")
