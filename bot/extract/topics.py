"""Topic normalisation: subjects and requirements become config topic ids, else a normalised noun phrase."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Token

_SPLIT = re.compile(r"[\s\-]+")
# Dropped from a normalised phrase: they do not change what is meant.
_DROP_DEP = {"det", "predet", "poss", "punct", "case", "advmod", "aux", "auxpass", "neg", "nummod", "quantmod", "cc",
             "mark", "relcl", "acl", "appos", "nsubj", "nsubjpass", "expl"}
_DROP_LOWER = {"any", "all", "some", "such", "the", "a", "an", "this", "that", "these", "those", "its", "their",
               "our", "his", "her", "every", "each", "immediate", "complete", "full", "genuine", "real", "lasting",
               "durable", "possible", "potential", "future", "further", "concrete", "firm", "formal", "proposed",
               "meaningful", "serious", "even", "first", "more", "additional", "new", "fresh", "remaining", "latest",
               "current", "existing", "other"}


_CUE_COMPLEMENTS = {"contingent", "conditional", "dependent", "conditioned", "subject"}
_CLAUSE_PREPS = {"without", "until", "till", "unless", "before", "after", "if", "absent", "as", "regardless", "once"}


@dataclass(frozen=True)
class _Phrase:
    topic: str
    words: tuple[frozenset[str], ...]   # per word: its accepted forms (lowercase, lemma)
    against: bool = False               # the phrase names the topic renounced ("neutrality")


@dataclass(frozen=True)
class TopicMatch:
    """Where a topic is named: the doc indexes of its words, and whether the words name it renounced."""

    at: tuple[int, ...]
    topic: str
    against: bool = False


_FILLER = {"'s", "’s", "the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "his", "her", "all", "any",
           "every", "each", "some", "will", "would", "be", "is", "are", "was", "were", "been", "can", "could"}

Lemmatize = Callable[[Sequence[str]], list[list[set[str]]]]   # the word forms of each of many phrases


def _plain_forms(texts: Sequence[str]) -> list[list[set[str]]]:
    return [[{w} for w in _SPLIT.split(text.lower()) if w] for text in texts]


_OWN_WORDS = frozenset({"according"})   # words whose lemma is another word's: matched only as themselves


def _forms(t: Token) -> frozenset[str]:
    """A word's forms to match: lowercase, lemma, norm; for a capitalised word the tagger took for a name (a
    headline's "Negotiations", "Sanctions") also its plain singular. "According (to)" is no form of "accord".
    Kept per word, lemma, norm and part of speech (all they depend on): `find` asks for them many times."""
    key = (t.orth, t.lemma, t.norm, t.pos)
    forms = _FORMS.get(key)
    if forms is None:
        if len(_FORMS) >= _FORMS_KEPT:
            _FORMS.clear()
        forms = _FORMS[key] = _word_forms(t)
    return forms


_FORMS: dict[tuple[int, int, int, int], frozenset[str]] = {}
_FORMS_KEPT = 50_000   # words kept before the cache starts again (a few MB; it grows with the vocabulary)


def _word_forms(t: Token) -> frozenset[str]:
    if t.lower_ in _OWN_WORDS:
        return frozenset({t.lower_})
    forms = {t.lower_, t.lemma_.lower(), t.norm_.lower()}
    if t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_.endswith("s") and not t.lower_.endswith("ss"):
        forms.add(t.lower_[:-3] + "y" if t.lower_.endswith("ies") else t.lower_[:-1])
    return frozenset(forms)


# Modifiers that may stand between a phrase's words ("an end to the year-long war", "lifting of Western
# sanctions"): at most `_MAX_GAP` of them, each hanging on a later word of the phrase's span.
_GAP_DEPS = frozenset({"amod", "compound", "npadvmod", "nummod", "advmod", "nmod", "poss", "quantmod"})
_MAX_GAP = 3


def _span(words: Sequence[frozenset[str]], i: int, toks: Sequence[Token], forms: Sequence[frozenset[str]]) -> list[int] | None:
    """The positions in `toks` of a phrase's words when it starts at toks[i], in order, with up to `_MAX_GAP`
    modifiers between them, each hanging on a later token of the span; None when it does not match there."""
    hits, gaps, at = [i], list[Token](), i + 1
    for word in words[1:]:
        while at < len(toks) and not word & forms[at]:
            if len(gaps) == _MAX_GAP or toks[at].dep_ not in _GAP_DEPS:
                return None
            gaps.append(toks[at])
            at += 1
        if at >= len(toks):
            return None
        hits.append(at)
        at += 1
    last = toks[hits[-1]].i
    if any(not g.i < g.head.i <= last for g in gaps):
        return None
    return hits


class TopicIndex:
    """Finds config topics in token sequences, matching each word on its lemma or its lowercase form.

    Determiners and auxiliaries are ignored on both sides, so "end this war" also matches "an end to the war"
    only where the content words line up ("end war").
    """

    def __init__(self, topics: Iterable[dict[str, Any]], lemmatize: Lemmatize | None = None,
                 idioms: Iterable[str] = ()) -> None:
        topics = list(topics)
        lemmatize = lemmatize or _plain_forms
        named = [(topic["id"], text, against) for topic in topics
                 for text, against in [*((t, False) for t in (*topic.get("lemmas", ()), *topic.get("phrases", ()))),
                                       *((t, True) for t in topic.get("against", ()))]]
        # Idioms hold a topic's word without naming it ("a great deal of work"): its words, in the document
        # around a token, keep the token from naming a topic, whatever part of the phrase is being named.
        idioms = list(idioms)
        self._idioms = [tuple(frozenset(f) for f in words) for words in lemmatize(idioms)] if idioms else []
        self._idiom_words: dict[str, list[tuple[tuple[frozenset[str], ...], int]]] = {}   # form → (idiom, its place)
        for idiom in self._idioms:
            for k, word in enumerate(idiom):
                for form in word:
                    self._idiom_words.setdefault(form, []).append((idiom, k))
        phrases: list[_Phrase] = []
        for (topic_id, _text, against), words in zip(named, lemmatize([text for _, text, _ in named])):
            forms = [f for f in words if not f & _FILLER and not f <= {"-"}]
            if forms:
                phrases.append(_Phrase(topic_id, tuple(frozenset(f) for f in forms), against))
        # Longest first, so "sanctions relief" wins over "sanctions".
        self._phrases = sorted(phrases, key=lambda p: -len(p.words))
        # Phrases by the forms of their first word, so `find` only tries phrases that can start at a token.
        self._by_first: dict[str, list[int]] = {}
        for rank, phrase in enumerate(self._phrases):
            for form in phrase.words[0]:
                self._by_first.setdefault(form, []).append(rank)
        self.topic_ids = tuple(dict.fromkeys(t["id"] for t in topics))
        # "the deal" in a story that has named the grain deal is the grain deal: the words each topic goes by there
        self.called = {t["id"]: frozenset(w.lower() for w in t.get("called", ())) for t in topics if t.get("called")}

    def find(self, tokens: Sequence[Token]) -> list[TopicMatch]:
        """Non-overlapping matches over the given token sequence (in its order)."""
        toks = [t for t in tokens if not t.is_punct and t.lower_ not in _FILLER and not t.is_space
                and not (self._idioms and self._in_idiom(t))]
        forms = [_forms(t) for t in toks]
        # Every phrase that matches somewhere, then taken longest phrase first, leftmost first, without overlap.
        candidates: set[tuple[int, tuple[int, ...]]] = set()   # (phrase rank, positions of its words)
        for i, token_forms in enumerate(forms):
            for rank in {r for form in token_forms for r in self._by_first.get(form, ())}:
                span = _span(self._phrases[rank].words, i, toks, forms)
                if span is not None:
                    candidates.add((rank, tuple(span)))
        taken = [False] * len(toks)
        found: list[TopicMatch] = []
        for rank, hits in sorted(candidates):
            i, end = hits[0], hits[-1] + 1
            if any(taken[i:end]):
                continue
            taken[i:end] = [True] * (end - i)
            phrase = self._phrases[rank]
            found.append(TopicMatch(tuple(toks[k].i for k in hits), phrase.topic, phrase.against))
        return sorted(found, key=lambda m: m.at)

    def _in_idiom(self, token: Token) -> bool:
        doc = token.doc
        for words, k in {at for form in _forms(token) for at in self._idiom_words.get(form, ())}:
            start = token.i - k
            if 0 <= start and start + len(words) <= len(doc) and all(
                    words[j] & _forms(doc[start + j]) for j in range(len(words))):
                return True
        return False

    def topics_in(self, tokens: Sequence[Token]) -> list[str]:
        return list(dict.fromkeys(m.topic for m in self.find(tokens)))

    def inverse(self, topic: str, inverses: dict[str, str]) -> str:
        """"keep sanctions until Y" conditions the end of the sanctions: sanctions → sanctions_relief."""
        other = inverses.get(topic)
        return other if other is not None and other in self.topic_ids else topic


def surface(t: Token) -> str:
    """A word as the text writes it: names keep their capitals, other words are lowercased."""
    return t.text if t.pos_ == "PROPN" or t.ent_type_ in ("NORP", "GPE", "PERSON", "ORG") else t.lower_


def noun_phrase(head: Token) -> str:
    """The phrase of `head` in the text's own words: determiners, possessives, clauses and filler words dropped;
    a person's title gives way to the name beside it ("his Russian counterpart Vladimir Putin" → "Vladimir
    Putin")."""
    if head.ent_type_ != "PERSON":
        head = next((c for c in head.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), head)
    keep: list[Token] = []

    def walk(tok: Token, depth: int) -> None:
        for child in tok.children:
            if child.dep_ in _DROP_DEP or child.dep_ == "conj" or child.lower_ in _DROP_LOWER:
                continue
            if child.lower_ in _CLAUSE_PREPS:
                continue
            if child.dep_ == "prep" and depth > 0:
                continue
            if child.dep_ in ("prep", "pobj", "compound", "amod", "dobj", "pcomp", "nmod", "poss", "npadvmod", "xcomp",
                              "prt", "dative", "attr", "acomp", "oprd", "agent"):
                keep.append(child)
                walk(child, depth + (1 if child.dep_ == "pobj" else 0))

    keep.append(head)
    walk(head, 0)
    if head.lemma_.lower() in LIGHT_NOUNS:
        # "plans to deploy missiles in Europe": a light noun says little without its complement.
        for child in head.children:
            if child.dep_ in ("acl", "xcomp") and child.pos_ in ("VERB", "AUX"):
                keep.append(child)
                walk(child, 1)
    if head.like_num and head.ent_type_ == "MONEY":
        # "receive €2 billion": an amount of money is its figure ("more than" and the like dropped)
        keep.extend(c for c in head.lefts if c.pos_ in ("SYM", "NUM") and c not in keep)
        amount = {t.i for t in keep if t.i <= head.i and t.ent_type_ == "MONEY"}
    else:
        amount = set()
    keep = [t for t in keep if t.i in amount or not (t.like_num or t.pos_ == "SYM" or t.text == "%")]
    kept_ids = {t.i for t in keep}
    keep = [t for t in keep if not (t.dep_ == "prep" and not any(c.i in kept_ids for c in t.children))]
    words = [surface(t) for t in sorted(keep, key=lambda t: t.i)]
    words = [w for w in words if w.strip() and w.lower() not in _DROP_LOWER]
    return " ".join(words)


