"""The model's attribute_ruler with its one-token rules looked up per kind of token instead of matched per token.

A one-token rule that tests TAG, LOWER, DEP etc. matches a token or not by those values alone, so tokens of the
same values get the same rules, and the Matcher runs over a doc only while it holds a kind not seen before. A
value that no test names (by equality, IN, NOT_IN) and no REGEX finds counts as any other such value ("tanks"
and "troops" are one kind), which keeps the kinds few. Rules of more tokens, or of other tests, go through a
Matcher of their own on every doc. Each token gets its rules' attributes in the ruler's order, so the
annotation is the ruler's, exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

FACTORY = "cached_attribute_ruler"
RULER = "attribute_ruler"
_ATTRS: dict[str, int | str] = {"ORTH": "ORTH", "TEXT": "ORTH", "LOWER": "LOWER", "TAG": "TAG", "POS": "POS",
                                 "DEP": "DEP", "LEMMA": "LEMMA", "IS_SPACE": "IS_SPACE"}
# (pattern keys whose values the Matcher compares as `Doc.to_array` gives them)
_OTHER = -1                              # any value no test names (no hash or flag is negative)
_ROWS_KEPT = 50_000                      # token values kept with their kind before that cache starts again

Kind = tuple[int, ...]


class _Values:
    """One attribute's values as the one-token rules tell them apart: those named, or found by a REGEX, stay
    themselves; any other is _OTHER. A test of another sort keeps every value (`exact`)."""

    def __init__(self) -> None:
        self.named: set[int] = set()
        self.regexes: list[re.Pattern[str]] = []
        self.exact = False
        self._seen: dict[int, int] = {}

    def add(self, test: Any, strings: Any) -> None:
        if not isinstance(test, dict):
            self.named.add(_value(test, strings))
        elif set(test) <= {"IN", "NOT_IN", "REGEX"}:
            self.named.update(_value(v, strings) for k in ("IN", "NOT_IN") for v in test.get(k, ()))
            if "REGEX" in test:
                self.regexes.append(re.compile(test["REGEX"]))
        else:
            self.exact = True

    def __call__(self, value: int, strings: Any) -> int:
        if self.exact or value in self.named:
            return value
        if not self.regexes:
            return _OTHER
        if value not in self._seen:   # the Matcher searches the value's string, as here
            if len(self._seen) >= _ROWS_KEPT:
                self._seen.clear()
            found = any(r.search(strings[value]) for r in self.regexes)
            self._seen[value] = value if found else _OTHER
        return self._seen[value]


class CachedAttributeRuler(AttributeRuler):
    """An AttributeRuler (same patterns, same serialisation) that caches what its one-token rules set."""

    def __init__(self, vocab: Any, name: str = RULER, *, validate: bool = False) -> None:
        super().__init__(vocab, name, validate=validate)
        self._split: _Split | None = None
        self._kinds: dict[Kind, tuple[tuple[int, ...], dict[Any, Any] | None]] = {}
        self._kind_of_row: dict[tuple[int, ...], Kind] = {}

    def clear(self) -> None:
        super().clear()
        self._split, self._kinds, self._kind_of_row = None, {}, {}

    def add(self, patterns: Iterable[Any], attrs: dict[Any, Any], index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._split, self._kinds, self._kind_of_row = None, {}, {}

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            self._annotate(doc)
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def _annotate(self, doc: Doc) -> None:
        if self._split is None:
            self._split = self._build()
        split, strings = self._split, self.vocab.strings
        kinds = self._kinds_of(doc, split)
        if any(kind not in self._kinds for kind in kinds):
            self._learn(doc, kinds, split.single)
        extra: dict[int, list[int]] = {}   # token → the other rules that match it
        for m_id, start, end in split.other_matches(doc):
            rule = int(strings[m_id])
            extra.setdefault(_token(start, end, self.indices[rule]), []).append(rule)
        for i, kind in enumerate(kinds):
            rules, merged = self._kinds[kind]
            if i in extra or merged is None:
                for rule in sorted(rules + tuple(extra.get(i, ()))):   # later rules win, as in the ruler
                    set_token_attrs(doc[i], self.attrs[rule])
            elif merged:
                set_token_attrs(doc[i], merged)

    def _kinds_of(self, doc: Doc, split: "_Split") -> list[Kind]:
        if not split.attrs:
            return [()] * len(doc)
        kinds, known, strings = [], self._kind_of_row, self.vocab.strings
        for row in doc.to_array(split.attrs).tolist():
            values = tuple(row)
            kind = known.get(values)
            if kind is None:
                if len(known) >= _ROWS_KEPT:
                    known.clear()
                kind = known[values] = tuple(tell(v, strings) for v, tell in zip(values, split.values))
            kinds.append(kind)
        return kinds

    def _build(self) -> "_Split":
        """The attributes that tell kinds apart, and the rules split: one-token rules, and the others."""
        single, others = Matcher(self.vocab), Matcher(self.vocab)
        values: dict[str, _Values] = {}
        other_patterns = []
        for rule in range(len(self.attrs)):
            _, patterns = self.matcher.get(str(rule))
            one_token = self.indices[rule] in (0, -1) and all(len(p) == 1 and set(p[0]) <= set(_ATTRS)
                                                              for p in patterns)
            (single if one_token else others).add(str(rule), patterns)
            if not one_token:
                other_patterns += patterns
            for test in (t for p in patterns for t in p[0].items()) if one_token else ():
                values.setdefault(test[0], _Values()).add(test[1], self.vocab.strings)
        names = sorted(values)
        return _Split([_ATTRS[n] for n in names], [values[n] for n in names], single, others,
                      _Windows.of(other_patterns, self.vocab.strings))

    def _learn(self, doc: Doc, kinds: Sequence[Kind], single: Matcher) -> None:
        """Match the one-token rules on a token of each new kind (alone: they look at no other token), and keep
        what the kind gets."""
        for i, kind in enumerate(kinds):
            if kind not in self._kinds:
                rules = tuple(sorted(int(self.vocab.strings[m_id]) for m_id, _, _ in
                                     single(doc[i:i + 1], allow_missing=True, as_spans=False)))
                merged: dict[Any, Any] = {}
                for rule in rules:
                    merged.update(self.attrs[rule])
                # extension values are set one rule at a time: merging would replace a rule's "_" whole
                self._kinds[kind] = (rules, None if "_" in merged else merged)


class _Windows:
    """Where rules of a fixed number of tokens can match: each pattern has a token that must hold one of a few
    words (LOWER "gon" in "gon na", DEP "expl" in "there is"), so it is matched over the window around each
    token holding one, not over the whole doc. Same matches: a fixed run of tests matches the same tokens in a
    window as in the doc."""

    def __init__(self) -> None:
        self.attrs: list[int | str] = []
        self.tables: list[dict[int, set[tuple[int, int]]]] = []   # per attribute: word → (its place, length)

    @classmethod
    def of(cls, patterns: Sequence[Sequence[Mapping[str, Any]]], strings: Any) -> "_Windows | None":
        """The windows of these patterns, or None when one has no such token (or a quantifier, or other tests)."""
        windows = cls()
        for pattern in patterns:
            if any("OP" in token or not set(token) <= set(_ATTRS) for token in pattern):
                return None
            anchors = [(j, key, words) for j, token in enumerate(pattern) for key, test in token.items()
                       if (words := _words(test, strings)) is not None]
            if not anchors:
                return None
            # the rarest: the fewest values, a word rather than a tag or a dependency
            j, key, words = min(anchors, key=lambda a: (len(a[2]), _ATTRS[a[1]] not in ("LOWER", "ORTH")))
            if _ATTRS[key] not in windows.attrs:
                windows.attrs.append(_ATTRS[key])
                windows.tables.append({})
            table = windows.tables[windows.attrs.index(_ATTRS[key])]
            for word in words:
                table.setdefault(word, set()).add((j, len(pattern)))
        return windows

    def matches(self, doc: Doc, matcher: Matcher) -> set[tuple[int, int, int]]:
        found: set[tuple[int, int, int]] = set()
        if not self.attrs or not len(doc):
            return found
        rows: list[list[Any]] = doc.to_array(self.attrs).reshape(len(doc), -1).tolist()
        for row_i, row in enumerate(rows):
            for value, table in zip(row, self.tables):
                for j, length in table.get(value) or ():
                    start = row_i - j
                    if 0 <= start and start + length <= len(doc):
                        found.update((m_id, start + s, start + e) for m_id, s, e in
                                     matcher(doc[start:start + length], allow_missing=True, as_spans=False))
        return found


@dataclass
class _Split:
    attrs: list[int | str]         # the attributes that tell kinds of tokens apart, as `Doc.to_array` names them
    values: list[_Values]
    single: Matcher                # the one-token rules
    others: Matcher                # the rest
    windows: "_Windows | None"     # where the rest can match (None: anywhere)

    def other_matches(self, doc: Doc) -> Iterable[tuple[int, int, int]]:
        if self.windows is None:
            return self.others(doc, allow_missing=True, as_spans=False)
        return self.windows.matches(doc, self.others)


def _words(test: Any, strings: Any) -> set[int] | None:
    """The values a test allows when it names them (a value, or IN); None for any other test."""
    if isinstance(test, dict):
        return {_value(v, strings) for v in test["IN"]} if set(test) == {"IN"} else None
    return {_value(test, strings)}


def _token(start: int, end: int, index: int) -> int:
    """The token a rule's index points at in its match (negative counts from the end, as in a Span)."""
    token = start + index if index >= 0 else end + index
    if not start <= token < end:
        raise ValueError(f"attribute_ruler: index {index} is outside a match of {end - start} token(s)")
    return token


def _value(value: Any, strings: Any) -> int:
    return strings.add(value) if isinstance(value, str) else int(value)


@Language.factory(FACTORY, default_config={"validate": False})
def make_cached_attribute_ruler(nlp: Language, name: str, validate: bool) -> CachedAttributeRuler:
    return CachedAttributeRuler(nlp.vocab, name, validate=validate)


def cache_attribute_ruler(nlp: Language) -> None:
    """Put the cached ruler in place of the model's attribute_ruler, with the same patterns."""
    if RULER not in nlp.pipe_names or isinstance(nlp.get_pipe(RULER), CachedAttributeRuler):
        return
    patterns = nlp.get_pipe(RULER).patterns  # type: ignore[attr-defined]
    ruler = nlp.replace_pipe(RULER, FACTORY)
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
