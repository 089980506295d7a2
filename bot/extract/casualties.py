"""The `casualties` pipeline component: killed / injured figures with place, date, weapon and perpetrator.

Sentences without a casualty word are skipped before any other work. Figures come from the parse
(`casualty_figures`), are grouped into events (`casualty_events`), and each event becomes a `CasualtyReport`
whose place comes from the gazetteer, date from the text or `doc._.published`, weapon from `data/weapons.yaml`
and perpetrator from the actor spans (`doc.spans["actors"]`, label = actor id) that name who attacked.

Places: place entities, proper names in a place's slot ("an attack on Sumy") and proper nouns that modify a noun
the way place names do ("the Sumy death toll", "Quetta's main road", "a Kabul wedding hall"); the last are taken
only for countries, curated places, cities of 100,000 people or more, or cities in a country the text names, and
never for watched actors, nationality adjectives or the first word of a longer name ("the Lincoln Memorial").
A wire dateline ("KYIV, April 14 (Reuters) -") is where the reporter is, so it is used only when nothing else is
named; a capital speaking for its government ("Moscow said") is no place.

Event context: a report that refers back to an attack ("the number of dead had risen to 35", "the toll from the
attack") and names no place, date, weapon or attacker of its own takes them from the sentences about the attack
elsewhere in the document (the title among them), when those describe one event in one city. Dates on verbs of
saying ("said on Monday") or of a toll's revision ("on Sunday the toll rose") date the report, not the attack;
"last week's strike" leaves the date empty rather than wrong.

Config (`nlp.add_pipe("casualties", config={...})`):
- `places`: list of dicts shaped like `bot.config.topics.Place` (name, country, lat, lon, aliases, admin).
- `min_city_population`: the geonames city list to use (500, 1000, 5000 or 15000).
- `weapons_path`: a YAML lexicon replacing the packaged `data/weapons.yaml` (None keeps the packaged one).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import compile_infix_regex

from bot.extract import casualty_words as W
from bot.extract.casualty_events import PLACE_LABELS, Event, group, window as event_window
from bot.extract.casualty_figures import Figure, figures_in, has_trigger
from bot.extract.event_dates import is_vague_past, resolve_date
from bot.extract.facts import CasualtyReport
from bot.extract.gazetteer import Gazetteer, GeoPlace

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
    otherwise fuse the figure of one headline with the next. Idempotent."""
    current = getattr(nlp.tokenizer.infix_finditer, "__self__", None)
    pattern = current.pattern if isinstance(current, re.Pattern) else None
    if pattern is not None and _GLUED_SEMICOLON in pattern:
        return
    infixes = [pattern] if pattern else list(nlp.Defaults.infixes or ())
    nlp.tokenizer.infix_finditer = compile_infix_regex([*infixes, _GLUED_SEMICOLON]).finditer


_GLUED_SEMICOLON = r"(?<=[\w\)\"'’]);(?=[\w\"'‘])"


_REGION = "REGION"
_WEAK = "WEAK_PLACE"          # a proper noun read as a place without a place entity ("the Sumy death toll")
_WEAK_IN_NAME = "WEAK_PLACE_IN_NAME"   # the same, first word of a longer name ("the Pakistan Stock Exchange")
_FOREIGN_ALTERNATE = "FOREIGN_ALTERNATE"   # found by an alternate spelling, in no country the text names
_DATELINE = "DATELINE"        # "KYIV, April 14 (Reuters) -": where the reporter files from, not the attack
_STATEMENT = "STATEMENT_PLACE"   # where something was said ("speaking in Kyiv", "told reporters in Kharkiv")
_DASHES = {"-", "—", "–", "--"}
# a proper noun the model does not tag as a place is read as a city only when the city is this large, or lies in a
# country the text names (so "Police", "Most" or a person's name in a compound are not taken for towns)
WEAK_PLACE_MIN_POPULATION = 100_000


@dataclass(frozen=True)
class EventContext:
    """What a document tells about the one attack it is about: carried to a report that refers back to it
    ("the number of dead had risen to 35") and names none of it in its own sentences."""

    place: GeoPlace | None = None
    date: dt.date | None = None
    weapon: str | None = None
    perpetrator: str | None = None


