"""Positions other than bare conditions: demands, refusals, offers and threats, and the kind of a conditional
statement (an offer when it promises something wanted, a threat when it promises harm)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Span, Token

from bot.extract.candidate import Candidate
from bot.extract.clauses import (is_actor, is_negated, is_obliged, is_person_like, is_prospective, is_question,
                                 lower_lemma)
from bot.extract.facts import PositionKind
from bot.extract.focus import main_focus
from bot.extract.lexicon import LEXICON


def other_kinds(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    for t in sent:
        if t.pos_ == "NOUN" and lower_lemma(t) in LEXICON.owned_demand_nouns:
            yield from _owned_demand(t)
            continue
        if t.pos_ not in ("VERB", "ADJ", "AUX"):
            continue
        lemma = lower_lemma(t)
        if t.pos_ == "VERB" and lemma in LEXICON.demand_verbs and not is_negated(t) and not is_question(t):
            if lemma in LEXICON.requiring_verbs and any(c.dep_ == "nsubj" and not is_person_like(c) and
                                                        lower_lemma(c) not in LEXICON.role_nouns for c in t.children):
                continue   # "any deal requires Y" is a condition
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if lemma in ("want", "seek", "ask", "need", "require") and (
                    subj is None or not (is_person_like(subj) or subj.lower_ == "it")):
                continue   # ("it" for an organisation: "saying it wanted a permanent end to the war")
            if lemma == "call" and not any(c.dep_ in ("prep", "xcomp") and c.lower_ != "off" for c in t.children):
                continue   # "call for X", "call on Y to X"; not "calling the demand absurd", "call off"
            if subj is not None and subj.lower_ in ("who", "which", "that", "what", "whoever"):
                continue
            target = _demanded(t, LEXICON.demand_preps.get(lemma, []), clauses=lemma in ("demand", "urge", "call"))
            if target is not None:
                yield Candidate("demand", t, target[0], [], target[1])
        elif t.pos_ == "VERB" and lemma in LEXICON.refusal_verbs and not is_negated(t):
            if lemma == "rule" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in t.children):
                continue
            target = _demanded(t, [], clauses=True)
            if target is not None:
                yield Candidate("refusal", t, target[0], [], target[1])
        elif t.pos_ == "VERB" and lemma in LEXICON.never_accept_verbs and is_negated(t) and is_prospective(t):
            target = _demanded(t, ["to"])
            if target is not None:
                # The verb belongs to the name: "will not cede any territory" is a refusal of ceding territory.
                yield Candidate("refusal", t, [t, *target[0]], [], target[1])
        elif (lemma in LEXICON.offer_verbs and t.pos_ == "VERB" and t.dep_ not in ("acl", "amod", "relcl")) or (
                lemma in LEXICON.offer_adjectives and t.pos_ == "ADJ" and t.dep_ in ("acomp", "amod", "ROOT")):
            if is_negated(t):
                continue
            target = _demanded(t, ["to", "for"] if t.pos_ == "ADJ" else [], clauses=True)
            if target is not None:
                reqs, req_head = conditioning_clause(t)
                yield Candidate("offer", t, target[0], reqs, target[1], req_head)
        elif t.pos_ == "VERB" and lemma in LEXICON.threat_verbs:
            target = _threatened(t)
            if target is not None:
                reqs, req_head = conditioning_clause(t)
                yield Candidate("threat", t, target[0], reqs, target[1], req_head)
        elif t.pos_ in ("VERB", "AUX") and is_obliged(t):
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None or subj.lower_ in ("we", "i", "you") or is_negated(t):
                continue
            if not (is_actor(subj) or subj.dep_ == "nsubjpass"):
                continue
            tokens, head = main_focus(t, zones)
            yield Candidate("demand", t, tokens, [], head)


def conditioning_clause(verb: Token) -> tuple[list[Token], Token | None]:
    """An if/unless clause on the verb or its complement: the requirement of an offer or a threat."""
    for node in (verb, *(c for c in verb.children if c.dep_ in ("xcomp", "ccomp"))):
        for c in node.children:
            if c.dep_ == "advcl" and any(g.lower_ in ("if", "unless", "once") and g.dep_ == "mark" for g in c.children):
                return [x for x in c.subtree if x.lower_ not in ("if", "unless", "once")], c
    return [], None


def _demanded(verb: Token, preps: Iterable[str], clauses: bool = False) -> tuple[list[Token], Token] | None:
    """What a demand/refusal/offer verb is about: its object, its prepositional object, or its complement."""
    preps = set(preps)
    xcomp = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
    if xcomp is not None and lower_lemma(verb) in LEXICON.demand_verbs and any(c.dep_ == "dobj" for c in verb.children):
        # "urged member states to send air defence": the demand is what they are urged to do.
        return [x for x in xcomp.subtree], xcomp
    for c in verb.children:
        if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN") and not is_person_like(c):
            return _content_of(c, verb)
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                return list(pobj.subtree), pobj
    for c in verb.children:
        if c.dep_ == "xcomp" or (clauses and c.dep_ == "ccomp"):
            if c.pos_ in ("VERB", "AUX") or any(g.dep_ in ("nsubj", "dobj", "mark") for g in c.children):
                # (a subjunctive verb the tagger took for a noun: "demanded that Hamas release the hostages")
                skip = {x.i for g in c.children if g.dep_ == "advcl" for x in g.subtree}
                return [x for x in c.subtree if x.i not in skip], c
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("to", "for") and verb.pos_ == "ADJ":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return list(pobj.subtree), pobj
    return None


def _threatened(verb: Token) -> tuple[list[Token], Token] | None:
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "with"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return list(pobj.subtree), pobj
    for c in verb.children:
        if c.dep_ in ("xcomp", "dobj") and (c.pos_ == "VERB" or lower_lemma(c) in LEXICON.threat_nouns):
            skip = {x.i for g in c.children if g.dep_ == "advcl" for x in g.subtree}
            return [x for x in c.subtree if x.i not in skip], c
    return None


def conditional_kind(main: Token, mark_kind: str, negated: bool) -> PositionKind:
    """A conditional statement is an offer when it promises something wanted, a threat when it promises harm."""
    verb = main
    for _ in range(3):
        nxt = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if nxt is None:
            break
        verb = nxt
    lemmas = {lower_lemma(verb), lower_lemma(main)}
    # What the clause itself promises, not what its condition mentions ("resume purchases provided that
    # Washington rolls back the tariffs" promises purchases).
    conditions = {x.i for c in (*verb.children, *main.children) if c.dep_ in ("advcl", "prep") and any(
        g.dep_ == "mark" or g.lower_ in ("provided", "providing") for g in (c, *c.children)) for x in c.subtree}
    objects = {lower_lemma(c) for c in (*verb.subtree, *main.children)
               if c.dep_ in ("dobj", "pobj", "attr", "nsubj") and c.i not in conditions}
    if negated:
        return "condition"
    if lemmas & LEXICON.punitive_verbs or (objects & LEXICON.threat_nouns and not lemmas & LEXICON.reward_verbs):
        return "threat"
    if mark_kind == "unless":
        return "condition"
    if lemmas & LEXICON.reward_verbs or lower_lemma(main) in LEXICON.offer_adjectives or any(
            lower_lemma(c) in LEXICON.offer_adjectives for c in main.children) or (
            main.dep_ == "xcomp" and lower_lemma(main.head) in LEXICON.offer_adjectives):
        return "offer"
    return "condition"


def _content_of(noun: Token, verb: Token) -> tuple[list[Token], Token]:
    """A light noun stands for its complement: "rejected the idea of direct talks" → direct talks; "the UN's call
    to reopen girls' schools" → reopen girls' schools; "Putin's demand that Ukrainian forces withdraw" → the
    withdrawal."""
    if lower_lemma(noun) in LEXICON.light_nouns:
        for c in noun.children:
            if c.dep_ in ("acl", "ccomp", "xcomp", "relcl") and c.pos_ in ("VERB", "AUX") and any(
                    (g.dep_ == "aux" and g.lower_ == "to") or (g.dep_ == "mark" and g.lower_ == "that")
                    for g in c.children):
                return [x for x in c.subtree if x.dep_ != "mark"], c
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "for", "on"):
                pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    return list(pobj.subtree), pobj
        last = max(x.i for x in noun.subtree)
        for c in verb.children:
            # "rejected calls to disarm" with "to disarm" hung on the verb, right after the noun
            if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB" and last + 1 < len(noun.doc) and \
                    noun.doc[last + 1].lower_ == "to" and min(x.i for x in c.subtree) == last + 1:
                return list(noun.subtree) + [x for x in c.subtree], c
    return list(noun.subtree), noun


def _owned_demand(noun: Token) -> Iterator[Candidate]:
    """"Putin's demand that Ukrainian forces withdraw", "Hamas's call for a full withdrawal": a demand of the
    noun's owner, whoever tells of it (attribution resolves the owner; the teller makes it reported)."""
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
    if owner is None or not (is_actor(owner) or any(is_actor(x) for x in owner.subtree)):
        return
    tokens, head = _content_of(noun, noun.head)
    if head.i == noun.i:
        return
    yield Candidate("demand", noun, tokens, [], head, owner=owner)
