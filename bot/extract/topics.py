"""Topic normalisation: subjects and requirements become config topic ids, else a normalised noun phrase."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span, Token

_SPLIT = re.compile(r"[\s\-]+")
# Dropped from a normalised phrase: they do not change what is meant.
_DROP_DEP = {"det", "predet", "poss", "punct", "case", "advmod", "aux", "auxpass", "neg", "nummod", "quantmod", "cc",
             "mark", "relcl", "acl", "appos", "nsubj", "nsubjpass", "expl"}
_DROP_LOWER = {"any", "all", "some", "such", "the", "a", "an", "this", "that", "these", "those", "its", "their",
               "our", "his", "her", "every", "each", "immediate", "complete", "full", "genuine", "real", "lasting",
               "durable", "possible", "potential", "future", "further", "concrete", "firm", "formal", "proposed",
               "meaningful", "serious", "even", "first"}


@dataclass(frozen=True)
class _Phrase:
    topic: str
    words: tuple[str, ...]


class TopicIndex:
    """Finds config topics in token sequences, matching each word on its lemma or its lowercase form."""

    def __init__(self, topics: Iterable[dict[str, Any]]) -> None:
        phrases: list[_Phrase] = []
        for topic in topics:
            for text in (*topic.get("lemmas", ()), *topic.get("phrases", ())):
                words = tuple(w for w in _SPLIT.split(text.lower()) if w)
                if words:
                    phrases.append(_Phrase(topic["id"], words))
        # Longest first, so "sanctions relief" wins over "sanctions".
        self._phrases = sorted(phrases, key=lambda p: -len(p.words))
        self.topic_ids = tuple(dict.fromkeys(t["id"] for t in topics))
        self.words = frozenset(w for p in phrases for w in p.words)

    def find(self, tokens: Sequence[Token]) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, topic) matches over the given tokens (indexes into `tokens`)."""
        toks = [t for t in tokens if not (t.is_punct and t.text == "-")]
        forms = [{t.lower_, t.lemma_.lower(), t.norm_.lower()} for t in toks]
        taken = [False] * len(toks)
        found: list[tuple[int, int, str]] = []
        for phrase in self._phrases:
            n = len(phrase.words)
            for i in range(len(toks) - n + 1):
                if any(taken[i:i + n]):
                    continue
                if all(phrase.words[k] in forms[i + k] for k in range(n)):
                    taken[i:i + n] = [True] * n
                    found.append((toks[i].i, toks[i + n - 1].i + 1, phrase.topic))
        return sorted(found)

    def topics_in(self, tokens: Sequence[Token]) -> list[str]:
        return list(dict.fromkeys(topic for _, _, topic in self.find(tokens)))

    def normalise(self, head: Token, within: Span | None = None, expand: bool = True) -> list[str]:
        """Topic ids named in the phrase headed by `head`, else its normalised noun phrase.

        Coordinated modifiers are distributed ("economic or diplomatic incentives" → "economic incentives",
        "diplomatic incentives") so each can meet its topic.
        """
        tokens = [t for t in head.subtree if within is None or (within.start <= t.i < within.end)]
        found = self.topics_in(tokens)
        if expand:
            for variant in _distributed(head):
                found.extend(self.topics_in(variant))
        if found:
            return list(dict.fromkeys(found))
        phrase = noun_phrase(head)
        return [phrase] if phrase else []


def _distributed(head: Token) -> list[list[Token]]:
    """For "economic or diplomatic incentives": [[economic, incentives], [diplomatic, incentives]]."""
    out: list[list[Token]] = []
    for child in head.children:
        if child.dep_ == "amod" and any(c.dep_ == "conj" for c in child.children):
            for mod in [child, *(c for c in child.children if c.dep_ == "conj")]:
                out.append([mod, head])
    return out


def noun_phrase(head: Token) -> str:
    """Lemmatised, lowercased phrase for `head`: determiners, possessives, clauses and filler words dropped."""
    keep: list[Token] = []

    def walk(tok: Token, depth: int) -> None:
        for child in tok.children:
            if child.dep_ in _DROP_DEP or child.dep_ == "conj" or child.lower_ in _DROP_LOWER:
                continue
            if child.dep_ == "prep" and depth > 0:
                continue
            if child.dep_ in ("prep", "pobj", "compound", "amod", "dobj", "pcomp", "nmod", "poss", "npadvmod", "xcomp",
                              "prt", "dative", "attr", "acomp", "oprd", "agent"):
                keep.append(child)
                walk(child, depth + (1 if child.dep_ == "pobj" else 0))

    keep.append(head)
    walk(head, 0)
    words = [t.lemma_.lower() if t.pos_ != "PROPN" else t.text.lower() for t in sorted(keep, key=lambda t: t.i)]
    words = [w for w in words if w.strip() and w not in _DROP_LOWER]
    return " ".join(words)
