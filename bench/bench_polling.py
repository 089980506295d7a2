"""Polling as a user runs it: 1,000 loopback feeds of 20 items, `discourse-bot run --once` against urlwatch.

    .venv/bin/python bench/bench_polling.py [--feeds 1000] [--items 20] [--repeat 3] [--no-urlwatch]

Everything runs as whole processes, in one run, against one loopback feed server (ETags, 304 answers to a
matching If-None-Match):

1. first poll: `discourse-bot run --once` on an empty SQLite database (the feeds' `first_poll: silent`, so
   every item is new and builds the baseline without alerting). Its rate is items stored per second of the
   whole process, start-up included. Compared with the model's full parse of the same items' texts
   (`spacy.load(model)`, every component, `nlp.pipe` in this process on one core), measured in the same run.
   Goal: first-poll rate / full-parse rate >= 1.0. Both also print CPU seconds (the bot's with its
   extraction workers), steadier than wall time on a shared machine.
2. second poll, all 304: `discourse-bot run --once` again, and urlwatch's second run on the same 1,000 URLs
   (its first run, untimed, stored their ETags). urlwatch is installed from PyPI into a throwaway venv in a
   temporary folder (outside the repository) at bench time; with --no-urlwatch, or when it cannot be
   installed, only the bot's figure is printed. Both are repeated alternately (--repeat) and the medians
   compared. Goal: bot / urlwatch <= 1.0.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, machine  # noqa: E402
from feeds import serve_feeds, write_config  # noqa: E402

BIN = Path(sys.executable).parent


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    elapsed, _cpu, done = timed_cpu(command, env, cwd)
    return elapsed, done


def timed_cpu(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds, CPU seconds (the process and the workers it forked and waited for), the result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} ... failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, done


def bot_command(config: Path, database: str) -> list[str]:
    return [str(BIN / "discourse-bot"), "--config", str(config), "--database-url", database, "run", "--once"]


def bot_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCOURSE_BOT_"))}
    return {**env, "DISCOURSE_BOT_LOG_FORMAT": "json"}


def feed_texts(server_url: str, feeds: int) -> list[str]:
    """The texts the bot extracts from every item of every feed (title and summary, as `Document.full_text`)."""
    import httpx

    from bot.sources.parse import parse_feed

    texts = []
    with httpx.Client() as client:
        for n in range(feeds):
            body = client.get(f"{server_url}/feeds/{n}.xml").content
            texts += [d.full_text for d in parse_feed(body, f"feed-{n:04d}", f"{server_url}/feeds/{n}.xml")]
    return texts


def full_parse_seconds(model: str, texts: list[str], batch_size: int) -> tuple[float, float]:
    """Wall and CPU seconds of the model's full parse of texts on one core (every component, nlp.pipe in
    this process)."""
    import spacy

    nlp = spacy.load(model)
    list(nlp.pipe(texts[:200], batch_size=batch_size))  # warm-up: lazy tables, first allocations
    start, cpu = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - start, time.process_time() - cpu


def relevant_share(config_path: Path, texts: list[str]) -> float:
    """The share of texts the bot's gate lets through to the model (the rest cannot yield a fact)."""
    from bot.config import load_config
    from bot.extract import Extractor

    extractor = Extractor(load_config(config_path)).load()
    passed = sum(1 for text in texts if extractor.gate(extractor.nlp.make_doc(text)))
    return passed / max(len(texts), 1)


def install_urlwatch(folder: Path) -> Path | None:
    """urlwatch from PyPI in a venv of its own; its executable, or None (said why) when it cannot be had."""
    venv = folder / "urlwatch-venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "urlwatch"], check=True,
                       capture_output=True, text=True, timeout=600)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "stderr", "") or ""
        print(f"urlwatch could not be installed ({' '.join(str(detail).split())[-300:]}); its figures are left out")
        return None
    version = subprocess.run([str(venv / "bin" / "urlwatch"), "--version"], capture_output=True, text=True).stdout
    print(f"urlwatch installed from PyPI into {venv}: {version.strip()}")
    return venv / "bin" / "urlwatch"


