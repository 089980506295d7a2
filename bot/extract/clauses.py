"""Clause-level readings of the parse shared by the shape finders: negation, prospect (future/modal),
hedges, questions, counterfactuals, obligations, who is a person or an actor."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from bot.extract.lexicon import LEXICON


MODALS = {"will", "would", "can", "could", "shall", "should", "must", "may", "might", "'ll", "wo", "ca", "need"}


NEG_DET = {"no", "neither", "nor"}


PRONOUNS = {"it", "that", "this", "they", "them", "those", "these", "which", "what", "one"}


CONDITION_PREPS = {"until", "till", "without", "before", "after", "absent", "regardless", "unless"}


PERSIST_VERBS = {"remain", "stay", "continue", "keep", "maintain", "hold"}


def is_actor(token: Token) -> bool:
    return any(s.start <= token.i < s.end for s in token.doc.spans.get("actors", ()))


def lower_lemma(t: Token) -> str:
    return t.lemma_.lower()


def subtree_without(t: Token, stop: Iterable[Token] = ()) -> list[Token]:
    """t's subtree without the subtrees of the `stop` tokens."""
    blocked: set[int] = set()
    for s in stop:
        blocked.update(x.i for x in s.subtree)
    return [x for x in t.subtree if x.i not in blocked]


def persists(verb: Token) -> bool:
    """"the sanctions will stay / remain in place", "keep sanctions": a state that lasts (not "hold elections")."""
    lemma = lower_lemma(verb)
    if lemma not in PERSIST_VERBS:
        return False
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if lemma == "continue" and any(lower_lemma(o) in LEXICON.persistence_inverse_nouns for o in objects):
        return True   # "continue the war until Hamas is eliminated"
    return lemma == "keep" or lemma == "maintain" or not objects


def is_negated(t: Token) -> bool:
    """The clause of t says no: "not", "never", "no longer", "won't"; or its subject/object takes "no"."""
    for child in t.children:
        if child.dep_ == "neg" or child.lower_ in ("never", "not", "n't", "no"):
            return True
        if child.lower_ in ("longer", "more") and any(g.lower_ == "no" for g in child.children):
            return True
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and any(
            g.lower_ in NEG_DET and g.dep_ == "det" for g in child.children
        ):
            return True
        if child.dep_ in ("nsubj", "nsubjpass", "attr") and child.lower_ in ("nothing", "none"):
            return True
    if t.dep_ in ("xcomp", "acomp") and t.head.i != t.i:
        return is_negated(t.head)
    if t.pos_ == "ADJ" and t.head.lemma_ == "be":
        return any(c.dep_ == "neg" for c in t.head.children)
    return False


def negated_around(main: Token) -> bool:
    """Negation on the clause, or — when the phrase hangs off a noun — on the verb that governs the noun."""
    if is_negated(main):
        return True
    if main.pos_ in ("NOUN", "PROPN"):
        if any(c.lower_ in NEG_DET and c.dep_ == "det" for c in main.children):
            return True
        if main.head.i != main.i and main.head.pos_ in ("VERB", "AUX"):
            return is_negated(main.head)
    return False


