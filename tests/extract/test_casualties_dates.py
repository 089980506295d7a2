"""Event dates read relative to the publication date (2025-04-15 is a Tuesday)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.extract.event_dates import is_vague_past, night_start, resolve_date

PUBLISHED = dt.date(2025, 4, 15)


@pytest.mark.parametrize(
    ("phrase", "day"),
    [
        ("Sunday", dt.date(2025, 4, 13)),
        ("late on Sunday", dt.date(2025, 4, 13)),
        ("Tuesday", PUBLISHED),
        ("yesterday", dt.date(2025, 4, 14)),
        ("last night", dt.date(2025, 4, 14)),
        ("today", PUBLISHED),
        ("13 April", dt.date(2025, 4, 13)),
        ("April 13", dt.date(2025, 4, 13)),
        ("the 13th of April", dt.date(2025, 4, 13)),
        ("30 December", dt.date(2024, 12, 30)),     # no year and after publication: the December before
        ("4 April 2020", dt.date(2020, 4, 4)),
        ("Sept. 11, 2001", dt.date(2001, 9, 11)),
        ("overnight", PUBLISHED),
        ("late Saturday night", dt.date(2025, 4, 12)),
        ("Sunday morning", dt.date(2025, 4, 13)),
        ("three days ago", dt.date(2025, 4, 12)),
        ("2 weeks ago", dt.date(2025, 4, 1)),
        ("a week ago", dt.date(2025, 4, 8)),
    ],
)
def test_date_phrases(phrase: str, day: dt.date) -> None:
    assert resolve_date(phrase, PUBLISHED) == day


@pytest.mark.parametrize("phrase", ["last week", "in recent days", "2024", "next Sunday", "February 30", "recent"])
def test_phrases_that_name_no_single_day(phrase: str) -> None:
    assert resolve_date(phrase, PUBLISHED) is None


def test_relative_phrases_need_a_publication_date() -> None:
    assert resolve_date("yesterday", None) is None
    assert resolve_date("13 April", None) is None
    assert resolve_date("13 April 2024", None) == dt.date(2024, 4, 13)


@pytest.mark.parametrize("phrase", ["last week", "last week's", "in recent days", "earlier this month", "days ago"])
def test_vague_past_phrases_are_told_apart(phrase: str) -> None:
    assert resolve_date(phrase, PUBLISHED) is None and is_vague_past(phrase)


@pytest.mark.parametrize("phrase", ["Sunday", "next week", "2024", "three days ago"])
def test_phrases_that_are_not_vague_past(phrase: str) -> None:
    assert not is_vague_past(phrase)


SATURDAY, SUNDAY = dt.date(2025, 4, 12), dt.date(2025, 4, 13)


@pytest.mark.parametrize(
    ("phrase", "published"),
    [
        ("on Saturday night", SUNDAY),
        ("late on Saturday", SUNDAY),
        ("last night", SUNDAY),
        ("overnight", SUNDAY),                        # told in Sunday's news: the night into Sunday
        ("early on Sunday", SUNDAY),
        ("in the early hours of Sunday", dt.date(2025, 4, 14)),
        ("on the night of 12-13 April", dt.date(2025, 4, 15)),
        ("the night of April 12 to 13", dt.date(2025, 4, 15)),
        ("on the night into Sunday", dt.date(2025, 4, 14)),
    ],
)
def test_every_way_of_telling_one_night_gives_its_evening(phrase: str, published: dt.date) -> None:
    day = resolve_date(phrase, published)
    assert day is not None and night_start(phrase, day) == SATURDAY


@pytest.mark.parametrize("phrase", ["on Sunday", "Sunday morning", "13 April", "on the night of 13 April"])
def test_a_day_or_an_ambiguous_night_tells_no_evening(phrase: str) -> None:
    # "the night of 13 April" is the night into the 13th for some outlets, out of it for others
    day = resolve_date(phrase, SUNDAY)
    assert day is not None and night_start(phrase, day) is None
