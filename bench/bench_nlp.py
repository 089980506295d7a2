"""NLP throughput: the bot's whole extraction against a full parse by the same model, in the same run.

    .venv/bin/python bench/bench_nlp.py [--docs 400] [--rounds 3] [--processes 1] [--profile] [--gate] [--shards 2]

"full parse" = `spacy.load(model)` with every component, `nlp.pipe(texts)`: the limit the extraction is
compared with. "bot" = `bot.extract.Extractor(config).extract(documents)`. Goal: bot / full <= 0.6 on a corpus
where every document is relevant (each passes the gate before the model, so the bot parses all of them too):
the real-news position excerpts (tests/data/positions, dev and train splits, headline and body) and the shared
evaluation texts when present, repeated. The bot runs as configured (settings.n_process worker processes);
--processes 1 gives the one-process figure, the same cores as the full parse.
Each figure is the best of --rounds alternating runs (the model is loaded and warmed up before timing).
Wall time is what the goal names; CPU time is printed too because on a shared machine it is the steadier
figure. --profile adds seconds per component, an estimate of what a gate before the model would skip,
and a cProfile of the bot's run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing
import os
import pstats
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, machine, news_texts, peak_rss_mb  # noqa: E402

import spacy  # noqa: E402

from bot.config import load_config  # noqa: E402


def best_of(rounds: int, runs: dict[str, object]) -> tuple[dict[str, float], dict[str, float]]:
    """Best wall and best CPU seconds (this process and its finished children) of each run, alternating runs."""
    wall = {name: float("inf") for name in runs}
    cpu = {name: float("inf") for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            start, start_cpu = time.perf_counter(), _cpu()
            run()  # type: ignore[operator]
            wall[name] = min(wall[name], time.perf_counter() - start)
            cpu[name] = min(cpu[name], _cpu() - start_cpu)
    return wall, cpu


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


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


_FORKED: dict[str, object] = {}  # what forked workers inherit: the extractor and the shards


def _count_facts(index: int) -> tuple[int, int]:
    extractor, shards, gate = _FORKED["extractor"], _FORKED["shards"], _FORKED.get("gate")
    documents = shards[index]  # type: ignore[index]
    if gate is not None:
        documents = gate.documents(documents)  # type: ignore[attr-defined]
    positions = casualties = 0
    for facts in extractor.extract(documents):  # type: ignore[attr-defined]
        positions += len(facts.positions)
        casualties += len(facts.casualties)
    return positions, casualties


class Gate:
    """A cheap gate before the model (what-if): tokenizer, the bot's actor ruler and a rule-based sentencizer
    keep the sentences with a casualty trigger word, or with a watched actor's mention and a condition or
    stance trigger, plus one sentence either side for context."""

    def __init__(self, extractor) -> None:
        from spacy.pipeline import Sentencizer

        from bot.extract import casualty_words as W
        from bot.extract.lexicon import load_lexicon

        self.nlp = extractor.nlp
        self.triggers = set(load_lexicon().triggers)
        self.casualty = set(W.TRIGGER_FORMS) | set(W.TRIGGER_LEMMAS)
        self.ruler = extractor.nlp.get_pipe("actor_ruler")
        self.sentencizer = Sentencizer()

    def kept(self, document) -> tuple[str, int, int]:
        """(text of the kept sentences, kept tokens, all tokens)."""
        doc = self.nlp.make_doc(document.full_text[: self.nlp.max_length])
        doc._.published = document.published_date
        doc = self.sentencizer(self.ruler(doc))
        actors = {span.start for span in doc.spans.get("actors", [])}
        sents = list(doc.sents)
        wanted: set[int] = set()
        for i, sent in enumerate(sents):
            words = {t.lower_ for t in sent}
            words |= {w.rstrip("s") for w in words} | {w.removesuffix("ed") for w in words}
            if words & self.casualty or (words & self.triggers and any(sent.start <= a < sent.end for a in actors)):
                wanted.update({i - 1, i, i + 1})
        kept = [sents[i] for i in sorted(wanted) if 0 <= i < len(sents)]
        return " ".join(s.text for s in kept), sum(len(s) for s in kept), len(doc)

    def documents(self, documents: list) -> list:
        import dataclasses

        gated = []
        for document in documents:
            text, _, _ = self.kept(document)
            if text:
                gated.append(dataclasses.replace(document, title="", text=text))
        return gated


def prefilter_estimate(extractor, documents: list) -> str:
    """How much of the text the Gate lets through, and what the gate itself costs."""
    gate = Gate(extractor)
    kept_tokens = total_tokens = kept_docs = 0
    start = time.perf_counter()
    for document in documents:
        text, kept, total = gate.kept(document)
        kept_tokens += kept
        total_tokens += total
        kept_docs += bool(text)
    seconds = time.perf_counter() - start
    return (f"a gate before the model would pass {kept_docs}/{len(documents)} documents and "
            f"{kept_tokens}/{total_tokens} tokens ({100 * kept_tokens / max(total_tokens, 1):.0f}%); "
            f"the gate itself took {seconds:.2f} s")


def relevant_documents(count: int, passes) -> tuple[list, int]:  # type: ignore[no-untyped-def]
    """`count` documents cycling through texts that all pass the relevance gate; also how many were dropped."""
    import datetime as dt
    import json

    from bot.sources.document import Document

    try:
        texts = list(news_texts())
    except SystemExit:   # no shared evaluation texts: the repository's own excerpts are enough
        texts = []
    for split in ("dev", "train"):   # never the held-out test split
        path = REPO / "tests" / "data" / "positions" / f"news_{split}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append((row.get("title") or "", row["text"]))
    published = dt.datetime(2025, 4, 15, tzinfo=dt.timezone.utc)
    candidates = [Document(id=f"bench-{i}", title=title, text=text, published=published,
                           url=f"https://bench.example.org/{i}", source="bench.example.org")
                  for i, (title, text) in enumerate(texts)]
    kept = [d for d in candidates if passes(d)]
    documents = [kept[i % len(kept)] for i in range(count)]
    return [Document(id=f"bench-{i}", title=d.title, text=d.text, published=d.published, url=d.url, source=d.source)
            for i, d in enumerate(documents)], len(candidates) - len(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--config", default=str(REPO / "config"))
    parser.add_argument("--shards", type=int, default=1,
                        help="what-if for both cores: split the documents over N forked processes, each running the "
                             "same Extractor with one process of its own")
    parser.add_argument("--gate", action="store_true",
                        help="what-if: run the bot's extraction only on the sentences a cheap gate keeps (gate time included)")
    parser.add_argument("--batch-size", type=int, default=None, help="override settings.batch_size for both runs")
    parser.add_argument("--processes", type=int, default=None, help="override settings.n_process for the bot's run")
    parser.add_argument("--profile", action="store_true", help="per-component times and a cProfile of the bot's extraction")
    args = parser.parse_args()

    config = load_config(args.config)
    if args.batch_size:
        config = config.model_copy(update={"settings": config.settings.model_copy(update={"batch_size": args.batch_size})})
    if args.processes or args.shards > 1:
        processes = 1 if args.shards > 1 else args.processes
        config = config.model_copy(update={"settings": config.settings.model_copy(update={"n_process": processes})})
    print(f"machine: {machine()}")
    print(f"model: {config.settings.model}, batch_size {config.settings.batch_size}, "
          f"bot processes {config.settings.n_process}"
          + (f", bot run split over {args.shards} forked processes (what-if)" if args.shards > 1 else "")
          + (", bot run on gated sentences only (what-if, gate time included)" if args.gate else ""))

    from bot.extract import Extractor

    start = time.perf_counter()
    extractor = Extractor(config)
    print(f"Extractor(config) built in {time.perf_counter() - start:.2f} s; pipeline: {extractor.nlp.pipe_names}")
    documents, dropped = relevant_documents(
        args.docs, lambda d: extractor.gate(extractor.nlp.make_doc(d.full_text[: extractor.nlp.max_length])))
    texts = [d.full_text for d in documents]
    print(f"corpus: every document passes the relevance gate ({dropped} texts that do not were left out)")
    full = spacy.load(config.settings.model)
    print(f"full model pipeline: {full.pipe_names}")

    tokens = sum(len(doc) for doc in full.tokenizer.pipe(texts))
    chars = sum(len(t) for t in texts)
    print(f"texts: {len(texts)} documents, {tokens} tokens, {chars} characters "
          f"({len(set(texts))} distinct texts, repeated)")

    facts_found = [0, 0]

    def run_serial() -> None:
        positions = casualties = 0
        for facts in extractor.extract(documents):
            positions += len(facts.positions)
            casualties += len(facts.casualties)
        facts_found[:] = [positions, casualties]

    def run_full() -> None:
        for _doc in full.pipe(texts, batch_size=config.settings.batch_size):
            pass

    gate = Gate(extractor) if args.gate else None

    def run_sharded() -> None:  # the what-if for both cores: forked workers inherit the loaded extractor
        context = multiprocessing.get_context("fork")
        _FORKED.update(extractor=extractor, gate=gate, shards=[documents[i::args.shards] for i in range(args.shards)])
        with context.Pool(args.shards) as pool:
            counts = pool.map(_count_facts, range(args.shards))
        facts_found[:] = [sum(c[0] for c in counts), sum(c[1] for c in counts)]

    def run_gated() -> None:  # the what-if for a gate before the model: gating is part of the timed run
        positions = casualties = 0
        for facts in extractor.extract(gate.documents(documents)):
            positions += len(facts.positions)
            casualties += len(facts.casualties)
        facts_found[:] = [positions, casualties]

    run_bot = run_sharded if args.shards > 1 else run_gated if args.gate else run_serial

    list(extractor.extract(documents[:20]))  # warm-up: lazy tables, first allocations
    list(full.pipe(texts[:20]))
    best, cpu = best_of(args.rounds, {"full": run_full, "bot": run_bot})
    print(f"bot found {facts_found[0]} positions and {facts_found[1]} casualty reports")
    print()
    print(f"{'run':<36}{'wall s':>8}{'docs/s':>9}{'tokens/s':>10}{'CPU s':>8}")
    for name, label in (("full", "full parse (every component)"), ("bot", "bot extraction (Extractor.extract)")):
        seconds = best[name]
        print(f"{label:<36}{seconds:>8.2f}{len(texts) / seconds:>9.1f}{tokens / seconds:>10.0f}{cpu[name]:>8.2f}")
    ratio = best["bot"] / best["full"]
    print(f"\nratio bot / full parse, wall: {ratio:.2f}  (goal <= 0.60: {'met' if ratio <= 0.6 else 'NOT met'}); "
          f"CPU: {cpu['bot'] / cpu['full']:.2f}"
          + (" (the bot's live worker processes are not counted)" if config.settings.n_process > 1 and args.shards <= 1 else "")
          + f"; load average during the run: {os.getloadavg()[0]:.1f}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak_rss_mb():.0f} MB (both pipelines loaded)"
          + (f"; largest worker process: {children:.0f} MB" if children else ""))

    if args.profile:
        print("\nseconds per component (one component at a time over all documents)")
        for label, nlp in (("full", full), ("bot", extractor.nlp)):
            times = component_times(nlp, documents, config.settings.batch_size)
            total = sum(times.values())
            print(f"  {label}: total {total:.2f} s")
            for name, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
                print(f"    {name:<24}{seconds:>8.2f} s {100 * seconds / total:>5.1f}%")
        print("\nprefilter estimate: " + prefilter_estimate(extractor, documents))
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