class CasualtyExtractor:
    """Writes `doc._.casualties`: one `CasualtyReport` per event the text reports figures for."""

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

    def __call__(self, doc: Doc) -> Doc:
        figures: list[Figure] = []
        for sent in doc.sents:
            if not has_trigger(sent):
                continue
            figures.extend(figures_in(sent, self.violence_lemmas))
        events = group(figures)
        if not events:
            doc._.casualties = []
            return doc
        places = self._doc_places(doc)
        context = self._context(doc, events, places)
        doc._.casualties = [self._report(doc, event, events, places, context) for event in events]
        return doc

    def _doc_places(self, doc: Doc) -> list[tuple[Span, GeoPlace]]:
        """Every place mention in the text, resolved once; countries named anywhere (by name or nationality
        adjective) steer ambiguous cities and admit proper nouns the model did not tag as places."""
        mentions = _place_mentions(doc)
        first = self._resolved(mentions, (), doc_countries=None)
        countries = {p.country for _, p in first if p.kind == "country"}
        # the countries of cities the model tags as places under their own names ("Homs", "Sumy")
        countries |= {p.country for s, p in first if p.kind == "city" and p.primary and s.label_ in PLACE_LABELS}
        for ent in doc.ents:
            if ent.label_ == "NORP":
                place = self.gazetteer.country_of_demonym(ent.text)
                if place is not None:
                    countries.add(place.country)
        resolved = self._resolved(mentions, countries, doc_countries=countries)
        inside = {t.i: p for s, p in resolved for t in s}
        # "the Old City of Damascus", "the port city of Odesa": the place after "of" is the one to match on
        return [(s, p) for s, p in resolved if not any(
            c.dep_ == "prep" and c.lower_ == "of" and any(g.dep_ == "pobj" and g.i in inside and inside[g.i] != p
                                                           and inside[g.i].kind != "country" for g in c.children)
            for c in s.root.children)]

    def _context(self, doc: Doc, events: list[Event], places: list[tuple[Span, GeoPlace]]) -> EventContext | None:
        """The document's one attack: its place, date, weapon and attacker as the sentences about violence (the
        title among them) tell them. None when they name two cities, or events are told in two places: then more
        than one event is in play and nothing is carried."""
        about = [s for s in doc.sents if self._about_attack(s)]
        for event in events:
            about += [s for s in event.sentences if all(a.start != s.start for a in about)]
        if not about:
            return None
        named = [(s, p) for s, p in places if _in_any(s, about)]
        reported = [(s, p) for s, p in named if s.label_ not in {_DATELINE, _STATEMENT}]
        cities = {(p.name, p.country) for _, p in reported if p.kind != "country"}
        if len(cities) > 1:
            return None
        own = {(p.name, p.country) for e in events for s, p in places
               if p.kind != "country" and s.label_ not in {_DATELINE, _STATEMENT} and _in_any(s, e.sentences)}
        if len(own | cities) > 1:
            return None
        place = next((p for _, p in reported if p.kind != "country"), None)
        if place is None and not any(p.kind == "country" for _, p in reported):
            datelines = {(p.name, p.country) for s, p in named if s.label_ == _DATELINE}
            place = next((p for _, p in named), None) if len(datelines) == 1 else None
        if place is None:
            countries = {p.country for _, p in named}
            place = next((p for _, p in named), None) if len(countries) == 1 else None
        dates = {d for s in about for d, speech in _dates_in(s, _as_date(doc._.published)) if not speech}
        perpetrators = {self._agent_in(doc, s, set()) for s in about} - {None}
        return EventContext(
            place=place,
            date=next(iter(dates)) if len(dates) == 1 else None,
            weapon=self._weapon(doc, Event(sentences=about), []),
            perpetrator=next(iter(perpetrators)) if len(perpetrators) == 1 else None,
        )

    def _about_attack(self, sent: Span) -> bool:
        """A sentence about an attack: a weapon, an attack word or a verb of attacking."""
        if any(True for _ in self.weapon_phrases(sent)):
            return True
        return any(t.lemma_.lower() in self.weapon_lemmas or t.lemma_.lower() in W.ATTACK_NOUNS
                   or (t.pos_ == "VERB" and t.lemma_.lower() in W.ATTACK_VERBS | W.KILL_VERBS) for t in sent)

    def _refers_back(self, event: Event) -> bool:
        """The report points at an attack told before: "the attack", "the number of dead", "the toll",
        "Sunday's strike"."""
        for sent in event.sentences:
            for token in sent:
                lemma = token.lemma_.lower()
                if lemma not in W.BACK_REFERENCE_NOUNS and token.lower_ not in W.BACK_REFERENCE_NOUNS \
                        and lemma not in self.weapon_lemmas:
                    continue
                if any(c.dep_ == "det" and c.lower_ in {"the", "this", "that", "these", "those"}
                       or c.dep_ == "poss" for c in token.children):
                    return True
        return False

    # -- report fields ---------------------------------------------------------------------------------

    def _report(self, doc: Doc, event: Event, events: list[Event], places: list[tuple[Span, GeoPlace]],
                context: EventContext | None = None) -> CasualtyReport:
        window = event_window(doc, event, events)
        published = _as_date(doc._.published)
        carried = context if context is not None and self._refers_back(event) else None
        place = self._place(event, window, places, carried.place if carried else None)
        weapon = self._weapon(doc, event, window) or (carried.weapon if carried else None)
        perpetrator = self._perpetrator(doc, event, window) or (carried.perpetrator if carried else None)
        killed, injured = event.killed, event.injured
        return CasualtyReport(
            killed=killed.quantity.value if killed else None,
            killed_low=killed.quantity.low if killed else None,
            killed_high=killed.quantity.high if killed else None,
            injured=injured.quantity.value if injured else None,
            injured_low=injured.quantity.low if injured else None,
            injured_high=injured.quantity.high if injured else None,
            location=place.name if place else None,
            country=place.country if place else None,
            admin=place.admin if place else None,
            lat=place.lat if place else None,
            lon=place.lon if place else None,
            date=self._date(event, window, published, carried.date if carried else None),
            weapon=weapon,
            perpetrator=perpetrator,
            quote=" ".join(dict.fromkeys(s.text.strip() for s in event.sentences)),
        )

    def _place(self, event: Event, window: list[Span], resolved: list[tuple[Span, GeoPlace]],
               carried: GeoPlace | None = None) -> GeoPlace | None:
        """The event's place: a city named in its own sentences, then the nearest one before them in its window,
        then a country named there; only where the event's sentences name no place, the place of the attack the
        report refers back to, else the city (else the country) the whole text names most."""
        own = [(s, p) for s, p in resolved if _in_any(s, event.sentences)]
        before = sorted(((s, p) for s, p in resolved if _in_any(s, window) and not _in_any(s, event.sentences)),
                        key=lambda sp: -sp[0].start)
        nearby = [(0, s, p) for s, p in own] + [(1, s, p) for s, p in before]
        ranked = [(s, p) for _, s, p in sorted(nearby, key=lambda tsp: (
            tsp[1].label_ == _DATELINE, tsp[2].kind == "country", tsp[1].label_ == _REGION,
            tsp[1].label_ == _STATEMENT, tsp[0],
            tsp[1].label_ in {_WEAK, _WEAK_IN_NAME}, tsp[1].label_ == _FOREIGN_ALTERNATE))]
        for _, place in ranked:
            if place.kind == "country" and carried is not None and carried.kind != "country":
                return carried       # only a country near a toll that refers back to the Sumy strike
            return place
        if carried is not None:
            return carried
        cities = Counter(p for s, p in resolved if p.kind != "country" and s.label_ != _DATELINE) \
            or Counter(p for _, p in resolved if p.kind != "country")
        if cities:
            (top, count), *rest = cities.most_common(2)
            # two cities named as often ("4 killed in Odesa ... 2 in Kherson ... the dead rose to six"): which
            # one is not said, and a wrong place would revise the wrong event
            return top if not rest or rest[0][1] < count else None
        countries = Counter(p for _, p in resolved)
        return countries.most_common(1)[0][0] if countries else None

    def _resolved(self, mentions: list[Span], countries: Iterable[str],
                  doc_countries: set[str] | None) -> list[tuple[Span, GeoPlace]]:
        out = []
        prefer = tuple(countries)
        for span in mentions:
            if span.label_ in {_WEAK, _WEAK_IN_NAME}:
                place = self._weak_place(span, prefer, doc_countries)
                if place is not None:
                    out.append((span, place))
                continue
            if span.label_ == "NORP":
                place = self.gazetteer.country_of_demonym(span.text)
                if place is not None:
                    out.append((span, place))
                    continue
            place = self.gazetteer.resolve(span.text, prefer)
            if place is None:
                # "north west Pakistan", "the Belgorod region", "Helmand province"
                words = [t.text for t in span if t.lower_ not in W.COMPASS and t.lower_ not in W.PLACE_NOUNS
                         and t.text not in {"-", ".", "the", "The"}]
                place = self.gazetteer.resolve(" ".join(words), prefer) if words and len(words) < len(span) else None
                if place is not None and any(t.lower_ in W.PLACE_NOUNS for t in span):
                    # a region named after its city ("Haifa District"): ranked below the cities named
                    span = Span(span.doc, span.start, span.end, label=_REGION)
            if place is None and len(span) > 1:
                # "the Old City of Damascus", "a Kabul wrestling club": a known name inside a longer one
                for token in span:
                    if token.pos_ == "PROPN" and not _in_actor(token):
                        nxt = span.doc[token.i + 1] if token.i + 1 < span.end else None
                        in_name = nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper()
                        word = Span(span.doc, token.i, token.i + 1, label=_WEAK_IN_NAME if in_name else _WEAK)
                        place = self._weak_place(word, prefer, doc_countries)
                        if place is not None:
                            span = word
                            break
            if place is None or _speaks_for_an_actor(span, place, self.weapon_lemmas):
                continue
            if span.label_ not in PLACE_LABELS and not place.primary and place.kind == "city":
                continue   # a proper name read as a place only on a city's own name, not an alternate spelling
            if _in_dateline(span):
                span = Span(span.doc, span.start, span.end, label=_DATELINE)
            elif _locates_a_statement(span):
                span = Span(span.doc, span.start, span.end, label=_STATEMENT)
            elif not place.primary and place.kind == "city" and doc_countries is not None \
                    and place.country not in doc_countries:
                # "an Ariana Grande concert in Manchester": a foreign town's alternate spelling ranks last
                span = Span(span.doc, span.start, span.end, label=_FOREIGN_ALTERNATE)
            out.append((span, place))
        return out

    def _weak_place(self, span: Span, prefer: tuple[str, ...], doc_countries: set[str] | None) -> GeoPlace | None:
        """A proper noun the model gave no place label: a country, a curated or config place, or a city under its
        own name that is large or lies in a country the text names; never a nationality adjective."""
        text = span.text
        if self.gazetteer.country_of_demonym(text) is not None:
            return None
        place = self.gazetteer.resolve(text, prefer)
        if place is None or not place.primary:
            return None
        if place.kind in {"country", "config"} or self.gazetteer.is_curated(text):
            return place
        if doc_countries and place.country in doc_countries:
            return place
        # a large city, unless the word begins a longer name ("the Lincoln Memorial", "a Mobile Phone market")
        return place if place.population >= WEAK_PLACE_MIN_POPULATION and span.label_ != _WEAK_IN_NAME else None

    def _date(self, event: Event, window: list[Span], published: dt.date | None,
              carried: dt.date | None = None) -> dt.date | None:
        """The attack's day: a date told in the report or just before it, then the date of the attack it refers
        back to; a date on a verb of saying ("officials said on Monday") only where nothing else dates it."""
        statement = None
        for sent in [*event.sentences, *reversed(window)]:
            for day, speech in _dates_in(sent, published):
                if not speech:
                    return day
                statement = statement or day
        if carried is not None:
            return carried
        if any(is_vague_past(ent.text) for sent in event.sentences for ent in sent.ents
               if ent.label_ in {"DATE", "TIME"}):
            return None        # "last week's strike": neither the publication nor the statement date
        return statement or published

    def _weapon(self, doc: Doc, event: Event, window: list[Span]) -> str | None:
        for sentences in (event.sentences, window):
            found: set[str] = set()
            for sent in sentences:
                for match_id, _, _ in self.weapon_phrases(sent):
                    found.add(doc.vocab.strings[match_id])
                for token in sent:
                    weapon = self.weapon_lemmas.get(token.lemma_.lower()) or self.weapon_lemmas.get(token.lower_)
                    if weapon:
                        found.add(weapon)
            if found:
                return min(found, key=self.weapon_order.index)
        return None

    def _perpetrator(self, doc: Doc, event: Event, window: list[Span]) -> str | None:
        """The watched actor named as the attacker (never one inside the victims' noun phrase)."""
        victims = [f.victims for f in (event.killed, event.injured) if f and f.victims is not None]
        victim_tokens = {t.i for v in victims for t in v.subtree}
        for sent in [*event.sentences, *window]:
            agent = self._agent_in(doc, sent, victim_tokens)
            if agent is not None:
                return agent
        return None

    def _agent_in(self, doc: Doc, sent: Span, victim_tokens: set[int]) -> str | None:
        for span in doc.spans.get("actors", []):
            if not (sent.start <= span.start < sent.end) or span.root.i in victim_tokens:
                continue
            if _is_agent(span.root, self.weapon_lemmas):
                return span.label_
        return None


