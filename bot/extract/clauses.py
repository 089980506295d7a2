"""Readings of a clause in the dependency parse: negation, prospect (future, modal, readiness), obligation,
questions, counterfactuals, hedges, who is a person or an actor.

`READINGS` names them for the shape patterns (bot/extract/data/condition_patterns.yaml), which say which
readings a node must or must not have; the shape interpreter (bot.extract.shapes) looks them up by name.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable

from spacy.tokens import Span, Token

from bot.extract.lexicon import LEXICON

MODALS = {"will", "would", "can", "could", "shall", "should", "must", "may", "might", "'ll", "wo", "ca", "need"}
NEG_DET = {"no", "neither", "nor"}
PRONOUNS = {"it", "that", "this", "they", "them", "those", "these", "which", "what", "one"}
CONDITION_PREPS = {"until", "till", "without", "before", "after", "absent", "regardless", "unless"}
PERSON_PRONOUNS = {"i", "we", "you", "he", "she", "they", "me", "us", "him", "her", "them"}


def lower_lemma(t: Token) -> str:
    return t.lemma_.lower()


def sentence_of(t: Token) -> Span:
    """The sentence of a token (Token.sent walks the document each time; the bounds are cached per document)."""
    doc = t.doc
    bounds = doc.user_data.get(_SENTENCES_KEY)
    if bounds is None:
        doc.user_data[_SENTENCES_KEY] = bounds = [(s.start, s.end) for s in doc.sents]
    at = bisect.bisect_right(bounds, (t.i, len(doc) + 1)) - 1
    start, end = bounds[max(at, 0)]
    return doc[start:end]


_SENTENCES_KEY = "positions.sentences"


def is_actor(token: Token) -> bool:
    return any(s.start <= token.i < s.end for s in token.doc.spans.get("actors", ()))


def is_person_like(t: Token) -> bool:
    return t.ent_type_ in ("PERSON", "GPE", "NORP", "ORG") or is_actor(t) or t.lower_ in PERSON_PRONOUNS


def subtree_without(t: Token, stop: Iterable[Token] = ()) -> list[Token]:
    """t's subtree without the subtrees of the `stop` tokens."""
    blocked = {x.i for s in stop for x in s.subtree}
    return [x for x in t.subtree if x.i not in blocked]


def clause_of(t: Token) -> Token:
    """The verb or predicate a noun belongs to ("no talks" → the clause "talks" is in), else t itself."""
    node = t
    for _ in range(3):
        if node.pos_ in ("VERB", "AUX", "ADJ") or node.head.i == node.i:
            return node
        node = node.head
    return node


# -- negation -------------------------------------------------------------------------------------------------


def is_negated(t: Token) -> bool:
    """The clause of t says no: "not", "never", "no longer", "won't"; or its subject/object takes "no"."""
    for child in t.children:
        if child.dep_ == "neg" or child.lower_ in ("never", "not", "n't", "no", "cannot"):
            return True
        if child.lower_ in ("longer", "more") and any(g.lower_ == "no" for g in child.children):
            return True
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and any(
                g.lower_ in NEG_DET and g.dep_ == "det" for g in child.children):
            return True
        if child.dep_ in ("nsubj", "nsubjpass", "attr", "dobj") and child.lower_ in ("nothing", "none", "no-one"):
            return True
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ == "one" and any(
                g.lower_ == "no" for g in child.children):
            return True   # "no one will be deciding … without Ukraine"
    if t.dep_ in ("xcomp", "acomp", "auxpass") and t.head.i != t.i:
        return is_negated(t.head)
    if t.pos_ == "ADJ" and t.head.lemma_ == "be":
        return any(c.dep_ == "neg" for c in t.head.children)
    return False


