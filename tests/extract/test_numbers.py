"""Counts as prose states them: digits, words, qualifiers, vague plurals."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from bot.extract.numbers import Quantity, is_number_word, parse_cardinal, parse_quantity, spell


@given(st.integers(min_value=0, max_value=999_999))
def test_spelled_numbers_read_back_as_themselves(n: int) -> None:
    assert parse_cardinal(spell(n).split()) == n
    assert parse_cardinal([spell(n)]) == n          # one token with hyphens and spaces


@given(st.integers(min_value=0, max_value=10_000_000))
def test_digits_with_and_without_thousands_separators(n: int) -> None:
    assert parse_quantity([str(n)]) == Quantity.exact(n)
    assert parse_quantity([f"{n:,}"]) == Quantity.exact(n)


QUALIFIERS = ["at least", "more than", "up to", "nearly", "about"]


@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(QUALIFIERS))
def test_a_qualifier_keeps_the_stated_figure_and_bounds_it(n: int, qualifier: str) -> None:
    q = parse_quantity([*qualifier.split(), str(n)])
    assert q is not None and q.value == n
    if q.low is not None:
        assert q.low >= n
    if q.high is not None:
        assert q.high <= n


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("at least 25", Quantity(25, 25, None)),
        ("more than 140", Quantity(140, 141, None)),
        ("over 100", Quantity(100, 101, None)),
        ("up to 12", Quantity(12, None, 12)),
        ("nearly 346", Quantity(346, None, 345)),
        ("around 20", Quantity(20, None, None)),
        ("two dozen", Quantity.exact(24)),
        ("a dozen", Quantity.exact(12)),
        ("dozens", Quantity(None, 24, None)),
        ("scores", Quantity(None, 40, None)),
        ("hundreds", Quantity(None, 200, None)),
        ("twenty-one", Quantity.exact(21)),
        ("one hundred and five", Quantity.exact(105)),
        ("Forty 6", Quantity.exact(46)),
        ("1,200", Quantity.exact(1200)),
        ("43+", Quantity(43, 43, None)),
        ("between 20 and 30", Quantity(None, 20, 30)),
        ("no fewer than seven", Quantity(7, 7, None)),
    ],
)
def test_phrases(words: str, expected: Quantity) -> None:
    assert parse_quantity(words.split()) == expected


@pytest.mark.parametrize("words", ["several", "a", "many", "three four", "twenty thirty", "", "at least", "percent"])
def test_words_that_state_no_count(words: str) -> None:
    assert parse_quantity(words.split()) is None


def test_sums_of_parts_add_bounds_too() -> None:
    assert Quantity.exact(3) + Quantity.exact(1) == Quantity.exact(4)
    assert Quantity(25, 25, None) + Quantity.exact(2) == Quantity(27, 27, None)


def test_number_words_are_recognised_and_others_not() -> None:
    assert all(is_number_word(w) for w in ["35", "1,200", "twenty-one", "dozen", "hundreds", "43+"])
    assert not any(is_number_word(w) for w in ["people", "killed", "35th", "2024-05-01"])
