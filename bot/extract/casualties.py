"""The `casualties` pipeline component: one report per attack a document tells of, with its toll, place, day,
weapon, target and attacker.

Sentences without a casualty word are skipped before any other work. Figures come from the parse
(`casualty_figures`) and are read for what they mean for a toll (`casualty_kinds`); the places the text names are
resolved in the place hierarchy (`casualty_places`, `gazetteer`); sentences about tallies, anniversaries, trials,
accidents and exchanges are recognised (`casualty_scope`); and all of it is gathered into the document's attacks
(`casualty_attacks`). Each attack becomes a `CasualtyReport`: its day from the text (a day on a verb of saying,
"said on Monday", dates the statement; no day told: the publication date, marked `undated`; "last week's strike":
no date rather than a wrong one), its weapon from `data/weapons.yaml`, its target from the `targets` of
`data/casualty_words.yaml`, and its attacker from the actor spans (`doc.spans["actors"]`, label = actor id) that
name who attacked.

Config (`nlp.add_pipe("casualties", config={...})`):
- `places`: list of dicts shaped like `bot.config.topics.Place` (name, country, lat, lon, aliases, admin).
- `min_city_population`: the geonames city list to use (500, 1000, 5000 or 15000).
- `weapons_path`: a YAML lexicon replacing the packaged `data/weapons.yaml` (None keeps the packaged one).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from bot.extract import casualty_words as W
from bot.extract.casualty_attacks import Attack, DocumentView, attacks_in, related, resolve_victims
from bot.extract.casualty_figures import KILLED, Figure, figures_in, has_trigger
from bot.extract.casualty_places import REPORTED, PlaceReader, in_dateline, is_agent, names_the_speaker, told_as_hit
from bot.extract.casualty_scope import ScopeMatcher
from bot.extract.event_dates import night_start, resolve_date
from bot.extract.facts import CasualtyReport
from bot.extract.gazetteer import Gazetteer, GeoPlace
from bot.extract.numbers import Quantity

if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)
if not Doc.has_extension("casualties"):
    Doc.set_extension("casualties", default=None)


@Language.factory(
    "casualties",
    default_config={"places": [], "min_city_population": 15000, "weapons_path": None},
    requires=["doc.ents", "token.dep", "token.lemma"],
    assigns=["doc._.casualties"],
)
def make_casualties(nlp: Language, name: str, places: list[dict[str, Any]], min_city_population: int,
                    weapons_path: str | None) -> "CasualtyExtractor":
    split_glued_semicolons(nlp)
    return CasualtyExtractor(nlp, name, places=places, min_city_population=min_city_population,
                             weapons_path=weapons_path)


def split_glued_semicolons(nlp: Language) -> None:
    """Make the tokenizer split "kills 12;Suicide bomber": wire headlines joined by ';' without a space
    otherwise fuse the figure of one headline with the next. The model's tokenizer is wrapped, not changed
    (setting its infixes reloads all its special cases, a tenth of a second at every start). Idempotent."""
    if not isinstance(nlp.tokenizer, GluedSemicolons):
        nlp.tokenizer = GluedSemicolons(nlp.tokenizer)


class GluedSemicolons:
    """A tokenizer: the model's, then each token holding a glued ';' ("12;Suicide") split around it, the parts
    tokenized again. Everything else is the model's tokenizer's (serialisation included)."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc: Doc = self.tokenizer(text)
        if ";" not in text or not _GLUED_SEMICOLON.search(text):
            return doc
        words: list[str] = []
        spaces: list[bool] = []
        for token in doc:
            parts = _GLUED_SEMICOLON.split(token.text) if ";" in token.text else [token.text]
            if len(parts) == 1:
                words.append(token.text)
                spaces.append(bool(token.whitespace_))
                continue
            for i, part in enumerate(parts):
                pieces = [t for t in self.tokenizer(part)] if part else []
                for piece in pieces:
                    words.append(piece.text)
                    spaces.append(bool(piece.whitespace_))
                if i < len(parts) - 1:
                    words.append(";")
                    spaces.append(False)
            spaces[-1] = bool(token.whitespace_)
        return Doc(doc.vocab, words=words, spaces=spaces)

    def __getattr__(self, name: str) -> Any:
        if name == "tokenizer" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


