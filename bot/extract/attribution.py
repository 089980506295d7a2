"""Attribution: on whose behalf a clause is stated — a quote's speaker, a reporting verb's subject,
a pronoun's antecedent, an institution or titled official — or nobody (analysts, journalists, narration).

The speaker is carried through the document: "he added" and "the minister said" name the last speaker (a
reporting verb's subject before the pronoun, else the last person mentioned as a sentence's subject), a quote
with no attribution of its own and a first-person clause outside quotes are the last speaker's or the
headline's ("…, says Lavrov", "Blinken: …"), and "This was stated by X" names the speaker of the sentence
before it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from bot.extract.actors import actor_at, actors_in, institution_of, out_of_role
from bot.extract.discourse import body_start, headline, text_of
from bot.extract.clauses import is_obliged, is_person_like, sentence_of
from bot.extract.lexicon import LEXICON

_QUOTE_PAIRS = {"“": "”", "«": "»", '"': '"', "‘": "’"}
# A single curly quote opens only at a word's start, and "’" closes it only where no letter follows ("Russia’s" is
# an apostrophe).
_QUOTE_OPEN = re.compile('[“«"]|(?<![^\\W\\d_])‘')
_SINGLE_CLOSE = re.compile("’(?![^\\W\\d_])")
_WORD = re.compile(r"[^\W\d_]+")
_MIN_QUOTE_WORDS = 5          # shorter quotes are scare quotes ("meat grinder"), not speech
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_SUPPOSING = {"if", "unless", "whether"}
# Verbs whose subject takes a stance by the act itself: "the minister rejected …" is the minister speaking.
_SPEAKING_ACTS = (LEXICON.refusal_verbs | LEXICON.offer_verbs | LEXICON.threat_verbs | LEXICON.commitment_verbs
                  | LEXICON.speech_verbs | {"call", "demand", "urge", "insist"})
_SELF_PRONOUNS = {"i", "we", "me", "us", "our", "my"}
_FIRST_PERSON_SUBJECTS = {"i", "we"}
_STAND_IN_SUBJECTS = {"this", "that", "it", "so", "these"}
_FOREIGN_ENTITIES = ("GPE", "NORP", "ORG", "PERSON")
_FORMER = {"former", "ex", "retired", "onetime", "erstwhile"}
_FUTURE = {"will", "'ll", "wo", "shall"}
_FORETELLING = {"will", "'ll", "wo", "would", "may", "might"}


@dataclass(frozen=True)
class Voice:
    """Who states a clause: the actor id, the speaker's name (when known) and whether it is second-hand."""

    actor: str
    speaker: str | None = None
    reported: bool = False
    via: str = field(default="", compare=False)   # how it was found: quote, report, narration, story, …
    office: bool = field(default=False, compare=False)   # the speaker is an institution ("Kremlin"), not a person


BLOCKED = Voice(actor="")     # a known non-actor said it: analysts, journalists, unwatched people


@dataclass(frozen=True)
class Quote:
    start: int                # token indexes, inner text only
    end: int
    text: str


