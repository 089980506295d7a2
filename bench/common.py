"""Shared helpers for the benchmarks: the machine, memory readings, realistic texts, a loopback feed server.

Benchmarks print figures; they assert nothing about time. Run them from the repository root:
`.venv/bin/python bench/bench_nlp.py` (or `make bench`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# beside the repository (/work/main → /work/shared), or two levels up from a worktree (/work/wt/NAME)
SHARED_EVAL = next((p / "shared" / "eval" for p in (REPO.parent, REPO.parent.parent) if (p / "shared" / "eval").is_dir()),
                   REPO.parent / "shared" / "eval")
if str(REPO) not in sys.path:  # the loopback servers live with the hardness tests
    sys.path.insert(0, str(REPO))

from bot.sources.document import Document  # noqa: E402
from bot.sources.parse import read_path  # noqa: E402


def machine() -> str:
    """nproc, CPU model, memory and Python: the line every benchmark prints first."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, IndexError, ValueError):
        pass
    return f"{os.cpu_count()} core(s) (nproc {len(os.sched_getaffinity(0))}), {cpu}{memory}, Python {platform.python_version()}"


def _status(field: str) -> float:
    """A VmRSS / VmHWM reading of this process in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb() -> float:
    return _status("VmRSS")


def peak_rss_mb() -> float:
    return _status("VmHWM")


def news_texts() -> list[tuple[str, str]]:
    """(title, text) of realistic news prose: the casualty and position evaluation sets and the seed article."""
    texts: list[tuple[str, str]] = []
    casualties = SHARED_EVAL / "casualties" / "dev.csv"
    positions = SHARED_EVAL / "positions" / "dev.jsonl"
    if casualties.is_file():
        with casualties.open(newline="", encoding="utf-8") as handle:
            texts += [("", row["text"]) for row in csv.DictReader(handle) if row.get("text")]
    if positions.is_file():
        for line in positions.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(("", json.loads(line)["text"]))
    for doc in read_path(str(REPO / "seeds" / "sample-article.txt")):
        texts.append((doc.title, doc.text))
    if len(texts) < 2:
        raise SystemExit(f"evaluation texts not found under {SHARED_EVAL}")
    return texts


def news_documents(count: int) -> list[Document]:
    """`count` documents cycling through news_texts(), each with its own id and a publication date."""
    texts = news_texts()
    published = dt.datetime(2025, 4, 15, tzinfo=dt.timezone.utc)
    return [Document(id=f"bench-{i}", title=texts[i % len(texts)][0], text=texts[i % len(texts)][1],
                     published=published, url=f"https://bench.example.org/{i}", source="bench.example.org")
            for i in range(count)]
