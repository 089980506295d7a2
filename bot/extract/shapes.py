"""Shapes of stated positions in the dependency parse: which clause is conditioned (X), on what (Y), and how.

Each finder reads one family ("no X until Y", "X is contingent on Y", "Y is our precondition for X", …) from
the trained model's parse and yields Candidates; attribution and naming happen later (bot.extract.positions).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from bot.extract.candidate import Candidate
from bot.extract.clauses import (CONDITION_PREPS, PRONOUNS, is_concessive, is_counterfactual, is_hypothetical_clause,
                                 is_negated, is_obliged, is_person_like, is_prospective, is_question,
                                 is_spoken_attribution, lower_lemma, negated_around, persists, subtree_without)
from bot.extract.facts import PositionKind
from bot.extract.focus import deep_object, main_focus
from bot.extract.kinds import conditional_kind, other_kinds
from bot.extract.lexicon import LEXICON


def find_candidates(sent: Span) -> list[Candidate]:
    """Every shape found in the sentence; where two shapes share a clause, the condition wins."""
    zones = _condition_zones(sent)
    out: list[Candidate] = []
    for finder in (_subordinate, _prepositional, _linking, _requiring, _requirement_noun, _in_order_for,
                   _first_then, _only_then, _or_else, _only_subject, _to_be_earned,
                   _restrictive_relative, _must_first):
        out.extend(finder(sent, zones))
    conditioned = {c.predicate.i for c in out}
    conditioned |= {c.subject_head.i for c in out if c.subject_head is not None}
    required = {t.i for c in out for t in c.requires}
    for cand in other_kinds(sent, zones):
        if cand.kind in ("offer", "threat") and cand.predicate.i in required:
            continue   # "depends on the guarantees its partners are prepared to offer"
        heads = {cand.predicate.i} | {t.i for t in cand.predicate.children if t.dep_ in ("xcomp", "acomp")}
        if cand.subject_head is not None and cand.kind == "demand" and cand.subject_head.pos_ in ("VERB", "AUX"):
            heads.add(cand.subject_head.i)   # "insists that any ceasefire must be accompanied by Y"
        if heads & conditioned and not cand.requires:
            continue
        if cand.predicate.i in zones or _describing(cand.predicate):
            continue   # "… unless Washington calls off the drills"; "the guarantees its partners are prepared to …"
        outside = [x for x in cand.subject if x.i not in zones]
        if outside and cand.subject_head is not None and cand.subject_head.i not in zones:
            cand.subject = outside   # "insists on a ceasefire before any talks": the demand is the ceasefire
        out.append(cand)
    return out


def _describing(predicate: Token) -> bool:
    """A predicate inside a relative clause describes a noun; it states nothing of its own."""
    node = predicate
    for _ in range(4):
        if node.dep_ in ("relcl", "acl"):
            return True
        if node.dep_ not in ("xcomp", "acomp", "ccomp", "conj") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _condition_zones(sent: Span) -> set[int]:
    """Tokens inside conditioning phrases (until/without/if … clauses): never part of a subject X."""
    zone: set[int] = set()
    for t in sent:
        if t.lower_ in CONDITION_PREPS and t.dep_ in ("prep", "advmod", "mark", "amod", "conj"):
            if t.dep_ == "mark":
                zone.update(x.i for x in t.head.subtree)
            else:
                zone.update(x.i for x in t.subtree)
        elif t.lower_ in ("if", "once", "provided", "providing") and t.dep_ in ("mark", "prep", "advcl"):
            target = t.head if t.dep_ == "mark" else t
            zone.update(x.i for x in target.subtree)
    return zone


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
        lead: list[Token] = []   # Y's subject when the parser hung it apart from Y's verb
        if t.lower_ == "when" and t.dep_ == "advmod" and (_only_when(t) or _future_when(t)):
            kind, clause = "conditional", t.head   # "sanctions will only be lifted when Russia pulls out"
        elif t.lower_ == "while" and t.dep_ == "mark" and t.head.dep_ == "advcl" and t.head.head.i < t.i \
                and not sent.doc[t.i - 1].is_punct:
            kind, clause = "while", t.head   # "Israel should not end the war while Hamas still holds hostages"
        elif t.lower_ in LEXICON.condition_marks and t.dep_ in ("mark", "advmod"):
            if t.dep_ == "advmod" and t.lower_ not in ("once", "until", "before", "after"):
                continue
            if t.dep_ == "advmod" and any(c.dep_ == "pobj" for c in t.children):
                continue   # "once the army deploys" with a noun-like object: read by _prepositional
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
        elif t.lower_ in ("provided", "providing") and t.dep_ in ("advcl", "prep", "mark", "conj", "ccomp", "acl"):
            kind = "conditional"
            clause = next((c for c in t.children if c.dep_ in ("ccomp", "advcl")), None)
            after = doc[t.i + 1] if t.i + 1 < sent.end else None
            if clause is None and after is not None and after.lower_ == "that" and after.dep_ == "mark":
                clause = after.head   # "provided that Y" with Y's clause hung elsewhere by the parser
            if clause is None and after is not None and after.head.i == t.i and after.pos_ in ("PROPN", "NOUN"):
                # "provided Washington guarantees …" with the subject taken for the object of "provided": the
                # finite verb right after it is Y's clause.
                nxt = max(x.i for x in after.subtree) + 1
                if nxt < sent.end and doc[nxt].tag_ in ("VBZ", "VBP", "VBD") and doc[nxt].dep_ != "ROOT":
                    clause = doc[nxt]
                    lead = list(after.subtree)
        if kind is None or clause is None or clause.i in seen:
            continue
        strong = t.lower_ in ("unless", "provided", "providing", "as", "so", "on") or (
            t.i > 0 and doc[t.i - 1].lower_ == "only")
        only = t.i > 0 and doc[t.i - 1].lower_ == "only"
        main = clause.head if clause.head.i != t.i else t.head
        if t.dep_ == "acl" and t.lower_ in ("provided", "providing"):
            main = t.head.head if t.head.head.i != t.head.i else main   # "accept a ceasefire provided that Y"
        if main.pos_ in ("CCONJ", "PUNCT") and main.head.i != main.i:
            main = main.head   # "…,” Qassem said, “but only if …": the coordinator hangs off the attribution
        if _discourse_frame(main) and main.head.i != main.i:
            main = main.head   # "Let me be clear, if Y, then X": the frame is not what is conditioned
        for _ in range(3):
            if main.lower_ in _MARK_WORDS and main.head.i != main.i:
                main = main.head
        if _parenthetical_opinion(main, clause):
            main = main.head   # "if Y – I think it's an appropriate time – I would say, X": the aside is not X
        if main.i == clause.i:
            # "If Y, X" sometimes hangs X off the clause instead.
            found = next((c for c in clause.children if c.dep_ in ("ccomp", "conj") and c.i > t.i), None)
            if found is None:
                continue
            main = found
        for _ in range(2):
            if is_spoken_attribution(main):
                # "X, he said, if Y": the condition sits on the reported clause.
                inner = next((c for c in main.children if c.dep_ in ("ccomp", "advcl", "xcomp")
                              and c.i not in (clause.i, t.i)), None)
                if inner is None:
                    break
                main = inner
        if is_spoken_attribution(main) and not any(c.dep_ == "dobj" for c in main.children):
            continue
        if kind in ("after", "before") and is_spoken_attribution(clause.head):
            continue   # "…, mediators said after meeting envoys": when it was said, not a condition
        seen.add(clause.i)
        y_tokens = lead + [x for x in clause.subtree if x.i != t.i and x.lower_ not in ("only",)]
        y_tokens += _continued_condition(clause, main)
        skip = {x.i for x in clause.subtree} | {t.i} | (zones - {x.i for x in main.subtree if x.i not in zones})
        skip |= {x.i for x in y_tokens}
        x_tokens, x_head = main_focus(main, skip)
        if not x_tokens:
            continue
        only = only or any(c.lower_ == "only" for c in [*main.children, *clause.children])
        negated_main = negated_around(main) or _denied(main) or (
            kind in ("until", "before") and t.i > sent.start and doc[t.i - 1].lower_ == "not")   # "but not before Y"
        hypothetical = is_hypothetical_clause(clause, main)
        if kind == "while" and lower_lemma(main) in LEXICON.reporting_verbs | LEXICON.speech_verbs | {"speak"}:
            continue   # "we will not comment while the investigation continues"
        if kind in ("while", "until") and _vow_of_persistence(main):
            continue   # "we will not rest until every hostage is home": a vow, not a condition on anyone
        if kind == "while":
            # Only a negated obligation or prospect over a lasting state: "X will not happen while Y lasts" makes
            # the end of Y a requirement of X. "while" of contrast or of mere time says no such thing.
            raised = main.dep_ == "ccomp" and lower_lemma(main.head) in _NEG_RAISING and is_negated(main.head)
            if not ((negated_main or raised) and any(c.tag_ == "MD" for c in main.children)):
                continue
            if clause.tag_ not in ("VBZ", "VBP") and not any(c.lower_ in ("still", "continue") for c in clause.subtree):
                continue
            aside = {x.i for v in clause.subtree if v.i != clause.i and v.pos_ in ("VERB", "AUX") and any(
                c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in v.children) for x in v.subtree}
            y_tokens = [x for x in y_tokens if x.i not in aside]   # "… but—I will remind you—still holds …"
            yield Candidate("condition", main, x_tokens, y_tokens, x_head, clause, ending=True)
        elif kind == "until":
            if not (negated_main or (persists(main) and is_prospective(main))):
                continue
            if not (negated_main or is_prospective(main)) or main.tag_ == "VBD" and not negated_main:
                continue
            yield Candidate("condition", main, x_tokens, y_tokens, x_head, clause,
                            persisting=not negated_main and persists(main))
        elif kind == "before":
            if negated_main:
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, clause)
            elif _requires_first(main):
                y_main, _ = main_focus(main, skip)
                yield Candidate("condition", main, y_tokens, y_main, clause, main)
        elif kind == "after":
            if only or (is_prospective(main) and main.tag_ != "VBD"):
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, clause)
        elif kind in ("conditional", "unless"):
            if is_counterfactual(clause, main) or is_concessive(t) or is_question(main):
                continue
            if not (is_prospective(main) or only or negated_main or strong):
                continue
            persisting = persists(main) and not negated_main
            cand_kind = "condition" if only or persisting else conditional_kind(main, kind, negated_main)
            if cand_kind == "offer" and t.lower_ in ("provided", "providing", "on"):
                cand_kind = "condition"   # "willing to resume purchases provided that Y": a stated proviso
            long_as = t.lower_ in ("as", "so") and doc[t.i + 1].lower_ == "long"
            yield Candidate(cand_kind, main, x_tokens, y_tokens, x_head, clause, hypothetical=hypothetical,
                            persisting=persisting, ending=long_as and negated_main and not persisting)


_NEG_RAISING = {"think", "believe", "expect", "suppose"}   # "we don't believe X should …" denies X


def _parenthetical_opinion(verb: Token, clause: Token) -> bool:
    """"– I think it's fair –": an aside of opinion set off by dashes or commas that the parser made the head of
    a condition clause before it."""
    if lower_lemma(verb) not in ("think", "believe", "guess", "suppose") or verb.dep_ not in ("advcl", "parataxis"):
        return False
    if verb.head.i == verb.i or verb.head.i < verb.i or clause.i > verb.i:
        return False
    if not any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in verb.children):
        return False
    doc = verb.doc
    inside = {y.i for y in clause.subtree}
    own = sorted(x.i for x in verb.subtree if x.i > clause.i and x.i not in inside and not x.is_punct)
    if not own:
        return False
    before, after = own[0] - 1, own[-1] + 1
    return (before >= 0 and doc[before].is_punct) and (after < len(doc) and doc[after].is_punct)


def _denied(main: Token) -> bool:
    """"a deal is impossible without Y", "a ceasefire is out of the question / off the table until Y": a predicate
    that says no."""
    preds = [main, *(c for c in main.children if c.dep_ in ("acomp", "attr"))]
    if any(lower_lemma(p) in LEXICON.denying_predicates for p in preds):
        return True
    if any(c.dep_ == "prep" and c.lower_ == "off" and any(g.lower_ == "table" for g in c.children)
           for c in main.children):
        return True   # "sanctions relief is off the table until Y"
    return any(c.dep_ == "prep" and c.lower_ == "out" and any(
        g.lower_ == "of" and any(q.lower_ == "question" for q in g.children) for g in c.children)
        for c in main.children)


def _discourse_frame(verb: Token) -> bool:
    """"let me be clear", "let me say": words about the speaking, not the position."""
    return lower_lemma(verb) == "let" and any(c.lower_ in ("me", "us") for c in verb.subtree)


def _only_when(when: Token) -> bool:
    """"only when Y" / "X only … when Y": a time clause that states the one circumstance X needs."""
    doc = when.doc
    if when.i > 0 and doc[when.i - 1].lower_ == "only":
        return True
    clause = when.head
    main = clause.head if clause.head.i != clause.i else None
    return main is not None and any(c.lower_ == "only" and c.dep_ == "advmod" for c in main.children)


def _vow_of_persistence(main: Token) -> bool:
    """"will not rest / relent / give up until Y", "will never forget them while Y": the speaker's own resolve."""
    lemma = lower_lemma(main)
    if lemma not in LEXICON.persistence_vows:
        return False
    return lemma in ("forget", "rest") or not any(c.dep_ in ("dobj", "xcomp", "ccomp") for c in main.children)


