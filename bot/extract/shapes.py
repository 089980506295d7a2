"""The shape interpreter: condition shapes are data (bot/extract/data/condition_patterns.yaml), spaCy
DependencyMatcher patterns whose nodes `cue`, `subject` and `requires` name the roles. This module loads them
into one matcher, checks each match against the readings the shape asks for (bot.extract.clauses.READINGS)
and turns it into a `Candidate` with its two sides (bot.extract.sides)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from bot.extract.candidate import Candidate
from bot.extract.facts import POSITION_KINDS, PositionKind
from bot.extract.depmatch import AnchoredMatcher
from bot.extract.lexicon import LEXICON
from bot.extract.clauses import (READINGS, is_hypothetical, is_persisting, is_punitive, is_speech, lower_lemma,
                                 refuses, says_no)
from bot.extract.sides import acted, context_side, previous_clause, requirement_side, spelt_out, subject_side
from bot.extract.disk_cache import cached, digest_of
from bot.extract.yaml_data import parse_yaml

ROLES = ("cue", "subject", "requires")
KINDS = ("condition", "conditional", "demand", "refusal", "offer", "threat")
_POSITION_KIND: dict[str, PositionKind] = {str(k): k for k in POSITION_KINDS}   # a shape's kind, once resolved


class ShapeError(ValueError):
    """A shape in the pattern file is malformed; the message names the shape and the field."""


@dataclass(frozen=True)
class Shape:
    """One family of wordings that state a position, and how to read a match of it."""

    id: str
    kind: str
    patterns: tuple[tuple[dict[str, Any], ...], ...]
    when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    unless: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    any: Mapping[str, tuple[str, ...]] = field(default_factory=dict)   # one of these readings, on any node
    waives: bool | str = False
    lasting: str | None = None
    owner: str | None = None
    requires_from: str | None = None
    topics_only: bool = False
    cue_in_subject: frozenset[str] = frozenset()
    order: tuple[tuple[str, str], ...] = ()
    listed: bool = False
    ends_requirement: bool = False
    requires_self: str | None = None

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "Shape":
        shape_id = str(data.get("id") or "")
        if not shape_id:
            raise ShapeError("a shape has no id")
        kind = data.get("kind")
        if kind not in KINDS:
            raise ShapeError(f"shape {shape_id}: kind must be one of {KINDS}, not {kind!r}")
        patterns = tuple(tuple(p) for p in data.get("patterns") or ())
        if not patterns:
            raise ShapeError(f"shape {shape_id}: no patterns")

        def readings(key: str) -> dict[str, tuple[str, ...]]:
            value = data.get(key) or {}
            out = {node: tuple(names) for node, names in value.items()}
            unknown = {n for names in out.values() for n in names} - READINGS.keys()
            if unknown:
                raise ShapeError(f"shape {shape_id}: {key} names unknown readings {sorted(unknown)}")
            return out

        for pattern in patterns:
            names = [node.get("RIGHT_ID") for node in pattern]
            if "cue" not in names and "requires" not in names:
                raise ShapeError(f"shape {shape_id}: a pattern has neither a cue nor a requires node")
        lasting = data.get("lasting")
        if lasting not in (None, "until", "while"):
            raise ShapeError(f"shape {shape_id}: lasting must be until or while, not {lasting!r}")
        return cls(shape_id, kind, patterns, readings("when"), readings("unless"), readings("any"),
                   data.get("waives", False), lasting, data.get("owner"), data.get("requires_from"),
                   bool(data.get("topics_only")), frozenset(data.get("cue_in_subject") or ()),
                   tuple((str(a), str(b)) for a, b in data.get("order") or ()), bool(data.get("listed")),
                   bool(data.get("ends_requirement")), data.get("requires_self"))


def load_shapes(text: str | None = None) -> list[Shape]:
    """The shapes of the pattern file shipped with the package (or of `text`)."""
    if text is None:   # the shipped file: parsed once, then read from the start-up cache
        shipped = resources.files("bot.extract").joinpath("data/condition_patterns.yaml").read_text(encoding="utf-8")
        data = cached("shapes", digest_of([shipped]), lambda: parse_yaml(shipped)) or {}
    else:
        data = parse_yaml(text) or {}
    every = data.get("every_shape") or {}
    return [Shape.parse(_with_unless(item, every.get("unless") or {})) for item in data.get("shapes") or ()]


def _with_unless(item: Mapping[str, Any], shared: Mapping[str, Any]) -> Mapping[str, Any]:
    """A shape's data with the readings every shape refuses added to its own `unless`."""
    if not shared:
        return item
    unless = {node: list(names) for node, names in (item.get("unless") or {}).items()}
    for node, names in shared.items():
        unless[node] = unless.get(node, []) + [n for n in names if n not in unless.get(node, [])]
    return {**item, "unless": unless}


