"""Casualty event identity and revisions.

An event is one place (city, or admin region when only that is known), one date window
(detection.casualty_window) and one attack (the weapon, when both reports name one), across
every feed. Rules:
- a report matching no event → casualty_event;
- a report of a known event with different figures → casualty_update carrying the previous figures;
- the same figures again (any source) → only a source added, no alert;
- a lower figure replaces a higher one only from a source at least as trusted (config Feed.trust) and not
  older than the figure it replaces; otherwise only the source is added;
- a processed document replayed, whose link is already among the event's sources, changes nothing;
- reports with no place or no figures are not events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from bot.detect.alerts import Alert, AlertKind, CasualtyChange, Figures
from bot.detect.evidence import Evidence
from bot.extract.facts import CasualtyReport

FIGURES = ("killed", "injured")
_DETAILS = ("admin", "lat", "lon", "weapon", "perpetrator", "country")


@dataclass(frozen=True)
class EventView:
    """A casualty event as detection sees it (id None: not stored yet)."""

    key: str                        # the event's identity, stable from its first report on
    report: CasualtyReport          # the event's current figures and identity, in the extract shape
    id: int | None = None
    trust: int = 1
    as_of: dt.datetime | None = None  # publication time of the report its figures come from
    url: str = ""
    sources: tuple[str, ...] = ()   # links of every report of it
    muted: bool = False             # the team said it is not an attack: its reports raise nothing
    rejected: tuple[tuple[int | None, int | None], ...] = ()   # (killed, injured) the team said were wrong

    @property
    def thread_key(self) -> str:
        return f"casualty:{self.key}"


def new_event_key(evidence: Evidence, report: CasualtyReport) -> str:
    """A new event's identity, from the document that first reports it and where and when (pure, so detection
    can name an event before the store gives it an id)."""
    seed = "|".join(str(x) for x in (evidence.document_id, report.location, report.admin, report.country, report.date))
    return "e" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class CasualtyDecision:
    action: Literal["event", "update", "source"]
    event: EventView                # the event after this report (id None for a new one)
    previous: dict[str, int | None] = field(default_factory=dict)


def _norm(text: str | None) -> str | None:
    return " ".join(text.casefold().split()) if text else None


def same_place(a: CasualtyReport, b: CasualtyReport) -> bool:
    """Same city, or the same admin region when one of them names only the region."""
    if a.country and b.country and a.country != b.country:
        return False
    al, bl, aa, ba = _norm(a.location), _norm(b.location), _norm(a.admin), _norm(b.admin)
    if al and bl and al == bl:
        return True
    if aa and ba and aa == ba and (_region_only(a, b) or _region_only(b, a)):
        return True
    return bool((al and al == ba) or (bl and bl == aa))


def _region_only(report: CasualtyReport, other: CasualtyReport) -> bool:
    """The report names a region, not a city in it: no place, the region's own name, or (where the other
    report has a city's coordinates) a place without coordinates, as the gazetteer gives provinces."""
    if report.location is None or _norm(report.location) == _norm(report.admin):
        return True
    return report.lat is None and other.lat is not None


def same_attack(a: CasualtyReport, b: CasualtyReport) -> bool:
    """Weapons must not differ when both name one. The perpetrator is not compared: at one place and date,
    reports that disagree on it are far more often an attribution slip than two attacks."""
    x, y = _norm(a.weapon), _norm(b.weapon)
    return not (x and y and x != y)


def within(a: dt.date | None, b: dt.date | None, window: dt.timedelta) -> bool:
    return a is None or b is None or abs(a - b) <= window


def same_event(a: CasualtyReport, b: CasualtyReport, window: dt.timedelta) -> bool:
    return same_place(a, b) and same_attack(a, b) and within(a.date, b.date, window)


def usable(report: CasualtyReport) -> bool:
    """A report can found or revise an event: it names a place and a figure."""
    return bool(report.location or report.admin) and (report.killed is not None or report.injured is not None)