LIGHT_NOUNS = {"plan", "idea", "notion", "prospect", "possibility", "proposal", "decision", "intention", "attempt",
               "effort", "bid", "insistence", "demand", "call", "request"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "his", "her", "any", "all"}
_LIGHT_VERBS = {"be", "have", "do", "get", "make", "'s"}


_WHOLE_PRONOUNS = {"everything", "anything", "nothing"}   # "until everything is final"


def clause_phrase(verb: Token, with_subject: bool = True, is_actor: Callable[[Token], bool] = lambda t: False) -> str:
    """A clause as a short phrase of its own words: subject (unless a pronoun or an actor), verb, object or
    complement.

    "the review is complete" → "review complete"; "Russia stops bombing Ukrainian cities" → "Russia stops bombing
    Ukrainian cities"; "Iran has to dismantle its enrichment facilities" → "dismantle enrichment facilities".
    """
    parts: list[str] = []
    children = list(verb.children)
    subject = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass")), None)
    passive = subject is not None and subject.dep_ == "nsubjpass"
    if subject is not None and (subject.pos_ in ("NOUN", "PROPN", "ADJ") or subject.lower_ in _WHOLE_PRONOUNS) and (
            (with_subject and not is_actor(subject)) or passive):
        parts.append(noun_phrase(subject))   # the patient of a passive always: "Hezbollah is disarmed"
    lemma = verb.lemma_.lower()
    if lemma not in _LIGHT_VERBS or not any(c.dep_ in ("xcomp", "acomp", "attr", "dobj") for c in children):
        if lemma not in ("be",):
            parts.append(verb.lower_)
    for c in children:
        if c.lower_ in _CUE_COMPLEMENTS and c.dep_ in ("dobj", "attr", "oprd", "acomp", "advmod"):
            continue   # "ready to meet with Putin, contingent upon a truce": the cue, not part of the clause
        if c.dep_ in ("dobj", "attr", "oprd"):
            if c.pos_ != "PRON":
                parts.append(noun_phrase(c))
            else:
                # "all of its nuclear steps": the quantifier's noun
                of = next((g for g in c.children if g.dep_ == "prep"), None)
                noun = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
                if noun is not None:
                    parts.append(noun_phrase(noun))
            break
        if c.dep_ == "acomp":
            parts.append(c.lower_)
            break
        if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
            parts.append(clause_phrase(c, with_subject=False, is_actor=is_actor))
            break
        if c.dep_ == "prt":
            parts.append(c.lower_)
    else:
        prep = next((c for c in children if c.dep_ == "prep"), None)
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
        if pobj is not None and prep is not None:
            parts.append(f"{prep.lower_} {noun_phrase(pobj)}")
    words = " ".join(p for p in parts if p).split()
    return " ".join(w for w in words if w.lower() not in _DETERMINERS)
