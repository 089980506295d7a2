"""The places a parsed text names, each resolved in the gazetteer and told by the part it plays.

Mentions: place entities, proper names in a place's slot ("an attack on Sumy"), proper nouns that modify a noun
the way place names do ("the Sumy death toll", "Quetta's main road", "a Kabul wedding hall"; taken only for
countries, curated places, large cities or cities in a country the text names, and never for watched actors,
nationality adjectives or the first word of a longer name), "the Afghan capital" (the country's capital), and a
name followed by its kind ("the Kharkiv region", "Kramatorsk district": the region or district, not the city).
Month and weekday names are never places.

Roles (`Mention.role`):
- `place`: where something happened;
- `dateline`: a wire dateline ("KYIV, April 14 (Reuters) -", "Kharkiv:"): where the reporter files from;
- `statement`: where something was said ("speaking in Kyiv", "told reporters in Kharkiv");
- `near`: a reference point ("near Odesa", "50 km southwest of Odesa", "outside Kyiv");
- `weak`, `in_name`, `foreign`: a proper noun read as a place without a place entity, the first word of a longer
  name, a foreign town found by an alternate spelling (ranked last).
A capital speaking for its government ("Moscow said", "Moscow's war") is no mention at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from bot.extract import casualty_words as W
from bot.extract.gazetteer import Gazetteer, GeoPlace, enclosing_region, theatre_of

PLACE_LABELS = {"GPE", "LOC", "FAC"}
PLACE, DATELINE, STATEMENT, NEAR, WEAK, IN_NAME, FOREIGN = (
    "place", "dateline", "statement", "near", "weak", "in_name", "foreign")
REPORTED = {PLACE, WEAK, IN_NAME, FOREIGN}           # roles that say where something happened
WEAKER = {WEAK, IN_NAME, FOREIGN}                    # ... read without a place entity, or by a foreign spelling
_DASHES = {"-", "—", "–", "--", ":"}
_MONTHS_AND_DAYS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
                    "saturday", "sunday"}
_KIND_WORDS = {"region": "region", "regional": "region", "oblast": "oblast", "province": "province",
               "krai": "krai", "territory": "territory", "district": "district", "raion": "raion",
               "rayon": "rayon", "state": "state", "governorate": "governorate", "prefecture": "prefecture"}
_DISTRICT_WORDS = {"district", "raion", "rayon"}
_INSTITUTIONS = {"governor", "mayor", "police", "official", "authority", "administration", "council", "prosecutor",
                 "head", "chief", "spokesman", "spokeswoman", "spokesperson", "ministry", "service"}
# nouns of a side's forces: a place compounded with one names who acts ("Kiev terrorists", "the Kyiv regime")
_SIDE_NOUNS = {"regime", "force", "troop", "army", "military", "militant", "terrorist", "militia", "authority"}
_SETTLEMENT_NOUNS = {"city", "town", "village", "settlement", "township", "hamlet"}
_NEAR_PREPS = {"near", "outside", "off", "toward", "towards", "nearby"}
_DISTANCE_WORDS = {"km", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile"}
# a proper noun the model does not tag as a place is read as a city only when the city is this large, or lies in a
# country the text names (so "Police", "Most" or a person's name in a compound are not taken for towns)
WEAK_PLACE_MIN_POPULATION = 100_000


def same_city(a: GeoPlace, b: GeoPlace) -> bool:
    return (a.name, a.country, a.admin) == (b.name, b.country, b.admin)


@dataclass(frozen=True)
class Mention:
    span: Span
    place: GeoPlace
    role: str

    @property
    def start(self) -> int:
        return self.span.start

    def within(self, tokens: set[int]) -> bool:
        return self.span.root.i in tokens or any(t.i in tokens for t in self.span)


_BETWEEN_A_TOWN_AND_ITS_REGION = {",", "in", "the", "of", "("}
NEARBY_CITY = 100_000   # a city this large named under its own name is a place whatever the model tagged it
# an ambiguous name no larger than this, none of whose towns lies in the one region the text names, is that
# region's (a village the gazetteer lacks, or one of its spellings); a larger city is named for itself
HOMONYM_TOWN_MAX = 50_000


class PlaceReader:
    """Finds and resolves the place mentions of a parsed Doc."""

    def __init__(self, gazetteer: Gazetteer, weapon_lemmas: dict[str, str]) -> None:
        self.gazetteer = gazetteer
        self.weapon_lemmas = weapon_lemmas

    def __call__(self, doc: Doc) -> list[Mention]:
        """Every place mention, resolved once; the countries and regions named anywhere (by name, nationality
        adjective or a city's own name) steer ambiguous names and admit villages and proper nouns the model did
        not tag as places; the regions of the cities named break ties between towns of one name."""
        spans = _mention_spans(doc, self._known_name)
        first = self._resolved(spans, (), (), doc_countries=None)
        countries = {m.place.country for m in first if m.place.kind == "country"}
        countries |= {m.place.country for m in first if m.place.kind in {"city", "region", "district"}
                      and m.place.primary and m.span.label_ in PLACE_LABELS | {"KIND"}}
        hinted = set()
        for ent in doc.ents:
            if ent.label_ == "NORP":
                place = self.gazetteer.country_of_demonym(ent.text)
                if place is not None:
                    hinted.add(place.country)
        regions = {m.place.admin for m in first if m.place.kind in {"region", "district"} and m.place.admin}
        nearby = {m.place.admin for m in first if m.place.kind in {"city", "config"} and m.place.admin
                  and m.place.primary and m.span.label_ != "KIND"
                  and (m.span.label_ in PLACE_LABELS or m.place.population >= NEARBY_CITY)}
        # "Russian drones" strike Ukraine: a side's adjective admits the towns of the war's other country too
        resolved = self._resolved(spans, tuple(countries), tuple(regions), doc_countries=countries | theatre_of(hinted),
                                  nearby=tuple(nearby), hinted=tuple(hinted - countries))
        resolved = self._homonyms_outside_their_region(doc, self._title_regions(doc, resolved))
        resolved = self._possessed(doc, resolved)
        inside = {t.i: m.place for m in resolved for t in m.span}
        # "the Old City of Damascus", "the port city of Odesa": the place after "of" is the one to match on
        return [m for m in resolved if not any(
            c.dep_ == "prep" and c.lower_ == "of" and any(g.dep_ == "pobj" and g.i in inside and inside[g.i] != m.place
                                                           and inside[g.i].kind != "country" for g in c.children)
            for c in m.span.root.children)]

    def _homonyms_outside_their_region(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """A town read in another region than the one the text places it in: "the village of Ivanivka in the
        Kharkiv region", "Pervomaiske, Kharkiv region" (the town named right before its region), or an
        ambiguous name none of whose towns lies in the one region of its country the text names, or its title
        does ("a drone hit the village of Gorodishche", in a story of the Kursk region). It is the town of that
        region the name is another spelling of (`Gazetteer.spelled_like_in`), else the region itself; every
        other mention read as the same town is read so too (one name, one place in a story)."""
        title_end = next((t.i for t in doc if t.is_space and "\n" in t.text), len(doc))
        regions = [m for m in mentions if m.place.kind == "region" and m.place.admin]
        # the story's region is the one its title names, where it names one
        named = [m.place for m in regions if m.start < title_end] or [m.place for m in regions]
        moved: dict[GeoPlace, GeoPlace] = {}
        out = []
        for m in mentions:
            region = self._region_placing(doc, m, mentions, named)
            town = self.gazetteer.spelled_like_in(m.span.text, region.admin or "") if region is not None else None
            # another country's town is that region's only by a spelling of one of its towns (Pokrovskoye)
            if region is not None and (town is not None or region.country == m.place.country):
                moved.setdefault(m.place, town or region)
                m = Mention(m.span, moved[m.place], m.role)
            out.append(m)
        return [Mention(m.span, moved[m.place], m.role) if m.place in moved else m for m in out]

    def _region_placing(self, doc: Doc, m: Mention, mentions: list[Mention],
                        named: list[GeoPlace]) -> GeoPlace | None:
        """The region the text places town `m` in, if the gazetteer read it outside that region."""
        if m.place.kind not in {"city", "config"} or not m.place.admin:
            return None
        after = next((o for o in mentions if o.start >= m.span.end and o.place.kind == "region"
                      and all(t.lower_ in _BETWEEN_A_TOWN_AND_ITS_REGION for t in doc[m.span.end:o.start])), None)
        if after is not None:
            region: GeoPlace | None = after.place
        else:
            ours = {p.admin: p for p in named if p.country == m.place.country} \
                or {p.admin: p for p in named if p.country in theatre_of((m.place.country,))}
            ambiguous = not m.place.primary or len({p.admin for p in self.gazetteer.candidates(m.span.text)
                                                     if p.kind == "city"}) > 1
            region = next(iter(ours.values())) if len(ours) == 1 and ambiguous and m.place.kind == "city" \
                and m.place.population <= HOMONYM_TOWN_MAX else None
        if region is None or not region.admin \
                or enclosing_region(m.place.admin) == enclosing_region(region.admin) or m.place.admin == region.admin:
            return None
        return region

    def _possessed(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """"Kharkiv's Shevchenkivskyi district", "Donetsk's Selydove": a place in the possessive names where the
        next one lies, not a place of its own; the next one is read inside it (the Shevchenkivskyi district of
        Kharkiv, not of Kyiv)."""
        out: list[Mention] = []
        skip: set[int] = set()
        for m, after in zip(mentions, [*mentions[1:], None]):
            if m.start in skip:
                continue
            if after is None or m.span.end + 1 != after.start or doc[m.span.end].tag_ != "POS" \
                    or m.place.country != after.place.country or m.place.kind == "country":
                out.append(m)
                continue
            region = enclosing_region(m.place.admin)
            if enclosing_region(after.place.admin) != region:
                name = _kind_name(after.span) if after.span.label_ == "KIND" else after.span.text
                inside = [p for p in self.gazetteer.candidates(name) if enclosing_region(p.admin) == region]
                if not inside:
                    out.append(m)
                    continue
                after = Mention(after.span, max(inside, key=lambda p: same_city(p, m.place)), after.role)
            out.append(after)
            skip.add(after.start)
        return out

    def _title_regions(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """A title's city named like its region ("Strike on Lugansk") that the story never names again as a place,
        placing the attack in another town, a district or the whole of that region ("a bakery in Lisichansk in
        the LPR"): the title means the region, as short titles do."""
        title_end = next((t.i for t in doc if t.is_space and "\n" in t.text), None)
        if title_end is None:
            return mentions
        body = [m for m in mentions if m.start > title_end]
        out = []
        for m in mentions:
            region = self._namesake_region(m) if m.start < title_end and m.role == PLACE else None
            # the story naming the city only in passing ("the Kursk-Rylsk highway") does not place anything there
            # (or in a district of the region, or in the region itself: "Hits Miner Bus in Dnipropetrovsk" over
            # "... in the Dnipropetrovsk region ... in the Pavlohrad district")
            if region is not None and not any(same_city(o.place, m.place) for o in body if o.role == PLACE) and any(
                    o.role == PLACE and o.place.kind in {"city", "district", "region"}
                    and not same_city(o.place, m.place)
                    and enclosing_region(o.place.admin) == region.admin for o in body):
                m = Mention(m.span, region, m.role)
            out.append(m)
        return out

    def _namesake_region(self, mention: Mention) -> GeoPlace | None:
        """The region a city shares its name with (Luhansk, Donetsk, Kharkiv), if it is one."""
        if mention.place.kind != "city" or not mention.place.admin:
            return None
        region = self.gazetteer.resolve(f"{_kind_name(mention.span)} region", (mention.place.country,))
        if region is None or region.kind != "region" or region.admin != enclosing_region(mention.place.admin):
            return None
        return region

    def _known_name(self, text: str) -> bool:
        """A name the curated data lists (a town, region or district of Ukraine or Russia, a spelling): the
        model's PERSON or ORG tag on "Mykolaiv", "Kryvyi Rih" or "Dnipropetrovsk Oblast" does not make it a
        person."""
        return self.gazetteer.is_curated(text) and self.gazetteer.country(text) is None

    def _resolved(self, spans: list[Span], countries: tuple[str, ...], regions: tuple[str, ...],
                  doc_countries: set[str] | None, nearby: tuple[str, ...] = (),
                  hinted: tuple[str, ...] = ()) -> list[Mention]:
        """The spans read as places; `countries` named in the text steer ambiguous names before `hinted` ones
        (by a nationality adjective only)."""
        out = []
        for span in spans:
            if _names_a_source(span) or _modifies_with_a_hyphen(span):
                continue
            found = self._resolve(span, countries, regions, doc_countries, nearby, hinted)
            if found is None:
                continue
            span, place = found
            if _speaks_for_an_actor(span, place, self.weapon_lemmas):
                continue
            if span.label_ not in PLACE_LABELS | {"KIND"} and not place.primary and place.kind == "city" \
                    and not _named_a_settlement(span):
                continue   # a proper name read as a place only on a city's own name, not an alternate spelling
            out.append(Mention(span, place, self._role(span, place, doc_countries)))
        # "the cities of Odesa and Kharkiv": a name joined to a place where something happened is one too
        roles = {t.i: m.role for m in out for t in m.span}
        return [Mention(m.span, m.place, PLACE) if m.role == WEAK and m.span.root.dep_ == "conj"
                and roles.get(m.span.root.head.i) == PLACE else m for m in out]

    def _resolve(self, span: Span, countries: tuple[str, ...], regions: tuple[str, ...],
                 doc_countries: set[str] | None, nearby: tuple[str, ...] = (),
                 hinted: tuple[str, ...] = ()) -> tuple[Span, GeoPlace] | None:
        if span.label_ in {WEAK, IN_NAME}:
            place = self._weak_place(span, countries, doc_countries, hinted)
            return (span, place) if place is not None else None
        if span.label_ == "NORP":
            country = self.gazetteer.country_of_demonym(span.text)
            if country is None:
                place = self.gazetteer.resolve(span.text, countries, regions,   # "Odesa" tagged as a nationality
                                               hinted_countries=hinted)
                return (span, place) if place is not None else None
            capital = self.gazetteer.capital(country.country) if span.root.head.lower_ == "capital" else None
            return (span, capital or country)
        owner = next((t.i for t in span[1:-1] if t.tag_ == "POS"), None)
        if span.label_ == "KIND" and owner is not None:
            # "Kyiv’s Solomyansk district" tagged as one name: the district where it is known, else the city
            # that holds it
            inner = self._resolve(Span(span.doc, owner + 1, span.end, label="KIND"), countries, regions,
                                  doc_countries, nearby, hinted)
            holder = Span(span.doc, span.start, owner, label="GPE")
            place = self.gazetteer.resolve(holder.text, countries, regions, spelling_ok=True, nearby=nearby,
                                           hinted_countries=hinted)
            if inner is not None and inner[1].kind == "district" and (
                    place is None or enclosing_region(inner[1].admin) == enclosing_region(place.admin)):
                return inner
            return (holder, place) if place is not None else inner
        if span.label_ == "KIND":
            name = _kind_name(span)   # a district several cities have ("Shevchenkivskyi"): the one of a city named
            place = self.gazetteer.resolve(name, countries, regions, hinted_countries=hinted, nearby=nearby)
            if place is not None and (place.kind in {"region", "district"} or self.gazetteer.is_curated(name)):
                return span, place            # a region, a district, or a city's own district ("Solomianskyi district")
            split = self._town_in_region(span, countries, hinted)
            if split is not None:
                return split
            # "Ondo State", "Haifa District", a region the curated data lacks: the region of the city it is
            # named after (its admin code), never the city itself
            town = self.gazetteer.resolve(span[:-1].text, countries, regions, hinted_countries=hinted) \
                if len(span) > 1 else None
            if town is not None and town.kind == "city" and town.district and span[-1].lower_ in _DISTRICT_WORDS \
                    and town.district.split()[0] == town.name:
                # "Pavlograd district": another spelling of the town a district is named after names that district
                district = self.gazetteer.resolve(town.district, (town.country,))
                if district is not None and district.kind == "district":
                    return span, district
            if town is not None and town.kind in {"city", "config"} and town.admin:
                return span, GeoPlace(self.gazetteer.region_name(town.admin) or _kind_name(span), town.country,
                                      None, None, town.admin, "region")
            if town is not None:
                return span, town
        tagged = span.label_ in PLACE_LABELS
        place = self.gazetteer.resolve(span.text, countries, regions, spelling_ok=tagged, nearby=nearby,
                                       hinted_countries=hinted)
        if place is None:
            # "north west Pakistan", "Kherson city", "Helmand province"
            words = [t.text for t in span if t.lower_ not in W.COMPASS and t.lower_ not in W.PLACE_NOUNS
                     and t.text not in {"-", ".", "the", "The"}]
            place = self.gazetteer.resolve(" ".join(words), countries, regions, hinted_countries=hinted) \
                if words and len(words) < len(span) else None
        if place is None and len(span) > 1:
            # "the Old City of Damascus", "a Kabul wrestling club": a known name inside a longer one; never the
            # second word of a name the gazetteer lacks ("Zelenyi Yar" is no town "Yar")
            for token in span:
                if token.pos_ == "PROPN" and not _in_actor(token) and not _continues_a_name(token, span):
                    nxt = span.doc[token.i + 1] if token.i + 1 < span.end else None
                    if nxt is not None and nxt.lower_ in _KIND_WORDS and (token.i, nxt.i + 1) != (span.start, span.end):
                        # "Kursk Region Governor", "Bryansk Oblast Administration": the region, not its city
                        kind = self._resolve(Span(span.doc, token.i, token.i + 2, label="KIND"), countries, regions,
                                             doc_countries, nearby, hinted)
                        if kind is not None:
                            return kind
                    in_name = nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper()
                    word = Span(span.doc, token.i, token.i + 1, label=IN_NAME if in_name else WEAK)
                    place = self._weak_place(word, countries, doc_countries, hinted)
                    if place is not None:
                        return word, place
        return (span, place) if place is not None else None

    def _town_in_region(self, span: Span, countries: tuple[str, ...],
                        hinted: tuple[str, ...] = ()) -> tuple[Span, GeoPlace] | None:
        """"Desna Chernihiv Region": a town named before its region, read as the town of that region."""
        doc = span.doc
        words = [t for t in span if t.lower_ != "the"]
        for cut in range(1, len(words) - 1):
            region = self.gazetteer.resolve(_kind_name(doc[words[cut].i:span.end]), countries,
                                            hinted_countries=hinted)
            if region is None or region.kind != "region":
                continue
            town = self.gazetteer.resolve(doc[words[0].i:words[cut].i].text, countries, (region.admin or "",),
                                          hinted_countries=hinted)
            if town is not None and town.admin == region.admin:
                return Span(doc, words[0].i, words[cut].i, label="GPE"), town
            return span, region
        return None

    def _role(self, span: Span, place: GeoPlace, doc_countries: set[str] | None) -> str:
        if in_dateline(span):
            return DATELINE
        if _locates_a_statement(span):
            return STATEMENT
        if _is_reference_point(span):
            return NEAR
        if _where_victims_are_treated(span):
            return STATEMENT
        if _names_an_institution(span) or _describes_the_speaker(span) or _names_an_origin(span) \
                or _names_a_side(span):
            return STATEMENT
        if span.label_ == WEAK and _hit_by_name(span.root):
            return PLACE     # "Druzhkivka was also shelled", "Druzhkivka came under shelling": a place, whatever tag
        if span.label_ in {WEAK, IN_NAME}:
            return span.label_
        if not place.primary and place.kind == "city" and doc_countries is not None \
                and place.country not in doc_countries:
            return FOREIGN   # "an Ariana Grande concert in Manchester": a foreign alternate spelling ranks last
        return PLACE

    def _weak_place(self, span: Span, countries: tuple[str, ...], doc_countries: set[str] | None,
                    hinted: tuple[str, ...] = ()) -> GeoPlace | None:
        """A proper noun the model gave no place label: a country, a curated or config place, or a city under its
        own name that is large or lies in a country the text names; never a nationality adjective."""
        text = span.text
        if self.gazetteer.country_of_demonym(text) is not None:
            return None
        place = self.gazetteer.resolve(text, countries, hinted_countries=hinted)
        if place is None or not place.primary:
            return None
        if place.kind in {"country", "config"} or self.gazetteer.is_curated(text):
            return place
        if doc_countries and place.country in doc_countries and place.population >= 1000 and span.label_ != IN_NAME:
            return place
        # a large city, unless the word begins a longer name ("the Lincoln Memorial", "a Mobile Phone market")
        return place if place.population >= WEAK_PLACE_MIN_POPULATION and span.label_ != IN_NAME else None


def _kind_name(span: Span) -> str:
    """"the Kharkiv region" → "Kharkiv region", "the region of Chernihiv" → "Chernihiv region": the name with its
    kind word, as the gazetteer lists regions."""
    words = [t.text for t in span if t.lower_ not in {"the"} and t.lower_ not in W.COMPASS]
    if len(words) > 2 and words[1].lower() == "of" and words[0].lower() in _KIND_WORDS:
        words = words[2:] + words[:1]
    return " ".join(words[:-1] + [_KIND_WORDS.get(words[-1].lower(), words[-1])]) if words else span.text


# -- finding mentions --------------------------------------------------------------------------------------

_OTHER_NAMES = {"ORG", "PERSON", "NORP", "PRODUCT", "EVENT"}
_TITLE_PREFIX_WORDS = 3            # "Kharkiv Oblast: ...", "Kryvyi Rih: ..."


def _continues_a_name(token: Token, span: Span | None = None) -> bool:
    """The token is the last word of a longer name: a capitalised proper noun right before it modifies it
    ("Zelenyi Yar", "Velyka Oleksandrivka") or is joined to it by a hyphen ("Kamianets-Podilskyi"), so it is no
    place of its own where the whole name is unknown."""
    doc = token.doc
    if token.i == 0 or (span is not None and token.i == span.start):
        return False
    before = doc[token.i - 1]
    if before.text in {"-", "\u2013"} and not before.whitespace_ and token.i >= 2 \
            and not doc[token.i - 2].whitespace_ and doc[token.i - 2].text[:1].isupper():
        return True                   # "Kamianets-Podilskyi": one name, not the town "Podilskyi"
    return before.pos_ == "PROPN" and before.text[:1].isupper() and before.dep_ == "compound" \
        and before.head.i == token.i and bool(before.whitespace_)


def _hyphenated_start(token: Token) -> int:
    """The first token of the hyphenated name the token ends ("Kamianets-Podilskyi"), else the token's own."""
    doc, start = token.doc, token.i
    while start >= 2 and doc[start - 1].text in {"-", "\u2013"} and not doc[start - 1].whitespace_ \
            and not doc[start - 2].whitespace_ and doc[start - 2].text[:1].isupper():
        start -= 2
    return start


def _mention_spans(doc: Doc, known: Callable[[str], bool] = lambda _: False) -> list[Span]:
    """Place names: GPE/LOC/FAC entities (with a kind word after them: "KIND", or before "region of": "the region
    of Chernihiv"), proper names after a locative preposition ("attack on Sumy") or that the curated data lists
    whatever the model tagged them, "the Afghan capital", and proper nouns in the slots place names take."""
    mentions = []
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS and _is_proper(ent) and not _is_month_or_day(ent) and not _names_a_time_zone(ent):
            mentions.append(_with_kind(ent))
    taken = {t.i for e in mentions for t in e}
    for ent in doc.ents:
        # "the Afghan capital", "a Pakistani tribal district": the adjective names the place's country
        if ent.label_ == "NORP" and ent.root.dep_ in {"amod", "compound"} \
                and ent.root.head.lemma_.lower() in W.PLACE_NOUNS and not taken & {t.i for t in ent}:
            mentions.append(_with_kind(ent))       # "the Belgorod region" tagged as a nationality: KIND
            taken.update(t.i for t in mentions[-1])
    for ent in doc.ents:
        if ent.label_ in _OTHER_NAMES and (_placeish(ent.root) or known(ent.text)) and not taken & {t.i for t in ent} \
                and not _is_month_or_day(ent) and not _continues_a_name(ent[0]):
            mentions.append(_with_kind(ent))
            taken.update(t.i for t in mentions[-1])
    for token in doc:
        if token.i not in taken and _placeish(token) and token.text[:1].isupper() \
                and token.pos_ in {"PROPN", "NOUN"} and token.lower_ not in _MONTHS_AND_DAYS \
                and (not token.is_sent_start or token.pos_ == "PROPN" and told_as_hit(token)):
            start = _hyphenated_start(token)       # "hit Kamianets-Podilskyi": the whole name
            if start == token.i and _continues_a_name(token):
                continue
            if not taken & set(range(start, token.i)):
                mentions.append(_with_kind(doc[start:token.i + 1]))
                taken.update(t.i for t in mentions[-1])
    # a title opening with a curated place the model tagged as a common word ("Kharkiv shelling leaves 2 dead",
    # "Odesa drone attack injures 12": read as a noun or a verb)
    opening = doc[0] if len(doc) else None
    if opening is not None and opening.i not in taken and opening.is_alpha and opening.text[:1].isupper() \
            and not opening.is_upper and opening.ent_type_ in {"", *_OTHER_NAMES} and opening.ent_type_ != "NORP" \
            and opening.lower_ not in _MONTHS_AND_DAYS and known(opening.text):
        mentions.append(_with_kind(doc[0:1]))
        taken.update(t.i for t in mentions[-1])
    # a title led by a place and a colon ("Uman: 23 killed in Russian strike"), however the model tagged it
    colon = next((t.i for t in doc[:_TITLE_PREFIX_WORDS + 1] if t.text == ":"), None)
    if colon and all(t.text[:1].isupper() or t.text == "-" for t in doc[:colon]) and not taken & set(range(colon)) \
            and not any(t.is_space for t in doc[:colon]):
        mentions.append(_with_kind(Span(doc, 0, colon, label=WEAK)))
        taken.update(range(colon))
    # "the cities of Odesa and Kharkiv": a proper noun joined to a place name is one too
    for span in list(mentions):
        for token in span.root.conjuncts:
            if token.i not in taken and token.pos_ == "PROPN" and token.text[:1].isupper() \
                    and token.ent_type_ not in {"PERSON", "DATE", "TIME", "NORP"} and token.lower_ not in _MONTHS_AND_DAYS:
                mentions.append(Span(doc, token.i, token.i + 1, label=WEAK))
                taken.add(token.i)
    # inside a longer name only its first word, and only a name like "the Pakistan Stock Exchange" (not a person's)
    in_longer_name = {t.i for e in doc.ents if len(e) > 1 for t in e
                      if e.label_ not in {"ORG", "FAC"} or t.i != _first_word(e)}
    for token in doc:
        if token.i not in taken and token.i not in in_longer_name and _modifier_place_slot(token) \
                and token.lower_ not in _MONTHS_AND_DAYS and not _names_a_time_zone(doc[token.i:token.i + 1]):
            nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
            in_name = nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper()
            if nxt is not None and nxt.lower_ in _KIND_WORDS:
                mentions.append(Span(doc, token.i, token.i + 2, label="KIND"))
            else:
                mentions.append(Span(doc, token.i, token.i + 1, label=IN_NAME if in_name else WEAK))
    return sorted(mentions, key=lambda s: s.start)


def _with_kind(span: Span) -> Span:
    """The mention with the kind word that follows or ends it ("Kharkiv region", "Kramatorsk district"), labelled
    KIND, else as it is."""
    doc = span.doc
    if span[-1].lower_ in _KIND_WORDS and len(span) > 1:
        return Span(doc, span.start, span.end, label="KIND")
    if span.end < len(doc) and doc[span.end].lower_ in _KIND_WORDS:
        return Span(doc, span.start, span.end + 1, label="KIND")
    if span.start >= 3 and doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lower_ in _KIND_WORDS \
            and span[0].pos_ == "PROPN" and doc[span.start - 3].pos_ in {"DET", "ADJ"} \
            and doc[span.start - 3].lower_ not in W.CITY_PART_ADJECTIVES:
        # "the region of Chernihiv", "the northern Ukrainian region of Chernihiv"; not "the Zahra district of Homs",
        # nor "a residential district of Sumy" (a part of the city)
        return Span(doc, span.start - 2, span.end, label="KIND")
    return span


def _is_proper(span: Span) -> bool:
    """A name, not a common noun the model tagged ("the metro")."""
    return any(t.text[:1].isupper() for t in span if t.lower_ != "the")


def _names_a_time_zone(span: Span) -> bool:
    """"18:25 Moscow time", "Kyiv time"."""
    return span.end < len(span.doc) and span.doc[span.end].lower_ == "time"


def _is_month_or_day(span: Span) -> bool:
    return all(t.lower_ in _MONTHS_AND_DAYS or not t.is_alpha for t in span)


def _modifier_place_slot(token: Token) -> bool:
    """A capitalised proper noun used the way place names are: modifying a noun ("the Sumy death toll", "the
    Kharkiv governor", "Quetta's main road", "a Kabul wedding hall") or as the subject of what befalls a place
    ("Kyiv came under attack"). A watched actor's name (a capital such as Kyiv or Moscow) counts only before
    the nouns places take ("the Kyiv mayor") or under those verbs, never as "Moscow's war"."""
    if token.pos_ not in {"PROPN", "ADJ"} or not token.is_alpha or not token.text[:1].isupper() or token.is_upper:
        return False              # ("The Kyiv mayor": the tagger calls a place before a noun an adjective)
    if token.ent_type_ in {"NORP", "DATE", "TIME", "ORDINAL", "CARDINAL"}:
        return False
    if token.pos_ == "ADJ" and token.is_sent_start:
        # a capitalised adjective opening a sentence is mostly an adjective, but a title's "Kyiv strike toll rises
        # to 23", "Odesa death toll hits 20" opens with the place: only before the nouns places take
        return token.dep_ in {"amod", "compound"} and _heads_a_place_noun(token, W.PLACE_MODIFIED_NOUNS)
    actor = _in_actor(token)
    if token.dep_ == "nsubj" and (token.head.lemma_.lower() in W.PLACE_SUBJECT_VERBS or _mourns(token)):
        return True
    if token.dep_ in {"nsubj", "nsubjpass"} and token.head.lemma_.lower() in W.ATTACK_VERBS \
            and any(c.dep_ in {"agent", "auxpass"} for c in token.head.children):
        return True                    # "Sumy hit by Russian missiles", "Kharkiv was shelled"
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


def _heads_a_place_noun(token: Token, nouns: frozenset[str]) -> bool:
    """The noun the token modifies, through compounds ("Kyiv strike toll"), is one of `nouns`."""
    head = token.head
    while head.dep_ == "compound" and head.head.i != head.i:
        head = head.head
    return head.pos_ == "NOUN" and head.lemma_.lower() in nouns


def _mourns(subject: Token) -> bool:
    """"Kyiv declared a day of mourning", "Dnipro held funerals": a city mourning its dead, not a government."""
    return subject.dep_ == "nsubj" and any(t.lemma_.lower() in _MOURNING for t in subject.head.subtree
                                           if t.i > subject.i)


def _first_word(ent: Span) -> int:
    return next((t.i for t in ent if t.lower_ != "the"), ent.start)


def _placeish(token: Token) -> bool:
    """A word in a place's slot: after a locative preposition ("attack on Sumy"), what an attack hit, what is
    told as hit ("Kyiv is the most affected place"), or the name before "region", "province", "city" in such a
    slot ("attacked the Kursk region")."""
    if token.dep_ == "compound" and token.head.lemma_.lower() in W.PLACE_NOUNS:
        return _placeish(token.head)
    if token.dep_ == "pobj" and token.head.lower_ in W.LOCATIVE_PREPS:
        return True
    return token.dep_ == "dobj" and token.head.lemma_ in W.ATTACK_VERBS or told_as_hit(token)


# -- roles -----------------------------------------------------------------------------------------------

def in_dateline(span: Span) -> bool:
    """Whether the span is in a wire dateline at the start of a paragraph: "KYIV, April 14 (Reuters) -", "GAZA CITY
    (AP) —", "Kryvyi Rih, Ukraine (Reuters) –", "Kharkiv:", "Belgorod [Russia], May 13 :"."""
    sent = span.sent
    head = sent.doc[sent.start:min(sent.end, sent.start + 16)]
    dash = next((t.i for t in head if t.text in _DASHES and t.i > sent.start), None)
    if dash is None or span.start >= dash or (sent.doc[dash].text == ":" and sent.start == 0):
        return False            # "Kherson: strike kills 3" as a title names the place
    depth = 0
    for token in sent.doc[sent.start:dash]:
        if token.text in {"(", "["}:
            depth += 1
        elif token.text in {")", "]"}:
            depth -= 1
        elif depth == 0 and not (token.is_punct or token.is_space or token.like_num or token.is_upper
                                 or token.ent_type_ in {"GPE", "LOC", "DATE", "FAC"} or token.i in range(span.start, span.end)):
            return False
    return True


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
    if not (head.pos_ in {"VERB", "AUX"} and head.lemma_.lower() in W.REPORTING_VERBS):
        return False
    # "further attacks were reported in Khmelnytskyi", "explosions were reported in Kharkiv": what was reported
    # happened there
    return not any(c.dep_ == "nsubjpass" and (c.lemma_.lower() in W.ATTACK_NOUNS | W.VIOLENCE_WORDS)
                   for c in head.children)


def _names_an_institution(span: Span) -> bool:
    """"the Kyiv mayor", "Donetsk regional police", "Kharkiv Mayor Ihor Terekhov": the place of who speaks."""
    head = span.root
    if head.dep_ not in {"compound", "amod", "nmod", "poss"}:
        return False
    while head.dep_ in {"compound", "amod", "nmod", "poss"} and head.head.i != head.i:
        head = head.head
        if head.lemma_.lower() in _INSTITUTIONS:
            return True
    return False


def _names_a_side(span: Span) -> bool:
    """"Kiev terrorists", "the Kyiv regime", "Moscow's forces": a capital or city standing for the side whose
    forces act, not a place where anything happened."""
    head = span.root
    return head.dep_ in {"compound", "amod", "nmod", "poss"} and head.head.lemma_.lower() in _SIDE_NOUNS \
        and head.head.i > head.i


def _named_a_settlement(span: Span) -> bool:
    """"The city of Energodar", "the town of Burova": the text itself calls the name a settlement, whatever tag
    (a nationality, a person) the model gave it or how unusual its spelling."""
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in _SETTLEMENT_NOUNS


def _names_an_origin(span: Span) -> bool:
    """"diplomats from Washington and Kyiv", "a family from Belgorod": where people come from, not where anything
    happened."""
    token = span.root
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ == "from" and token.head.head.pos_ in {"NOUN", "PROPN"} \
        and token.head.head.lemma_.lower() not in W.ATTACK_NOUNS


def names_the_speaker(span: Span) -> bool:
    """"the regional administration said", "according to the regional administration", "the head of the regional
    administration said": the words name who speaks (an institution, its official), not what was hit."""
    root = span.root
    if root.dep_ == "nsubj" and root.head.lemma_.lower() in W.REPORTING_VERBS:
        return True
    following = root.doc[span.end] if span.end < len(root.doc) else None
    if following is not None and following.tag_ in {"VBD", "VBZ"} and following.lemma_.lower() in W.REPORTING_VERBS:
        return True              # "..., the head of the regional administration said" however it is parsed
    if root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.i > 0 \
            and root.doc[root.head.i - 1].lower_ == "according":
        return True
    return _describes_the_speaker(span)


def _describes_the_speaker(span: Span) -> bool:
    """"Vyacheslav Gladkov, governor of the Belgorod region, said": a place inside the phrase naming who speaks
    tells whose official speaks, not where anything happened."""
    for ancestor in span.root.ancestors:
        if ancestor.pos_ in {"VERB", "AUX"}:
            return False
        if ancestor.dep_ == "nsubj" and ancestor.head.lemma_.lower() in W.REPORTING_VERBS:
            return True
    return False


def names_an_official_of(span: Span) -> bool:
    """"the governor of the city of Sevastopol said", "Kharkiv's mayor said": the place is whose official
    speaks (not "doctors at a hospital in Owo said")."""
    return _describes_the_speaker(span) and any(a.lemma_.lower() in _INSTITUTIONS for a in span.root.ancestors)


def _where_victims_are_treated(span: Span) -> bool:
    """"taken to hospitals in Dnipro", "a Dnipro hospital", "evacuated to Kyiv": where the wounded are treated,
    not where the attack was."""
    root = span.root
    if root.dep_ in {"compound", "nmod", "amod"} and root.head.lemma_.lower() in W.TREATMENT_NOUNS:
        return not _attacked(root.head)          # "in a Dnipro hospital"; not "a strike on a Dnipro hospital"
    if root.dep_ != "pobj":
        return False
    prep, above = root.head, root.head.head
    if prep.lower_ in {"in", "at"} and above.lemma_.lower() in W.TREATMENT_NOUNS:
        return not _attacked(above)              # "hospitals in Dnipro"; not "missiles hit a hospital in Dnipro"
    return prep.lower_ == "to" and above.lemma_.lower() in W.TRANSFER_VERBS      # "taken to Dnipro"


def _attacked(noun: Token) -> bool:
    """The noun is what an attack hit: "hit a hospital", "a hospital was struck", "a strike on the hospital"."""
    head = noun.head
    if noun.dep_ in {"dobj", "nsubjpass"} and head.lemma_.lower() in W.ATTACK_VERBS:
        return True
    return noun.dep_ == "pobj" and head.lower_ in {"on", "at"} and (
        head.head.lemma_.lower() in W.ATTACK_NOUNS or head.head.lemma_.lower() in W.ATTACK_VERBS)


def _hit_by_name(name: Token) -> bool:
    """The name is what an attack hit, told as its subject or object: "the Russians shelled Druzhkivka",
    "Druzhkivka was shelled", "Druzhkivka came under shelling", "Kyiv is the hardest hit"."""
    if name.dep_ in {"dobj", "nsubjpass"} and name.head.lemma_.lower() in W.ATTACK_VERBS:
        return True
    verb = name.head
    if name.dep_ == "nsubj" and verb.lemma_.lower() in W.PLACE_SUBJECT_VERBS:
        return any(g.lemma_.lower() in W.ATTACK_NOUNS for c in verb.children if c.dep_ in {"prep", "dobj"}
                   for g in c.subtree)
    return told_as_hit(name)


def _is_reference_point(span: Span) -> bool:
    """"near Odesa", "outside Kyiv", "50 km southwest of Odesa", "a town near the port city of Odesa", "the
    border with Sumy region": a place named to say where another one lies."""
    token = span.root
    for _ in range(4):                   # through "the port city of", "the outskirts of"
        if token.dep_ != "pobj":
            return False
        prep = token.head
        if prep.lower_ in _NEAR_PREPS:
            return True
        if prep.lower_ == "with" and prep.head.lemma_.lower() in {"border", "frontier"}:
            return True                  # "near the border with Sumy region": the neighbour across it
        if prep.lower_ in {"of", "from"}:
            above = prep.head
            if above.lower_ in W.COMPASS or above.lower_ in _DISTANCE_WORDS or any(
                    c.lower_ in _DISTANCE_WORDS for c in above.children):
                return True              # "southwest of Odesa", "50 km from Odesa"
            if above.pos_ in {"NOUN", "PROPN"} and above.dep_ == "pobj":
                token = above            # "near the port city of Odesa": climb to "city"
                continue
        return False
    return False


def _speaks_for_an_actor(span: Span, place: GeoPlace, weapon_lemmas: dict[str, str]) -> bool:
    """A watched actor's name as the one who acts, not where: the attacker ("Russia pounded Ukrainian cities"),
    or a capital standing for its government ("Moscow was not interested in peace", "Kyiv said")."""
    if not _in_actor(span.root):
        return False
    head = span.root.head
    if span.root.dep_ in {"compound", "amod", "nmod"} and head.lemma_.lower() in W.GOVERNMENT_NOUNS:
        return True                    # "the Kiev regime", "the Kyiv government"
    if span.root.dep_ == "pobj" and place.kind != "country" and head.lower_ not in _WHERE_PREPS \
            and head.head.pos_ in {"NOUN", "PROPN"} \
            and head.head.lemma_.lower() not in W.ATTACK_NOUNS | W.PLACE_NOUNS | W.PLACE_MODIFIED_NOUNS \
            and head.head.lemma_.lower() not in weapon_lemmas:
        return True                    # "pressure on Moscow", "talks with Kyiv": the government
    if span.root.dep_ == "poss" and place.kind != "country":
        # "Moscow's war has killed ...", but "Kyiv's mayor", "a blast in Moscow's metro"
        return head.lemma_.lower() not in W.PLACE_MODIFIED_NOUNS | W.PLACE_NOUNS and not _placeish(head)
    if span.root.dep_ != "nsubj":
        return False
    if head.lemma_.lower() in W.PLACE_SUBJECT_VERBS:
        return False                   # "Kyiv came under a massive missile attack"
    if _mourns(span.root):
        return False                   # "Kyiv declared a day of mourning", "Kyiv held funerals"
    if told_as_hit(span.root):
        return False                   # "Kyiv is the most affected place", "Kharkiv was the hardest hit"
    return place.kind != "country" or is_agent(span.root, weapon_lemmas)


_HARM_LEMMAS = {"affect", "affected", "hit", "damage", "damaged", "strike", "struck", "target", "targeted", "attack",
                "attacked", "suffer"}


def told_as_hit(subject: Token) -> bool:
    """The subject of a copula whose complement tells it was hit ("Kyiv is the most affected place", "Odesa was
    the hardest hit"): a place, not its government."""
    verb = subject.head
    return subject.dep_ == "nsubj" and verb.lemma_ == "be" and any(
        t.lemma_.lower() in _HARM_LEMMAS for c in verb.children if c.dep_ in {"attr", "acomp"} for t in c.subtree)


_WHERE_PREPS = {"in", "at", "near", "outside", "across", "throughout", "inside", "around"}
_MOURNING = {"mourning", "mourn", "funeral", "vigil"}
_SOURCE_NOUNS = {"channel", "agency", "outlet", "newspaper", "media", "website", "portal", "telegram"}
_HYPHEN_PARTICIPLES = {"appointed", "backed", "installed", "controlled", "held", "occupied", "based", "built",
                       "led", "run", "allied", "friendly", "born", "made", "bound", "aligned", "imposed", "annexed"}


def _names_a_source(span: Span) -> bool:
    """A name that tells where news came from, not where anything happened: "according to Baza and Mash", "the
    Telegram channel Baza"."""
    token = span.root
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ == "pobj" and token.head.lower_ == "to" and token.head.head.lower_ == "according":
        return True
    return token.dep_ in {"appos", "compound"} and token.head.lemma_.lower() in _SOURCE_NOUNS or (
        token.dep_ == "nsubj" and token.head.lemma_.lower() in W.REPORTING_VERBS | {"cite"} and not _in_actor(token))


def _modifies_with_a_hyphen(span: Span) -> bool:
    """"Moscow-appointed officials", "the Moscow-built bridge", "a Kyiv-based analyst": the name qualifies who or
    what, it places nothing."""
    doc = span.doc
    end = span.end
    return end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
        and doc[end + 1].lower_ in _HYPHEN_PARTICIPLES


def _in_actor(token: Token) -> bool:
    return any(s.start <= token.i < s.end for s in token.doc.spans.get("actors", []))


def is_agent(token: Token, weapon_lemmas: dict[str, str]) -> bool:
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