def is_prospective(t: Token) -> bool:
    """Future, modal, imperative or "only": the clause is about what will or can happen."""
    node = t
    if lower_lemma(t) in LEXICON.commitment_verbs:
        return True   # "they have committed to participating if …" is about what they will do
    for _ in range(3):
        for child in node.children:
            if child.tag_ == "MD" or child.lower_ in MODALS or child.lower_ in ("only", "then"):
                return True
        if node.lower_ == "going" or (node.tag_ == "VB" and node.dep_ == "ROOT"):
            return True
        if lower_lemma(node) in LEXICON.commitment_verbs:
            return True   # "vowed to continue the war until …"
        if lower_lemma(node) in LEXICON.offer_adjectives and node.pos_ == "ADJ":
            return True   # "is prepared to withdraw once …": readiness is about what will happen
        if node.dep_ in ("xcomp", "acomp") and node.head.i != node.i:
            node = node.head
            continue
        if node.dep_ == "pcomp" and node.head.dep_ == "prep" and node.head.head.i != node.head.i:
            node = node.head.head   # "committed to participating if …", "ready for talks if …"
            if lower_lemma(node) in LEXICON.commitment_verbs:
                return True
            continue
        if node.dep_ == "ccomp" and node.head.i != node.i and lower_lemma(node.head) not in LEXICON.reporting_verbs:
            node = node.head   # "would allow girls to return …"
            continue
        break
    if t.pos_ in ("NOUN", "PROPN") and t.head.i != t.i:
        return is_prospective(t.head)
    if t.tag_ in ("VB", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in t.children) and any(
            c.dep_ in ("nsubj", "nsubjpass") and (t.tag_ == "VB" or c.tag_ == "NN") for c in t.children):
        return True   # subjunctive: "it is important that the sanctions regime remain in place until …"
    return t.tag_ in ("VBZ", "VBP") and any(c.lower_ == "only" for c in t.subtree)


PERSON_PRONOUNS = {"i", "we", "you", "he", "she", "they", "me", "us", "him", "her", "them"}


def is_person_like(t: Token) -> bool:
    return t.ent_type_ in ("PERSON", "GPE", "NORP", "ORG") or is_actor(t) or t.lower_ in PERSON_PRONOUNS


def is_spoken_attribution(verb: Token) -> bool:
    """"X, he said, if Y": a verb of speech that attributes, not one that is itself the promised act
    ("if it cares about its people, it will say yes to this agreement")."""
    if lower_lemma(verb) not in LEXICON.speech_verbs or lower_lemma(verb) in LEXICON.threat_verbs:
        return False
    return not any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "should", "must") for c in verb.children)


def is_counterfactual(clause: Token, main: Token) -> bool:
    """"if X had …, Y would have …" describes the past, not a position."""
    had = any(c.lower_ == "had" and c.dep_ in ("aux", "auxpass") for c in clause.children)
    would_have = any(c.lower_ == "have" for c in main.children) and any(c.lower_ == "would" for c in main.children)
    return had or would_have


def is_concessive(mark: Token) -> bool:
    return mark.i > 0 and mark.doc[mark.i - 1].lower_ == "even"


def is_question(main: Token) -> bool:
    """"whether …" / "asked if …": reported questions state nothing."""
    return any(c.lower_ == "whether" for c in main.children) or lower_lemma(main.head) in ("ask", "wonder", "question")


def is_hypothetical_clause(clause: Token, main: Token) -> bool:
    words = [c.lower_ for c in clause.subtree]
    if "were" in words and ("to" in words or clause.lower_ == "were"):
        return True
    # Not "would … if X lifted": in reported speech that is the backshifted future, not a hypothesis.
    return any(c.lower_ == "should" and c.i < clause.i for c in clause.children)


def is_obliged(verb: Token) -> bool:
    """"Hamas must release the hostages", "Israel has to allow aid in": an obligation laid on someone."""
    if verb.dep_ in ("xcomp",) and lower_lemma(verb.head) in ("have", "need") and verb.head.dep_ != "aux":
        return False
    return any(c.lower_ == "must" and c.dep_ == "aux" for c in verb.children)


def is_hedged(pred: Token) -> bool:
    """A hedge word on the clause itself or on the verbs that govern it (not inside its requirement)."""
    node = pred
    for _ in range(4):
        for c in node.children:
            if c.dep_ in ("aux", "advmod", "auxpass") and c.lower_ in LEXICON.hedge_words:
                return True
        if lower_lemma(node) in ("consider", "explore"):
            return True
        if node.dep_ in ("xcomp", "acomp", "ccomp", "advcl", "acl") and node.head.i != node.i and \
                lower_lemma(node.head) not in LEXICON.reporting_verbs:
            node = node.head
            continue
        break
    return any(c.lemma_.lower() in ("consider", "explore") and c.dep_ in ("xcomp",) for c in pred.children)