class Attribution:
    """Per-document attribution state: quotes with their speakers, people mentioned so far."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.quotes = _find_quotes(doc)
        self._quote_voice: dict[int, Voice | None] = {}
        self._speakers: list[tuple[int, Voice]] | None = None
        self._headline: tuple[Voice | None, Voice | None] | None = None   # None: not looked for yet
        self._headline_by_verb = False   # the headline's speaker is only its verb's subject ("EU vows …")
        self._headline_tag: int | None = None   # where a headline's closing speaker tag starts ("… – Peskov")

    # -- quotes -------------------------------------------------------------------------------------------
    def quote_of(self, token: Token) -> Quote | None:
        for quote in self.quotes:
            if quote.start <= token.i < quote.end:
                return quote
        return None

    def quote_voice(self, quote: Quote) -> Voice | None:
        if quote.start not in self._quote_voice:
            self._quote_voice[quote.start] = self._find_quote_voice(quote)
        return self._quote_voice[quote.start]

    def _find_quote_voice(self, quote: Quote) -> Voice | None:
        doc = self.doc
        introduced = self._quote_line(quote)
        if introduced is not None:
            return introduced
        first, last = sentence_of(doc[quote.start]), sentence_of(doc[quote.end - 1])
        candidates: list[Token] = []
        for sent in dict.fromkeys([first, last]):
            for tok in sent:
                if self._in_any_quote(tok):
                    continue
                if tok.pos_ in ("VERB", "AUX") and _lemma(tok) in LEXICON.reporting_verbs:
                    candidates.append(tok)
        # Nearest reporting verb to the quote wins ("…,” Bruce emphasized, … ).
        candidates.sort(key=lambda t: min(abs(t.i - quote.start), abs(t.i - quote.end)))
        for verb in candidates:
            subject = _subject(verb)
            if subject is not None:
                # '“…,” it said': the office that spoke in an earlier sentence ("The State Department said …")
                voice = self._last_institution(subject.i) if subject.lower_ == "it" else self.resolve(subject)
                if voice is None and _lemma(subject) in LEXICON.document_nouns and any(
                        c.dep_ == "det" and c.lower_ in ("the", "this") for c in subject.children):
                    voice = self._last_institution(subject.i)   # "The Council extended … ‘…,’ the decision states"
                if voice is None and _lemma(subject) in LEXICON.stance_nouns | LEXICON.document_nouns:
                    continue   # "…," the communiqué said: whose communiqué, the story says
                return voice
        according = self._according_to(first) or self._according_to(last)
        if according is not None:
            return according
        # "Bruce said:" closing the sentence before the quote.
        prev_start = first.start - 1
        if prev_start >= 0:
            prev = sentence_of(doc[prev_start])
            if prev.text.rstrip().endswith(":"):
                for tok in prev:
                    if _lemma(tok) in LEXICON.reporting_verbs and (subject := _subject(tok)) is not None:
                        return self.resolve(subject)
        # A quote continued after an attribution in the previous quote of the same paragraph.
        previous = [q for q in self.quotes if q.end <= quote.start and "\n\n" not in doc[q.end:quote.start].text]
        if previous and quote.start - previous[-1].end < 12:
            return self.quote_voice(previous[-1])
        # "… ‘will depend on their progress’. This was stated by Kremlin spokesman Dmitry Peskov": the next sentence
        after = self._stated_after(last)
        if after is not None:
            return after
        # No attribution at all: the story's last speaker, or the headline's.
        return self.speaker_before(quote.start)

    def _quote_line(self, quote: Quote) -> Voice | None:
        """"Quote from ISW: “…”", "Statement by the Kremlin: “…”": a line that says whose words follow; BLOCKED when
        they are an unwatched body's."""
        doc = self.doc
        colon = quote.start - 2   # the colon, then the opening quotation mark
        if colon < 1 or doc[colon].text != ":":
            return None
        line = [t for t in doc[sentence_of(doc[colon]).start:colon] if not t.is_punct]
        if not line or _lemma(line[0]) not in LEXICON.quote_line_nouns:
            return None
        named = next((g for t in line if t.dep_ in ("prep", "agent") and t.lower_ in ("from", "by", "of")
                      for g in t.children if g.dep_ == "pobj"), None)
        if named is None:
            return None
        voice = self.resolve(named)
        return voice if voice is not None else BLOCKED

    def _in_any_quote(self, token: Token) -> bool:
        return any(q.start <= token.i < q.end for q in self.quotes)

    def _according_to(self, sent: Span) -> Voice | None:
        """"according to X" / "as per X" / "in X's view": X's voice, BLOCKED for a report or a source."""
        for tok in sent:
            if tok.lower_ == "view" and tok.head.lower_ == "in" and not self._in_any_quote(tok):
                owner = next((c for c in tok.children if c.dep_ == "poss"), None)
                if owner is not None:
                    return self.resolve(owner)
            if tok.lower_ == "per" and tok.i > 0 and self.doc[tok.i - 1].lower_ == "as":
                obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return self.resolve(obj)
            if tok.lower_ == "according" and not self._in_any_quote(tok):
                for prep in tok.children:
                    for obj in prep.children:
                        if obj.dep_ == "pobj":
                            voice = self.resolve(obj)
                            if voice is None or not voice.actor:
                                return self._named_after(obj) or voice
                            return voice
        return None

    def _named_after(self, title: Token) -> Voice | None:
        """"according to the head of European diplomacy, Josep Borrell, …": the person named right after the
        title, whom the parse may have hung elsewhere."""
        after = title.right_edge.i + 1
        if after >= len(self.doc) or self.doc[after].text != ",":
            return None
        span = next((s for s in self.doc.spans.get("actors", ()) if s.start == after + 1), None)
        if span is None or not (span.end < len(self.doc) and self.doc[span.end].text == ","):
            return None
        voice = self.resolve(span.root)
        return voice if voice is not None and voice is not BLOCKED and voice.speaker else None

    # -- clauses ------------------------------------------------------------------------------------------
    def voice_of(self, predicate: Token) -> Voice | None:
        """The voice of the clause headed by `predicate`, or None when nobody watched states it; `via` says how
        it was found."""
        voice = self._find_voice(predicate)
        if predicate.i < body_start(self.doc):
            voice = self._headline_clause_voice(voice)
        if voice is None or not voice.actor:
            return None
        return voice if voice.via else replace(voice, via="report")

    def _headline_clause_voice(self, voice: Voice | None) -> Voice | None:
        """A headline's clause is the speaker's the headline names ("Talks possible if Y – Peskov", "Sybiha: if
        Russia wants peace, it must …"), whoever its grammatical subject is, unless that speaker tells of someone
        else's stance ("Lavrov says Kyiv demands …"). In a headline that names no speaker, only an actor's own act
        of saying counts ("Kremlin rejects …", "Ukraine demands …"); a claim made of it is the newsroom's summary
        ("Kyiv must recognise annexations before talks", "Ukraine can move towards membership without …")."""
        told = self.headline_speaker()
        if told is None:
            if self._lede_from_report():
                return None   # "Putin open to truce …" over "…, according to a report by Bloomberg": the report's
            return voice if voice is not None and voice.via in ("", "report") else None
        if not told.actor:
            return None
        if voice is not None and voice.reported:
            return voice
        if self._headline_by_verb and self._only_unwatched_speak():
            return None   # "EU vows to keep sanctions until …" over a story where only Macron speaks: its summary
        return replace(told, via="headline")

    def _only_unwatched_speak(self) -> bool:
        """Does the body give speech only to people and bodies nobody watches ("French President Emmanuel Macron
        stated …")?"""
        start = body_start(self.doc)
        told = [voice for at, voice in self.speakers() if at >= start]
        return bool(told) and all(voice is BLOCKED for voice in told)

    def _lede_from_report(self) -> bool:
        """Is the body's first sentence a report's or a source's account ("…, according to a report by Bloomberg",
        "… . Bloomberg writes about this, citing officials")? A headline that names no speaker then sums up the
        report, not anyone's statement."""
        start = body_start(self.doc)
        if start >= len(self.doc):
            return False
        lede = sentence_of(self.doc[start])
        return self._according_to(lede) is BLOCKED or self._stated_after(lede) is BLOCKED

    def _find_voice(self, predicate: Token) -> Voice | None:
        quote = self.quote_of(predicate)
        outer = self.quote_voice(quote) if quote else None
        if quote is not None and (outer is None or outer is BLOCKED):
            return None
        according = self._according_to(sentence_of(predicate)) if quote is None else None
        if according is None and quote is None and not self._told(predicate) and \
                self._stated_after(sentence_of(predicate)) is BLOCKED:
            return None   # "Putin called X a condition for Y. Bloomberg writes about this, citing …": the report's
        inner = self._clause_voice(predicate, quote)
        if according is BLOCKED:
            # "…, according to a report by Bloomberg": only what the report says someone told stays theirs
            if inner is None or inner is BLOCKED or not self._told(predicate):
                return None
            return Voice(inner.actor, inner.speaker, reported=True, via="according")
        if inner is BLOCKED:
            return None
        if outer is None:
            if inner is not None and inner.via == "narration" and according is None:
                # "Moscow needs to fulfil one condition. Podolyak wrote about this": the next sentence says whose
                after = self._stated_after(sentence_of(predicate))
                if after is not None:
                    return replace(after, via="stated_after") if after is not BLOCKED else None
            if inner is None:
                if according is not None:
                    return replace(according, via="according") if according is not BLOCKED else None
                after = self._stated_after(sentence_of(predicate))
                if after is not None:
                    return replace(after, via="stated_after") if after is not BLOCKED else None
                first = self._first_person(predicate)
                return replace(first, via="first_person") if first not in (None, BLOCKED) else None
            return inner
        if inner is None or inner.actor == outer.actor:
            return replace(outer, via="quote")
        return Voice(actor=inner.actor, speaker=outer.speaker, reported=True, via="quote_report")

    def _clause_voice(self, predicate: Token, quote: Quote | None) -> Voice | None:
        """Innermost actor behind the clause (a reporting verb's subject, a stance noun's owner), chained
        outwards so that "Rubio said Moscow insists …" is Moscow's position, reported by Rubio."""
        chain: list[Voice] = []
        node = predicate
        for _ in range(12):
            voice = self._voice_at(node, quote=quote)
            if voice is BLOCKED:
                if not chain:
                    return BLOCKED
                break
            if voice is not None:
                chain.append(voice)
            if node.head.i == node.i:
                break
            node = node.head
            if quote is not None and not (quote.start <= node.i < quote.end):
                break
        if not chain:
            if quote is None:
                return self._own_subject(predicate)
            return None
        innermost, outermost = chain[0], chain[-1]
        if innermost.actor == outermost.actor:
            return Voice(innermost.actor, outermost.speaker or innermost.speaker)
        return Voice(innermost.actor, outermost.speaker, reported=True)

    def _told(self, predicate: Token) -> bool:
        """Is the clause what someone said (a reporting verb above it), not a claim made of them?"""
        node = predicate
        for _ in range(8):
            if node.i != predicate.i and _lemma(node) in LEXICON.reporting_verbs:
                return True
            if node.head.i == node.i:
                return False
            node = node.head
        return False

    def _stated_after(self, sent: Span) -> Voice | None:
        """"X is possible after Y. This was stated by Kuleba.": the next sentence names the speaker."""
        doc = self.doc
        if sent.end >= len(doc):
            return None
        following = sentence_of(doc[sent.end])
        root = following.root
        source = self._source_line(root)
        if source is not None:
            return source
        if _lemma(root) not in LEXICON.reporting_verbs:
            return None
        stand_in = any(c.lower_ in _STAND_IN_SUBJECTS and c.dep_ in ("nsubjpass", "dobj", "nsubj", "advmod")
                       for c in root.children) or any(   # "X wrote about this on Twitter", "commented on this"
            c.dep_ == "prep" and c.lower_ in ("about", "on", "of") and any(
                g.dep_ == "pobj" and g.lower_ in ("this", "that", "it") for g in c.children) for c in root.children)
        if not stand_in:
            return None
        agent = next((g for c in root.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        speaker = agent if agent is not None else _subject(root)
        if speaker is None or speaker.lower_ in _STAND_IN_SUBJECTS:
            return None
        voice = self.resolve(speaker)
        if voice is None and (speaker.ent_type_ in _FOREIGN_ENTITIES or any(
                _lemma(c) in LEXICON.citing_verbs for c in root.children if c.dep_ in ("advcl", "xcomp", "conj"))):
            return BLOCKED   # "Bloomberg writes about this, citing officials": a report's account, not a statement
        return voice

    def _source_line(self, root: Token) -> Voice | None:
        """"Source: the special envoy Steve Witkoff on Bloomberg": a news agency's line naming who said the
        sentence before; the person a title names speaks, not the title's owner ("Trump's envoy X")."""
        doc = self.doc
        if _lemma(root) not in LEXICON.source_line_nouns or root.i + 1 >= len(doc) or doc[root.i + 1].text != ":":
            return None
        named = next((c for c in root.children if c.dep_ == "appos" and c.i > root.i), None)
        if named is None:
            return None
        person = next((c for c in named.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), named)
        voice = self.resolve(person)
        return voice if voice is not None else self.resolve(named)

    def _first_person(self, predicate: Token) -> Voice | None:
        """"We will be ready" outside any quote (a transcript, an op-ed): the story's speaker."""
        node = predicate
        for _ in range(3):
            subject = _subject(node)
            if subject is not None:
                if subject.lower_ in _FIRST_PERSON_SUBJECTS:
                    return self.speaker_before(predicate.i)
                return None
            if node.dep_ in ("xcomp", "acomp", "conj") and node.head.i != node.i:
                node = node.head
                continue
            break
        return None

    def _continued(self, predicate: Token) -> Voice | None:
        """"She emphasized that … . Ukraine will be obliged to repay the loan when …": a sentence of the same
        paragraph with no attribution of its own, right after someone's reported statement, goes on with it."""
        doc = self.doc
        sent = sentence_of(predicate)
        if sent.start == 0 or "\n" in doc[sent.start - 1].text_with_ws:
            return None
        if any(_lemma(t) in LEXICON.reporting_verbs and t.pos_ == "VERB" and not self._in_any_quote(t) for t in sent):
            return None
        previous = sentence_of(doc[sent.start - 1])
        if any(q.start < previous.end and previous.start < q.end for q in self.quotes):
            # '“…,” Zelensky told journalists. Once signed, the deal would go to Congress': after a speaker's own
            # words in quotes, a sentence outside them is the newsroom's, not more of what was said
            return None
        told = [voice for at, voice in self.speakers() if previous.start <= at < previous.end]
        told = told or [voice for voice in map(self._pronoun_teller, previous) if voice is not None]
        if told and told[-1].actor and told[-1].speaker:
            return replace(told[-1], via="continued")
        return None

    def _pronoun_teller(self, token: Token) -> Voice | None:
        """"She emphasized that …": the voice of a reporting verb whose subject is "he" or "she" (the story's
        speakers leave these out: they name someone mentioned before)."""
        if token.pos_ not in ("VERB", "AUX") or _lemma(token) not in LEXICON.reporting_verbs or self._in_any_quote(token):
            return None
        subject = _subject(token)
        return self.resolve(subject) if subject is not None and subject.lower_ in _PERSON_PRONOUNS else None

    def _own_subject(self, predicate: Token) -> Voice | None:
        """Narration with a watched actor as the clause's subject ("Washington will not lift sanctions …"); a
        clause inside a noun phrase ("the conditions that Ukraine must fulfil") is told by its main clause."""
        continued = self._continued(predicate)
        if continued is not None:
            return continued
        node = predicate
        for _ in range(6):
            if node.dep_ in ("relcl", "acl", "pobj", "prep", "dobj", "pcomp") and node.head.i != node.i:
                if node.dep_ == "dobj" and _lemma(node.head) in LEXICON.fulfilling_verbs:
                    return None   # "to ensure Ukraine checks off the conditions": terms laid on it, not its own
                node = node.head
                continue
            break
        if any(c.lower_ in LEXICON.speculation_words for c in node.subtree if c.dep_ == "advmod" and c.head.i == node.i):
            return None   # "it would probably then be agreed …": the newsroom's guess, told without a speaker
        for _ in range(3):
            subject = _subject(node)
            if subject is not None:
                voice = self.resolve(subject, strict=True)
                if voice is None and _lemma(node) in _SPEAKING_ACTS and _lemma(subject) in LEXICON.role_nouns:
                    voice = self.resolve(subject)   # "the minister also ruled out talks until …": the last speaker
                if voice not in (None, BLOCKED) and is_obliged(node):
                    # "Russia must make concessions" in narration is no position of Russia's: an obligation laid
                    # on an actor is the story's speaker's demand, told without a verb of saying
                    told = self.speaker_before(predicate.i)
                    return replace(told, via="story") if told is not None and told.actor else None
                if voice in (None, BLOCKED):
                    return None
                teller = self._transcript_speaker()
                if teller is not None and teller.actor != voice.actor:
                    # "Blinken: … If Putin shows interest, Ukraine will respond, but we will support …": in a
                    # transcript what is said of another actor is the speaker's account of it
                    return replace(teller, via="story")
                return replace(voice, via="narration")
            if node.dep_ in ("xcomp", "acomp", "conj") and node.head.i != node.i:
                node = node.head
                continue
            break
        return None

    def _transcript_speaker(self) -> Voice | None:
        """The speaker of a transcript or an op-ed: the one the headline marks ("Blinken: …"), when the body speaks
        in the first person outside quotes ("we will support …")."""
        told = self.headline_speaker()
        if told is None or not told.actor:
            return None
        start = body_start(self.doc)
        if any(t.lower_ in _FIRST_PERSON_SUBJECTS and t.dep_ in ("nsubj", "nsubjpass") and not self._in_any_quote(t)
               for t in self.doc[start:]):
            return told
        return None

    def _voice_at(self, node: Token, quote: Quote | None) -> Voice | None:
        lemma = _lemma(node)
        subject = _subject(node)
        if lemma == "make" and any(t.lower_ == "clear" for t in node.doc[node.i + 1:node.i + 4]):
            lemma = "say"   # "he made clear (that) …"
        if lemma in LEXICON.speech_verbs and any(c.dep_ == "aux" and c.lower_ in _FUTURE for c in node.children):
            return None   # "if Putin shows interest, Ukraine will respond appropriately": a speech yet to come
        if _supposed(node):
            return None   # "if Ukraine wants to end the war, it must …": a wish supposed, nobody speaking
        if lemma in LEXICON.reporting_verbs or lemma in LEXICON.demand_verbs or lemma in LEXICON.offer_adjectives or (
                lemma in LEXICON.refusal_verbs and subject is not None and actor_at(self.doc, subject) is not None):
            # a refusal is its subject's ("Peskov said Russia will fight on as long as Kyiv refuses to …")
            if subject is not None and subject.dep_ != "nsubjpass":
                if quote is not None and subject.lower_ in _SELF_PRONOUNS:
                    return None
                if subject.lower_ == "it" and lemma in LEXICON.speech_verbs and quote is None:
                    return self._last_institution(subject.i)   # "The Kremlin issued a statement. It said …"
                voice = self.resolve(subject, strict=True)
                if voice is None and _lemma(subject) in LEXICON.role_nouns and not self._unwatched(subject, lemma):
                    voice = self.resolve(subject)   # "the minister said …": the last speaker, else the office's
                if voice is not None:
                    return voice
                if lemma in LEXICON.reporting_verbs and self._unwatched(subject, lemma):
                    return BLOCKED   # "Western diplomats believe …", "two people familiar with … said"
        if lemma in LEXICON.resolving_verbs and subject is not None and subject.dep_ != "nsubjpass" and \
                any(c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                    for c in node.children):
            voice = self.resolve(subject, strict=True)
            if voice is not None:
                return voice
            if self._unwatched(subject, lemma):
                return BLOCKED   # "NATO allies decided that Ukraine could join once …": the allies' decision
        if lemma in LEXICON.stance_nouns:
            owner = self._owner(node)
            if owner is not None:
                return owner
        if subject is not None and _lemma(subject) in LEXICON.stance_nouns and (
                lemma in ("be", "remain", "stay", "make") or lemma in LEXICON.reporting_verbs):
            owner = self._owner(subject)   # "the US stance remains clear: X", "the document states that X"
            if owner is not None:
                return owner
        if node.dep_ == "ROOT":
            # "A truce, he added, is possible once …": the reporting verb set beside the clause it reports.
            for child in node.children:
                if child.dep_ in ("parataxis", "advcl") and _lemma(child) in LEXICON.reporting_verbs and \
                        not _supposed(child) and (quote is None or not (quote.start <= child.i < quote.end)):
                    subject = _subject(child)
                    if subject is not None:
                        voice = self.resolve(subject, strict=True)
                        if voice is None and self._unwatched(subject, _lemma(child)):
                            return BLOCKED   # "…, two people familiar with the Kremlin's thinking said"
                        voice = voice or self.resolve(subject)
                        if voice is not None:
                            return voice
            # "The US stance remains clear: X" / "Bruce said: X" parsed as a clause beside X's.
            for child in node.children:
                if child.dep_ in ("ccomp", "parataxis") and child.i < node.i and not self._in_any_quote(child):
                    child_subject = _subject(child)
                    if child_subject is not None and _lemma(child_subject) in LEXICON.stance_nouns:
                        owner = self._owner(child_subject)
                        if owner is not None:
                            return owner
        return None

    def _office_spokesman(self, title: Token) -> Voice | None:
        """"The spokesman also reiterated …" in a story that names no person: the spokesman of the office the
        story last names before it, headline included ("Kremlin comments on …")."""
        if _lemma(title) not in LEXICON.office_speaker_nouns:
            return None
        offices = [s for s in self.doc.spans.get("actors", ()) if s.end <= title.i and not s.kb_id_
                   and institution_of(self.doc, s)]
        if not offices:
            return None
        office = institution_of(self.doc, offices[-1])
        return Voice(offices[-1].label_, f"{office} {title.lower_}")

    def _last_institution(self, before: int) -> Voice | None:
        """Whom "it said" names: the office or government last mentioned as the subject of an earlier sentence
        ("The Kremlin issued a statement on Tuesday. It said …"), not a person and not one inside a quote."""
        start = sentence_of(self.doc[before]).start
        spans = [s for s in self.doc.spans.get("actors", ()) if s.end <= start and not s.kb_id_
                 and _salient(s.root) and not self._in_any_quote(s[0])]
        if not spans:
            return None
        last = spans[-1]   # a named office ("State Department") by its name, a government by its mention
        return Voice(last.label_, institution_of(self.doc, last) or last.text, office=True)

    def _unwatched(self, subject: Token, verb: str) -> bool:
        """A speaker phrase that names no one watched: what it tells is its own view or claim, not a position of
        the actor it is about ("Western diplomats believe the Kremlin will only …", "Western officials said Moscow
        would only …"). Mediators who say or tell relay the party they met ("the RSF will only agree if …,
        mediators said"); "the minister" is the last speaker."""
        if subject.pos_ not in ("NOUN", "PROPN") or _lemma(subject) in LEXICON.stance_nouns:
            return False   # "it said", "the statement said": whose, the story says
        if _lemma(subject) in LEXICON.relaying_nouns:
            return verb not in LEXICON.speech_verbs   # "the RSF will only agree if …, mediators said"
        if _lemma(subject) in LEXICON.role_nouns:
            # "Western officials said …" is theirs; "the minister", "the kingdom's ministry" are someone's
            return not any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this", "that"))
                           for c in subject.children)
        return True

    def _owner(self, noun: Token) -> Voice | None:
        """The actor owning a stance noun: "the US stance", "Kyiv's position", "the position of Moscow"."""
        for child in noun.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod"):
                voice = self.resolve(child, strict=True)
                if voice is not None:
                    return voice
            if child.dep_ in ("prep", "agent") and child.lower_ in ("of", "by", "from"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        voice = self.resolve(obj, strict=True)
                        if voice is not None:
                            return voice
        return None

    # -- speakers -----------------------------------------------------------------------------------------
    def resolve(self, token: Token, strict: bool = False) -> Voice | None:
        """The voice behind a speaker phrase headed by `token`; BLOCKED for known non-actors."""
        doc = self.doc
        lower = token.lower_
        if lower in _PERSON_PRONOUNS:
            return self._last_person(token.i)
        if lower in _FIRST_PERSON_SUBJECTS and not self._in_any_quote(token):
            return self.speaker_before(token.i)   # a transcript's "we said …": the story's speaker
        head_lemma = _lemma(token)
        if head_lemma in LEXICON.non_actor_nouns or lower in LEXICON.non_actor_nouns:
            return BLOCKED
        span = actor_at(doc, token)
        if span is not None:
            return self._mention_voice(span)
        if out_of_role(doc, token) or any(out_of_role(doc, t) for t in token.subtree if t.dep_ in ("compound", "flat")):
            return BLOCKED   # Kuleba after September 2024 speaks for no one we watch
        if token.ent_type_ == "PERSON":
            # "Iranian Foreign Ministry spokesman Esmaeil Baghaei": an unlisted person titled as the actor's official.
            return self._titled(token) or BLOCKED
        subtree = _phrase(token)   # "the Turkish president, who added that Ukraine's …": not the clause after it
        start, end = subtree[0].i, subtree[-1].i + 1
        mentions = actors_in(doc, start, end)
        if any(_lemma(t) in LEXICON.non_actor_nouns for t in subtree if t.dep_ in ("compound", "appos", "conj")
               and not (t.dep_ == "compound" and (_lemma(t.head) in LEXICON.role_nouns or _listed(doc, t.head)))):
            return BLOCKED   # "an analyst at the Kremlin-linked …" (not "the press secretary of …", "MP Arakhamia")
        if head_lemma in LEXICON.occasion_nouns:
            return None   # "the Trump-Putin summit requires …": an occasion named after people speaks for none
        if any(_lemma(t) in LEXICON.non_actor_modifiers for t in subtree if t.i < token.i):
            return BLOCKED   # "the Ukraine peacekeeping force", "a coalition force": several countries' troops
        if (head_lemma in LEXICON.role_nouns or lower in LEXICON.role_nouns) and any(
                t.lower_ in _FORMER for t in subtree if t.i < token.i):
            return BLOCKED   # "the former U.S. ambassador to Moscow": out of office, he speaks for no one we watch
        if mentions:
            people = [m for m in mentions if m.kb_id_]
            if people:
                return Voice(people[0].label_, people[0].kb_id_)
            if strict and head_lemma not in LEXICON.role_nouns and token.pos_ != "PROPN":
                return None
            speaker = _speaker_phrase(token) if head_lemma in LEXICON.role_nouns else None
            return Voice(mentions[0].label_, speaker if speaker and len(speaker) < 80 else None)
        if any(t.ent_type_ == "PERSON" for t in subtree):
            return BLOCKED
        if head_lemma in LEXICON.role_nouns or lower in LEXICON.role_nouns:
            # A title naming someone else's country or body ("the Belarusian leader", "NATO's chief"), or no one
            # in particular ("a senior official"), speaks for no watched actor; "the minister" is the last speaker.
            if any(t.ent_type_ in _FOREIGN_ENTITIES for t in subtree) or any(
                    t.lower_ in _FORMER for t in subtree):
                return BLOCKED   # "the Belarusian leader", "a former diplomat"
            definite = any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "his", "her")
                           for c in token.children)
            if definite and token.tag_ != "NNS" and not strict:
                # "the minister said": the last speaker; "the spokesman" with nobody named: the office's
                return self._last_person(token.i) or self._office_spokesman(token)
        elif token.pos_ == "PROPN" and not token.ent_type_:
            return BLOCKED   # "Schroeder believes …": a name the model could not type is someone, not an actor
        return None

    def _mention_voice(self, span: Span) -> Voice:
        """The voice of an actor's mention: a person by name, an institution by its name ("…, the State Department
        said": "State Department"), the actor itself (its name, a capital, a demonym) by no speaker."""
        if span.kb_id_:
            return Voice(span.label_, span.kb_id_)
        institution = institution_of(self.doc, span)
        return Voice(span.label_, institution, office=True) if institution else Voice(span.label_)

    def _title_phrase(self, words: list[Token]) -> Voice | None:
        """A short phrase that is only a speaker's title ("Russian Senior Diplomat", "EU foreign policy chief"):
        the voice of its head, when the head is a role noun."""
        if not words or len(words) > 6:
            return None
        ids = {t.i for t in words}
        heads = [t for t in words if t.head.i not in ids or t.head.i == t.i]
        if len(heads) != 1 or _lemma(heads[0]) not in LEXICON.role_nouns:
            return None
        voice = self.resolve(heads[0])
        if voice is None or not voice.actor:
            return None
        # the title itself names the actor ("EU foreign policy chief"), not the words the parse hangs on it
        return voice if actors_in(self.doc, words[0].i, words[-1].i + 1) else None

    def _titled(self, person: Token) -> Voice | None:
        """The actor of a role noun written before or beside a person's name ("Iranian Foreign Ministry spokesman
        Esmaeil Baghaei", "Baghaei, the Iranian spokesman")."""
        titles = [c for c in person.children if c.dep_ in ("compound", "appos", "amod", "nmod")]
        left = person.left_edge
        if left.i < person.i:   # "White House Deputy Press Secretary Anna Kelly": the title is the name's left side
            titles.append(left)
        for title in titles:
            words = list(title.subtree) if title.i != left.i else list(self.doc[left.i:person.i])
            if not any(_lemma(w) in LEXICON.role_nouns for w in words):
                continue
            head = max(words, key=lambda w: w.i)   # the title's last word is its head ("press secretary")
            if _lemma(head) in LEXICON.non_actor_nouns:
                return None
            mentions = actors_in(self.doc, words[0].i, words[-1].i + 1)
            if mentions:
                name = next((e.text for e in self.doc.ents if e.start <= person.i < e.end), person.text)
                return Voice(mentions[0].label_, name)
        return None

    def _last_person(self, before: int) -> Voice | None:
        """Whom "he" / "she" / "the minister" names: the last speaker before it, or a person mentioned later as
        the subject of a sentence; a watched person, or BLOCKED for anyone else. With nobody in the body, the
        headline's speaker."""
        doc = self.doc
        best: tuple[int, Voice] | None = None
        for at, voice in self.speakers():
            if at < before and (best is None or at > best[0]) and not voice.office:   # "he" is no institution
                best = (at, voice)
        for span in doc.spans.get("actors", ()):
            if span.kb_id_ and span.end <= before and (best is None or span.start > best[0]) and _salient(span.root) \
                    and not self._in_any_quote(span[0]):   # the person a quote is about is not who says it
                best = (span.start, Voice(span.label_, span.kb_id_))
        for ent in doc.ents:
            if ent.label_ == "PERSON" and ent.end <= before and (best is None or ent.start > best[0]):
                if not any(s.kb_id_ and s.start <= ent.start < s.end for s in doc.spans.get("actors", ())):
                    if not self._in_any_quote(ent[0]) and _salient(ent.root):
                        best = (ent.start, BLOCKED)
        if best is not None and best[1] is BLOCKED:
            # "Ukrainian media reported, quoting Dombrovskis … ," he said": the person the teller quotes
            quoted = [s for s in doc.spans.get("actors", ()) if s.kb_id_ and best[0] < s.start and s.end <= before
                      and not self._in_any_quote(s[0])   # not the person the quote itself is about
                      and (_salient(s.root) or _cited(s.root) or s.end <= body_start(doc))]
            # (nor one the teller only speaks of: "… said it was designed to deter Putin. He added …")
            if quoted:
                best = (quoted[-1].start, Voice(quoted[-1].label_, quoted[-1].kb_id_))
        # "While Zelensky did not reject it, he insisted …": the subject of a clause before it in its own sentence
        start = sentence_of(doc[before]).start if before < len(doc) else before
        own = [s for s in doc.spans.get("actors", ()) if s.kb_id_ and start <= s.start and s.end <= before
               and s.root.dep_ in ("nsubj", "nsubjpass") and not self._in_any_quote(s[0])]
        if own and (best is None or own[-1].start > best[0]):
            best = (own[-1].start, Voice(own[-1].label_, own[-1].kb_id_))
        if best is None:
            for span in doc.spans.get("actors", ()):   # anyone mentioned before, salient or not (outside quotes)
                if span.kb_id_ and span.end <= before and (best is None or span.start > best[0]) \
                        and not self._in_any_quote(span[0]):
                    best = (span.start, Voice(span.label_, span.kb_id_))
        return best[1] if best else self.headline_voice()

    def speakers(self) -> list[tuple[int, Voice]]:
        """Every reporting verb's speaker in the document, in order: (the verb's index, the voice)."""
        if self._speakers is None:
            self._speakers = []
            for token in self.doc:
                if token.pos_ not in ("VERB", "AUX") or _lemma(token) not in LEXICON.reporting_verbs:
                    continue
                if self._in_any_quote(token) or token.dep_ in ("xcomp", "relcl", "acl", "pcomp", "amod", "csubj"):
                    continue   # "a report that said …", "encouraged them to signal …": no speaker of the story
                subject = _subject(token)
                if subject is None or subject.lower_ in _SELF_PRONOUNS or subject.lower_ in _PERSON_PRONOUNS:
                    continue
                voice = self.resolve(subject)
                if voice is not None and (voice is BLOCKED or voice.speaker):
                    self._speakers.append((token.i, voice))
        return self._speakers

    def speaker_before(self, index: int) -> Voice | None:
        """The story's speaker at a point: the last one before it, else the headline's."""
        before = [voice for at, voice in self.speakers() if at < index]
        if before:
            return before[-1]
        return self.headline_voice()

    def headline_voice(self) -> Voice | None:
        """Who the headline says speaks: "Blinken: …", "… – Peskov", "Kuleba says …", or the one watched
        person it names."""
        return self._headline_voices()[0]

    def in_speaker_tag(self, token: Token) -> bool:
        """Is the token part of the tag that closes a headline with its speaker ("… until breakthrough - Rubio",
        "… — European Commissioner Kubilius")? The tag says who speaks; it is neither side of a position."""
        self._headline_voices()
        return self._headline_tag is not None and token.i < body_start(self.doc) and token.idx >= self._headline_tag

    def headline_speaker(self) -> Voice | None:
        """The headline's speaker only where the headline marks one ("Blinken: …", "… – Peskov", "…, says
        Lavrov", "Lavrov on talks: …"), not the person it is about."""
        return self._headline_voices()[1]

    def _headline_voices(self) -> tuple[Voice | None, Voice | None]:
        found = self._headline
        if found is None:
            self._headline = (None, None)   # while looking: a first person in the headline names no one
            voice, marked = self._find_headline_voice()
            found = self._headline = (voice, voice if marked else None)
        return found

    def _find_headline_voice(self) -> tuple[Voice | None, bool]:
        """The headline's speaker and whether the headline marks it as such: "X: …", "X on Y: …" or "… – X" /
        "…, X says" (X a person, an office or a title), a reporting verb's subject; else (unmarked) the subject of
        its main verb when that is a speaker ("Kremlin names condition …", "German chancellor candidate
        proposes …": BLOCKED), else the one watched person it names."""
        span = headline(self.doc)
        if span is None:
            return None, False
        doc = self.doc
        mentions = [s for s in doc.spans.get("actors", ()) if s.end <= span.end]
        tail = re.search(r"(?:\s-|[–—|:]|,\s*says?)\s*([^–—|:]{2,80})$", span.text.strip())   # not "Russia-Ukraine"
        if tail is not None:   # "… – EU chief diplomat Borrell", "…, says Kremlin", "…: Russian Senior Diplomat"
            at = span.start_char + span.text.index(tail.group(1))
            inside = [s for s in mentions if s.start_char >= at]
            person = next((s for s in inside if s.kb_id_), None) or (inside[0] if inside else None)
            after_colon = tail.group(0).lstrip().startswith(":")
            # after a colon, only a person or a title names the speaker ("…: Russian Senior Diplomat"); an actor
            # named in what follows it is what is said ("Polish PM: no peace until Russia is defeated")
            if person is not None and (not after_colon or (person.kb_id_ and len(tail.group(1).split()) <= 6)):
                self._headline_tag = None if after_colon else at
                return self._mention_voice(person), True
            titled = self._title_phrase([t for t in span if t.idx >= at and not t.is_space and not t.is_punct])
            if titled is not None:
                self._headline_tag = None if after_colon else at
                return titled, True
        text = text_of(doc)
        for s in mentions:
            before, after = text[span.start_char:s.start_char], text[s.end_char:span.end_char]
            opens = (not before.strip() or before.rstrip().endswith(("/", "|"))) and (
                after.lstrip().startswith(":") or re.match(r"\s+on\s+[^:]{1,60}:", after))
            closes = re.search(r"(?:[-–—:|]|\b(?:says|said|tells|told))\s*$", before) and not after.strip(" .'\"”\n")
            if opens or closes:
                return self._mention_voice(s), True
        opener = re.match(r"\s*([^:]{2,40}):\s", span.text)
        if opener is not None and len(opener.group(1).split()) <= 4:
            words = [t for t in span if t.idx < span.start_char + opener.end(1) and not t.is_punct and not t.is_space]
            heads = [t for t in words if t.head.i not in {w.i for w in words} or t.head.i == t.i]
            titled = self._title_phrase(words)
            if titled is not None:
                return titled, True   # "European Council President: …"
            if len(heads) == 1 and (_lemma(heads[0]) in LEXICON.role_nouns or heads[0].ent_type_ == "PERSON"):
                return BLOCKED, True   # "PM: …", "Orbán: …": a title or a person we do not watch
        for token in span:
            if _lemma(token) in LEXICON.reporting_verbs and (subject := _subject(token)) is not None:
                voice = self.resolve(subject, strict=True)
                if voice is not None:
                    self._headline_by_verb = voice is not BLOCKED
                    return voice, True
                if _lemma(subject) not in LEXICON.stance_nouns:
                    return BLOCKED, True   # "…, PM says after talks": someone we do not watch speaks
        root = span.root
        subject = _subject(root)
        if subject is not None and (lemma := _lemma(subject)) not in ("it", "this"):
            voice = self.resolve(subject, strict=True)
            if voice is BLOCKED or (voice is not None and (lemma in LEXICON.role_nouns or actor_at(doc, subject))):
                return voice, False
        people = {s.kb_id_: s for s in mentions if s.kb_id_}
        if len(people) == 1:
            person = next(iter(people.values()))
            return Voice(person.label_, person.kb_id_), False
        for s in mentions:
            if s.root.dep_ in ("nsubj", "nsubjpass") and s.root.head.pos_ in ("VERB", "AUX"):
                return self._mention_voice(s), False   # "Ukraine rules out ceasefire, demands ceding land"
        return None, False

    # -- forecasts ----------------------------------------------------------------------------------------
    def foretells(self, clause: Token, voice: Voice) -> bool:
        """Is the clause the speaker's forecast rather than a condition the speaker sets? What a person of another
        side will or won't do is that person's choice ("Putin won't end this war until the costs are higher", said
        by the EU), and so is another side's own act told in the future ("Russia will seriously negotiate only
        when …", said by the EU; "Russia may agree to … if …", said by Kyiv), unless laid on them as a duty
        ("Putin must withdraw before …")."""
        if is_obliged(clause) or voice.reported:
            return False
        if _unfolds(clause):
            return True
        node = clause
        while node.dep_ in ("conj", "xcomp") and node.head.i != node.i and not any(
                c.dep_ == "nsubj" for c in node.children):
            # "Putin has zero interest in peace and will not stop the war until …", "Russia may agree to sign …"
            node = node.head
        subjects = [c for c in node.children if c.dep_ == "nsubj"]
        if len(subjects) != 1:
            return False   # two subjects: a parse gone wrong ("A meeting between Putin and Zelensky is possible")
        subject = subjects[0]
        future = any(c.dep_ == "aux" and c.lower_ in _FORETELLING for c in [*clause.children, *node.children])
        if subject.lower_ in _PERSON_PRONOUNS:
            other = self._last_person(subject.i)
        else:
            span = actor_at(self.doc, subject)   # the subject itself names the actor, not a phrase holding one
            other = Voice(span.label_, span.kb_id_) if span is not None else None
        if other is None and future and _unwatched_body(subject):
            return True   # "NATO will lay out a path, but without a timetable, Sullivan said": NATO's act, foretold
        if other is None or not other.actor or other.actor == voice.actor:
            return False
        return bool(other.speaker) or (future and (_lemma(clause) in LEXICON.own_choice_verbs
                                                   or _lemma(node) in LEXICON.own_choice_verbs))

    def consequence_subject(self, clause: Token) -> Token | None:
        """Is the clause a forecast of what will follow, about a thing and not anyone's act ("if there is a
        ceasefire, it will give Putin time to rearm", "this will allow Putin to win", "the Russian economy will
        collapse")? Such a clause is the speaker's warning, not a condition the speaker sets. Returns what the
        forecast is about ("it", "the Russian economy"), or None; the caller asks it only where the clause names
        no topic the bot watches."""
        if is_obliged(clause):
            return None
        node = clause
        for _ in range(3):   # "this will allow Putin to win", "that is going to open …": the verb that foretells
            if any(c.dep_ == "aux" and c.lower_ in _FUTURE for c in node.children) or (
                    _lemma(node) == "go" and any(c.dep_ == "xcomp" for c in node.children)
                    and any(c.dep_ == "aux" for c in node.children)):
                break
            if node.dep_ != "xcomp" or node.head.i == node.i:
                return None
            node = node.head
        else:
            return None
        subject = _subject(node)
        if subject is None or subject.lower_ in _SELF_PRONOUNS or subject.lower_ in _PERSON_PRONOUNS:
            return None
        if subject.lower_ in _STAND_IN_SUBJECTS:
            return subject
        # a thing, perhaps an actor's ("the Russian economy"), not an actor, a body or a person
        thing = subject.pos_ == "NOUN" and actor_at(self.doc, subject) is None and not is_person_like(subject) and \
            _lemma(subject) not in LEXICON.role_nouns
        return subject if thing else None

    # -- recaps -------------------------------------------------------------------------------------------
    def is_recap(self, predicate: Token) -> bool:
        """A clause told as an old statement ("in 2023 Washington said …") is not a new position."""
        published: dt.date | None = self.doc._.published
        node: Token | None = predicate
        for _ in range(8):
            if node is None:
                break
            if _lemma(node) in LEXICON.reporting_verbs or node.i == predicate.i or node.pos_ in ("VERB", "AUX"):
                for child in node.children:
                    if child.dep_ in ("prep", "npadvmod", "advmod") and not self._in_any_quote(child):
                        text = " ".join(t.text for t in child.subtree).lower()
                        years = [int(m.group(0)) for m in _YEAR.finditer(text)] if _temporal(child) else []
                        if years and published is not None and max(years) < published.year and child.dep_ == "prep":
                            return True
                        if any(p in f"{child.lower_} {text}" for p in LEXICON.recap_phrases):
                            return True
            if node.head.i == node.i:
                break
            node = node.head
        return False


