"""The team's decisions on alerts: what each button (or `baseline accept`) changes, and the audit trail.

- accept (a shift or new position): the stance enters the baseline (the way shifts are taken with
  `baseline_update: manual`);
- not_a_shift: the baseline goes back to what it was before the alert, and stating that stance again raises
  nothing (a `rejected_stances` row);
- not_an_attack (an event or an update): the event is muted, so later reports that match it raise nothing;
- wrong_figures (an update): the update is withdrawn, the event's figures go back to the ones it revised, and
  those figures never revise the event again.

An alert is decided once: a second decision, a redelivered click or a retry returns the first one unchanged.
Every decision is a `feedback` row holding the baseline or event as it was before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.detect.alerts import Alert, AlertKind
from bot.detect.stance import Stance
from bot.errors import StoreError
from bot.store import Store
from bot.store.baseline import aware, set_stance, stance_of
from bot.store.models import (AlertRecord, BaselineEntry, BaselineHistory, CasualtyEvent, Feedback, PositionRecord,
                              RejectedStance, utcnow)
from bot.store.outbox import snapshot


class FeedbackAction(StrEnum):
    ACCEPT = "accept"
    NOT_A_SHIFT = "not_a_shift"
    NOT_AN_ATTACK = "not_an_attack"
    WRONG_FIGURES = "wrong_figures"

    @property
    def title(self) -> str:  # type: ignore[override]  # the decision's words, not str.title()
        return {"accept": "Accepted", "not_a_shift": "Not a shift", "not_an_attack": "Not an attack",
                "wrong_figures": "Wrong figures"}[self.value]


ALLOWED: dict[AlertKind, tuple[FeedbackAction, ...]] = {
    AlertKind.POSITION_SHIFT: (FeedbackAction.ACCEPT, FeedbackAction.NOT_A_SHIFT),
    AlertKind.NEW_POSITION: (FeedbackAction.ACCEPT, FeedbackAction.NOT_A_SHIFT),
    AlertKind.CASUALTY_EVENT: (FeedbackAction.NOT_AN_ATTACK,),
    AlertKind.CASUALTY_UPDATE: (FeedbackAction.NOT_AN_ATTACK, FeedbackAction.WRONG_FIGURES),
    AlertKind.FEED_HEALTH: (),
}


@dataclass(frozen=True)
class Decision:
    """One decision as the audit shows it; `repeated` when it had already been taken (nothing changed now)."""

    id: int
    alert: Alert
    action: FeedbackAction
    user_id: str
    user_name: str
    via: str
    decided_at: dt.datetime
    before: dict[str, Any]
    after: dict[str, Any]
    repeated: bool = False

    @property
    def who(self) -> str:
        return self.user_name or self.user_id

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "alert_id": self.alert.id, "kind": str(self.alert.kind), "action": str(self.action),
                "user_id": self.user_id, "user_name": self.user_name, "via": self.via,
                "decided_at": self.decided_at.isoformat().replace("+00:00", "Z"), "before": self.before,
                "after": self.after}


def decide(store: Store, alert_id: int, action: FeedbackAction | str, *, user_id: str, user_name: str = "",
           via: str = "", request_id: str | None = None, now: dt.datetime | None = None) -> Decision:
    """Apply a reviewer's decision on an alert once; raises StoreError when it cannot apply."""
    action = FeedbackAction(action)
    when = now or utcnow()
    try:
        with store.session() as session:
            row = session.get(AlertRecord, alert_id, with_for_update=True)
            if row is None:
                raise StoreError(f"no alert with id {alert_id}")
            earlier = session.scalars(select(Feedback).where(Feedback.alert_id == alert_id)).first()
            if earlier is not None:
                return _decision(earlier, row, repeated=True)
            alert = snapshot(row).alert
            if action not in ALLOWED[alert.kind]:
                allowed = ", ".join(ALLOWED[alert.kind]) or "none"
                raise StoreError(f"alert {alert_id} is a {alert.kind} alert: {action} does not apply (allowed: {allowed})")
            before, after = _APPLY[action](session, alert, when)
            feedback = Feedback(alert_id=alert_id, action=str(action), user_id=user_id, user_name=user_name, via=via,
                                request_id=request_id, before=before, after=after, decided_at=when)
            session.add(feedback)
            if action is FeedbackAction.ACCEPT:
                row.accepted_at = when
            session.flush()
            return _decision(feedback, row)
    except IntegrityError:   # another worker recorded a decision on this alert at the same moment
        with store.session() as session:
            row = session.get_one(AlertRecord, alert_id)
            earlier = session.scalars(select(Feedback).where(Feedback.alert_id == alert_id)).one()
            return _decision(earlier, row, repeated=True)


