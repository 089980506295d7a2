"""The baseline: the current stance per (actor, subject), its history and pending shift candidates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bot.detect.evidence import Evidence
from bot.detect.positions import PositionDecision
from bot.detect.stance import BaselineView, CandidateView, Stance, StanceKey
from bot.store import Store
from bot.store.models import BaselineEntry, BaselineHistory, RejectedStance, ShiftCandidate, utcnow


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; everything here is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def stance_of(row: BaselineEntry | BaselineHistory, kind: str | None = None) -> Stance:
    return Stance.from_json({"kind": row.kind or kind, "requirements": row.requires, "negated": row.negated,
                             "hedged": row.hedged, "speaker": row.speaker, "quote": row.quote, "url": row.url})


def _of_keys(model: type[BaselineEntry] | type[ShiftCandidate] | type[RejectedStance], keys: list[StanceKey]) -> Any:
    return or_(*(and_(model.actor == actor, model.subject == subject) for actor, subject in keys))


def load_views(session: Session, keys: Iterable[StanceKey]) -> dict[StanceKey, BaselineView]:
    """The baseline entries for these keys, locked for this transaction where the database can."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    rows = session.scalars(select(BaselineEntry).where(_of_keys(BaselineEntry, keys)).with_for_update()).all()
    versions: dict[int, int] = dict(session.execute(
        select(BaselineHistory.baseline_id, func.count()).where(BaselineHistory.baseline_id.in_([r.id for r in rows]))
        .group_by(BaselineHistory.baseline_id)
    ).all()) if rows else {}
    return {
        (r.actor, r.subject): BaselineView(
            actor=r.actor, subject=r.subject, stance=stance_of(r), sources=tuple(r.sources),
            version=versions.get(r.id, 1), as_of=aware(r.updated_at))
        for r in rows
    }


def load_candidates(session: Session, keys: Iterable[StanceKey]) -> dict[tuple[StanceKey, str], CandidateView]:
    """Every pending shift candidate of these keys, by (key, signature)."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    found = {}
    for row in session.scalars(select(ShiftCandidate).where(_of_keys(ShiftCandidate, keys))):
        data = row.position
        found[((row.actor, row.subject), row.signature)] = CandidateView(
            signature=row.signature, stance=Stance.from_json(data["stance"]), sources=tuple(row.sources),
            feeds=tuple(data.get("feeds", ())), direct=bool(data.get("direct")))
    return found


def load_rejected(session: Session, keys: Iterable[StanceKey]) -> frozenset[tuple[StanceKey, str]]:
    """The (key, signature) pairs of these keys the team said are not a shift."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return frozenset()
    rows = session.execute(select(RejectedStance.actor, RejectedStance.subject, RejectedStance.signature)
                           .where(_of_keys(RejectedStance, keys))).all()
    return frozenset(((actor, subject), signature) for actor, subject, signature in rows)


def _candidate_row(session: Session, key: StanceKey, signature: str) -> ShiftCandidate | None:
    actor, subject = key
    return session.scalars(select(ShiftCandidate).where(
        ShiftCandidate.actor == actor, ShiftCandidate.subject == subject,
        ShiftCandidate.signature == signature)).first()


def _entry(session: Session, key: StanceKey) -> BaselineEntry | None:
    actor, subject = key
    return session.scalars(select(BaselineEntry).where(
        BaselineEntry.actor == actor, BaselineEntry.subject == subject)).first()


def apply_decision(session: Session, decision: PositionDecision, evidence: Evidence, *, move: bool,
                   alert_id: int | None, seeding: bool = False) -> None:
    """Write what a position decision changes: sources and last_seen, a candidate, or the baseline itself."""
    stated = decision.stated
    when = evidence.published or utcnow()
    entry = _entry(session, stated.key)
    if decision.action == "reinforce" and entry is not None:
        _add_source(entry, evidence.source, when)
    elif decision.action == "hold" and decision.candidate is not None:
        _save_candidate(session, stated.key, decision.candidate)
    elif decision.action in ("new", "shift") and decision.candidate is not None:
        _drop_candidates(session, stated.key)
        if entry is None or move:
            reason = "seed" if seeding else decision.action
            set_stance(session, stated.key, decision.candidate.stance, list(decision.candidate.sources), when,
                       reason=reason, alert_id=alert_id)


def _add_source(entry: BaselineEntry, source: str, when: dt.datetime) -> None:
    if source not in entry.sources:
        entry.sources = [*entry.sources, source]
    entry.source_count = len(entry.sources)
    last = aware(entry.last_seen)
    entry.last_seen = max(last, when) if last else when