def _supposed(verb: Token) -> bool:
    """A wish inside an if-clause ("if Ukraine wants peace"): a supposition, not anyone's demand."""
    return _lemma(verb) in LEXICON.demand_verbs and any(c.dep_ == "mark" and c.lower_ in _SUPPOSING
                                                         for c in verb.children)


def _speaker_phrase(head: Token) -> str:
    """"A senior US official, speaking on condition of anonymity," → "A senior US official"."""
    drop: set[int] = set()
    for child in head.children:
        if child.dep_ in ("acl", "relcl", "advcl", "appos", "punct", "prep") and child.i > head.i:
            sub = list(child.subtree)
            if child.dep_ == "prep" and actors_in(head.doc, sub[0].i, sub[-1].i + 1):
                continue   # "a statement from the Kremlin" keeps its actor
            if child.dep_ == "prep" and child.lower_ == "of" and child.i == head.i + 1 and len(sub) <= 3:
                continue   # "the Ukrainian head of state" is a title of its own
            drop.update(t.i for t in sub)
    words = [t for t in head.subtree if t.i not in drop]
    return head.doc[words[0].i:words[-1].i + 1].text if words else head.text


def _phrase(head: Token) -> list[Token]:
    """A speaker phrase without the clauses hung after its head (relative clauses, participles, asides)."""
    drop = {t.i for c in head.children if c.dep_ in ("relcl", "acl", "advcl", "parataxis") and c.i > head.i
            for t in c.subtree}
    words = [t for t in head.subtree if t.i not in drop]
    return list(head.doc[words[0].i:words[-1].i + 1]) if words else [head]


