"""The two sides of a matched shape as tokens: what is conditioned (X) and what it requires (Y).

A shape's `subject` node is the head of X's clause or phrase; X is what that clause is about ("agree to a
ceasefire" is about the ceasefire, "talks can begin" about the talks, "lift the sanctions" is the lifting),
never its agent. Y is the `requires` node's phrase without the cue and without X. A list announced by a noun
("a series of conditions", "these terms") is read where it is spelt out: after a colon or dash, "such as",
"including", or in the next sentence.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from bot.extract.clauses import (CONDITION_PREPS, PRONOUNS, is_actor, is_person_like, is_readiness_word, is_speech,
                                 lower_lemma, sentence_of)
from bot.extract.lexicon import LEXICON

_PARTICLES = {"home", "back", "out", "off", "away"}   # "bring the hostages home", "pull the troops back", "go away"
_DROPPED = {"only", "first", "also", "even", "then"}
_STAND_INS = {"it", "this", "that", "them", "these", "those", "so", "nothing", "anything", "everything"}


def requirement_side(requires: Token, subject: Token | None, helpers: Iterable[Token]) -> list[Token]:
    """Y: the requires node's phrase, without the cue words, without X, without "only" / "first"."""
    skip = {t.i for t in helpers}
    for helper in helpers:   # "If Russia does not want sanctions, it has to …": the if-clause is no part of Y
        if any(a.i == requires.i for a in helper.ancestors) and helper.dep_ not in ("mark", "advmod", "prep", "aux"):
            skip |= {t.i for t in helper.subtree}
        elif helper.dep_ == "mark" and helper.head.i != requires.i and any(a.i == requires.i for a in helper.head.ancestors):
            skip |= {t.i for t in helper.head.subtree}
    if subject is not None and any(a.i == requires.i for a in subject.ancestors):
        skip |= {t.i for t in subject.subtree}
    tokens = [t for t in requires.subtree if t.i not in skip and (t.lower_ not in _DROPPED or ordinal_modifier(t))]
    for helper in helpers:   # "in exchange for an end to the war and a full pullout": "and …" hung on "exchange"
        tokens += [x for c in helper.children if c.dep_ == "conj" and c.i > requires.i and c.pos_ in ("NOUN", "PROPN")
                   for x in c.subtree]
    if subject is not None:
        tokens += _continued(requires, subject)
    act = acted(requires)
    if act is not None:
        tokens += list(act.subtree)
    tokens = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    listed = spelt_out(requires)
    if listed:
        tokens = sorted({*tokens, *listed}, key=lambda t: t.i)
    return tokens


def ordinal_modifier(t: Token) -> bool:
    """"finish the first part": an ordinal that tells which part, not "first" meaning beforehand."""
    return t.lower_ == "first" and t.dep_ == "amod" and t.head.pos_ == "NOUN"


def acted(requires: Token) -> Token | None:
    """"hinges on Washington scrapping its tariffs", "conditional on Russia ending its strikes": when Y is an
    actor followed by what it does, the deed (hung elsewhere by the parser) is what is required."""
    doc = requires.doc
    after = max(t.i for t in requires.subtree) + 1
    if is_person_like(requires) and after < len(doc) and doc[after].tag_ == "VBG" and \
            doc[after].dep_ in ("advcl", "acl", "xcomp", "conj", "pcomp"):
        return doc[after]
    if is_person_like(requires) and requires.dep_ == "dobj":
        # "require the Russians to respond in kind": what the one named is to do
        return next((c for c in requires.head.children if c.dep_ in ("xcomp", "ccomp") and c.i > requires.i
                     and c.pos_ in ("VERB", "AUX") and any(g.lower_ == "to" for g in c.children)), None)
    return None


