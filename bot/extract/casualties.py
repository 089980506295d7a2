"""The `casualties` pipeline component: killed / injured figures with place, date, weapon and perpetrator.

Figures are read from the dependency parse around casualty trigger words (the subject of "were killed" or
"died", the object of "killing", "35 deaths", "left 20 people dead", "the death toll rose to 40"), with sums
of stated parts ("three citizens and their driver"). Figures of one clause or sentence make one report;
a new killed figure opens a new report, so several events in one text stay apart. Sentences without a
trigger word are skipped before any other work.

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
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import compile_infix_regex

from bot.extract.event_dates import resolve_date
from bot.extract.facts import CasualtyReport
from bot.extract.gazetteer import Gazetteer, GeoPlace
from bot.extract.numbers import QUALIFIERS, Quantity, is_number_word, parse_quantity

if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)
if not Doc.has_extension("casualties"):
    Doc.set_extension("casualties", default=None)

KILLED, INJURED = "killed", "injured"
_KILL_VERBS = {"kill", "murder", "massacre", "execute", "behead", "slaughter", "assassinate", "slay"}
_DIE_VERBS = {"die", "perish", "succumb"}
_INJURE_VERBS = {"injure", "wound", "hurt", "maim"}
_DEATH_NOUNS = {"death", "fatality", "martyr", "body", "corpse", "dead"}
_INJURY_NOUNS = {"injury", "wounded", "injured"}
_LETHAL_MANNER = {"shoot", "stab", "beat", "burn", "hack", "gun", "hang", "crush", "bludgeon", "club"}
_TRIGGER_LEMMAS = (_KILL_VERBS | _DIE_VERBS | _INJURE_VERBS | _DEATH_NOUNS | _INJURY_NOUNS
                   | {"toll", "life", "lives", "killed", "injured", "wounded", "alive"})
_TRIGGER_FORMS = {"killed", "killing", "kills", "kill", "died", "dies", "dead", "deaths", "death", "dying",
                  "injured", "injuring", "injuries", "injury", "wounded", "wounding", "wounds", "toll",
                  "lives", "fatalities", "martyrs", "bodies", "murdered", "executed", "massacred", "hurt",
                  "slain", "beheaded", "perished", "injures", "wounds", "wound", "injure", "alive",
                  "killings", "murders", "wounding", "die", "murder"}
_FORM_LEMMAS = {
    **{f: "kill" for f in ("kills", "killed", "killing", "killings")}, **{f: "die" for f in ("died", "dies", "dying")},
    **{f: "injure" for f in ("injures", "injuring")}, **{f: "wound" for f in ("wounds", "wounding")},
    "murdered": "murder", "executed": "execute", "massacred": "massacre", "beheaded": "behead",
    "perished": "perish", "deaths": "death", "fatalities": "fatality", "martyrs": "martyr", "bodies": "body",
}
_COPULAS = {"be", "become", "get", "remain", "confirm", "report", "believe", "fear", "say", "declare",
            "pronounce", "find", "lie", "seem", "appear"}
# Words that count things, not people: a number attached to them is never a casualty figure.
_NOT_PEOPLE = {"year", "percent", "per", "%", "tonne", "ton", "kilogram", "kg", "kilometre", "kilometer", "km",
               "mile", "metre", "meter", "hour", "minute", "day", "week", "month", "country", "nation",
               "company", "firm", "dollar", "euro", "pound", "time", "building", "house", "home", "vehicle",
               "car", "bus", "truck", "tank", "aircraft", "plane", "drone", "missile", "rocket", "shell", "bomb",
               "explosion", "blast", "attack", "strike", "place", "village", "town", "city", "district",
               "province", "point", "round", "mosque", "church", "school", "hospital", "facility", "site",
               "target", "barrel", "share", "bn", "billion", "million", "thousand", "number", "amount", "case",
               "incident", "round", "shot", "bullet", "age", "aged", "%", "bombing", "shooting", "assault", "clash",
               "raid", "violence", "war", "conflict", "crash", "accident", "storm", "flood", "earthquake", "quake",
               "fighting", "operation", "offensive", "source", "report", "ministry", "government"}
# Who carried out an attack: their deaths told after the victims' are not another event.
_PERPETRATOR_NOUNS = {"attacker", "gunman", "gunmen", "assailant", "perpetrator", "suspect", "bomber", "shooter",
                      "knifeman", "hijacker", "kidnapper", "assailants"}
# Fighters: their deaths are casualties, except when told "also" after other victims.
_FIGHTER_NOUNS = {"terrorist", "militant", "jihadist", "insurgent", "fighter", "rebel"}
_UNCOUNTED = {"unknown", "several", "many", "some", "numerous", "unspecified", "undisclosed", "other", "more",
              "countless", "most", "all", "no", "few"}
_COLLECTIVE = {"police", "personnel", "staff", "military", "army", "crowd", "family", "people", "population",
               "number", "toll", "casualty", "group", "force", "security", "civilian", "public", "majority",
               "dozen", "score", "hundred", "thousand", "other", "rest", "one", "death", "injury", "life", "dead",
               "wounded", "injured", "killed", "victim", "casualties"}
_ATTACK_NOUNS = {"attack", "strike", "bombing", "shelling", "raid", "offensive", "assault", "bombardment",
                 "airstrike", "fire", "barrage", "ambush", "operation"}
# Words that make a sentence about violence (the weapon lexicon adds its own).
_VIOLENCE_WORDS = {"attack", "strike", "raid", "clash", "fighting", "encounter", "ambush", "firing", "violence",
                   "offensive", "war", "battle", "assault", "retaliation", "operation", "massacre", "militant",
                   "militia", "rebel", "insurgent", "terrorist", "gunman", "gunmen", "troops", "forces", "soldier",
                   "army", "police", "shelling", "bombing", "explosion", "blast", "bomb", "murder", "gun", "fire",
                   "execute", "behead", "assassinate", "massacre", "stab", "shoot", "airstrike", "missile", "drone",
                   "attacker", "assailant", "victim", "hostage"}
_ATTACK_VERBS = {"strike", "hit", "shell", "attack", "bomb", "target", "pound", "raid", "storm", "rock", "shake"}
_LOCATIVE_PREPS = {"in", "at", "on", "near", "outside", "across", "into", "around", "of", "from", "over"}
_NON_EVENT_HEADS = {"threaten", "vow", "plan", "want", "try", "attempt", "aim", "seek", "intend", "fear", "risk"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_NEW_EVENT_MARKERS = {"separately", "separate", "elsewhere", "meanwhile", "another", "earlier"}
_NOT_A_FIGURE = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}


@dataclass
class _Figure:
    role: str
    quantity: Quantity
    sentence: Span
    anchor: Token                       # the trigger word
    victims: Token | None               # head of the victims' noun phrase, when known


@dataclass
class _Event:
    killed: _Figure | None = None
    injured: _Figure | None = None
    sentences: list[Span] = field(default_factory=list)


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


class CasualtyExtractor:
    """Writes `doc._.casualties`: one `CasualtyReport` per event the text reports figures for."""

    def __init__(self, nlp: Language, name: str = "casualties", *, places: Iterable[dict[str, Any]] = (),
                 min_city_population: int = 15000, weapons_path: str | None = None) -> None:
        self.name = name
        self.gazetteer = Gazetteer(places, min_city_population=min_city_population)
        self.weapon_order: list[str] = []
        self.weapon_lemmas: dict[str, str] = {}
        self.weapon_phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.violence_lemmas: set[str] = set(_VIOLENCE_WORDS)
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
        figures: list[_Figure] = []
        for sent in doc.sents:
            if not any(t.lower_ in _TRIGGER_FORMS or t.lemma_ in _TRIGGER_LEMMAS for t in sent):
                continue
            figures.extend(_figures_in(sent, self.violence_lemmas))
        events = _group(figures)
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

    def _report(self, doc: Doc, event: _Event, events: list[_Event],
                places: list[tuple[Span, GeoPlace]]) -> CasualtyReport:
        window = _window(doc, event, events)
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

    def _place(self, event: _Event, window: list[Span], resolved: list[tuple[Span, GeoPlace]]) -> GeoPlace | None:
        """The event's place: a city named in its own sentences, then the nearest one before them in its window,
        then the city the text names most (if it lies in the country the window names), then a country."""
        own = [(s, p) for s, p in resolved if _in_any(s, event.sentences)]
        before = sorted(((s, p) for s, p in resolved if _in_any(s, window) and not _in_any(s, event.sentences)),
                        key=lambda sp: -sp[0].start)
        nearby = own + before
        city = next((p for _, p in nearby if p.kind != "country"), None)
        if city is not None:
            return city
        country = next((p for _, p in nearby if p.kind == "country"), None)
        counts = Counter(p for _, p in resolved if p.kind != "country"
                         and (country is None or p.country == country.country))
        if counts:
            return counts.most_common(1)[0][0]
        if country is not None:
            return country
        countries = Counter(p for _, p in resolved)
        return countries.most_common(1)[0][0] if countries else None

    def _resolved(self, mentions: list[Span], countries: Iterable[str]) -> list[tuple[Span, GeoPlace]]:
        out = []
        prefer = tuple(countries)
        for span in mentions:
            place = self.gazetteer.resolve(span.text, prefer)
            if place is None:
                continue
            if span.label_ not in _PLACE_LABELS and not place.primary and place.kind == "city":
                continue   # a proper name read as a place only on a city's own name, not an alternate spelling
            out.append((span, place))
        return out

    def _date(self, event: _Event, window: list[Span], published: dt.date | None) -> dt.date | None:
        for sent in [*event.sentences, *reversed(window)]:
            for ent in sent.ents:
                if ent.label_ == "DATE":
                    day = resolve_date(ent.text, published)
                    if day is not None:
                        return day
        return published

    def _weapon(self, doc: Doc, event: _Event, window: list[Span]) -> str | None:
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

    def _perpetrator(self, doc: Doc, event: _Event, window: list[Span]) -> str | None:
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


# -- figures -----------------------------------------------------------------------------------------------

def _figures_in(sent: Span, violence_lemmas: set[str]) -> list[_Figure]:
    """Every figure told in a sentence. A lone victim counted from a singular noun ("killed the measure",
    "Kane was injured") needs an attack or weapon word in the sentence, or it is not a casualty report."""
    figures: list[_Figure] = []
    seen: set[tuple[str, int]] = set()
    for token in sent:
        role = _trigger_role(token)
        if role is None or _is_non_event(token):
            continue
        including = _including_head(token)
        if including is not None and _own_number(including) is not None:
            # "over 100 more including 35 children injured": the participle tells the whole group's fate
            counted = _count(including)
            found = (counted[0], including, counted[1]) if counted else None
        else:
            found = _figure_for(token, role)
        if found is None:
            continue
        quantity, victims, number_token = found
        if number_token is None and quantity.value is not None and quantity.value <= 2 \
                and not _about_violence(sent, violence_lemmas):
            continue
        key = (role, number_token.i if number_token is not None else token.i)
        if key in seen:
            continue
        seen.add(key)
        figures.append(_Figure(role, quantity, sent, token, victims))
    return figures


def _lemma(token: Token) -> str:
    """The lemma, read from the word form where title case made the tagger call a verb a proper noun."""
    lemma = token.lemma_.lower()
    if lemma in _TRIGGER_LEMMAS or token.lower_ not in _FORM_LEMMAS:
        return lemma
    return _FORM_LEMMAS[token.lower_]


def _about_violence(sent: Span, violence_lemmas: set[str]) -> bool:
    """Whether the sentence, or the one before it, names an attack, a weapon or armed men."""
    doc = sent.doc
    start = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    return any(t.lemma_.lower() in violence_lemmas or t.lower_ in violence_lemmas for t in doc[start:sent.end])


def _trigger_role(token: Token) -> str | None:
    lower = token.lower_
    if lower not in _TRIGGER_FORMS and token.lemma_.lower() not in _TRIGGER_LEMMAS:
        return None
    if token.dep_ == "compound" and token.head.lemma_.lower() not in {"toll", "count", "number"}:
        return None           # "death penalty", "death threats", "injury time"
    if lower == "death" and token.dep_ == "pobj" and token.head.lower_ == "to" \
            and token.head.head.lemma_ not in _LETHAL_MANNER:
        return None           # "sentenced to death", "put to death" is a verdict, not a report
    lemma = _lemma(token)
    if lemma in _KILL_VERBS | _DIE_VERBS or lower in {"killed", "dead", "slain"}:
        return KILLED
    if lemma in _INJURE_VERBS or lower in {"injured", "wounded", "injuries", "injury", "wounds"}:
        return INJURED
    if lemma in _DEATH_NOUNS or lower in {"deaths", "fatalities", "martyrs", "bodies"} or lower == "toll":
        return KILLED
    if lower == "lives" and any(t.lemma_ in {"claim", "cost", "take", "lose"} for t in token.sent[: token.i - token.sent.start]):
        return KILLED
    if lower == "alive" and token.head.lemma_ in {"burn", "bury"}:
        return KILLED
    return None


def _is_non_event(token: Token) -> bool:
    """Threats, plans and negations ("vowed to kill", "no one was killed") report no casualties."""
    if any(c.dep_ == "neg" for c in token.children):
        return True
    head = token.head if token.dep_ in {"xcomp", "ccomp"} else None
    if head is not None and head.lemma_ in _NON_EVENT_HEADS:
        return True
    return any(c.dep_ == "aux" and c.lower_ in {"could", "would", "might", "may"} for c in token.children)


def _including_head(token: Token) -> Token | None:
    """For a trigger inside an "including ..." phrase, the noun the phrase details (else None)."""
    for ancestor in token.ancestors:
        if ancestor.lower_ == "including" and ancestor.dep_ == "prep" and ancestor.i < token.i:
            return ancestor.head
    return None


def _figure_for(token: Token, role: str) -> tuple[Quantity, Token | None, Token | None] | None:
    """The count attached to a trigger, its victims' head and the number token, from the parse first."""
    for victims in _victim_candidates(token):
        if victims.i == token.i and victims.lower_ not in _TRIGGER_FORMS:
            continue
        counted = _count(victims)
        if counted is not None:
            quantity, number_token = counted
            return quantity, victims, number_token
    nearby = _nearby_number(token)
    if nearby is not None:
        quantity, number_token = nearby
        head = number_token.head if number_token.dep_ == "nummod" else number_token
        if head.lemma_.lower() in _NOT_PEOPLE:
            return None
        return quantity, head, number_token
    return None


