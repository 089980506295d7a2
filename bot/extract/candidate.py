"""A position shape found in a sentence, before attribution and naming."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from bot.extract.facts import PositionKind


@dataclass
class Candidate:
    """A shape found in a sentence: what is conditioned (X) and what it requires (Y), as tokens."""

    kind: PositionKind
    predicate: Token                      # the clause the position is stated in (for voice and flags)
    subject: list[Token]                  # tokens naming X
    requires: list[Token] = field(default_factory=list)   # tokens naming Y
    subject_head: Token | None = None     # None: X comes from the sentence's context
    requires_head: Token | None = None
    negated: bool = False                 # the requirements are waived ("X without Y")
    hypothetical: bool = False
    persisting: bool = False              # "keep X until Y": the condition is on ending X
    ending: bool = False                  # "not X while Y": X requires the end of Y
    owner: Token | None = None            # whose it is when the text names it ("Putin's demand that …")
    shape: str = ""                       # the id of the shape that found it
    topics_only: bool = False             # both sides must name config topics ("peace, not a ceasefire")
    nodes: frozenset[int] = frozenset()   # the matched pattern's tokens: two readings of one wording share them
    cue: int = -1                         # the index of the cue token (-1: the shape has none)