def negated_around(t: Token) -> bool:
    """Negation on the clause, or — for a noun — its own "no" or the negation of the verb that governs it."""
    if is_negated(t):
        return True
    if t.pos_ in ("NOUN", "PROPN"):
        if any(c.lower_ in NEG_DET and c.dep_ == "det" for c in t.children):
            return True
        governor = t.head
        if governor.dep_ == "prep" and governor.head.i != governor.i:
            governor = governor.head   # "there is no question of any agreements …"
        if governor.i != t.i and governor.pos_ in ("VERB", "AUX", "NOUN", "ADJ"):
            return negated_around(governor) if governor.pos_ == "NOUN" else is_negated(governor) or is_denied(governor)
    return False


def is_denied(t: Token) -> bool:
    """A predicate that says no: "impossible", "out of the question", "off the table", "no reason", "no point"."""
    preds = [t, *(c for c in t.children if c.dep_ in ("acomp", "attr", "dobj"))]
    if any(lower_lemma(p) in LEXICON.denying_predicates for p in preds):
        return True
    for p in preds:
        if lower_lemma(p) in LEXICON.denying_nouns and any(g.lower_ in NEG_DET | {"little"} for g in p.children):
            return True   # "there is no reason / no point / no question …"
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "off" and any(g.lower_ == "table" for g in c.children):
            return True
        if c.dep_ == "prep" and c.lower_ == "out" and any(g.lower_ == "of" and any(
                q.lower_ == "question" for q in g.children) for g in c.children):
            return True
    return False


def says_no(t: Token) -> bool:
    """The clause of t says no, or the clause it is the complement of ("no one has the right to do X")."""
    node = t
    for _ in range(3):
        if negated_around(node) or is_denied(node) or is_denied(clause_of(node)):
            return True
        if node.dep_ == "ccomp" and lower_lemma(node.head) in LEXICON.neg_raising_verbs and is_negated(node.head):
            return True   # "we don't believe Israel should end the war while …" denies the clause
        if node.dep_ not in ("xcomp", "acl", "pcomp") or node.head.i == node.i:
            return False
        node = node.head
        if node.dep_ == "prep" and node.head.i != node.i:
            node = node.head
    return False


# -- prospect ----------------------------------------------------------------------------------------------


def is_prospective(t: Token) -> bool:
    """Future, modal, imperative, readiness or "only": the clause is about what will or can happen."""
    node = t
    if lower_lemma(t) in LEXICON.commitment_verbs:
        return True
    for _ in range(4):
        for child in node.children:
            if child.tag_ == "MD" or child.lower_ in MODALS or child.lower_ in ("only", "then"):
                return True
            if child.dep_ == "acomp" and lower_lemma(child) in LEXICON.possibility_adjectives:
                return True   # "talks are possible only when …"
        if node.lower_ == "going" or (node.tag_ == "VB" and node.dep_ == "ROOT"):
            return True
        if lower_lemma(node) in LEXICON.commitment_verbs or lower_lemma(node) in LEXICON.possibility_adjectives:
            return True
        if lower_lemma(node) in LEXICON.plan_verbs and any(c.dep_ == "auxpass" for c in node.children):
            return True   # "the payment is planned for this month if …"
        if is_readiness_word(node):
            return True   # "is prepared to withdraw once …"
        if node.dep_ in ("xcomp", "acomp") and node.head.i != node.i:
            if node.dep_ == "xcomp" and lower_lemma(node.head) in LEXICON.prospective_verbs and any(
                    c.lower_ == "to" for c in node.children):
                return True   # "has to repay … if …", "intends to present … once …"
            node = node.head
            continue
        if node.dep_ == "pcomp" and node.head.dep_ == "prep" and node.head.head.i != node.head.i:
            node = node.head.head
            continue
        if node.dep_ in ("pobj",) and node.head.dep_ == "prep" and node.head.head.i != node.head.i:
            node = node.head.head   # "ready for talks if …"
            continue
        if node.dep_ == "ccomp" and node.head.i != node.i and lower_lemma(node.head) not in LEXICON.reporting_verbs:
            node = node.head
            continue
        if node.dep_ == "conj" and node.head.pos_ in ("VERB", "AUX") and not any(
                c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in node.children):
            node = node.head   # "would cease fire and begin talks after …": the second verb shares the first's "would"
            continue
        break
    if t.pos_ in ("NOUN", "PROPN") and t.head.i != t.i:
        return is_prospective(t.head)
    if _backshifted(t) and t.tag_ in ("VBD", "VBZ", "VBP") and lower_lemma(t) in ("be",):
        return True   # "the Kremlin said relief was a precondition …": a standing position, told in the past
    if t.tag_ in ("VB", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in t.children) and any(
            c.dep_ in ("nsubj", "nsubjpass") and (t.tag_ == "VB" or c.tag_ == "NN") for c in t.children):
        return True   # subjunctive: "it is important that the sanctions remain in place until …"
    if t.tag_ in ("VB", "VBP") and t.dep_ == "ccomp" and lower_lemma(t.head) in LEXICON.mandative_verbs and not any(
            c.dep_ in ("aux", "auxpass") for c in t.children):
        return True   # subjunctive of a mandate: "the Commission recommended that talks begin once …"
    return t.tag_ in ("VBZ", "VBP") and any(c.lower_ == "only" for c in t.subtree)


