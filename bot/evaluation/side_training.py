"""Training the side placement (bot.extract.side_model) from the open real-news splits, and measuring it.

    python -m bot.evaluation.side_training [--out bot/extract/data/side_model.json]   (or `make train`)
    python -m bot.evaluation.side_training --cv 5      (group-by-URL cross-validation, figures only)

Examples are what the `positions` component reads: every condition the rules find with a watched speaker, on
the open splits (news_dev, news_train, news_val, news_train2 when present). Each candidate phrase of its
sentence is labelled SUBJECT when its head word or a topic it names shares a content word with, or is, one of
the item's expected subjects for that speaker (the word overlap `bot.evaluation.news.same` judges by), REQUIREMENT
likewise for the expected requirements, NEITHER otherwise; a phrase that would be both, and an actor's name,
is not labelled positive. The check split (val2) and the held-out one (test) are never read here.

The fit is full-batch gradient descent on the softmax loss with an L2 penalty, in a fixed order from zero
weights: the same data give the same weights, byte for byte, and the file records the examples' digest.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy

from bot.config import Config, load_config
from bot.evaluation.news import NewsItem, NewsResult, load_news, same, score_item
from bot.extract.attribution import Attribution
from bot.extract.clauses import is_actor, lower_lemma
from bot.extract.side_model import (CLASSES, NEITHER, REQUIREMENT, SUBJECT, SideModel, default_path, phrase_features,
                                    phrase_heads, phrase_tokens)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from bot.extract import Extractor
    from bot.extract.positions import PositionExtractor

REPO = Path(__file__).resolve().parents[2]
NEWS = REPO / "tests" / "data" / "positions"
OPEN_SPLITS = ("news_dev.jsonl", "news_train.jsonl", "news_val.jsonl", "news_train2.jsonl")
MIN_COUNT = 2
EPOCHS = 400
RATE = 0.5
L2 = 0.002
POSITIVE_WEIGHT = 3.0
THRESHOLD = 0.6
MARGIN = 0.2
FLOOR = 1.0
MOVES = "subject"


@dataclass(frozen=True)
class Example:
    """One condition the rules found: the features of each candidate phrase and its side."""

    url: str
    item: str
    rows: tuple[tuple[str, ...], ...]
    labels: tuple[int, ...]


def open_paths(news_dir: Path = NEWS) -> list[Path]:
    return [news_dir / name for name in OPEN_SPLITS if (news_dir / name).is_file()]


def urls_of(path: Path) -> dict[str, str]:
    """Item id → the page it came from (the unit of the split)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {str(r.get("id")): str(r.get("url") or r.get("id")) for r in rows}


def extractor_for(config: Config, side_model: str = "off") -> "Extractor":
    from bot.extract import Extractor

    settings = config.settings.model_copy(update={"n_process": 1})
    extractor = Extractor(config.model_copy(update={"settings": settings}))
    positions(extractor).sides = SideModel.load(side_model)
    return extractor


def positions(extractor: "Extractor") -> "PositionExtractor":
    return cast("PositionExtractor", extractor.nlp.get_pipe("positions"))


def side_label(head: "Token", names: Sequence[str], subjects: Sequence[str], requires: Sequence[str]) -> int:
    """The side a phrase is on by the labels: its head's words or its topics shared with exactly one side."""
    if is_actor(head):
        return NEITHER
    values = [*names, head.lower_, lower_lemma(head)]
    is_subject = bool(subjects) and any(same(v, subjects) for v in values)
    is_requirement = bool(requires) and any(same(v, requires) for v in values)
    if is_subject == is_requirement:
        return NEITHER
    return SUBJECT if is_subject else REQUIREMENT


def _parsed(extractor: "Extractor", item: NewsItem) -> "Doc":
    """The item's document through every component before `positions` (which the caller runs its own way)."""
    doc = extractor._make_doc(item.document())
    for _, proc in itertools.takewhile(lambda named: named[0] != "positions", extractor.nlp.pipeline):
        doc = proc(doc)
    return doc


def examples_from(extractor: "Extractor", paths: Iterable[Path]) -> Iterator[Example]:
    component = positions(extractor)
    for path in paths:
        urls = urls_of(path)
        for item in load_news(path):
            doc = _parsed(extractor, item)
            attribution = Attribution(doc)
            for reading in component.readings(doc):
                cand = reading.candidate
                if cand.kind != "condition" or cand.subject_head is None or cand.requires_head is None:
                    continue
                wanted = [e for e in item.expect if e.get("actor") == reading.voice.actor]
                subjects = [str(s) for e in wanted for s in _listed(e.get("subject"))]
                requires = [str(r) for e in wanted for r in _listed(e.get("requires"))]
                if not subjects:
                    continue
                sent = cand.predicate.sent
                in_quote = attribution.quote_of(cand.predicate) is not None
                heads = phrase_heads(sent, cand)
                rows, labels = [], []
                for head in heads:
                    names = [m.topic for m in component.topics.find(phrase_tokens(head))]
                    rows.append(tuple(phrase_features(head, cand, sent, component.topics, in_quote)))
                    labels.append(side_label(head, names, subjects, requires))
                if any(labels):
                    yield Example(urls.get(item.id, item.id), item.id, tuple(rows), tuple(labels))


