"""Casualty events and their sources: load the events a report may be about, store what a decision changes."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Date, ScalarResult, Select, String, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from bot.detect.casualties import REVISION_DAYS, CasualtyDecision, EventView
from bot.detect.evidence import Evidence
from bot.extract.facts import CasualtyReport
from bot.store import txcache
from bot.store.baseline import aware
from bot.store.models import CasualtyEvent, CasualtySource, utcnow

_REPORT_FIELDS = ("killed", "killed_low", "killed_high", "injured", "injured_low", "injured_high", "location",
                  "country", "admin", "lat", "lon", "date", "weapon", "perpetrator", "quote", "place_level",
                  "district", "target", "claimed_killed", "claimed_injured", "claimed_by", "undated", "revision", "night")
_EVENTS = "casualty_events"
_ADD_SOURCE = insert(CasualtySource)
_UPDATE_EVENT = update(CasualtyEvent).where(CasualtyEvent.id == bindparam("event_id"))  # SET: the columns given


def view_of(event: CasualtyEvent, sources: Sequence[str] | None = None) -> EventView:
    """The event as detection sees it; `sources`, its reports' links when already read (else loaded)."""
    report = CasualtyReport(**{name: getattr(event, name) for name in _REPORT_FIELDS})
    links = tuple(sources) if sources is not None else tuple(s.url for s in event.sources)
    return EventView(key=event.key or str(event.id), report=report, id=event.id, trust=event.trust,
                     as_of=aware(event.updated_at), url=event.url, sources=links,
                     muted=bool(event.muted), rejected=tuple((k, i) for k, i in (event.rejected or ())))


@dataclass
class _Events:
    """The events this transaction has read (held, so the session finds them again without a query), their
    links and views, and the look-ups they answer; kept current by `save_decision`."""

    rows: dict[int, CasualtyEvent] = field(default_factory=dict)
    links: dict[int, list[str]] = field(default_factory=dict)
    views: dict[int, EventView] = field(default_factory=dict)
    covered: list[_Lookup] = field(default_factory=list)
    expected: list[_Lookup] = field(default_factory=list)   # look-ups announced by `expect_reports`

    def rolled_back(self, session: Session) -> None:
        """The events it updated hold what the rollback undid: read again on next use."""
        for event in self.rows.values():
            if event in session:
                session.expire(event)

    def view(self, event_id: int) -> EventView:
        found = self.views.get(event_id)
        if found is None:
            found = self.views[event_id] = view_of(self.rows[event_id], self.links[event_id])
        return found


@dataclass(frozen=True)
class _Lookup:
    """The events a report may be about: in `country` or of none (any country when None), dated between
    `first` and `last` or undated (any day when None)."""

    country: str | None
    first: dt.date | None
    last: dt.date | None

    def covers(self, other: "_Lookup") -> bool:
        """Every event `other` finds, this one finds too."""
        countries = self.country is None or self.country == other.country
        days = self.first is None or (other.first is not None and other.last is not None and self.last is not None
                                      and self.first <= other.first and other.last <= self.last)
        return countries and days

    def finds(self, event: CasualtyEvent) -> bool:
        countries = self.country is None or event.country is None or event.country == self.country
        days = self.first is None or self.last is None or event.date is None or self.first <= event.date <= self.last
        return countries and days

    def read(self, session: Session) -> ScalarResult[CasualtyEvent]:
        """The events it finds, in id order, locked for this transaction where the database can."""
        dated = self.first is not None and self.last is not None
        return session.scalars(_query(bool(self.country), dated),
                               {"country": self.country, "first": self.first, "last": self.last})


@functools.cache
def _query(by_country: bool, by_days: bool) -> Select[CasualtyEvent]:
    """The statement of a look-up, built once per shape: its country and days come as parameters."""
    query = select(CasualtyEvent).order_by(CasualtyEvent.id)
    if by_country:
        query = query.where(or_(CasualtyEvent.country == bindparam("country", type_=String()),
                                CasualtyEvent.country.is_(None)))
    if by_days:
        query = query.where(or_(CasualtyEvent.date.is_(None),
                                CasualtyEvent.date.between(bindparam("first", type_=Date()),
                                                           bindparam("last", type_=Date()))))
    return query.with_for_update()


def _merged(lookups: Iterable[_Lookup]) -> list[_Lookup]:
    """Fewer look-ups that find what these find: per country, one for every run of overlapping days."""
    merged: list[_Lookup] = []
    by_country: dict[str | None, list[_Lookup]] = {}
    for lookup in lookups:
        by_country.setdefault(lookup.country, []).append(lookup)
    for country, group in by_country.items():
        if any(lookup.first is None or lookup.last is None for lookup in group):
            merged.append(_Lookup(country, None, None))
            continue
        spans = sorted((lookup.first, lookup.last) for lookup in group if lookup.first and lookup.last)
        first, last = spans[0]
        for start, end in spans[1:]:
            if start > last:
                merged.append(_Lookup(country, first, last))
                first = start
            last = max(last, end)
        merged.append(_Lookup(country, first, last))
    return merged