def _backshifted(t: Token) -> bool:
    node = t
    for _ in range(3):
        if node.dep_ in ("ccomp", "xcomp", "advcl", "conj") and node.head.i != node.i:
            head = node.head
            if lower_lemma(head) in LEXICON.reporting_verbs:
                if node.dep_ == "advcl":
                    return False   # "he said after Putin declared …": when it was said, not what
                return not any(c.dep_ == "aux" and c.lower_ == "had" for c in t.children)
            node = head
            continue
        break
    return False


def is_stated(t: Token) -> bool:
    """A clause that can state a position: about what will or can happen, or one that says no."""
    return is_prospective(t) or says_no(t) or has_only(t)


def has_only(t: Token) -> bool:
    """"only" on the clause, its predicate or its subject: "will only join NATO once …"."""
    for node in (t, *(c for c in t.children if c.dep_ in ("acomp", "xcomp", "prep"))):
        if any(c.lower_ == "only" and c.dep_ in ("advmod", "amod") for c in node.children):
            return True
    return False


def persists(verb: Token) -> bool:
    """"the sanctions will stay / remain in place", "keep sanctions", "continue the war": a state that lasts."""
    lemma = lower_lemma(verb)
    if lemma not in LEXICON.persist_verbs:
        return False
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if lemma == "continue" and (objects or any(c.dep_ == "xcomp" for c in verb.children)):
        return True   # "continue the war until …", "continue to apply pressure until …"
    return lemma in ("keep", "maintain", "increase", "step") or not objects


def is_readiness_word(t: Token) -> bool:
    """"ready", "willing", and "prepared" also where the parser reads "is prepared for talks" as a passive verb
    (lemma "prepare")."""
    return (t.pos_ == "ADJ" and lower_lemma(t) in LEXICON.offer_adjectives) or (
        t.pos_ == "VERB" and t.lower_ in LEXICON.offer_adjectives and any(c.dep_ == "auxpass" for c in t.children))


def is_ready(t: Token) -> bool:
    """A clause of readiness or possibility: "we are willing to do sanctions", "talks are possible"."""
    node = t
    for _ in range(2):
        if lower_lemma(node) in LEXICON.possibility_adjectives or is_readiness_word(node) or any(
                c.dep_ in ("acomp", "attr") and lower_lemma(c) in LEXICON.possibility_adjectives for c in node.children):
            return True
        if node.dep_ == "xcomp" and node.head.i != node.i:
            node = node.head
            continue
        break
    return False


def is_persisting(t: Token) -> bool:
    """X lasts, now or from now on: "sanctions will remain", "we continue to apply pressure", "assets remain
    frozen" (not "Putin has decided to continue the war", a report of the past)."""
    node = t
    for _ in range(3):
        if persists(node):
            if is_prospective(node) or node.tag_ in ("VBZ", "VBP"):
                return True
            return node.tag_ == "VB" and not (node.dep_ == "xcomp" and is_past(node.head))
        if node.dep_ in ("xcomp",) and node.head.i != node.i:
            node = node.head
            continue
        break
    return False


