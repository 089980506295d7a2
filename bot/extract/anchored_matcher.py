"""A token Matcher that tries each pattern only where it can start, with the matches of spaCy's Matcher.

spaCy's Matcher starts every pattern at every token of the document. Most of the casualty scope patterns begin
with a required word (`LOWER` or `LEMMA`: one value or an `IN` list) and have a bounded length (each token at
most once: no "*", "+" or "{n,m}"), so a match can only start at a token holding that word and ends within the
pattern's length. Those patterns are grouped by their first word and run over that window alone, one window
per token holding the word; the other patterns run over the whole document as before.

Same matches: a match found in a window and ending before the window's last position (or at the document's
end) is one over the whole document, and every match over the whole document fits in its window (the window
holds the pattern's length and one token more, which a "!" or a final "?" looks at).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

_ANCHOR_ATTRS = ("LOWER", "LEMMA")
_ONCE = (None, "1", "?", "!")   # quantifiers that consume at most one token


class AnchoredTokenMatcher:
    """`add(key, patterns)` and `matcher(doc) -> [(match_id, start, end)]`, as spaCy's Matcher (without callbacks,
    greedy filters or `as_spans`); the order of the matches may differ."""

    def __init__(self, vocab: Vocab, validate: bool = False) -> None:
        self.vocab = vocab
        self._check = Matcher(vocab, validate=validate)   # spaCy's own validation of every pattern
        self._whole = Matcher(vocab)
        self._whole_count = 0
        self._pending: dict[tuple[str, int], dict[str, list[list[dict[str, Any]]]]] = {}
        self._windows: dict[str, dict[int, tuple[Matcher, int]]] = {attr: {} for attr in _ANCHOR_ATTRS}
        self._dirty = False   # patterns added since the windows' matchers were built

    def add(self, key: str, patterns: Iterable[Sequence[Mapping[str, Any]]]) -> None:
        copies: list[list[dict[str, Any]]] = [[dict(token) for token in pattern] for pattern in patterns]
        self._check.add(key, copies)
        for pattern in copies:
            anchor = _anchor(pattern)
            if anchor is None:
                self._whole.add(key, [pattern])
                self._whole_count += 1
                continue
            attr, words = anchor
            for word in words:
                group = (attr, self.vocab.strings.add(word))
                self._pending.setdefault(group, {}).setdefault(key, []).append(pattern)
                self._dirty = True

    def _build(self) -> None:
        """One Matcher per first word, from every pattern added (built at the first match, not per added pattern)."""
        for group, by_key in self._pending.items():
            matcher = Matcher(self.vocab)
            for key, patterns in by_key.items():
                matcher.add(key, patterns)
            length = max(len(p) for patterns in by_key.values() for p in patterns)
            self._windows[group[0]][group[1]] = (matcher, length)
        self._dirty = False

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        if self._dirty:
            self._build()
        matches: list[tuple[int, int, int]] = list(self._whole(doc)) if self._whole_count else []
        n = len(doc)
        if not n or not any(self._windows.values()):
            return matches
        by_lower, by_lemma = self._windows["LOWER"], self._windows["LEMMA"]
        for i, (lower, lemma) in enumerate(doc.to_array(["LOWER", "LEMMA"]).tolist()):
            for found in (by_lower.get(lower), by_lemma.get(lemma)):
                if found is None:
                    continue
                matcher, length = found
                end = min(n, i + length + 1)
                for match_id, start, stop in matcher(doc[i:end]):
                    if start == 0 and (i + stop < end or end == n):
                        matches.append((match_id, i, i + stop))
        return list(dict.fromkeys(matches))


def _anchor(pattern: Sequence[Mapping[str, Any]]) -> tuple[str, list[str]] | None:
    """(attribute, words) that the first token must hold, when the pattern is bounded; else None."""
    if not pattern or any(token.get("OP") not in _ONCE for token in pattern):
        return None
    first = {str(k).upper(): v for k, v in pattern[0].items()}
    if "OP" in first:
        return None
    for attr in _ANCHOR_ATTRS:
        value = first.get(attr)
        if isinstance(value, str):
            return attr, [value]
        if isinstance(value, Mapping) and set(value) == {"IN"} and isinstance(value["IN"], list) \
                and value["IN"] and all(isinstance(v, str) for v in value["IN"]):
            return attr, list(value["IN"])
    return None
