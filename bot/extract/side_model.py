"""The trained placement of a condition's two sides: which phrase of the sentence is what is conditioned (X, the
SUBJECT side) and which is what it requires (Y, the REQUIREMENT side).

The shape patterns find the cue reliably; which phrase around it is X and which Y is where hand rules fit the
sentences they were written on. A small multinomial logistic regression scores every candidate phrase of the
sentence (noun-chunk heads and clause heads) as SUBJECT, REQUIREMENT or NEITHER from features of the parse: the
dependency path to the cue and to the phrases the rules chose, the side of the cue, the clause the phrase is in
(the cue's, the main clause, a quote), the cue's lemma and the shape, the head's POS, dependency and lemma,
the topic it names, whether it is an actor. The rules' own choice is a feature, so the model keeps it unless
the parse says otherwise strongly; it moves a side only when its best phrase clearly beats the rules' phrase.

Named features and their weights are plain JSON (bot/extract/data/side_model.json), written by `make train`
(bot.evaluation.side_training) with the digest of the examples it was trained on; numpy only at run time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy
from spacy.tokens import Span, Token

from bot.errors import ModelError
from bot.extract.candidate import Candidate
from bot.extract.clauses import CONDITION_PREPS, PRONOUNS, is_actor, is_person_like, lower_lemma
from bot.extract.sides import requirement_side, subject_side
from bot.extract.topics import TopicIndex

log = logging.getLogger(__name__)

CLASSES = ("neither", "subject", "requirement")
NEITHER, SUBJECT, REQUIREMENT = range(3)
DISABLED = ("off", "none", "false", "0")
_HEAD_POS = {"NOUN", "PROPN", "VERB"}
_NOT_HEADS = {"say", "tell", "add", "state", "note", "stress", "insist", "claim", "believe", "think"}
_MAX_PATH = 4


def default_path() -> Path:
    return Path(str(resources.files("bot.extract").joinpath("data/side_model.json")))


def phrase_heads(sent: Span, cand: Candidate) -> list[Token]:
    """The heads of the sentence's candidate phrases: noun-chunk heads and clause heads (not speech verbs, not
    pronouns, not the cue), and always the heads the rules chose."""
    cue = cand.cue
    heads = [t for t in sent if t.pos_ in _HEAD_POS and t.i != cue and lower_lemma(t) not in _NOT_HEADS
             and not (t.pos_ in ("NOUN", "PROPN") and t.dep_ == "compound")]
    for chosen in (cand.subject_head, cand.requires_head):
        if chosen is not None and sent.start <= chosen.i < sent.end and all(h.i != chosen.i for h in heads):
            heads.append(chosen)
    return sorted(heads, key=lambda t: t.i)


def phrase_tokens(head: Token) -> list[Token]:
    """The phrase's own short words: the head, its modifiers and compounds, a verb's particle and object, and
    the object of an "of" / "from" / "to" / "on" that completes the head."""
    out = [head]
    for child in head.children:
        if child.dep_ in ("compound", "amod", "nmod", "prt") or (child.dep_ == "poss" and child.lower_ not in PRONOUNS):
            out.append(child)
        elif child.dep_ in ("dobj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
            out.extend(c for c in child.children if c.dep_ in ("compound", "amod"))
            out.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("of", "from", "to", "on", "for", "in") \
                and child.lower_ not in CONDITION_PREPS:
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                out.extend([child, *(c for c in pobj.children if c.dep_ in ("compound", "amod")), pobj])
    return sorted({t.i: t for t in out}.values(), key=lambda t: t.i)


def _path(a: Token, b: Token) -> str:
    """The dependency path from a to b: up steps by a's relations, down steps by the relations reached."""
    if a.i == b.i:
        return "self"
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    ids_b = {t.i: n for n, t in enumerate(up_b)}
    common = next((n for n, t in enumerate(up_a) if t.i in ids_b), None)
    if common is None:
        return "none"
    down = ids_b[up_a[common].i]
    if common + down > _MAX_PATH:
        return f"long{min(common, 3)}_{min(down, 3)}"
    ups = [t.dep_ + "^" for t in up_a[:common]]
    downs = [t.dep_ + "v" for t in reversed(up_b[:down])]
    return "".join(ups + downs)