def is_past(t: Token) -> bool:
    """A clause about the past: a past-tense verb without a modal ("had been a condition of …", "he didn't rule
    anything out"). Reported speech is not: "the Kremlin said relief was a precondition" is its present."""
    if _backshifted(t):
        return False
    auxes = [c for c in t.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ == "MD" for a in auxes) or lower_lemma(t) in LEXICON.commitment_verbs:
        return False   # "Hamas offered to release … if …": what was offered is still to come
    if auxes:
        return any(a.tag_ == "VBD" for a in auxes) and not any(a.tag_ in ("VBZ", "VBP") for a in auxes)
    if t.tag_ == "VBN" and t.dep_ == "acl" and t.head.i != t.i:
        # a reduced relative ("deals made without it", "things related to Ukraine") has no tense of its own:
        # it is as past as the clause its noun belongs to
        return is_past(clause_of(t.head)) if clause_of(t.head).i != t.head.i else False
    return t.tag_ in ("VBD", "VBN") and not is_prospective(t)


# -- speech acts and frames --------------------------------------------------------------------------------


def is_question(t: Token) -> bool:
    """A question: the sentence ends with "?", or "whether …" / "asked if …"."""
    sent = sentence_of(t)
    last = next((x for x in reversed(sent) if not x.is_space and x.text not in ('"', "”", "’", "'")), None)
    if last is not None and last.text == "?":
        return True
    return any(c.lower_ == "whether" for c in t.children) or lower_lemma(t.head) in ("ask", "wonder", "question")


def is_counterfactual(t: Token) -> bool:
    """"if X had …, Y would have …" describes the past, not a position; "if I were them" supposes what is not."""
    had = any(c.lower_ == "had" and c.dep_ in ("aux", "auxpass") for c in t.children)
    would_have = t.tag_ == "VBN" and any(c.lower_ == "have" for c in t.children) and any(
        c.lower_ in ("would", "could") for c in t.children)   # "would have to" is an obligation, not the past
    were_i = t.lower_ == "were" and any(c.dep_ == "nsubj" and c.lower_ in ("i", "he", "she", "it") for c in t.children)
    return had or would_have or were_i


def is_hypothetical(t: Token) -> bool:
    """"if Russia were to …", "should Russia …": a supposition."""
    words = [c.lower_ for c in t.subtree]
    if "were" in words and ("to" in words or t.lower_ == "were"):
        return True
    return any(c.lower_ == "should" and c.i < t.i and c.dep_ == "aux" for c in t.children)


def is_concessive(t: Token) -> bool:
    """"even if …": what follows holds whatever the clause says."""
    return t.i > 0 and t.doc[t.i - 1].lower_ == "even"


def is_obliged(verb: Token) -> bool:
    """"Hamas must release the hostages", "Israel has to allow aid in", "there should be a ceasefire", "we
    need to see concessions", "they're going to have to toughen their sanctions"."""
    node = verb
    for _ in range(3):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("must", "should") for c in node.children):
            return True
        inner = next((c for c in node.children if c.dep_ == "xcomp" and any(g.lower_ == "to" for g in c.children)),
                     None)
        if inner is None:
            break
        if lower_lemma(node) in ("need", "have"):
            return True
        node = inner   # "going to have to …"
    head = verb.head
    return verb.dep_ == "xcomp" and lower_lemma(head) in ("have", "need") and head.i != verb.i and any(
        c.lower_ == "to" for c in verb.children)


