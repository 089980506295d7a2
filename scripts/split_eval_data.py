"""Split newly labelled real-news items into train/test (positions, by URL) or dev/test (casualties, by attack).

Deterministic (a hash of the URL or of the attack's key), so re-running it on the same files gives the same split.
It prints counts only: the test part is never read while rules are written or models trained.

    python scripts/split_eval_data.py positions NEW.jsonl... --out tests/data/positions
    python scripts/split_eval_data.py casualties NEW.jsonl... --out tests/data/casualties
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit


def bucket(key: str) -> float:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF


def page(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().rstrip(".").removeprefix("www.")
    return host + parts.path.rstrip("/")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["positions", "casualties"])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--out", required=True)
    parser.add_argument("--test-share", type=float, default=0.5)
    args = parser.parse_args()
    rows = [json.loads(line) for f in args.files for line in Path(f).read_text(encoding="utf-8").splitlines() if line.strip()]
    first, second = ("train", "test") if args.kind == "positions" else ("dev", "test")
    parts: dict[str, list[dict]] = {first: [], second: []}
    for row in rows:
        if args.kind == "positions":
            key = page(row["url"])
        else:
            key = row["event"] if row["event"] != "none" else "none:" + row["id"]
        parts[second if bucket(key) < args.test_share else first].append(row)
    out = Path(args.out)
    for name, items in parts.items():
        if args.kind == "casualties":
            items.sort(key=lambda r: (r["published"], r["id"]))
        path = out / f"news_{name}_new.jsonl" if args.kind == "casualties" and name == "dev" else out / f"news_{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items), encoding="utf-8")
        if args.kind == "positions":
            tiers = collections.Counter(r["tier"] for r in items)
            print(f"{path}: {len(items)} items, " + ", ".join(f"{t} {n}" for t, n in sorted(tiers.items())))
        else:
            attacks = {r["event"] for r in items if r["event"] != "none"}
            negatives = sum(r["event"] == "none" for r in items)
            print(f"{path}: {len(items)} reports, {len(attacks)} attacks, {negatives} negatives")


if __name__ == "__main__":
    main()
