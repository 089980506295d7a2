"""The words of an alert, shared by the plain-text and Block Kit renderings (raw text, not yet escaped).

A stance reads as a phrase a reader understands without the article: "a ceasefire only after troop
withdrawal and Ukraine renouncing NATO", "offers negotiations without preconditions". Figures read as the
text gave them: "at least 24", "dozens". Quotes are the sentences that hold the fact, without a dateline.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from bot.detect.alerts import Alert, AlertKind, CasualtyChange, PositionChange
from bot.detect.stance import Stance
from bot.extract.facts import CasualtyReport, Requirement
from bot.extract.numbers import parse_quantity
from bot.notify.names import Names

KIND_TITLES = {
    AlertKind.POSITION_SHIFT: "Position shift",
    AlertKind.NEW_POSITION: "New position",
    AlertKind.CASUALTY_EVENT: "Casualty event",
    AlertKind.CASUALTY_UPDATE: "Casualty update",
    AlertKind.FEED_HEALTH: "Feed health",
}
# How each kind of stance joins its subject and its requirements; a condition needs no verb.
_VERBS = {"condition": "", "offer": "offers", "demand": "demands", "refusal": "refuses", "threat": "threatens"}
_JOINS = {"condition": "only after", "offer": "if", "demand": "before", "refusal": "unless", "threat": "unless"}


def _vague_words() -> dict[int, str]:
    """"dozens" is read as a lower bound with no figure: such a bound is shown as the word, not "at least 24"."""
    found = {}
    for word in ("dozens", "scores", "hundreds", "thousands"):
        quantity = parse_quantity([word])
        if quantity is not None and quantity.value is None and quantity.low is not None:
            found[quantity.low] = word
    return found


_VAGUE = _vague_words()
# A wire dateline, whole or in part, before the first sentence: "KYIV, March 3 (Reuters) - ", ", March 3 - ".
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"^[\s,;:]*(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*,\s*){0,3}"   # places: "KYIV, Ukraine,"
    r"(?:[A-Z]{2,}[A-Z.'’ -]*\s+)?"                                       # a city in capitals: "MOSCOW "
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:\s*,\s*\d{{4}})?\s*)?"                   # a date: "March 3", "Mar. 3, 2026"
    r"(?:\([^()]{1,40}\)\s*)?"                                              # an agency: "(Reuters)"
    r"[-–—]+\s+(?=[\"“‘'A-Z0-9])")


def joined(items: Iterable[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    words = [i for i in items if i]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def stance(subject: str | None, held: Stance, names: Names) -> str:
    """A stance in words: "negotiations only after a ceasefire", "negotiations without a ceasefire",
    "offers a ceasefire without preconditions", "threatens tariffs unless a peace agreement"."""
    what = names.subject(subject)
    required = joined(names.requirement(r) for r in held.requires)
    if held.negated:
        tail = f" without {required or 'preconditions'}"
    elif required:
        tail = f" {_JOINS.get(held.kind, 'if')} {required}"
    else:
        tail = "" if held.kind != "condition" else " with no preconditions"
    verb = _VERBS.get(held.kind, "")
    text = f"{verb} {what}{tail}" if verb else f"{what}{tail}"
    return text + (" (said tentatively)" if held.hedged else "")


def _requirements(labels: Iterable[str], change: PositionChange, names: Names) -> str:
    """Requirement labels of a change in words, with the wording the stances themselves carry."""
    known = {r.label: r for side in (change.before, change.after) if side for r in side.requires}
    return joined(names.requirement(known.get(label) or Requirement.of(label)) for label in labels)


def change(position: PositionChange, names: Names) -> str:
    """What changed, as a sentence; "" for a new position or a restatement (the title says it all)."""
    before, after = position.before, position.after
    dropped, added = _requirements(position.dropped, position, names), _requirements(position.added, position, names)
    if before is None or position.change in ("new", "restated"):
        return ""
    if position.change == "dropped":
        return f"No longer requires {dropped}."
    if position.change == "added":
        return f"Now also requires {added}."
    if position.change == "replaced":
        return f"Now requires {added} instead of {dropped}."
    if position.change == "softened":
        return "Softened: now said tentatively."
    if position.change == "hardened":
        return "Hardened: now said firmly."
    if position.change == "reframed" and before.kind != after.kind:
        return f"The same requirements, now {_article(after.kind)} instead of {_article(before.kind)}."
    if position.change == "reframed":
        return "The same requirements, stated another way."
    return ""


def _article(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def kind(position: PositionChange) -> str:
    """"condition", or "offer (was condition)" when a shift changed how the stance is stated."""
    after, before = position.after.kind, position.before.kind if position.before else None
    return f"{after} (was {before})" if before and before != after else after


def amount(value: int | None, low: int | None, high: int | None) -> str:
    """A figure as the text stated it: "35", "at least 24", "more than 140", "up to 12", "dozens", "35–40".
    A figure without bounds is shown as it is (older facts carry none)."""
    if value is None:
        if low is not None and high is not None:
            return str(low) if low == high else f"{low}–{high}"
        if low is not None:
            return _VAGUE.get(low) or f"at least {low}"
        return f"up to {high}" if high is not None else ""
    if low is not None and high is not None:
        return str(value) if low == high == value else f"{value} ({low}–{high})"
    if low is not None:
        return f"at least {value}" if low == value else f"more than {value}" if low > value else str(value)
    if high is not None:
        return f"up to {value}" if high == value else f"under {value}" if high < value else str(value)
    return str(value)


def figure(casualty: CasualtyReport, name: str) -> str:
    """The killed or injured figure of a report in words; "" when the report gives none."""
    return amount(getattr(casualty, name), getattr(casualty, f"{name}_low"), getattr(casualty, f"{name}_high"))


def place(casualty: CasualtyReport) -> str:
    return ", ".join(p for p in (casualty.location, casualty.country) if p)


def toll(casualty: CasualtyReport) -> str:
    """"at least 7 killed, dozens injured" (or "toll unknown"); a higher figure from a less trusted source is
    shown beside the toll as claimed: "12 killed (20 claimed by rumours.example)"."""
    parts = []
    by = casualty.claimed_by or "a less trusted source"
    for name in ("killed", "injured"):
        stated, claimed = figure(casualty, name), getattr(casualty, f"claimed_{name}")
        if stated:
            parts.append(f"{stated} {name}" + (f" ({claimed} claimed by {by})" if claimed else ""))
        elif claimed:
            parts.append(f"{claimed} {name} claimed by {by}")
    return ", ".join(parts) or "toll unknown"


def revision(change: CasualtyChange) -> str:
    """"killed 35 → 40; injured now 117" for a casualty update."""
    previous = change.previous
    if previous is None:
        return ""
    parts = []
    for name in ("killed", "injured"):
        before, now = getattr(previous, name), getattr(change.casualty, name)
        claimed = getattr(change.casualty, f"claimed_{name}")
        if before == now:
            if claimed:
                parts.append(f"{name} still {figure(change.casualty, name) or 'not reported'}, {claimed} claimed by "
                             f"{change.casualty.claimed_by or 'a less trusted source'}")
            continue
        shown = figure(change.casualty, name) or "not reported"
        parts.append(f"{name} now {shown}" if before is None else f"{name} {before} → {shown}")
    return "; ".join(parts)


def title(alert: Alert, names: Names) -> str:
    """The one-line headline of an alert."""
    name = KIND_TITLES.get(alert.kind, str(alert.kind).replace("_", " ").capitalize())
    if alert.casualty is not None:
        casualty = alert.casualty.casualty
        where = place(casualty) or "unknown place"
        if alert.kind == AlertKind.CASUALTY_UPDATE:
            return f"{name}: {where}, now {toll(casualty)}"
        return f"{name}: {toll(casualty)} in {where}"
    if alert.health is not None:
        return f"{name}: {alert.health.feed or 'a feed'} is {alert.health.state or 'unhealthy'}"
    who = names.actor(alert.actor) or "unknown actor"
    subject = names.topic(alert.subject)
    return f"{name}: {who} on {subject}" if subject else f"{name}: {who}"


def perpetrator(alert: Alert, names: Names) -> str:
    casualty = alert.casualty.casualty if alert.casualty else None
    return names.actor((casualty.perpetrator if casualty else None) or alert.actor)


def clean_quote(text: str) -> str:
    """The quoted sentences without a leading dateline, on one line."""
    flat = " ".join(text.split())
    return _DATELINE.sub("", flat, count=1) or flat


def sources(alert: Alert) -> list[str]:
    """The links reporting an alert, its own url first, without repeats."""
    candidates = [alert.url]
    if alert.position is not None:
        candidates += [side.url for side in (alert.position.before, alert.position.after) if side]
    if alert.casualty is not None:
        candidates += list(alert.casualty.sources)
    return list(dict.fromkeys(u for u in candidates if u))


def source_count(alert: Alert) -> int:
    """How many independent sources back the alert (its link alone when it names none)."""
    detail = alert.position or alert.casualty
    if detail is not None and detail.sources:
        return len(detail.sources)
    return 1 if alert.url else 0


def published(alert: Alert) -> str:
    """'2025-04-15 08:30 UTC'."""
    when = alert.published
    if when is None:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M UTC")