_GLUED_SEMICOLON = re.compile(r"(?<=[\w\)\"'’]);(?=[\w\"'‘])")
LEAD_SENTENCES = 4        # the title and the lead, where a report says what hit where


class CasualtyExtractor:
    """Writes `doc._.casualties`: one `CasualtyReport` per attack the text reports figures for."""

    def __init__(self, nlp: Language, name: str = "casualties", *, places: Iterable[dict[str, Any]] = (),
                 min_city_population: int = 15000, weapons_path: str | None = None) -> None:
        self.name = name
        self.gazetteer = Gazetteer(places, min_city_population=min_city_population)
        self.weapon_order: list[str] = []
        self.weapon_lemmas: dict[str, str] = {}
        self.weapon_phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.violence_lemmas: set[str] = set(W.VIOLENCE_WORDS)
        for entry in _load_weapons(weapons_path):
            self.weapon_order.append(entry["id"])
            for lemma in entry.get("lemmas") or ():
                self.weapon_lemmas.setdefault(lemma.lower(), entry["id"])
            self.violence_lemmas.update(lemma.lower() for lemma in entry.get("lemmas") or ())
            phrases = list(entry.get("phrases") or ())
            phrases += [p + "s" for p in phrases if not p.endswith("s")]     # "glide bombs", "drone strikes"
            if phrases:
                self.weapon_phrases.add(entry["id"], [nlp.make_doc(p) for p in phrases])
        self.targets = PhraseMatcher(nlp.vocab, attr="LOWER")
        for target, names in W.TARGETS.items():
            forms = [*names, *(p + "s" for p in names if not p.endswith("s"))]
            self.targets.add(target, [nlp.make_doc(p) for p in forms])
        self.places = PlaceReader(self.gazetteer, self.weapon_lemmas)
        self.scope = ScopeMatcher(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        told = [(sent, figures_in(sent, self.violence_lemmas)) for sent in doc.sents if has_trigger(sent)]
        counted = {sent.start for sent, found in told if found}
        figures: list[Figure] = []
        for sent, found in told:
            if not found and _beside(sent, counted):
                found = figures_in(sent, self.violence_lemmas, counted_beside=True)
            figures.extend(found)
        if not figures:
            doc._.casualties = []
            return doc
        published = _as_date(doc._.published)
        view = DocumentView(doc=doc, published=published, mentions=self.places(doc), scopes=self.scope(doc),
                            about_attack=self._about_attack, dates_in=lambda s: _dates_in(s, published),
                            names_an_attack=self._names_an_attack)
        attacks = attacks_in(view, figures)
        several = len(attacks) > 1
        reports = [self._report(doc, view, attack, several) for attack in attacks]
        doc._.casualties = [r for r in reports if r is not None]
        return doc

    def _about_attack(self, sent: Span) -> bool:
        """A sentence about an attack: it names one, or a fire, or a verb of killing tells one."""
        return self._names_an_attack(sent) or any(
            t.lemma_.lower() in W.ACCIDENT_TOO or (t.pos_ == "VERB" and t.lemma_.lower() in W.KILL_VERBS) for t in sent)

    def _names_an_attack(self, sent: Span) -> bool:
        """A sentence naming an attack itself: a weapon, an attack word or a verb of attacking (not a word that
        names an accident as well: a fire is an attack as "rocket fire", "opened fire", the weapons' phrases)."""
        if any(True for _ in self.weapon_phrases(sent)):
            return True
        return any(t.lemma_.lower() in self.weapon_lemmas
                   or (t.lemma_.lower() in W.ATTACK_NOUNS - W.ACCIDENT_TOO and not _of_something_else(t))
                   or (t.pos_ == "VERB" and t.lemma_.lower() in W.ATTACK_VERBS)
                   or (t.pos_ == "PROPN" and told_as_hit(t)) for t in sent)   # "Kyiv is the most affected"

    # -- report fields ---------------------------------------------------------------------------------

    def _report(self, doc: Doc, view: DocumentView, attack: Attack, several: bool) -> CasualtyReport | None:
        (killed, killed_added), (injured, injured_added) = resolve_victims(attack, several)
        if killed is None and injured is None and not killed_added and not injured_added:
            return None
        sentences = self._sentences_of(doc, view, attack)
        place = attack.place
        day, undated = self._day(attack, view.published)
        return CasualtyReport(
            killed=killed.value if killed else None,
            killed_low=killed.low if killed else None,
            killed_high=killed.high if killed else None,
            injured=injured.value if injured else None,
            injured_low=injured.low if injured else None,
            injured_high=injured.high if injured else None,
            location=self._name_of(place) if place else None,
            country=place.country if place else attack.country,
            admin=place.admin if place else None,
            lat=place.lat if place else None,
            lon=place.lon if place else None,
            date=day,
            weapon=self._weapon(doc, attack.sentences) or self._weapon(doc, sentences),
            perpetrator=self._perpetrator(doc, attack, sentences),
            quote=" ".join(dict.fromkeys(s.text.strip() for s in sorted(attack.sentences, key=lambda s: s.start))),
            place_level=place.level if place else ("country" if attack.country else None),
            district=place.district if place else None,
            target=self._target(doc, sentences),
            killed_added=killed_added,
            injured_added=injured_added,
            undated=undated,
            night=_night_of(sentences, day, view.published) if day is not None and not undated else None,
            again=_told_again(sentences),
            revision=attack.tells_a_revision() or (day is None and not undated),   # "last week's strike"
            killed_as_victims=killed is not None and _read_from_victims(killed, attack.toll(KILLED, several=several)[0]),
        )

    def _name_of(self, place: GeoPlace) -> str:
        """A place's name; a region known only by its code gets the curated name ("UA.07" → "Kharkiv Oblast")."""
        if place.kind == "region" and place.name == place.admin:
            return self.gazetteer.region_name(place.admin) or place.name
        return place.name

    def _sentences_of(self, doc: Doc, view: DocumentView, attack: Attack) -> list[Span]:
        """The sentences that tell this attack: its figures', and for the document's main attack the title and
        lead sentences about an attack that name no place of another one (later paragraphs are often about
        other strikes of the same night)."""
        own = sorted(attack.sentences, key=lambda s: s.start)
        if not attack.main:
            return own
        others = {s.start for s in doc.sents if any(
            m.role in REPORTED and m.place.kind != "country" and attack.place is not None
            and not related(m.place, attack.place) for m in view.mentions if s.start <= m.start < s.end)}
        lead = list(doc.sents)[:LEAD_SENTENCES]
        return own + [s for s in lead if s.start not in others and self._about_attack(s)
                      and all(s.start != o.start for o in own)]

    def _day(self, attack: Attack, published: dt.date | None) -> tuple[dt.date | None, bool]:
        if attack.day is not None:
            return attack.day, False
        if attack.told_as_earlier():
            return None, False       # "last week's strike": neither the publication nor the statement date
        statement = next((d for s in attack.sentences for d, speech, _ in _dates_in(s, published) if speech), None)
        return (statement or published), True

    def _weapon(self, doc: Doc, sentences: Iterable[Span]) -> str | None:
        found: set[str] = set()
        for sent in sentences:
            for match_id, _, _ in self.weapon_phrases(sent):
                found.add(doc.vocab.strings[match_id])
            for token in sent:
                weapon = self.weapon_lemmas.get(token.lemma_.lower()) or self.weapon_lemmas.get(token.lower_)
                following = doc[token.i + 1] if token.i + 1 < len(doc) else None
                if weapon and not (following is not None and following.lower_ == "down"):   # "shot down"
                    found.add(weapon)
        return min(found, key=self.weapon_order.index) if found else None

    def _target(self, doc: Doc, sentences: Iterable[Span]) -> str | None:
        for sent in sentences:
            # the longest name at a place first ("bus station" over "bus")
            for match_id, start, end in sorted(self.targets(sent), key=lambda m: (m[1], m[1] - m[2])):
                target = doc.vocab.strings[match_id]
                if (target == "hospital" and _where_treated(doc[start:end])) or names_the_speaker(doc[start:end]):
                    continue
                return target
        return None

    def _perpetrator(self, doc: Doc, attack: Attack, sentences: list[Span]) -> str | None:
        """The watched actor named as the attacker (never one inside the victims' noun phrase)."""
        victim_tokens = {t.i for told in attack.told if told.figure.victims is not None
                         for t in told.figure.victims.subtree}
        for sent in sentences:
            for span in doc.spans.get("actors", []):
                if sent.start <= span.start < sent.end and span.root.i not in victim_tokens \
                        and is_agent(span.root, self.weapon_lemmas):
                    return str(span.label_)
        return None


def _of_something_else(noun: Token) -> bool:
    """"The search and rescue operation", "a recovery operation": an attack noun its modifier makes something
    else."""
    modifiers = [c for c in noun.children if c.dep_ in {"compound", "amod", "nmod"}]
    modifiers += [g for c in modifiers for g in c.children if g.dep_ == "conj"]
    return any(m.lemma_.lower() in W.NOT_AN_ATTACK for m in modifiers)


def _where_treated(span: Span) -> bool:
    """"taken to hospital", "died in hospital", "134 are in a military hospital": where victims are treated, not
    what was hit."""
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in {"in", "to", "into", "from"}


def _load_weapons(path: str | None) -> list[dict[str, Any]]:
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files("bot.extract").joinpath("data/weapons.yaml").read_text(encoding="utf-8")
    return list((W.parse_yaml(text) or {}).get("weapons") or [])


def _beside(sent: Span, counted: set[int]) -> bool:
    """Is a counted toll told in the sentence right before or after this one, in its paragraph?"""
    doc = sent.doc

    def joined(boundary: int) -> bool:   # no paragraph break between the sentences that meet at `boundary`
        return "\n\n" not in doc[boundary - 1].text_with_ws

    after = sent.end < len(doc) and sent.end in counted and joined(sent.end)
    before = sent.start > 0 and doc[sent.start - 1].sent.start in counted and joined(sent.start)
    return after or before


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _dates_in(sent: Span, published: dt.date | None) -> list[tuple[dt.date, bool, int]]:
    """The days a sentence names, each with whether it dates a statement ("said on Monday") rather than an event,
    and where it is (its first token); "overnight", "yesterday" untagged by the model count too."""
    out = []
    for ent in sent.ents:
        if ent.label_ in {"DATE", "TIME"}:
            day = resolve_date(ent.text, published)
            if day is not None:
                out.append((day, _dates_a_statement(ent) or in_dateline(ent), ent.start))
    for token in sent:
        word = token.lower_.replace("\u02bc", "'").replace("\u2019", "'").removesuffix("'s")
        if word in _RELATIVE_WORDS and not token.ent_type_:
            day = resolve_date(word, published)      # "overnight", "yesterdayʼs" (an apostrophe the model misses)
            if day is not None:
                out.append((day, False, token.i))
    return sorted(out, key=lambda d: d[2])


def _read_from_victims(killed: Quantity, dead_told: Quantity | None) -> bool:
    """The dead figure is "the number of victims/casualties", not a count of the dead: none is told, or one
    below it ("the number of victims has risen to 45 ... four people were killed"), which may count the wounded
    too."""
    return dead_told is None or killed != dead_told


def _night_of(sentences: Iterable[Span], day: dt.date, published: dt.date | None) -> dt.date | None:
    """The evening of the night the attack's sentences tell it in ("overnight", "on Saturday night", "early on
    Sunday"), where that night holds the attack's day; None for an attack told of a day alone."""
    for sent in sentences:
        for phrase in _day_phrases(sent):
            told = resolve_date(phrase.text, published)
            evening = night_start(phrase.text, told) if told is not None else None
            if evening is not None and 0 <= (day - evening).days <= 1:
                return evening
    return None


def _told_again(sentences: Iterable[Span]) -> bool:
    """The attack's sentences tell it as one more on its place ("hit again", "a second night in a row")."""
    for sent in sentences:
        words = [t.lower_ for t in sent]
        if any(tuple(words[i:i + len(p)]) == p for i, word in enumerate(words)
               for p in _REPEATS_BY_FIRST.get(word, ())):
            return True
    return False


def _by_first_word(phrases: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        out.setdefault(phrase[0], []).append(phrase)
    return out


_REPEATS_BY_FIRST = _by_first_word(W.REPEAT_PHRASES)   # the repeat phrases by their first word


_BEFORE_A_DAY = {"early", "late", "overnight", "on", "in", "the", "of", "hours", "small", "wee", "night", "into"}
_AFTER_A_DAY = {"night", "evening", "overnight"}


def _day_phrases(sent: Span) -> list[Span]:
    """The sentence's day phrases, each with the words around it that tell a part of the day the model leaves
    out of the entity ("early on | Sunday", "Saturday | night"); "overnight" alone too. Statements' days are
    left out ("said on Sunday")."""
    doc = sent.doc
    out = []
    for ent in sent.ents:
        if ent.label_ not in {"DATE", "TIME"} or _dates_a_statement(ent) or in_dateline(ent):
            continue
        start, end = ent.start, ent.end
        while start > sent.start and start > ent.start - 3 and doc[start - 1].lower_ in _BEFORE_A_DAY:
            start -= 1
        if end < sent.end and doc[end].lower_ in _AFTER_A_DAY:
            end += 1
        out.append(doc[start:end])
    out += [doc[t.i:t.i + 1] for t in sent if t.lower_ == "overnight" and not t.ent_type_]
    return sorted(out, key=lambda span: span.start)


_RELATIVE_WORDS = {"overnight", "yesterday", "today", "tonight"}
_PARTS_OF_A_DAY = {"morning", "afternoon", "evening", "night", "end", "beginning"}


def _dates_a_statement(ent: Span) -> bool:
    """"said on Monday", "on Sunday the toll rose", "as of July 30", "on November 23 it became known": the day
    something was said or a toll revised, not the day of the attack. A day written right after a verb of saying
    ("the ministry said on Tuesday its missiles struck ...") is the saying's, wherever the parse attaches it."""
    doc = ent.doc
    before = [doc[i] for i in range(max(ent.start - 2, 0), ent.start)]
    if before and before[-1].lower_ == "on":
        before = before[:-1]
    if before and before[-1].pos_ == "VERB" and before[-1].lemma_.lower() in W.REPORTING_VERBS:
        return True
    root = ent.root
    while root.dep_ == "compound" or (root.dep_ == "pobj" and root.head.lower_ == "of"
                                      and root.head.head.lower_ in _PARTS_OF_A_DAY):
        root = root.head if root.dep_ == "compound" else root.head.head     # "as of the morning of July 30"
    head = root.head
    if root.dep_ == "pobj" and head.dep_ == "prep":
        if (head.lower_ == "of" and head.i > 0 and ent.doc[head.i - 1].lower_ == "as") or head.lower_ == "by":
            return True                            # "as of the morning of July 30", "by Wednesday ... had risen"
        head = head.head
    elif root.dep_ not in {"npadvmod", "tmod", "advmod"}:
        return False
    if head.pos_ not in {"VERB", "AUX"}:
        return False
    lemma = head.lemma_.lower()
    if lemma in W.REPORTING_VERBS or (lemma == "become" and any(c.lower_ == "known" for c in head.children)):
        return True
    # "on Sunday the toll rose to 31": the day the toll was revised
    return lemma in W.REVISION_VERBS and any(
        c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in {"toll", "number", "count", "tally", "figure"}
        for c in head.children)
