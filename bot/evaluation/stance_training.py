"""Training the stance check (bot.extract.stance_model) from the labelled sets in the repository.

    python -m bot.evaluation.stance_training [--out bot/extract/data/stance_model]     (or `make train`)

Examples are what the `positions` component itself reads: every shape the rules find with a watched speaker,
on the real-news training split (tests/data/positions/news_train.jsonl, with the default config) and on the
rule-writing set (tests/data/positions_labelled.yaml, with its own config). An example is a position of its
speaker (POSITION) when the item lists a position by that speaker's actor, and OTHER when the item lists none
by it (hard negatives: analysts, other governments, predictions, logistics). The real-news dev and test splits
are never read here, so that their figures stay honest.

Everything is seeded and run in one thread, so the same data give the same model, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import spacy
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from bot.config import Config, load_config
from bot.extract.stance_model import NEGATIVE, POSITIVE, as_doc, default_path

if TYPE_CHECKING:
    from spacy.pipeline import TextCategorizer

    from bot.extract.positions import PositionExtractor

REPO = Path(__file__).resolve().parents[2]
NEWS_TRAIN = REPO / "tests" / "data" / "positions" / "news_train.jsonl"
LABELLED = REPO / "tests" / "data" / "positions_labelled.yaml"
SEED = 20250601
EPOCHS = 12
BATCH = 8
DROPOUT = 0.2
TEXTCAT = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
           "no_output_layer": False, "length": 65536}


@dataclass(frozen=True)
class Item:
    """A labelled text and the actors whose positions it lists."""

    id: str
    text: str
    title: str
    published: Any
    actors: frozenset[str]


def news_items(path: Path) -> list[Item]:
    from bot.evaluation.news import load_news

    return [Item(i.id, i.text, i.title, i.published, frozenset(e["actor"] for e in i.expect)) for i in load_news(path)]


def labelled_items(path: Path) -> tuple[Config, list[Item]]:
    from bot.evaluation.positions import _date, load_labelled

    config, cases = load_labelled(path)
    return config, [Item(c["id"], c["text"], "", _date(c.get("published")),
                         frozenset(e["actor"] for e in c.get("expect") or ())) for c in cases]


def examples_from(config: Config, items: Iterable[Item]) -> Iterator[tuple[str, bool, str]]:
    """(features, is a position of its speaker, item id) for every reading the component makes of the items."""
    import datetime as dt

    from bot.extract import Extractor
    from bot.sources.document import Document

    settings = config.settings.model_copy(update={"stance_model": "off", "n_process": 1})
    extractor = Extractor(config.model_copy(update={"settings": settings}))
    component = cast("PositionExtractor", extractor.nlp.get_pipe("positions"))
    for item in items:
        when = dt.datetime(item.published.year, item.published.month, item.published.day, 12,
                           tzinfo=dt.timezone.utc) if item.published else None
        doc = extractor._make_doc(Document(id=item.id, text=item.text, title=item.title, published=when))
        for name, proc in extractor.nlp.pipeline:
            if name == "positions":
                break
            doc = proc(doc)
        for reading in component.readings(doc):
            if reading.positions:
                yield reading.features, reading.voice.actor in item.actors, item.id


def collect(repo: Path = REPO) -> list[tuple[str, bool, str]]:
    default = load_config(repo / "config")
    config, labelled = labelled_items(repo / "tests" / "data" / "positions_labelled.yaml")
    news = news_items(repo / "tests" / "data" / "positions" / "news_train.jsonl")
    return [*examples_from(default, news), *examples_from(config, labelled)]


def train(examples: list[tuple[str, bool, str]], out: Path) -> dict[str, Any]:
    """Train the classifier on the examples and save it to `out`; returns what was trained on."""
    fix_random_seed(SEED)
    nlp = spacy.blank("en")
    textcat = cast("TextCategorizer", nlp.add_pipe("textcat", config={"model": TEXTCAT, "threshold": 0.5}))
    textcat.add_label(POSITIVE)
    textcat.add_label(NEGATIVE)
    data = [Example.from_dict(as_doc(nlp, text), {"cats": {POSITIVE: float(ok), NEGATIVE: float(not ok)}})
            for text, ok, _ in examples]
    optimizer = nlp.initialize(lambda: data)
    rng = random.Random(SEED)
    for _ in range(EPOCHS):
        order = list(data)
        rng.shuffle(order)
        for batch in minibatch(order, size=BATCH):
            nlp.update(batch, sgd=optimizer, drop=DROPOUT)
    out.mkdir(parents=True, exist_ok=True)
    nlp.meta.update({"name": "stance_check", "version": "1.0.0",
                     "description": "Does a found shape state a position of its speaker? (bot.extract.stance_model)"})
    nlp.to_disk(out)
    summary = {"examples": len(data), "positive": sum(ok for _, ok, _ in examples), "seed": SEED, "epochs": EPOCHS,
               "data": ["tests/data/positions/news_train.jsonl", "tests/data/positions_labelled.yaml"]}
    (out / "training.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=default_path(), help="folder to write the model to")
    args = parser.parse_args(argv)
    examples = collect()
    summary = train(examples, args.out)
    print(f"stance check trained on {summary['examples']} readings ({summary['positive']} positions of their "
          f"speaker), saved to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