def _load_weapons(path: str | None) -> list[dict[str, Any]]:
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files("bot.extract").joinpath("data/weapons.yaml").read_text(encoding="utf-8")
    return list((yaml.safe_load(text) or {}).get("weapons") or [])


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _in_any(span: Span, sentences: Sequence[Span]) -> bool:
    return any(s.start <= span.start < s.end for s in sentences)


def _dates_in(sent: Span, published: dt.date | None) -> list[tuple[dt.date, bool]]:
    """The days a sentence names, each with whether it dates a statement ("said on Monday") rather than an event."""
    out = []
    for ent in sent.ents:
        if ent.label_ in {"DATE", "TIME"}:
            day = resolve_date(ent.text, published)
            if day is not None:
                out.append((day, _dates_a_statement(ent) or _in_dateline(ent)))
    return out


def _dates_a_statement(ent: Span) -> bool:
    root = ent.root
    while root.dep_ == "compound":
        root = root.head
    head = root.head
    if root.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    elif root.dep_ not in {"npadvmod", "tmod", "advmod"}:
        return False
    if head.pos_ not in {"VERB", "AUX"}:
        return False
    lemma = head.lemma_.lower()
    if lemma in W.REPORTING_VERBS:
        return True
    # "on Sunday the toll rose to 31": the day the toll was revised
    return lemma in W.REVISION_VERBS and any(
        c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in {"toll", "number", "count", "tally"}
        for c in head.children)