def _unfolds(clause: Token) -> bool:
    """Is the clause a forecast of how things will go, about nothing in particular ("this is the way it will go
    when …", "nothing is going to happen until …", "then everything will be ready")? Whoever says it, it is a
    prediction, not a term set for anyone."""
    chain = [clause]
    while chain[-1].dep_ in ("xcomp", "acomp", "conj") and chain[-1].head.i != chain[-1].i and len(chain) < 4 and \
            _subject(chain[-1]) is None:
        chain.append(chain[-1].head)   # "going to happen", "will be ready"
    subject = _subject(chain[-1])
    if subject is None:
        return False
    lemmas = {_lemma(t) for t in chain} | {_lemma(c) for t in chain for c in t.children if c.dep_ == "acomp"}
    if subject.lower_ in _STAND_IN_SUBJECTS:   # "it", "this" may stand for a truce: only "how it will go" foretells
        if not lemmas & LEXICON.unfolding_verbs:
            return False
    elif subject.lower_ not in LEXICON.unfolding_subjects or not (
            lemmas & (LEXICON.happening_verbs - {"be"}) or lemmas & LEXICON.offer_adjectives):
        return False
    return any(c.dep_ == "aux" and c.lower_ in _FORETELLING for t in chain for c in t.children) or any(
        _lemma(t) == "go" and any(c.dep_ == "xcomp" for c in t.children) for t in chain)


