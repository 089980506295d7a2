"""The cached attribute ruler annotates every token exactly as the model's own attribute_ruler does."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from bot.config import Config
from bot.extract.attribute_cache import CachedAttributeRuler
from bot.extract.nlp import load_nlp

TEXTS = [
    # rules of two tokens, a REGEX rule, rules on DEP, whitespace tokens
    "I'm gonna say it ain't so, y'all. Let's go! C'mon, we gotta get it. There is nothin' left.\n\n  \tDo it.",
    "I saw you and it. But he did have it, and they did. Which one? That one, which he chose himself.",
    "Russia said on Tuesday that talks could begin once Ukraine withdraws its troops from the four regions.",
    "KYIV, March 3 (Reuters) - Seven people were killed and 12 injured when a missile hit a block of flats.",
    "",
]


def _annotation(doc: Doc) -> list[tuple[str, str, str, str, str, int]]:
    return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


@pytest.fixture(scope="module")
def model(default_config: Config) -> Language:
    return load_nlp(default_config.settings)


def _before_ruler(model: Language, texts: list[str]) -> list[Doc]:
    upstream = [name for name, _ in model.pipeline][: model.pipe_names.index("attribute_ruler")]
    with model.select_pipes(enable=upstream):
        return list(model.pipe(texts))


def test_cached_ruler_sets_what_the_ruler_sets(model: Language) -> None:
    ruler = model.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler) and not isinstance(ruler, CachedAttributeRuler)
    cached = CachedAttributeRuler(model.vocab)
    cached.add_patterns(ruler.patterns)
    docs = _before_ruler(model, TEXTS * 2)   # the second time round every kind of token is known
    for doc in docs:
        expected = ruler(doc.copy())
        assert _annotation(cached(doc)) == _annotation(expected), doc.text


def test_new_patterns_are_used(model: Language) -> None:
    cached = CachedAttributeRuler(model.vocab)
    cached.add_patterns(model.get_pipe("attribute_ruler").patterns)
    doc = _before_ruler(model, ["Troops withdrew."])[0]
    cached(doc.copy())
    cached.add_patterns([{"patterns": [[{"LOWER": "troops"}]], "attrs": {"LEMMA": "soldier"}}])
    assert cached(doc)[0].lemma_ == "soldier"


def test_the_bot_pipeline_uses_it(extractor) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(extractor.nlp.get_pipe("attribute_ruler"), CachedAttributeRuler)
