"""The cached lemmatizer gives every token the lemma the model's own lemmatizer gives it."""

from __future__ import annotations

from spacy.lang.en.lemmatizer import EnglishLemmatizer

from bot.config import Config
from bot.extract.lemma_cache import CachedEnglishLemmatizer
from bot.extract.nlp import load_nlp
from tests.extract.test_attribute_cache import TEXTS


def test_cached_lemmatizer_sets_what_the_lemmatizer_sets(default_config: Config) -> None:
    model = load_nlp(default_config.settings)
    lemmatizer = model.get_pipe("lemmatizer")
    assert type(lemmatizer) is EnglishLemmatizer
    cached = CachedEnglishLemmatizer(model.vocab, None, "lemmatizer", mode="rule")
    cached.lookups = lemmatizer.lookups
    texts = [*TEXTS, "Negotiations resumed; the talks were held, and they were holding them again. Sanctions bite."]
    upstream = model.pipe_names[: model.pipe_names.index("lemmatizer")]
    with model.select_pipes(enable=upstream):
        docs = list(model.pipe(texts * 2))   # the second time round every lemma is known
    for doc in docs:
        expected = [t.lemma_ for t in lemmatizer(doc.copy())]
        assert [t.lemma_ for t in cached(doc)] == expected, doc.text


def test_the_bot_pipeline_uses_it(extractor) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(extractor.nlp.get_pipe("lemmatizer"), CachedEnglishLemmatizer)