def _unwatched_body(subject: Token) -> bool:
    """A subject naming a country, an alliance or an organisation nobody watches ("NATO", "Hamas", "Turkey")."""
    doc = subject.doc
    if subject.ent_type_ not in ("ORG", "GPE", "NORP"):
        return False
    return not actors_in(doc, subject.left_edge.i, subject.right_edge.i + 1) and actor_at(doc, subject) is None


def _temporal(prep: Token) -> bool:
    """A prepositional phrase that dates the clause ("in 2022", "in March 2023"), not one naming a thing that
    carries a year ("on the 1967 borders")."""
    objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    if not objects or any(o.like_num or o.ent_type_ == "DATE" for o in objects):
        return True
    return prep.lower_ in ("under", "during", "since", "in")   # "under the 2015 nuclear deal"


def _listed(doc: Doc, token: Token) -> bool:
    """Is the token part of a person the config lists (who speaks for an actor whatever else his title says)?"""
    span = actor_at(doc, token)
    return span is not None and bool(span.kb_id_)


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _cited(token: Token) -> bool:
    """A person named as the source of what is told: "quoting Dombrovskis", "citing Peskov", "according to Peskov"."""
    node = token
    for _ in range(3):   # "quoting a statement by Dombrovskis": up through the statement it is the source of
        head = node.head
        if node.dep_ == "dobj" and _lemma(head) in ("quote", "cite"):
            return True
        if node.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
            return True
        if node.dep_ in ("pobj", "compound", "appos", "flat") and head.i != node.i:
            node = head if node.dep_ != "pobj" else head.head   # past the preposition to the noun it is on
            continue
        return False
    return False


