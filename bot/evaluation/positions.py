"""Position extraction quality.

- `evaluate_positions`: precision and recall of (actor, kind, subject, requirements) tuples on a labelled YAML
  set (tests/data/positions_labelled.yaml), plus flag accuracy.
- `evaluate_condition_detection`: on real statements (../shared/eval/positions/dev.jsonl), does extraction find
  a stated condition where there is one, stay silent where there is none, and name the speaker's actor?
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.config import Config, load_config

if TYPE_CHECKING:
    from bot.extract import Extractor
    from bot.extract.facts import Position

Key = tuple[str, str, str, frozenset[str]]
FLAGS = ("negated", "hedged", "hypothetical", "reported")


def _key(actor: str, kind: str, subject: str, requires: Any) -> Key:
    return (actor, kind, subject, frozenset(requires or ()))


def _show(key: Key) -> str:
    actor, kind, subject, requires = key
    return f"{actor} {kind} {subject}" + (f" requires [{', '.join(sorted(requires))}]" if requires else "")


@dataclass
class PositionsResult:
    """Tuple-level scores on a labelled set, with what was missed and what was extra, per case."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    cases: int = 0
    flags_right: int = 0
    flags_total: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)    # (case id, expected tuple)
    extras: list[tuple[str, str]] = field(default_factory=list)    # (case id, extracted tuple)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def flag_accuracy(self) -> float:
        return self.flags_right / self.flags_total if self.flags_total else 1.0

    def report(self, limit: int = 40) -> str:
        lines = [
            f"positions: {self.cases} sentences, {self.true_positives + self.false_negatives} labelled tuples",
            f"  precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"(tp {self.true_positives}, fp {self.false_positives}, fn {self.false_negatives})",
            f"  flags right on matched tuples: {self.flag_accuracy:.3f} ({self.flags_right}/{self.flags_total})",
        ]
        if self.misses:
            lines.append(f"  missed ({len(self.misses)}):")
            lines += [f"    {case}: {what}" for case, what in self.misses[:limit]]
        if self.extras:
            lines.append(f"  extra ({len(self.extras)}):")
            lines += [f"    {case}: {what}" for case, what in self.extras[:limit]]
        return "\n".join(lines)


def load_labelled(path: str | Path) -> tuple[Config, list[dict[str, Any]]]:
    """The labelled cases and the config they are written for (`config:` relative to the file)."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    config = load_config(path.parent / data.get("config", "eval-config"))
    cases = data["cases"]
    for n, case in enumerate(cases, 1):
        case.setdefault("id", f"case{n}")
    return config, cases


def evaluate_positions(extractor_factory: Callable[[Config], "Extractor"] | "Extractor",
                       labelled_yaml: str | Path) -> PositionsResult:
    """Score extraction on the labelled set. Pass `Extractor` (a factory taking the set's config) or a built one."""
    config, cases = load_labelled(labelled_yaml)
    from bot.extract import Extractor

    extractor = extractor_factory if isinstance(extractor_factory, Extractor) else extractor_factory(config)
    result = PositionsResult(cases=len(cases))
    for case in cases:
        facts = extractor.extract_text(case["text"], published=_date(case.get("published")), id=case["id"])
        got: dict[Key, Position] = {}
        for p in facts.positions:
            got.setdefault(_key(p.actor, p.kind, p.subject, p.requires), p)
        expected = [(_key(e["actor"], e["kind"], e["subject"], e.get("requires")), e) for e in case.get("expect") or []]
        remaining = dict(got)
        for key, exp in expected:
            position = remaining.pop(key, None)
            if position is None:
                result.false_negatives += 1
                result.misses.append((case["id"], _show(key)))
                continue
            result.true_positives += 1
            flags = set(exp.get("flags") or ())
            for flag in FLAGS:
                result.flags_total += 1
                result.flags_right += int(getattr(position, flag) == (flag in flags))
        for key in remaining:
            result.false_positives += 1
            result.extras.append((case["id"], _show(key)))
    return result


# -- condition detection on real statements -------------------------------------------------------------------


@dataclass
class DetectionResult:
    """has_condition recall/precision and actor accuracy; borderline rows counted apart."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0
    actor_right: int = 0
    actor_total: int = 0
    borderline_found: int = 0
    borderline_total: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    wrong_actor: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        n = self.true_positives + self.false_negatives
        return self.true_positives / n if n else 1.0

    @property
    def precision(self) -> float:
        n = self.true_positives + self.false_positives
        return self.true_positives / n if n else 1.0

    @property
    def actor_accuracy(self) -> float:
        return self.actor_right / self.actor_total if self.actor_total else 1.0

    def report(self) -> str:
        return "\n".join([
            f"condition detection: {self.true_positives + self.false_negatives} clear conditions, "
            f"{self.true_negatives + self.false_positives} negatives, {self.borderline_total} borderline (apart)",
            f"  recall {self.recall:.3f}  precision {self.precision:.3f}  "
            f"(tp {self.true_positives}, fp {self.false_positives}, fn {self.false_negatives}, tn {self.true_negatives})",
            f"  actor accuracy on found conditions: {self.actor_accuracy:.3f} ({self.actor_right}/{self.actor_total})",
            f"  borderline found: {self.borderline_found}/{self.borderline_total}",
            f"  missed: {', '.join(self.missed) or '-'}",
            f"  false alarms: {', '.join(self.false_alarms) or '-'}",
            f"  wrong actor: {', '.join(self.wrong_actor) or '-'}",
        ])


def statement_text(row: dict[str, Any]) -> str:
    """A statement as news prose: the speaker (name and role, as the row gives them) said the quoted words."""
    speaker = re.sub(r"\s*\([^)]*\)", "", row.get("speaker", "")).strip().rstrip(",")
    return f"{speaker} said: “{row['text']}”" if speaker else row["text"]


def _actor_ids(config: Config, label: str) -> set[str]:
    names = {n.strip() for n in re.sub(r"\([^)]*\)", "", label).split(";")}
    ids = set()
    for actor in config.actors:
        if {actor.name, *actor.aliases} & names:
            ids.add(actor.id)
    return ids


def evaluate_condition_detection(extractor: "Extractor", jsonl_path: str | Path) -> DetectionResult:
    """Run each statement through extraction; a row "has a condition" when a position with requirements is found.

    The extractor should be built on a config with the statements' actors (tests/data/eval-config).
    """
    result = DetectionResult()
    rows = [json.loads(line) for line in Path(jsonl_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        facts = extractor.extract_text(statement_text(row), published=_date(row.get("date")), id=row["id"])
        conditions = [p for p in facts.positions if p.requires and not p.negated]
        found = bool(conditions)
        if row.get("confidence") == "borderline":
            result.borderline_total += 1
            result.borderline_found += int(found)
            continue
        if row["has_condition"]:
            if found:
                result.true_positives += 1
                expected = _actor_ids(extractor.config, row.get("actor", ""))
                result.actor_total += 1
                if conditions[0].actor in expected:
                    result.actor_right += 1
                else:
                    result.wrong_actor.append(f"{row['id']}({conditions[0].actor})")
            else:
                result.false_negatives += 1
                result.missed.append(row["id"])
        else:
            if found:
                result.false_positives += 1
                result.false_alarms.append(row["id"])
            else:
                result.true_negatives += 1
    return result


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    parts = [int(p) for p in re.findall(r"\d+", str(value))[:3]]
    if not parts:
        return None
    while len(parts) < 3:
        parts.append(1)
    try:
        return dt.date(*parts)
    except ValueError:
        return None