def binds_if_subject(verb: Token) -> bool:
    """"If a deal is reached, it must include guarantees": an obligation on "it", where "it" is the thing the
    if-clause is about, says what that thing requires (not what the obligation waits for)."""
    if not any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("it", "they", "this") for c in verb.children):
        return False
    if not (is_obliged(verb) or any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in verb.children)):
        return False
    clauses = [c for c in verb.children if c.dep_ == "advcl" and c.i < verb.i and any(
        m.dep_ == "mark" and m.lower_ in ("if", "once", "when") for m in c.children)]
    return any(s.dep_ in ("nsubj", "nsubjpass") and s.pos_ == "NOUN" and not is_actor(s) and not is_person_like(s)
               for c in clauses for s in c.children)


def refuses(verb: Token) -> bool:
    """"rejects", "refuses", "rules out" (not "rules the country")."""
    lemma = lower_lemma(verb)
    if lemma not in LEXICON.refusal_verbs:
        return False
    particles = LEXICON.refusal_particles.get(lemma)
    return not particles or any(c.dep_ == "prt" and c.lower_ in particles for c in verb.children)


def is_deferring(verb: Token) -> bool:
    """"We will support Zelensky if he decides to negotiate": backing another side in its own choice defers to
    it; the if-clause is that side's decision, not a term set for it ("support Kyiv only if it holds elections"
    sets one)."""
    if lower_lemma(verb) not in LEXICON.deference_verbs:
        return False
    objects = [c for c in verb.children if c.dep_ == "dobj" and (c.pos_ == "PROPN" or c.lower_ in PERSON_PRONOUNS
                                                                  or is_actor(c))]
    if not objects:
        return False
    for clause in (c for c in verb.children if c.dep_ == "advcl" and (lower_lemma(c) in LEXICON.choice_words or any(
            a.dep_ == "acomp" and lower_lemma(a) in LEXICON.choice_words for a in c.children))):
        chooser = next((s for s in clause.children if s.dep_ == "nsubj"), None)
        if chooser is not None and (chooser.lower_ in PERSON_PRONOUNS | {"it", "they"} or
                                    any(chooser.lower_ == o.lower_ for o in objects)):
            return True
    return False


def is_wanting(verb: Token) -> bool:
    """"if Russia wants peace, it must …": the clause names what the other side is after and the obligation what
    that requires (read by if_want_must), not what the obligation waits for."""
    return lower_lemma(verb) in LEXICON.wanting_verbs and any(c.dep_ in ("dobj", "xcomp") for c in verb.children) \
        and verb.head.i != verb.i and (is_obliged(verb.head) or is_imperative(verb.head))


def is_imperative(verb: Token) -> bool:
    """"push Russia to withdraw", "stop the killing": a bare verb with no subject or auxiliary heading its own
    clause (not an infinitive under another verb)."""
    return verb.tag_ == "VB" and verb.dep_ in ("ROOT", "ccomp", "parataxis") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "expl") for c in verb.children)


def is_speech(verb: Token) -> bool:
    """"X, he said, if Y": a verb of speech that attributes, not one that is itself the promised act."""
    if lower_lemma(verb) not in LEXICON.speech_verbs or lower_lemma(verb) in LEXICON.threat_verbs:
        return False
    return not any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "should", "must") for c in verb.children)


def is_epistemic(t: Token) -> bool:
    """"then we'll know …", "we will see", "one thing we will have to determine is …": a clause about what the
    speaker will learn or tell, not do."""
    if lower_lemma(t) in LEXICON.knowing_verbs:
        # "sees no point in talks until …", "no prospect can be seen as long as …": a denial, not something learnt
        return not any(c.dep_ in ("dobj", "nsubjpass") and lower_lemma(c) in LEXICON.denying_nouns
                       for c in t.children)
    return any(lower_lemma(c) in LEXICON.knowing_verbs and c.dep_ in ("relcl", "ccomp", "xcomp", "csubj")
               for x in (t, *(c for c in t.children if c.dep_ in ("nsubj", "attr"))) for c in x.children)


