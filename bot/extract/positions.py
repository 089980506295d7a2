"""The `positions` component: stated conditions, demands, refusals, offers and threats of watched actors.

Shapes are read from the dependency parse (a subordinate clause's marker, a linking predicate and its
preposition, a requirement noun and its object), never from string patterns over the sentence. Modules, one job
each:

- bot.extract.shapes: condition shapes → Candidates (bot.extract.candidate); bot.extract.kinds: demands,
  refusals, offers, threats; bot.extract.focus: what a clause is about; bot.extract.clauses: negation, prospect,
  hedges and other clause readings;
- bot.extract.attribution: whose position a clause is;
- bot.extract.naming: topic ids or normalised phrases for subjects and requirements (bot.extract.topics);
- this module: the spaCy component that gates sentences, runs the above and builds `Position`s.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from bot.extract.attribution import Attribution, Voice
from bot.extract.candidate import Candidate
from bot.extract.clauses import is_hedged
from bot.extract.facts import Position
from bot.extract.lexicon import LEXICON
from bot.extract.naming import Namer
from bot.extract.shapes import find_candidates
from bot.extract.topics import Lemmatize, TopicIndex

log = logging.getLogger(__name__)


class PositionExtractor:
    """Writes `doc._.positions`; topics come from config so a new topic needs no code change."""

    def __init__(self, nlp: Language, name: str, *, topics: list[dict[str, Any]]) -> None:
        self.name = name
        self.topics = TopicIndex(topics, lemmatize=_lemmatizer(nlp))
        self.namer = Namer(self.topics)
        self._triggers = LEXICON.triggers

    def __call__(self, doc: Doc) -> Doc:
        attribution = Attribution(doc)
        found: dict[tuple[Any, ...], Position] = {}
        for sent in doc.sents:
            if not self._worth_reading(sent, attribution):
                continue
            try:
                sentence_positions = list(self._sentence_positions(sent, attribution))
            except Exception:  # one odd parse must not cost the document its other facts
                log.warning("position rules failed on a sentence of %s", doc._.document_id, exc_info=True,
                            extra={"action": "positions_sentence_failed"})
                continue
            for position in sentence_positions:
                # A negated and an affirmed condition of one subject stay apart ("does not depend on A; only B
                # would bring them home").
                key = (position.actor, position.kind, position.subject, position.sentence, position.negated)
                old = found.get(key)
                if old is not None:
                    # Two requirements of one subject in one sentence ("without A and without B").
                    merged = tuple(sorted(set(old.requires) | set(position.requires)))
                    position = replace(old, requires=merged)
                found[key] = position
        doc._.positions = list(found.values())
        return doc

    def _worth_reading(self, sent: Span, attribution: Attribution) -> bool:
        """Cheap gate before the costly work: a trigger word, and a watched actor, a quote or a pronoun that
        could make the sentence someone's statement."""
        if not any(t.lemma_.lower() in self._triggers or t.lower_ in self._triggers or _have_to(t) for t in sent):
            return False
        if any(sent.start <= s.start < sent.end for s in sent.doc.spans.get("actors", ())):
            return True
        if any(q.start < sent.end and sent.start < q.end for q in attribution.quotes):
            return True
        return any(t.lower_ in _SPEAKER_PRONOUNS for t in sent)

    # -- per sentence --------------------------------------------------------------------------------------
    def _sentence_positions(self, sent: Span, attribution: Attribution) -> Iterator[Position]:
        for cand in find_candidates(sent):
            if attribution.is_recap(cand.predicate):
                continue
            voice = attribution.voice_of(cand.predicate)
            if cand.owner is not None:
                voice = self._owner_voice(cand, voice, attribution)
            if voice is None or not voice.actor:
                continue
            yield from self._positions(cand, voice, sent, attribution)

    @staticmethod
    def _owner_voice(cand: Candidate, teller: Voice | None, attribution: Attribution) -> Voice | None:
        """The position of the actor named as its owner, reported when someone else tells of it."""
        owner = attribution.resolve(cand.owner, strict=True) if cand.owner is not None else None
        if owner is None or not owner.actor:
            return None
        if cand.predicate.head.i != cand.predicate.i:
            teller = attribution.voice_of(cand.predicate.head)   # "Zelensky dismissed Putin's demand …"
        if teller is None or not teller.actor or teller.actor == owner.actor:
            return owner
        return Voice(owner.actor, owner.speaker, reported=True)

    def _positions(self, cand: Candidate, voice: Voice, sent: Span, attribution: Attribution) -> Iterator[Position]:
        requires_tokens = set(t.i for t in cand.requires)
        subject_tokens = [t for t in cand.subject if t.i not in requires_tokens]
        subjects = self.namer.names(subject_tokens, cand.subject_head, sent, role="subject", avoid=requires_tokens)
        if cand.persisting:
            subjects = [self.topics.inverse(s, LEXICON.persistence_inverse) for s in subjects]
            held = cand.subject_head
            if held is not None and held.pos_ in ("VERB", "AUX"):   # "keep its troops in Lebanon until …"
                held = next((c for dep in ("dobj", "nsubjpass", "nsubj") for c in held.children if c.dep_ == dep), held)
            inverse = LEXICON.persistence_inverse_nouns.get(held.lemma_.lower()) if held is not None else None
            if inverse in self.topics.topic_ids:
                subjects = [inverse]   # "Israeli troops would remain … until Y"
        requires = self.namer.names(cand.requires, cand.requires_head, sent, role="requires") if cand.requires else []
        if cand.ending:   # "not X while Y continues": what X needs is the end of Y
            requires = [self.topics.inverse(r, LEXICON.persistence_inverse) if r in self.topics.topic_ids
                        else "end of " + " ".join(w for w in r.split() if w not in _LASTING) for r in requires]
        if not subjects:
            return
        if cand.kind == "condition" and not requires:
            return
        quote = attribution.quote_of(cand.predicate)
        hedged = is_hedged(cand.predicate)
        hypothetical = cand.hypothetical or any(t.lemma_.lower() in LEXICON.hypothetical_markers for t in sent)
        if requires and cand.requires_head is not None and set(requires) <= set(subjects):
            # "a deal will only be completed if it is a Trump deal": the requirement says more than its topic.
            phrase = self.namer.phrase(cand.requires_head, role="requires")
            requires = [phrase] if phrase else requires
        for subject in subjects:
            reqs = tuple(sorted(r for r in dict.fromkeys(requires) if r != subject))
            if cand.kind == "condition" and not reqs:
                continue
            yield Position(
                actor=voice.actor, kind=cand.kind, subject=subject, requires=reqs, speaker=voice.speaker,
                negated=cand.negated, hedged=hedged, hypothetical=hypothetical, reported=voice.reported,
                quote=quote.text.strip() if quote else "", sentence=sent.text.strip(),
            )


