"""The `positions` component: stated conditions, demands, refusals, offers and threats of watched actors.

Modules, one job each:

- bot.extract.shapes: the interpreter of the shape patterns (bot/extract/data/condition_patterns.yaml) →
  Candidates (bot.extract.candidate), with their two sides (bot.extract.sides) and the clause readings they ask
  for (bot.extract.clauses);
- bot.extract.discourse: the headline and datelines; bot.extract.attribution: whose position a clause is;
- bot.extract.naming: topic ids or the text's own words for subjects and requirements (bot.extract.topics);
- bot.extract.stance_model: the trained check that a sentence states a position of its speaker;
- bot.extract.side_model: the trained placement of a condition's two sides (which phrase is X, which Y);
- this module: the spaCy component that gates sentences, runs the above and builds `Position`s.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from spacy import __version__ as spacy_version
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import minibatch

from bot.extract.actors import actor_at
from bot.extract.attribution import Attribution, Voice
from bot.extract.candidate import Candidate
from bot.extract.clauses import is_hedged, is_negated, lower_lemma
from bot.extract.discourse import body_start, in_dateline
from bot.extract.disk_cache import cached, digest_of
from bot.extract.facts import Position, Requirement
from bot.extract.lexicon import LEXICON
from bot.extract.naming import Namer, listed_after, process_noun
from bot.extract.shapes import ShapeFinder
from bot.extract.side_model import SideModel
from bot.extract.stance_model import StanceModel, features
from bot.extract.topics import Lemmatize, TopicIndex

log = logging.getLogger(__name__)

_LASTING = {"continue", "continues", "remain", "remains", "persist", "persists", "last", "lasts", "still", "go", "goes",
            "on", "is", "are", "be"}
_SPEAKER_PRONOUNS = {"he", "she", "they", "we", "i"}
_SECONDARY = ("demand", "refusal", "offer")


@dataclass(frozen=True)
class Reading:
    """One shape found with a watched speaker: the candidate, its voice, the positions the rules name from it,
    and the text the trained check reads."""

    candidate: Candidate
    voice: Voice
    features: str
    positions: list[Position]
    in_headline: bool = False


class PositionExtractor:
    """Writes `doc._.positions`; topics come from config so a new topic needs no code change."""

    def __init__(self, nlp: Language, name: str, *, topics: list[dict[str, Any]], stance_model: str = "",
                 side_model: str = "off") -> None:
        self.name = name
        self.topics = TopicIndex(topics, lemmatize=_lemmatizer(nlp), idioms=sorted(LEXICON.topic_idioms))
        self.namer = Namer(self.topics)
        self.shapes = ShapeFinder(nlp.vocab)
        self.stance = StanceModel.load(stance_model)
        self.sides = SideModel.load(side_model)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """`__call__` for a stream of documents, with one run of the stance check per batch (its cost is mostly
        per call; each reading's score is its own, whatever else is in the batch)."""
        for batch in minibatch(docs, batch_size):
            found = [[r for r in self.readings(doc) if r.positions] for doc in batch]
            accepted = iter(self.stance.accepts_all([r.features for readings in found for r in readings]))
            for doc, readings in zip(batch, found):
                doc._.positions = assemble(readings, [next(accepted) for _ in readings])
                yield doc

    def readings(self, doc: Doc) -> Iterator[Reading]:
        """Every shape found in the body with a watched speaker: what the rules make of it, and what the trained
        check reads. (Training reads these too, so that it learns from exactly what the component sees.)"""
        attribution = Attribution(doc)
        start = body_start(doc)
        cues = self.shapes.cue_tokens(doc)
        for sent in doc.sents:
            starts = [doc[i] for i in cues[bisect_left(cues, sent.start):bisect_left(cues, sent.end)]]
            if not starts or not self._worth_reading(sent, attribution):
                continue
            try:
                found = self._sentence_readings(sent, self.shapes.find(sent, starts), attribution)
                yield from [replace(r, in_headline=True) if sent.end <= start else r for r in found]
            except Exception:  # one odd parse must not cost the document its other facts
                log.warning("position rules failed on a sentence of %s", doc._.document_id, exc_info=True,
                            extra={"action": "positions_sentence_failed"})

    def _worth_reading(self, sent: Span, attribution: Attribution) -> bool:
        """Cheap gate before the costly work (the sentence has a cue word): a watched actor, a quote or a pronoun
        that could make the sentence someone's statement."""
        if any(sent.start <= s.start < sent.end for s in sent.doc.spans.get("actors", ())):
            return True
        if any(q.start < sent.end and sent.start < q.end for q in attribution.quotes):
            return True
        return any(t.lower_ in _SPEAKER_PRONOUNS or lower_lemma(t) in LEXICON.role_nouns for t in sent)

    # -- per sentence --------------------------------------------------------------------------------------
    def _sentence_readings(self, sent: Span, candidates: list[Candidate], attribution: Attribution) -> Iterator[Reading]:
        candidates = [c for c in _preferred(candidates) if not in_dateline(sent.doc, c.predicate.i)]
        for cand in candidates:
            if attribution.is_recap(cand.predicate):
                continue
            voice = attribution.voice_of(cand.predicate)
            if cand.owner is not None:
                voice = self._owner_voice(cand, voice, attribution)
            if voice is None or not voice.actor or (cand.kind == "condition" and attribution.foretells(
                    _clause_of(cand), voice)):
                continue
            positions = list(self._positions(cand, voice, sent, attribution))
            if cand.kind == "condition" and positions and _if_clause(cand) and not any(
                    p.subject in self.topics.topic_ids for p in positions):
                about = attribution.consequence_subject(_clause_of(cand))
                if about is not None and not self.topics.find(list(about.subtree)):
                    continue   # "if there is a ceasefire, it will give Putin time to rearm": a warning, not a term
            yield Reading(cand, voice, features(cand, voice.actor, voice.via, sent), positions)

    @staticmethod
    def _owner_voice(cand: Candidate, teller: Voice | None, attribution: Attribution) -> Voice | None:
        """The position of the actor named as its owner, reported when someone else tells of it."""
        owner = attribution.resolve(cand.owner, strict=True) if cand.owner is not None else None
        if owner is None or not owner.actor:
            return None
        if cand.predicate.head.i != cand.predicate.i:
            teller = attribution.voice_of(cand.predicate.head)   # "Zelensky dismissed Putin's demand …"
        if teller is None or not teller.actor or teller.actor == owner.actor:
            return owner
        return Voice(owner.actor, owner.speaker, reported=True)

    def _positions(self, cand: Candidate, voice: Voice, sent: Span, attribution: Attribution) -> Iterator[Position]:
        if self.sides.enabled and cand.kind == "condition":
            cand = self.sides.place(cand, sent, self.topics, attribution.quote_of(cand.predicate) is not None,
                                    named=self._named_sides(cand, sent))
        required, required_head = _requirement_of(cand, sent)
        tag = {t.i for t in sent if attribution.in_speaker_tag(t)}   # "… — European Commissioner Kubilius"
        required = [t for t in required if t.i not in tag]
        requires_ids = {t.i for t in cand.requires} | {t.i for t in required}
        subject_tokens = [t for t in cand.subject if t.i not in requires_ids | tag]
        subjects = self.namer.subjects(subject_tokens, cand.subject_head, sent, avoid=requires_ids | tag)
        if cand.persisting and not (cand.ending and not self._has_end(subjects, cand.subject_head)):
            subjects = self._ended(subjects, cand.subject_head)
        requires = self.namer.requirements(required, required_head, sent, subjects,
                                           waived=cand.negated) if cand.requires else []
        negative = cand.requires_head is not None and is_negated(cand.requires_head)
        if cand.ending and cand.persisting and not set(subjects) - set(self.topics.topic_ids) and subjects == [
                self.topics.inverse(s, LEXICON.persistence_inverse) for s in subjects]:
            pass   # "the truce would hold as long as Hamas keeps releasing hostages": the truce requires the releases
        elif cand.ending:
            lasting = _subject_of(cand.requires_head)
            requires = [self._end_of(r, lasting) if not negative else self._present(r) for r in requires]
        elif cand.kind == "threat" and negative:
            # "if Iran does not make a deal, there will be bombing": what averts the threat is the deal
            requires = [Requirement(r.topic, "for", r.words) if r.direction == "against" else self._affirmed(r)
                        for r in requires]
        if cand.kind == "condition" and _refers_back(cand.requires_head):
            # "Ukraine would also have to renounce NATO membership. Once these conditions are met, …"
            requires = self._requirements_before(sent, subjects) or requires
        if not subjects or (cand.kind == "condition" and not requires) or _circumstantial(cand) or \
                _asks_nothing(cand):
            return
        if cand.topics_only and not (set(subjects) | {r.topic for r in requires}) <= set(self.topics.topic_ids):
            return
        quote = attribution.quote_of(cand.predicate)
        hypothetical = cand.hypothetical or any(t.lemma_.lower() in LEXICON.hypothetical_markers for t in sent)
        for subject in subjects:
            reqs = tuple(r for r in requires if r.topic != subject)
            if cand.kind == "condition" and not reqs:
                continue
            yield Position(
                actor=voice.actor, kind=cand.kind, subject=subject, requires=reqs, speaker=voice.speaker,
                negated=cand.negated, hedged=is_hedged(cand.predicate), hypothetical=hypothetical,
                reported=voice.reported, quote=quote.text.strip() if quote else "", sentence=sent.text.strip(),
            )

    def _requirements_before(self, sent: Span, subjects: list[str]) -> list[Requirement]:
        """The topics the two sentences before this one ask for (not in the headline): what "these conditions"
        stand for."""
        doc, found = sent.doc, list[Requirement]()
        end, start = sent.start, body_start(sent.doc)
        for _ in range(2):
            if end <= start:
                break
            before = doc[end - 1].sent
            named = self.namer.requirements(list(before), before.root, before, subjects)
            found = [r for r in named if r.topic in self.topics.topic_ids and r.topic not in subjects] + found
            end = before.start
        return found

    def _named_sides(self, cand: Candidate, sent: Span) -> set[str]:
        """The sides the rules name by a config topic: there the rules' reading stands."""
        named = set()
        requires_ids = {t.i for t in cand.requires}
        subjects = self.namer.subjects([t for t in cand.subject if t.i not in requires_ids], cand.subject_head, sent,
                                       avoid=requires_ids)
        if subjects and set(subjects) <= set(self.topics.topic_ids):
            named.add("subject")
        if "requirement" in self.sides.moves and cand.requires:
            reqs = self.namer.requirements(*_requirement_of(cand, sent), sent, subjects, waived=cand.negated)
            if reqs and {r.topic for r in reqs} <= set(self.topics.topic_ids):
                named.add("requirement")
        return named

    def _has_end(self, subjects: list[str], held: Token | None) -> bool:
        """Does the lasting thing have a topic for its end (sanctions → relief, troops → withdrawal)?"""
        return self._ended(subjects, held) != subjects

    def _ended(self, subjects: list[str], held: Token | None) -> list[str]:
        """"keep X until Y" conditions the end of X: sanctions → sanctions relief, troops → their withdrawal."""
        out = [self.topics.inverse(s, LEXICON.persistence_inverse) for s in subjects]
        if held is not None and held.pos_ in ("VERB", "AUX"):   # "keep its troops in Lebanon until …"
            held = next((c for dep in ("dobj", "nsubjpass", "nsubj") for c in held.children if c.dep_ == dep), held)
        inverse = LEXICON.persistence_inverse_nouns.get(held.lemma_.lower()) if held is not None else None
        if inverse is not None and inverse in self.topics.topic_ids:
            return [inverse]
        return out

    def _present(self, requirement: Requirement) -> Requirement:
        """"not X while it has not paid reparations", "not X when there is no ceasefire": what X waits for is Y
        there, a topic without the "no" that turned it against itself."""
        if requirement.direction == "against" and requirement.topic in self.topics.topic_ids:
            return Requirement(requirement.topic, "for", requirement.words)
        return self._affirmed(requirement)

    @staticmethod
    def _affirmed(requirement: Requirement) -> Requirement:
        """"not … while it has not paid reparations", "not support a government that does not respect rights":
        what is waited for is the clause without its "not"."""
        words = [w for w in requirement.topic.split() if w.lower() not in ("not", "n't", "no", "never", "does", "do")]
        return Requirement(" ".join(words) or requirement.topic, requirement.direction, requirement.words)

    def _end_of(self, requirement: Requirement, lasting: Token | None = None) -> Requirement:
        """"no X while Y lasts": what X waits for is the end of Y; "as long as Russian troops remain" is their
        withdrawal (what lasts is the clause's subject: "as long as Washington wages a war on Moscow" waits
        for no ceasefire)."""
        if requirement.topic in self.topics.topic_ids:
            inverse = LEXICON.persistence_inverse.get(requirement.topic) or LEXICON.persistence_inverse_nouns.get(
                requirement.topic)
            if inverse in self.topics.topic_ids:
                return Requirement(inverse, "for", requirement.words)
            return Requirement(requirement.topic, "against" if requirement.direction == "for" else "for",
                               requirement.words)
        words = [w for w in requirement.topic.split() if w.lower() not in _LASTING]
        held = LEXICON.persistence_inverse_nouns.get(lasting.lemma_.lower()) if lasting is not None else None
        if held is not None and held in self.topics.topic_ids:
            return Requirement(held, "for", requirement.words)   # "as long as Russian troops remain"
        return Requirement("end of " + " ".join(words), "for", requirement.words)


def assemble(readings: Sequence[Reading], accepted: Sequence[bool]) -> list[Position]:
    """The document's positions from the readings the stance check accepted (training's cross-validation
    assembles them the same way)."""
    found: dict[tuple[Any, ...], Position] = {}
    kept = [r for r, ok in zip(readings, accepted) if ok]
    # The headline counts where the body does not restate it: the body says it in full.
    told = {(p.actor, p.kind, p.subject) for r in kept if not r.in_headline for p in r.positions}
    for reading in kept:
        for position in reading.positions:
            if reading.in_headline and (position.actor, position.kind, position.subject) in told:
                continue
            # A negated and an affirmed condition of one subject stay apart ("does not depend on A; only B
            # would bring them home").
            key = (position.actor, position.kind, position.subject, position.sentence, position.negated)
            old = found.get(key)
            if old is not None:
                position = replace(old, requires=(*old.requires, *position.requires))
            found[key] = position
    return list(found.values())


def _refers_back(head: Token | None) -> bool:
    """Is the requirement "these conditions" (met, fulfilled), whose content an earlier sentence told?"""
    if head is None:
        return False
    if lower_lemma(head) in LEXICON.fulfilling_verbs:
        head = next((c for c in head.children if c.dep_ in ("nsubjpass", "dobj")), head)
    return lower_lemma(head) in LEXICON.list_nouns and any(
        c.dep_ == "det" and c.lower_ in ("these", "those", "such", "both") for c in head.children)


def _circumstantial(cand: Candidate) -> bool:
    """A condition of a schedule on a circumstance or a date, not on anyone's act ("Zelensky will travel on Friday
    if the security situation allows", "once both sides confirm the venue", "much depends on the coming weeks"):
    no position."""
    head = cand.requires_head
    if cand.kind != "condition" or head is None or any(actor_at(head.doc, t) for t in cand.requires):
        return False
    if cand.subject_head is not None and lower_lemma(cand.subject_head) in LEXICON.circumstance_subjects:
        return True   # "the duration of the talks will depend on their progress": how long, not whether
    lemmas = {lower_lemma(t) for t in cand.requires}
    if lower_lemma(head) in LEXICON.circumstance_verbs or lemmas & LEXICON.circumstance_nouns:
        return True
    words = [t for t in cand.requires if not (t.is_stop or t.is_punct or t.is_space)]
    # "depends on the coming weeks", "after a month we will sustain it": a time, not an act
    times = [t for t in words if t.ent_type_ in ("DATE", "TIME") or lower_lemma(t) in LEXICON.time_nouns]
    return bool(times) and all(t in times or (t.pos_ in ("ADJ", "NUM") and t is not head) for t in words)


def _asks_nothing(cand: Candidate) -> bool:
    """A demand for what any process takes ("the exchange requires coordinated work", "talks require patience")."""
    return cand.kind == "demand" and cand.subject_head is not None and process_noun(cand.subject_head)


def _if_clause(cand: Candidate) -> bool:
    """Is the requirement a plain "if" clause ("if there is a ceasefire, it will …"), not a requirement the
    subject itself states ("accession will require …", "only X will work") or one set with "only" ("the exchange
    will take place only once …", "only if …")?"""
    if cand.cue < 0:
        return False
    doc = cand.predicate.doc
    return doc[cand.cue].lower_ == "if" and not (cand.cue > 0 and doc[cand.cue - 1].lower_ == "only")


def _clause_of(cand: Candidate) -> Token:
    """The clause a condition is about: its X when X is a clause, else the clause the cue sits in."""
    subject = cand.subject_head
    return subject if subject is not None and subject.pos_ in ("VERB", "AUX") else cand.predicate


def _preferred(candidates: list[Candidate]) -> list[Candidate]:
    """Where shapes overlap, the condition says more: a demand, refusal or offer on a clause a condition is
    about, or inside what a condition requires, gives way; so does a condition that takes X from the context
    when another names its X, a threat read on a clause also read as a condition, and, of two shapes matched
    on one cue or reading one pair of phrases the other way round, the less specific."""
    candidates = [c for c in candidates if not any(
        len(o.nodes) > len(c.nodes) and _family(o) == _family(c)
        and ((len(o.nodes & c.nodes) >= 2 and (o.cue == c.cue or _cue_within(c, o))) or _reversed(o, c))
        for o in candidates)]
    read_as_condition = {(c.predicate.i, c.requires_head.i) for c in candidates
                         if c.kind == "condition" and c.requires_head is not None}
    candidates = [c for c in candidates if not (c.kind == "threat" and c.requires_head is not None
                                               and (c.predicate.i, c.requires_head.i) in read_as_condition)]
    conditions = [c for c in candidates if c.kind in ("condition", "threat") and c.requires]
    about = {c.predicate.i for c in conditions} | {c.subject_head.i for c in conditions if c.subject_head is not None}
    about_x = {c.subject_head.i for c in conditions if c.subject_head is not None}
    required = {t.i for c in conditions for t in c.requires}
    named = {c.requires_head.i for c in conditions if c.subject_head is not None and c.requires_head is not None}
    # what the text itself calls the condition ("demands Y as a precondition for X")
    asked = {c.requires_head.i for c in conditions if c.requires_head is not None and c.cue >= 0
             and lower_lemma(c.predicate.doc[c.cue]) in LEXICON.requirement_nouns}
    kept = []
    for cand in candidates:
        if cand.kind in _SECONDARY or (cand.kind == "threat" and not cand.requires):
            heads = ({cand.subject_head.i} if cand.subject_head is not None else set())
            heads |= {t.i for t in cand.predicate.children if t.dep_ in ("xcomp", "acomp")} | {cand.predicate.i}
            if heads & about_x or cand.predicate.i in required or (cand.kind != "demand" and heads & about):
                continue
            if cand.kind == "demand" and cand.subject_head is not None and cand.subject_head.i in asked:
                continue   # "demands Y as a precondition for X": the demand is the condition's requirement
        if cand.subject_head is None and cand.requires_head is not None and cand.requires_head.i in named:
            continue
        kept.append(cand)
    return kept


def _requirement_of(cand: Candidate, sent: Span) -> tuple[list[Token], Token | None]:
    """Y's words and head: the shape's, or the conditions the sentence lists after "including" when Y is meeting
    them ("conditions the country will need to meet …, including an end to its war")."""
    listed = listed_after(cand.requires_head, sent)
    return (list(listed.subtree), listed) if listed is not None else (list(cand.requires), cand.requires_head)


def _cue_within(one: Candidate, other: Candidate) -> bool:
    """"if Russia was serious about talks, a first step would be …": the if-clause's cue is a word of the longer
    shape cued by another word ("serious"); two cues alike ("without A and without B") are two readings."""
    doc = one.predicate.doc
    return one.cue >= 0 and other.cue >= 0 and one.cue in other.nodes and doc[one.cue].lower_ != doc[other.cue].lower_


def _reversed(one: Candidate, other: Candidate) -> bool:
    """Two readings of one pair of phrases with X and Y swapped ("insists on Y before X" read also as "Y before
    X"): they cannot both be right."""
    return (one.subject_head is not None and one.requires_head is not None
            and other.subject_head is not None and other.requires_head is not None
            and one.subject_head.i == other.requires_head.i and one.requires_head.i == other.subject_head.i)


def _subject_of(clause: Token | None) -> Token | None:
    """The subject of a clause (or the clause itself when it is a noun: "as long as the war")."""
    if clause is None or clause.pos_ in ("NOUN", "PROPN"):
        return clause
    return next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _family(cand: Candidate) -> str:
    return "conditional" if cand.kind in ("condition", "threat", "offer") and cand.requires_head is not None else cand.kind


def _lemmatizer(nlp: Language) -> Lemmatize:
    """Word forms (lowercase and lemma) of topic phrases, from the model's own tagger and lemmatizer, all
    phrases in one batch, kept on disk for the next start (they depend only on the phrases and the model)."""
    steps = [proc for name, proc in nlp.pipeline if name in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")]

    def parse(texts: Sequence[str]) -> list[list[set[str]]]:
        docs: Iterable[Doc] = [nlp.make_doc(text) for text in texts]
        try:
            for proc in steps:
                docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(doc) for doc in docs]
        except Exception:  # a model without these components: plain lowercase words
            return [[{t.lower_} for t in nlp.make_doc(text)] for text in texts]
        return [[{t.lower_, t.lemma_.lower()} for t in doc] for doc in docs]

    model = [f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}", spacy_version,
             *(name for name, _ in nlp.pipeline)]

    def forms(texts: Sequence[str]) -> list[list[set[str]]]:
        return cached("topic-forms", digest_of([*model, *texts]), lambda: parse(texts))

    return forms


@Language.factory("positions", default_config={"topics": [], "stance_model": "", "side_model": "off"})
def make_positions(nlp: Language, name: str, topics: list[dict[str, Any]], stance_model: str,
                   side_model: str) -> PositionExtractor:
    return PositionExtractor(nlp, name, topics=topics, stance_model=stance_model, side_model=side_model)
