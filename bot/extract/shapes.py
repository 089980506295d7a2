"""Shapes of stated positions in the dependency parse: which clause is conditioned (X), on what (Y), and how.

Each finder reads one family ("no X until Y", "X is contingent on Y", "Y is our precondition for X", …) from
the trained model's parse and yields Candidates; attribution and naming happen later (bot.extract.positions).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from bot.extract.facts import PositionKind
from bot.extract.lexicon import LEXICON

_MODALS = {"will", "would", "can", "could", "shall", "should", "must", "may", "might", "'ll", "wo", "ca", "need"}
_NEG_DET = {"no", "neither", "nor"}
PRONOUNS = {"it", "that", "this", "they", "them", "those", "these", "which", "what", "one"}


@dataclass
class Candidate:
    """A shape found in a sentence, before attribution."""

    kind: PositionKind
    predicate: Token                      # the clause the position is stated in (for voice and flags)
    subject: list[Token]                  # tokens naming X
    requires: list[Token] = field(default_factory=list)   # tokens naming Y
    subject_head: Token | None = None
    requires_head: Token | None = None
    negated: bool = False
    hypothetical: bool = False
    persisting: bool = False              # "keep X until Y": the condition is on ending X


def is_actor(token: Token) -> bool:
    return any(s.start <= token.i < s.end for s in token.doc.spans.get("actors", ()))


_CONDITION_PREPS = {"until", "till", "without", "before", "after", "absent", "regardless", "unless"}
_PERSIST = {"remain", "stay", "continue", "keep", "maintain", "hold"}


def find_candidates(sent: Span) -> list[Candidate]:
    """Every shape found in the sentence; where two shapes share a clause, the condition wins."""
    zones = _condition_zones(sent)
    out: list[Candidate] = []
    for finder in (_subordinate, _prepositional, _linking, _requiring, _requirement_noun, _in_order_for,
                   _first_then, _only_then, _or_else):
        out.extend(finder(sent, zones))
    conditioned = {c.predicate.i for c in out}
    conditioned |= {c.subject_head.i for c in out if c.subject_head is not None}
    for cand in _demand_refusal_offer_threat(sent, zones):
        heads = {cand.predicate.i} | {t.i for t in cand.predicate.children if t.dep_ in ("xcomp", "acomp")}
        if heads & conditioned and not cand.requires:
            continue
        out.append(cand)
    return out


def _persists(verb: Token) -> bool:
    """"the sanctions will stay / remain in place", "keep sanctions": a state that lasts (not "hold elections")."""
    lemma = lower_lemma(verb)
    if lemma not in _PERSIST:
        return False
    has_object = any(c.dep_ == "dobj" for c in verb.children)
    return lemma == "keep" or lemma == "maintain" or not has_object


def _condition_zones(sent: Span) -> set[int]:
    """Tokens inside conditioning phrases (until/without/if … clauses): never part of a subject X."""
    zone: set[int] = set()
    for t in sent:
        if t.lower_ in _CONDITION_PREPS and t.dep_ in ("prep", "advmod", "mark", "amod", "conj"):
            if t.dep_ == "mark":
                zone.update(x.i for x in t.head.subtree)
            else:
                zone.update(x.i for x in t.subtree)
        elif t.lower_ in ("if", "once", "provided", "providing") and t.dep_ in ("mark", "prep", "advcl"):
            target = t.head if t.dep_ == "mark" else t
            zone.update(x.i for x in target.subtree)
    return zone


def lower_lemma(t: Token) -> str:
    return t.lemma_.lower()


def _subtree(t: Token, stop: Iterable[Token] = ()) -> list[Token]:
    """t's subtree without the subtrees of the `stop` tokens."""
    blocked: set[int] = set()
    for s in stop:
        blocked.update(x.i for x in s.subtree)
    return [x for x in t.subtree if x.i not in blocked]


