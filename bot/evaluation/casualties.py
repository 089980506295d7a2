"""Casualty extraction quality on a labelled CSV (`id, text, killed, injured, ...`).

A row is right for `killed` when one of the reports extracted from its text carries the labelled figure (as its
toll, or as the victims it tells on top of an earlier one: "9 more killed"); the same for `injured` where the row
has a figure. An `injured` label of 0 is met when no report states an injured
figure (the sources record 0 where the text says nothing) or one states 0. Misses are grouped by cause, so a
regression shows which part of the language it hit.

    python -m bot.evaluation.casualties EVAL_DIR/casualties/dev.csv [--config config/]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

from bot.evaluation import ratio
from bot.extract.facts import CasualtyReport
from bot.extract.gazetteer import Gazetteer
from bot.extract.numbers import QUALIFIERS, parse_cardinal, spell

if TYPE_CHECKING:
    from bot.extract import Extractor

ExtractTexts = Callable[[Sequence[str]], Sequence[Sequence[CasualtyReport]]]
CAUSES = ("number words", "at least", "sums", "several events", "no report", "other")
_VAGUE = ("dozens", "scores", "hundreds", "several", "many")


@dataclass(frozen=True)
class Miss:
    id: str
    field: str          # "killed" or "injured"
    expected: int
    found: tuple[int | None, ...]
    cause: str
    text: str


@dataclass
class CasualtiesResult:
    rows: int = 0
    killed_right: int = 0
    injured_right: int = 0
    injured_rows: int = 0
    rows_without_report: int = 0
    country_right: int = 0
    country_rows: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def country_accuracy(self) -> float:
        return ratio(self.country_right, self.country_rows)

    @property
    def killed_accuracy(self) -> float:
        return ratio(self.killed_right, self.rows)

    @property
    def injured_accuracy(self) -> float:
        return ratio(self.injured_right, self.injured_rows)

    @property
    def no_report_share(self) -> float:
        return ratio(self.rows_without_report, self.rows)

    def misses_by_cause(self) -> dict[str, list[Miss]]:
        grouped: dict[str, list[Miss]] = {cause: [] for cause in CAUSES}
        for miss in self.misses:
            grouped[miss.cause].append(miss)
        return grouped

    def report(self, examples: int = 3) -> str:
        lines = [
            f"casualties: {self.rows} rows",
            f"  killed exact match   {self.killed_accuracy:.3f} ({self.killed_right}/{self.rows})",
            f"  injured exact match  {self.injured_accuracy:.3f} ({self.injured_right}/{self.injured_rows} labelled)",
            f"  no casualty found    {self.no_report_share:.3f} ({self.rows_without_report}/{self.rows})",
            f"  country of a report  {self.country_accuracy:.3f} ({self.country_right}/{self.country_rows} "
            f"rows whose country the gazetteer knows)",
            "  misses by cause:",
        ]
        counts = Counter(m.cause for m in self.misses)
        for cause, misses in self.misses_by_cause().items():
            lines.append(f"    {cause:<15} {counts[cause]}")
            for miss in misses[:examples]:
                found = ", ".join("-" if f is None else str(f) for f in miss.found) or "nothing"
                lines.append(f"      {miss.id} {miss.field}: expected {miss.expected}, found {found}"
                             f" | {_short(miss.text)}")
        return "\n".join(lines)


def evaluate_casualties(extract_texts: ExtractTexts, csv_path: str | Path) -> CasualtiesResult:
    """Run `extract_texts` over the CSV's texts (in one batch) and score the figures it finds."""
    with Path(csv_path).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    extracted = extract_texts([row["text"] for row in rows])
    result = CasualtiesResult(rows=len(rows))
    gazetteer = Gazetteer()
    for row, reports in zip(rows, extracted, strict=True):
        reports = list(reports)
        country = _country_code(gazetteer, row.get("country") or "")
        if country:
            result.country_rows += 1
            result.country_right += any(r.country == country for r in reports)
        if not reports:
            result.rows_without_report += 1
        killed = int(row["killed"])
        if any(_stated(r, "killed") == killed for r in reports):
            result.killed_right += 1
        else:
            result.misses.append(_miss(row, "killed", killed, reports))
        if (row.get("injured") or "").strip():
            injured = int(row["injured"])
            result.injured_rows += 1
            right = any(_stated(r, "injured") == injured for r in reports) or (
                injured == 0 and all(_stated(r, "injured") is None for r in reports))
            if right:
                result.injured_right += 1
            else:
                result.misses.append(_miss(row, "injured", injured, reports))
    return result