def is_mental(t: Token) -> bool:
    """"when he believes he is losing", "once it sees that its strategy is failing": a state of mind of someone
    else, which a speaker predicts rather than requires."""
    if lower_lemma(t) not in LEXICON.mental_verbs:
        return False
    if lower_lemma(t) in LEXICON.decision_verbs:   # "if Moscow decides to negotiate": the act it decides on
        return any(c.dep_ == "ccomp" for c in t.children)
    return any(c.dep_ in ("ccomp", "xcomp") for c in t.children)


def is_generic_you(t: Token) -> bool:
    """"if you listen carefully": a clause addressed to anyone, which conditions nothing."""
    return any(c.dep_ == "nsubj" and c.lower_ == "you" for c in t.children)


def is_vow(t: Token) -> bool:
    """"we will not rest until …", "as long as it takes": the speaker's own resolve, which conditions nobody."""
    lemma = lower_lemma(t)
    if lemma in LEXICON.persistence_vows and (lemma in ("forget", "rest") or not any(
            c.dep_ in ("dobj", "xcomp", "ccomp") for c in t.children)):
        return True
    return lemma == "take" and any(c.lower_ == "it" and c.dep_ == "nsubj" for c in t.children)


def is_dated(t: Token) -> bool:
    """A date or time inside the clause: "when the talks resume next week" is a schedule (not a date that names a
    state of things: "until Ukraine pushes the front back to the line of February 24")."""
    return any(x.ent_type_ in ("DATE", "TIME") and not _reference_date(x) and not _in_source_line(x, t)
               for x in t.subtree)


def _in_source_line(x: Token, top: Token) -> bool:
    """Is the token in a source line the parser hung inside the clause ("… from Ukraine, the presidential press
    service reported on Tuesday")? Its date is the report's, not the clause's."""
    node = x
    while node.i != top.i and node.head.i != node.i:
        if node.dep_ in ("acl", "relcl", "parataxis") and lower_lemma(node) in LEXICON.reporting_verbs:
            return True
        node = node.head
    return False


def _reference_date(x: Token) -> bool:
    """"the line of February 24", "the 1991 borders", "positions as of 23 February": the date qualifies a noun."""
    node = x
    for _ in range(4):
        head = node.head
        if head.i == node.i:
            return False
        if head.lower_ == "of" and head.dep_ == "prep":
            return True
        if head.ent_type_ in ("DATE", "TIME"):
            node = head   # within the date's own words ("February 24")
            continue
        return head.pos_ in ("NOUN", "PROPN") and node.dep_ in ("compound", "nmod", "amod", "nummod")
    return False


def is_present(t: Token) -> bool:
    return t.tag_ in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP")
                                           for c in t.children)


def is_punitive(t: Token) -> bool:
    """A clause that promises harm: strikes, sanctions, tariffs, a response, walking away; not one that
    promises to hold harm back ("we will not strike theirs", "ready to halt strikes")."""
    heads = [t, *(c for c in t.children if c.dep_ == "xcomp")]
    verbs = {lower_lemma(v) for v in heads}
    if any(is_negated(v) for v in heads) or verbs & LEXICON.inverting_words or verbs & LEXICON.reward_verbs:
        return False
    if any(c.dep_ in ("prt", "advmod") and c.lower_ in LEXICON.ending_phrasal.get(lower_lemma(v), ())
           for v in heads for c in v.children):
        return False   # "the sanctions could go away if …": harm that ends
    objects_of = {lower_lemma(c) for v in heads for c in v.children if c.dep_ in ("dobj", "prt")}
    if verbs & LEXICON.punitive_intransitive and objects_of - LEXICON.threat_nouns:
        return False   # "pay back the loan"
    if verbs & LEXICON.punitive_verbs or verbs & LEXICON.threat_verbs:
        return True
    if verbs & LEXICON.discussing_verbs:
        return False   # "then we can talk about sanctions"
    objects = set()
    for v in heads:
        for c in v.children:
            if c.dep_ in ("dobj", "attr", "nsubjpass", "nsubj"):
                objects.add(lower_lemma(c))
            elif c.dep_ in ("prep", "agent") and c.lower_ in ("with", "by", "to"):
                objects.update(lower_lemma(g) for g in c.children if g.dep_ == "pobj")
    return bool(objects & LEXICON.threat_nouns)


