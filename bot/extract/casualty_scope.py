"""What a sentence's figures are about when it is not one attack's toll: tallies, front-wide losses, anniversaries,
trials, accidents, exchanges, exhumations, an attack's aftermath (the labels and their Matcher patterns are in `data/casualty_scope.yaml`)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from bot.extract.anchored_matcher import AnchoredTokenMatcher
from bot.extract.yaml_data import parse_yaml

SUPERLATIVE = "superlative"
HIT_IN_AN_ATTACK = "hit_in_an_attack"
TALLY = "tally"
WIDE = "wide"
ACCIDENT = "accident"
# labels that cancel others in their sentence: a comparison's period is no tally; what an attack hit (a petrol
# station, a bus) is no accident's
CANCELS = {SUPERLATIVE: frozenset({TALLY}), HIT_IN_AN_ATTACK: frozenset({ACCIDENT})}
# labels that make a whole document no new attack when its title (or first sentence) carries them
DOCUMENT_LABELS = frozenset({"tally", "front", "anniversary", "trial", "accident", "exchange", "exhumation",
                             "aftermath"})


@lru_cache(maxsize=2)
def _patterns(path: str | None) -> dict[str, list[list[dict[str, Any]]]]:
    text = Path(path).read_text(encoding="utf-8") if path else \
        resources.files("bot.extract").joinpath("data/casualty_scope.yaml").read_text(encoding="utf-8")
    data: Mapping[str, Any] = parse_yaml(text) or {}
    return {str(label): [list(p) for p in patterns] for label, patterns in data.items()}


class ScopeMatcher:
    """Labels each sentence of a parsed Doc with the scopes its words name."""

    def __init__(self, vocab: Vocab, path: str | None = None) -> None:
        self.matcher = AnchoredTokenMatcher(vocab, validate=True)   # spaCy's Matcher's matches, tried only where they can start
        for label, patterns in _patterns(path).items():
            self.matcher.add(label, patterns)

    def __call__(self, doc: Doc) -> dict[int, frozenset[str]]:
        """Sentence start → the labels found in that sentence (`superlative` removes `tally`, `hit_in_an_attack`
        removes `accident`; neither is kept)."""
        found: dict[int, set[str]] = {}
        matches = self.matcher(doc)
        if not matches:
            return {}
        starts = [sent.start for sent in doc.sents]   # Token.sent scans the whole document on every call
        for match_id, start, _end in matches:
            found.setdefault(starts[bisect_right(starts, start) - 1], set()).add(doc.vocab.strings[match_id])
        out = {}
        for start, labels in found.items():
            for label, cancelled in CANCELS.items():
                if label in labels:
                    labels -= {label, *cancelled}
            out[start] = frozenset(labels)
        return out


def labels_of(scopes: Mapping[int, frozenset[str]], sent: Span) -> frozenset[str]:
    return scopes.get(sent.start, frozenset())
