"""Casualty alerts on a real timeline: reports replayed in publication order through the whole pipeline.

Each line of the JSON-lines file is one report (`id`, `event`, `url`, `published`, `title`, `text`, `killed`,
`injured`, optional `also` for a second attack in the same text; `event` is `none` for a text that reports no
new attack). The reports are extracted, detected and stored one by one into a fresh database, as a feed would
deliver them, and the alerts are scored against the ideal:

- one alert (the event's root message) per attack, at its first report that states a figure;
- one update per later report whose killed or injured figure rises above the highest posted so far for that
  attack; a lower or equal figure is a repeat and stays quiet (the ideal posts rises only: every source in a
  replay is as trusted as the others, so no lower figure may replace a higher one);
- nothing for a text without a new attack.

Figures (a report belongs to the thread whose event lists it among its sources):
- attacks found: attacks whose reports opened a thread (an event alert);
- attacks with more than one root: attacks whose reports opened two threads or more;
- merges: threads holding reports of two attacks or more (each attack beyond the first counts);
- revised tolls alerted: reports the ideal updates on that raised an alert in their attack's thread;
- repeats quiet: later reports of an attack the ideal is quiet on that raised no alert;
- negatives quiet: texts without a new attack that raised no alert;
- final toll right: attacks whose first thread ends on the highest killed and the highest injured figure any of
  their reports states (killed only: the killed figure alone);
- alerts raised against the ideal count.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from bot.evaluation import ratio

if TYPE_CHECKING:
    from bot.config import Config
    from bot.extract import Extractor
    from bot.extract.facts import CasualtyReport

NONE = "none"


@dataclass(frozen=True)
class Attack:
    """One attack a report tells of, with the figures the report states for it."""

    event: str
    killed: int | None
    injured: int | None
    place: str = ""
    country: str = ""


@dataclass(frozen=True)
class TimelineReport:
    id: str
    url: str
    published: dt.date
    title: str
    text: str
    attacks: tuple[Attack, ...]          # empty for a text without a new attack

    @property
    def is_negative(self) -> bool:
        return not self.attacks


def load_timeline(path: str | Path) -> list[TimelineReport]:
    """The reports of a JSON-lines timeline, in publication order (the file's order within a day)."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            rows.append(_report(data))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a timeline report ({exc})") from exc
    return sorted(rows, key=lambda r: r.published)   # stable: the file's order within a day


def _report(data: dict[str, Any]) -> TimelineReport:
    attacks = []
    country = str(data.get("country") or "")
    if data["event"] != NONE:
        attacks.append(Attack(data["event"], data.get("killed"), data.get("injured"), data.get("place") or "", country))
    also = data.get("also") or ()
    for other in [also] if isinstance(also, dict) else also:       # one second attack, or a list of them
        attacks.append(Attack(other["event"], other.get("killed"), other.get("injured"), other.get("place") or "",
                              str(other.get("country") or country)))
    return TimelineReport(id=str(data["id"]), url=str(data.get("url") or ""),
                          published=dt.date.fromisoformat(str(data["published"])[:10]),
                          title=str(data.get("title") or ""), text=str(data["text"]), attacks=tuple(attacks))


# -- the ideal ---------------------------------------------------------------------------------------------

ROOT, UPDATE, REPEAT, EMPTY = "root", "update", "repeat", "empty"


def ideal(reports: Sequence[TimelineReport]) -> dict[tuple[str, str], str]:
    """What each (report, attack) should raise: root, update, repeat (quiet) or empty (no figure yet: quiet)."""
    posted: dict[str, tuple[int | None, int | None]] = {}
    out: dict[tuple[str, str], str] = {}
    for report in reports:
        for attack in report.attacks:
            if attack.killed is None and attack.injured is None:
                out[(report.id, attack.event)] = EMPTY if attack.event not in posted else REPEAT
                continue
            if attack.event not in posted:
                out[(report.id, attack.event)] = ROOT
                posted[attack.event] = (attack.killed, attack.injured)
                continue
            killed, injured = posted[attack.event]
            rises = _above(attack.killed, killed) or _above(attack.injured, injured)
            out[(report.id, attack.event)] = UPDATE if rises else REPEAT
            posted[attack.event] = (_max(killed, attack.killed), _max(injured, attack.injured))
    return out


def _above(new: int | None, old: int | None) -> bool:
    return new is not None and (old is None or new > old)


def _max(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


# -- replay ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RaisedAlert:
    report: str
    kind: str                 # casualty_event | casualty_update
    thread: str


@dataclass(frozen=True)
class StoredEvent:
    thread: str
    killed: int | None
    injured: int | None
    location: str | None
    date: dt.date | None
    reports: tuple[str, ...]  # the reports listed among its sources
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Replay:
    alerts: tuple[RaisedAlert, ...]
    events: tuple[StoredEvent, ...]
    extracted: dict[str, tuple["CasualtyReport", ...]] = field(default_factory=dict)   # report id → its reports


def replay(reports: Sequence[TimelineReport], config: "Config", extractor: "Extractor") -> Replay:
    """Extract, detect and store the reports in order into a fresh SQLite database; what was raised and kept."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from bot.sources.document import Document
    from bot.store import Store
    from bot.store.ingest import ingest
    from bot.store.models import CasualtyEvent

    documents = [Document(id=r.id, text=r.text, title=r.title, url=r.url,
                          published=dt.datetime(r.published.year, r.published.month, r.published.day, 12,
                                                tzinfo=dt.timezone.utc) + dt.timedelta(seconds=i),
                          source=urlparse(r.url).netloc.removeprefix("www.") or r.id)
                 for i, r in enumerate(reports)]
    by_url = {r.url or r.id: r.id for r in reports}
    alerts: list[RaisedAlert] = []
    extracted: dict[str, tuple[CasualtyReport, ...]] = {}
    with tempfile.TemporaryDirectory(prefix="casualty-timeline-") as folder:
        store = Store(f"sqlite:///{folder}/timeline.db")
        try:
            for document, facts in zip(documents, extractor.extract(documents), strict=True):
                extracted[document.id] = tuple(facts.casualties)
                for alert in ingest(store, document, facts, config):
                    if alert.kind.is_casualty and alert.thread_key:
                        alerts.append(RaisedAlert(document.id, str(alert.kind), alert.thread_key))
            with store.session() as session:
                rows = session.scalars(select(CasualtyEvent).options(selectinload(CasualtyEvent.sources))
                                       .order_by(CasualtyEvent.id)).all()
                events = tuple(StoredEvent(f"casualty:{e.key}", e.killed, e.injured, e.location, e.date,
                                           tuple(by_url[s.url] for s in e.sources if s.url in by_url), e.lat, e.lon)
                               for e in rows)
        finally:
            store.close()
    return Replay(tuple(alerts), events, extracted)


# -- scoring -----------------------------------------------------------------------------------------------

@dataclass
class TimelineResult:
    reports: int = 0
    attacks: int = 0
    attacks_found: int = 0
    second_roots: int = 0          # attacks with more than one root
    merges: int = 0
    updates_wanted: int = 0
    updates_alerted: int = 0
    repeats: int = 0
    repeats_quiet: int = 0
    negatives: int = 0
    negatives_quiet: int = 0
    final_right: int = 0
    final_killed_right: int = 0
    alerts: int = 0
    ideal_alerts: int = 0
    problems: list[str] = field(default_factory=list)   # one line per miss, for the open split only
    explanation: list[str] = field(default_factory=list)   # per attack, report by report: for the open split only

    def figures(self) -> dict[str, float]:
        return {
            "attacks found": ratio(self.attacks_found, self.attacks),
            "second roots + merges": ratio(self.second_roots + self.merges, self.attacks),
            "revised tolls alerted": ratio(self.updates_alerted, self.updates_wanted, 1.0),
            "repeats quiet": ratio(self.repeats_quiet, self.repeats, 1.0),
            "negatives quiet": ratio(self.negatives_quiet, self.negatives, 1.0),
            "final toll right": ratio(self.final_right, self.attacks),
        }

    def summary(self) -> str:
        """The aggregate line: all a held-out split may show."""
        return (f"attacks found {self.attacks_found}/{self.attacks}, more than one root {self.second_roots}, "
                f"merges {self.merges}, revised tolls alerted {self.updates_alerted}/{self.updates_wanted}, "
                f"repeats quiet {self.repeats_quiet}/{self.repeats}, negatives quiet "
                f"{self.negatives_quiet}/{self.negatives}, final toll right {self.final_right}/{self.attacks} "
                f"(killed {self.final_killed_right}), alerts {self.alerts} for an ideal {self.ideal_alerts}")

    def report(self, *, details: bool = True, explain: bool = False) -> str:
        lines = [f"casualty timeline: {self.reports} reports, {self.attacks} attacks, {self.negatives} negatives",
                 f"  attacks found          {self.figures()['attacks found']:.3f} ({self.attacks_found}/{self.attacks})",
                 f"  more than one root     {self.second_roots}",
                 f"  merges of two attacks  {self.merges}",
                 f"  revised tolls alerted  {self.figures()['revised tolls alerted']:.3f} "
                 f"({self.updates_alerted}/{self.updates_wanted})",
                 f"  repeats quiet          {self.figures()['repeats quiet']:.3f} ({self.repeats_quiet}/{self.repeats})",
                 f"  negatives quiet        {self.figures()['negatives quiet']:.3f} "
                 f"({self.negatives_quiet}/{self.negatives})",
                 f"  final toll right       {self.figures()['final toll right']:.3f} ({self.final_right}/{self.attacks};"
                 f" killed alone {self.final_killed_right})",
                 f"  alerts raised          {self.alerts} for an ideal {self.ideal_alerts}"]
        if details and self.problems:
            lines.append("  misses:")
            lines.extend(f"    {p}" for p in self.problems)
        if details and explain:
            lines.append("  attack by attack (report: labelled killed/injured, what the ideal raises → what was "
                         "raised; what extraction read):")
            lines.extend(f"    {line}" for line in self.explanation)
        return "\n".join(lines)


def score(reports: Sequence[TimelineReport], outcome: Replay) -> TimelineResult:
    from bot.extract.gazetteer import Gazetteer

    gazetteer = Gazetteer()
    wanted = ideal(reports)
    by_id = {r.id: r for r in reports}
    attacks = list(dict.fromkeys(a.event for r in reports for a in r.attacks))
    result = TimelineResult(reports=len(reports), attacks=len(attacks),
                            negatives=sum(r.is_negative for r in reports))
    events = {e.thread: e for e in outcome.events}

    def attack_of(report_id: str, thread: str) -> str:
        """Which attack of the report a thread is about: the one whose place the event names, else the first."""
        report = by_id[report_id]
        if not report.attacks:
            return NONE
        if len(report.attacks) == 1:
            return report.attacks[0].event
        event = events.get(thread)
        named = [a for a in report.attacks if event is not None and _same_place(gazetteer, a, event)]
        return min(named or report.attacks, key=lambda a: _days_apart(a.event, event.date if event else None)).event

    roots: dict[str, list[str]] = defaultdict(list)      # attack → threads it opened
    thread_attack: dict[str, str] = {}
    for alert in outcome.alerts:
        if alert.kind == "casualty_event":
            attack = attack_of(alert.report, alert.thread)
            thread_attack[alert.thread] = attack
            roots[attack].append(alert.thread)
    result.alerts = len(outcome.alerts)
    result.ideal_alerts = sum(v in (ROOT, UPDATE) for v in wanted.values())

    for attack in attacks:
        opened = roots.get(attack, [])
        result.attacks_found += bool(opened)
        if len(opened) > 1:
            result.second_roots += 1
            result.problems.append(f"{attack}: {len(opened)} roots")
        if not opened:
            result.problems.append(f"{attack}: not found")
    for event in outcome.events:
        held = {attack_of(r, event.thread) for r in event.reports} - {NONE}
        if len(held) > 1:
            result.merges += len(held) - 1
            result.problems.append(f"merged in one thread: {', '.join(sorted(held))}")

    raised: dict[str, list[RaisedAlert]] = defaultdict(list)
    for alert in outcome.alerts:
        raised[alert.report].append(alert)
    for report in reports:
        mine = raised.get(report.id, [])
        if report.is_negative:
            result.negatives_quiet += not mine
            if mine:
                result.problems.append(f"{report.id}: negative raised {len(mine)} alert(s)")
            continue
        due = {a.event for a in report.attacks if wanted[(report.id, a.event)] in (ROOT, UPDATE)}
        for told in report.attacks:
            verdict = wanted[(report.id, told.event)]
            if verdict == UPDATE:
                result.updates_wanted += 1
                first = next(iter(roots.get(told.event) or ()), None)
                hit = any(a.thread == first for a in mine)
                result.updates_alerted += hit
                if not hit:
                    result.problems.append(f"{report.id}: revision of {told.event} to "
                                           f"{told.killed}/{told.injured} not alerted")
            elif verdict == REPEAT:
                result.repeats += 1
                noise = [a for a in mine if thread_attack.get(a.thread) not in due]
                result.repeats_quiet += not noise
                if noise:
                    result.problems.append(f"{report.id}: repeat of {told.event} raised {len(noise)} alert(s)")

    for attack in attacks:
        threads = roots.get(attack)
        if not threads:
            continue
        final = events.get(threads[0])
        killed = _best(a.killed for r in reports for a in r.attacks if a.event == attack)
        injured = _best(a.injured for r in reports for a in r.attacks if a.event == attack)
        if final is None:
            continue
        result.final_killed_right += final.killed == killed
        right = final.killed == killed and final.injured == injured
        result.final_right += right
        if not right:
            result.problems.append(f"{attack}: final {final.killed}/{final.injured}, labelled {killed}/{injured}")
    result.explanation = explain(reports, outcome, wanted, roots)
    return result


def explain(reports: Sequence[TimelineReport], outcome: Replay, wanted: dict[tuple[str, str], str],
            roots: dict[str, list[str]]) -> list[str]:
    """Per attack, report by report: its labels, what the ideal raises, what was raised and in which thread
    (threads numbered T1, T2... in the order they opened), and what extraction read; then the negatives."""
    names: dict[str, str] = {}
    for alert in outcome.alerts:
        names.setdefault(alert.thread, f"T{len(names) + 1}")
    events = {e.thread: e for e in outcome.events}
    raised: dict[str, list[RaisedAlert]] = defaultdict(list)
    for alert in outcome.alerts:
        raised[alert.report].append(alert)

    def alerts_of(report_id: str) -> str:
        mine = raised.get(report_id, [])
        return ", ".join(f"{'event' if a.kind == 'casualty_event' else 'update'} {names[a.thread]}"
                         for a in mine) or "nothing"

    def read(report_id: str) -> str:
        found = outcome.extracted.get(report_id, ())
        return " | ".join(_described(r) for r in found) or "no report"

    lines: list[str] = []
    for attack in dict.fromkeys(a.event for r in reports for a in r.attacks):
        threads = ", ".join(f"{names[t]} ends {_figures(events[t].killed, events[t].injured)} at "
                            f"{events[t].location}" for t in roots.get(attack, []) if t in events)
        lines.append(f"{attack}: {threads or 'no thread'}")
        for report in reports:
            for told in report.attacks:
                if told.event == attack:
                    lines.append(f"  {report.id} {report.published} {_figures(told.killed, told.injured)} "
                                 f"{wanted[(report.id, attack)]} → {alerts_of(report.id)}; read: {read(report.id)}")
    for report in reports:
        if report.is_negative:
            lines.append(f"negative {report.id} {report.published}: → {alerts_of(report.id)}; "
                         f"read: {read(report.id)}")
    return lines


def _described(report: "CasualtyReport") -> str:
    """One extracted report on one line: place (level), day, weapon, target, figures and flags."""
    killed = report.killed if report.killed is not None else report.killed_low
    injured = report.injured if report.injured is not None else report.injured_low
    added = "".join(f" +{n}{w}" for n, w in ((report.killed_added, "k"), (report.injured_added, "i")) if n)
    flags = "".join(f" {flag}" for flag, on in (("undated", report.undated), ("revision", report.revision),
                                                 ("again", report.again)) if on)
    flags += f" night-of-{report.night}" if report.night else ""
    return (f"{report.location or '-'} ({report.place_level or '-'}, {report.admin or '-'}) {report.date} "
            f"{report.weapon or '-'} {report.target or ''} {_figures(killed, injured)}{added}{flags}")


def _figures(killed: int | None, injured: int | None) -> str:
    return f"{'-' if killed is None else killed}/{'-' if injured is None else injured}"


def _same_place(gazetteer: Any, attack: Attack, event: StoredEvent) -> bool:
    """Whether the event is placed where the labels place the attack: the same name, as the gazetteer spells it,
    or within a few kilometres."""
    if not attack.place or not event.location:
        return False
    if _norm(attack.place) in _norm(event.location) or _norm(event.location) in _norm(attack.place):
        return True
    place = gazetteer.resolve(attack.place, [attack.country] if attack.country else [], spelling_ok=True)
    if place is None:
        return False
    if _norm(place.name) == _norm(event.location):
        return True
    if place.lat is None or place.lon is None or event.lat is None or event.lon is None:
        return False
    return bool(abs(place.lat - event.lat) < 0.1 and abs(place.lon - event.lon) < 0.15)


def _days_apart(key: str, date: dt.date | None) -> int:
    """Days between an attack key's date (`place-YYYY-MM-DD`) and an event's; 0 when either is unknown."""
    try:
        day = dt.date.fromisoformat(key[-10:])
    except ValueError:
        return 0
    return abs((day - date).days) if date else 0


def _best(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _norm(text: str | None) -> str:
    import unicodedata

    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def evaluate_timeline(path: str | Path, config: "Config", extractor: "Extractor") -> TimelineResult:
    reports = load_timeline(path)
    return score(reports, replay(reports, config, extractor))