def _in_dateline(span: Span) -> bool:
    """Whether the span is in a wire dateline: "KYIV, April 14 (Reuters) -", "GAZA CITY (AP) —"."""
    sent = span.sent
    head = sent.doc[sent.start:min(sent.end, sent.start + 14)]
    dash = next((t.i for t in head if t.text in _DASHES), None)
    if dash is None or span.start >= dash or not sent[0].is_upper:
        return False
    return all(t.is_upper or t.is_punct or t.is_space or t.like_num or t.ent_type_ == "DATE"
               or (t.i > 0 and t.doc[t.i - 1].text == "(") for t in sent.doc[sent.start:span.start])


def _locates_a_statement(span: Span) -> bool:
    """Whether the place is where something was said, not where it happened: the first verb above it is one of
    saying ("speaking in Kyiv", "told reporters in Kharkiv that ...", "said in Kyiv")."""
    token = span.root
    if token.dep_ != "pobj" or token.head.dep_ != "prep":
        return False
    head = token.head.head
    while head.pos_ not in {"VERB", "AUX"} and head.dep_ in {"dobj", "pobj", "prep", "npadvmod"} \
            and head.head.i != head.i:
        head = head.head               # "told reporters in Kharkiv": the place hangs on the listeners
    return head.pos_ in {"VERB", "AUX"} and head.lemma_.lower() in W.REPORTING_VERBS


