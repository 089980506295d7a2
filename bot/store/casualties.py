"""Casualty events and their sources: load the events a report may be about, store what a decision changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.detect.casualties import REVISION_DAYS, CasualtyDecision, EventView
from bot.detect.evidence import Evidence
from bot.extract.facts import CasualtyReport
from bot.store.baseline import aware
from bot.store.models import CasualtyEvent, CasualtySource, utcnow

_REPORT_FIELDS = ("killed", "killed_low", "killed_high", "injured", "injured_low", "injured_high", "location",
                  "country", "admin", "lat", "lon", "date", "weapon", "perpetrator", "quote", "place_level",
                  "district", "target", "claimed_killed", "claimed_injured", "claimed_by", "undated", "revision")


def view_of(event: CasualtyEvent, sources: Sequence[str] | None = None) -> EventView:
    """The event as detection sees it; `sources`, its reports' links when already read (else loaded)."""
    report = CasualtyReport(**{name: getattr(event, name) for name in _REPORT_FIELDS})
    links = tuple(sources) if sources is not None else tuple(s.url for s in event.sources)
    return EventView(key=event.key or str(event.id), report=report, id=event.id, trust=event.trust,
                     as_of=aware(event.updated_at), url=event.url, sources=links,
                     muted=bool(event.muted), rejected=tuple((k, i) for k, i in (event.rejected or ())))


def nearby_events(session: Session, reports: Iterable[CasualtyReport], window: dt.timedelta) -> list[EventView]:
    """Events that may be one of the reports': in its country (or of unknown country), dated within the window
    of it or, for a revision that tells no day, in the days before it; locked. detect.casualties decides which
    one it is."""
    events: dict[int, CasualtyEvent] = {}
    wide = window + dt.timedelta(days=REVISION_DAYS)
    for report in reports:
        query = select(CasualtyEvent).order_by(CasualtyEvent.id)
        if report.country:
            query = query.where(or_(CasualtyEvent.country == report.country, CasualtyEvent.country.is_(None)))
        if report.date:
            query = query.where(or_(CasualtyEvent.date.is_(None),
                                    CasualtyEvent.date.between(_shifted(report.date, -wide), _shifted(report.date, wide))))
        for event in session.scalars(query.with_for_update()):
            events.setdefault(event.id, event)
    links: dict[int, list[str]] = {event_id: [] for event_id in events}
    ids = sorted(events)
    for start in range(0, len(ids), 500):  # the links alone: an event told by many reports stays cheap to read
        rows = session.execute(select(CasualtySource.event_id, CasualtySource.url)
                               .where(CasualtySource.event_id.in_(ids[start:start + 500])).order_by(CasualtySource.id))
        for event_id, url in rows:
            links[event_id].append(url)
    return [view_of(events[event_id], links[event_id]) for event_id in ids]


def _shifted(day: dt.date, by: dt.timedelta) -> dt.date:
    """`day + by`, kept within the calendar (a feed may date an item in the year 9999)."""
    try:
        return day + by
    except OverflowError:
        return dt.date.max if by > dt.timedelta(0) else dt.date.min


def save_decision(session: Session, decision: CasualtyDecision, evidence: Evidence,
                  said: CasualtyReport) -> CasualtyDecision:
    """Create or update the event and record the report (`said`) as a source; returns the decision with the id."""
    view = decision.event
    report = view.report
    when = evidence.published or utcnow()
    event = session.scalars(select(CasualtyEvent).where(CasualtyEvent.key == view.key)).first() \
        if view.id is None else session.get_one(CasualtyEvent, view.id)
    if event is None:
        event = CasualtyEvent(key=view.key, **{name: getattr(report, name) for name in _REPORT_FIELDS},
                              trust=view.trust, url=view.url, first_seen=when, updated_at=when)
        session.add(event)
        session.flush()
    else:
        for name in _REPORT_FIELDS:
            setattr(event, name, getattr(report, name))
        if decision.action == "update":
            event.trust, event.url, event.updated_at = view.trust, view.url, when
    link = evidence.link
    exists = session.scalars(select(CasualtySource.id).where(
        CasualtySource.event_id == event.id, CasualtySource.url == link)).first()
    if exists is None:
        session.add(CasualtySource(event_id=event.id, url=link, source=evidence.source, feed=evidence.feed,
                                   killed=said.killed, injured=said.injured, trust=evidence.trust, seen_at=when))
    session.flush()
    return replace(decision, event=replace(view, id=event.id))
