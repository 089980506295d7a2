"""Casualty event identity and revisions.

An event is one attack: a place in the hierarchy city ⊂ district ⊂ region ⊂ country, a date window
(detection.casualty_window), an attack type and, where named, a distinctive target, across every feed.

Identity (`same_event`):
- the places must be one place or one inside the other: the same city (by name, or by the gazetteer's point),
  a city and its district or region, a district and its region; a country alone is no place; two towns of one
  district are one place for one distinctive target named in both (a prison, a hypermarket), and two towns of
  one region within NEIGHBOUR_KM of each other are one place for reports of the same day;
- the dates within the window (detection.casualty_window); a report whose day is uncertain (it tells no day of
  its own, or tells a revised toll, "rose to 40") matches an event up to `REVISION_DAYS` before it;
- the attack types compatible (`weapons.yaml` families: a strike and a shooting are two attacks, a
  "missile" and a "shelling" report of one strike are not), unless one of them tells a revised toll at the
  other's place on its day (a revision presupposes the attack it revises), both tell the same toll there
  that day (`same_toll`: outlets name one raid's weapons loosely) or both name the same distinctive target
  there that day (a bus told as fired on and as hit by a drone).
A report that names only its country joins the one event of that country in its window that names the same
target or the same weapon, and never founds one. Among several matching events the one with the same target,
then the same weapon (or none named: an event whose first report named no weapon is no worse a match than one
of the same weapon), then the nearest date wins.

Revisions (`decide_casualty`), figure by figure (killed, injured):
- a report matching no event → casualty_event;
- a higher figure from a source at least as trusted (config Feed.trust) as the one that set the toll → update;
- a higher figure from a less trusted source → it is kept as claimed (`claimed_killed`, `claimed_injured`,
  `claimed_by`) and shown beside the toll in an update, never as the toll;
- a lower, equal, vaguer ("dozens") or partial figure → only a source added; only a more trusted source lowers a
  toll (the higher figure it replaces stays, as claimed); a figure told after a vague one ("23" after "dozens")
  is the first toll told;
- victims told on top of a toll ("two more bodies", "two of the wounded died") → added to the event's toll,
  unless the toll was revised less than `RETOLD` before (another outlet telling the same deaths);
- a processed document replayed changes nothing (it was taken into account when first processed): at most its
  link is added to the event it matches;
- reports with no place or no figures are not events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Literal
from urllib.parse import urlparse

from bot.detect.alerts import Alert, AlertKind, CasualtyChange, Figures
from bot.detect.evidence import Evidence
from bot.extract.yaml_data import parse_yaml
from bot.extract.facts import CasualtyReport
from bot.extract.gazetteer import enclosing_region

FIGURES = ("killed", "injured")
REVISION_DAYS = 14      # a toll revised up to two weeks after the attack (a wounded man dies in hospital)
UNDATED_DAYS = 3        # a report telling no day, and no revision, is of an attack this recent
MARKED_DAYS = 31        # ... and one naming the attack's target and telling its toll there, of one this recent
SAME_TOLL_LEAST = 5     # a toll this large, told again at the same place, marks the same attack
RETOLD = dt.timedelta(days=1)   # victims "more" told this soon after a revised toll: the same victims retold
NEIGHBOUR_KM = 12.0     # a village and the town beside it, hit the same day: one attack as news tells it
_DETAILS = ("admin", "lat", "lon", "weapon", "perpetrator", "country", "district", "target", "night")
_LEVELS = {"city": 0, "district": 1, "region": 2, "country": 3}


@dataclass(frozen=True)
class EventView:
    """A casualty event as detection sees it (id None: not stored yet)."""

    key: str                        # the event's identity, stable from its first report on
    report: CasualtyReport          # the event's current figures and identity, in the extract shape
    id: int | None = None
    trust: int = 1                  # trust of the source the toll comes from
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


# -- identity ----------------------------------------------------------------------------------------------

def _norm(text: str | None) -> str | None:
    if not text:
        return None
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).casefold().split())


def level_of(report: CasualtyReport) -> str | None:
    """city, district, region or country; None without any place. Reports made by hand may leave it out: a
    place with coordinates is a city, one named like its region a region."""
    if report.place_level:
        return report.place_level
    if report.location is None:
        return "country" if report.country else None
    if report.lat is None and (_norm(report.location) == _norm(report.admin)
                               or (_norm(report.location) or "").endswith((" oblast", " region", " province"))):
        return "region"
    return "city"


def same_place(a: CasualtyReport, b: CasualtyReport) -> bool:
    """One place, or one inside the other; a country alone is no place."""
    if a.country and b.country and a.country != b.country:
        return False
    la, lb = level_of(a), level_of(b)
    if la in (None, "country") or lb in (None, "country"):
        return False
    if _LEVELS[la] > _LEVELS[lb]:
        a, b, la, lb = b, a, lb, la          # a is the more specific of the two
    if la == lb == "city":
        return _norm(a.location) == _norm(b.location) or _same_point(a, b)
    if la == lb:
        return _norm(a.location) == _norm(b.location) or (la == "region" and bool(a.admin) and a.admin == b.admin)
    if lb == "district":
        return _norm(a.district) == _norm(b.location) or _norm(a.location) == _norm(b.location)
    return _in_region(a.admin, b.admin)                  # inside the region (Kyiv inside Kyiv Oblast too)


def _same_point(a: CasualtyReport, b: CasualtyReport) -> bool:
    return a.lat is not None and b.lat is not None and a.lon is not None and b.lon is not None \
        and abs(a.lat - b.lat) < 0.02 and abs(a.lon - b.lon) < 0.03


def _close_by(a: CasualtyReport, b: CasualtyReport) -> bool:
    """Two towns of one region within NEIGHBOUR_KM of each other."""
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None or a.country != b.country \
            or not (_in_region(a.admin, b.admin) or _in_region(b.admin, a.admin)):
        return False
    north = (a.lat - b.lat) * 111.0
    east = (a.lon - b.lon) * 111.0 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(north, east) <= NEIGHBOUR_KM


@lru_cache(maxsize=1)
def _families() -> dict[str, str]:
    text = resources.files("bot.extract").joinpath("data/weapons.yaml").read_text(encoding="utf-8")
    return {str(w["id"]): str(w.get("family") or w["id"]) for w in (parse_yaml(text) or {}).get("weapons") or ()}


def _in_region(admin: str | None, region: str | None) -> bool:
    """Inside the region, or a city region inside it (Kyiv in Kyiv Oblast)."""
    return bool(admin) and bool(region) and (admin == region or enclosing_region(admin) == region)


def same_attack(a: CasualtyReport, b: CasualtyReport) -> bool:
    """Attack types must be compatible when both name one (their `family` in weapons.yaml; "any" fits all). The
    perpetrator is not compared: at one place and date, reports that disagree on it are far more often an
    attribution slip than two attacks."""
    if not a.weapon or not b.weapon:
        return True
    fa, fb = _families().get(a.weapon, a.weapon), _families().get(b.weapon, b.weapon)
    return fa == fb or "any" in (fa, fb)


def within(event: CasualtyReport, report: CasualtyReport, window: dt.timedelta) -> bool:
    """Whether the two can be one attack by their days. Two days the texts tell for the attack match within the
    window (detection.casualty_window: a night attack is told under either date), unless the later report dates
    its strike to the next day with fewer dead (`_fewer`) or as one more attack (`_next_attack`); two that tell
    one night (`same_night`) match whatever their figures. (Another target the next day is no mark of another
    strike: a night's barrage hits several, and outlets date it either way.) A report that tells no day of
    its own (`undated`: its day is its publication's) is of an attack on that day or shortly before it:
    `UNDATED_DAYS`, or `REVISION_DAYS` for one telling a revised toll ("rose to 40", "died in hospital"), naming
    the same distinctive target at the same place (the cafe of a village, days later) or telling the same toll
    there ("four killed in Odesa", five days on), which news often tells days later without naming the attack's
    day; `MARKED_DAYS` for one that does both ("the 17th victim of the market attack", two weeks on)."""
    a, b = event.date, report.date
    if a is None or b is None:
        return True
    if not event.undated and not report.undated:
        if a == b or same_night(event, report):
            return True
        return abs(b - a) <= window and not (b > a and (_fewer(report, event) or _next_attack(report)))
    marks = (bool(event.target) and event.target == report.target) + same_toll(event, report) \
        if same_place(event, report) else 0

    def reach(teller: CasualtyReport) -> dt.timedelta:
        days = MARKED_DAYS if marks == 2 else REVISION_DAYS if teller.revision or marks else UNDATED_DAYS
        return dt.timedelta(days=days)

    if event.undated and report.undated:
        return abs(b - a) <= reach(report if b >= a else event)
    told, telling = (b - a, report) if report.undated else (a - b, event)   # attack's day to a day it was told
    return -window <= told <= reach(telling)


def same_night(a: CasualtyReport, b: CasualtyReport) -> bool:
    """The two tell one night: the same evening ("on Saturday night" and "overnight" told on Sunday), or one
    night and a day of it ("early on Sunday" and "on Saturday"). A partial toll one outlet dates by the night's
    second day is no next night's strike; two nights told with evenings of their own stay two."""
    if a.night is not None and b.night is not None:
        return a.night == b.night
    night, day = (a.night, b.date) if a.night is not None else (b.night, a.date)
    return night is not None and day is not None and 0 <= (day - night).days <= 1


def _next_attack(report: CasualtyReport) -> bool:
    """A report dated the day after the event's (by another night or day), told as one more attack on the place
    ("Kharkiv hit again", "a second night in a row") and not as a revision: the next attack, whatever its toll."""
    return report.again and not report.revision


def _fewer(a: CasualtyReport, b: CasualtyReport) -> bool:
    """`a`, the later report, tells fewer dead than the event `b` (fewer wounded where neither tells the dead) on
    the day after the event's, each dated by its own report: the strike of the next night, as a toll told again
    does not fall (the window is for a night told under either date; a smaller toll dated the day before is
    more often the night's first figure, told late). A report told as revised
    ("rose to", "died in hospital") may be dated by its news, not by its attack: it is never another strike."""
    if a.revision:
        return False
    if a.killed is not None or b.killed is not None:
        return a.killed is not None and b.killed is not None and a.killed < b.killed
    return a.injured is not None and b.injured is not None and a.injured < b.injured


def same_toll(a: CasualtyReport, b: CasualtyReport) -> bool:
    """The two tell one toll: every figure both state is the same, and those figures add up to at least
    `SAME_TOLL_LEAST` victims, or to three with the dead and the wounded both told (one or three dead in a city
    shelled daily are no mark of one attack)."""
    shared = [(getattr(a, n), getattr(b, n)) for n in FIGURES
              if getattr(a, n) is not None and getattr(b, n) is not None]
    least = 3 if len(shared) == len(FIGURES) else SAME_TOLL_LEAST
    return bool(shared) and all(x == y for x, y in shared) and sum(x for x, _ in shared) >= least


def same_event(a: CasualtyReport, b: CasualtyReport, window: dt.timedelta) -> bool:
    if not ((same_attack(a, b) or _revised_there_that_day(a, b) or _same_toll_there_that_day(a, b)
             or _same_target_there_that_day(a, b)) and within(a, b, window)):
        return False
    return same_place(a, b) or same_target_nearby(a, b) or (_close_by(a, b) and _same_day(a, b))


def _revised_there_that_day(a: CasualtyReport, b: CasualtyReport) -> bool:
    """A toll told as revised ("has risen to two") at the place and on the day of a known attack is that
    attack's, whatever weapon it names: outlets word one raid loosely ("fired at a car", "shelled a car"), and a
    revision presupposes the attack it revises."""
    return (a.revision or b.revision) and a.date is not None and a.date == b.date and same_place(a, b)


def _same_toll_there_that_day(a: CasualtyReport, b: CasualtyReport) -> bool:
    """The same toll (`same_toll`) told at one place on one day is one attack, whatever weapon each names:
    outlets name one raid's weapons loosely ("five suicide bombers" for five attack drones)."""
    return a.date is not None and a.date == b.date and same_place(a, b) and same_toll(a, b)


def _same_target_there_that_day(a: CasualtyReport, b: CasualtyReport) -> bool:
    """One distinctive target hit at one place on one day is one attack, whatever weapon each names: outlets
    tell one raid on a bus as gunfire and as a drone."""
    return bool(a.target) and a.target == b.target and a.date is not None and a.date == b.date \
        and same_place(a, b)


def _same_day(a: CasualtyReport, b: CasualtyReport) -> bool:
    return a.date is not None and b.date is not None and abs((a.date - b.date).days) <= 1


def same_target_nearby(a: CasualtyReport, b: CasualtyReport) -> bool:
    """Two towns of one district named for one distinctive target ("a prison in Olenivka", "the Donetsk
    prison"): one attack, told from its district's main town and from the village."""
    return bool(a.target and a.target == b.target and a.district and a.district == b.district
                and a.country == b.country)


def usable(report: CasualtyReport) -> bool:
    """A report can found or revise an event: it names a place below its country and a figure."""
    return level_of(report) not in (None, "country") and _has_figures(report)


def joinable(report: CasualtyReport) -> bool:
    """A report naming only its country may still join an event of that country."""
    return level_of(report) == "country" and bool(report.country) and _has_figures(report)


def _has_figures(report: CasualtyReport) -> bool:
    return any(getattr(report, n) is not None or getattr(report, f"{n}_low") is not None
               or getattr(report, f"{n}_added") for n in FIGURES)


def merge_reports(reports: Iterable[CasualtyReport], published: dt.date | None,
                  window: dt.timedelta) -> list[CasualtyReport]:
    """One report per event in a document: undated reports take the publication date; figures of one event
    merge to the highest stated, missing details are filled from the others; two the document dates to days of
    their own stay two. Reports naming only a country are kept last, to join an event."""
    merged: list[CasualtyReport] = []
    for report in reports:
        if not usable(report) and not joinable(report):
            continue
        if report.date is None and published is not None and not report.undated:
            report = replace(report, date=published, undated=True)
        for i, other in enumerate(merged):
            if same_event(other, report, window) and not told_apart(other, report):
                merged[i] = _combine(other, report)
                break
        else:
            merged.append(report)
    return sorted(merged, key=joinable)


def told_apart(a: CasualtyReport, b: CasualtyReport) -> bool:
    """Two reports of one document that each tell a day of their own, different days: the document tells two
    attacks ("three killed on Saturday ... on Friday, a drone attack on the city injured 11")."""
    return not a.undated and not b.undated and a.date is not None and b.date is not None and a.date != b.date


def _combine(a: CasualtyReport, b: CasualtyReport) -> CasualtyReport:
    changes: dict[str, Any] = {}
    for name in FIGURES:
        new, old = _magnitude(b, name), _magnitude(a, name)
        if new is not None and (old is None or new > old):
            changes.update({name: getattr(b, name), f"{name}_low": getattr(b, f"{name}_low"),
                            f"{name}_high": getattr(b, f"{name}_high")})
            if name == "killed":
                changes["killed_as_victims"] = b.killed_as_victims      # how the dead it now holds were told
    for name in (*_DETAILS, "location", "date"):
        if getattr(a, name) is None and getattr(b, name) is not None:
            changes[name] = getattr(b, name)
    return replace(a, **changes)


def find_event(report: CasualtyReport, events: Sequence[EventView], window: dt.timedelta,
               link: str | None = None) -> EventView | None:
    """The known event this report is about; a report naming only its country finds one only by its target or
    as the one candidate. An event that already lists `link` (the document was processed before) wins."""
    if link is not None:
        known = [e for e in events if link in e.sources and (same_event(e.report, report, window) or joinable(report))]
        if known:
            return known[0]
    if joinable(report):
        # only by what it names of the attack: the same target, or the same weapon, and one event that fits
        near = [e for e in events if e.report.country == report.country and within(e.report, report, window)
                and ((report.target and e.report.target == report.target)
                     or (report.weapon and e.report.weapon == report.weapon))]
        return near[0] if len(near) == 1 else None
    matches = [e for e in events if same_event(e.report, report, window)]
    if not matches:
        return None

    def rank(event: EventView) -> tuple[bool, bool, bool, int]:
        days = abs((event.report.date - report.date).days) if event.report.date and report.date else 0
        return (bool(report.target) and event.report.target == report.target,
                bool(report.weapon) and event.report.weapon in (report.weapon, None),
                level_of(event.report) == level_of(report), -days)

    return max(matches, key=rank)


# -- revisions -----------------------------------------------------------------------------------------------

def _magnitude(report: CasualtyReport, name: str) -> int | None:
    """A figure's size: its value, else its lower bound ("dozens": 24)."""
    value: int | None = getattr(report, name)
    if value is None:
        value = getattr(report, f"{name}_low")
    return value


def _retold_increment(report: CasualtyReport, event: EventView, evidence: Evidence) -> bool:
    """Victims told on top of a toll, with no toll ("a wounded man has died in hospital"), within `RETOLD` of a
    revision of the event ("... bringing the death toll to 14"): another outlet telling the same deaths, which
    the revised toll already counts."""
    if not (report.killed_added or report.injured_added) or not event.report.revision or len(event.sources) < 2:
        return False                  # (a first report told as a revision revised nothing the event had)
    if any(getattr(report, n) is not None or getattr(report, f"{n}_low") is not None for n in FIGURES):
        return False
    if event.as_of is None or evidence.published is None:
        return False
    return dt.timedelta(0) <= evidence.published - event.as_of <= RETOLD


def _victims_retold(report: CasualtyReport, current: CasualtyReport) -> bool:
    """"The number of casualties rose to 19", no dead counted, for an event of 5 killed and 14 injured: the
    count is of the wounded, or of the dead and the wounded together, which the event holds already; it is no
    rise in the dead."""
    if not report.killed_as_victims or report.killed is None:
        return False
    injured = _magnitude(current, "injured")
    if injured is None:
        return False
    killed = _magnitude(current, "killed")
    return report.killed in {injured, injured + (killed or 0)}


def decide_casualty(report: CasualtyReport, event: EventView | None, evidence: Evidence, *,
                    replay: bool = False) -> CasualtyDecision:
    """What one report means for the event it matches (pure). `replay`: the document was processed before."""
    link = evidence.link
    if replay and event is not None:
        # taken into account when first processed, in the context of then: a replay revises nothing
        sources = event.sources if link in event.sources else (*event.sources, link)
        return CasualtyDecision("source", replace(event, sources=sources))
    if event is None:
        report = _with_added(report, None)
        return CasualtyDecision("event", EventView(key=new_event_key(evidence, report), report=report,
                                                   trust=evidence.trust, as_of=evidence.published, url=link,
                                                   sources=(link,)))
    sources = event.sources if link in event.sources else (*event.sources, link)
    current = event.report
    if _retold_increment(report, event, evidence):
        report = replace(report, killed_added=None, injured_added=None)
    report = _with_added(report, current)
    if _victims_retold(report, current):
        report = replace(report, killed=None, killed_low=None, killed_high=None)
    details = {n: getattr(report, n) for n in _DETAILS if getattr(current, n) is None and getattr(report, n) is not None}
    if _LEVELS.get(level_of(report) or "", 9) < _LEVELS.get(level_of(current) or "", 9):
        # the region's event, now placed in a city of it
        details.update({n: getattr(report, n) for n in ("location", "place_level", "lat", "lon", "district")})
    revised: dict[str, Any] = {}
    claims: dict[str, Any] = {}
    for name in FIGURES:
        new, old = _magnitude(report, name), _magnitude(current, name)
        if getattr(report, name) is None and getattr(current, name) is not None:
            continue                  # "dozens" beside a toll told: vaguer, a source
        if getattr(report, name) is not None and getattr(current, name) is None:
            old = None                # "23 injured" after "dozens injured": the first figure told
        if new is None or new == old:
            continue
        figures = {name: getattr(report, name), f"{name}_low": getattr(report, f"{name}_low"),
                   f"{name}_high": getattr(report, f"{name}_high")}
        if old is None or new > old:
            if evidence.trust >= event.trust:
                revised.update(figures)
            elif new > (getattr(current, f"claimed_{name}") or 0):
                claims.update({f"claimed_{name}": new, "claimed_by": evidence.source})
        elif evidence.trust > event.trust:            # a more trusted source corrects the toll down
            revised.update(figures)
            claims.update({f"claimed_{name}": old, "claimed_by": _source_of(event)})
    if not revised and not claims:
        return CasualtyDecision("source", replace(event, report=replace(current, **details), sources=sources))
    if revised:
        revised["revision"] = report.revision       # how the figures the event now holds were told
    after = replace(current, **details, **revised, **claims, quote=report.quote or current.quote)
    after = _settle_claims(after)
    if revised:
        updated = replace(event, report=after, trust=max(evidence.trust, event.trust), as_of=evidence.published,
                          url=link, sources=sources)
    else:
        updated = replace(event, report=after, sources=sources)
    return CasualtyDecision("update", updated, previous={n: getattr(current, n) for n in FIGURES})


def _settle_claims(report: CasualtyReport) -> CasualtyReport:
    """A claim the toll has reached is no longer shown."""
    changes: dict[str, Any] = {}
    for name in FIGURES:
        claimed, toll = getattr(report, f"claimed_{name}"), _magnitude(report, name)
        if claimed is not None and toll is not None and toll >= claimed:
            changes[f"claimed_{name}"] = None
    if changes and all((changes.get(f"claimed_{n}", getattr(report, f"claimed_{n}")) is None) for n in FIGURES):
        changes["claimed_by"] = None
    return replace(report, **changes) if changes else report


def _with_added(report: CasualtyReport, current: CasualtyReport | None) -> CasualtyReport:
    """Victims told on top of a toll become a toll: the event's figure plus them (or them alone for a new one)."""
    changes: dict[str, Any] = {}
    for name in FIGURES:
        added = getattr(report, f"{name}_added")
        if added and getattr(report, name) is None and getattr(report, f"{name}_low") is None:
            base = (_magnitude(current, name) or 0) if current is not None else 0
            changes.update({name: base + added, f"{name}_low": base + added, f"{name}_high": None})
    return replace(report, **changes, killed_added=None, injured_added=None) if changes else report


def _source_of(event: EventView) -> str:
    return urlparse(event.url).netloc.removeprefix("www.") or event.url


def casualty_alert(decision: CasualtyDecision, evidence: Evidence) -> Alert | None:
    """The alert for a decision; None for a source added."""
    event = decision.event
    if decision.action == "source":
        return None
    casualty = event.report
    figures = ":".join(f"{getattr(casualty, n)}" for n in FIGURES)
    if casualty.claimed_killed is not None or casualty.claimed_injured is not None:
        figures += f":claimed:{casualty.claimed_killed}:{casualty.claimed_injured}"
    previous = Figures(decision.previous.get("killed"), decision.previous.get("injured")) \
        if decision.action == "update" else None
    return Alert(
        kind=AlertKind.CASUALTY_EVENT if decision.action == "event" else AlertKind.CASUALTY_UPDATE,
        key=f"{event.thread_key}:{figures}",  # one key space for event and updates: same figures never twice
        actor=casualty.perpetrator,
        detail=CasualtyChange(casualty=casualty, sources=event.sources, previous=previous),
        url=evidence.url, published=evidence.published,
        thread_key=event.thread_key,
    )
