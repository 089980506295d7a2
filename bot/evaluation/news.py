"""Stated conditions on real news excerpts (tests/data/positions/news_*.jsonl), per split.

Each item is a short excerpt of news prose with its tier: `core` (a watched actor states that X requires Y),
`stretch` (demands, refusals, offers, threats, negated or second-hand conditions) or `none` (hard negatives).
The figures:

- core conditions found whole: core items where a found position matches one of the item's expected
  conditions by `matches` (the matcher the project is judged with);
- a condition by the right actor: core items with any found condition by one of the expected actors;
- stretch found: stretch items where a found position matches an expected entry of the same kind;
- false conditions on negatives: `none` items with any found position of kind condition;
- per-field accuracy where a position is found: each expected entry of a core or stretch item that has any found
  position is paired with the found position that agrees with it most (actor first, then kind, subject,
  requirement); actor, subject, requirement, direction and negation are scored on that pair.

Splits are evaluated alike; for the held-out ones (`test`, `test2`) the report prints figures only, never an item.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.evaluation import ratio

if TYPE_CHECKING:
    from bot.extract import Extractor
    from bot.extract.facts import Position, Requirement
    from bot.sources.document import Document

STOP = frozenset("the a an of to for and or in on with from by any all its their our this that be is are will would "
                 "must".split())
HELD_OUT = frozenset({"test", "test2", "val6"})   # never read: figures only (val6: round eleven's blind check)


def words(text: str) -> set[str]:
    """Content words of a label: lowercase letters-only tokens longer than 3 letters, "_" read as a space."""
    return {w for w in re.findall(r"[a-z]+", text.lower().replace("_", " ")) if len(w) > 3 and w not in STOP}


def same(value: str, wanted: Sequence[str]) -> bool:
    """A name matches a list of acceptable names: one of them exactly, or a content word shared with one that is
    not a topic id (a name holding "_" matches only exactly)."""
    return value in wanted or any("_" not in w and words(w) & words(value) for w in wanted)


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def requirement_matches(requirement: "Requirement", expected: dict[str, Any]) -> bool:
    """A found requirement is one of the expected ones: by its label ("no nato_membership"), or by its topic where
    the labels give the direction apart (`requires` "nato_membership" with `directions` "against")."""
    wanted = _listed(expected.get("requires"))
    if same(requirement.label, wanted):
        return True
    directions = _listed(expected.get("directions"))
    return any(direction == requirement.direction == "against" and same(requirement.topic, [name])
               for name, direction in zip(wanted, directions))


def matches(position: "Position", expected: dict[str, Any]) -> bool:
    """A found condition is the expected one: same actor, kind condition, same subject, one requirement in
    common (and in the same direction), same negation."""
    return (position.actor == expected["actor"] and position.kind == "condition"
            and same(position.subject, _listed(expected.get("subject")))
            and any(requirement_matches(r, expected) for r in position.requires)
            and bool(position.negated) == bool(expected.get("negated")))


def matches_kind(position: "Position", expected: dict[str, Any]) -> bool:
    """`matches` for any kind: the found position's kind is the expected one; a requirement is asked for only
    where one is expected."""
    if position.actor != expected["actor"] or position.kind != expected["kind"]:
        return False
    if not same(position.subject, _listed(expected.get("subject"))):
        return False
    wanted = _listed(expected.get("requires"))
    if wanted and not any(requirement_matches(r, expected) for r in position.requires):
        return False
    return bool(position.negated) == bool(expected.get("negated"))


@dataclass(frozen=True)
class NewsItem:
    id: str
    text: str
    tier: str
    expect: tuple[dict[str, Any], ...]
    published: dt.date | None = None
    title: str = ""
    url: str = ""

    def document(self) -> "Document":
        """The item as the bot reads news: the page's headline over the excerpt, dated as published."""
        from bot.sources.document import Document

        when = dt.datetime(self.published.year, self.published.month, self.published.day, 12,
                           tzinfo=dt.timezone.utc) if self.published else None
        return Document(id=self.id, text=self.text, title=self.title, published=when)


def load_news(path: str | Path) -> list[NewsItem]:
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        try:
            published = dt.date.fromisoformat(str(row.get("published"))[:10])
        except ValueError:
            published = None
        items.append(NewsItem(str(row.get("id") or f"item{n}"), row["text"], row["tier"],
                              tuple(row.get("expect") or ()), published, row.get("title") or "",
                              str(row.get("url") or "")))
    return items


