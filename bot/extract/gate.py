"""The cheap check before the costly model: can this document yield any fact at all?

A position needs a watched actor (a name, alias, demonym, institution or person from config); a casualty
report needs a casualty word. A document with neither is skipped after tokenisation alone, which is most of
a general news feed (sports, markets, weather).
"""

from __future__ import annotations

from typing import cast

from spacy.language import Language
from spacy.tokens import Doc

from bot.extract.actors import ActorRuler
from bot.extract.casualty_words import TRIGGER_FORMS
from bot.extract.nlp import ACTORS_COMPONENT


class RelevanceGate:
    """Decides on a tokenised (not yet parsed) Doc, with the same phrase patterns as the actor ruler."""

    def __init__(self, nlp: Language) -> None:
        self._actor_matcher = cast("ActorRuler", nlp.get_pipe(ACTORS_COMPONENT)).matcher

    def __call__(self, doc: Doc) -> bool:
        if any(token.lower_ in TRIGGER_FORMS for token in doc):
            return True
        return bool(self._actor_matcher(doc))