def _negated(t: Token) -> bool:
    """The clause of t says no: "not", "never", "no longer", "won't"; or its subject/object takes "no"."""
    for child in t.children:
        if child.dep_ == "neg" or child.lower_ in ("never", "not", "n't", "no"):
            return True
        if child.lower_ in ("longer", "more") and any(g.lower_ == "no" for g in child.children):
            return True
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and any(
            g.lower_ in _NEG_DET and g.dep_ == "det" for g in child.children
        ):
            return True
        if child.dep_ in ("nsubj", "nsubjpass", "attr") and child.lower_ in ("nothing", "none"):
            return True
    if t.dep_ in ("xcomp", "acomp") and t.head.i != t.i:
        return _negated(t.head)
    if t.pos_ == "ADJ" and t.head.lemma_ == "be":
        return any(c.dep_ == "neg" for c in t.head.children)
    return False


def _negated_around(main: Token) -> bool:
    """Negation on the clause, or — when the phrase hangs off a noun — on the verb that governs the noun."""
    if _negated(main):
        return True
    if main.pos_ in ("NOUN", "PROPN"):
        if any(c.lower_ in _NEG_DET and c.dep_ == "det" for c in main.children):
            return True
        if main.head.i != main.i and main.head.pos_ in ("VERB", "AUX"):
            return _negated(main.head)
    return False


def _prospective(t: Token) -> bool:
    """Future, modal, imperative or "only": the clause is about what will or can happen."""
    node = t
    if lower_lemma(t) in LEXICON.commitment_verbs:
        return True   # "they have committed to participating if …" is about what they will do
    for _ in range(3):
        for child in node.children:
            if child.tag_ == "MD" or child.lower_ in _MODALS or child.lower_ in ("only", "then"):
                return True
        if node.lower_ == "going" or (node.tag_ == "VB" and node.dep_ == "ROOT"):
            return True
        if node.dep_ in ("xcomp", "acomp") and node.head.i != node.i:
            node = node.head
            continue
        if node.dep_ == "ccomp" and node.head.i != node.i and lower_lemma(node.head) not in LEXICON.reporting_verbs:
            node = node.head   # "would allow girls to return …"
            continue
        break
    if t.pos_ in ("NOUN", "PROPN") and t.head.i != t.i:
        return _prospective(t.head)
    if t.tag_ in ("VB", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in t.children) and any(
            c.dep_ in ("nsubj", "nsubjpass") and (t.tag_ == "VB" or c.tag_ == "NN") for c in t.children):
        return True   # subjunctive: "it is important that the sanctions regime remain in place until …"
    return t.tag_ in ("VBZ", "VBP") and any(c.lower_ == "only" for c in t.subtree)


_PERSON_PRONOUNS = {"i", "we", "you", "he", "she", "they", "me", "us", "him", "her", "them"}


def _person_like(t: Token) -> bool:
    return t.ent_type_ in ("PERSON", "GPE", "NORP", "ORG") or is_actor(t) or t.lower_ in _PERSON_PRONOUNS


def _main_focus(m: Token, skip: set[int]) -> tuple[list[Token], Token | None]:
    """The conditioned thing X in the clause headed by m: what the clause does to what ("lift the sanctions"),
    or what happens ("talks will resume"), never its agent."""
    def sub(t: Token) -> list[Token]:
        return [x for x in t.subtree if x.i not in skip]

    if m.pos_ in ("NOUN", "PROPN"):
        return sub(m), m
    children = [c for c in m.children if c.i not in skip]
    if any(c.dep_ == "expl" for c in children):
        for c in children:
            if c.dep_ in ("attr", "nsubj", "dobj") and c.pos_ in ("NOUN", "PROPN"):
                return sub(c), c
    has_object = any(c.dep_ == "dobj" and not _person_like(c) for c in children)
    if not has_object:
        for c in children:
            if c.dep_ in ("xcomp", "acomp") and c.pos_ in ("VERB", "AUX", "ADJ") and c.lower_ not in ("able",):
                inner_tokens, inner_head = _main_focus(c, skip)
                if inner_head is not None and (inner_head.i != c.i or c.pos_ != "ADJ" or len(inner_tokens) > 1):
                    return inner_tokens, inner_head
    for c in children:
        if c.dep_ == "dobj" and not _person_like(c):
            particles = [p for p in children if p.dep_ == "prt"]
            return [m, *particles] + sub(c), m
    for c in children:
        if c.dep_ == "nsubjpass" and c.lower_ not in PRONOUNS:
            return [m] + sub(c), m
    for c in children:
        if c.dep_ == "nsubj" and c.pos_ == "NOUN" and not _person_like(c) and lower_lemma(c) not in LEXICON.role_nouns:
            return sub(c) + [m], c
    for c in children:
        if c.dep_ == "prep" and lower_lemma(c) not in _CONDITION_PREPS:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return [m, c] + sub(pobj), m
    for c in children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in PRONOUNS:
            return [m], c
    return [m], m


