"""Counts as news prose states them: digits, number words, qualifiers and vague quantities.

"at least 25" -> 25 with a lower bound, "more than 140" -> 140 (low 141), "up to 12" -> 12 (high 12),
"two dozen" -> 24, "dozens" -> low 24 and no point figure. The parser works on plain words so that it can
be used and tested without spaCy; `bot.extract.casualties` feeds it the words of a number phrase.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_EXACT_GROUPS = {"dozen": 12, "score": 20, "couple": 2, "pair": 2}
# Plural group words with no stated figure: the least the plural can mean.
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "tens": 20, "millions": 2_000_000}

_LOWER_BOUND = {("at", "least"), ("no", "fewer", "than"), ("no", "less", "than"), ("a", "minimum", "of"),
                ("as", "many", "as"), ("upwards", "of"), ("at", "minimum")}
_STRICT_LOWER = {("more", "than"), ("over",), ("above",), ("in", "excess", "of"), ("upward", "of"),
                 ("beyond",)}
_UPPER_BOUND = {("up", "to"), ("at", "most"), ("no", "more", "than"), ("as", "few", "as"), ("maximum", "of")}
_STRICT_UPPER = {("nearly",), ("almost",), ("fewer", "than"), ("less", "than"), ("under",), ("just", "under")}
_APPROX = {("about",), ("around",), ("some",), ("approximately",), ("roughly",), ("an", "estimated"),
           ("estimated",), ("circa",), ("round",)}
QUALIFIERS: tuple[tuple[str, ...], ...] = tuple(
    sorted(_LOWER_BOUND | _STRICT_LOWER | _UPPER_BOUND | _STRICT_UPPER | _APPROX, key=len, reverse=True)
)
# Every word that can be part of a number phrase (for callers that collect one from a sentence).
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_SCALES) | frozenset(_EXACT_GROUPS) | frozenset(_VAGUE)

_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_PLUS = re.compile(r"^(\d[\d,]*)\+$")


@dataclass(frozen=True)
class Quantity:
    """A stated count: `value` is the figure the text gives (None for "dozens"), `low`/`high` its bounds."""

    value: int | None
    low: int | None
    high: int | None

    @classmethod
    def exact(cls, n: int) -> "Quantity":
        return cls(n, n, n)

    def __add__(self, other: "Quantity") -> "Quantity":
        def plus(a: int | None, b: int | None) -> int | None:
            return None if a is None or b is None else a + b

        return Quantity(plus(self.value, other.value), plus(self.low, other.low), plus(self.high, other.high))


def _split(words: Sequence[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        for part in re.split(r"[\s\-–]+", word.strip().lower()):
            if part:
                out.append(part)
    return out


def _digits(word: str) -> int | None:
    if _DIGITS.match(word):
        return int(word.replace(",", ""))
    return None


def parse_cardinal(words: Sequence[str]) -> int | None:
    """The integer a run of number words or digits spells: "twenty one", "1,200", "2 dozen", "a hundred"."""
    parts = [w for w in _split(words) if w != "and"]
    if not parts:
        return None
    if len(parts) == 1 and parts[0] in ("a", "an", "no", "single"):
        return None
    total, current, seen = 0, 0, False
    for i, word in enumerate(parts):
        number = _digits(word)
        if number is not None:
            if seen and current and current % 10 == 0 and current >= 20 and number < 10:
                current += number          # "forty 6", a digit written after a tens word
            elif seen and current:
                return None                # two figures side by side: not one number
            else:
                current = number
            seen = True
        elif word in _UNITS:
            following = parts[i + 1] if i + 1 < len(parts) else None
            if word in ("a", "an", "single") and following not in _SCALES | _EXACT_GROUPS.keys():
                return None
            if seen and current % 10 != 0 and current < 100:
                return None                # "three four"
            current += _UNITS[word]
            seen = True
        elif word in _TENS:
            if seen and current % 100 != 0:
                return None
            current += _TENS[word]
            seen = True
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1_000:
                total += current
                current = 0
            seen = True
        elif word in _EXACT_GROUPS:
            current = max(current, 1) * _EXACT_GROUPS[word]
            seen = True
        else:
            return None
    return total + current if seen else None


def _strip_qualifier(parts: list[str]) -> tuple[tuple[str, ...], list[str]]:
    for qualifier in QUALIFIERS:
        n = len(qualifier)
        if tuple(parts[:n]) == qualifier and len(parts) > n:
            return qualifier, parts[n:]
    return (), parts


def parse_quantity(words: Sequence[str]) -> Quantity | None:
    """A count with its bounds from the words of a number phrase, or None when they state no count.

    >>> parse_quantity(["at", "least", "25"])
    Quantity(value=25, low=25, high=None)
    """
    parts = _split(words)
    if parts and parts[-1] == "of":
        parts = parts[:-1]
    qualifier, rest = _strip_qualifier(parts)
    if not rest:
        return None
    if len(rest) == 1 and (m := _PLUS.match(rest[0])):
        floor = int(m.group(1).replace(",", ""))
        return Quantity(floor, floor, None)
    if rest[-1] in _VAGUE and len(rest) == 1:
        return Quantity(None, _VAGUE[rest[-1]], None)
    if len(rest) == 3 and rest[1] in ("to", "and") and qualifier in ((), ("between",)):
        low, high = parse_cardinal(rest[:1]), parse_cardinal(rest[2:])
        if low is not None and high is not None and low < high:
            return Quantity(None, low, high)
    if rest[0] == "between" and len(rest) == 4 and rest[2] == "and":
        return parse_quantity(rest[1:])
    n = parse_cardinal(rest)
    if n is None:
        return None
    if qualifier in _LOWER_BOUND:
        return Quantity(n, n, None)
    if qualifier in _STRICT_LOWER:
        return Quantity(n, n + 1, None)
    if qualifier in _UPPER_BOUND:
        return Quantity(n, None, n)
    if qualifier in _STRICT_UPPER:
        return Quantity(n, None, max(n - 1, 0))
    if qualifier in _APPROX:
        return Quantity(n, None, None)
    return Quantity.exact(n)


def is_number_word(word: str) -> bool:
    """True for a word that can be part of a count ("25", "twenty-one", "dozen", "hundreds")."""
    parts = _split([word])
    if len(parts) > 1 and any(ch.isdigit() for ch in word):
        return False            # "2024-05-01", "9-11": dates and codes, not counts
    return bool(parts) and all(
        _digits(p) is not None or _PLUS.match(p) is not None or p in NUMBER_WORDS for p in parts
    )


def spell(n: int) -> str:
    """English words for 0 <= n < 1,000,000 ("forty-two"); used by tests and fixtures."""
    if n < 0 or n >= 1_000_000:
        raise ValueError(n)
    units = [w for w, v in sorted(_UNITS.items(), key=lambda kv: kv[1]) if w not in ("no", "a", "an", "single")]
    tens = {v: w for w, v in _TENS.items() if w != "fourty"}
    if n < 20:
        return units[n]
    if n < 100:
        return tens[n - n % 10] + ("" if n % 10 == 0 else "-" + units[n % 10])
    if n < 1000:
        head = units[n // 100] + " hundred"
        return head if n % 100 == 0 else f"{head} and {spell(n % 100)}"
    head = spell(n // 1000) + " thousand"
    if n % 1000 == 0:
        return head
    return f"{head} {'and ' if n % 1000 < 100 else ''}{spell(n % 1000)}"