def _continued(clause: Token, main: Token) -> list[Token]:
    """"only after the war ends and martial law is lifted", "only if Kyiv withdraws its troops and drops its bid":
    a second clause coordinated right after Y but hung by the parser on X's verb. Unlike X it has no modal, and
    it has its own subject or, sharing Y's, the same finite form as Y's verb (X's verb after a modal is bare)."""
    doc = clause.doc
    last = max(x.i for x in clause.subtree)
    if doc[last].dep_ != "cc":
        last += 1
    if last >= len(doc) or doc[last].dep_ != "cc" or not any(c.tag_ == "MD" for c in main.children):
        return []
    for c in main.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and c.i > last and min(x.i for x in c.subtree) == last + 1:
            if any(g.tag_ == "MD" for g in c.children):
                continue
            if any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children) or (
                    c.tag_ in ("VBZ", "VBD", "VBP") and c.tag_ == clause.tag_):
                return list(c.subtree)
    return []


def spelt_out(word: Token) -> list[Token]:
    """The items of a list a noun announces ("certain conditions must be met, such as A, B and C"; "a series of
    conditions. Moscow demanded that Ukraine stop A, amend B …"), or nothing."""
    noun = announcing_noun(word)
    if noun is None:
        return []
    doc = noun.doc
    for child in noun.children:
        if child.dep_ in ("appos",) or (child.dep_ == "prep" and child.lower_ in ("including", "like")):
            return list(child.subtree)
        if child.dep_ == "amod" and child.lower_ == "such":
            as_ = next((g for g in child.children if g.lower_ == "as"), None)
            if as_ is not None:
                return [x for g in as_.children for x in g.subtree]
    sent = sentence_of(noun)
    for t in doc[noun.i + 1:sent.end]:
        if t.lower_ in ("such", "including", "namely") or t.text in (":", "–", "—", "--"):
            rest = [x for x in doc[t.i + 1:sent.end] if not x.is_punct or x.text == ","]
            rest = [x for x in rest if x.lower_ != "as"]
            if rest:
                return rest
    if sent.end >= len(doc) or "\n\n" in doc[noun.i:sent.end + 1].text:
        return []
    enumerated = _enumerated(sent)
    if enumerated:
        return enumerated
    following = sentence_of(doc[sent.end])
    node = following.root
    for _ in range(3):   # "Peskov said Moscow demanded that Ukraine stop …, amend … and recognise …"
        inner = next((c for c in node.children if c.dep_ in ("ccomp", "xcomp")), None)
        if lower_lemma(node) in LEXICON.demand_verbs and inner is not None:
            return [t for t in inner.subtree if (not t.is_punct or t.text == ",") and t.dep_ != "mark"]
        if lower_lemma(node) in LEXICON.demand_verbs or any(c.lower_ in ("must", "should") for c in node.children):
            return [t for t in following if not t.is_punct or t.text == ","]
        if inner is None or lower_lemma(node) not in LEXICON.speech_verbs:
            break
        node = inner
    return []


def _enumerated(sent: Span) -> list[Token]:
    """The items of a list enumerated in the sentences after `sent` ("First, … Second, … Third, …"): each
    sentence's clause without its ordinal and its attribution; nothing unless there are at least two."""
    doc = sent.doc
    items: list[Token] = []
    count, end = 0, sent.end
    while end < len(doc) and count < _MAX_ENUMERATED:
        following = sentence_of(doc[end])
        words = [t for t in following if not t.is_punct and not t.is_space]
        if words and words[0].lower_ == "and":   # "And third, …"
            words = words[1:]
        if not words or words[0].lower_ not in _ORDINALS or "\n\n" in doc[end - 1:end + 1].text:
            break
        node = following.root
        if is_speech(node):   # "Third, the children come home," she said.
            node = next((c for c in node.children if c.dep_ in ("ccomp", "parataxis")), node)
        items += [t for t in node.subtree if t.i != words[0].i and t.sent.start == following.start
                  and not (t.is_punct and t.text != ",") and not (t.dep_ == "advmod" and t.lower_ in _ORDINALS)]
        count, end = count + 1, following.end
    return items if count >= 2 else []


_ORDINALS = {"first", "firstly", "second", "secondly", "third", "thirdly", "fourth", "fourthly", "fifth", "finally",
             "lastly"}
