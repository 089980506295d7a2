"""Merge one document's positions so an article states one stance per (actor, subject).

An article often repeats a stance in several shapes ("no talks until a ceasefire", "a ceasefire is our
precondition before any discussions"); compared one by one with the baseline they would contradict each
other into alerts. Rules, in order, per (actor, subject):
1. hypothetical positions ("if Russia agreed, …") are dropped;
2. first-hand statements win over reported ones (what others say the actor holds);
3. firm statements win over hedged ones;
4. the first statement (the lede) decides how the stance is stated (a condition or offer, a demand, a refusal,
   a threat) and whether its requirements are waived; statements of another kind or polarity are dropped;
5. the requirements of what remains are united.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.detect.stance import StanceKey, StatedPosition, Stance
from bot.extract.facts import Position


def merge_positions(positions: Iterable[Position], url: str = "") -> list[StatedPosition]:
    """One StatedPosition per (actor, subject), in the order the article first states each."""
    groups: dict[StanceKey, list[Position]] = {}
    for position in positions:
        if position.hypothetical:
            continue
        groups.setdefault((position.actor, position.subject), []).append(position)
    return [_merge(key, group, url) for key, group in groups.items()]


def _merge(key: StanceKey, group: list[Position], url: str) -> StatedPosition:
    direct = [p for p in group if not p.reported]
    pool = direct or group
    firm = [p for p in pool if not p.hedged]
    pool = firm or pool
    lede = pool[0]
    family = Stance.of(lede, url).family
    pool = [p for p in pool if p.negated == lede.negated and Stance.of(p, url).family == family]
    stance = Stance(kind=lede.kind, requires=tuple(r for p in pool for r in p.requires), negated=lede.negated,
                    hedged=not firm, speaker=lede.speaker, quote=lede.quote or lede.sentence, url=url)
    actor, subject = key
    return StatedPosition(actor=actor, subject=subject, stance=stance, reported=not direct, merged=len(group))


def drop_circular(stated: list[StatedPosition], known: set[StanceKey]) -> list[StatedPosition]:
    """Drop one of two conditions of one actor that require each other ("talks need a ceasefire" and
    "a ceasefire needs talks" in one article): an article does not state a circle, an extraction inverted
    one of them. The one the baseline knows stays; if both or neither are known, the first stated stays."""
    dropped: set[int] = set()
    for i, a in enumerate(stated):
        for j in range(i + 1, len(stated)):
            b = stated[j]
            if i in dropped or j in dropped or a.actor != b.actor or a.kind != "condition" or b.kind != "condition":
                continue
            if a.subject in b.stance.labels and b.subject in a.stance.labels:
                dropped.add(i if (b.key in known and a.key not in known) else j)
    return [s for n, s in enumerate(stated) if n not in dropped]
