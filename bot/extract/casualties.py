"""The `casualties` pipeline component: killed / injured figures with place, date, weapon and perpetrator.

Sentences without a casualty word are skipped before any other work. Figures come from the parse
(`casualty_figures`), are grouped into events (`casualty_events`), and each event becomes a `CasualtyReport`
whose place comes from the gazetteer, date from the text or `doc._.published`, weapon from `data/weapons.yaml`
and perpetrator from the actor spans (`doc.spans["actors"]`, label = actor id) that name who attacked.

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
from bot.extract.event_dates import resolve_date
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
        doc._.casualties = [self._report(doc, event, events, places) for event in events]
        return doc

    def _doc_places(self, doc: Doc) -> list[tuple[Span, GeoPlace]]:
        """Every place mention in the text, resolved once; countries named anywhere steer ambiguous cities."""
        mentions = _place_mentions(doc)
        countries = {p.country for _, p in self._resolved(mentions, ()) if p.kind == "country"}
        return self._resolved(mentions, countries)

    # -- report fields ---------------------------------------------------------------------------------

    def _report(self, doc: Doc, event: Event, events: list[Event],
                places: list[tuple[Span, GeoPlace]]) -> CasualtyReport:
        window = event_window(doc, event, events)
        published = _as_date(doc._.published)
        place = self._place(event, window, places)
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
            date=self._date(event, window, published),
            weapon=self._weapon(doc, event, window),
            perpetrator=self._perpetrator(doc, event, window),
            quote=" ".join(dict.fromkeys(s.text.strip() for s in event.sentences)),
        )

    def _place(self, event: Event, window: list[Span], resolved: list[tuple[Span, GeoPlace]]) -> GeoPlace | None:
        """The event's place: a city named in its own sentences, then the nearest one before them in its window,
        then a country named there; only where the event's sentences name no place, the city (else the country)
        the whole text names most."""
        own = [(s, p) for s, p in resolved if _in_any(s, event.sentences)]
        before = sorted(((s, p) for s, p in resolved if _in_any(s, window) and not _in_any(s, event.sentences)),
                        key=lambda sp: -sp[0].start)
        nearby = own + before
        ranked = sorted(nearby, key=lambda sp: (sp[1].kind == "country", sp[0].label_ == _REGION))
        for _, place in ranked:
            return place
        cities = Counter(p for _, p in resolved if p.kind != "country")
        if cities:
            return cities.most_common(1)[0][0]
        countries = Counter(p for _, p in resolved)
        return countries.most_common(1)[0][0] if countries else None

    def _resolved(self, mentions: list[Span], countries: Iterable[str]) -> list[tuple[Span, GeoPlace]]:
        out = []
        prefer = tuple(countries)
        for span in mentions:
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
            if place is None:
                continue
            if span.label_ not in PLACE_LABELS and not place.primary and place.kind == "city":
                continue   # a proper name read as a place only on a city's own name, not an alternate spelling
            out.append((span, place))
        return out

    def _date(self, event: Event, window: list[Span], published: dt.date | None) -> dt.date | None:
        for sent in [*event.sentences, *reversed(window)]:
            for ent in sent.ents:
                if ent.label_ == "DATE":
                    day = resolve_date(ent.text, published)
                    if day is not None:
                        return day
        return published

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
        actors = doc.spans.get("actors", [])
        if not actors:
            return None
        victims = [f.victims for f in (event.killed, event.injured) if f and f.victims is not None]
        victim_tokens = {t.i for v in victims for t in v.subtree}
        for sent in [*event.sentences, *window]:
            for span in actors:
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
    return sorted(mentions, key=lambda s: s.start)


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
