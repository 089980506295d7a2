"""Naming a candidate's two sides: config topic ids where the words name one, else a short phrase of the text's
own words (bot.extract.topics). A requirement also gets its direction ("drop its bid to join NATO" is NATO
membership *against*) and keeps its own words ("withdrawal from Donetsk, Luhansk, Zaporizhzhia and Kherson")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from bot.extract.clauses import (PRONOUNS, is_actor, is_negated, is_person_like, lower_lemma, negated_around,
                                 sentence_of)
from bot.extract.facts import Direction, Requirement
from bot.extract.discourse import headline
from bot.extract.lexicon import LEXICON
from bot.extract.sides import announcing_noun, ordinal_modifier
from bot.extract.topics import TopicIndex, TopicMatch, clause_phrase, noun_phrase, surface

PRECONDITIONS = "preconditions"
_NAME_SKIP_DEPS = {"det", "predet", "poss", "aux", "auxpass", "neg", "case", "mark", "cc", "punct", "expl"}
_NOISE_POS = {"CCONJ", "SCONJ", "ADP", "DET", "PRON", "PART", "PUNCT", "AUX", "INTJ", "NUM", "SYM"}
_FUNCTION_WORDS = {"but", "and", "or", "so", "if", "then", "only", "also", "even", "just", "not", "no", "yes", "as",
                   "which", "who", "what", "there", "here", "now", "be", "do", "have", "say", "tell", "is", "are"}
_LIGHT_REQUIREMENT_VERBS = {"include", "involve", "contain", "entail", "see", "meet", "fulfil", "fulfill", "ensure", "do"}
_MAX_WORDS = 14
_COLLECTIVES = {"series", "set", "number", "list", "package", "range"}
_VAGUE_ABOUT = {"future", "issue", "matter", "question", "term", "terms", "basis", "subject", "it", "this", "ukraine"}
_MAX_PHRASE_WORDS = 9
_PHRASE_SKIP_POS = {"DET", "CCONJ", "AUX", "INTJ", "SYM", "X"}
_PHRASE_SKIP_WORDS = {"it", "they", "them", "he", "she", "we", "i", "you", "this", "these", "those", "there", "if", "unless", "until", "once", "provided", "providing", "when", "whenever", "while",
                      "only", "first", "also", "even", "then", "really", "truly", "fully", "immediately", "'s", "’s",
                      "to", "that", "which", "who", "its", "their", "his", "her", "our", "my", "your", "all", "any",
                      "some", "such", "certain", "very", "just", "again", "still"}
_STAND_INS = {"it", "this", "that", "them", "these", "those", "so", "nothing", "anything", "everything", "they",
              "which", "what", "one"}


def _own_phrase(head: Token, avoid: set[int]) -> list[Token]:
    """The head and what it governs in its own clause: not its clauses, conjuncts or the other side's words."""
    out, stack = [], [head]
    while stack:
        token = stack.pop()
        if token.i in avoid:
            continue
        out.append(token)
        stack.extend(c for c in token.children if c.dep_ not in ("advcl", "ccomp", "conj", "cc", "mark", "relcl",
                                                                  "nsubj", "nsubjpass", "aux", "neg", "punct"))
    return sorted(out, key=lambda t: t.i)