def _speaks_for_an_actor(span: Span, place: GeoPlace, weapon_lemmas: dict[str, str]) -> bool:
    """A watched actor's name as the one who acts, not where: the attacker ("Russia pounded Ukrainian cities"),
    or a capital standing for its government ("Moscow was not interested in peace", "Kyiv said")."""
    if not _in_actor(span.root):
        return False
    head = span.root.head
    if span.root.dep_ == "poss" and place.kind != "country":
        # "Moscow's war has killed ...", but "Kyiv's mayor", "a blast in Moscow's metro"
        return head.lemma_.lower() not in W.PLACE_MODIFIED_NOUNS | W.PLACE_NOUNS and not _placeish(head)
    if span.root.dep_ != "nsubj":
        return False
    if head.lemma_.lower() in W.PLACE_SUBJECT_VERBS:
        return False                   # "Kyiv came under a massive missile attack"
    return place.kind != "country" or _is_agent(span.root, weapon_lemmas)


def _in_actor(token: Token) -> bool:
    return any(s.start <= token.i < s.end for s in token.doc.spans.get("actors", []))


# -- places and agents ---------------------------------------------------------------------------------

def _place_mentions(doc: Doc) -> list[Span]:
    """Place names: GPE/LOC/FAC entities, and proper names after a locative preposition ("attack on Sumy")."""
    mentions = [e for e in doc.ents if e.label_ in PLACE_LABELS]
    taken = {t.i for e in mentions for t in e}
    for ent in doc.ents:
        # "the Afghan capital", "a Pakistani tribal district": the adjective names the place's country
        if ent.label_ == "NORP" and ent.root.dep_ in {"amod", "compound"} \
                and ent.root.head.lemma_.lower() in W.PLACE_NOUNS and not taken & {t.i for t in ent}:
            mentions.append(ent)
            taken.update(t.i for t in ent)
    for ent in doc.ents:
        if ent.label_ in {"ORG", "PERSON", "NORP"} and _placeish(ent.root) and not taken & {t.i for t in ent}:
            mentions.append(ent)
            taken.update(t.i for t in ent)
    for token in doc:
        if token.i not in taken and _placeish(token) and token.text[:1].isupper() \
                and token.pos_ in {"PROPN", "NOUN"} and not token.is_sent_start:
            mentions.append(doc[token.i:token.i + 1])
            taken.add(token.i)
    # inside a longer name only its first word, and only a name like "the Pakistan Stock Exchange" (not a person's)
    in_longer_name = {t.i for e in doc.ents if len(e) > 1 for t in e
                      if e.label_ not in {"ORG", "FAC"} or t.i != _first_word(e)}
    for token in doc:
        if token.i not in taken and token.i not in in_longer_name and _modifier_place_slot(token):
            nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
            in_name = nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper()
            mentions.append(Span(doc, token.i, token.i + 1, label=_WEAK_IN_NAME if in_name else _WEAK))
    return sorted(mentions, key=lambda s: s.start)