def _save_candidate(session: Session, key: StanceKey, candidate: CandidateView) -> None:
    row = _candidate_row(session, key, candidate.signature)
    position = {"stance": candidate.stance.to_json(), "feeds": list(candidate.feeds), "direct": candidate.direct}
    if row is None:
        actor, subject = key
        session.add(ShiftCandidate(actor=actor, kind=candidate.stance.kind, subject=subject,
                                   signature=candidate.signature, position=position, sources=list(candidate.sources)))
        session.flush()
    else:
        row.position, row.sources = position, list(candidate.sources)


def _drop_candidates(session: Session, key: StanceKey) -> None:
    actor, subject = key
    for row in session.scalars(select(ShiftCandidate).where(
            ShiftCandidate.actor == actor, ShiftCandidate.subject == subject)):
        session.delete(row)


def set_stance(session: Session, key: StanceKey, stance: Stance, sources: list[str], when: dt.datetime, *,
               reason: str, alert_id: int | None, stated_at: dt.datetime | None = None) -> BaselineEntry:
    """Make `stance` the baseline for key from `when`, closing the previous one in the history. `stated_at`:
    when the stance was stated, if earlier (a stance restored); older articles than that are stale."""
    actor, subject = key
    entry = _entry(session, key)
    if entry is None:
        entry = BaselineEntry(actor=actor, kind=stance.kind, subject=subject, first_seen=when)
        session.add(entry)
    requires = [r.to_json() for r in stance.requires]
    entry.kind, entry.requires, entry.negated, entry.hedged = stance.kind, requires, stance.negated, stance.hedged
    entry.speaker, entry.quote, entry.url = stance.speaker, stance.quote, stance.url
    entry.sources, entry.source_count = list(sources), len(sources)
    entry.last_seen = when
    entry.updated_at = stated_at or when
    session.flush()
    for open_row in session.scalars(select(BaselineHistory).where(
            BaselineHistory.baseline_id == entry.id, BaselineHistory.valid_to.is_(None))):
        open_row.valid_to = when
    session.add(BaselineHistory(baseline_id=entry.id, kind=stance.kind, requires=requires, negated=stance.negated,
                                hedged=stance.hedged, speaker=stance.speaker, quote=stance.quote, url=stance.url,
                                reason=reason, alert_id=alert_id, valid_from=when))
    session.flush()
    return entry


# --- reading and accepting, for the `baseline` commands -------------------------------------------------


@dataclass(frozen=True)
class BaselineRow:
    """One baseline entry or history step, ready to print or serialise."""

    actor: str
    subject: str
    stance: Stance
    sources: tuple[str, ...] = ()
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    reason: str = ""
    alert_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        def iso(value: dt.datetime | None) -> str | None:
            return value.isoformat().replace("+00:00", "Z") if value else None

        data: dict[str, Any] = {"actor": self.actor, "subject": self.subject, **self.stance.to_json(),
                                "since": iso(self.since)}
        if self.reason:
            data.update({"until": iso(self.until), "reason": self.reason, "alert_id": self.alert_id})
        else:
            data.update({"sources": list(self.sources), "source_count": len(self.sources),
                         "last_seen": iso(self.last_seen)})
        return data


def current(store: Store, actor: str | None = None) -> list[BaselineRow]:
    """The baseline, sorted by actor and subject."""
    query = select(BaselineEntry).order_by(BaselineEntry.actor, BaselineEntry.subject)
    if actor:
        query = query.where(BaselineEntry.actor == actor)
    with store.session() as session:
        return [BaselineRow(r.actor, r.subject, stance_of(r), tuple(r.sources), aware(r.updated_at),
                            last_seen=aware(r.last_seen)) for r in session.scalars(query)]


def history(store: Store, actor: str, subject: str | None = None) -> list[BaselineRow]:
    """Every stance an actor has held (on one subject), oldest first within each entry."""
    query = (select(BaselineEntry, BaselineHistory).join(BaselineHistory, BaselineHistory.baseline_id == BaselineEntry.id)
             .where(BaselineEntry.actor == actor)
             .order_by(BaselineEntry.subject, BaselineHistory.valid_from, BaselineHistory.id))
    if subject:
        query = query.where(BaselineEntry.subject == subject)
    with store.session() as session:
        return [BaselineRow(e.actor, e.subject, stance_of(h, e.kind), since=aware(h.valid_from),
                            until=aware(h.valid_to), reason=h.reason, alert_id=h.alert_id)
                for e, h in session.execute(query)]