def _future_when(when: Token) -> bool:
    """"the war will end when Hamas lays down its arms": a present-tense "when" clause under a main clause of
    "will" / "would" / "can" states the event the main one waits for (not "when" of past time or of a question)."""
    clause = when.head
    present = clause.tag_ in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP")
                                                     for c in clause.children)
    if clause.dep_ != "advcl" or not present or when.i != min(x.i for x in clause.subtree):
        return False
    main = clause.head
    if main.i == clause.i or main.pos_ not in ("VERB", "AUX"):
        return False
    if any(x.ent_type_ in ("DATE", "TIME") for x in clause.subtree):
        return False   # "when the talks resume next week": a date, not a condition
    subject = next((c for c in main.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.pos_ != "NOUN" or is_person_like(subject):
        return False   # "he will travel to Cairo when …": a plan of the speaker's, not a thing that waits on Y
    return any(c.tag_ == "MD" and c.lower_ in ("will", "would", "can", "could", "'ll", "wo") for c in main.children)


def _continued_condition(clause: Token, main: Token) -> list[Token]:
    """"only after the war ends and martial law is lifted": a second clause coordinated right after the condition
    clause but hung by the parser on the main verb. It has its own subject and, unlike the main clause, no modal."""
    doc = clause.doc
    last = max(x.i for x in clause.subtree)
    if doc[last].dep_ != "cc":
        last += 1    # the "and" may hang on the condition clause or on the main verb
    if last >= len(doc) or doc[last].dep_ != "cc" or not any(c.tag_ == "MD" for c in main.children):
        return []
    for c in main.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and c.i > last and min(x.i for x in c.subtree) == last + 1:
            own_subject = any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
            if own_subject and not any(g.tag_ == "MD" for g in c.children):
                return list(c.subtree)
    return []


def _requires_first(main: Token) -> bool:
    if any(c.dep_ == "attr" and lower_lemma(c) in LEXICON.requirement_nouns for c in main.children):
        return False  # "Y is our precondition before X" is read by _requirement_noun
    return bool({c.lower_ for c in main.children} & {"must", "first", "need", "needs"})


def _prepositional(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """no X until/without/before Y, X only after Y, absent Y, X in exchange for Y, X regardless of Y — Y a noun."""
    for t in sent:
        lower = t.lower_
        pobj: Token | None
        if lower == "regardless" and t.dep_ == "advmod":
            prep = next((c for c in t.children if c.lower_ == "of"), None)
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        elif t.dep_ == "prep" or (lower == "absent" and t.dep_ in ("amod", "advmod", "advcl", "acomp", "npadvmod")) or (
                lower == "once" and t.dep_ == "advmod" and any(c.dep_ == "pobj" for c in t.children)):
            pobj = next((c for c in t.children if c.dep_ in ("pobj", "pcomp", "dobj", "npadvmod", "nsubj")), None)
        elif lower in ("without", "until") and t.dep_ == "conj" and t.head.dep_ == "prep" and t.head.lower_ != lower:
            # "no talks without Ukraine at the table and without a full ceasefire": the second "without" hung on
            # the first one's sibling preposition; it conditions the same noun.
            pobj = next((c for c in t.children if c.dep_ in ("pobj", "pcomp")), None)
        else:
            continue
        main = t.head if t.dep_ != "conj" else t.head.head
        if lower == "absent" and t.dep_ == "amod":
            # "Absent progress …, the US will not renew …": the noun is the requirement, its verb the main clause.
            pobj, main = t.head, t.head.head
        if pobj is None:
            continue
        y_tokens = list(pobj.subtree)
        doc = sent.doc
        if lower == "for" and main.lower_ not in ("exchange", "return") and t.i >= sent.start + 2 and \
                doc[t.i - 1].lower_ in ("exchange", "return") and doc[t.i - 2].lower_ == "in":
            # "hand over all hostages in one go in return for an end to the war": "for" hung on a noun before
            # "in return"; the exchange is of the verb that governs it.
            node = doc[t.i - 2].head
            for _ in range(4):
                if (node.pos_ in ("VERB", "AUX") and node.dep_ not in ("pobj", "dobj")) or node.head.i == node.i:
                    break
                node = node.head
            if node.pos_ in ("VERB", "AUX"):
                main = node
                lower = "exchange"
        if lower == "for" and main.lower_ in ("exchange", "return") and main.head.lower_ == "in":
            # "in exchange for an end to the war and a full pullout": the parser may hang the second part on
            # "exchange"; it is still a requirement.
            y_tokens += [x for c in main.children if c.dep_ == "conj" and c.i > pobj.i for x in c.subtree]
            main = main.head.head
            lower = "exchange"
        elif lower in ("with", "through", "by") and t.i > sent.start and sent.doc[t.i - 1].lower_ == "only":
            lower = "only_with"   # "normalisation could be within reach, but only with calm in Gaza"
        if lower not in ("until", "till", "without", "before", "after", "absent", "exchange", "regardless",
                         "only_with", "once"):
            continue
        for conj in t.children:
            if conj.dep_ == "conj" and conj.lower_ == t.lower_:
                y_tokens.extend(x for g in conj.children if g.dep_ in ("pobj", "pcomp") for x in g.subtree)
        if lower == "before" and (demanded := _demanded_before(main)) is not None:
            # "Washington no longer insists on a ceasefire before negotiations": X (after "before") requires the
            # demanded Y.
            # The demand of Y itself stays a demand too (its predicate is the verb, this one's the noun).
            verb, obj = demanded
            demanded_tokens = [x for x in obj.subtree if x.i not in {y.i for y in t.subtree}]
            yield Candidate("condition", obj, y_tokens, demanded_tokens, pobj, obj, negated=is_negated(verb))
            continue
        skip = {x.i for x in t.subtree} | zones
        if lower == "absent" and t.dep_ == "amod":
            skip |= {x.i for x in pobj.subtree}
        if is_spoken_attribution(main):
            if lower in ("after", "before", "until", "till"):
                continue   # "…, mediators said after meeting envoys": when it was said, not a condition
            # "Normalisation could be within reach, Blinken said, but only with calm": the reported clause.
            inner = next((c for c in main.children if c.dep_ in ("ccomp", "parataxis") and c.i not in skip), None)
            if inner is not None:
                main = inner
        if lower == "exchange":
            skip |= {x.i for x in doc[t.i - 2].subtree} if doc[t.i - 2].lower_ == "in" else set()
        x_tokens, x_head = main_focus(main, skip)
        negated = negated_around(main) or _denied(main)
        if lower in ("until", "till", "before"):
            if negated:
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj)
            elif lower != "before" and persists(main) and is_prospective(main):
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj, persisting=True)
        elif lower == "without":
            if lower_lemma(pobj) in LEXICON.no_condition_objects:
                continue
            if negated or any(c.lower_ in ("cannot", "never") for c in main.children):
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj)
            elif lower_lemma(main) in LEXICON.happening_verbs and is_prospective(main) and lower_lemma(main) != "be":
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj, negated=True)
        elif lower == "regardless":
            if is_prospective(main):
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj, negated=True)
        elif lower == "after":
            only = any(c.lower_ == "only" for c in [*t.children, *main.children])
            if only or (is_prospective(main) and main.tag_ != "VBD"):
                yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj)
        elif lower == "absent":
            if is_prospective(main) or negated:
                yield Candidate(conditional_kind(main, "unless", negated), main, x_tokens, y_tokens, x_head, pobj)
        elif lower == "exchange":
            kind: PositionKind = "offer" if lower_lemma(main) in LEXICON.reward_verbs | LEXICON.offer_verbs else "condition"
            yield Candidate(kind, main, x_tokens, y_tokens, x_head, pobj)
        elif lower == "once":
            # "once the Lebanese army deploys" with "deploys" taken for a noun
            if is_prospective(main) or negated:
                yield Candidate(conditional_kind(main, "conditional", negated), main, x_tokens, y_tokens, x_head, pobj)
        elif lower == "only_with":
            yield Candidate("condition", main, x_tokens, y_tokens, x_head, pobj, negated=negated)