class Namer:
    """Names for the tokens of a subject or a requirement, from the config's topics."""

    def __init__(self, topics: TopicIndex) -> None:
        self.topics = topics

    # -- subjects ---------------------------------------------------------------------------------------------
    def subjects(self, tokens: Sequence[Token], head: Token | None, sent: Span, avoid: set[int]) -> list[str]:
        """What is conditioned, demanded, refused, offered or threatened: topic ids, else the head's phrase.

        Without a head (a shape that names only the requirement) or with a pronoun head, only a topic named
        elsewhere in the sentence or the one before will do."""
        head = _reason_to(head)
        antecedent = _relative_antecedent(head)
        if antecedent is not None:   # "a return to the deal, which could happen tomorrow if …"
            relative = {x.i for x in (head.head if head.dep_ != "relcl" else head).subtree} if head is not None else set()
            return self.subjects([x for x in antecedent.subtree if x.i not in relative], antecedent, sent, avoid)
        content = _content(tokens)
        vague = head is not None and lower_lemma(head) in LEXICON.vague_subjects and not any(
            c.dep_ in ("prep", "compound", "amod") for c in head.children)
        vague = vague or (head is not None and head.pos_ == "PROPN" and is_actor(head))   # "a condition for Moscow"
        vague = vague or (head is not None and lower_lemma(head) in LEXICON.placeholder_subjects and head.pos_ == "NOUN"
                          and not any(c.dep_ == "prep" for c in head.children))
        if head is None or vague or head.lower_ in _STAND_INS or (head.pos_ in ("VERB", "AUX") and _elliptical(head)):
            found = [m.topic for m in self.matches(content, head)] or self.context(
                sent, avoid | {t.i for t in tokens}, nouns=head is not None)
            return list(dict.fromkeys(found))[:1] if head is None else list(dict.fromkeys(found))
        if _lone_verb(head, avoid) and not self.matches(content, head):
            # what they are ready to take part in is what the sentence, the ones before or the headline name
            found = self.context(sent, avoid | {t.i for t in tokens})[:1]
            if found:
                return found
        named = [(m, qualified(m, head.doc)) for m in self.matches(content, head)]
        if any(q is None for _, q in named):   # "a landmark deal allowing grain exports": the grain deal alone
            named = [(m, q) for m, q in named if q is None]
        found = [q or m.topic for m, q in named]
        if not found and any(t.lower_ in _STAND_INS and t.dep_ in ("pobj", "dobj") for t in tokens):
            # "the possibility of returning to it": what "it" stands for, named in the sentences before
            found = self.context(sent, avoid | {t.i for t in tokens})[:1]
        if not found:
            if head.pos_ == "VERB" and lower_lemma(head) in LEXICON.offer_verbs | LEXICON.demand_verbs | \
                    LEXICON.refusal_verbs and not any(c.dep_ == "prt" for c in head.children):
                obj = next((c for c in head.children if c.dep_ == "dobj"), None)
                found = [noun_phrase(obj)] if obj is not None else []
            else:
                # the words the phrase would print may name a topic the shape's head alone does not ("become a
                # member of NATO"): the topic, as it would be for the phrase written out
                written = [m.topic for m in self.matches(_content(_own_phrase(head, avoid)), head)]
                found = written[:1] or [self.phrase(head, role="subject")]
        found = [n for n in dict.fromkeys(found) if n and not _noise(n, head)]
        if not found:
            found = self.context(sent, avoid | {t.i for t in tokens})[:1]
        return found

    # -- requirements -------------------------------------------------------------------------------------------
    def requirements(self, tokens: Sequence[Token], head: Token | None, sent: Span,
                     subjects: Sequence[str] = (), waived: bool = False) -> list[Requirement]:
        """What the subject requires, part by part ("after the war ends and martial law is lifted" is two).
        A part that would name one of the subjects' own topics is named by its words instead ("any deal is
        subject to Ukrainian agreement"). Conditions themselves are "preconditions" only when waived ("without
        preconditions", "no conditions"); "once it meets all conditions" is named by its words."""
        if head is None:
            return []
        head = _light_verb_object(head)
        out: list[Requirement] = []
        for part, part_head in conjunct_parts(list(tokens), head):
            out.extend(self._requirement(part, part_head, sent, set(subjects), waived))
        return list({r.label: r for r in out}.values())

    def _requirement(self, part: list[Token], head: Token, sent: Span, subjects: set[str],
                     waived: bool = False) -> list[Requirement]:
        words = _words(part)
        if (lower_lemma(head) in LEXICON.no_condition_objects and (waived or negated_around(head))) or any(
                lower_lemma(t) in LEXICON.unconditional_words for t in part if t.i == head.i):
            return [Requirement(PRECONDITIONS, "for", words)]
        content = _content(part)
        if lower_lemma(head) in LEXICON.vacuous_requirements or head.lower_ in LEXICON.vacuous_requirements:
            return []   # "it depends on many factors"
        if head.lower_ in LEXICON.duration_words and not any(
                c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in head.children):
            return []   # "for as long as needed"
        if process_noun(head):
            return []   # "the exchange requires coordinated work by all state bodies"
        if _elided(head):
            return []   # "measures the president can take if he has to", "if need be": what is required is unsaid
        if lower_lemma(head) in LEXICON.list_nouns and all(
                t.i == head.i or t.pos_ in ("DET", "NUM", "ADJ", "PRON", "PUNCT", "ADP", "SPACE") for t in part):
            return []   # "only under one condition", "certain conditions": the condition is spelt out elsewhere
        all_matches = self.matches(content, head)
        if any(m.topic in subjects for m in all_matches) and _only_topic_words(content, all_matches):
            return []   # "no deal until there's a deal": a tautology requires nothing
        matches = [m for m in all_matches if _names_part(m, head) and m.topic not in subjects
                   and qualified(m, head.doc) is None]
        if matches:
            inside = {t.i for t in part}
            return [Requirement(m.topic, _direction(m, inside, part), words) for m in matches]
        if head.lower_ in _STAND_INS or (head.pos_ in ("VERB", "AUX") and _elliptical(head)):
            found = [f for f in self.context(sent, {t.i for t in part}, elliptical=head.pos_ in ("VERB", "AUX"))
                     if f not in subjects]
            return [Requirement(found[0], "for", words)] if found else []
        phrase = content_phrase(part)
        return [Requirement(phrase, "for", words)] if phrase and phrase.lower() not in PRONOUNS else []

    # -- shared -----------------------------------------------------------------------------------------------
    @staticmethod
    def phrase(head: Token, role: str) -> str:
        if head.pos_ in ("VERB", "AUX"):
            passive = any(c.dep_ == "nsubjpass" for c in head.children)
            return clause_phrase(head, with_subject=(role == "requires" or passive), is_actor=is_actor)
        return noun_phrase(head)

    def matches(self, content: list[Token], head: Token | None) -> list[TopicMatch]:
        """Topics in the tokens read in order, verb first ("the war ends" → "end war"), without modifiers
        ("easing of U.S. sanctions"), with particles ("pulls its troops out") and with coordinated modifiers
        distributed ("economic or diplomatic incentives"). A topic named only by a verb gives way to topics
        named by its object; a match inside a longer one gives way."""
        verbs = [t for t in content if t.pos_ in ("VERB", "AUX")]
        others = [t for t in content if t.pos_ not in ("VERB", "AUX")]
        no_mods = [t for t in content if t.dep_ not in ("amod", "advmod", "nummod", "quantmod")]
        bare = [t for t in no_mods if not (t.dep_ in ("compound", "nmod", "poss") and t.head.pos_ in ("NOUN", "PROPN")
                                           and t.head.i != (head.i if head is not None else -1))]
        particles = [t for t in content if t.dep_ == "prt" or (t.dep_ == "prep" and t.lower_ in ("out", "back", "off"))]
        phrasal = [x for v in verbs for x in (v, *(p for p in particles if p.head.i == v.i))] + [
            t for t in others if t not in particles]
        found = [*self.topics.find(content), *self.topics.find(verbs + others), *self.topics.find(no_mods),
                 *self.topics.find(bare), *self.topics.find(phrasal)]
        inside = {t.i for t in content}
        for verb in verbs:   # a verb with its object's head: "Western sanctions on its bank were lifted"
            for obj in verb.children:
                if obj.dep_ in ("dobj", "nsubjpass") and obj.i in inside and obj.lower_ not in ("them", "it"):
                    compounds = [c for c in obj.children if c.dep_ == "compound"]
                    found.extend(self.topics.find([verb, *compounds, obj]))
        if head is not None:
            for variant in _distributed(head):
                found.extend(self.topics.find(variant))
        if found:
            # A generic topic word that only modifies another noun ("peace discussions", "a negotiated
            # settlement") names a kind of that noun, not a topic of its own.
            doc = head.doc if head is not None else content[0].doc
            found = [m for m in found if not all(doc[i].dep_ in ("compound", "amod") and doc[i].head.i not in m.at
                                                 and _generic(doc[i]) for i in m.at)]
        if head is not None and head.pos_ == "NOUN" and any(head.i in m.at for m in found):
            # "discussions on sanctions relief" are about sanctions relief: the topic talked about names them.
            about = {x.i for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "about", "over")
                     for x in c.subtree}
            if any(set(m.at) <= about for m in found) and lower_lemma(head) in LEXICON.generic_topic_words:
                found = [m for m in found if set(m.at) <= about]
        verb_ids = {t.i for t in verbs}
        nominal = [m for m in found if not set(m.at) <= verb_ids]
        chosen = nominal or found
        kept: dict[str, TopicMatch] = {}
        for m in chosen:
            if any(set(m.at) < set(o.at) for o in chosen):
                continue
            kept.setdefault(m.topic, m)
        story = head.doc if head is not None else content[0].doc if content else None
        return sorted((self._as_story_calls_it(m, story) for m in kept.values()), key=lambda m: m.at)

    def _as_story_calls_it(self, match: TopicMatch, doc: Doc | None) -> TopicMatch:
        """"the deal" after the story has named the grain deal is the grain deal, not a peace agreement."""
        if doc is None or len(match.at) != 1 or not self.topics.called:
            return match
        word = doc[match.at[0]]
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in word.children):
            return match
        named = [topic for topic, words in self.topics.called.items()
                 if topic != match.topic and lower_lemma(word) in words]
        if not named:
            return match
        before = sentence_of(word).start
        earlier = {m.topic for m in self.topics.find(list(word.doc[:before]))}
        story = next((topic for topic in named if topic in earlier), None)
        return replace(match, topic=story) if story is not None else match

    def context(self, sent: Span, exclude: set[int], elliptical: bool = False, nouns: bool = False) -> list[str]:
        """For "it" / "that" / "if they do not": a topic of the sentence, or of the two before; with `nouns`,
        else the sentence's first noun that is nobody's name; for an elliptical clause, the sentence before."""
        doc = sent.doc
        if elliptical:
            if sent.start == 0:
                return []
            node = sentence_of(doc[sent.start - 1]).root
            for _ in range(2):
                inner = next((c for c in node.children if c.dep_ in ("ccomp", "xcomp")), None)
                if lower_lemma(node) in LEXICON.speech_verbs and inner is not None:
                    node = inner
            found = [m.topic for m in self.matches([t for t in node.subtree if not t.is_punct], node)]
            phrase = clause_phrase(node, with_subject=False, is_actor=is_actor)
            # every topic of that clause, then its words: the caller takes the first its subject is not
            return found + [phrase] if phrase else found
        here = [m.topic for m in self.matches(
            [t for t in sent if t.i not in exclude and not _attribution_word(t) and not t.is_punct], None)]
        if here:
            return here[:1]
        start = sent.start
        for _ in range(2):
            if start == 0:
                break
            prev = sentence_of(doc[start - 1])
            found = [m.topic for m in self.matches([t for t in prev if not t.is_punct], None)]
            if found:
                return found[-1:]
            start = prev.start
        title = headline(doc)
        if title is not None and sent.start >= title.end:   # what the story is about
            found = [m.topic for m in self.matches([t for t in title if not t.is_punct], None)]
            if found:
                return found[:1]
        if nouns:
            noun = next((t for t in sent if t.i not in exclude and t.pos_ == "NOUN" and not is_actor(t)
                         and lower_lemma(t) not in LEXICON.role_nouns and not _attribution_word(t)
                         and t.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj")), None)
            return [noun_phrase(noun)] if noun is not None else []
        return []


def qualified(match: TopicMatch, doc: Doc) -> str | None:
    """Talks or deals of a kind of their own are named by their words, not by the generic topic: "security
    talks", "dialogue on strategic stability", "a deal from Istanbul", "talk to Putin" (not "peace talks with
    Russia", which are the topic). Returns the phrase, or None when the topic is the right name."""
    if len(match.at) > 1:
        return None
    word = doc[match.at[0]]
    if lower_lemma(word) not in LEXICON.generic_topic_words and word.lower_ not in LEXICON.generic_topic_words:
        return None
    if word.pos_ in ("VERB", "AUX"):
        # "talk to Putin", "meet with Zelensky": talks with a named leader are that leader's talks
        person = next((g for c in word.children if c.dep_ == "prep" and c.lower_ in ("to", "with")
                       for g in c.children if g.dep_ == "pobj" and g.ent_type_ == "PERSON"), None)
        return f"{word.lower_} {word.doc[person.left_edge.i:person.i + 1].text}".replace(" Mr.", "") \
            if person is not None else None
    for child in word.children:
        if child.dep_ in ("compound", "amod", "nmod") and child.i not in match.at and (
                child.pos_ in ("NOUN", "PROPN") or child.ent_type_ == "PERSON") and (
                not is_actor(child) or _person(child)) and not _generic(child):
            return noun_phrase(word)   # "security talks", "Putin-Biden talks" (not "peace discussions")
        if child.dep_ == "prep" and child.lower_ in ("with", "between") and any(
                g.dep_ == "pobj" and _person(g) for g in child.children):
            return noun_phrase(word)   # "talks with Putin": the leaders' own talks
        if child.dep_ == "prep" and child.lower_ in ("on", "about", "over", "from") and any(
                g.dep_ == "pobj" and g.lower_ not in _STAND_INS and lower_lemma(g) not in _VAGUE_ABOUT
                and lower_lemma(g) not in LEXICON.list_nouns   # "a peace on four conditions" is the peace
                and not is_actor(g) and not _generic(g) for g in child.children):
            return noun_phrase(word)
    return None


def _person(t: Token) -> bool:
    """A person's name (not a country or an office the tagger took for one: "Kyiv", "the Kremlin")."""
    if t.ent_type_ != "PERSON":
        return False
    return all(s.kb_id_ for s in t.doc.spans.get("actors", ()) if s.start <= t.i < s.end)


def _generic(t: Token) -> bool:
    return lower_lemma(t) in LEXICON.generic_topic_words or t.lower_ in LEXICON.generic_topic_words


def _only_topic_words(content: list[Token], matches: list[TopicMatch]) -> bool:
    named = {i for m in matches for i in m.at}
    rest = [t for t in content if t.i not in named and t.pos_ not in ("AUX", "PRON", "DET", "ADP", "PART", "ADV")
            and lower_lemma(t) not in ("be", "have", "there", "reach", "get", "'s", "’s") and t.lower_ not in ("'s", "’s")]
    return not rest


def _names_part(match: TopicMatch, head: Token) -> bool:
    """Does a topic name the whole requirement part? A generic word ("agreements", "peace") does only as the
    part's head or the subject of its verb; inside a clause about something else ("delegations reach certain
    agreements", "Russia agrees to abide by a proposal for a truce") a topic must be the clause's own verb, its
    subject or object, or the verb must be light ("until a ceasefire is established")."""
    doc = head.doc
    own = set(match.at)
    top = next((doc[i] for i in match.at if doc[i].head.i not in own or doc[i].head.i == i), doc[match.at[0]])
    generic = all(doc[i].lower_ in LEXICON.generic_topic_words or lower_lemma(doc[i]) in LEXICON.generic_topic_words
                  for i in match.at)
    if generic:
        return head.i in own or (top.head.i == head.i and top.dep_ in ("nsubj", "nsubjpass"))
    if head.pos_ not in ("VERB", "AUX") or head.i in own or lower_lemma(head) in LEXICON.light_requirement_verbs:
        return True
    if lower_lemma(head) in LEXICON.inverting_words or not any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children):
        return True
    return top.head.i == head.i and top.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "xcomp", "ccomp", "oprd")