_COUNTED_ITEMS = {"thing", "step", "point", "issue", "question", "element", "measure"}
_MAX_ENUMERATED = 6


def announcing_noun(node: Token) -> Token | None:
    """The noun that announces a list: "conditions", "the terms", "a series of conditions", or the object of a
    light verb ("meets a series of conditions")."""
    for _ in range(3):
        if lower_lemma(node) in LEXICON.list_nouns and (node.tag_ == "NNS" or lower_lemma(node) == "term"):
            return node
        if node.tag_ == "NNS" and lower_lemma(node) in _COUNTED_ITEMS and any(c.dep_ == "nummod" for c in node.children):
            return node   # "only if three things happen. First, …"
        if lower_lemma(node) in ("series", "set", "number", "list", "package", "range"):
            node = next((g for c in node.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), node)
            if lower_lemma(node) in LEXICON.list_nouns:
                return node
            return None
        obj = next((c for c in node.children if c.dep_ in ("dobj", "nsubjpass")), None) if node.pos_ == "VERB" else None
        if obj is None and node.pos_ == "VERB":   # "three things happen", "two steps are taken"
            obj = next((c for c in node.children if c.dep_ == "nsubj" and lower_lemma(c) in _COUNTED_ITEMS), None)
        if obj is None:
            return None
        node = obj
    return None


Side = tuple[list[Token], Token]   # the tokens that name a side, and the token they hang on


def subject_side(node: Token, skip: set[int]) -> Side:
    """X in the clause or phrase headed by `node`: what it does to what, or what happens; never its agent.

    A preposition gives its object, a noun its phrase; a verb's clause is read by the first of `_VERB_RULES`
    that applies, in order."""
    skip = skip | _condition_zones(node)
    if node.dep_ == "acl" and node.tag_ == "VBN" and node.head.pos_ in ("NOUN", "PROPN", "PRON") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in node.children) and lower_lemma(
            node.head) not in LEXICON.vague_subjects:   # "things related to Ukraine": what they are related to
        return subject_side(node.head, skip)   # "no deals made without Ukraine": the deals, not their making
    if node.dep_ == "prep" or node.pos_ == "ADP":   # "ready for talks": the preposition's object
        pobj = next((c for c in node.children if c.dep_ in ("pobj", "pcomp") and c.i not in skip), None)
        return subject_side(pobj, skip) if pobj is not None else ([], node)
    if node.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        complement = _complement(node) if lower_lemma(node) in LEXICON.light_nouns else None
        if complement is not None and complement.i not in skip:
            return subject_side(complement, skip)   # "the possibility of returning to it": the returning
        listed = []
        if node.dep_ in ("appos", "conj") and node.head.pos_ == "NOUN" and node.head.i < node.i:
            # "no negotiations, no lasting peace, without Ukraine": each noun of the list is conditioned
            listed = [node.head, *(c for c in node.head.children if c.dep_ in ("det", "amod", "compound"))]
        return sorted([*listed, *_sub(node, skip)], key=lambda t: t.i), node
    children = [c for c in node.children if c.i not in skip and not _behind_comma(node, c)]
    found = _empty_object(node, children, skip)
    if found is not None:
        return found
    empty = LEXICON.empty_objects.get(lower_lemma(node), ())
    children = [c for c in children if not (c.dep_ == "dobj" and lower_lemma(c) in empty)]
    for rule in _VERB_RULES:
        found = rule(node, children, skip)
        if found is not None:
            return found
    return [node], node


def _sub(t: Token, skip: set[int]) -> list[Token]:
    return [x for x in t.subtree if x.i not in skip]


def _particles(children: list[Token], adverbs: bool = True) -> list[Token]:
    """"sit down", "back off": the particles that belong to the verb."""
    return [p for p in children if p.dep_ == "prt" or (adverbs and p.dep_ == "advmod" and p.lower_ in _PARTICLES)]


