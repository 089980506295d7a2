"""Every fact the bot extracts from the repository's and the shared evaluation texts, as JSON lines: diff two
dumps to check that a speed change leaves the output unchanged.

    .venv/bin/python bench/dump_facts.py OUT.jsonl [--tokens] [--processes N] [--batch-size N]

--tokens adds, per document, a digest of every token's annotation (tag, pos, morph, lemma, dep, head,
entity, sentence start), taken from one pass of the bot's pipeline in this process.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, SHARED_EVAL  # noqa: E402

from bot.config import load_config  # noqa: E402
from bot.sources.document import Document  # noqa: E402


def documents() -> list[Document]:
    """Each text once, with its own publication date when the data gives one."""
    default = dt.datetime(2025, 4, 15, tzinfo=dt.timezone.utc)
    rows: list[tuple[str, str, str, str]] = []   # (id, title, text, published)
    paths = sorted((REPO / "tests" / "data").glob("*/*.jsonl")) + sorted(SHARED_EVAL.glob("*/*.jsonl"))
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                row = json.loads(line)
                rows.append((f"{path.parent.name}/{path.stem}/{n}", row.get("title") or "", row["text"],
                             str(row.get("published") or row.get("date") or "")))
    for path in sorted(SHARED_EVAL.glob("*/*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows += [(f"{path.parent.name}/{path.stem}/{row['id']}", "", row["text"], "")
                     for row in csv.DictReader(handle) if row.get("text")]
    docs = []
    for id, title, text, published in rows:
        try:
            day = dt.datetime.fromisoformat(published[:10]).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            day = default
        docs.append(Document(id=id, title=title, text=text, published=day, url=f"https://dump.example.org/{id}",
                             source="dump.example.org"))
    return docs


def token_digest(doc) -> str:  # type: ignore[no-untyped-def]
    rows = [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_,
             t.is_sent_start) for t in doc]
    spans = sorted((key, [(s.start, s.end, s.label_) for s in group]) for key, group in doc.spans.items())
    return hashlib.sha1(repr((rows, spans)).encode()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--tokens", action="store_true")
    parser.add_argument("--processes", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=None)
    args = parser.parse_args()
    config = load_config(str(REPO / "config"))
    update = {k: v for k, v in (("n_process", args.processes), ("batch_size", args.batch_size)) if v}
    if update:
        config = config.model_copy(update={"settings": config.settings.model_copy(update=update)})

    from bot.extract import Extractor

    extractor = Extractor(config)
    docs = documents()
    digests: dict[str, str] = {}
    if args.tokens:
        made = [extractor._make_doc(d) for d in docs]
        kept = [doc for doc in made if extractor.gate(doc)]
        for doc in extractor.nlp.pipe(kept, batch_size=config.settings.batch_size):
            digests[doc._.document_id] = token_digest(doc)
    with open(args.out, "w", encoding="utf-8") as out:
        for document, facts in zip(docs, extractor.extract(docs)):
            row = {"id": document.id, "positions": [p.to_json() for p in facts.positions],
                   "casualties": [c.to_json() for c in facts.casualties]}
            if args.tokens:
                row["tokens"] = digests.get(document.id)
            out.write(json.dumps(row, sort_keys=True) + "\n")
    extractor.close()
    print(f"{len(docs)} documents written to {args.out}")


if __name__ == "__main__":
    main()
