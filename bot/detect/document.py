"""Detection for one document in one pure step: its facts and a view of what is known in, every decision out.

The store asks `wanted(facts, published, window)` which stances and events the document touches, loads that
one `DocumentView`, calls `detect`, and applies the returned `Detection` in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.config import Config
from bot.detect.alerts import Alert
from bot.detect.casualties import (CasualtyDecision, EventView, casualty_alert, decide_casualty, find_event,
                                   merge_reports, told_apart, usable)
from bot.detect.evidence import Evidence
from bot.detect.merge import drop_circular, merge_positions
from bot.detect.positions import Policy, PositionDecision, decide_position
from bot.detect.stance import BaselineView, CandidateView, StanceKey
from bot.extract.facts import CasualtyReport, DocumentFacts


# How long before its publication a document's second attack may be and still be news of its own.
BACKGROUND_AFTER = dt.timedelta(days=2)


@dataclass(frozen=True)
class Wanted:
    """What the store must load for one document: the stance keys and the casualty reports it touches."""

    keys: tuple[StanceKey, ...]
    reports: tuple[CasualtyReport, ...]   # merged, dated: look up the events near each
    window: dt.timedelta


@dataclass(frozen=True)
class DocumentView:
    """What the store knows that the document's facts touch."""

    stances: Mapping[StanceKey, BaselineView] = field(default_factory=dict)
    candidates: Mapping[tuple[StanceKey, str], CandidateView] = field(default_factory=dict)  # by (key, signature)
    events: tuple[EventView, ...] = ()
    rejected: frozenset[tuple[StanceKey, str]] = frozenset()   # (key, signature) the team said are no shift


@dataclass(frozen=True)
class DetectionPolicy:
    """The settings detection depends on, taken from config once per document."""

    min_sources: int = 1
    trusted_feeds: tuple[str, ...] = ()
    quiet_actors: frozenset[str] = frozenset()    # actors with alert_new_positions off
    alerting: bool = True                         # False while seeding or on a feed's silent first poll
    move_baseline: bool = True                    # baseline_update: auto (or not alerting)
    casualty_window: dt.timedelta = dt.timedelta(days=1)

    @classmethod
    def of(cls, config: Config, *, alerting: bool) -> "DetectionPolicy":
        detection = config.detection
        return cls(min_sources=detection.min_sources, trusted_feeds=tuple(detection.trusted_feeds),
                   quiet_actors=frozenset(a.id for a in config.actors if not a.alert_new_positions),
                   alerting=alerting, move_baseline=detection.baseline_update == "auto" or not alerting,
                   casualty_window=dt.timedelta(seconds=detection.casualty_window))

    def for_actor(self, actor: str) -> Policy:
        return Policy(min_sources=self.min_sources, trusted_feeds=self.trusted_feeds,
                      alert_new_positions=actor not in self.quiet_actors, alerting=self.alerting)


@dataclass(frozen=True)
class CasualtyStep:
    """One report's decision, with the report as the document said it (recorded as the event's source)."""

    decision: CasualtyDecision
    said: CasualtyReport


@dataclass(frozen=True)
class Detection:
    positions: tuple[PositionDecision, ...] = ()
    casualties: tuple[CasualtyStep, ...] = ()
    alerts: tuple[Alert, ...] = ()


def wanted(facts: DocumentFacts, published: dt.date | None, window: dt.timedelta) -> Wanted:
    keys = tuple(dict.fromkeys(s.key for s in merge_positions(facts.positions)))
    return Wanted(keys=keys, reports=tuple(merge_reports(facts.casualties, published, window)), window=window)


def detect(facts: DocumentFacts, evidence: Evidence, view: DocumentView, policy: DetectionPolicy, *,
           replay: bool = False) -> Detection:
    """Every decision one document's facts make against the view (pure). `replay`: the document was
    processed before, so its reports revise nothing they revised then."""
    alerts: list[Alert] = []

    stated = drop_circular(merge_positions(facts.positions, evidence.url), set(view.stances))
    positions = []
    for position in stated:
        if (position.key, position.stance.signature) in view.rejected:
            positions.append(PositionDecision("rejected", position))   # the team said: not a shift
            continue
        stance = decide_position(position, view.stances.get(position.key),
                                 view.candidates.get((position.key, position.stance.signature)), evidence,
                                 policy.for_actor(position.actor))
        positions.append(stance)
        if stance.alert is not None:
            alerts.append(stance.alert)

    events = list(view.events)   # grows as the document's own reports found events
    steps = []
    told: dict[str, CasualtyReport] = {}      # event key → the report of this document it took
    published = evidence.published.date() if evidence.published else None
    for index, report in enumerate(merge_reports(facts.casualties, published, policy.casualty_window)):
        # an event one of this document's reports took is not the one of another the document tells apart
        free = [e for e in events if e.key not in told or not told_apart(told[e.key], report)]
        event = find_event(report, free, policy.casualty_window, evidence.link if replay else None)
        if event is None and (replay or not usable(report) or (index > 0 and _background(report, published))):
            # a report naming only its country joins an event, never founds one; a replay founds none; nor does
            # a document's background about an earlier attack
            continue
        decision = decide_casualty(report, event, evidence, replay=replay)
        if event is not None and decision.action != "source" and _refused(event, decision):
            decision = CasualtyDecision("source", replace(event, sources=decision.event.sources))
        steps.append(CasualtyStep(decision, report))
        told[decision.event.key] = report
        events = [decision.event if e.key == decision.event.key else e for e in events]
        if event is None:
            events.append(decision.event)
        alert = casualty_alert(decision, evidence) if policy.alerting else None
        if alert is not None:
            alerts.append(alert)
    return Detection(positions=tuple(positions), casualties=tuple(steps), alerts=tuple(alerts))


def _background(report: CasualtyReport, published: dt.date | None) -> bool:
    """A report after a document's lead that dates its attack days before the document ("on June 27, a strike
    on Kramatorsk killed 13") is background: it may add to the earlier attack's event, never found one."""
    return (published is not None and report.date is not None and not report.undated
            and published - report.date > BACKGROUND_AFTER)


def _refused(event: EventView, decision: CasualtyDecision) -> bool:
    """The team's word stands: a muted event ("not an attack") takes reports only as sources, and figures the
    team called wrong never revise it again."""
    report = decision.event.report
    told = {(report.killed, report.injured), (report.claimed_killed, report.claimed_injured)}
    return event.muted or any(figures in event.rejected for figures in told)