def urlwatch_files(folder: Path, server_url: str, feeds: int) -> list[str]:
    """urls.yaml with one job per feed, a config with only the stdout reporter, and a cache file: the
    arguments that point urlwatch at them (and nothing in the user's home)."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = "\n---\n".join(f"name: feed-{n:04d}\nurl: {server_url}/feeds/{n}.xml" for n in range(feeds))
    (folder / "urls.yaml").write_text(jobs + "\n", encoding="utf-8")
    (folder / "urlwatch.yaml").write_text("report:\n  stdout:\n    enabled: true\n    color: false\n",
                                          encoding="utf-8")
    return ["--urls", str(folder / "urls.yaml"), "--config", str(folder / "urlwatch.yaml"),
            "--cache", str(folder / "cache.db"), "--hooks", str(folder / "hooks.py")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="all-304 polls of each program (default 3)")
    parser.add_argument("--no-urlwatch", action="store_true", help="leave urlwatch out")
    args = parser.parse_args()

    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    from bot.config import load_config

    with tempfile.TemporaryDirectory(prefix="bench-polling-") as tmp, serve_feeds(args.feeds, args.items) as server:
        folder = Path(tmp)
        config_path = write_config(folder / "config", server, args.feeds)
        settings = load_config(config_path).settings
        database = f"sqlite:///{folder}/bot.db"
        env = bot_env()
        items = args.feeds * args.items
        base_url = server.url("").rstrip("/")

        print(f"{args.feeds} feeds x {args.items} items on {base_url}; model {settings.model}, "
              f"batch_size {settings.batch_size}, n_process {settings.n_process}")
        first, first_cpu, done = timed_cpu(bot_command(config_path, database), env, folder)
        summary = next((line for line in done.stderr.splitlines() if "feed(s) polled" in line), "")
        rate = items / first
        print(f"first poll, `discourse-bot run --once` as a process: {first:.1f} s wall ({summary}); "
              f"{rate:.0f} items/s; {first_cpu:.1f} CPU s (with its extraction workers); "
              f"load average {os.getloadavg()[0]:.1f}")

        texts = feed_texts(base_url, args.feeds)
        parse, parse_cpu = full_parse_seconds(settings.model, texts, settings.batch_size)
        parse_rate = len(texts) / parse
        share = relevant_share(config_path, texts)
        print(f"full parse of the same {len(texts)} texts by {settings.model} on one core: {parse:.1f} s, "
              f"{parse_rate:.0f} items/s; {parse_cpu:.1f} CPU s; load average {os.getloadavg()[0]:.1f}")
        print(f"  ({100 * share:.0f}% of the items hold a watched actor or a casualty word and reach the bot's model)")
        print(f"ratio first-poll rate / full-parse rate: {rate / parse_rate:.2f} (goal >= 1.0: "
              f"{'met' if rate >= parse_rate else 'NOT met'})")

        urlwatch = None if args.no_urlwatch else install_urlwatch(folder)
        urlwatch_args = urlwatch_files(folder / "urlwatch", base_url, args.feeds) if urlwatch else []
        if urlwatch:
            seconds, _ = timed([str(urlwatch), *urlwatch_args], env, folder)  # its first run: stores the ETags
            print(f"urlwatch first run (untimed for the ratio): {seconds:.1f} s")
        bots, urlwatches = [], []
        for k in range(args.repeat):
            before = server.not_modified
            bots.append(timed(bot_command(config_path, database), env, folder)[0])
            answered = server.not_modified - before
            line = f"all-304 poll {k + 1}: discourse-bot {bots[-1]:.2f} s ({answered} answered 304)"
            if urlwatch:
                before = server.not_modified
                urlwatches.append(timed([str(urlwatch), *urlwatch_args], env, folder)[0])
                line += f", urlwatch {urlwatches[-1]:.2f} s ({server.not_modified - before} answered 304)"
            print(line + f"; load average {os.getloadavg()[0]:.1f}")
        bot = statistics.median(bots)
        print(f"second poll (all 304), median of {args.repeat}: discourse-bot {bot:.2f} s "
              f"(min {min(bots):.2f}, max {max(bots):.2f})")
        if urlwatches:
            other = statistics.median(urlwatches)
            print(f"second poll (all 304), median of {args.repeat}: urlwatch {other:.2f} s "
                  f"(min {min(urlwatches):.2f}, max {max(urlwatches):.2f})")
            print(f"ratio discourse-bot / urlwatch: {bot / other:.2f} (goal <= 1.0: {'met' if bot <= other else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