def distributed_variants(head: Token, tokens: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = []
    nouns = [head] + [c for c in head.subtree if c.dep_ in ("conj", "dobj", "pobj", "nsubj") and c.pos_ == "NOUN"]
    for noun in nouns:
        for child in noun.children:
            if child.dep_ == "amod" and any(c.dep_ == "conj" for c in child.children):
                for mod in [child, *(c for c in child.children if c.dep_ == "conj")]:
                    out.append([mod, noun])
    return out


def _multiword_mark(t: Token) -> str | None:
    """"as long as", "so long as", "as soon as", "on (the) condition that" → a mark kind."""
    doc = t.doc
    words = [doc[j].lower_ for j in range(t.i, min(t.i + 3, len(doc)))]
    if words[:3] in (["as", "long", "as"], ["so", "long", "as"], ["as", "soon", "as"]):
        return "conditional"
    four = [doc[j].lower_ for j in range(t.i, min(t.i + 4, len(doc)))]
    if four[:3] == ["on", "condition", "that"] or four == ["on", "the", "condition", "that"]:
        return "conditional"   # not "on condition of anonymity"
    return None


_MARK_WORDS = {"as", "so", "long", "soon", "on", "the", "condition", "that", "only", "provided", "providing"}


def _subordinate(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """X if/unless/once/as long as/provided/until/before/after Y — Y a clause."""
    seen: set[int] = set()
    doc = sent.doc
    for t in sent:
        kind = None
        clause: Token | None = None
        if t.lower_ in LEXICON.condition_marks and t.dep_ in ("mark", "advmod"):
            if t.dep_ == "advmod" and t.lower_ not in ("once", "until", "before", "after"):
                continue
            kind = LEXICON.condition_marks[t.lower_]
            clause = t.head
        elif t.lower_ in ("as", "so", "on") and (mw := _multiword_mark(t)):
            kind = mw
            last = t.i + 2 if doc[t.i + 1].lower_ != "the" else t.i + 3
            last_tok = doc[min(last, len(doc) - 1)]
            if last_tok.dep_ == "mark":
                clause = last_tok.head
            else:
                clause = next((x for x in doc[last:sent.end] if x.pos_ in ("VERB", "AUX") and x.dep_ not in ("aux", "auxpass")), None)
        elif t.lower_ in ("provided", "providing") and t.dep_ in ("advcl", "prep", "mark", "conj", "ccomp"):
            kind = "conditional"
            clause = next((c for c in t.children if c.dep_ in ("ccomp", "advcl")), None)
        if kind is None or clause is None or clause.i in seen:
            continue
        strong = t.lower_ in ("unless", "provided", "providing", "as", "so", "on") or (
            t.i > 0 and doc[t.i - 1].lower_ == "only")
        only = t.i > 0 and doc[t.i - 1].lower_ == "only"
        main = clause.head if clause.head.i != t.i else t.head
        for _ in range(3):
            if main.lower_ in _MARK_WORDS and main.head.i != main.i:
                main = main.head
        if main.i == clause.i:
            # "If Y, X" sometimes hangs X off the clause instead.
            found = next((c for c in clause.children if c.dep_ in ("ccomp", "conj") and c.i > t.i), None)
            if found is None:
                continue
            main = found
        for _ in range(2):
            if _spoken_attribution(main):
                # "X, he said, if Y": the condition sits on the reported clause.
                inner = next((c for c in main.children if c.dep_ in ("ccomp", "advcl", "xcomp")
                              and c.i not in (clause.i, t.i)), None)
                if inner is None:
                    break
                main = inner
        if _spoken_attribution(main) and not any(c.dep_ == "dobj" for c in main.children):
            continue
        seen.add(clause.i)
        y_tokens = [x for x in clause.subtree if x.i != t.i and x.lower_ not in ("only",)]
        skip = {x.i for x in clause.subtree} | {t.i} | (zones - {x.i for x in main.subtree if x.i not in zones})
        skip |= {x.i for x in clause.subtree}
        x_tokens, x_head = _main_focus(main, skip)
        if not x_tokens:
            continue
        only = only or any(c.lower_ == "only" for c in [*main.children, *clause.children])
        negated_main = _negated_around(main)
        hypothetical = _hypothetical_clause(clause, main)
        if kind == "until":
            if not (negated_main or (_persists(main) and _prospective(main))):
                continue
            if not (negated_main or _prospective(main)) or main.tag_ == "VBD" and not negated_main:
                continue
            yield Candidate("condition", main, x_tokens, y_tokens, x_head, clause,
                            persisting=not negated_main and _persists(main))
        elif kind == "before":
            if negated_main:
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, clause)
            elif _requires_first(main):
                y_main, _ = _main_focus(main, skip)
                yield Candidate("condition", main, y_tokens, y_main, clause, main)
        elif kind == "after":
            if only or (_prospective(main) and main.tag_ != "VBD"):
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, clause)
        elif kind in ("conditional", "unless"):
            if _counterfactual(clause, main) or _concessive(t) or _question(main):
                continue
            if not (_prospective(main) or only or negated_main or strong):
                continue
            persisting = _persists(main) and not negated_main
            cand_kind = "condition" if only or persisting else _conditional_kind(main, kind, negated_main)
            yield Candidate(cand_kind, main, x_tokens, y_tokens, x_head, clause, hypothetical=hypothetical,
                            persisting=persisting)


