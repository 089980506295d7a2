"""Naming a candidate's subject and requirements: config topic ids where the words name one, else a short
normalised phrase built from the head of the phrase or clause (bot.extract.topics)."""

from __future__ import annotations

from spacy.tokens import Span, Token

from bot.extract.clauses import PRONOUNS, is_actor, is_person_like, lower_lemma
from bot.extract.focus import distributed_variants
from bot.extract.lexicon import LEXICON
from bot.extract.topics import TopicIndex, clause_phrase, noun_phrase


class Namer:
    """Names for the tokens of a subject or a requirement."""

    def __init__(self, topics: TopicIndex) -> None:
        self.topics = topics

    def names(self, tokens: list[Token], head: Token | None, sent: Span, role: str,
              avoid: set[int] = frozenset()) -> list[str]:
        """Topic ids named by the tokens, else the normalised phrase of their head.

        A requirement of several coordinated parts ("after the war ends and martial law is lifted", "an end to the
        war and a full pullout") is named part by part, so a part that names no topic is not lost. A subject that
        comes out as noise (a function word, a pronoun, a word of the attribution such as "journalist") gives way
        to what the sentence is about."""
        if role == "requires" and head is not None:
            head = _light_verb_object(head)
            parts = conjunct_parts(tokens, head)
            if len(parts) > 1:
                named = [n for part, part_head in parts for n in self._names(part, part_head, sent, role, avoid)]
                return list(dict.fromkeys(named))
        found = self._names(tokens, head, sent, role, avoid)
        if role == "subject" and head is not None and found and all(_noise(n, head) for n in found):
            found = self._context_topics(sent, exclude=set(t.i for t in tokens) | set(avoid))
        if role == "subject" and not found and head is not None and head.lower_ in PRONOUNS and \
                head.dep_ in ("nsubj", "nsubjpass") and head.head.pos_ == "VERB" and \
                any(t.i == head.head.i for t in tokens):
            # "it will not disarm while …" with nothing in context for "it": the act itself is the subject.
            phrase = clause_phrase(head.head, with_subject=False, is_actor=is_actor)
            found = [phrase] if phrase else []
        return [n for n in found if not (role == "subject" and _noise(n, head))]

    def _names(self, tokens: list[Token], head: Token | None, sent: Span, role: str,
               avoid: set[int] = frozenset()) -> list[str]:
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
        if head.pos_ == "VERB" and lower_lemma(head) in LEXICON.offer_verbs | LEXICON.demand_verbs | LEXICON.refusal_verbs \
                and not any(c.dep_ == "prt" for c in head.children):   # "call off the drills" is no call
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return [noun_phrase(obj)]
        phrase = self.phrase(head, role)
        return [phrase] if phrase and phrase not in PRONOUNS else []

    @staticmethod
    def _quoted_speaker_part(token: Token) -> bool:
        """A noun of the attribution ("Ned Price, State Department Spokesperson said: “…") is not a subject."""
        return any(lower_lemma(a) in LEXICON.speech_verbs for a in token.ancestors) and not any(
            x.text in _QUOTE_CHARS for x in token.doc[token.sent.start:token.i])

    @staticmethod
    def phrase(head: Token, role: str) -> str:
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
        # "easing of U.S. sanctions": the words of a topic phrase may be split by a noun's own modifiers.
        bare = [t for t in no_mods if not (t.dep_ in ("compound", "nmod", "poss") and t.head.pos_ in ("NOUN", "PROPN")
                                           and t.head.i != (head.i if head is not None else -1))]
        # "pulls its troops out": a verb read with its particle ("pull out troops")
        particles = [t for t in content
                     if t.dep_ == "prt" or (t.dep_ == "prep" and t.lower_ in ("out", "back", "off"))]
        phrasal = [x for v in verbs for x in (v, *(p for p in particles if p.head.i == v.i))] + [
            t for t in others if t not in particles]
        matches = [*self.topics.find(content), *self.topics.find(verbs + others), *self.topics.find(no_mods),
                   *self.topics.find(bare), *self.topics.find(phrasal)]
        inside = {t.i for t in content}
        for verb in verbs:   # a verb with its object's head: "Western sanctions on its bank were lifted"
            for obj in verb.children:
                if obj.dep_ in ("dobj", "nsubjpass") and obj.i in inside and obj.lower_ not in ("them", "it"):
                    compounds = [c for c in obj.children if c.dep_ == "compound"]
                    matches.extend(self.topics.find([verb, *compounds, obj]))
                elif obj.dep_ == "dobj" and obj.lower_ in ("them", "it") and obj.i in inside:
                    # "bring them home": the pronoun read as its antecedent ("bring the hostages home").
                    antecedent = _antecedent(obj)
                    if antecedent is not None:
                        after = [c for c in verb.children if c.i > obj.i and c.i in inside
                                 and c.dep_ in ("advmod", "prt", "prep")]
                        matches.extend((idx, topic) for idx, topic in
                                       self.topics.find([verb, antecedent, *after]) if obj.i not in idx)
        if head is not None:
            for variant in distributed_variants(head, content):
                matches.extend(self.topics.find(variant))
        if head is not None and head.pos_ == "NOUN" and any(head.i in idx for idx, _ in matches):
            # "talks on denuclearisation" are talks: what they are about is no second subject.
            about = {x.i for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "about", "over")
                     for x in c.subtree}
            matches = [(idx, topic) for idx, topic in matches if not set(idx) <= about]
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


