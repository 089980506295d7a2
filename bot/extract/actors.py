"""The actor ruler: marks every mention of a watched actor in `doc.spans["actors"]`.

A span's label is the actor id; its kb_id is the person's name for a person mention, else "". People count
only while they hold their role on `doc._.published` (dates from config).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from bot.config.actors import Person

SPAN_KEY = "actors"
OUT_OF_ROLE_KEY = "actors_out_of_role"   # people of the config who did not hold their role on the day
INSTITUTION_KEY = "actor_institutions"   # mentions of an actor's institution; kb_id is the institution's name
_INSTITUTION = "@"                         # a match key "us@State Department": an institution, not a person


def _variants(name: str) -> set[str]:
    """A name as written, and capitalised as at the start of a sentence ("the Kremlin" → "The Kremlin")."""
    return {name, name[:1].upper() + name[1:]}


class ActorRuler:
    """Phrase patterns built from config actors; no code change is needed to watch a new actor."""

    def __init__(self, nlp: Language, name: str, *, actors: list[dict[str, Any]]) -> None:
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._people: dict[str, list[tuple[str, Person]]] = {}
        for actor in actors:
            actor_id = actor["id"]
            own = [actor["name"], *actor.get("aliases", ()), *actor.get("demonyms", ())]
            names = sorted({v for n in own for v in _variants(n)})
            self.matcher.add(f"{actor_id}|", [nlp.make_doc(n) for n in names])
            for institution in actor.get("institutions", ()):
                forms = sorted(_variants(institution))
                self.matcher.add(f"{actor_id}{_INSTITUTION}{institution_name(institution)}",
                                 [nlp.make_doc(n) for n in forms])
            for raw in actor.get("people", ()):
                person = Person(**raw)
                key = f"{actor_id}|{person.name}"
                self._people.setdefault(key, []).append((actor_id, person))
                texts = sorted({v for n in (person.name, *person.aliases) for v in _variants(n)})
                self.matcher.add(key, [nlp.make_doc(t) for t in texts])

    def __call__(self, doc: Doc) -> Doc:
        published: dt.date | None = doc._.published
        spans: list[Span] = []
        out_of_role: list[Span] = []
        institutions: dict[tuple[int, int], str] = {}
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            if _INSTITUTION in key:
                actor_id, _, institution = key.partition(_INSTITUTION)
                institutions[start, end] = institution
                spans.append(Span(doc, start, end, label=actor_id))
                continue
            actor_id, _, person_name = key.partition("|")
            if person_name:
                holders = [p for _, p in self._people.get(key, []) if p.holds_role_on(published)]
                if not holders:
                    out_of_role.append(Span(doc, start, end, label=actor_id, kb_id=person_name))
                    continue
                spans.append(Span(doc, start, end, label=actor_id, kb_id=person_name))
            else:
                spans.append(Span(doc, start, end, label=actor_id))
        spans = filter_spans(spans)
        doc.spans[SPAN_KEY] = filter_spans(spans + self._short_names(doc, spans))
        doc.spans[OUT_OF_ROLE_KEY] = filter_spans(out_of_role)
        doc.spans[INSTITUTION_KEY] = [Span(doc, s.start, s.end, label=s.label_, kb_id=institutions[s.start, s.end])
                                      for s in doc.spans[SPAN_KEY] if (s.start, s.end) in institutions]
        return doc

    def _short_names(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A person the document names in full (or by surname) is also named by first name alone ("Kaja Kallas
        … Kaja said") and by a spelling of the surname one letter apart ("Kallas … Callas noted")."""
        named = {(s.label_, s.kb_id_) for s in spans if s.kb_id_}
        if not named:
            return []
        first: dict[str, set[tuple[str, str]]] = {}
        last: dict[str, tuple[str, str]] = {}
        for actor_id, person in named:
            words = person.split()
            if len(words) >= 2:
                first.setdefault(words[0], set()).add((actor_id, person))
                last[words[-1]] = (actor_id, person)
        taken = {i for s in spans for i in range(s.start, s.end)}
        out = []
        for token in doc:
            if token.i in taken or not token.is_title or token.pos_ not in ("PROPN", "NOUN"):
                continue
            if token.i + 1 < len(doc) and doc[token.i + 1].is_title and doc[token.i + 1].pos_ == "PROPN":
                continue   # part of a longer name ("Kaja Smith")
            owners = first.get(token.text, set()) if token.pos_ == "PROPN" else set()
            if len(owners) != 1 and len(token.text) >= 5:
                owners = {who for surname, who in last.items() if _one_letter_apart(token.text, surname)}
            if len(owners) == 1:
                actor_id, person = next(iter(owners))
                out.append(Span(doc, token.i, token.i + 1, label=actor_id, kb_id=person))
        return out


def _one_letter_apart(a: str, b: str) -> bool:
    """One letter replaced ("Callas" / "Kallas"), added or dropped ("Zelenskyy" / "Zelensky")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a.lower(), b.lower())) == 1
    short, long = sorted((a.lower(), b.lower()), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


@Language.factory("actor_ruler", default_config={"actors": []})
def make_actor_ruler(nlp: Language, name: str, actors: list[dict[str, Any]]) -> ActorRuler:
    return ActorRuler(nlp, name, actors=actors)


def actor_at(doc: Doc, token: Token) -> Span | None:
    """The actor mention covering a token, if any."""
    spans: Iterable[Span] = doc.spans.get(SPAN_KEY, ())
    for span in spans:
        if span.start <= token.i < span.end:
            return span
    return None


def institution_name(written: str) -> str:
    """An institution's name as a speaker: as the config writes it, without a leading article ("the Kremlin" →
    "Kremlin")."""
    return written[4:] if written[:4].lower() == "the " else written


def institution_of(doc: Doc, span: Span) -> str | None:
    """The name of the institution a mention of an actor names ("State Department"), None for its name or people."""
    return next((s.kb_id_ for s in doc.spans.get(INSTITUTION_KEY, ()) if (s.start, s.end) == (span.start, span.end)),
                None)


def out_of_role(doc: Doc, token: Token) -> bool:
    """Is the token part of the name of a configured person who did not hold their role on the day?"""
    return any(s.start <= token.i < s.end for s in doc.spans.get(OUT_OF_ROLE_KEY, ()))


def actors_in(doc: Doc, start: int, end: int) -> list[Span]:
    """Actor mentions inside [start, end)."""
    return [s for s in doc.spans.get(SPAN_KEY, ()) if start <= s.start and s.end <= end]