def content_phrase(tokens: Sequence[Token]) -> str:
    """A requirement in the text's own content words: "Putin showing an interest in stopping the aggression" →
    "Putin showing interest in stopping aggression"."""
    kept = [t for t in sorted(tokens, key=lambda t: t.i)
            if not t.is_punct and not t.is_space and any(ch.isalnum() for ch in t.text) and t.pos_ not in _PHRASE_SKIP_POS
            and (t.lower_ not in _PHRASE_SKIP_WORDS or ordinal_modifier(t)) and not _obligation_word(t)]
    while kept and kept[0].pos_ in ("ADP", "SCONJ"):
        kept = kept[1:]
    while kept and kept[-1].pos_ in ("ADP", "SCONJ"):
        kept = kept[:-1]
    return " ".join(surface(t) for t in kept[:_MAX_PHRASE_WORDS])


def _obligation_word(t: Token) -> bool:
    """"has to", "need to", "going to" carry no content of the requirement."""
    return lower_lemma(t) in ("have", "need", "go") and any(
        c.dep_ == "xcomp" and any(g.lower_ == "to" for g in c.children) for c in t.children)


def _content(tokens: Sequence[Token]) -> list[Token]:
    return sorted((t for t in tokens if t.dep_ not in _NAME_SKIP_DEPS and not t.is_punct), key=lambda t: t.i)