def _victim_candidates(token: Token) -> list[Token]:
    """Tokens that may head the noun phrase of who was killed or injured, best first."""
    kids = list(token.children)
    by_dep = lambda *deps: [c for c in kids if c.dep_ in deps]  # noqa: E731
    lemma = _lemma(token)
    out: list[Token] = []
    verbal = (token.pos_ in {"VERB", "AUX"} or token.tag_.startswith("VB")) and token.tag_ not in {"NN", "NNS"}
    own_subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in kids)
    if token.dep_ in {"xcomp", "oprd", "acomp"} and token.head.lemma_ in _COPULAS and not own_subject \
            and token.lower_ not in {"dead", "alive"}:
        # "were initially reported killed", "two others became injured"
        out += [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    manner = lemma in _LETHAL_MANNER
    # "shot dead", "stabbed to death", "burned alive": the manner verb carries the victims
    if token.lower_ in {"dead", "alive"} and token.dep_ in {"oprd", "acomp", "advmod", "xcomp", "dep"} \
            and token.head.lemma_ in _LETHAL_MANNER | {"leave", "find", "lie", "be", "confirm", "report"}:
        return _verb_victims(token.head, passive_hint=True) + by_dep("nummod", "npadvmod")
    if token.lower_ == "death" and token.dep_ == "pobj" and token.head.lower_ == "to" \
            and token.head.head.lemma_ in _LETHAL_MANNER:
        return _verb_victims(token.head.head, passive_hint=True)
    if token.lower_ == "toll":
        verb = token.head
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in {"to", "at", "over", "above", "past"}:
                out += [c for c in child.children if c.dep_ == "pobj"]
            if child.dep_ in {"attr", "dobj", "npadvmod"}:
                out.append(child)
        for child in kids:
            if child.dep_ == "prep" and child.lower_ == "of":
                out += [c for c in child.children if c.dep_ == "pobj"]
        return out
    if verbal and (lemma in _KILL_VERBS | _INJURE_VERBS) and not manner:
        return out + _verb_victims(token) + ([token.head] if token.dep_ == "acl" else [])
    if not verbal and lemma in _KILL_VERBS | _INJURE_VERBS:
        # "the killings of six civilians", "the wounding of 5 others"
        for child in kids:
            if child.dep_ == "prep" and child.lower_ == "of":
                out += [c for c in child.children if c.dep_ == "pobj"]
    if verbal and lemma in _DIE_VERBS:
        out += by_dep("nsubj", "nsubjpass") + ([token.head] if token.dep_ in {"acl", "relcl"} else [])
        if not out and token.dep_ == "conj":
            out += [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        return out
    # nouns and adjectives: "35 deaths", "the death of 2 people", "six dead", "57 sustained injuries"
    out += by_dep("nummod")
    if token.lower_ in {"dead", "killed", "wounded", "injured"} and token.dep_ in {"amod", "acl"}:
        out.append(token.head)
    if token.dep_ in {"acomp", "attr", "oprd"}:
        out += [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}]
    for child in kids:
        if child.dep_ == "prep" and child.lower_ in {"of", "among"}:
            out += [c for c in child.children if c.dep_ == "pobj"]
    if token.dep_ in {"dobj", "conj"} and token.head.lemma_ in {"sustain", "suffer", "receive", "have"}:
        out += [c for c in token.head.children if c.dep_ == "nsubj"]
    if token.lower_ in {"dead", "killed", "wounded", "injured"} and token.dep_ == "pobj" \
            and token.head.lower_ == "among" and token.head.head.lemma_ == "be":
        # "Two children and their mother were among the dead"
        out += [c for c in token.head.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if token.lower_ in {"injuries", "wounds", "injury"} and token.dep_ == "pobj" \
            and token.head.lower_ in {"with", "for", "from"}:
        # "17 people were hospitalised with injuries", "treated for wounds"
        out += [c for c in token.head.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if token.lower_ in {"dead", "wounded", "injured"} and token.dep_ in {"pobj", "ROOT", "nsubj", "dobj"}:
        out.append(token)
    if token.lower_ == "lives":
        if token.dep_ == "dobj" and token.head.lemma_ in {"lose", "sacrifice", "give"}:
            out += [c for c in token.head.children if c.dep_ == "nsubj"]      # "8 civilians lost their lives"
        out += [c for c in token.children if c.dep_ in {"nsubj", "compound", "nmod"}]
    return out


def _verb_victims(verb: Token, passive_hint: bool = False) -> list[Token]:
    kids = list(verb.children)
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in kids) or verb.tag_ == "VBN"
    objects = [c for c in kids if c.dep_ in {"dobj"}]
    subjects = [c for c in kids if c.dep_ in {"nsubjpass", "nsubj"}]
    if objects and not any(c.dep_ == "nsubjpass" for c in kids):
        return objects
    if not subjects and not objects and verb.dep_ == "conj" and verb.head.pos_ == "VERB" \
            and (passive or passive_hint) and not any(_is_number(t) for t in verb.doc[verb.head.i + 1:verb.i]):
        # "Three officers were shot and injured": the subject belongs to the first verb
        subjects = [c for c in verb.head.children if c.dep_ in {"nsubjpass", "nsubj"}]
    if passive or passive_hint:
        return subjects + objects
    # headline style "2 killed in blast" is tagged as an active verb; only a counted subject qualifies
    return [s for s in subjects if _own_number(s) is not None]


def _own_number(token: Token) -> Token | None:
    if _is_number(token):
        return token
    return next((c for c in token.children if c.dep_ == "nummod" and _is_number(c)), None)


def _is_number(token: Token) -> bool:
    return (token.like_num or is_number_word(token.text)) and token.ent_type_ not in _NOT_A_FIGURE \
        and token.lower_ not in {"a", "an", "no", "single"} and not any(c.lower_ == "no" for c in token.children)


def _count(victims: Token) -> tuple[Quantity, Token | None] | None:
    """How many people the noun phrase headed by `victims` counts, adding stated parts."""
    if victims.lemma_.lower() in _NOT_PEOPLE or victims.ent_type_ in _NOT_A_FIGURE:
        return None
    parts = [victims, *[c for c in _conjuncts(victims) if not _separate_group(c, victims)]]
    counted = [_count_one(p, bare_singular_ok=len(parts) == 1) for p in parts]
    first = counted[0]
    if len(parts) > 1:
        known = [c for c in counted if c is not None]
        if len(known) == len(parts):
            rest = [c[0] for c in counted[1:]]
            total_rest = rest[0]
            for q in rest[1:]:
                total_rest = total_rest + q
            if first is not None and first[0].value is not None and first[0].value == total_rest.value:
                return first   # "40 people, 6 security personnel and 34 civilians": a breakdown, not a sum
            total = first[0] + total_rest if first is not None else total_rest
            if total.value is not None:
                return total, first[1] if first else None
        if first is not None and first[1] is not None:
            return first
        return None
    return first


def _separate_group(conjunct: Token, first: Token) -> bool:
    """Conjuncts that are not part of the victims: "and another 29", "and 3 suicide bombers"."""
    if conjunct.lemma_.lower() == "other" or any(c.lower_ in {"another", "other"} for c in conjunct.children):
        return True
    lemma = conjunct.lemma_.lower()
    return lemma in _PERPETRATOR_NOUNS and first.lemma_.lower() not in _PERPETRATOR_NOUNS


def _conjuncts(token: Token) -> list[Token]:
    """Coordinated nouns: "three civilians and their driver"; also "a candidate ..., his driver and a guard",
    which the parser reads as an apposition that has conjuncts of its own."""
    out, frontier = [], [token]
    for child in token.children:
        if child.dep_ == "appos" and child.i > token.i and any(c.dep_ == "conj" for c in child.children):
            out.append(child)
            frontier.append(child)
    while frontier:
        current = frontier.pop()
        for child in current.children:
            if child.dep_ == "conj" and child.pos_ in {"NOUN", "PROPN", "NUM", "PRON"}:
                out.append(child)
                frontier.append(child)
    return sorted(out, key=lambda t: t.i)


def _count_one(token: Token, bare_singular_ok: bool = True) -> tuple[Quantity, Token | None] | None:
    """The count of one noun phrase; a singular noun counts one ("a guard", "his driver", and in headlines
    "Taliban leader killed"), but inside a sum only with a determiner. "No one", "nobody" count nothing."""
    if token.lower_ in {"nobody", "none", "noone"} or any(c.lower_ == "no" for c in token.children):
        return None
    if token.lemma_.lower() in _NOT_PEOPLE:
        return None
    if _is_number(token):
        quantity = _quantity_at(token)
        return (quantity, token) if quantity is not None else None
    number = _own_number(token)
    if number is not None:
        quantity = _quantity_at(number)
        return (quantity, number) if quantity is not None else None
    if token.lower_ in {"dozens", "scores", "hundreds", "thousands"}:
        quantity = _quantity_at(token)
        return (quantity, token) if quantity is not None else None
    if any(c.lower_ in _UNCOUNTED for c in token.children if c.dep_ in {"amod", "det"}):
        return None
    determiners = {c.lower_ for c in token.children if c.dep_ in {"det", "poss"}}
    if token.lower_ == "other" and determiners & {"the", "another"}:
        return Quantity.exact(1), None     # "one of the victims died and the other was injured"
    if token.lower_ == "both" or "both" in determiners:
        return Quantity.exact(2), None
    singular = token.tag_ in {"NN", "NNP"} and token.pos_ in {"NOUN", "PROPN"} \
        and token.lemma_.lower() not in _COLLECTIVE and token.ent_type_ not in {"ORG", "GPE", "NORP", "LOC", "FAC"}
    if token.ent_type_ == "PERSON" or (singular and (determiners or bare_singular_ok)):
        return Quantity.exact(1), None
    return None


def _quantity_at(token: Token) -> Quantity | None:
    """Parse the number phrase around a number token, with its qualifier ("at least", "more than")."""
    doc = token.doc
    start = end = token.i
    while start - 1 >= token.sent.start and (_is_number(doc[start - 1]) or (
            doc[start - 1].lower_ in {"-", "and"} and start - 2 >= token.sent.start and _is_number(doc[start - 2])
            and not doc[start - 2].text[:1].isdigit())):
        start -= 1
    while end + 1 < token.sent.end and (_is_number(doc[end + 1]) or doc[end + 1].lower_ in {"dozen", "-"}) \
            and not (doc[end].text[:1].isdigit() and doc[end + 1].text[:1].isdigit()):
        end += 1
    words = [t.text for t in doc[start:end + 1] if t.lower_ != "-"]
    if end + 1 < token.sent.end and doc[end + 1].text == "+" and words[-1][:1].isdigit():
        words[-1] += "+"          # "10+ dead"
    if len(words) == 1 and words[0].lower() in {"one"} and any(
            c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
        return Quantity.exact(1)
    for qualifier in QUALIFIERS:
        n = len(qualifier)
        before = [t.lower_ for t in doc[max(start - n, token.sent.start):start]]
        if tuple(before) == qualifier:
            words = list(qualifier) + words
            break
    return parse_quantity(words)


def _nearby_number(token: Token) -> tuple[Quantity, Token] | None:
    """Fallback when the parse attaches nothing: the number right before a passive or nominal trigger
    ("28 others were injured"), or right after an active one ("killing more than 5 people")."""
    doc, sent = token.doc, token.sent
    active = token.tag_ in {"VBG", "VBZ", "VBP"} or (token.tag_ == "VBD" and token.lemma_ in _KILL_VERBS | _INJURE_VERBS)
    if active:
        for i in range(token.i + 1, min(token.i + 5, sent.end)):
            t = doc[i]
            if _is_number(t) and t.ent_type_ not in _NOT_A_FIGURE:
                quantity = _quantity_at(t)
                return (quantity, t) if quantity is not None else None
            if t.is_punct or t.pos_ in {"VERB", "ADP"} and t.lower_ not in {"than", "to", "of"}:
                break
        return None
    for i in range(token.i - 1, max(token.i - 6, sent.start - 1), -1):
        t = doc[i]
        if t.lower_ in _TRIGGER_FORMS or t.lower_ in {";", ":", ".", ","} or (
                t.pos_ == "VERB" and t.lemma_ not in _COPULAS) or (t.pos_ == "ADP" and t.lower_ != "of"):
            break
        if _is_number(t) and t.ent_type_ not in _NOT_A_FIGURE:
            quantity = _quantity_at(t)
            return (quantity, t) if quantity is not None else None
    return None


# -- grouping into events ----------------------------------------------------------------------------------

def _group(figures: list[_Figure]) -> list[_Event]:
    """Figures in text order → events: a killed figure opens an event unless the open one has none yet."""
    events: list[_Event] = []
    for figure in figures:
        if events and _is_aftermath(figure):
            continue   # "five attackers were also killed": the attackers, told after the victims
        current = events[-1] if events else None
        slot = figure.role
        if current is not None and getattr(current, slot) is not None and _close(current, figure) \
                and _says_also(figure):
            # "... also injuring a police officer": more victims of the same event
            before = getattr(current, slot)
            setattr(current, slot, _Figure(slot, before.quantity + figure.quantity, before.sentence,
                                           before.anchor, before.victims))
            _add_sentence(current, figure.sentence)
            continue
        if _same_figures(current, figure):
            _add_sentence(current, figure.sentence)
            continue
        if current is not None and getattr(current, slot) is None and _close(current, figure):
            setattr(current, slot, figure)
            _add_sentence(current, figure.sentence)
        else:
            duplicate = next((e for e in events if _same_figures(e, figure)), None)
            if duplicate is not None:
                continue
            event = _Event(sentences=[figure.sentence])
            setattr(event, slot, figure)
            events.append(event)
    return events


def _says_also(figure: _Figure) -> bool:
    anchors = [figure.anchor, figure.anchor.head]
    if figure.victims is not None:
        anchors.append(figure.victims)
    return any(c.lower_ == "also" and c.dep_ == "advmod" for a in anchors for c in a.children)


def _is_aftermath(figure: _Figure) -> bool:
    victims = figure.victims
    if victims is None:
        return False
    lemma = victims.lemma_.lower()
    if lemma in _PERPETRATOR_NOUNS or any(t.lemma_.lower() in _PERPETRATOR_NOUNS for t in victims.subtree
                                           if t.i > victims.i and t.dep_ == "pobj"):
        return True         # "the attacker", "4 of the attackers"
    also = any(t.lower_ == "also" for t in figure.anchor.children) or any(
        t.lower_ == "also" for t in victims.children)
    return also and lemma in _FIGHTER_NOUNS


def _same_figures(event: _Event | None, figure: _Figure) -> bool:
    if event is None:
        return False
    existing = getattr(event, figure.role)
    return existing is not None and existing.quantity == figure.quantity


def _close(event: _Event, figure: _Figure) -> bool:
    """A figure joins the open event when it is in the same sentence or the next one or two sentences."""
    last = event.sentences[-1]
    if any(s.start == figure.sentence.start for s in event.sentences):
        return True
    if figure.sentence.start - last.end > 80 or _sentence_gap(last, figure.sentence) > 2:
        return False
    # a sentence that moves to another place or says "separately" starts another event
    if any(t.lower_ in _NEW_EVENT_MARKERS for t in figure.sentence[:6]):
        return False
    known = {e.text.lower() for s in event.sentences for e in s.ents if e.label_ in _PLACE_LABELS}
    places = {e.text.lower() for e in figure.sentence.ents if e.label_ in _PLACE_LABELS}
    return not places or bool(places & known) or not known


def _sentence_gap(a: Span, b: Span) -> int:
    if a.start == b.start:
        return 0
    return sum(1 for s in a.doc[a.end:b.start + 1].sents) if b.start >= a.end else 99


def _add_sentence(event: _Event, sentence: Span) -> None:
    if all(s.start != sentence.start for s in event.sentences):
        event.sentences.append(sentence)


def _window(doc: Doc, event: _Event, events: list[_Event]) -> list[Span]:
    """The sentences that tell this event: from after the previous event's first sentence to its own last."""
    index = events.index(event)
    first = event.sentences[0]
    start = events[index - 1].sentences[-1].end if index > 0 else 0
    start = min(start, first.start)
    return [s for s in doc.sents if s.start >= start and s.start <= event.sentences[-1].start]


# -- places and agents ---------------------------------------------------------------------------------

def _place_mentions(doc: Doc) -> list[Span]:
    """Place names: GPE/LOC/FAC entities, and proper names after a locative preposition ("attack on Sumy")."""
    mentions = [e for e in doc.ents if e.label_ in _PLACE_LABELS]
    taken = {t.i for e in mentions for t in e}
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
    """A word in a place's slot: after a locative preposition ("attack on Sumy"), or what an attack hit."""
    if token.dep_ == "pobj" and token.head.lower_ in _LOCATIVE_PREPS:
        return True
    return token.dep_ == "dobj" and token.head.lemma_ in _ATTACK_VERBS


def _is_agent(token: Token, weapon_lemmas: dict[str, str]) -> bool:
    """True when an actor mention names who attacked: a modifier of the attack or weapon ("a Russian missile
    attack"), the subject of killing/attacking, or the agent after "by"."""
    head = token.head
    if token.dep_ in {"amod", "compound", "poss", "nmod"}:
        if head.lemma_.lower() in _ATTACK_NOUNS or head.lemma_.lower() in weapon_lemmas \
                or head.lower_ in {"forces", "troops", "army", "military", "army's"}:
            return True
        token = head
        head = token.head
    if token.dep_ == "nsubj" and head.lemma_.lower() in _KILL_VERBS | {"attack", "strike", "shell", "bomb", "hit", "launch", "fire", "target"}:
        return True
    if token.dep_ == "pobj" and head.lower_ == "by" and head.dep_ == "agent":
        return True
    if token.dep_ == "pobj" and head.lower_ == "by":
        return True
    return False
