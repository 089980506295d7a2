"""The model's English rule lemmatizer with each token's lemma kept per word, part of speech and morphology.

The rule lemmatizer's lemma of a token depends on its text, part of speech and morphology alone (spaCy's own
cache key), but spaCy keeps only the lemmas its rules work out: a base form (a singular noun, an infinitive:
most tokens) is checked again, morphology read and all, for every token. Here each distinct word, part of
speech and morphology is lemmatised once, by the lemmatizer itself, and a doc's lemmas are set in one array.
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.tokens import Doc

FACTORY = "cached_english_lemmatizer"
LEMMATIZER = "lemmatizer"
_KEPT = 100_000   # lemmas kept before the cache starts again (a few MB; it grows with the vocabulary)


class CachedEnglishLemmatizer(EnglishLemmatizer):
    """An EnglishLemmatizer (same tables, same lemmas) that lemmatises each kind of token once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule":
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        error_handler = self.get_error_handler()
        try:
            lemmas = self._lemmas
            rows = doc.to_array(["ORTH", "POS", "MORPH", "LEMMA"]).tolist()
            out = []
            for i, (orth, pos, morph, lemma) in enumerate(rows):
                if self.overwrite or lemma == 0:
                    key = (orth, pos, morph)
                    kept = lemmas.get(key)
                    if kept is not None:
                        lemma = kept
                    else:
                        lemma = self.vocab.strings.add(self.lemmatize(doc[i])[0])
                        if pos:   # (no part of speech: spaCy warns each time, so it is not kept)
                            if len(lemmas) >= _KEPT:
                                lemmas.clear()
                            lemmas[key] = lemma
                out.append(lemma)
            if out:
                doc.from_array(["LEMMA"], numpy.array(out, dtype=numpy.uint64))  # type: ignore[arg-type]
            return doc
        except Exception as e:
            error_handler(self.name, self, [doc], e)
            return doc


@Language.factory(FACTORY, default_config={"mode": "rule", "overwrite": False})
def make_cached_english_lemmatizer(nlp: Language, name: str, mode: str, overwrite: bool) -> CachedEnglishLemmatizer:
    return CachedEnglishLemmatizer(nlp.vocab, None, name, mode=mode, overwrite=overwrite)


def cache_lemmatizer(nlp: Language) -> None:
    """Put the cached lemmatizer in place of the model's English rule lemmatizer, with the same tables."""
    if LEMMATIZER not in nlp.pipe_names:
        return
    old = nlp.get_pipe(LEMMATIZER)
    if type(old) is not EnglishLemmatizer or old.mode != "rule":
        return
    new = nlp.replace_pipe(LEMMATIZER, FACTORY, config={"mode": old.mode, "overwrite": old.overwrite})
    new.lookups = old.lookups  # type: ignore[attr-defined]
