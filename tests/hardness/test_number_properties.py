"""Robustness properties of number reading (the owners' tests cover correctness on well-formed counts):
whatever words a feed brings, parsing returns a count or None and never raises; no count or bound is negative."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extract.numbers import is_number_word, parse_cardinal, parse_quantity

WORDS = st.sampled_from([
    "one", "two", "twenty", "hundred", "thousand", "million", "billion", "and", "a", "dozen", "dozens", "scores",
    "at", "least", "more", "than", "up", "to", "nearly", "about", "-", ",", "1,000", "1.5", "10,00", "007", "1e9",
    "²", "٣", "五", "½", "minus", "-5", "0x1F", "nan", "inf", "", " ", "twenty-one", "hundreds", "thousands",
    "9" * 40, "zero", "none", "several", "few",
])
TOKENS = st.lists(WORDS | st.text(max_size=8), max_size=8)


@settings(max_examples=200, deadline=None)
@given(TOKENS)
def test_any_words_give_a_count_or_none(words):
    value = parse_cardinal(words)
    assert value is None or (isinstance(value, int) and value >= 0)
    quantity = parse_quantity(words)
    if quantity is not None:
        for bound in (quantity.value, quantity.low, quantity.high):
            assert bound is None or bound >= 0, quantity
    for word in words:
        assert isinstance(is_number_word(word), bool)

