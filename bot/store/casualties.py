"""Casualty events and their sources: load the events a report may be about, store what a decision changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from bot.detect.casualties import CasualtyDecision, EventView
from bot.detect.evidence import Evidence
from bot.extract.facts import CasualtyReport
from bot.store.baseline import aware
from bot.store.models import CasualtyEvent, CasualtySource, utcnow

_REPORT_FIELDS = ("killed", "killed_low", "killed_high", "injured", "injured_low", "injured_high", "location",
                  "country", "admin", "lat", "lon", "date", "weapon", "perpetrator", "quote")


def view_of(event: CasualtyEvent) -> EventView:
    report = CasualtyReport(**{name: getattr(event, name) for name in _REPORT_FIELDS})
    return EventView(id=event.id, report=report, trust=event.trust, as_of=aware(event.updated_at), url=event.url,
                     sources=tuple(s.url for s in event.sources))


def nearby_events(session: Session, report: CasualtyReport, window: dt.timedelta) -> list[EventView]:
    """Events that may be the report's: named by its place or region, in its country (or of unknown country),
    dated within the window of it; locked. detect.casualties decides which one it is."""
    names = [n.casefold() for n in (report.location, report.admin) if n]
    query = (select(CasualtyEvent).options(selectinload(CasualtyEvent.sources)).order_by(CasualtyEvent.id)
             .where(or_(func.lower(CasualtyEvent.location).in_(names), func.lower(CasualtyEvent.admin).in_(names))))
    if report.country:
        query = query.where(or_(CasualtyEvent.country == report.country, CasualtyEvent.country.is_(None)))
    if report.date:
        query = query.where(or_(CasualtyEvent.date.is_(None),
                                CasualtyEvent.date.between(report.date - window, report.date + window)))
    return [view_of(event) for event in session.scalars(query.with_for_update())]


def save_decision(session: Session, decision: CasualtyDecision, evidence: Evidence,
                  said: CasualtyReport) -> CasualtyDecision:
    """Create or update the event and record the report (`said`) as a source; returns the decision with the id."""
    view = decision.event
    report = view.report
    when = evidence.published or utcnow()
    if view.id is None:
        event = CasualtyEvent(**{name: getattr(report, name) for name in _REPORT_FIELDS}, trust=view.trust,
                              url=view.url, first_seen=when, updated_at=when)
        session.add(event)
        session.flush()
    else:
        event = session.get_one(CasualtyEvent, view.id)
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
