"""The bot's parse_feed over feedparser's own test feeds: crashes (anything but SourceError), slow files, outcomes.

    scripts/feedparser-corpus.sh          # downloads feedparser's sdist into bench/.cache/ once, then runs this
    .venv/bin/python bench/bench_feedparser_corpus.py [PATH_TO_FEEDPARSER_TESTS]

Without a path it uses the cached copy in bench/.cache/feedparser/, and skips (exit 0) when there is none.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from bot.errors import SourceError
from bot.sources.parse import parse_feed

SUFFIXES = {".xml", ".rss", ".atom", ".rdf", ".json", ".html", ".gz", ".z"}


CACHE = Path(__file__).resolve().parent / ".cache" / "feedparser"


def main() -> None:
    if len(sys.argv) > 1:
        root = Path(sys.argv[1])
        if not root.is_dir():
            raise SystemExit(__doc__)
    else:
        cached = sorted(CACHE.glob("feedparser-*/tests"))
        if not cached:
            print("feedparser corpus: skipped (run scripts/feedparser-corpus.sh once to download it)")
            return
        root = cached[-1]
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    outcomes: Counter[str] = Counter()
    crashes: list[tuple[Path, str]] = []
    slow: list[tuple[float, Path]] = []
    documents = 0
    started = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        start = time.perf_counter()
        try:
            documents += len(parse_feed(data, feed_name=path.stem, base_url=f"http://127.0.0.1/{path.name}"))
            outcomes["parsed"] += 1
        except SourceError as exc:
            outcomes["refused: " + str(exc).split(":")[0]] += 1
        except Exception as exc:  # the point of this script: anything else is a crash of the bot's parser
            crashes.append((path, f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"))
        seconds = time.perf_counter() - start
        if seconds > 0.5:
            slow.append((seconds, path))
    total = time.perf_counter() - started
    print(f"{len(files)} files in {total:.1f} s, {documents} documents")
    for outcome, count in outcomes.most_common():
        print(f"  {count:>5}  {outcome}")
    print(f"crashes (exceptions other than SourceError): {len(crashes)}")
    for path, error in crashes[:50]:
        print(f"  {path.relative_to(root)}: {error}")
    for seconds, path in sorted(slow, reverse=True)[:10]:
        print(f"  slow: {seconds:.2f} s {path.relative_to(root)}")


if __name__ == "__main__":
    main()