def decision_for(store: Store, alert_id: int) -> Decision | None:
    with store.session() as session:
        row = session.scalars(select(Feedback).where(Feedback.alert_id == alert_id)).first()
        return _decision(row, session.get_one(AlertRecord, alert_id)) if row is not None else None


def decisions(store: Store) -> list[Decision]:
    """Every decision, oldest first."""
    with store.session() as session:
        rows = session.execute(select(Feedback, AlertRecord).join(AlertRecord, AlertRecord.id == Feedback.alert_id)
                               .order_by(Feedback.decided_at, Feedback.id)).all()
        return [_decision(f, a) for f, a in rows]


def _decision(row: Feedback, alert: AlertRecord, *, repeated: bool = False) -> Decision:
    return Decision(id=row.id, alert=snapshot(alert).alert, action=FeedbackAction(row.action), user_id=row.user_id,
                    user_name=row.user_name, via=row.via, decided_at=aware(row.decided_at) or row.decided_at,
                    before=dict(row.before or {}), after=dict(row.after or {}), repeated=repeated)


# -- what each action changes --------------------------------------------------------------------------


def _stance_json(entry: BaselineEntry | None) -> dict[str, Any]:
    return {"stance": stance_of(entry).to_json() if entry is not None else None}


def _entry(session: Session, alert: Alert) -> BaselineEntry | None:
    return session.scalars(select(BaselineEntry).where(BaselineEntry.actor == alert.actor,
                                                       BaselineEntry.subject == alert.subject)).first()