def _direction(match: TopicMatch, inside: set[int], part: list[Token]) -> Direction:
    """"against" when the words name the topic renounced, or a word of renouncing, halting or refusing governs
    it from outside the topic's own words ("drop its bid to join NATO", "a halt to arms deliveries", "no new
    sanctions", "Ukraine does not join NATO")."""
    if match.against:
        return "against"
    own = set(match.at)
    doc = part[0].doc
    for i in match.at:
        token = doc[i]
        for child in token.children:
            if child.i not in own and (child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no")):
                return "against"
        node = token
        for _ in range(4):
            if node.head.i == node.i or node.dep_ == "conj":
                break   # "ceases its operation and withdraws troops": a sibling governs nothing
            node = node.head
            if node.i in own:
                continue
            if node.i not in inside:
                break
            if lower_lemma(node) in LEXICON.inverting_words or node.lower_ in LEXICON.inverting_words:
                return "against"
            particle = LEXICON.inverting_phrasal.get(lower_lemma(node))
            if particle and any(c.dep_ == "prt" and c.lower_ == particle for c in node.children):
                return "against"
            if node.pos_ in ("VERB", "AUX") and is_negated(node):
                return "against"
    return "for"


def _words(part: list[Token]) -> str:
    """The requirement's own words, as the text writes them, without leading function words."""
    tokens = sorted(part, key=lambda t: t.i)
    while tokens and (tokens[0].is_punct or tokens[0].pos_ in ("DET", "CCONJ", "SCONJ", "ADP", "PART")):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].pos_ in ("CCONJ", "ADP", "DET")):
        tokens = tokens[:-1]
    if not tokens:
        return ""
    doc = tokens[0].doc
    text = doc[tokens[0].i:tokens[-1].i + 1].text
    words = text.split()
    return " ".join(words[:_MAX_WORDS]) + (" …" if len(words) > _MAX_WORDS else "")


