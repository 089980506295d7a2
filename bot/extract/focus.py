"""What a clause is about: the conditioned thing X of a clause ("lift the sanctions", "talks will resume"),
never its agent; plus helpers that follow objects through complement chains."""

from __future__ import annotations


from spacy.tokens import Token

from bot.extract.clauses import CONDITION_PREPS, PRONOUNS, is_person_like, lower_lemma
from bot.extract.lexicon import LEXICON


def main_focus(m: Token, skip: set[int]) -> tuple[list[Token], Token | None]:
    """The conditioned thing X in the clause headed by m: what the clause does to what ("lift the sanctions"),
    or what happens ("talks will resume"), never its agent."""
    def sub(t: Token) -> list[Token]:
        return [x for x in t.subtree if x.i not in skip]

    if m.pos_ in ("NOUN", "PROPN"):
        return sub(m), m
    children = [c for c in m.children if c.i not in skip and not _misattached_object(m, c)]
    if any(c.dep_ == "expl" for c in children):
        for c in children:
            if c.dep_ in ("attr", "nsubj", "dobj") and c.pos_ in ("NOUN", "PROPN"):
                return sub(c), c
    has_object = any(c.dep_ == "dobj" and not is_person_like(c) for c in children)
    if not has_object:
        for c in children:
            if c.dep_ in ("xcomp", "acomp") and c.pos_ in ("VERB", "AUX", "ADJ") and c.lower_ not in ("able",):
                inner_tokens, inner_head = main_focus(c, skip)
                if inner_head is not None and (inner_head.i != c.i or c.pos_ != "ADJ" or len(inner_tokens) > 1):
                    return inner_tokens, inner_head
    accepted = _accepted(m, children)
    if accepted is not None:
        return sub(accepted), accepted
    for c in children:
        if c.dep_ == "dobj" and not is_person_like(c):
            particles = [p for p in children if p.dep_ == "prt" or (p.dep_ == "advmod" and p.lower_ in _PARTICLES)]
            return [m, *particles] + sub(c), m
    for c in children:
        if c.dep_ == "nsubjpass" and c.lower_ not in PRONOUNS:
            return [m] + sub(c), m
    for c in children:
        if c.dep_ == "nsubj" and _nominal(c) and not is_person_like(c) and lower_lemma(c) not in LEXICON.role_nouns:
            return sub(c) + [m], c
    for c in children:
        if c.dep_ == "prep" and lower_lemma(c) not in CONDITION_PREPS:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return [m, c] + sub(pobj), m
    objects = [x for c in children if c.dep_ == "dobj" for x in sub(c)]
    if objects and lower_lemma(m) not in ("do", "be"):
        particles = [p for p in children if p.dep_ == "prt" or (p.dep_ == "advmod" and p.lower_ in _PARTICLES)]
        return [m, *objects, *particles], m   # "it would strike Beirut": the act and its (place or person) object
    for c in children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in PRONOUNS:
            return [m], c
    if lower_lemma(m) == "be":
        # "nothing is final until …": a copula says nothing by itself; its predicate is what is conditioned.
        pred = next((c for c in children if c.dep_ in ("acomp", "attr") and c.pos_ in ("ADJ", "NOUN")), None)
        if pred is not None:
            return sub(pred), pred
    return [m], m


def _misattached_object(m: Token, c: Token) -> bool:
    """A direct object after a comma is an apposition the parser hung on the verb ("talks could begin without a
    ceasefire, a marked change from …"): a real object never stands behind a comma."""
    if c.dep_ != "dobj" or c.i < m.i:
        return False
    return any(t.text == "," for t in m.doc[m.i + 1:c.left_edge.i])


def distributed_variants(head: Token, tokens: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = []
    nouns = [head] + [c for c in head.subtree if c.dep_ in ("conj", "dobj", "pobj", "nsubj") and c.pos_ == "NOUN"]
    for noun in nouns:
        for child in noun.children:
            if child.dep_ == "amod" and any(c.dep_ == "conj" for c in child.children):
                for mod in [child, *(c for c in child.children if c.dep_ == "conj")]:
                    out.append([mod, noun])
    return out


def deep_object(verb: Token) -> tuple[Token | None, Token]:
    """The object of "need (to see) Y": follows xcomp chains to the last verb's object."""
    node = verb
    for _ in range(3):
        obj = next((c for c in node.children if c.dep_ in ("dobj",)), None)
        if obj is not None:
            return obj, node
        nxt = next((c for c in node.children if c.dep_ == "xcomp"), None)
        if nxt is None:
            break
        node = nxt
    return None, node


def _nominal(t: Token) -> bool:
    """A noun, or a noun the tagger took for a verb ("talks with Russia can begin": "talks" as VBZ)."""
    if t.pos_ == "NOUN":
        return True
    return t.pos_ == "VERB" and t.tag_ in ("VBZ", "NNS") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj") for c in t.children)


def _accepted(verb: Token, children: list[Token]) -> Token | None:
    """"agree to a new exchange", "return to the talks", "sign the accord": a verb of accepting or joining is
    about its object, which names the conditioned thing."""
    if lower_lemma(verb) not in LEXICON.acceptance_verbs:
        return None
    for c in children:
        if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN") and not is_person_like(c):
            return c
    for c in children:
        if c.dep_ == "prep" and c.lower_ in ("to", "in", "on", "into"):
            pobj = next((g for g in c.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")), None)
            if pobj is not None and not is_person_like(pobj):
                return pobj
    return None


_PARTICLES = {"home", "back", "out", "off"}   # "bring the hostages home", "pull the troops back"