def merge_reports(reports: Iterable[CasualtyReport], published: dt.date | None,
                  window: dt.timedelta) -> list[CasualtyReport]:
    """One report per event in a document: undated reports take the publication date; figures of one event
    merge to the highest stated ("rose from 35 to 40" is 40), missing details are filled from the others."""
    merged: list[CasualtyReport] = []
    for report in reports:
        if not usable(report):
            continue
        if report.date is None and published is not None:
            report = replace(report, date=published)
        for i, other in enumerate(merged):
            if same_event(other, report, window):
                merged[i] = _combine(other, report)
                break
        else:
            merged.append(report)
    return merged


def _combine(a: CasualtyReport, b: CasualtyReport) -> CasualtyReport:
    changes: dict[str, Any] = {}
    for name in FIGURES:
        x, y = getattr(a, name), getattr(b, name)
        if y is not None and (x is None or y > x):
            changes.update({name: y, f"{name}_low": getattr(b, f"{name}_low"), f"{name}_high": getattr(b, f"{name}_high")})
    for name in (*_DETAILS, "location", "date"):
        if getattr(a, name) is None and getattr(b, name) is not None:
            changes[name] = getattr(b, name)
    return replace(a, **changes)


def find_event(report: CasualtyReport, events: Sequence[EventView], window: dt.timedelta) -> EventView | None:
    """The known event this report is about: the closest in date among those that match."""
    matches = [e for e in events if same_event(e.report, report, window)]
    if not matches or report.date is None:
        return matches[0] if matches else None
    return min(matches, key=lambda e: abs((e.report.date or report.date) - report.date))  # type: ignore[operator]


def decide_casualty(report: CasualtyReport, event: EventView | None, evidence: Evidence, *,
                    replay: bool = False) -> CasualtyDecision:
    """What one report means for the event it matches (pure). `replay`: the document was processed before."""
    link = evidence.link
    if event is None:
        return CasualtyDecision("event", EventView(key=new_event_key(evidence, report), report=report,
                                                   trust=evidence.trust, as_of=evidence.published, url=link,
                                                   sources=(link,)))
    if replay and link in event.sources:  # taken into account when first processed: a replay revises nothing
        return CasualtyDecision("source", event)
    sources = (*event.sources, link)
    current = event.report
    details = {n: getattr(report, n) for n in _DETAILS if getattr(current, n) is None and getattr(report, n) is not None}
    revised: dict[str, Any] = {}
    for name in FIGURES:
        new, old = getattr(report, name), getattr(current, name)
        if new is None or new == old:
            continue
        if old is not None and new < old and not _may_lower(event, evidence):
            continue
        revised.update({name: new, f"{name}_low": getattr(report, f"{name}_low"),
                        f"{name}_high": getattr(report, f"{name}_high")})
    if not revised:
        return CasualtyDecision("source", replace(event, report=replace(current, **details), sources=sources))
    updated = replace(event, report=replace(current, **details, **revised, quote=report.quote or current.quote),
                      trust=evidence.trust, as_of=evidence.published, url=link, sources=sources)
    return CasualtyDecision("update", updated, previous={n: getattr(current, n) for n in FIGURES})


def _may_lower(event: EventView, evidence: Evidence) -> bool:
    """A lower toll counts only from a source as trusted, and not older than the figure it would replace."""
    if evidence.trust < event.trust:
        return False
    return event.as_of is None or evidence.published is None or evidence.published >= event.as_of


def casualty_alert(decision: CasualtyDecision, evidence: Evidence) -> Alert | None:
    """The alert for a decision; None for a source added."""
    event = decision.event
    if decision.action == "source":
        return None
    figures = ":".join(f"{getattr(event.report, n)}" for n in FIGURES)
    previous = Figures(decision.previous.get("killed"), decision.previous.get("injured")) \
        if decision.action == "update" else None
    return Alert(
        kind=AlertKind.CASUALTY_EVENT if decision.action == "event" else AlertKind.CASUALTY_UPDATE,
        key=f"{event.thread_key}:{figures}",  # one key space for event and updates: same figures never twice
        actor=event.report.perpetrator,
        detail=CasualtyChange(casualty=event.report, sources=event.sources, previous=previous),
        url=evidence.url, published=evidence.published,
        thread_key=event.thread_key,
    )