class ShapeFinder:
    """All shapes, checked by spaCy's DependencyMatcher when loaded and matched from the words their patterns
    start from (bot.extract.depmatch); `find` gives the Candidates of a sentence."""

    def __init__(self, vocab: Vocab, shapes: Iterable[Shape] | None = None) -> None:
        self.shapes = list(shapes if shapes is not None else load_shapes())
        self.matcher = AnchoredMatcher()
        self._shapes: dict[str, Shape] = {}
        self._hashes: dict[int, Any] = {}
        check = DependencyMatcher(vocab, validate=True)
        for shape in self.shapes:
            for n, pattern in enumerate(shape.patterns):
                key = f"{shape.id}#{n}"
                try:
                    check.add(key, [list(pattern)])   # spaCy's own validation: a pattern it accepts
                    self.matcher.add(key, pattern)
                except Exception as exc:  # the message says which node is wrong
                    raise ShapeError(f"shape {shape.id}: pattern {n + 1}: {exc}") from exc
                self._shapes[key] = shape

    def anchor_words(self) -> frozenset[str]:
        """The words one of which a sentence must hold for any shape to match: each pattern's first node."""
        return frozenset(w.lower() for shape in self.shapes for pattern in shape.patterns for w in _anchors(pattern))

    def cue_tokens(self, doc: Doc) -> list[int]:
        """The indexes of the document's tokens that some pattern can start from, in one pass over its arrays."""
        hashes = self._hashes.get(id(doc.vocab))
        if hashes is None:
            words = self.matcher.words()
            self._hashes[id(doc.vocab)] = hashes = frozenset(doc.vocab.strings.add(w) for w in words)
        if not len(doc):
            return []
        # a set look-up per value (numpy isin sorted the whole array on every call)
        arrays = doc.to_array(["LOWER", "LEMMA", "ORTH"]).tolist()
        return [i for i, (lower, lemma, orth) in enumerate(arrays)
                if lower in hashes or lemma in hashes or orth in hashes]

    def find(self, sent: Span, starts: list[Token] | None = None) -> list[Candidate]:
        found: list[Candidate] = []
        seen: set[tuple[str, int, int, int]] = set()
        for key, names, token_ids in self.matcher(sent, starts):
            shape = self._shapes[key]
            nodes = {name: sent.doc[i] for name, i in zip(names, token_ids)}
            cand = read_match(shape, nodes, sent)
            if cand is None:
                continue
            ident = (cand.kind, cand.predicate.i, cand.subject_head.i if cand.subject_head is not None else -1,
                     cand.requires_head.i if cand.requires_head is not None else -1)
            if ident not in seen:
                seen.add(ident)
                found.append(cand)
        return found