def _accept(session: Session, alert: Alert, when: dt.datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    change = alert.position
    assert change is not None and alert.actor and alert.subject
    entry = _entry(session, alert)
    before = _stance_json(entry)
    if entry is None or not stance_of(entry).same_as(change.after):
        entry = set_stance(session, (alert.actor, alert.subject), change.after, list(change.sources),
                           alert.published or when, reason="accept", alert_id=alert.id)
    return before, _stance_json(entry)


def _not_a_shift(session: Session, alert: Alert, when: dt.datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    change = alert.position
    assert change is not None and alert.actor and alert.subject
    entry = _entry(session, alert)
    before = _stance_json(entry)
    key = (alert.actor, alert.subject)
    if entry is not None and stance_of(entry).same_as(change.after):   # the alert moved the baseline: undo it
        steps = session.scalars(select(BaselineHistory).where(BaselineHistory.baseline_id == entry.id)
                                .order_by(BaselineHistory.valid_from, BaselineHistory.id)).all()
        if change.before is not None:
            held = [s for s in steps if s.alert_id != alert.id and stance_of(s, entry.kind).same_as(change.before)]
            stated = aware(held[-1].valid_from) if held else None
            entry = set_stance(session, key, change.before, list(entry.sources), when, reason="rejected",
                               alert_id=alert.id, stated_at=stated)
        else:                           # a new position the team says was never stated
            for step in steps:
                session.delete(step)
            session.flush()             # the history first: it refers to the entry
            session.delete(entry)
            entry = None
    exists = session.scalars(select(RejectedStance.id).where(
        RejectedStance.actor == alert.actor, RejectedStance.subject == alert.subject,
        RejectedStance.signature == change.after.signature)).first()
    if exists is None:
        session.add(RejectedStance(actor=alert.actor, subject=alert.subject, signature=change.after.signature,
                                   alert_id=alert.id, created_at=when))
    session.flush()
    return before, _stance_json(entry)


def _event(session: Session, alert: Alert) -> CasualtyEvent:
    key = (alert.thread_key or "").removeprefix("casualty:")
    event = session.scalars(select(CasualtyEvent).where(CasualtyEvent.key == key)).first()
    if event is None:
        raise StoreError(f"alert {alert.id}: its casualty event is no longer stored")
    return event


def _event_json(event: CasualtyEvent) -> dict[str, Any]:
    return {"event": {"key": event.key, "killed": event.killed, "injured": event.injured, "muted": event.muted,
                      "rejected": list(event.rejected or [])}}


def _not_an_attack(session: Session, alert: Alert, _when: dt.datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    event = _event(session, alert)
    before = _event_json(event)
    event.muted = True
    return before, _event_json(event)


def _wrong_figures(session: Session, alert: Alert, when: dt.datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    change = alert.casualty
    assert change is not None
    event = _event(session, alert)
    before = _event_json(event)
    wrong = [change.casualty.killed, change.casualty.injured]
    event.rejected = [*(event.rejected or []), wrong]
    if [event.killed, event.injured] == wrong and change.previous is not None:
        event.killed, event.injured = change.previous.killed, change.previous.injured
        for name in ("killed", "injured"):   # the bounds of the withdrawn figures go with them
            setattr(event, f"{name}_low", getattr(event, name))
            setattr(event, f"{name}_high", getattr(event, name))
        event.updated_at = when
    return before, _event_json(event)


_APPLY = {FeedbackAction.ACCEPT: _accept, FeedbackAction.NOT_A_SHIFT: _not_a_shift,
          FeedbackAction.NOT_AN_ATTACK: _not_an_attack, FeedbackAction.WRONG_FIGURES: _wrong_figures}


# -- the loop: decisions as labelled examples -----------------------------------------------------------


def labelled_examples(store: Store) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each decided alert as a labelled example in the format `eval` reads: ("positions", item) shaped like
    tests/data/positions/*.jsonl, or ("casualties", report) shaped like tests/data/casualties/*.jsonl."""
    for decision in decisions(store):
        alert = decision.alert
        published = (alert.published or decision.decided_at).date().isoformat()
        note = f"{decision.action.title} by {decision.who} on {decision.decided_at:%Y-%m-%d} (alert {alert.id})"
        if alert.position is not None:
            yield "positions", _position_example(decision, published, note, _sentence_of(store, decision))
        elif alert.casualty is not None:
            yield "casualties", _casualty_example(decision, published, note)


def _sentence_of(store: Store, decision: Decision) -> str:
    """The whole sentence the stance was read from (its quote may lack the speaker), when still stored."""
    change = decision.alert.position
    assert change is not None
    with store.session() as session:
        sentence = session.scalars(select(PositionRecord.sentence).where(
            PositionRecord.actor == decision.alert.actor, PositionRecord.subject == decision.alert.subject,
            PositionRecord.quote == change.after.quote).order_by(PositionRecord.id.desc()).limit(1)).first()
    return sentence or ""


def _position_example(decision: Decision, published: str, note: str, sentence: str) -> dict[str, Any]:
    alert = decision.alert
    change = alert.position
    assert change is not None
    stance: Stance = change.after
    right = decision.action is FeedbackAction.ACCEPT
    expect = [{"actor": alert.actor, "speaker": stance.speaker, "kind": stance.kind, "subject": [alert.subject],
               "requires": list(stance.labels), "directions": [r.direction for r in stance.requires],
               "negated": stance.negated}] if right else []
    tier = ("core" if stance.kind == "condition" and not stance.negated else "stretch") if right else "none"
    return {"id": f"feedback-{decision.id}", "url": alert.url, "published": published, "title": "",
            "text": sentence or stance.quote, "tier": tier, "expect": expect, "note": note}


def _casualty_example(decision: Decision, published: str, note: str) -> dict[str, Any]:
    alert = decision.alert
    change = alert.casualty
    assert change is not None
    report = change.casualty
    attack = decision.action is not FeedbackAction.NOT_AN_ATTACK
    figures = attack and decision.action is not FeedbackAction.WRONG_FIGURES
    event = (alert.thread_key or "").removeprefix("casualty:") if attack else "none"
    return {"id": f"feedback-{decision.id}", "event": event, "url": alert.url, "published": published, "title": "",
            "text": report.quote, "killed": report.killed if figures else None,
            "injured": report.injured if figures else None, "killed_note": "", "place": report.location,
            "country": report.country, "event_date": report.date.isoformat() if report.date and attack else None,
            "weapon": report.weapon if attack else None, "perpetrator": report.perpetrator if attack else None,
            "note": note}
