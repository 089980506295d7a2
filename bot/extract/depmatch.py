"""Matching spaCy DependencyMatcher patterns from the words they start from.

spaCy's DependencyMatcher reads every token of the document for every node of every pattern; with the shape
file's hundred-odd patterns that costs more than the parse itself. The shapes start from a cue word ("unless",
"contingent", "without"), so this matcher indexes each pattern by the words its first node allows and walks the
tree only from the tokens that are such a word. The patterns are the same data: spaCy's DependencyMatcher
validates them when they are loaded, and a test holds both matchers to the same matches.

Supported: the attributes ORTH, LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, IS_SENT_START (a value, or {IN: …} /
{NOT_IN: …}); the operators <, >, <<, >>, ., ;, .*, ;*.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from spacy.tokens import Span, Token

_ATTRS = {"ORTH": "text", "LOWER": "lower_", "LEMMA": "lemma_", "POS": "pos_", "TAG": "tag_", "DEP": "dep_",
          "ENT_TYPE": "ent_type_", "IS_SENT_START": "is_sent_start"}
OPERATORS = ("<", ">", "<<", ">>", ".", ";", ".*", ";*")


class PatternError(ValueError):
    """A pattern uses an attribute or operator this matcher does not read."""


def _predicate(attrs: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    out = []
    for key, value in attrs.items():
        if key not in _ATTRS:
            raise PatternError(f"attribute {key} is not supported")
        if isinstance(value, Mapping):
            for op, values in value.items():
                if op not in ("IN", "NOT_IN"):
                    raise PatternError(f"{key}: {op} is not supported")
                out.append((_ATTRS[key], op, frozenset(values)))
        else:
            out.append((_ATTRS[key], "==", value))
    return out


def _holds(token: Token, predicate: list[tuple[str, str, Any]]) -> bool:
    for attr, op, value in predicate:
        got = getattr(token, attr)
        if op == "==":
            if attr == "is_sent_start":
                if bool(got) != bool(value):
                    return False
            elif got != value:
                return False
        elif op == "IN":
            if got not in value:
                return False
        elif got in value:
            return False
    return True


class _Pattern:
    def __init__(self, key: str, nodes: Sequence[Mapping[str, Any]]) -> None:
        self.key = key
        self.names = [node["RIGHT_ID"] for node in nodes]
        self.first = _predicate(nodes[0].get("RIGHT_ATTRS", {}))
        self.steps: list[tuple[int, str, list[tuple[str, str, Any]]]] = []
        for node in nodes[1:]:
            if node.get("REL_OP") not in OPERATORS:
                raise PatternError(f"operator {node.get('REL_OP')!r} is not supported")
            self.steps.append((self.names.index(node["LEFT_ID"]), node["REL_OP"],
                               _predicate(node.get("RIGHT_ATTRS", {}))))
        attrs = nodes[0].get("RIGHT_ATTRS", {})
        self.anchors: dict[str, frozenset[str]] = {}
        for key_, attr in (("LOWER", "lower_"), ("LEMMA", "lemma_"), ("ORTH", "text")):
            value = attrs.get(key_)
            if isinstance(value, str):
                self.anchors[attr] = frozenset([value])
            elif isinstance(value, Mapping) and "IN" in value:
                self.anchors[attr] = frozenset(value["IN"])

    def matches(self, span: Span, token: Token) -> Iterator[list[int]]:
        if not _holds(token, self.first):
            return
        yield from self._extend(span, [token], 0)

    def _extend(self, span: Span, chosen: list[Token], step: int) -> Iterator[list[int]]:
        if step == len(self.steps):
            yield [t.i for t in chosen]
            return
        left, op, predicate = self.steps[step]
        for token in _related(span, chosen[left], op):   # as spaCy's: one token may stand for two nodes
            if _holds(token, predicate):
                yield from self._extend(span, [*chosen, token], step + 1)


def _related(span: Span, token: Token, op: str) -> Iterable[Token]:
    """The tokens of the sentence that stand in relation `op` to `token` ("A op B" with A = token)."""
    if op == "<":
        return [token.head] if token.head.i != token.i else []
    if op == ">":
        return token.children
    if op == "<<":
        return token.ancestors
    if op == ">>":
        return (t for t in token.subtree if t.i != token.i)
    doc = token.doc
    if op == ".":
        return [doc[token.i + 1]] if token.i + 1 < span.end else []
    if op == ";":
        return [doc[token.i - 1]] if token.i - 1 >= span.start else []
    if op == ".*":
        return doc[token.i + 1:span.end]
    return doc[span.start:token.i]   # ";*"


class AnchoredMatcher:
    """DependencyMatcher patterns matched from their first node's words (a pattern whose first node names no
    words is tried from every token)."""

    def __init__(self) -> None:
        self._patterns: list[_Pattern] = []
        self._by_word: dict[tuple[str, str], list[_Pattern]] = {}
        self._unanchored: list[_Pattern] = []

    def add(self, key: str, nodes: Sequence[Mapping[str, Any]]) -> None:
        pattern = _Pattern(key, nodes)
        self._patterns.append(pattern)
        if not pattern.anchors:
            self._unanchored.append(pattern)
        for attr, words in pattern.anchors.items():
            for word in words:
                self._by_word.setdefault((attr, word), []).append(pattern)

    def words(self) -> set[str]:
        """Every word a pattern can start from."""
        return {word for _, word in self._by_word}

    def __call__(self, span: Span, starts: Iterable[Token] | None = None) -> list[tuple[str, list[str], list[int]]]:
        """(pattern key, node names, token indexes in the document) of every match inside the span; with `starts`,
        only matches starting from those tokens (the span's tokens that are anchor words)."""
        out: list[tuple[str, list[str], list[int]]] = []
        for token in (span if starts is None or self._unanchored else starts):
            tried: set[int] = set()
            candidates = [*self._unanchored]
            for attr in ("lower_", "lemma_", "text"):
                candidates += self._by_word.get((attr, getattr(token, attr)), ())
            for pattern in candidates:
                if id(pattern) in tried:
                    continue
                tried.add(id(pattern))
                for ids in pattern.matches(span, token):
                    out.append((pattern.key, pattern.names, ids))
        return out