def _attribution_word(t: Token) -> bool:
    return lower_lemma(t) in LEXICON.reporting_verbs or lower_lemma(t) in LEXICON.role_nouns or is_actor(t)


def _lone_verb(head: Token, requirement: set[int] | frozenset[int] = frozenset()) -> bool:
    """What a speaker is ready to do, told without what it acts on ("we are ready to meet once …", "prepared to
    act when …"): the verb says only that they will take part in what the story is about. A verb that names a step
    itself ("willing to return"), or a passive one ("a date cannot be set"), is named by its own words."""
    if head.pos_ != "VERB" or lower_lemma(head) in LEXICON.placeholder_subjects or any(
            c.dep_ in ("dobj", "attr", "acomp", "xcomp", "ccomp", "prep", "oprd", "prt", "agent", "dative", "nsubjpass",
                       "auxpass") and c.i not in requirement for c in head.children):
        return False
    # "first they have to leave, then we will see / we will talk": the speaker's own next step, told bare
    return head.dep_ == "xcomp" or (lower_lemma(head) in LEXICON.lone_verbs and any(
        c.dep_ == "nsubj" and c.lower_ in ("we", "i", "they", "you") for c in head.children))


def _elliptical(verb: Token) -> bool:
    """"if they do not", "if it does", "if this happens": a clause whose content is in the sentence before."""
    if lower_lemma(verb) in ("happen", "occur") and any(c.dep_ == "nsubj" and c.lower_ in ("this", "that", "it")
                                                        for c in verb.children):
        return True
    return lower_lemma(verb) in ("do", "be") and not any(
        c.dep_ in ("dobj", "attr", "acomp", "xcomp", "ccomp", "prep", "oprd") for c in verb.children) and not any(
        c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN") for c in verb.children)


def _distributed(head: Token) -> list[list[Token]]:
    """"economic or diplomatic incentives" read as "economic incentives" and "diplomatic incentives"."""
    out: list[list[Token]] = []
    nouns = [head] + [c for c in head.subtree if c.dep_ in ("conj", "dobj", "pobj", "nsubj") and c.pos_ == "NOUN"]
    for noun in nouns:
        for child in noun.children:
            if child.dep_ == "amod" and any(c.dep_ == "conj" for c in child.children):
                for mod in [child, *(c for c in child.children if c.dep_ == "conj")]:
                    out.append([mod, noun])
    return out


def conjunct_parts(tokens: list[Token], head: Token) -> list[tuple[list[Token], Token]]:
    """The coordinated parts of a phrase: the head's own part, each conjunct (a noun, or a clause with its own
    subject or object), and any part of the tokens hanging outside the head's subtree (coordination the parser
    attached one level up, or a list spelt out after the announcing noun)."""
    inside = {t.i for t in tokens}
    conjuncts = [c for c in head.conjuncts if c.i in inside and c.i > head.i and _own_part(c, head)]
    parts: list[tuple[list[Token], Token]] = []
    taken: set[int] = set()
    for conj in conjuncts:
        nested = {x.i for other in conjuncts if other.i != conj.i and other.head.i == conj.i for x in other.subtree}
        part = [x for x in conj.subtree if x.i in inside and x.dep_ not in ("cc", "punct") and x.i not in nested]
        parts.append((part, conj))
        taken.update(x.i for x in part)
    own = [x for x in head.subtree if x.i in inside and x.i not in taken]
    taken.update(x.i for x in own)
    parts.insert(0, (own, head))
    ancestors = {a.i for a in head.ancestors}
    outside = [t for t in tokens if t.i not in taken and not t.is_punct and t.dep_ != "cc" and t.i not in ancestors]
    outside_ids = {x.i for x in outside}
    for root in [t for t in outside if (t.head.i not in outside_ids or t.head.i == t.i)
                 and t.pos_ in ("NOUN", "VERB", "PROPN") and not is_person_like(t)]:
        for item in _list_items(root, inside):
            for sub_part, sub_head in conjunct_parts([x for x in item.subtree if x.i in inside
                                                      and x.i not in _nested_items(item, inside)], item):
                parts.append((sub_part, sub_head))
    if len(parts) > 1 and (lower_lemma(head) in LEXICON.list_nouns or (
            head.pos_ == "VERB" and announcing_noun(head) is not None)):
        parts = parts[1:]   # "a series of conditions: A, B, C" names A, B and C, not "conditions"
    return parts if len(parts) > 1 else [(tokens, head)]


def _list_items(root: Token, inside: set[int]) -> list[Token]:
    """The items of a list spelt out after its announcing noun ("on these terms: A, the return of B and C"): the
    parser chains them as appositions or conjuncts of the first; each is an item of its own."""
    items = [root]
    for item in items:
        items.extend(c for c in item.children if c.dep_ in ("appos", "conj") and c.i in inside
                     and c.pos_ in ("NOUN", "PROPN") and not is_person_like(c))
    return sorted(items, key=lambda t: t.i)


def _nested_items(item: Token, inside: set[int]) -> set[int]:
    """The tokens of the list items chained under `item` (they are parts of their own)."""
    return {x.i for c in _list_items(item, inside) if c.i != item.i for x in c.subtree}


def _own_part(conj: Token, head: Token) -> bool:
    if conj.pos_ in ("NOUN", "PROPN"):
        return head.pos_ in ("NOUN", "PROPN") and not is_actor(conj)
    if conj.pos_ in ("VERB", "AUX"):
        return any(c.dep_ in ("nsubj", "nsubjpass", "dobj", "prep", "xcomp") for c in conj.children)
    return False


def _reason_to(head: Token | None) -> Token | None:
    """"we see no reason to restore those channels until …": what is conditioned is restoring the channels, not
    seeing a reason."""
    if head is None or head.pos_ not in ("VERB", "AUX") or lower_lemma(head) not in ("see", "find", "have"):
        return head
    for obj in head.children:
        if obj.dep_ == "dobj" and lower_lemma(obj) in LEXICON.reason_nouns:
            verb = next((c for c in obj.children if c.dep_ in ("acl", "relcl", "xcomp") and c.pos_ == "VERB"
                         and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
            if verb is not None:
                return verb
    return head


_RELATIVE_PRONOUNS = {"which", "that"}


def _relative_antecedent(head: Token | None) -> Token | None:
    """The thing a relative clause that only says it happens stands for ("the return to the grain deal, which
    could happen tomorrow"): the relative clause's noun, or the verb it is the object of ("return to … the
    export of grain")."""
    if head is not None and head.lower_ in _RELATIVE_PRONOUNS and head.dep_ in ("nsubj", "nsubjpass"):
        head = head.head   # the shape took the pronoun itself for the subject
    if head is None or head.dep_ != "relcl" or not (
            lower_lemma(head) in ("happen", "occur", "take") or _elliptical(head)):
        return None
    if not any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _RELATIVE_PRONOUNS for c in head.children):
        return None
    node = head.head
    for _ in range(2):   # "the return to the deal for the export of grain, which …": the return
        if node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head.pos_ in ("NOUN", "VERB"):
            node = node.head.head
        else:
            break
    return node if node.pos_ in ("NOUN", "PROPN", "VERB") and not is_actor(node) else None


def listed_after(head: Token | None, sent: Span) -> Token | None:
    """A requirement told as meeting "conditions" the sentence then lists ("there are conditions the country will
    need to meet before it can join, including an end to its war"): the first thing listed after the noun."""
    if head is None:
        return None
    clause = head.head if head.dep_ == "xcomp" else head
    noun = clause.head if clause.dep_ in ("relcl", "acl") else None
    if noun is None or lower_lemma(noun) not in LEXICON.list_nouns:
        return None
    marker = next((t for t in sent if t.i > noun.i and t.lower_ == "including" and t.dep_ == "prep"), None)
    return next((c for c in marker.children if c.dep_ == "pobj"), None) if marker is not None else None


def _light_verb_object(head: Token) -> Token:
    """"only if it includes a withdrawal and an end to …": the requirement is the object of a light verb."""
    if head.pos_ in ("VERB", "AUX") and lower_lemma(head) in _LIGHT_REQUIREMENT_VERBS:
        obj = next((c for c in head.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
        if obj is not None and lower_lemma(obj) in _COLLECTIVES:   # "meets a series of conditions"
            obj = next((g for c in obj.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), obj)
        if obj is not None:
            return obj
    return head


def _noise(name: str, head: Token | None) -> bool:
    """A subject that names nothing: a function word or pronoun, a speech or stance word ("offer", "say"), or a
    word of the attribution ("journalist in kyiv")."""
    words = name.lower().split()
    if not words:
        return True
    if len(words) == 1 and (words[0] in PRONOUNS or words[0] in _FUNCTION_WORDS):
        return True
    if words[0] in LEXICON.non_actor_nouns:
        return True
    verb = head is not None and head.pos_ in ("VERB", "AUX")
    if verb and len(words) == 1 and (words[0] in LEXICON.speech_verbs or words[0] in LEXICON.offer_verbs
                                     or words[0] in LEXICON.demand_verbs or words[0] in LEXICON.reporting_verbs):
        return True
    return head is not None and head.pos_ in _NOISE_POS and name.lower() == head.lower_


def _elided(head: Token) -> bool:
    """A requirement whose own verb is left unsaid: "if he has to", "if Moscow wants to", "if need be"."""
    if lower_lemma(head) == "be" and any(c.lower_ == "need" for c in head.children):
        return True
    bare_to = any(c.tag_ == "TO" and c.dep_ == "xcomp" and not any(c.children) for c in head.children)
    return bare_to and not any(c.dep_ in ("dobj", "ccomp", "attr", "acomp", "prep") for c in head.children)


def process_noun(head: Token) -> bool:
    """The work any process takes, asked with no purpose of its own ("requires patience", "coordinated work")."""
    return head.pos_ == "NOUN" and head.lemma_.lower() in LEXICON.process_nouns and not any(
        c.dep_ in ("acl", "relcl") for c in head.children)
