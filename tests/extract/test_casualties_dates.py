"""Event dates read relative to the publication date (2025-04-15 is a Tuesday)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.extract.event_dates import resolve_date

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
