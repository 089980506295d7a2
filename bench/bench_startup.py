"""Start-up: `discourse-bot extract` of one sentence as a whole process, against loading the spaCy model alone.

    .venv/bin/python bench/bench_startup.py [--runs 5]

Both are measured as fresh processes in the same run, alternately, and the medians compared, by the wall clock
and by the processor time the process used (user + system: much less disturbed by other work on the machine). The model load is
`python -c "import spacy; spacy.load(MODEL)"`; the command is the real CLI with the repository's config reading
one sentence from standard input (it builds the whole pipeline: model, actor ruler, positions, casualties with
the gazetteer). A first, untimed run of each makes sure the gazetteer index is in its cache folder, as it is
after `make install`. Goal: the command within 1.5 times the model load.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, machine  # noqa: E402

SENTENCE = "Russian missiles hit Kharkiv on Sunday, killing three people and wounding 12, the governor said.\n"
BIN = Path(sys.executable).parent


def timed(command: list[str], stdin: str = "") -> tuple[float, float]:
    """Wall-clock seconds and processor seconds (user + system) of one run of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, cwd=REPO)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.strip()[-500:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from bot.config import load_config

    model = load_config(REPO / "config").settings.model
    load_model = [sys.executable, "-c", f"import spacy; spacy.load({model!r})"]
    extract = [str(BIN / "discourse-bot"), "--config", str(REPO / "config"), "extract", "-"]
    timed(load_model)
    timed(extract, SENTENCE)                       # warm: the gazetteer index is built and cached once
    loads, starts = [], []
    for _ in range(args.runs):
        loads.append(timed(load_model))
        starts.append(timed(extract, SENTENCE))
    print(machine())
    for i, clock in enumerate(("wall clock", "processor time")):
        load = statistics.median(t[i] for t in loads)
        start = statistics.median(t[i] for t in starts)
        print(f"{clock}: model load ({model}) as a process: median {load:.2f} s over {args.runs} runs "
              f"(min {min(t[i] for t in loads):.2f}, max {max(t[i] for t in loads):.2f}); "
              f"`discourse-bot extract -` of one sentence: median {start:.2f} s "
              f"(min {min(t[i] for t in starts):.2f}, max {max(t[i] for t in starts):.2f})")
        print(f"{clock}: ratio start-up / model load: {start / load:.2f} (goal <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