def _listed(value: Any) -> list[Any]:
    return [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]


def collect(news_dir: Path = NEWS, repo: Path = REPO) -> list[Example]:
    return list(examples_from(extractor_for(load_config(repo / "config")), open_paths(news_dir)))


def digest(examples: Sequence[Example]) -> str:
    text = json.dumps([[e.rows, e.labels] for e in examples], separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fit(examples: Sequence[Example]) -> dict[str, Any]:
    """The model's data (weights by feature name) trained on the examples."""
    rows = [row for e in examples for row in e.rows]
    labels = numpy.array([label for e in examples for label in e.labels], dtype=int)
    counts: dict[str, int] = {}
    for row in rows:
        for f in row:
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: n for n, f in enumerate(names)}
    row_ids = numpy.array([r for r, row in enumerate(rows) for f in row if f in index], dtype=int)
    feat_ids = numpy.array([index[f] for row in rows for f in row if f in index], dtype=int)
    target = numpy.zeros((len(rows), len(CLASSES)))
    target[numpy.arange(len(rows)), labels] = 1.0
    weight = numpy.where(labels == NEITHER, 1.0, POSITIVE_WEIGHT)[:, None]
    total = float(weight.sum())
    w = numpy.zeros((len(names), len(CLASSES)))
    for _ in range(EPOCHS):
        scores = numpy.zeros((len(rows), len(CLASSES)))
        numpy.add.at(scores, row_ids, w[feat_ids])
        scores -= scores.max(axis=1, keepdims=True)
        probs = numpy.exp(scores)
        probs /= probs.sum(axis=1, keepdims=True)
        error = (probs - target) * weight / total
        grad = numpy.zeros_like(w)
        numpy.add.at(grad, feat_ids, error[row_ids])
        w -= RATE * (grad + L2 * w)
    weights = {f: [round(float(x), 5) for x in w[index[f]]] for f in names}
    return {"classes": list(CLASSES), "threshold": THRESHOLD, "margin": MARGIN, "floor": FLOOR, "moves": MOVES.split("+"),
            "digest": digest(examples),
            "examples": len(examples), "phrases": len(rows), "weights": weights}


def write(data: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")


# -- measuring --------------------------------------------------------------------------------------------------

def fold_of(url: str, k: int) -> int:
    return int(hashlib.sha1(url.encode("utf-8")).hexdigest(), 16) % k


def cross_validate(k: int, news_dir: Path = NEWS, repo: Path = REPO,
                   settings: Sequence[tuple[float, float, str]] = ((THRESHOLD, MARGIN, "subject"),)
                   ) -> dict[str, NewsResult]:
    """Group-by-URL k-fold: each fold's items scored by the real extractor with a model trained on the other
    folds, beside the rules alone. Keys: "rules" and "model t/m" per threshold and margin."""
    config = load_config(repo / "config")
    extractor = extractor_for(config)
    paths = open_paths(news_dir)
    examples = list(examples_from(extractor, paths))
    items = [(item, urls_of(path).get(item.id, item.id)) for path in paths for item in load_news(path)]
    results = {"rules": NewsResult("cv rules"), **{f"model {t}/{m}/{w}": NewsResult(f"cv model {t}/{m}/{w}")
                                                    for t, m, w in settings}}
    component = positions(extractor)
    for fold in range(k):
        held = [item for item, url in items if fold_of(url, k) == fold]
        data = fit([e for e in examples if fold_of(e.url, k) != fold])
        docs = [item.document() for item in held]
        component.sides = SideModel()
        for item, facts in zip(held, extractor.extract(docs)):
            score_item(results["rules"], item, facts.positions)
        for t, m, w in settings:
            component.sides = SideModel.from_data({**data, "threshold": t, "floor": m, "margin": 0.2,
                                                   "moves": w.split("+")})
            for item, facts in zip(held, extractor.extract(docs)):
                score_item(results[f"model {t}/{m}/{w}"], item, facts.positions)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=default_path(), help="file to write the model to")
    parser.add_argument("--cv", type=int, default=0, help="cross-validate over this many URL folds instead")
    parser.add_argument("--grid", action="store_true", help="with --cv: several thresholds and margins")
    args = parser.parse_args(argv)
    if args.cv:
        grid = [(t, f, w) for t in (0.6, 0.75, 0.9) for f in (0.3, 1.0) for w in ("subject",)] \
            if args.grid else [(THRESHOLD, FLOOR, MOVES)]
        for result in cross_validate(args.cv, settings=grid).values():
            print(result.report(limit=0))
        return 0
    examples = collect()
    data = fit(examples)
    write(data, args.out)
    print(f"side model trained on {data['examples']} conditions ({data['phrases']} phrases, "
          f"{len(data['weights'])} features), saved to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
