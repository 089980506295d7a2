"""Training the stance check (bot.extract.stance_model) from the labelled sets in the repository.

    python -m bot.evaluation.stance_training [--out bot/extract/data/stance_model] [--folds 5]   (or `make train`)

Examples are what the `positions` component itself reads: every shape the rules find with a watched speaker,
on the real-news training splits (tests/data/positions/news_train.jsonl and, where present, news_train2.jsonl,
with the default config) and on the rule-writing set (tests/data/positions_labelled.yaml, with its own config).
An example is a position of its speaker (POSITION) when the item lists a position by that speaker's actor, and
OTHER when the item lists none by it (hard negatives: analysts, other governments, predictions, logistics). The
other real-news splits (dev, val, val2, test) are never read here, so that their figures stay honest.

`--folds K` also prints a cross-validated figure: the training items are split into K folds by page (the URL's
host and path, so no page gives examples to two folds), each fold is scored by a model trained on the others,
and the folds' positions, assembled as the component does, are scored as `discourse-bot eval` scores a split.

Everything is seeded and run in one thread, so the same data give the same model, byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

import spacy
from spacy.training import Example as SpacyExample
from spacy.util import fix_random_seed, minibatch

from bot.config import Config, load_config
from bot.evaluation.news import NewsItem, NewsResult, load_news, score_item
from bot.extract.stance_model import NEGATIVE, POSITIVE, StanceModel, as_doc, default_path

if TYPE_CHECKING:
    from spacy.pipeline import TextCategorizer

    from bot.extract.positions import PositionExtractor, Reading

REPO = Path(__file__).resolve().parents[2]
NEWS_SETS = ("news_train.jsonl", "news_train2.jsonl")   # the training splits (dev and val stay apart to check)
LABELLED = Path("tests") / "data" / "positions_labelled.yaml"
SEED = 20250601
EPOCHS = 12
BATCH = 8
DROPOUT = 0.2
TEXTCAT = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
           "no_output_layer": False, "length": 65536}


@dataclass(frozen=True)
class Item:
    """A labelled text, the actors whose positions it lists, and the page it comes from."""

    id: str
    text: str
    title: str
    published: Any
    actors: frozenset[str]
    group: str
    news: NewsItem | None = None
    split: str = ""


@dataclass(frozen=True)
class Example:
    """One reading the component makes: what the classifier reads, whether it is a position of its speaker, and
    the page it comes from (cross-validation keeps a page in one fold)."""

    features: str
    ok: bool
    group: str


def page_of(url: str, fallback: str) -> str:
    """A page's identity: the URL's host and path (no scheme, "www." or query), else `fallback`."""
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return fallback
    return parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/")


def news_items(path: Path) -> list[Item]:
    split = path.stem.removeprefix("news_")
    return [Item(i.id, i.text, i.title, i.published, frozenset(e["actor"] for e in i.expect), page_of(i.url, i.id),
                 i, split) for i in load_news(path)]


def labelled_items(path: Path) -> tuple[Config, list[Item]]:
    from bot.evaluation.positions import _date, load_labelled

    config, cases = load_labelled(path)
    return config, [Item(c["id"], c["text"], "", _date(c.get("published")),
                         frozenset(e["actor"] for e in c.get("expect") or ()), f"labelled:{c['id']}")
                    for c in cases]


def readings_of(config: Config, items: Iterable[Item]) -> Iterator[tuple[Item, list["Reading"]]]:
    """Every item with the readings the component makes of it (those that name a position)."""
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
        yield item, [r for r in component.readings(doc) if r.positions]


def examples_of(read: Iterable[tuple[Item, list["Reading"]]]) -> list[Example]:
    return [Example(r.features, r.voice.actor in item.actors, item.group) for item, readings in read for r in readings]


def sources(repo: Path = REPO) -> list[Path]:
    """The labelled files trained on, relative to the repository: the open real-news splits that are present,
    then the rule-writing set."""
    news = [Path("tests") / "data" / "positions" / name for name in NEWS_SETS]
    return [*(path for path in news if (repo / path).is_file()), LABELLED]


def collect(repo: Path = REPO) -> list[tuple[Item, list["Reading"]]]:
    """Every item of `sources` with its readings: the news with the default config, the rule-writing set with
    its own."""
    *news, labelled = sources(repo)
    config, cases = labelled_items(repo / labelled)
    items = [item for path in news for item in news_items(repo / path)]
    return [*readings_of(load_config(repo / "config"), items), *readings_of(config, cases)]


def train(examples: list[Example], out: Path) -> dict[str, Any]:
    """Train the classifier on the examples and save it to `out`; returns what was trained on."""
    fix_random_seed(SEED)
    nlp = spacy.blank("en")
    textcat = cast("TextCategorizer", nlp.add_pipe("textcat", config={"model": TEXTCAT, "threshold": 0.5}))
    textcat.add_label(POSITIVE)
    textcat.add_label(NEGATIVE)
    data = [SpacyExample.from_dict(as_doc(nlp, e.features), {"cats": {POSITIVE: float(e.ok), NEGATIVE: float(not e.ok)}})
            for e in examples]
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
    summary = {"examples": len(data), "positive": sum(e.ok for e in examples), "seed": SEED, "epochs": EPOCHS,
               "data": [path.as_posix() for path in sources()]}
    (out / "training.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def fold_of(group: str, folds: int) -> int:
    """A page's fold: from a digest of its identity, so the same pages fall together on every run."""
    return int(hashlib.sha256(group.encode("utf-8")).hexdigest(), 16) % folds


def cross_validate(read: list[tuple[Item, list["Reading"]]], folds: int) -> tuple[list[NewsResult], float]:
    """The open news items scored fold by fold, each by a model trained on the other folds' readings (of news
    and of the rule-writing set): each split's figures, all splits together, and the readings' accuracy at the
    shipped threshold."""
    from bot.extract.positions import assemble

    results: dict[str, NewsResult] = {}
    right = total = 0
    for fold in range(folds):
        held = [(item, readings) for item, readings in read if fold_of(item.group, folds) == fold]
        rest = [pair for pair in read if fold_of(pair[0].group, folds) != fold]
        with tempfile.TemporaryDirectory() as where:
            train(examples_of(rest), Path(where))
            model = StanceModel.load(where)
            for item, readings in held:
                accepted = model.accepts_all([r.features for r in readings])
                right += sum(ok == (r.voice.actor in item.actors) for r, ok in zip(readings, accepted))
                total += len(readings)
                if item.news is not None:
                    found = assemble(readings, accepted)
                    for split in (item.split, "all"):
                        score_item(results.setdefault(split, NewsResult(split)), item.news, found)
    return list(results.values()), right / total if total else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=default_path(), help="folder to write the model to")
    parser.add_argument("--folds", type=int, default=0,
                        help="also print the figures cross-validated by page over this many folds")
    args = parser.parse_args(argv)
    read = collect()
    summary = train(examples_of(read), args.out)
    print(f"stance check trained on {summary['examples']} readings ({summary['positive']} positions of their "
          f"speaker), saved to {args.out}")
    if args.folds > 1:
        results, accuracy = cross_validate(read, args.folds)
        print(f"cross-validated over {args.folds} folds by page: readings right {accuracy:.2f}")
        for result in results:
            print("\n".join(result.report().splitlines()[:2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