def _empty_object(node: Token, children: list[Token], skip: set[int]) -> Side | None:
    """"elections can only take place after …", "it makes sense to allow Ukraine to hit back": what takes place,
    or what makes sense, is the subject or the complement."""
    empty = LEXICON.empty_objects.get(lower_lemma(node), ())
    if not any(c.dep_ == "dobj" and lower_lemma(c) in empty for c in children):
        return None
    clause = next((c for c in children if c.dep_ in ("xcomp", "ccomp", "csubj") and c.pos_ in ("VERB", "AUX")), None)
    if clause is not None:
        return subject_side(clause, skip)
    opened = _opened(node, children, skip)
    if opened is not None:   # "pave the way for Ukraine to receive …", "open the door to a summit"
        return subject_side(opened, skip)
    subject = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in _STAND_INS), None)
    return (_sub(subject, skip), subject) if subject is not None else None


def _opened(node: Token, children: list[Token], skip: set[int]) -> Token | None:
    """What an empty way or door leads to: its own clause ("the way for Ukraine to receive …") or the object of
    "to" / "for" / "towards" on the way or on the verb ("open the way to a summit")."""
    empty = next(c for c in children if c.dep_ == "dobj" and lower_lemma(c) in LEXICON.empty_objects[lower_lemma(node)])
    if lower_lemma(empty) not in ("way", "door"):
        return None
    for holder in (empty, node):
        for c in holder.children:
            if c.i in skip:
                continue
            if holder is empty and c.dep_ in ("relcl", "acl", "xcomp") and c.pos_ in ("VERB", "AUX"):
                return c
            if c.dep_ == "prep" and c.lower_ in ("to", "for", "towards", "toward"):
                pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp") and g.i not in skip), None)
                if pobj is not None:
                    return pobj
    return None


def _expletive(node: Token, children: list[Token], skip: set[int]) -> Side | None:
    """"there must be a ceasefire": the noun after the expletive."""
    if not any(c.dep_ == "expl" for c in children):
        return None
    noun = next((c for c in children if c.dep_ in ("attr", "nsubj", "dobj") and c.pos_ in ("NOUN", "PROPN")), None)
    return (_sub(noun, skip), noun) if noun is not None else None