def _salient(token: Token) -> bool:
    """A mention that makes a person the topic of the text: the subject of its sentence's main clause."""
    node = token
    for _ in range(3):
        if node.dep_ in ("nsubj", "nsubjpass"):
            return node.head.dep_ in ("ROOT", "conj") or node.head.head.i == node.head.i
        if node.dep_ in ("compound", "appos", "flat") and node.head.i != node.i:
            node = node.head
            continue
        return False
    return False


def _subject(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subjects:
        # The nearest one: in ""…, all of them," Rubio said" the parse may hang both on "said".
        return min(subjects, key=lambda c: abs(c.i - verb.i))
    # "Bruce noted, ..." parsed with the name as the verb's head in some sentences.
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("PROPN", "NOUN"):
        return verb.head
    return None


def _find_quotes(doc: Doc) -> list[Quote]:
    """Quoted passages as token ranges (curly quotes, guillemets, or straight quotes paired per paragraph)."""
    text = text_of(doc)
    start = body_start(doc)
    body = doc[start].idx if start < len(doc) else len(text)
    quotes: list[Quote] = []
    i = 0
    while (found := _QUOTE_OPEN.search(text, i)) is not None:
        i, ch = found.start(), found.group()
        close = _QUOTE_PAIRS[ch]
        if ch == '"' and i > 0 and text[i - 1] in ",.?!" and not quotes:
            # '…reforms," the President said.': the quote began before the excerpt, at its paragraph's start
            start = text.rfind("\n\n", 0, i)
            start = 0 if start == -1 else start + 2
            if len(_WORD.findall(text, start, i)) >= _MIN_QUOTE_WORDS:
                span = doc.char_span(start, i, alignment_mode="expand")
                if span is not None:
                    quotes.append(Quote(span.start, span.end, span.text))
            i += 1
            continue
        if ch == "‘" and i < body:
            i += 1   # a headline's single quotes mark words it sums up ("Kremlin: ‘talks will depend on …’")
            continue
        if ch == "‘":
            closing = _SINGLE_CLOSE.search(text, i + 1)
            j = closing.start() if closing is not None else -1
        else:
            j = text.find(close, i + 1)
        para_end = text.find("\n\n", i + 1)
        if j == -1:
            # An unclosed quote runs to the end of its paragraph (newswire style for multi-paragraph quotes).
            j = para_end if para_end != -1 else len(text)
        elif para_end != -1 and j > para_end and ch == '"':
            i += 1
            continue
        if para_end != -1 and j > para_end:
            # An unclosed quote runs to the end of its paragraph (newswire style for multi-paragraph quotes).
            j = para_end
        if len(_WORD.findall(text, i + 1, j)) >= _MIN_QUOTE_WORDS:
            span = doc.char_span(i + 1, j, alignment_mode="expand")
            if span is not None:
                quotes.append(Quote(span.start, span.end, span.text))
        i = j + 1
    return quotes