def _demanded_before(main: Token) -> tuple[Token, Token] | None:
    """(demand verb, demanded thing) when "before X" hangs on a demand ("insist on Y before X", "demand Y before
    X") or on the demanded noun itself."""
    verb, obj = main, None
    if main.pos_ in ("NOUN", "PROPN"):
        obj, verb = main, main.head
        if verb.dep_ == "prep" and verb.head.i != verb.i:
            verb = verb.head
    if verb.pos_ != "VERB" or lower_lemma(verb) not in LEXICON.demand_verbs | LEXICON.requiring_verbs:
        return None
    if obj is None:
        preps = set(LEXICON.demand_preps.get(lower_lemma(verb), []))
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None) or next(
            (g for c in verb.children if c.dep_ == "prep" and c.lower_ in preps
             for g in c.children if g.dep_ == "pobj"), None)
    return (verb, obj) if obj is not None else None


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
        if is_question(t):
            continue
        holder = t
        if t.dep_ in ("acomp", "attr") or (t.pos_ == "ADJ" and t.head.lemma_ == "be"):
            holder = t.head
        subject = next((c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
        if subject is not None and subject.dep_ == "csubj":
            # "Whether Kyiv can accept a ceasefire depends on …": the clause's focus is the conditioned thing.
            x_tokens, x_head = main_focus(subject, {x.i for x in subject.subtree if x.dep_ == "mark"})
            pobj_ = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj_ is not None:
                yield Candidate("condition", t, x_tokens, list(pobj_.subtree), x_head, pobj_,
                                negated=is_negated(t) or is_negated(holder))
            continue
        if subject is None and t.dep_ in ("amod", "acl") and t.head.pos_ in ("NOUN", "PROPN"):
            subject = t.head
        if subject is None:
            continue
        y_tokens, y_head = list(pobj.subtree), pobj
        after = max(x.i for x in pobj.subtree) + 1
        if is_person_like(pobj) and after < sent.end and sent.doc[after].tag_ == "VBG" and \
                sent.doc[after].dep_ in ("advcl", "acl", "xcomp", "conj"):
            # "conditional on Iran ending enrichment" with "ending" hung elsewhere: the actor's act is the requirement.
            y_head = sent.doc[after]
            y_tokens += list(y_head.subtree)
        skip = {x.i for x in prep.subtree} | {x.i for x in y_tokens}
        x_tokens = [x for x in subject.subtree if x.i not in skip and x.i != t.i]
        negated = is_negated(t) or is_negated(holder)
        yield Candidate("condition", t, x_tokens, y_tokens, subject, y_head, negated=negated)


def _requiring(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """X requires Y; we need to see Y first; any deal must include Y."""
    for t in sent:
        if t.pos_ not in ("VERB", "AUX"):
            continue
        must_include = lower_lemma(t) in LEXICON.inclusion_verbs and any(
            c.dep_ == "aux" and c.lower_ in ("must", "should") for c in t.children)
        if lower_lemma(t) not in LEXICON.requiring_verbs and not must_include:
            continue
        subject = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None and t.dep_ == "conj" and t.head.pos_ in ("VERB", "AUX"):
            # "the implementation of an agreement – should one be reached – requires Y": the parser coordinated
            # the verb with the aside; a noun subject of that head is the shared one.
            subject = next((c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN"
                            and c.i < t.head.i), None)
        obj, last = deep_object(t)
        if obj is None:
            continue
        first = any(c.lower_ in ("first", "beforehand") and c.dep_ in ("advmod", "npadvmod", "amod") for c in t.subtree)
        negated = is_negated(t)
        y_tokens, y_head = list(obj.subtree), obj
        if is_person_like(obj):
            # "that will require Maduro to allow …": the requirement is what they are required to do.
            clause = next((c for c in (*last.children, *obj.children) if c.dep_ in ("xcomp", "ccomp", "acl")), None)
            if clause is not None:
                y_tokens, y_head = list(obj.subtree) + list(clause.subtree), clause
        if subject is not None and subject.pos_ in ("NOUN", "PRON") and not is_person_like(subject) \
                and lower_lemma(subject) not in LEXICON.role_nouns:
            skip = {x.i for x in y_tokens}
            yield Candidate("condition", t, [x for x in subject.subtree if x.i not in skip], y_tokens,
                            subject, y_head, negated=negated)
        elif first:
            # X comes from the rest of the sentence ("perhaps that could be economic partnerships …, but we need
            # to see a ceasefire first").
            own = {x.i for x in t.subtree}
            rest = [x for x in sent if x.i not in own and not is_person_like(x)]
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
        negated = is_negated(cop) if t.dep_ in ("attr", "acomp") else False
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
    """First Y, then X; Y first, and X only afterwards."""
    firsts = [t for t in sent if t.lower_ == "first" and t.dep_ in ("advmod", "npadvmod")]
    thens = [t for t in sent if t.lower_ in ("then", "afterwards", "afterward", "thereafter") and t.dep_ == "advmod"]
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
        y_tokens = [x for x in subtree_without(f, [th]) if x.lower_ != "first"]
    x_tokens, x_head = main_focus(th, {x.i for x in y_tokens})
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
        x_tokens, x_head = main_focus(main, {x.i for x in y_tokens} | {t.i, t.i - 1})
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
        obliged = is_obliged(first) or any(lower_lemma(a) in ("have", "need") and a.i < first.i for a in first.ancestors
                                         if a.i >= sent.start) or (first.dep_ == "xcomp" and lower_lemma(first.head) in ("have", "need"))
        if not (obliged and is_prospective(second)):
            continue
        x_tokens, x_head = main_focus(second, {x.i for x in first.subtree if x.i < t.i})
        y_tokens = [x for x in first.subtree if x.i < t.i]
        yield Candidate("threat", second, x_tokens, y_tokens, x_head, first)


def _only_subject(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """"Only military pressure will bring the hostages home", "only a ceasefire can open the way to talks": the
    sole means named as the subject of what will happen is its requirement."""
    for t in sent:
        if t.lower_ != "only" or t.dep_ != "advmod":
            continue
        noun = t.head
        if noun.dep_ in ("amod", "compound") and noun.head.pos_ in ("NOUN", "PROPN") and t.i < noun.i:
            noun = noun.head   # "only sustained military pressure": "only" hung on the first modifier
        if noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ != "nsubj" or is_person_like(noun):
            continue
        verb = noun.head
        if verb.pos_ not in ("VERB", "AUX") or not any(c.tag_ == "MD" for c in verb.children):
            continue
        y_tokens = [x for x in noun.subtree if x.i != t.i]
        x_tokens, x_head = main_focus(verb, {x.i for x in noun.subtree})
        yield Candidate("condition", verb, x_tokens, y_tokens, x_head, noun, negated=is_negated(verb))


def _to_be_earned(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """"Any support will have to be earned", "trust must be earned through deeds": what is obliged to be earned is
    conditioned on the earning (its means when named: "by", "through")."""
    for t in sent:
        if t.pos_ != "VERB" or lower_lemma(t) not in LEXICON.earning_verbs:
            continue
        if not any(c.dep_ == "auxpass" for c in t.children):
            continue
        holder = t.head if t.dep_ == "xcomp" and lower_lemma(t.head) in ("have", "need") else t
        if not (is_obliged(t) or holder is not t or any(c.tag_ == "MD" and c.lower_ in ("must", "should")
                                                        for c in t.children)):
            continue
        subject = next((c for h in (t, holder) for c in h.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.lower_ in PRONOUNS or is_person_like(subject) or is_question(holder):
            continue
        means = next((g for c in t.children if c.dep_ in ("agent", "prep") and c.lower_ in ("by", "through", "with")
                      for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
        y_head = means if means is not None else t
        y_tokens = list(means.subtree) if means is not None else [t]
        yield Candidate("condition", holder, list(subject.subtree), y_tokens, subject, y_head,
                        negated=is_negated(holder))


def _restrictive_relative(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """"We will not support a government that harbours terrorists", "we will only recognise a government that
    respects the rights of women": a kind of partner, named by a restrictive relative clause, that an actor will or
    will not deal with. Dealing with it requires what the clause says (or its end, when dealing is refused with a
    partner that does it)."""
    for verb in sent:
        if verb.pos_ != "VERB" or lower_lemma(verb) not in LEXICON.partner_verbs:
            continue
        partner = next((c for c in verb.children if c.dep_ == "dobj"), None) or next(
            (g for c in verb.children if c.dep_ == "prep" and c.lower_ == "with" for g in c.children
             if g.dep_ == "pobj"), None)
        if partner is None or partner.pos_ != "NOUN" or lower_lemma(partner) not in LEXICON.partner_nouns:
            continue
        if not any(c.dep_ == "det" and c.lower_ in ("a", "an", "any") for c in partner.children):
            continue   # "the government that took power": a known one described, not a kind required
        clause = next((c for c in partner.children if c.dep_ == "relcl" and c.pos_ in ("VERB", "AUX")
                       and c.tag_ in ("VBZ", "VBP", "VB")), None)
        if clause is None or not any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("that", "which", "who")
                                     for c in clause.children):
            continue
        negated = negated_around(verb) or (verb.dep_ == "xcomp" and is_negated(verb.head))
        only = any(c.lower_ == "only" for c in (*verb.children, *partner.children, *verb.head.children))
        if not (negated or only) or not is_prospective(verb) or is_question(verb):
            continue
        clause_negated = is_negated(clause)
        if negated and not clause_negated and not only:
            ending = True    # "not support a government that harbours terrorists": it must stop
        elif negated and clause_negated:
            ending = False   # "not support a government that does not respect rights": it must respect them
        elif only and not negated and not clause_negated:
            ending = False
        else:
            continue
        y_tokens = [x for x in clause.subtree if x.dep_ not in ("neg",) and not (
            x.dep_ in ("nsubj", "nsubjpass") and x.head.i == clause.i)]
        x_tokens = [verb] + [x for x in partner.subtree if x.i not in {y.i for y in clause.subtree}]
        yield Candidate("condition", verb, x_tokens, y_tokens, verb, clause, ending=ending)


def _must_first(sent: Span, zones: set[int]) -> Iterator[Candidate]:
    """"Russia is ready for talks, but Kyiv must first recognise the new borders": an obligation to be met first,
    coordinated with the clause it comes before."""
    for t in sent:
        if t.pos_ != "VERB" or lower_lemma(t) in LEXICON.requiring_verbs or t.dep_ not in ("conj", "ccomp"):
            continue
        if not any(c.lower_ == "first" and c.dep_ == "advmod" for c in t.children):
            continue
        obliged = is_obliged(t) or any(c.dep_ == "aux" and c.lower_ == "should" for c in t.children) or (
            t.head.i != t.i and lower_lemma(t.head) in ("have", "need") and t.dep_ == "xcomp")
        if not obliged:
            continue
        other: Token | None = t.head
        if t.dep_ == "ccomp" and not is_spoken_attribution(t.head):
            continue
        if other is not None and is_spoken_attribution(other):
            # "Israel is open to a deal, but Hamas must first …, Netanyahu said": the clause before, said too.
            other = next((c for c in other.children if c.dep_ in ("ccomp", "parataxis") and c.i < t.i), None)
        if other is None or other.i > t.i or other.pos_ not in ("VERB", "AUX"):
            continue
        between = sent.doc[max(x.i for x in other.subtree) + 1:t.i] if t.dep_ == "ccomp" else sent.doc[other.i:t.i]
        if not any(x.dep_ == "cc" for x in [*between, *other.children]):
            continue
        y_tokens = [x for x in t.subtree if x.lower_ not in ("first", "must", "should")]
        x_tokens, x_head = main_focus(other, {x.i for x in t.subtree})
        if not x_tokens:
            continue
        yield Candidate("condition", other, x_tokens, y_tokens, x_head, t)
