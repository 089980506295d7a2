"""Position rules: compare a document's stated position with the baseline and decide what it means.

- same stance as the baseline → reinforce (last_seen and sources updated), no alert;
- a different stance from an article older than the baseline's statement → stale, nothing changes;
- a different stance (requirement dropped, added, replaced; a condition become a refusal, an offer
  without preconditions; firm ↔ hedged) → position_shift;
- no baseline for (actor, subject) → new_position (unless the actor's alert_new_positions is off);
- a change waits as a candidate until corroborated: at least one first-hand statement (reported and
  hypothetical positions never move a baseline alone) and detection.min_sources independent sources,
  or one source from detection.trusted_feeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.detect.alerts import Alert, AlertKind, PositionChange
from bot.detect.evidence import Evidence
from bot.detect.stance import BaselineView, CandidateView, Stance, StatedPosition

Action = Literal["reinforce", "stale", "hold", "shift", "new", "rejected"]


@dataclass(frozen=True)
class Policy:
    """The detection settings one decision depends on."""

    min_sources: int = 1
    trusted_feeds: tuple[str, ...] = ()
    alert_new_positions: bool = True
    alerting: bool = True           # False while seeding or on a feed's silent first poll


@dataclass(frozen=True)
class PositionDecision:
    action: Action
    stated: StatedPosition
    candidate: CandidateView | None = None  # the corroboration state after this document (hold, shift, new)
    change: str | None = None
    alert: Alert | None = None               # None when nothing is to be told (or alerting is off)


def classify_change(before: Stance, after: Stance) -> tuple[str, list[str], list[str]]:
    """(change, added, dropped) between two stances of one key.

    dropped / added / replaced: what must happen first changed ("talks without a ceasefire" drops the
    ceasefire a condition required); reframed: the same requirements stated another way (a condition became a
    refusal or a threat); softened / hardened: hedged or firm; restated: nothing a reader would call a change.
    """
    had, has = before.required, after.required
    added, dropped = sorted(has - had), sorted(had - has)
    if had != has:
        change = "dropped" if has < had else "added" if has > had else "replaced"
    elif before.family != after.family or before.negated != after.negated or set(before.labels) != set(after.labels):
        change = "reframed"
    elif before.hedged != after.hedged:
        change = "softened" if after.hedged else "hardened"
    else:
        change = "restated"
    return change, added, dropped


def decide_position(stated: StatedPosition, baseline: BaselineView | None, candidate: CandidateView | None,
                    evidence: Evidence, policy: Policy) -> PositionDecision:
    """What one document's stated position means against the baseline (pure)."""
    stance = stated.stance
    if baseline is not None and baseline.stance.same_as(stance):
        return PositionDecision("reinforce", stated)
    if (baseline is not None and baseline.as_of is not None and evidence.published is not None
            and evidence.published < baseline.as_of):
        return PositionDecision("stale", stated)

    corroboration = _corroborate(stance, candidate, evidence, stated.reported)
    confirmed = corroboration.direct and (
        not policy.alerting
        or len(corroboration.sources) >= policy.min_sources
        or any(feed in policy.trusted_feeds for feed in corroboration.feeds)
    )
    if not confirmed:
        return PositionDecision("hold", stated, candidate=corroboration)

    if baseline is None:
        alert = _new_alert(stated, corroboration, evidence) if policy.alerting and policy.alert_new_positions else None
        return PositionDecision("new", stated, candidate=corroboration, alert=alert)
    stance = corroboration.stance
    change, added, dropped = classify_change(baseline.stance, stance)
    alert = None
    if policy.alerting:
        alert = Alert(
            kind=AlertKind.POSITION_SHIFT,
            key=f"position_shift:{stated.actor}:{stated.subject}:v{baseline.version}:{stance.signature}",
            actor=stated.actor, subject=stated.subject,
            detail=PositionChange(change=change, after=stance, before=baseline.stance, added=tuple(added),
                                  dropped=tuple(dropped), sources=corroboration.sources),
            url=evidence.url, published=evidence.published,
        )
    return PositionDecision("shift", stated, candidate=corroboration, change=change, alert=alert)


def _corroborate(stance: Stance, candidate: CandidateView | None, evidence: Evidence, reported: bool) -> CandidateView:
    """The candidate's sources with this document's added."""
    if candidate is None or candidate.signature != stance.signature:
        candidate = CandidateView(signature=stance.signature, stance=stance)
    sources = tuple(dict.fromkeys([*candidate.sources, evidence.source]))
    feeds = tuple(dict.fromkeys([*candidate.feeds, *([evidence.feed] if evidence.feed else [])]))
    first_hand = candidate.direct or not reported
    # the stance shown is the first first-hand statement of it
    shown = candidate.stance if candidate.direct or reported else stance
    return CandidateView(signature=stance.signature, stance=shown, sources=sources, feeds=feeds, direct=first_hand)


def _new_alert(stated: StatedPosition, corroboration: CandidateView, evidence: Evidence) -> Alert:
    stance = corroboration.stance
    return Alert(
        kind=AlertKind.NEW_POSITION,
        key=f"new_position:{stated.actor}:{stated.subject}:v0:{stance.signature}",
        actor=stated.actor, subject=stated.subject,
        detail=PositionChange(change="new", after=stance, added=tuple(sorted(stance.required)), sources=corroboration.sources),
        url=evidence.url, published=evidence.published,
    )