def _caused(node: Token, children: list[Token], skip: set[int]) -> Side | None:
    """"allow girls to return to school": the returning."""
    if lower_lemma(node) not in LEXICON.causative_verbs:
        return None
    clause = next((c for c in children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")), None)
    return subject_side(clause, skip) if clause is not None else None


def _open_complement(node: Token, children: list[Token], skip: set[int]) -> Side | None:
    """"agree to hold talks", "be ready to negotiate": a verb without an object of its own reads its complement."""
    if any(c.dep_ == "dobj" and not is_person_like(c) for c in children):
        return None
    for c in children:
        if c.dep_ in ("xcomp", "acomp") and c.pos_ in ("VERB", "AUX", "ADJ") and c.lower_ not in ("able",):
            inner, head = subject_side(c, skip)
            if head.i != c.i or c.pos_ != "ADJ" or len(inner) > 1:
                return inner, head
    return None


def _accepted_object(node: Token, children: list[Token], skip: set[int]) -> Side | None:
    accepted = _accepted(node, children)
    return (_sub(accepted, skip), accepted) if accepted is not None else None


def _object(node: Token, children: list[Token], skip: set[int]) -> Side | None:
    """"start it", "do this": the pronoun stands for what the context names; else the verb and its object."""
    stand_in = next((c for c in children if c.dep_ == "dobj" and c.lower_ in _STAND_INS), None)
    if stand_in is not None:
        return [node, stand_in], stand_in
    obj = next((c for c in children if c.dep_ == "dobj" and not is_person_like(c)), None)
    return ([node, *_particles(children)] + _sub(obj, skip), node) if obj is not None else None


def _passive_subject(node: Token, children: list[Token], skip: set[int]) -> Side | None:
    """"sanctions are lifted": the verb and what it is done to (not "Kyiv is prepared for talks", a readiness the
    parser read as a passive: its prepositional object says what it is ready for)."""
    if is_readiness_word(node):
        return None
    subject = next((c for c in children if c.dep_ == "nsubjpass" and c.lower_ not in PRONOUNS), None)
    return ([node] + _sub(subject, skip), node) if subject is not None else None


def _thing_subject(node: Token, children: list[Token], skip: set[int]) -> Side | None:
    """"the fighting stops": a subject that is a thing, not a person or a role."""
    subject = next((c for c in children if c.dep_ in ("nsubj", "csubj") and _nominal(c) and not is_person_like(c)
                    and lower_lemma(c) not in LEXICON.role_nouns), None)
    return (_sub(subject, skip) + [node, *_particles(children)], subject) if subject is not None else None


def _prepositional(node: Token, children: list[Token], skip: set[int]) -> Side | None:
    """"withdraw from the four regions", "sit down with the Russians": the verb and its prepositional object."""
    holder = next((c for c in children if c.dep_ == "nsubj" and lower_lemma(c) in LEXICON.persistence_inverse_nouns),
                  None)
    held = _sub(holder, skip) if holder is not None else []   # "Ukrainian forces withdraw from …": X's forces
    for c in children:
        if c.dep_ == "prep" and lower_lemma(c) not in CONDITION_PREPS:
            pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None and pobj.lower_ in _STAND_INS:
                return [node, c, pobj], pobj
            if pobj is not None:
                return held + [node, *_particles(children, adverbs=False), c] + _sub(pobj, skip), node
    return None


def _person_objects(node: Token, children: list[Token], skip: set[int]) -> Side | None:
    """"persuade Ukraine": the verb and whom it acts on, when nothing else names what it does."""
    objects = [x for c in children if c.dep_ == "dobj" for x in _sub(c, skip)]
    if objects and lower_lemma(node) not in ("do", "be"):
        return [node, *objects, *_particles(children)], node
    return None


def _copula(node: Token, children: list[Token], skip: set[int]) -> Side | None:
    """"for that to be possible": what "that" stands for; "the goal is peace": the predicate."""
    if lower_lemma(node) != "be":
        return None
    pred = next((c for c in children if c.dep_ in ("acomp", "attr") and c.pos_ in ("ADJ", "NOUN")), None)
    pronoun = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("that", "this", "it")),
                   None)
    if pred is not None and pred.pos_ == "ADJ" and pronoun is not None:
        return [pronoun, node, pred], pronoun
    return (_sub(pred, skip), pred) if pred is not None else None


def _pronoun_subject(node: Token, children: list[Token], skip: set[int]) -> Side | None:
    """"it happens": the verb alone, hung on the pronoun the context resolves."""
    pronoun = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in PRONOUNS), None)
    return ([node], pronoun) if pronoun is not None else None


_VERB_RULES = (_expletive, _caused, _open_complement, _accepted_object, _object, _passive_subject, _thing_subject,
               _prepositional, _person_objects, _copula, _pronoun_subject)


def context_side(sent: Span, taken: list[Token], helpers: Iterable[Token]) -> list[Token]:
    """X from the rest of the sentence, when the shape names only Y ("ready for any format of talks, but there is
    one condition – Y"): the sentence without Y, the cue and the words of its attribution."""
    skip = {t.i for t in taken} | {t.i for t in helpers}
    clause = _coordinated_clause(taken)
    if clause is not None:   # "perhaps that could be economic partnerships, but we need to see a ceasefire first"
        kept = [t for t in clause.subtree if t.i not in skip and not t.is_punct and not is_actor(t)]
        if kept:
            return kept
    for t in sent:
        if is_speech(t) or lower_lemma(t) in LEXICON.reporting_verbs:
            skip |= {x.i for c in t.children if c.dep_ in ("nsubj", "nsubjpass") for x in c.subtree}
            skip.add(t.i)
    return [t for t in sent if t.i not in skip and not t.is_punct and not is_actor(t)]


