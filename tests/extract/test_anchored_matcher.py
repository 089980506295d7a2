"""The anchored matcher finds exactly what spaCy's Matcher finds over the whole document (it only skips the
places where a pattern cannot start)."""

from __future__ import annotations

import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc

from bot.extract.anchored_matcher import AnchoredTokenMatcher
from bot.extract.casualty_scope import _patterns

PATTERNS = {
    "since_start": [[{"LOWER": "since"}, {"LOWER": "the", "OP": "?"}, {"LOWER": {"IN": ["start", "beginning"]}},
                     {"LOWER": "of", "OP": "?"}]],
    "not_before_comma": [[{"LOWER": "since"}, {"LOWER": "june"}, {"IS_DIGIT": True, "OP": "?"},
                          {"LOWER": {"IN": [",", "."]}, "OP": "!"}]],
    "lemma_first": [[{"LEMMA": {"IN": ["mourn", "remember"]}}, {"LOWER": "the"}, {"LOWER": "victims"}]],
    "unbounded": [[{"LOWER": "deadliest"}, {"OP": "*"}, {"LOWER": "since"}]],
    "plus": [[{"LOWER": "across"}, {"IS_TITLE": True, "OP": "+"}, {"LOWER": "region"}]],
    "optional_first": [[{"LOWER": "the", "OP": "?"}, {"LOWER": "war"}]],
}

SENTENCES = [
    "Since the start of the war , dozens died .",
    "since June 5 , the toll rose",
    "since June 5 the toll rose",
    "the deadliest strike on the city since",
    "residents mourned the victims and remembered the victims",
    "shelling across Kharkiv Oblast region went on",
    "since the",
    "the war",
    "since June",
    "since since the start of it",
    "",
]
LEMMAS = {"mourned": "mourn", "remembered": "remember"}


def _doc(vocab, text: str) -> Doc:
    words = text.split()
    pos = ["PUNCT" if w in ",." else "PROPN" if w.istitle() else "NOUN" for w in words]
    return Doc(vocab, words=words, lemmas=[LEMMAS.get(w, w.lower()) for w in words], pos=pos)


def _both(vocab, patterns):
    plain, anchored = Matcher(vocab), AnchoredTokenMatcher(vocab, validate=True)
    for key, group in patterns.items():
        plain.add(key, group)
        anchored.add(key, group)
    return plain, anchored


def test_same_matches_as_spacy_matcher_on_every_kind_of_pattern():
    vocab = spacy.blank("en").vocab
    plain, anchored = _both(vocab, PATTERNS)
    found = 0
    for text in SENTENCES:
        doc = _doc(vocab, text)
        expected = set(plain(doc)) if len(doc) else set()
        assert set(anchored(doc)) == expected, text
        found += len(expected)
    assert found >= 8   # the sentences do exercise the patterns


def test_casualty_scope_patterns_match_as_before():
    vocab = spacy.blank("en").vocab
    plain, anchored = _both(vocab, _patterns(None))
    texts = ["since the beginning of the full-scale invasion , 500 were killed",
             "over the past 24 hours , nationwide , 12 civilians were killed",
             "the deadliest attack on Kyiv since the war began",
             "a prisoner exchange of bodies took place"]
    for text in texts:
        doc = _doc(vocab, text)
        assert set(anchored(doc)) == set(plain(doc)), text