def _spoken_attribution(verb: Token) -> bool:
    """"X, he said, if Y": a verb of speech that attributes, not one that is itself the promised act
    ("if it cares about its people, it will say yes to this agreement")."""
    if lower_lemma(verb) not in LEXICON.speech_verbs or lower_lemma(verb) in LEXICON.threat_verbs:
        return False
    return not any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "should", "must") for c in verb.children)


def _requires_first(main: Token) -> bool:
    if any(c.dep_ == "attr" and lower_lemma(c) in LEXICON.requirement_nouns for c in main.children):
        return False  # "Y is our precondition before X" is read by _requirement_noun
    return bool({c.lower_ for c in main.children} & {"must", "first", "need", "needs"})


def _counterfactual(clause: Token, main: Token) -> bool:
    """"if X had …, Y would have …" describes the past, not a position."""
    had = any(c.lower_ == "had" and c.dep_ in ("aux", "auxpass") for c in clause.children)
    would_have = any(c.lower_ == "have" for c in main.children) and any(c.lower_ == "would" for c in main.children)
    return had or would_have


def _concessive(mark: Token) -> bool:
    return mark.i > 0 and mark.doc[mark.i - 1].lower_ == "even"


def _question(main: Token) -> bool:
    """"whether …" / "asked if …": reported questions state nothing."""
    return any(c.lower_ == "whether" for c in main.children) or lower_lemma(main.head) in ("ask", "wonder", "question")


def _hypothetical_clause(clause: Token, main: Token) -> bool:
    words = [c.lower_ for c in clause.subtree]
    if "were" in words and ("to" in words or clause.lower_ == "were"):
        return True
    # Not "would … if X lifted": in reported speech that is the backshifted future, not a hypothesis.
    return any(c.lower_ == "should" and c.i < clause.i for c in clause.children)


def _conditional_kind(main: Token, mark_kind: str, negated: bool) -> PositionKind:
    """A conditional statement is an offer when it promises something wanted, a threat when it promises harm."""
    verb = main
    for _ in range(3):
        nxt = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if nxt is None:
            break
        verb = nxt
    lemmas = {lower_lemma(verb), lower_lemma(main)}
    objects = {lower_lemma(c) for c in (*verb.subtree, *main.children) if c.dep_ in ("dobj", "pobj", "attr", "nsubj")}
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