_QUOTE_CHARS = {"“", "”", '"', "«", "»"}
_NAME_SKIP_DEPS = {"det", "predet", "poss", "aux", "auxpass", "neg", "case", "mark", "cc", "punct", "expl"}


def _elliptical(verb: Token) -> bool:
    """"if they do not", "if it does": a clause whose content is in the sentence before."""
    return verb.lemma_.lower() in ("do", "be") and not any(
        c.dep_ in ("dobj", "attr", "acomp", "xcomp", "ccomp", "prep", "oprd") for c in verb.children) and not any(
        c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN") for c in verb.children)   # "the war is over"




def conjunct_parts(tokens: list[Token], head: Token) -> list[tuple[list[Token], Token]]:
    """The coordinated parts of a phrase: the head's own part, each conjunct (a noun, or a clause with its own
    subject or object), and any part of the tokens hanging outside the head's subtree (coordination the parser
    attached one level up)."""
    inside = {t.i for t in tokens}
    conjuncts = [c for c in head.conjuncts if c.i in inside and c.i > head.i and _own_part(c, head)]
    parts: list[tuple[list[Token], Token]] = []
    taken: set[int] = set()
    for conj in conjuncts:
        part = [x for x in conj.subtree if x.i in inside and x.dep_ not in ("cc", "punct")]
        nested = {x.i for other in conjuncts if other.i != conj.i and other.head.i == conj.i for x in other.subtree}
        part = [x for x in part if x.i not in nested]
        parts.append((part, conj))
        taken.update(x.i for x in part)
    own = [x for x in head.subtree if x.i in inside and x.i not in taken]
    taken.update(x.i for x in own)
    parts.insert(0, (own, head))
    outside = [t for t in tokens if t.i not in taken and not t.is_punct and t.dep_ != "cc"]
    for root in [t for t in outside if t.head.i not in {x.i for x in outside} and t.pos_ in ("NOUN", "VERB")
                 and not is_person_like(t)]:
        parts.append(([x for x in root.subtree if x.i in inside], root))
    return parts if len(parts) > 1 else [(tokens, head)]


def _own_part(conj: Token, head: Token) -> bool:
    if conj.pos_ in ("NOUN", "PROPN"):
        return head.pos_ in ("NOUN", "PROPN") and not is_actor(conj)
    if conj.pos_ in ("VERB", "AUX"):
        return any(c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in conj.children)
    return False


_LIGHT_REQUIREMENT_VERBS = {"include", "involve", "contain", "entail", "see"}


def _light_verb_object(head: Token) -> Token:
    """"only if it includes a withdrawal and an end to …": the requirement is the object of a light verb."""
    if head.pos_ in ("VERB", "AUX") and lower_lemma(head) in _LIGHT_REQUIREMENT_VERBS:
        obj = next((c for c in head.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
        if obj is not None:
            return obj
    return head


_NOISE_POS = {"CCONJ", "SCONJ", "ADP", "DET", "PRON", "PART", "PUNCT", "AUX", "INTJ", "NUM", "SYM"}


def _noise(name: str, head: Token | None) -> bool:
    """A subject that names nothing: a function word or pronoun, a speech or stance word ("offer", "say"), or a
    word of the attribution ("journalist in kyiv")."""
    words = name.split()
    if not words:
        return True
    if len(words) == 1 and (words[0] in PRONOUNS or words[0] in _FUNCTION_WORDS):
        return True
    first = words[0]
    if first in LEXICON.non_actor_nouns:
        return True
    verb = head is not None and head.pos_ in ("VERB", "AUX")
    if verb and len(words) == 1 and (first in LEXICON.speech_verbs or first in LEXICON.offer_verbs
                                     or first in LEXICON.demand_verbs):
        return True
    return head is not None and head.pos_ in _NOISE_POS and name == head.lower_


_FUNCTION_WORDS = {"but", "and", "or", "so", "if", "then", "only", "also", "even", "just", "not", "no", "yes", "as",
                   "which", "who", "what", "there", "here", "now", "be", "do", "have", "say", "tell"}


def _antecedent(pronoun: Token) -> Token | None:
    """The nearest noun before "them" (a plural) or "it" (a singular) in the sentence: a pronoun object's likely
    antecedent. Not a person or an actor, which the pronoun would name as an agent."""
    plural = pronoun.lower_ == "them"
    for t in reversed(list(pronoun.doc[pronoun.sent.start:pronoun.i])):
        if t.pos_ != "NOUN" or t.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
            continue
        if (t.tag_ == "NNS") == plural and not is_actor(t):
            return t
    return None
