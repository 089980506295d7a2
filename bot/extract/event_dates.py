"""The day an event happened, from a date phrase read relative to the publication date.

Handles what news prose uses for recent events: "yesterday", "today", "last night", "overnight", weekdays
("on Sunday", "late Saturday night"), "three days ago", day and month with or without a year ("13 April",
"April 13, 2025"). Anything else gives None, so callers fall back to the publication date; `is_vague_past` tells
the phrases that place an event before publication without naming its day ("last week", "in recent days"),
where the publication date would be wrong.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {name: i for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAYS = {name: i for i, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}\b", re.I)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}{_YEAR}\b", re.I)
_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "a": 1}
# "three days ago"; "a day earlier", "two days before": counted back from the news, which most often tells the
# day of the attack it is about
_AGO = re.compile(r"\b(?P<n>\d{1,2}|" + "|".join(_COUNTS) + r")\s+(?P<unit>days?|weeks?)\s+(?:ago|earlier|before)\b")
_VAGUE_PAST = re.compile(r"\b(last|past|previous|earlier this|recent)\s+(week|weekend|month|days|weeks)\b"
                         r"|\bin recent days\b|\bdays ago\b|\bweeks ago\b|\bearlier this (week|month)\b"
                         r"|\bweeks?\s+(after|later)$")      # "two weeks after the strike": told since
_RELATIVE = {"yesterday": 1, "last night": 1, "overnight": 0, "today": 0, "this morning": 0, "tonight": 0,
             "earlier today": 0, "the day before yesterday": 2, "the day before": 1, "the previous day": 1}


def resolve_date(phrase: str, published: dt.date | None) -> dt.date | None:
    """The date `phrase` names, read relative to `published`; None when it names no single day."""
    text = " ".join(phrase.lower().replace("\u02bc", "'").replace("\u2019", "'").split())
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        match = pattern.search(text)
        if match:
            return _absolute(match, published)
    ago = _AGO.search(text)
    if ago:
        if published is None:
            return None
        count = int(ago.group("n")) if ago.group("n").isdigit() else _COUNTS[ago.group("n")]
        return published - dt.timedelta(days=count * (7 if ago.group("unit").startswith("week") else 1))
    if text in {"night", "at night", "this night"}:
        return published          # "At night, Russia again fired missiles": the night before the news
    for words, days in sorted(_RELATIVE.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{words}\b", text):
            return None if published is None else published - dt.timedelta(days=days)
    for name, weekday in _WEEKDAYS.items():
        if re.search(rf"\b{name}\b", text) and published is not None:
            if re.search(r"\b(next|coming)\b", text):
                return None
            return published - dt.timedelta(days=(published.weekday() - weekday) % 7)
    return None


_LONG_PAST = re.compile(r"\blast (year|spring|summer|autumn|fall|winter|" + "|".join(
    m for m in _MONTHS if len(m) > 3) + r")\b|\b(\d{1,2}|" + "|".join(_COUNTS) + r"|several|many)\s+(years|months|decades)\s+(ago|earlier|before|after|later)\b"
    r"|\b(years|months|decades) ago\b|\ba year ago\b")
_MONTH_ALONE = re.compile(r"^(?:in |last |early |late |mid-?)?(?P<month>" + "|".join(m for m in _MONTHS if len(m) > 3) + r")$")


# a night runs over two days; news dates it by either: by its evening ("on Saturday night", "late on Saturday",
# "last night"), or by its small hours ("overnight", "early on Sunday", "in the early hours of Sunday")
_NIGHT_RANGE = re.compile(r"\bnight of\s+(?:\w+\s+)?(?P<first>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|\u2013|\u2014|to|into|and)\s*"
                          r"(?:\w+\s+)?(?P<second>\d{1,2})\b")
_SMALL_HOURS = re.compile(r"\b(overnight|early|dawn|small hours|wee hours|pre-dawn|predawn|night (?:in)?to)\b"
                          r"|^(at )?night$")
_EVENING = re.compile(r"\b(night|late|evening|tonight)\b")


def night_start(phrase: str, day: dt.date) -> dt.date | None:
    """The evening of the night `phrase` names, `day` being the day it was read as (`resolve_date`); None when
    it names no night, or a night that could be read as ending or as starting on its day ("on the night of 4
    May", which some outlets write for the night into the 4th). Two reports of one night attack dated a day apart
    tell the same evening."""
    text = " ".join(phrase.lower().split())
    if (pair := _NIGHT_RANGE.search(text)) is not None:
        return day - dt.timedelta(days=1) if day.day == int(pair.group("second")) else day
    if _SMALL_HOURS.search(text):
        return day - dt.timedelta(days=1)
    if re.search(r"\bnight of\b", text):
        return None
    if _EVENING.search(text):
        return day
    return None


def is_long_past(phrase: str, published: dt.date | None) -> bool:
    """"last April", "ten years ago", "in May" (told in August), "last year": long before the news of the day, so
    of another attack than the one a report is about."""
    text = " ".join(phrase.lower().split())
    if _LONG_PAST.search(text):
        return True
    alone = _MONTH_ALONE.match(text)
    if alone and published is not None:
        back = (published.month - _MONTHS[alone.group("month")]) % 12
        return back >= 2
    return False


def is_vague_past(phrase: str) -> bool:
    """"last week", "in recent days", "earlier this month": before publication, on no day the text names."""
    text = " ".join(phrase.lower().split())
    return resolve_date(text, dt.date(2000, 1, 1)) is None and bool(_VAGUE_PAST.search(text))


def _absolute(match: re.Match[str], published: dt.date | None) -> dt.date | None:
    month = _MONTHS[match.group("month").lower().rstrip(".")]
    day = int(match.group("day"))
    if match.group("year"):
        year = int(match.group("year"))
    elif published is not None:
        year = published.year
    else:
        return None
    try:
        day_named = dt.date(year, month, day)
    except ValueError:
        return None
    if not match.group("year") and published is not None and day_named > published:
        try:
            day_named = day_named.replace(year=year - 1)
        except ValueError:
            return None
    return day_named
