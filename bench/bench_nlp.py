"""NLP throughput: the bot's whole extraction against a full parse by the same model, in the same run.

    .venv/bin/python bench/bench_nlp.py [--docs 400] [--rounds 3] [--profile]

"full parse" = `spacy.load(model)` with every component, `nlp.pipe(texts)`: the limit the extraction is
compared with. "bot" = `bot.extract.Extractor(config).extract(documents)`. Goal: bot / full <= 0.5.
Each figure is the best of --rounds alternating runs (the model is loaded and warmed up before timing).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, machine, news_documents, peak_rss_mb  # noqa: E402

import spacy  # noqa: E402

from bot.config import load_config  # noqa: E402


def best_of(rounds: int, runs: dict[str, object]) -> dict[str, float]:
    best = {name: float("inf") for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.perf_counter()
            run()  # type: ignore[operator]
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def component_times(nlp: spacy.Language, documents: list, batch_size: int) -> dict[str, float]:
    """Seconds spent in each component of a pipeline, run one component at a time over all documents."""
    from bot.extract.nlp import register_extensions

    register_extensions()
    times: dict[str, float] = defaultdict(float)
    start = time.perf_counter()
    docs = []
    for document in documents:
        doc = nlp.make_doc(document.full_text)
        doc._.published = document.published_date
        doc._.document_id = document.id
        docs.append(doc)
    times["make_doc (tokenizer)"] = time.perf_counter() - start
    for name, proc in nlp.pipeline:
        start = time.perf_counter()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=batch_size))
        else:
            docs = [proc(doc) for doc in docs]
        times[name] += time.perf_counter() - start
    return dict(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--config", default=str(REPO / "config"))
    parser.add_argument("--profile", action="store_true", help="per-component times and a cProfile of the bot's extraction")
    args = parser.parse_args()

    config = load_config(args.config)
    documents = news_documents(args.docs)
    texts = [d.full_text for d in documents]
    print(f"machine: {machine()}")
    print(f"model: {config.settings.model}, batch_size {config.settings.batch_size}, n_process {config.settings.n_process}")

    from bot.extract import Extractor

    start = time.perf_counter()
    extractor = Extractor(config)
    print(f"Extractor(config) built in {time.perf_counter() - start:.2f} s; pipeline: {extractor.nlp.pipe_names}")
    full = spacy.load(config.settings.model)
    print(f"full model pipeline: {full.pipe_names}")

    tokens = sum(len(doc) for doc in full.tokenizer.pipe(texts))
    chars = sum(len(t) for t in texts)
    print(f"texts: {len(texts)} documents, {tokens} tokens, {chars} characters "
          f"({len(set(texts))} distinct texts from ../shared/eval and the seed article, repeated)")

    facts_found = [0, 0]

    def run_bot() -> None:
        positions = casualties = 0
        for facts in extractor.extract(documents):
            positions += len(facts.positions)
            casualties += len(facts.casualties)
        facts_found[:] = [positions, casualties]

    def run_full() -> None:
        for _doc in full.pipe(texts, batch_size=config.settings.batch_size):
            pass

    list(extractor.extract(documents[:20]))  # warm-up: lazy tables, first allocations
    list(full.pipe(texts[:20]))
    best = best_of(args.rounds, {"full": run_full, "bot": run_bot})
    print(f"bot found {facts_found[0]} positions and {facts_found[1]} casualty reports")
    print()
    print(f"{'run':<34}{'seconds':>9}{'docs/s':>10}{'tokens/s':>11}")
    for name, label in (("full", "full parse (every component)"), ("bot", "bot extraction (Extractor.extract)")):
        seconds = best[name]
        print(f"{label:<34}{seconds:>9.2f}{len(texts) / seconds:>10.1f}{tokens / seconds:>11.0f}")
    ratio = best["bot"] / best["full"]
    print(f"\nratio bot / full parse: {ratio:.2f}  (goal <= 0.50: {'met' if ratio <= 0.5 else 'NOT met'})")
    print(f"peak RSS of this process: {peak_rss_mb():.0f} MB (both pipelines loaded)")

    if args.profile:
        print("\nseconds per component (one component at a time over all documents)")
        for label, nlp in (("full", full), ("bot", extractor.nlp)):
            times = component_times(nlp, documents, config.settings.batch_size)
            total = sum(times.values())
            print(f"  {label}: total {total:.2f} s")
            for name, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
                print(f"    {name:<24}{seconds:>8.2f} s {100 * seconds / total:>5.1f}%")
        profiler = cProfile.Profile()
        profiler.enable()
        run_bot()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(r"bot/|spacy/language|thinc", 30)
        print("\ncProfile of the bot's extraction, cumulative, our code and spaCy's entry points:")
        print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip())[:12000])


if __name__ == "__main__":
    main()