def is_person_subject(t: Token) -> bool:
    """The clause's subject is a person or an actor ("he will travel to Cairo when …")."""
    return any(c.dep_ in ("nsubj",) and is_person_like(c) for c in t.children)


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
    return any(lower_lemma(c) in ("consider", "explore") and c.dep_ in ("xcomp",) for c in pred.children)


def mentions_actor(t: Token) -> bool:
    """The phrase headed by t names a watched actor ("Russia", "Ukrainian forces", "Putin's")."""
    subtree = list(t.subtree)
    return any(subtree[0].i <= s.start and s.end <= subtree[-1].i + 1 for s in t.doc.spans.get("actors", ()))


_CONDUCT_PRONOUNS = {"i", "we", "he", "she"}   # a judgement of the speaker's side is its own conduct


def is_evaluative(t: Token) -> bool:
    """A clause that judges what follows rather than stating what its speaker will do: "Belarus would be an
    ideal platform if …", "the reaction will be devastating if …", and what a step would bring about ("it would mean
    a confrontation if …"). Possibility and readiness ("talks are possible if …", "we are ready if …"), "there is
    no X", a negated clause and one with "only" state a position."""
    if any(c.lower_ == "only" for c in t.subtree):
        return False
    outcome = LEXICON.outcome_verbs.get(lower_lemma(t))
    if outcome is not None and (not outcome or any(c.dep_ == "prep" and c.lower_ in outcome for c in t.children)):
        return True   # "it would mean a confrontation", "that would lead to a wider war" ("lead the talks" is no outcome)
    if lower_lemma(t) != "be" or says_no(t) or any(c.dep_ == "expl" for c in t.children):
        return False
    subjects = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
    if any(lower_lemma(c) in LEXICON.threat_nouns or c.lower_ in _CONDUCT_PRONOUNS for c in subjects):
        return False   # "future attacks will be far greater if …" threatens; "he'll be gracious if …" promises
    keep = LEXICON.possibility_adjectives | LEXICON.offer_adjectives
    judged = [c for c in t.children if c.dep_ in ("acomp", "attr")]
    return bool(judged) and all(lower_lemma(c) not in keep and not any(
        lower_lemma(a) in keep for a in c.children if a.dep_ == "amod") for c in judged)


Reading = Callable[[Token], bool]

READINGS: dict[str, Reading] = {
    "negated": says_no,
    "prospective": is_prospective,
    "stated": is_stated,
    "only": has_only,
    "persisting": is_persisting,
    "past": is_past,
    "question": is_question,
    "counterfactual": is_counterfactual,
    "hypothetical": is_hypothetical,
    "concessive": is_concessive,
    "obliged": is_obliged,
    "binds_if_subject": binds_if_subject,
    "wanting": is_wanting,
    "deferring": is_deferring,
    "imperative": is_imperative,
    "refusing": refuses,
    "speech": is_speech,
    "epistemic": is_epistemic,
    "vow": is_vow,
    "dated": is_dated,
    "present": is_present,
    "punitive": is_punitive,
    "person_subject": is_person_subject,
    "person": is_person_like,
    "actor": mentions_actor,
    "ready": is_ready,
    "generic_you": is_generic_you,
    "mental": is_mental,
    "step_named": lambda t: lower_lemma(t) == "be" and any(
        c.dep_ == "nsubj" and lower_lemma(c) in LEXICON.requirement_nouns for c in t.children),
    "needing": lambda t: lower_lemma(t) in ("need", "require") and any(c.dep_ == "dobj" for c in t.children),
    "only_marked": lambda t: any(c.dep_ == "advmod" and c.lower_ == "only" for c in t.children),
    "evaluative": is_evaluative,
    "strong": lambda t: t.lower_ in ("unless", "provided", "providing") or (t.i > 0 and t.doc[t.i - 1].lower_ == "only"),
}