FIELDS = ("actor", "subject", "requirement", "direction", "negation")


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1

    def __str__(self) -> str:
        if not self.total:
            return "n/a (0/0)"   # nothing labelled for this field in the split
        return f"{ratio(self.right, self.total):.2f} ({self.right}/{self.total})"


@dataclass
class NewsResult:
    """Figures on one split, and (outside the held-out split) the items behind them."""

    split: str
    core_whole: Tally = field(default_factory=Tally)
    core_actor: Tally = field(default_factory=Tally)
    stretch_found: Tally = field(default_factory=Tally)
    negatives_false: Tally = field(default_factory=Tally)
    fields: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    missed_core: list[str] = field(default_factory=list)
    missed_stretch: list[str] = field(default_factory=list)
    false_conditions: list[str] = field(default_factory=list)

    @property
    def held_out(self) -> bool:
        return self.split in HELD_OUT

    def line(self) -> str:
        return (f"{self.split}: core found whole {self.core_whole}; condition by the right actor {self.core_actor}; "
                f"stretch found {self.stretch_found}; false conditions on negatives {self.negatives_false}")

    def report(self, limit: int = 80) -> str:
        lines = [self.line(), "  per field where a position is found: "
                 + ", ".join(f"{name} {tally}" for name, tally in self.fields.items())]
        if not self.held_out:
            for label, ids in (("core missed", self.missed_core), ("stretch missed", self.missed_stretch),
                               ("false conditions", self.false_conditions)):
                if ids:
                    lines.append(f"  {label} ({len(ids)}): {', '.join(ids[:limit])}")
        return "\n".join(lines)


def evaluate_news(extractor: "Extractor", path: str | Path, split: str | None = None) -> NewsResult:
    """Extract every item of a news split (its text, dated as published) and score it."""
    split = split or Path(path).stem.removeprefix("news_")
    items = load_news(path)
    result = NewsResult(split)
    documents = [item.document() for item in items]
    for item, facts in zip(items, extractor.extract(documents)):
        score_item(result, item, facts.positions)
    if result.held_out:
        result.missed_core, result.missed_stretch, result.false_conditions = [], [], []
    return result


def score_item(result: NewsResult, item: NewsItem, found: Sequence["Position"]) -> None:
    conditions = [p for p in found if p.kind == "condition"]
    if item.tier == "none":
        result.negatives_false.add(bool(conditions))
        if conditions:
            result.false_conditions.append(item.id)
        return
    if item.tier == "core":
        expected = [e for e in item.expect if e.get("kind") == "condition"]
        whole = any(matches(p, e) for p in conditions for e in expected)
        result.core_whole.add(whole)
        if not whole:
            result.missed_core.append(item.id)
        actors = {e["actor"] for e in item.expect}
        result.core_actor.add(any(p.actor in actors for p in conditions))
    elif item.tier == "stretch":
        ok = any(matches_kind(p, e) for p in found for e in item.expect)
        result.stretch_found.add(ok)
        if not ok:
            result.missed_stretch.append(item.id)
    if found:
        for entry in item.expect:
            _score_fields(result.fields, entry, found)


def _score_fields(fields: dict[str, Any], expected: dict[str, Any], found: Iterable["Position"]) -> None:
    subjects, wanted = _listed(expected.get("subject")), _listed(expected.get("requires"))

    def named(requirement: "Requirement", names: list[str]) -> bool:
        """The requirement names what is labelled, in whichever direction (the direction is a field of its own)."""
        return same(requirement.label, names) or same(requirement.topic, names)

    def agreement(p: "Position") -> tuple[bool, bool, bool, bool]:
        return (p.actor == expected["actor"], p.kind == expected.get("kind"), same(p.subject, subjects),
                any(named(r, wanted) for r in p.requires))

    best = max(found, key=agreement)
    fields["actor"].add(best.actor == expected["actor"])
    fields["subject"].add(same(best.subject, subjects))
    fields["negation"].add(bool(best.negated) == bool(expected.get("negated")))
    if wanted:
        fields["requirement"].add(any(named(r, wanted) for r in best.requires))
    directions = _listed(expected.get("directions"))
    for name, direction in zip(wanted, directions):
        hit = next((r for r in best.requires if named(r, [name])), None)
        if hit is not None:
            fields["direction"].add(hit.direction == direction)
