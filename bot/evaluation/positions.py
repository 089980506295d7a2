"""Position extraction quality.

- `evaluate_positions`: precision and recall of (actor, kind, subject, requirements) tuples on a labelled YAML
  set (tests/data/positions_labelled.yaml), plus flag accuracy. Two scores:
  * strict: the extracted tuple equals the labelled one exactly;
  * lenient: actor and kind equal; a topic id matches only the same topic id; a free-text phrase matches another
    free-text phrase when their content lemmas overlap (lemmatised by the extractor's own model, stopwords and
    punctuation dropped; two lemmas agree when equal or forms of one word, "withdraw" / "withdrawal",
    "respond" / "response"), i.e. at least half of the shorter phrase's content lemmas are shared; requirement
    sets match one-to-one. Labels written blind name the same thing in other words ("end of army bombing" vs "army stop
    bomb darfur"); the lenient score shows whether the position was found at all, the strict one whether its
    naming is the canonical one.
- `evaluate_condition_detection`: on real statements (the evaluation set's positions/dev.jsonl), does extraction find
  a stated condition where there is one, stay silent where there is none, and name the speaker's actor?
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.config import Config, load_config
from bot.evaluation import ratio

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
    lenient_true_positives: int = 0          # strict matches plus tuples matched by content lemmas
    lenient_misses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def lenient_false_positives(self) -> int:
        return self.true_positives + self.false_positives - self.lenient_true_positives

    @property
    def lenient_false_negatives(self) -> int:
        return self.true_positives + self.false_negatives - self.lenient_true_positives

    @property
    def lenient_precision(self) -> float:
        found = self.true_positives + self.false_positives
        return ratio(self.lenient_true_positives, found, 1.0)

    @property
    def lenient_recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return ratio(self.lenient_true_positives, expected, 1.0)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return ratio(self.true_positives, found, 1.0)

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return ratio(self.true_positives, expected, 1.0)

    @property
    def flag_accuracy(self) -> float:
        return ratio(self.flags_right, self.flags_total, 1.0)

    def report(self, limit: int = 40) -> str:
        lines = [
            f"positions: {self.cases} sentences, {self.true_positives + self.false_negatives} labelled tuples",
            f"  precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"(tp {self.true_positives}, fp {self.false_positives}, fn {self.false_negatives})",
            f"  lenient precision {self.lenient_precision:.3f}  recall {self.lenient_recall:.3f}  "
            f"(tp {self.lenient_true_positives}, fp {self.lenient_false_positives}, fn {self.lenient_false_negatives}; "
            f"phrases match on shared content lemmas, topic ids exactly)",
            f"  flags right on matched tuples: {self.flag_accuracy:.3f} ({self.flags_right}/{self.flags_total})",
        ]
        if self.lenient_misses:
            lines.append(f"  missed even leniently ({len(self.lenient_misses)}):")
            lines += [f"    {case}: {what}" for case, what in self.lenient_misses[:limit]]
        if self.misses:
            lines.append(f"  missed ({len(self.misses)}):")
            lines += [f"    {case}: {what}" for case, what in self.misses[:limit]]
        if self.extras:
            lines.append(f"  extra ({len(self.extras)}):")
            lines += [f"    {case}: {what}" for case, what in self.extras[:limit]]
        return "\n".join(lines)


HALVES = ("dev", "test")


def load_labelled(path: str | Path, half: str | None = None) -> tuple[Config, list[dict[str, Any]]]:
    """The labelled cases and the config they are written for (`config:` relative to the file).

    `half` splits a set by case order: "dev" is the 1st, 3rd, 5th … case (look at its misses freely), "test" the
    2nd, 4th … (look only at its aggregate score, so that it keeps measuring prose the rules were not shaped on).
    """
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    config = load_config(path.parent / data.get("config", "eval-config"))
    cases = data["cases"]
    for n, case in enumerate(cases, 1):
        case.setdefault("id", f"case{n}")
    if half is not None:
        if half not in HALVES:
            raise ValueError(f"half must be one of {HALVES}, not {half!r}")
        cases = cases[0::2] if half == "dev" else cases[1::2]
    return config, cases


def evaluate_positions(extractor_factory: Callable[[Config], "Extractor"] | "Extractor",
                       labelled_yaml: str | Path, half: str | None = None) -> PositionsResult:
    """Score extraction on the labelled set. Pass `Extractor` (a factory taking the set's config) or a built one.

    With `half` ("dev" / "test") only that half of the cases is scored (see `load_labelled`); for the "test" half
    the report lists no individual misses or extras, only the figures.
    """
    config, cases = load_labelled(labelled_yaml, half)
    from bot.extract import Extractor

    extractor = extractor_factory if isinstance(extractor_factory, Extractor) else extractor_factory(config)
    lemmas = LenientMatcher(extractor.nlp, {t.id for t in config.topics})
    result = PositionsResult(cases=len(cases))
    for case in cases:
        facts = extractor.extract_text(case["text"], published=_date(case.get("published")), id=case["id"])
        got: dict[Key, Position] = {}
        for p in facts.positions:
            # These sets were labelled before requirements had a direction: compare requirements by topic.
            got.setdefault(_key(p.actor, p.kind, p.subject, [r.topic for r in p.requires]), p)
        expected = [(_key(e["actor"], e["kind"], e["subject"], e.get("requires")), e) for e in case.get("expect") or []]
        remaining = dict(got)
        unmatched: list[Key] = []
        for key, exp in expected:
            position = remaining.pop(key, None)
            if position is None:
                result.false_negatives += 1
                result.misses.append((case["id"], _show(key)))
                unmatched.append(key)
                continue
            result.true_positives += 1
            result.lenient_true_positives += 1
            flags = set(exp.get("flags") or ())
            for flag in FLAGS:
                result.flags_total += 1
                result.flags_right += int(getattr(position, flag) == (flag in flags))
        for key in remaining:
            result.false_positives += 1
            result.extras.append((case["id"], _show(key)))
        loose = list(remaining)
        for key in unmatched:
            match = next((other for other in loose if lemmas.tuples_match(key, other)), None)
            if match is None:
                result.lenient_misses.append((case["id"], _show(key)))
                continue
            loose.remove(match)
            result.lenient_true_positives += 1
    if half == "test":
        result.misses, result.extras, result.lenient_misses = [], [], []
    return result


class LenientMatcher:
    """Lenient phrase matching: content lemmas from the extractor's own tagger and lemmatizer, cached."""

    def __init__(self, nlp: Any, topic_ids: set[str]) -> None:
        self._steps = [proc for name, proc in nlp.pipeline
                       if name in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")]
        self._nlp = nlp
        self._topic_ids = topic_ids
        self._cache: dict[str, frozenset[str]] = {}

    def of(self, phrase: str) -> frozenset[str]:
        if phrase not in self._cache:
            doc = self._nlp.make_doc(phrase.replace("_", " "))
            for proc in self._steps:
                doc = proc(doc)
            self._cache[phrase] = frozenset(t.lemma_.lower() for t in doc
                                            if not (t.is_stop or t.is_punct or t.is_space or t.like_num))
        return self._cache[phrase]

    def phrases_match(self, a: str, b: str) -> bool:
        if a == b:
            return True
        if a in self._topic_ids or b in self._topic_ids:
            return False
        left, right = self.of(a), self.of(b)
        if not left or not right:
            return False
        small, large = (left, right) if len(left) <= len(right) else (right, left)
        shared = sum(1 for w in small if any(_same_word(w, v) for v in large))
        return shared * 2 >= len(small)

    def tuples_match(self, expected: Key, got: Key) -> bool:
        if expected[:2] != got[:2] or not self.phrases_match(expected[2], got[2]):
            return False
        wanted, found = sorted(expected[3]), sorted(got[3])
        if len(wanted) != len(found):
            return False
        return any(all(self.phrases_match(w, f) for w, f in zip(wanted, order))
                   for order in itertools.permutations(found))


def _same_word(a: str, b: str) -> bool:
    """Equal lemmas, or forms of one word: they share a prefix of at least 4 letters that leaves at most 2 letters
    of the shorter one ("withdraw" / "withdrawal", "respond" / "response", "suspend" / "suspension")."""
    if a == b:
        return True
    shared = len(os.path.commonprefix([a, b]))
    return shared >= max(4, min(len(a), len(b)) - 2)


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
        return ratio(self.true_positives, n, 1.0)

    @property
    def precision(self) -> float:
        n = self.true_positives + self.false_positives
        return ratio(self.true_positives, n, 1.0)

    @property
    def actor_accuracy(self) -> float:
        return ratio(self.actor_right, self.actor_total, 1.0)

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
