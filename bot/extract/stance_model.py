"""The trained check that a found shape states a position of its speaker.

Rules find a shape and its speaker; whether the sentence is that speaker's position, and not a prediction
about someone else ("Putin will only negotiate when he believes he is losing"), logistics ("we will inform"),
a tautology or an analyst's reading, is what they generalise worst. A small spaCy text classifier (`textcat`,
bag of words and word pairs) decides it from the sentence and a few markers of how the rules read it (the
shape, the kind, how the speaker was found, whose clause it is, its modality). It is trained offline by
`make train` (bot.evaluation.stance_training) from the labelled sets in tests/data and shipped in
bot/extract/data/stance_model; it runs only on sentences where a shape matched and a speaker was found.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.pipeline import TextCategorizer
from spacy.tokens import Doc, Span, Token
from spacy.util import registry

from bot.errors import ModelError
from bot.extract.candidate import Candidate
from bot.extract.clauses import is_hedged, is_negated, is_past, is_person_like, is_question, lower_lemma
from bot.extract.lexicon import LEXICON

log = logging.getLogger(__name__)

POSITIVE, NEGATIVE = "POSITION", "OTHER"
THRESHOLD = 0.3
DISABLED = ("off", "none", "false", "0")
_FIRST_PERSON = {"i", "we", "our", "us", "my"}


WORDS_TOKENIZER = "discourse_bot.words.v1"


@registry.tokenizers(WORDS_TOKENIZER)
def make_words_tokenizer() -> Callable[[Language], Callable[[str], Doc]]:
    """A tokenizer that splits on white space: building spaCy's English one costs a fifth of a second."""
    def create(nlp: Language) -> Callable[[str], Doc]:
        return lambda text: Doc(nlp.vocab, words=text.split())
    return create


def default_path() -> Path:
    return Path(str(resources.files("bot.extract").joinpath("data/stance_model")))


class StanceModel:
    """Loads the trained classifier (or none) and answers `accepts(features)`."""

    def __init__(self, nlp: Language | None, threshold: float = THRESHOLD) -> None:
        self.nlp = nlp
        self.threshold = threshold

    @classmethod
    def load(cls, path: str = "") -> "StanceModel":
        """The model at `path`, the packaged one when `path` is empty, none when it is "off"."""
        if str(path).strip().lower() in DISABLED:
            return cls(None)
        where = Path(path) if path else default_path()
        if not (where / "config.cfg").is_file():
            if path:
                raise ModelError(f"no stance model at {where} (run `make train`, or set settings.stance_model: off)")
            log.warning("the packaged stance model is missing; positions are not checked by it",
                        extra={"action": "stance_model_missing"})
            return cls(None)
        try:   # the classifier reads words already split: its tokenizer (rules, special cases) is not loaded
            nlp = spacy.load(where, config={"nlp": {"tokenizer": {"@tokenizers": WORDS_TOKENIZER}}},
                             exclude=["tokenizer"])
        except Exception as exc:  # a broken model is a clear error, not a crash in every document
            raise ModelError(f"the stance model at {where} cannot be loaded: {exc}") from exc
        return cls(nlp)

    @property
    def enabled(self) -> bool:
        return self.nlp is not None

    def score(self, features: str) -> float:
        if self.nlp is None:
            return 1.0
        doc = self.nlp.get_pipe("textcat")(as_doc(self.nlp, features))
        return float(doc.cats.get(POSITIVE, 0.0))

    def accepts(self, features: str) -> bool:
        return self.score(features) >= self.threshold

    def accepts_all(self, texts: list[str]) -> list[bool]:
        """`accepts` for many readings at once (one pass of the model)."""
        if self.nlp is None or not texts:
            return [True] * len(texts)
        textcat = self.nlp.get_pipe("textcat")
        if not isinstance(textcat, TextCategorizer):
            raise ModelError(f"the stance model's textcat is a {type(textcat).__name__}, not a text classifier")
        docs = textcat.pipe([as_doc(self.nlp, t) for t in texts], batch_size=64)
        return [float(d.cats.get(POSITIVE, 0.0)) >= self.threshold for d in docs]


def as_doc(nlp: Language, features: str) -> Doc:
    """The features as a Doc of their words (already split: no tokenizer needed)."""
    return Doc(nlp.vocab, words=features.split())


def features(cand: Candidate, actor: str, via: str, sent: Span) -> str:
    """What the classifier reads: markers of how the rules read the sentence, then its words."""
    subject = cand.subject_head if cand.subject_head is not None else cand.predicate
    clause = subject if subject.pos_ in ("VERB", "AUX", "ADJ") else cand.predicate
    markers = [f"shape_{cand.shape}", f"kind_{cand.kind}", f"via_{via or 'none'}",
               f"agent_{_agent(clause, actor, sent)}"]
    if cand.negated:
        markers.append("waived")
    if is_negated(clause):
        markers.append("clause_negated")
    if is_past(clause):
        markers.append("clause_past")
    if is_hedged(cand.predicate):
        markers.append("hedged")
    if any(c.tag_ == "MD" for c in clause.children):
        markers.append("modal_" + next(c.lower_ for c in clause.children if c.tag_ == "MD"))
    if is_question(cand.predicate):
        markers.append("question")
    if any(t.lower_ in _FIRST_PERSON for t in sent):
        markers.append("first_person")
    if cand.requires_head is not None and any(lower_lemma(t) in LEXICON.knowing_verbs for t in cand.requires):
        markers.append("knowing")
    words = [t.lower_ for t in sent if not t.is_space]
    return " ".join(f"m_{m}" for m in markers) + " " + " ".join(words)


def _agent(clause: Token, actor: str, sent: Span) -> str:
    """Whose clause it is: the speaker's own side, another watched actor, the speaker in person, or a thing."""
    subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return "none"
    if subject.lower_ in _FIRST_PERSON:
        return "self"
    spans = [s for s in sent.doc.spans.get("actors", ()) if s.start <= subject.i < s.end
             or (subject.left_edge.i <= s.start and s.end <= subject.right_edge.i + 1)]
    if spans:
        return "own" if any(s.label_ == actor for s in spans) else "other"
    return "person" if is_person_like(subject) else "thing"