_LASTING = {"continue", "remain", "persist", "last", "still"}   # "while the war continues" → "end of war"
_SPEAKER_PRONOUNS = {"he", "she", "they", "we", "i"}


def _have_to(token: Token) -> bool:
    """"have to" / "has to": an obligation, as good a trigger as "must"."""
    doc = token.doc
    return token.lower_ in ("have", "has", "had") and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to"


def _lemmatizer(nlp: Language) -> Lemmatize:
    """Word forms (lowercase and lemma) of topic phrases, from the model's own tagger and lemmatizer, all phrases
    in one batch."""
    steps = [proc for name, proc in nlp.pipeline if name in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")]

    def forms(texts: Sequence[str]) -> list[list[set[str]]]:
        docs = [nlp.make_doc(text) for text in texts]
        try:
            for proc in steps:
                docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(doc) for doc in docs]
        except Exception:  # a model without these components: plain lowercase words
            return [[{t.lower_} for t in doc] for doc in docs]
        return [[{t.lower_, t.lemma_.lower()} for t in doc] for doc in docs]

    return forms


@Language.factory("positions", default_config={"topics": []})
def make_positions(nlp: Language, name: str, topics: list[dict[str, Any]]) -> PositionExtractor:
    return PositionExtractor(nlp, name, topics=topics)