def _anchors(pattern: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """The words a pattern's first node can be (empty: any word)."""
    attrs = next(iter(pattern)).get("RIGHT_ATTRS", {})
    words: set[str] = set()
    for key in ("LOWER", "LEMMA", "ORTH"):
        value = attrs.get(key)
        if isinstance(value, str):
            words.add(value.lower())
        elif isinstance(value, dict):
            words.update(str(v).lower() for v in value.get("IN", ()))
    return frozenset(words)


def _holds(shape: Shape, nodes: Mapping[str, Token]) -> bool:
    for first, second in shape.order:
        if first in nodes and second in nodes and nodes[first].i >= nodes[second].i:
            return False
    for node, names in shape.when.items():
        if node in nodes and not all(READINGS[n](nodes[node]) for n in names):
            return False
    if shape.any and not any(READINGS[n](nodes[node]) for node, names in shape.any.items() if node in nodes
                             for n in names):
        return False
    for node, names in shape.unless.items():
        if node in nodes and any(READINGS[n](nodes[node]) for n in names):
            return False
    return True


def read_match(shape: Shape, nodes: Mapping[str, Token], sent: Span) -> Candidate | None:
    """A Candidate from one match, or None when the shape's readings do not hold."""
    subject = nodes.get("subject")
    if subject is not None:
        subject = _reported_clause(_complement_after(subject, nodes.get("cue")), nodes)
        nodes = {**nodes, "subject": subject}
    if not _holds(shape, nodes):
        nearer = _nearer_conjunct(subject, nodes.get("cue"))
        if nearer is None or not _holds(shape, {**nodes, "subject": nearer}):
            return None
        subject = nearer   # "Russia wants peace and is ready for talks, provided Y": the clause beside the cue
        nodes = {**nodes, "subject": subject}
    requires = nodes.get("requires")
    cue = nodes.get("cue")
    if subject is not None and requires is not None and cue is not None:
        repaired = _adverb_cue(cue, requires, subject)
        if repaired is not None:   # "says elections will take place only once a ceasefire is secured"
            subject, requires = repaired
            nodes = {**nodes, "subject": subject, "requires": requires}
    if requires is None and shape.requires_self:
        requires = nodes.get(shape.requires_self)   # "will have to be earned": the earning itself
    kind = shape.kind
    if kind == "conditional":
        if subject is not None and is_punitive(subject) and not is_persisting(subject):
            kind = "threat"
        elif subject is not None and subject.lemma_.lower() in LEXICON.offer_verbs:
            kind = "offer"   # "Hamas offered to release … if Israel moves to the second phase"
        else:
            kind = "condition"
    persisting = ending = False
    if shape.lasting is not None and subject is not None:
        if says_no(subject) or refuses(subject):   # "rules out talks until …" is "no talks until …"
            ending = shape.lasting == "while"
        elif is_persisting(subject):
            persisting = True
            ending = shape.lasting == "while"
        else:
            return None
    negated = shape.waives is True or (shape.waives == "cue" and cue is not None and says_no(cue))
    ending = ending or shape.ends_requirement
    helpers = [t for name, t in nodes.items() if name not in ("subject", "requires")]
    req_tokens: list[Token] = []
    if requires is None and shape.requires_from == "previous_sentence":
        requires, req_tokens = previous_clause(sent)
        if requires is None:
            return None
    elif requires is not None and shape.requires_self:
        req_tokens = [requires]
    elif requires is not None:
        if shape.listed and not spelt_out(requires):
            return None
        req_tokens = requirement_side(requires, subject, helpers)
        requires = acted(requires) or requires
    if subject is None:
        subj_tokens, subject_head = context_side(sent, req_tokens, helpers), None
    else:
        subj_tokens, subject_head = subject_side(subject, {t.i for t in req_tokens} | {t.i for t in helpers})
        if cue is not None and cue.lemma_.lower() in shape.cue_in_subject:
            subj_tokens = sorted({*subj_tokens, cue}, key=lambda t: t.i)
            subject_head = cue   # "will not cede any territory": ceding territory, "support a government …"
    if not subj_tokens:
        return None
    predicate = min((t for t in nodes.values()), key=_depth)
    owner = nodes.get(shape.owner) if shape.owner else None
    return Candidate(_POSITION_KIND[kind], predicate, subj_tokens, req_tokens, subject_head, requires,
                     negated=negated, hypothetical=requires is not None and is_hypothetical(requires), persisting=persisting,
                     ending=ending, owner=owner, shape=shape.id, topics_only=shape.topics_only,
                     nodes=frozenset(t.i for t in nodes.values()), cue=cue.i if cue is not None else -1)


def _adverb_cue(cue: Token, clause: Token, speech: Token) -> tuple[Token, Token] | None:
    """"X will take place only once Y" parsed with "once" as an adverb of X's verb: the match reads X's clause as
    Y and the speech verb above it as X. Then X is that clause, and Y the first phrase after the cue (a clause
    coordinated after it joins Y as usual)."""
    if cue.dep_ != "advmod" or cue.head.i != clause.i or not is_speech(speech) or clause.dep_ != "ccomp":
        return None
    after = [t for t in clause.subtree if t.i > cue.i and not t.is_punct]
    ids = {t.i for t in after}
    roots = [t for t in after if t.head.i not in ids]
    if not roots or roots[0].pos_ not in ("VERB", "AUX", "NOUN"):
        return None
    return clause, roots[0]


def _complement_after(subject: Token, cue: Token | None) -> Token:
    """"we will pursue diplomacy if Russia is ready to …, it's serious": the parser hangs the if-clause on the
    complement clause after it; what the clause conditions is the verb before the cue that holds that complement
    (not a verb of speech: "he said if Y, X" conditions X)."""
    head = subject.head
    if cue is None or subject.dep_ != "ccomp" or not (head.i < cue.i < subject.i):
        return subject
    clause = cue.head   # the cue's own clause must be the one hung on the complement, before it
    if cue.dep_ not in ("mark", "advmod") or clause.dep_ != "advcl" or clause.head.i != subject.i:
        return subject
    if head.pos_ not in ("VERB", "AUX") or is_speech(head) or lower_lemma(head) in (
            LEXICON.reporting_verbs | LEXICON.mental_verbs | LEXICON.knowing_verbs):
        return subject
    return head


def _nearer_conjunct(subject: Token | None, cue: Token | None) -> Token | None:
    """The last clause joined to X by "and" before the cue, when the cue hangs on the first of them."""
    if subject is None or cue is None or subject.i > cue.i:
        return None
    joined = [c for c in subject.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX", "ADJ") and c.i < cue.i]
    return joined[-1] if joined else None


def _reported_clause(subject: Token, nodes: Mapping[str, Token]) -> Token:
    """"X, he said, if Y": the condition hangs on the speech verb, the conditioned clause is what was said.
    A coordinator or a punctuation mark the parser made the head gives way to its own head."""
    taken = {t.i for name, t in nodes.items() if name != "subject" for t in t.subtree}
    node = subject
    for _ in range(3):
        dangling = node.pos_ in ("CCONJ", "PUNCT") or (   # a preposition with an object is a phrase of its own
            node.pos_ == "ADP" and not any(c.dep_ in ("pobj", "pcomp") for c in node.children))
        if (dangling or node.dep_ == "npadvmod") and node.head.i != node.i:
            node = node.head   # "that very minute we will stop …": the clause, not its time
            continue
        if is_speech(node):
            inner = next((c for c in node.children if c.dep_ in ("ccomp", "parataxis", "xcomp", "conj")
                          and c.i not in taken and c.pos_ in ("VERB", "AUX", "ADJ")), None)
            if inner is not None:
                node = inner
                continue
            if node.dep_ in ("advcl", "conj") and node.head.i < node.i and node.head.i not in taken and \
                    node.head.pos_ in ("VERB", "AUX"):
                node = node.head   # "X only if Y, the Kremlin declared" parsed with the speech verb under X
                continue
        break
    return node


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth
