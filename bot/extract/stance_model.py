"""The trained check that a sentence states a position of its speaker (placeholder until trained)."""

from __future__ import annotations

from spacy.tokens import Span


class StanceModel:
    def __init__(self) -> None:
        self.nlp = None

    @classmethod
    def load(cls, path: str) -> "StanceModel":
        return cls()

    def states_position(self, sent: Span) -> bool:
        return True
