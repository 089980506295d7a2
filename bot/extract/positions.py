"""The `positions` component: stated conditions, demands, refusals, offers and threats of watched actors.

Shapes are read from the dependency parse (a subordinate clause's marker, a linking predicate and its
preposition, a requirement noun and its object), never from string patterns over the sentence. Each
candidate is then attributed (bot.extract.attribution) and normalised to config topics (bot.extract.topics).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from bot.extract.attribution import Attribution, Voice
from bot.extract.facts import Position
from bot.extract.lexicon import LEXICON
from bot.extract.shapes import (PRONOUNS, Candidate, distributed_variants, find_candidates, is_actor, is_hedged,
                                lower_lemma)
from bot.extract.topics import TopicIndex, clause_phrase, noun_phrase

log = logging.getLogger(__name__)



class PositionExtractor:
    """Writes `doc._.positions`; topics come from config so a new topic needs no code change."""

    def __init__(self, nlp: Language, name: str, *, topics: list[dict[str, Any]]) -> None:
        self.name = name
        self.topics = TopicIndex(topics, lemmatize=_lemmatizer(nlp))
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
                key = (position.actor, position.kind, position.subject, position.sentence)
                old = found.get(key)
                if old is not None:
                    # Two requirements of one subject in one sentence ("without A and without B").
                    merged = tuple(sorted(set(old.requires) | set(position.requires)))
                    position = replace(old, requires=merged, negated=old.negated and position.negated)
                found[key] = position
        doc._.positions = list(found.values())
        return doc

    def _worth_reading(self, sent: Span, attribution: Attribution) -> bool:
        """Cheap gate before the costly work: a trigger word, and a watched actor, a quote or a pronoun that
        could make the sentence someone's statement."""
        if not any(t.lemma_.lower() in self._triggers or t.lower_ in self._triggers for t in sent):
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
            if voice is None or not voice.actor:
                continue
            yield from self._positions(cand, voice, sent, attribution)

    def _positions(self, cand: Candidate, voice: Voice, sent: Span, attribution: Attribution) -> Iterator[Position]:
        requires_tokens = set(t.i for t in cand.requires)
        subject_tokens = [t for t in cand.subject if t.i not in requires_tokens]
        subjects = self._names(subject_tokens, cand.subject_head, sent, role="subject", avoid=requires_tokens)
        if cand.persisting:
            subjects = [self.topics.inverse(s, LEXICON.persistence_inverse) for s in subjects]
        requires = self._names(cand.requires, cand.requires_head, sent, role="requires") if cand.requires else []
        if not subjects:
            return
        if cand.kind == "condition" and not requires:
            return
        quote = attribution.quote_of(cand.predicate)
        hedged = is_hedged(cand.predicate)
        hypothetical = cand.hypothetical or any(t.lemma_.lower() in LEXICON.hypothetical_markers for t in sent)
        if requires and cand.requires_head is not None and set(requires) <= set(subjects):
            # "a deal will only be completed if it is a Trump deal": the requirement says more than its topic.
            phrase = self._phrase(cand.requires_head, role="requires")
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

    def _names(self, tokens: list[Token], head: Token | None, sent: Span, role: str,
               avoid: set[int] = frozenset()) -> list[str]:
        """Topic ids named by the tokens, else the normalised phrase of their head."""
        content = sorted((t for t in tokens if t.dep_ not in _NAME_SKIP_DEPS and not t.is_punct), key=lambda t: t.i)
        found = self._topics(content, head)
        if found:
            return found
        if head is None:
            chunk = next((t for t in content if t.pos_ == "NOUN" and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "attr")), None)
            return [noun_phrase(chunk)] if chunk is not None else []
        if head.lower_ in PRONOUNS or (head.pos_ in ("VERB", "AUX") and _elliptical(head)):
            return self._context_topics(sent, exclude=set(t.i for t in tokens) | set(avoid),
                                        elliptical=head.pos_ in ("VERB", "AUX"))
        if head.pos_ == "VERB" and lower_lemma(head) in LEXICON.offer_verbs | LEXICON.demand_verbs | LEXICON.refusal_verbs:
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return [noun_phrase(obj)]
        phrase = self._phrase(head, role)
        return [phrase] if phrase and phrase not in PRONOUNS else []

    @staticmethod
    def _quoted_speaker_part(token: Token) -> bool:
        """A noun of the attribution ("Ned Price, State Department Spokesperson said: “…") is not a subject."""
        return any(lower_lemma(a) in LEXICON.speech_verbs for a in token.ancestors) and not any(
            x.text in _QUOTE_CHARS for x in token.doc[token.sent.start:token.i])

    @staticmethod
    def _phrase(head: Token, role: str) -> str:
        if head.pos_ in ("VERB", "AUX"):
            passive = any(c.dep_ == "nsubjpass" for c in head.children)
            return clause_phrase(head, with_subject=(role == "requires" or passive), is_actor=is_actor)
        return noun_phrase(head)

    def _topics(self, content: list[Token], head: Token | None) -> list[str]:
        """Topics in the tokens read in order and verb first ("the war ends" → "end war"), and with coordinated
        modifiers distributed ("economic or diplomatic incentives"). A topic named only by a verb ("negotiate")
        gives way to topics named by its object ("negotiate a peace agreement")."""
        verbs = [t for t in content if t.pos_ in ("VERB", "AUX")]
        others = [t for t in content if t.pos_ not in ("VERB", "AUX")]
        no_mods = [t for t in content if t.dep_ not in ("amod", "advmod", "nummod", "quantmod")]
        matches = [*self.topics.find(content), *self.topics.find(verbs + others), *self.topics.find(no_mods)]
        if head is not None:
            for variant in distributed_variants(head, content):
                matches.extend(self.topics.find(variant))
        verb_ids = {t.i for t in verbs}
        nominal = [(idx, topic) for idx, topic in matches if not set(idx) <= verb_ids]
        chosen = nominal if nominal else matches
        # A match inside a longer one read in another order gives way ("sanctions" in "lift … sanctions").
        sets = [(set(idx), topic) for idx, topic in chosen]
        kept = [topic for idx, topic in sets if not any(idx < other for other, _ in sets)]
        return list(dict.fromkeys(kept))

    def _context_topics(self, sent: Span, exclude: set[int], elliptical: bool = False) -> list[str]:
        """For "it" / "that" / "if they do not": what the sentence, or the ones before, was about."""
        doc = sent.doc
        if elliptical:
            if sent.start == 0:
                return []
            node = doc[sent.start - 1].sent.root
            for _ in range(2):
                inner = next((c for c in node.children if c.dep_ in ("ccomp", "xcomp")), None)
                if lower_lemma(node) in LEXICON.speech_verbs and inner is not None:
                    node = inner
            found = self._topics([t for t in node.subtree if not t.is_punct], node)
            phrase = clause_phrase(node, with_subject=False, is_actor=is_actor)
            return found[:1] if found else ([phrase] if phrase else [])
        here = self.topics.topics_in([t for t in sent if t.i not in exclude])
        if here:
            return here[:1]
        start = sent.start
        for _ in range(2):
            if start == 0:
                break
            prev = doc[start - 1].sent
            found = self.topics.topics_in(list(prev))
            if found:
                return found[-1:]
            start = prev.start
        noun = next((t for t in sent if t.i not in exclude and t.pos_ == "NOUN" and not is_actor(t)
                     and lower_lemma(t) not in LEXICON.role_nouns and not self._quoted_speaker_part(t)
                     and t.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj")), None)
        return [noun_phrase(noun)] if noun is not None else []


_SPEAKER_PRONOUNS = {"he", "she", "they", "we", "i"}
_QUOTE_CHARS = {"“", "”", '"', "«", "»"}
_NAME_SKIP_DEPS = {"det", "predet", "poss", "aux", "auxpass", "neg", "case", "mark", "cc", "punct", "expl"}


def _elliptical(verb: Token) -> bool:
    """"if they do not", "if it does": a clause whose content is in the sentence before."""
    return verb.lemma_.lower() in ("do", "be") and not any(
        c.dep_ in ("dobj", "attr", "acomp", "xcomp", "ccomp", "prep", "oprd") for c in verb.children)


def _lemmatizer(nlp: Language) -> Any:
    """Word forms (lowercase and lemma) of a topic phrase, from the model's own tagger and lemmatizer."""
    steps = [proc for name, proc in nlp.pipeline if name in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")]

    def forms(text: str) -> list[set[str]]:
        doc = nlp.make_doc(text)
        try:
            for proc in steps:
                doc = proc(doc)
        except Exception:  # a model without these components: plain lowercase words
            return [{t.lower_} for t in doc]
        return [{t.lower_, t.lemma_.lower()} for t in doc]

    return forms


@Language.factory("positions", default_config={"topics": []})
def make_positions(nlp: Language, name: str, topics: list[dict[str, Any]]) -> PositionExtractor:
    return PositionExtractor(nlp, name, topics=topics)