def _clause_of_cue(cue: Token) -> Token:
    return cue.head if cue.dep_ in ("mark", "advmod", "prep", "pobj", "aux", "neg") and cue.head.i != cue.i else cue


def _under(token: Token, node: Token) -> bool:
    return token.i == node.i or any(a.i == node.i for a in token.ancestors)


def phrase_features(head: Token, cand: Candidate, sent: Span, topics: TopicIndex, in_quote: bool) -> list[str]:
    """The named features of one candidate phrase for one matched shape."""
    doc = head.doc
    cue = doc[cand.cue] if cand.cue >= 0 else cand.predicate
    side = "before" if head.i < cue.i else "after"
    shape = cand.shape
    lemma = lower_lemma(head)
    feats = ["bias", f"shape={shape}", f"kind={cand.kind}", f"side={side}", f"shape_side={shape}|{side}",
             f"pos={head.pos_}", f"dep={head.dep_}", f"pos_dep={head.pos_}|{head.dep_}", f"lemma={lemma}",
             f"lemma_side={lemma}|{side}", f"dep_side={head.dep_}|{side}", f"cue={lower_lemma(cue)}",
             f"cue_side={lower_lemma(cue)}|{side}", f"tag={head.tag_}"]
    to_cue = _path(head, cue)
    feats += [f"path_cue={to_cue}", f"path_cue_shape={to_cue}|{shape}"]
    clause = _clause_of_cue(cue)
    in_cue_clause = _under(head, clause)
    feats.append(f"cue_clause={in_cue_clause}")
    feats.append(f"cue_clause_side={in_cue_clause}|{side}")
    root = sent.root
    main = not in_cue_clause and _under(head, root) and (clause.i == root.i or not _under(clause, head))
    feats.append(f"main_clause={main}")
    if in_quote:
        feats.append("in_quote")
    for name, chosen, tokens in (("rs", cand.subject_head, cand.subject), ("rr", cand.requires_head, cand.requires)):
        if chosen is None:
            feats.append(f"{name}=none")
            continue
        if chosen.i == head.i:
            feats += [f"{name}=head", f"{name}_shape={shape}"]
        elif any(t.i == head.i for t in tokens):
            feats.append(f"{name}=inside")
        path = _path(head, chosen)
        feats += [f"{name}_path={path}", f"{name}_path_pos={path}|{head.pos_}"]
    found = topics.find(phrase_tokens(head))
    own = [m for m in found if head.i in m.at]
    if own:
        feats += ["topic_head", f"topic_head_side={side}", *(f"topic={m.topic}" for m in own)]
    elif found:
        feats.append("topic_near")
    if is_actor(head):
        feats.append("actor")
    elif is_person_like(head):
        feats.append("person_like")
    if head.ent_type_:
        feats.append(f"ent={head.ent_type_}")
    negs = [c for c in head.children if c.dep_ == "neg" or c.lower_ in ("no", "without")]
    if negs:
        feats.append("negated")
    if head.pos_ == "VERB":
        objs = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
        feats.append(f"verb_obj={bool(objs)}")
    return feats