def _modifier_place_slot(token: Token) -> bool:
    """A capitalised proper noun used the way place names are: modifying a noun ("the Sumy death toll", "the
    Kharkiv governor", "Quetta's main road", "a Kabul wedding hall") or as the subject of what befalls a place
    ("Kyiv came under attack"). A watched actor's name (a capital such as Kyiv or Moscow) counts only before
    the nouns places take ("the Kyiv mayor") or under those verbs, never as "Moscow's war"."""
    if token.pos_ not in {"PROPN", "ADJ"} or not token.is_alpha or not token.text[:1].isupper() \
            or token.is_upper or (token.pos_ == "ADJ" and token.is_sent_start):
        return False              # ("The Kyiv mayor": the tagger calls a place before a noun an adjective)
    if token.ent_type_ in {"NORP", "DATE", "TIME", "ORDINAL", "CARDINAL"}:
        return False
    actor = _in_actor(token)
    if token.dep_ == "nsubj" and token.head.lemma_.lower() in W.PLACE_SUBJECT_VERBS:
        return True
    if token.dep_ not in {"compound", "nmod", "amod", "poss"}:
        return False
    head = token.head
    while head.dep_ == "compound" and head.head.i != head.i:
        head = head.head
    lemma = head.lemma_.lower()
    if head.pos_ == "NOUN" and (lemma in W.PLACE_MODIFIED_NOUNS or lemma in W.PLACE_NOUNS):
        return True          # "the Sumy death toll", "the Kharkiv governor", "Kyiv's mayor"
    if actor:
        return False
    if token.dep_ == "poss":
        return head.pos_ in {"NOUN", "PROPN"}            # "Quetta's main road"
    return head.pos_ == "NOUN" and _placeish(head)       # what was hit or where: "a Kabul wrestling club"


def _first_word(ent: Span) -> int:
    return next((t.i for t in ent if t.lower_ != "the"), ent.start)


def _placeish(token: Token) -> bool:
    """A word in a place's slot: after a locative preposition ("attack on Sumy"), what an attack hit, or the
    name before "region", "province", "city" in such a slot ("attacked the Kursk region")."""
    if token.dep_ == "compound" and token.head.lemma_.lower() in W.PLACE_NOUNS:
        return _placeish(token.head)
    if token.dep_ == "pobj" and token.head.lower_ in W.LOCATIVE_PREPS:
        return True
    return token.dep_ == "dobj" and token.head.lemma_ in W.ATTACK_VERBS


def _is_agent(token: Token, weapon_lemmas: dict[str, str]) -> bool:
    """True when an actor mention names who attacked: a modifier of the attack or weapon ("a Russian missile
    attack"), the subject of killing/attacking, or the agent after "by"."""
    head = token.head
    if token.dep_ in {"amod", "compound", "poss", "nmod"}:
        if head.lemma_.lower() in W.ATTACK_NOUNS or head.lemma_.lower() in weapon_lemmas \
                or head.lower_ in {"forces", "troops", "army", "military", "army's"}:
            return True
        token = head
        head = token.head
    if token.dep_ == "nsubj" and head.lemma_.lower() in W.KILL_VERBS | W.ATTACK_VERBS | {"launch", "fire"}:
        return True
    return token.dep_ == "pobj" and head.lower_ == "by"