def _coordinated_clause(taken: list[Token]) -> Token | None:
    """The clause the requirement's clause is coordinated with ("X, but Y must first …"), if any."""
    if not taken:
        return None
    ids = {t.i for t in taken}
    top = next((t for t in taken if t.head.i not in ids), None)
    node = top
    for _ in range(3):
        if node is None or node.head.i == node.i:
            return None
        if node.dep_ == "conj":
            return node.head
        if node.dep_ not in ("xcomp", "aux", "advmod"):
            return None
        node = node.head
    return None


def previous_clause(sent: Span) -> tuple[Token | None, list[Token]]:
    """The main clause of the sentence before ("Y. Only then can we talk about X"), without its attribution."""
    if sent.start == 0:
        return None, []
    previous = sentence_of(sent.doc[sent.start - 1])
    root = previous.root
    for _ in range(2):
        inner = next((c for c in root.children if c.dep_ in ("ccomp", "parataxis")), None)
        if is_speech(root) and inner is not None:
            root = inner
    return root, [t for t in root.subtree if not t.is_punct]


def _condition_zones(node: Token) -> set[int]:
    """Tokens of the clause's own conditioning phrases (until / without / if … clauses, however deep the parser
    hung them): never part of X."""
    zone: set[int] = set()
    for c in node.subtree:
        if c.i == node.i or c.i in zone:
            continue
        if c.dep_ == "mark" and c.head.i == node.i:
            continue   # the clause's own "before" / "until": the clause is X itself
        if c.lower_ in CONDITION_PREPS and c.dep_ in ("prep", "advmod", "mark", "conj"):
            zone.update(x.i for x in (c.subtree if c.dep_ != "mark" else c.head.subtree) if x.i != node.i)
        elif c.dep_ == "advcl" and c.head.i == node.i and any(g.dep_ == "mark" for g in c.children):
            zone.update(x.i for x in c.subtree)
    return zone


def _behind_comma(verb: Token, child: Token) -> bool:
    """A direct object after a comma is an apposition the parser hung on the verb ("talks could begin without a
    ceasefire, a marked change from …"): a real object never stands behind a comma."""
    if child.dep_ != "dobj" or child.i < verb.i:
        return False
    return any(t.text == "," for t in verb.doc[verb.i + 1:child.left_edge.i])


def _nominal(t: Token) -> bool:
    """A noun, or a noun the tagger took for a verb ("talks with Russia can begin": "talks" as VBZ)."""
    if t.pos_ in ("NOUN", "PROPN"):
        return True
    return t.pos_ == "VERB" and t.tag_ in ("VBZ", "NNS") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj") for c in t.children)


def _accepted(verb: Token, children: list[Token]) -> Token | None:
    """"agree to a new exchange", "return to the talks", "sign the accord": a verb of accepting or joining, said
    of someone, is about its object ("the truce would enter into force" is about the truce)."""
    if lower_lemma(verb) not in LEXICON.acceptance_verbs:
        return None
    subject = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and not (is_person_like(subject) or subject.lower_ in PRONOUNS):
        return None
    for c in children:
        if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN", "PRON") and not is_person_like(c):
            return c
    for c in children:
        if c.dep_ == "prep" and c.lower_ in ("to", "in", "on", "into", "for"):
            pobj = next((g for g in c.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN", "PRON")), None)
            if pobj is not None and not (is_person_like(pobj) and pobj.lower_ not in _STAND_INS):
                return pobj
    return None


def _complement(noun: Token) -> Token | None:
    """What a light noun stands for: "the idea of direct talks" → talks, "a call to reopen schools" → reopen,
    "in order for the next meeting to be substantive" → the meeting."""
    if lower_lemma(noun) == "order":
        purpose = next((g for c in noun.children if c.dep_ == "prep" and c.lower_ == "for"
                        for g in c.children if g.dep_ == "pobj"), None)
        if purpose is not None:
            return purpose
    for c in noun.children:
        if c.dep_ in ("acl", "ccomp", "xcomp", "relcl") and c.pos_ in ("VERB", "AUX") and any(
                (g.dep_ == "aux" and g.lower_ == "to") or (g.dep_ == "mark" and g.lower_ == "that") for g in c.children):
            return c
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "for", "on"):
            pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                return pobj
    return None