def _stated(report: CasualtyReport, name: str) -> int | None:
    """The figure a report states: its toll, else the victims it adds to an earlier one."""
    value: int | None = getattr(report, name)
    if value is None:
        value = getattr(report, f"{name}_added")
    return value


def _country_code(gazetteer: Gazetteer, label: str) -> str | None:
    """ISO code of a label such as "Serbia (Yugoslavia)" or "Kashkal area, Peshawar, Pakistan"."""
    for part in [label.split("(")[0], *reversed(label.replace("(", ",").replace(")", "").split(","))]:
        place = gazetteer.country(part.strip())
        if place is not None:
            return place.country
    return None


def extractor_texts(extractor: "Extractor") -> ExtractTexts:
    """Adapt the project's `Extractor` to `extract_texts`."""
    from bot.sources.document import Document

    def run(texts: Sequence[str]) -> list[list[CasualtyReport]]:
        documents = [Document(id=f"row-{i}", text=text) for i, text in enumerate(texts)]
        return [list(facts.casualties) for facts in extractor.extract(documents)]

    return run


def _miss(row: dict[str, str], name: str, expected: int, reports: list[CasualtyReport]) -> Miss:
    found = tuple(_stated(r, name) for r in reports)
    return Miss(row["id"], name, expected, found, _cause(row["text"], expected, reports), row["text"])


def _cause(text: str, expected: int, reports: list[CasualtyReport]) -> str:
    """Why a figure was missed, judged from the text: the first of CAUSES that applies."""
    lower = " ".join(text.lower().split())
    digits = re.search(rf"(?<![\d,.]){expected:,}(?![\d,])|(?<![\d,.]){expected}(?![\d,])", lower)
    flat = lower.replace("-", " ")
    words = expected < 1_000_000 and re.search(rf"\b{re.escape(spell(expected).replace('-', ' '))}\b", flat)
    if not reports:
        return "no report"
    if not digits and not words:
        # not written as such: a sum of stated parts, or a label the text does not support
        return "sums" if _sums_to(expected, _numbers_in(lower)) else "other"
    if words and not digits:
        return "number words"
    qualifiers = "|".join(re.escape(" ".join(q)) for q in QUALIFIERS)
    if re.search(rf"\b(?:{qualifiers})\s+(?:{expected}|{re.escape(spell(expected))})\b", lower) \
            or any(v in lower for v in _VAGUE):
        return "at least"
    if len(reports) > 1 or len({r.killed for r in reports}) > 1:
        return "several events"
    return "other"


def _numbers_in(text: str) -> list[int]:
    """The counts written in a text, in digits or words ("three citizens and their driver" gives 3 and a 1)."""
    numbers = [int(m.replace(",", "")) for m in re.findall(r"(?<![\d.])\d{1,3}(?:,\d{3})+|(?<![\d.,])\d+", text)]
    for word in re.findall(r"[a-z]+(?:-[a-z]+)?", text):
        value = parse_cardinal([word]) if word not in ("a", "an", "no") else None
        if value is not None:
            numbers.append(value)
    singles = len(re.findall(r"(?:\band|,)\s+(?:a|an|his|her|their)\s+[a-z]+", text))
    return numbers + [1] * min(singles, 3)


def _sums_to(expected: int, numbers: list[int]) -> bool:
    values = [n for n in numbers if 0 < n < expected][:12]
    return any(sum(c) == expected for size in (2, 3) for c in combinations(values, size))


def _short(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Casualty extraction accuracy on a labelled CSV.")
    parser.add_argument("csv_path", type=Path)
    parser.add_argument("--config", type=Path, default=Path("config"))
    args = parser.parse_args(argv)
    if not args.csv_path.is_file():
        print(f"error: {args.csv_path} not found", file=sys.stderr)
        return 2
    from bot.config import load_config
    from bot.extract import Extractor

    result = evaluate_casualties(extractor_texts(Extractor(load_config(args.config))), args.csv_path)
    print(result.report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