def _lookup(report: CasualtyReport, window: dt.timedelta) -> _Lookup:
    wide = window + dt.timedelta(days=REVISION_DAYS)
    if not report.date:
        return _Lookup(report.country or None, None, None)
    return _Lookup(report.country or None, _shifted(report.date, -wide), _shifted(report.date, wide))


def expect_reports(session: Session, reports: Iterable[CasualtyReport], window: dt.timedelta) -> None:
    """Announce the reports the documents of this transaction will look up (`nearby_events`): the first
    look-up then reads the events of all of them at once. Nothing is read (or locked) here, so the reading
    still happens after the detection lock is taken."""
    cache = txcache.cached(session, _EVENTS, _Events)
    cache.expected = _merged([*cache.expected, *(_lookup(report, window) for report in reports)])


def nearby_events(session: Session, reports: Iterable[CasualtyReport], window: dt.timedelta) -> list[EventView]:
    """Events that may be one of the reports': in its country (or of unknown country), dated within the window
    of it or, for a revision that tells no day, in the days before it; locked. detect.casualties decides which
    one it is. A look-up that an earlier one of this transaction covers is answered from memory."""
    cache = txcache.cached(session, _EVENTS, _Events)
    found: set[int] = set()
    for lookup in (_lookup(report, window) for report in reports):
        if not any(done.covers(lookup) for done in cache.covered):
            for wider in _merged([lookup, *cache.expected]):   # what the transaction will ask, read at once
                _read(session, cache, wider)
            cache.expected = []
        found.update(event_id for event_id, event in cache.rows.items() if lookup.finds(event))
    return [cache.view(event_id) for event_id in sorted(found)]


def _read(session: Session, cache: _Events, lookup: _Lookup) -> None:
    """Load (and lock) the events of one look-up into the cache, with the links of those new to it."""
    fresh = []
    for event in lookup.read(session):
        if event.id not in cache.rows:
            cache.rows[event.id] = event
            cache.links[event.id] = []
            fresh.append(event.id)
    for start in range(0, len(fresh), 500):  # the links alone: an event told by many reports stays cheap to read
        rows = session.execute(select(CasualtySource.event_id, CasualtySource.url)
                               .where(CasualtySource.event_id.in_(fresh[start:start + 500])).order_by(CasualtySource.id))
        for event_id, url in rows:
            cache.links[event_id].append(url)
    cache.covered.append(lookup)


def _update(session: Session, event: CasualtyEvent, values: dict[str, Any]) -> None:
    """Write the values that differ in one UPDATE, and give them to the held event as its stored state: the
    unit of work's bookkeeping for one row costs more than the row (a rollback expires the event)."""
    changed = {name: value for name, value in values.items() if getattr(event, name) != value}
    if not changed:
        return
    session.connection().execute(_UPDATE_EVENT, {"event_id": event.id, **changed})
    for name, value in changed.items():
        set_committed_value(event, name, value)


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
    cache: _Events = txcache.cached(session, _EVENTS, _Events)
    if view.id is not None:
        event: CasualtyEvent | None = cache.rows.get(view.id) or session.get_one(CasualtyEvent, view.id)
    else:
        event = session.scalars(select(CasualtyEvent).where(CasualtyEvent.key == view.key)).first()
    if event is None:
        event = CasualtyEvent(key=view.key, **{name: getattr(report, name) for name in _REPORT_FIELDS},
                              trust=view.trust, url=view.url, first_seen=when, updated_at=when)
        session.add(event)
        session.flush()
        cache.rows[event.id], cache.links[event.id] = event, []   # new in this transaction: no link yet
    else:
        if event.id not in cache.rows:   # held from now on: its new figures may put it in a look-up already made
            cache.rows[event.id] = event
            cache.links[event.id] = list(session.scalars(select(CasualtySource.url).where(
                CasualtySource.event_id == event.id).order_by(CasualtySource.id)))
        values = {name: getattr(report, name) for name in _REPORT_FIELDS}
        if decision.action == "update":
            values.update(trust=view.trust, url=view.url, updated_at=when)
        _update(session, event, values)
    cache.views.pop(event.id, None)   # its figures or links change
    link = evidence.link
    links = cache.links[event.id]
    if link not in links:
        links.append(link)
        session.connection().execute(_ADD_SOURCE, {  # a plain insert: nothing in the session reads the row back
            "event_id": event.id, "url": link, "source": evidence.source, "feed": evidence.feed,
            "killed": said.killed, "injured": said.injured, "trust": evidence.trust, "seen_at": when})
    session.flush()
    return replace(decision, event=replace(view, id=event.id))