@dataclass(frozen=True)
class SideModel:
    """Weights of the trained placement (or none): scores phrases and moves a side where it clearly disagrees."""

    weights: dict[str, numpy.ndarray] | None = None
    threshold: float = 0.5
    margin: float = 0.2
    floor: float = 1.0     # the rules' side is unsure: none of its phrases scores above this
    digest: str = ""
    moves: tuple[str, ...] = ("subject", "requirement")   # the sides the model may move

    @classmethod
    def load(cls, path: str = "") -> "SideModel":
        """The model at `path`, the packaged one when `path` is empty, none when it is "off"."""
        if str(path).strip().lower() in DISABLED:
            return cls()
        where = Path(path) if path else default_path()
        if not where.is_file():
            if path:
                raise ModelError(f"no side model at {where} (run `make train`, or set it off)")
            log.warning("the packaged side model is missing; the rules place both sides",
                        extra={"action": "side_model_missing"})
            return cls()
        try:
            data = json.loads(where.read_text(encoding="utf-8"))
            return cls.from_data(data)
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"the side model at {where} cannot be read: {exc}") from exc

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "SideModel":
        if tuple(data["classes"]) != CLASSES:
            raise ValueError(f"classes must be {CLASSES}")
        weights = {str(k): numpy.asarray(v, dtype=float) for k, v in data["weights"].items()}
        return cls(weights, float(data.get("threshold", 0.5)), float(data.get("margin", 0.2)),
                   float(data.get("floor", 1.0)), str(data.get("digest", "")),
                   tuple(data.get("moves", ("subject", "requirement"))))

    @property
    def enabled(self) -> bool:
        return self.weights is not None

    def probabilities(self, rows: Sequence[Sequence[str]]) -> numpy.ndarray:
        """Per row of features: P(neither), P(subject), P(requirement)."""
        assert self.weights is not None
        zero = numpy.zeros(len(CLASSES))
        scores = numpy.array([sum((self.weights.get(f, zero) for f in row), zero) for row in rows]).reshape(-1, 3)
        scores -= scores.max(axis=1, keepdims=True)
        exp = numpy.exp(scores)
        probs: numpy.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return probs

    def place(self, cand: Candidate, sent: Span, topics: TopicIndex, in_quote: bool,
              named: Collection[str] = ()) -> Candidate:
        """The candidate with its subject and requirement heads where the model puts them: the rules' own where
        the rules name a topic for that side (`named`), where the model agrees or is unsure, or where moving
        would make the two sides overlap."""
        moves = [m for m in self.moves if m not in named]
        if self.weights is None or not moves or cand.kind != "condition" or cand.subject_head is None \
                or cand.requires_head is None:
            return cand
        heads = phrase_heads(sent, cand)
        if len(heads) < 2:
            return cand
        probs = self.probabilities([phrase_features(h, cand, sent, topics, in_quote) for h in heads])
        at = {h.i: n for n, h in enumerate(heads)}
        subject_head, requires_head = cand.subject_head, cand.requires_head
        cue = [sent.doc[cand.cue]] if cand.cue >= 0 else []
        new_requires = self._better(heads, probs, REQUIREMENT, cand.requires, at, avoid={t.i for t in cand.subject}) \
            if "requirement" in moves else None
        req_tokens = requirement_side(new_requires, subject_head, cue) if new_requires is not None else cand.requires
        new_subject = self._better(heads, probs, SUBJECT, cand.subject, at, avoid={t.i for t in req_tokens}) \
            if "subject" in moves else None
        if new_subject is None and new_requires is None:
            return cand
        if new_subject is not None:
            subj_tokens, subj_head = subject_side(new_subject, {t.i for t in req_tokens} | {t.i for t in cue})
        else:
            subj_tokens, subj_head = [t for t in cand.subject if t.i not in {x.i for x in req_tokens}], subject_head
        if not subj_tokens or not req_tokens:
            return cand
        return replace(cand, subject=subj_tokens, subject_head=subj_head, requires=req_tokens,
                       requires_head=new_requires or requires_head)

    def _better(self, heads: list[Token], probs: numpy.ndarray, side: int, chosen: Sequence[Token],
                at: dict[int, int], avoid: set[int]) -> Token | None:
        """The phrase the model prefers for `side` outside the rules' tokens for it, if it clearly does: a
        phrase inside them is already named by the rules' side."""
        order = [n for n in numpy.argsort(-probs[:, side], kind="stable") if heads[n].i not in avoid]
        if not order:
            return None
        best = int(order[0])
        inside = {t.i for t in chosen}
        if heads[best].i in inside or probs[best, side] < self.threshold:
            return None
        mine = max((probs[at[i], side] for i in inside if i in at), default=0.0)
        return heads[best] if probs[best, side] - mine >= self.margin and mine <= self.floor else None