def _prepositional(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """no X until/without/before Y, X only after Y, absent Y, X in exchange for Y, X regardless of Y — Y a noun."""
    for t in sent:
        lower = t.lower_
        pobj: Token | None
        if lower == "regardless" and t.dep_ == "advmod":
            prep = next((c for c in t.children if c.lower_ == "of"), None)
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        elif t.dep_ == "prep" or (lower == "absent" and t.dep_ in ("amod", "advmod", "advcl", "acomp", "npadvmod")):
            pobj = next((c for c in t.children if c.dep_ in ("pobj", "pcomp", "dobj", "npadvmod", "nsubj")), None)
        else:
            continue
        main = t.head
        if lower == "absent" and t.dep_ == "amod":
            # "Absent progress …, the US will not renew …": the noun is the requirement, its verb the main clause.
            pobj, main = t.head, t.head.head
        if pobj is None:
            continue
        if lower == "for" and main.lower_ in ("exchange", "return") and main.head.lower_ == "in":
            main = main.head.head
            lower = "exchange"
        if lower not in ("until", "till", "without", "before", "after", "absent", "exchange", "regardless"):
            continue
        y_tokens = list(pobj.subtree)
        for conj in t.children:
            if conj.dep_ == "conj" and conj.lower_ == t.lower_:
                y_tokens.extend(x for g in conj.children if g.dep_ in ("pobj", "pcomp") for x in g.subtree)
        skip = {x.i for x in t.subtree} | zones
        if lower == "absent" and t.dep_ == "amod":
            skip |= {x.i for x in pobj.subtree}
        x_tokens, x_head = _main_focus(main, skip)
        negated = _negated_around(main)
        if lower in ("until", "till", "before"):
            if negated:
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj)
            elif lower != "before" and _persists(main) and _prospective(main):
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj, persisting=True)
        elif lower == "without":
            if lower_lemma(pobj) in LEXICON.no_condition_objects:
                continue
            if negated or any(c.lower_ in ("cannot", "never") for c in main.children):
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj)
            elif lower_lemma(main) in LEXICON.happening_verbs and _prospective(main) and lower_lemma(main) != "be":
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj, negated=True)
        elif lower == "regardless":
            if _prospective(main):
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj, negated=True)
        elif lower == "after":
            only = any(c.lower_ == "only" for c in [*t.children, *main.children])
            if only or (_prospective(main) and main.tag_ != "VBD"):
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj)
        elif lower == "absent":
            if _prospective(main) or negated:
                yield Candidate(_conditional_kind(main, "unless", negated), main, x_tokens, y_tokens, x_head, pobj)
        elif lower == "exchange":
            kind: PositionKind = "offer" if lower_lemma(main) in LEXICON.reward_verbs | LEXICON.offer_verbs else "condition"
            yield Candidate(kind, main, x_tokens, y_tokens, x_head, pobj)


def _linking(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """X is contingent on / hinges on / depends on / is tied to / is conditioned on Y."""
    for t in sent:
        lemma = lower_lemma(t)
        preps = LEXICON.linking_predicates.get(lemma) or LEXICON.linking_predicates.get(t.lower_)
        if not preps:
            continue
        prep = next((c for c in t.children if c.dep_ in ("prep", "agent") and c.lower_ in preps), None)
        if prep is None and t.dep_ == "acomp":
            prep = next((c for c in t.head.children if c.dep_ == "prep" and c.lower_ in preps and c.i > t.i), None)
        if prep is None:
            continue
        pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
        if pobj is None:
            continue
        if lemma in ("base", "determine") and not any(c.lower_ in ("will", "would", "must") for c in t.children):
            continue
        if _question(t):
            continue
        holder = t
        if t.dep_ in ("acomp", "attr") or (t.pos_ == "ADJ" and t.head.lemma_ == "be"):
            holder = t.head
        subject = next((c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None and t.dep_ in ("amod", "acl") and t.head.pos_ in ("NOUN", "PROPN"):
            subject = t.head
        if subject is None:
            continue
        skip = {x.i for x in prep.subtree}
        x_tokens = [x for x in subject.subtree if x.i not in skip and x.i != t.i]
        negated = _negated(t) or _negated(holder)
        yield Candidate("condition", t, x_tokens, list(pobj.subtree), subject, pobj, negated=negated)


def _deep_object(verb: Token) -> tuple[Token | None, Token]:
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


def _requiring(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """X requires Y; we need to see Y first."""
    for t in sent:
        if t.pos_ not in ("VERB", "AUX") or lower_lemma(t) not in LEXICON.requiring_verbs:
            continue
        subject = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        obj, last = _deep_object(t)
        if obj is None:
            continue
        first = any(c.lower_ in ("first", "beforehand") and c.dep_ in ("advmod", "npadvmod", "amod") for c in t.subtree)
        negated = _negated(t)
        y_tokens, y_head = list(obj.subtree), obj
        if _person_like(obj):
            # "that will require Maduro to allow …": the requirement is what they are required to do.
            clause = next((c for c in (*last.children, *obj.children) if c.dep_ in ("xcomp", "ccomp", "acl")), None)
            if clause is not None:
                y_tokens, y_head = list(obj.subtree) + list(clause.subtree), clause
        if subject is not None and subject.pos_ in ("NOUN", "PRON") and not _person_like(subject) \
                and lower_lemma(subject) not in LEXICON.role_nouns:
            skip = {x.i for x in y_tokens}
            yield Candidate("condition", t, [x for x in subject.subtree if x.i not in skip], y_tokens,
                            subject, y_head, negated=negated)
        elif first:
            # X comes from the rest of the sentence ("perhaps that could be economic partnerships …, but we need
            # to see a ceasefire first").
            own = {x.i for x in t.subtree}
            rest = [x for x in sent if x.i not in own and not _person_like(x)]
            yield Candidate("condition", t, rest, list(obj.subtree), None, obj, negated=negated)


def _requirement_noun(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """Y is our precondition before/for X; Y is necessary for X; Y as the necessary step toward X."""
    for t in sent:
        lemma = lower_lemma(t)
        is_noun = t.pos_ == "NOUN" and lemma in LEXICON.requirement_nouns
        is_adj = t.pos_ == "ADJ" and lemma in LEXICON.requirement_adjectives and t.dep_ == "acomp"
        if not (is_noun or is_adj):
            continue
        if lemma == "step" and not any(lower_lemma(c) in LEXICON.requirement_adjectives | {"first"} for c in t.children):
            continue
        if lemma in ("condition", "key", "basis", "foundation") and t.dep_ not in ("attr",):
            continue
        x_head: Token | None = None
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in LEXICON.requirement_preps:
                x_head = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if x_head is not None:
                    break
        cop = t.head
        if x_head is None:
            for c in cop.children:
                if c.dep_ == "advcl" and any(g.lower_ in ("before", "for") for g in c.children):
                    x_head = c
                elif c.dep_ == "prep" and c.lower_ in ("for", "before") and x_head is None:
                    x_head = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
        if x_head is None:
            continue
        y_head: Token | None = None
        predicate = cop
        if t.dep_ in ("attr", "acomp"):
            y_head = next((c for c in cop.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != t.i), None)
            if (y_head is None or y_head.lower_ in ("which", "that")) and cop.dep_ == "relcl":
                y_head = cop.head   # "an affirmation, which would be necessary for …"
        elif t.dep_ == "nsubj":
            y_head = next((c for c in cop.children if c.dep_ == "attr"), None)
        elif t.dep_ == "oprd":
            y_head = next((c for c in cop.children if c.dep_ == "dobj"), None)
        elif t.dep_ == "pobj" and t.head.lower_ == "as":
            owner = t.head.head
            if owner.pos_ in ("NOUN", "PROPN"):
                y_head, predicate = owner, owner.head
            else:
                y_head, predicate = next((c for c in owner.children if c.dep_ == "dobj"), None), owner
        if y_head is None or y_head.lower_ in PRONOUNS:
            continue
        skip = {x.i for x in t.subtree}
        x_tokens = [x for x in x_head.subtree if x.lower_ not in ("before", "for")]
        negated = _negated(cop) if t.dep_ in ("attr", "acomp") else False
        yield Candidate("condition", predicate, x_tokens, [x for x in y_head.subtree if x.i not in skip],
                        x_head, y_head, negated=negated)


def _in_order_for(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """(In order) for X to happen, Y has to / must …"""
    doc = sent.doc
    for t in sent:
        if t.lower_ != "for" or t.i + 1 >= sent.end:
            continue
        in_order = t.i >= 2 and doc[t.i - 2].lower_ == "in" and doc[t.i - 1].lower_ == "order"
        opening = t.i == sent.start or doc[t.i - 1].lower_ in ("but", "and", "“", '"') or doc[t.i - 1].is_punct
        if not (in_order or opening):
            continue
        comma = next((x for x in doc[t.i:sent.end] if x.text == ","), None)
        if comma is None:
            continue
        x_tokens = [x for x in doc[t.i + 1:comma.i] if x.lower_ not in ("to", "happen", "occur", "work", "succeed")]
        if not any(x.lower_ == "to" for x in doc[t.i + 1:comma.i]):
            continue
        modal = next((x for x in doc[comma.i + 1:sent.end]
                      if x.lower_ in ("must", "need", "needs", "has", "have", "should", "requires", "require")), None)
        if modal is None:
            continue
        main = modal.head if modal.dep_ in ("aux",) else modal
        inner = next((c for c in main.children if c.dep_ == "xcomp"), None) if lower_lemma(main) in ("have", "need") else None
        y_head = inner or main
        y_tokens = [x for x in y_head.subtree if x.i > comma.i]
        x_head = next((x for x in x_tokens if x.dep_ in ("nsubj", "nsubjpass", "pobj")), None)
        if x_head is None and x_tokens:
            x_head = x_tokens[0]
        if x_head is None:
            continue
        yield Candidate("condition", main, x_tokens, y_tokens, x_head, y_head)


def _first_then(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """First Y, then X."""
    firsts = [t for t in sent if t.lower_ == "first" and t.dep_ in ("advmod", "npadvmod")]
    thens = [t for t in sent if t.lower_ == "then" and t.dep_ == "advmod"]
    if not firsts or not thens:
        return
    f, th = firsts[0].head, thens[0].head
    if f.i == th.i:
        # "Hamas must first disarm and then Israel would discuss …": the then-clause is a conj of the first.
        conj = next((c for c in f.children if c.dep_ == "conj" and c.i > thens[0].i), None)
        if conj is None:
            return
        th = conj
    if th.i < f.i:
        return
    if any(a.i == th.i for a in f.ancestors):
        y_tokens = [x for x in f.subtree if x.lower_ != "first"]      # "first" clause hangs off the "then" clause
    else:
        y_tokens = [x for x in _subtree(f, [th]) if x.lower_ != "first"]
    x_tokens, x_head = _main_focus(th, {x.i for x in y_tokens})
    yield Candidate("condition", th, x_tokens, y_tokens, x_head, f)


def _only_then(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """Y; only then (will) X."""
    doc = sent.doc
    for t in sent:
        if t.lower_ != "then" or t.i == 0 or doc[t.i - 1].lower_ != "only":
            continue
        main = t.head
        before = [x for x in sent if x.i < t.i - 1 and not x.is_punct]
        if before:
            roots = [x for x in before if x.head.i == x.i or not (sent.start <= x.head.i < t.i - 1)]
            y_head = next((x for x in roots if x.pos_ in ("VERB", "AUX")), roots[0] if roots else None)
            y_tokens = [x for x in y_head.subtree if x.i < t.i - 1] if y_head is not None else []
        elif sent.start > 0:
            y_head = doc[sent.start - 1].sent.root
            y_tokens = list(y_head.subtree)
        else:
            continue
        if y_head is None:
            continue
        x_tokens, x_head = _main_focus(main, {x.i for x in y_tokens} | {t.i, t.i - 1})
        yield Candidate("condition", main, x_tokens, y_tokens, x_head, y_head)


def _or_else(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """They have to / must Y, or (else) X (harm): a threat whose requirement is Y."""
    for t in sent:
        if t.lower_ not in ("or", "otherwise") or t.dep_ not in ("cc", "advmod"):
            continue
        first = t.head
        second = next((c for c in first.children if c.dep_ == "conj" and c.i > t.i and c.pos_ in ("VERB", "AUX")), None)
        if second is None:
            # "… or something bad is going to happen" parsed with the second clause elsewhere: the next verb.
            inside = {x.i for x in first.subtree}
            second = next((x for x in sent if x.i > t.i and x.pos_ in ("VERB", "AUX")
                           and x.dep_ not in ("aux", "auxpass") and x.i not in inside), None)
        if second is None:
            continue
        obliged = _obliged(first) or any(lower_lemma(a) in ("have", "need") and a.i < first.i for a in first.ancestors
                                         if a.i >= sent.start) or (first.dep_ == "xcomp" and lower_lemma(first.head) in ("have", "need"))
        if not (obliged and _prospective(second)):
            continue
        x_tokens, x_head = _main_focus(second, {x.i for x in first.subtree if x.i < t.i})
        y_tokens = [x for x in first.subtree if x.i < t.i]
        yield Candidate("threat", second, x_tokens, y_tokens, x_head, first)


def _demand_refusal_offer_threat(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    for t in sent:
        if t.pos_ not in ("VERB", "ADJ", "AUX"):
            continue
        lemma = lower_lemma(t)
        if t.pos_ == "VERB" and lemma in LEXICON.demand_verbs and not _negated(t) and not _question(t):
            if lemma in LEXICON.requiring_verbs and any(c.dep_ == "nsubj" and not _person_like(c) and
                                                        lower_lemma(c) not in LEXICON.role_nouns for c in t.children):
                continue   # "any deal requires Y" is a condition
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if lemma in ("want", "seek", "ask", "need", "require") and (subj is None or not _person_like(subj)):
                continue
            if subj is not None and subj.lower_ in ("who", "which", "that", "what", "whoever"):
                continue
            target = _demanded(t, LEXICON.demand_preps.get(lemma, []), clauses=lemma in ("demand", "urge", "call"))
            if target is not None:
                yield Candidate("demand", t, target[0], [], target[1])
        elif t.pos_ == "VERB" and lemma in LEXICON.refusal_verbs and not _negated(t):
            if lemma == "rule" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in t.children):
                continue
            target = _demanded(t, [], clauses=True)
            if target is not None:
                yield Candidate("refusal", t, target[0], [], target[1])
        elif t.pos_ == "VERB" and lemma in LEXICON.never_accept_verbs and _negated(t) and _prospective(t):
            target = _demanded(t, ["to"])
            if target is not None:
                yield Candidate("refusal", t, target[0], [], target[1])
        elif (lemma in LEXICON.offer_verbs and t.pos_ == "VERB" and t.dep_ not in ("acl", "amod", "relcl")) or (
                lemma in LEXICON.offer_adjectives and t.pos_ == "ADJ" and t.dep_ in ("acomp", "amod", "ROOT")):
            if _negated(t):
                continue
            target = _demanded(t, ["to"] if t.pos_ == "ADJ" else [], clauses=True)
            if target is not None:
                reqs, req_head = _conditioning_clause(t)
                yield Candidate("offer", t, target[0], reqs, target[1], req_head)
        elif t.pos_ == "VERB" and lemma in LEXICON.threat_verbs:
            target = _threatened(t)
            if target is not None:
                reqs, req_head = _conditioning_clause(t)
                yield Candidate("threat", t, target[0], reqs, target[1], req_head)
        elif t.pos_ in ("VERB", "AUX") and _obliged(t):
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None or subj.lower_ in ("we", "i", "you") or _negated(t):
                continue
            if not (is_actor(subj) or subj.dep_ == "nsubjpass"):
                continue
            tokens, head = _main_focus(t, zones)
            yield Candidate("demand", t, tokens, [], head)


def _obliged(verb: Token) -> bool:
    """"Hamas must release the hostages", "Israel has to allow aid in": an obligation laid on someone."""
    if verb.dep_ in ("xcomp",) and lower_lemma(verb.head) in ("have", "need") and verb.head.dep_ != "aux":
        return False
    return any(c.lower_ == "must" and c.dep_ == "aux" for c in verb.children)


def _conditioning_clause(verb: Token) -> tuple[list[Token], Token | None]:
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
        if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN") and not _person_like(c):
            return list(c.subtree), c
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                return list(pobj.subtree), pobj
    for c in verb.children:
        if c.dep_ == "xcomp" or (clauses and c.dep_ == "ccomp"):
            if c.pos_ in ("VERB", "AUX"):
                skip = {x.i for g in c.children if g.dep_ == "advcl" for x in g.subtree}
                return [x for x in c.subtree if x.i not in skip], c
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "to" and verb.pos_ == "ADJ":
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
