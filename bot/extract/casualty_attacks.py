"""A document's attacks: every mention of one attack gathered into one account with its best-supported figures.

A report is a document (a title, maybe a dateline, a lead, later paragraphs), not a list of sentences. The
document's main attack is where its title and lead place the violence, refined to the most specific place named
inside it (the region in the title, the village in the lead: the village). Each figure joins the attack its own
clause places it in: the main attack when it names no place or a place within (or around) the main attack's,
another attack when it names a place apart from it ("... and a drone killed another civilian in Nikopol"). A
figure naming no place after a second attack was told goes with the attack told just before it, or nowhere.
A toll whose sentence names an attack on a day of its own at the main attack's place ("on Monday, a missile
strike on the city killed 12" in a story of Wednesday's) is that day's attack (a night's "late on Monday" in a
story of the night to Tuesday is not).

Left out: tolls told of an earlier attack where the document dates one of its own ("last week, a strike killed
seven", "three days after a strike killed 35", "the deadliest since January 23, when a strike killed 11"),
figures in sentences about something else (tallies, front-wide losses, anniversaries, trials, accidents,
exchanges: `casualty_scope`), figures dated more than `BACKGROUND_DAYS` before the main attack or in an earlier
year (background paragraphs about earlier attacks), and the attackers' own deaths. A document whose title (else
first sentence) is about something else tells no attack at all.

Each attack's toll: the highest total stated for it ("rose to 12" after "initially said nine" is 12, since an
earlier figure counts only when nothing newer is told); a count over several attacks counts only where the
document tells one attack; more victims told on top of a toll ("two more bodies", "two of the wounded died")
are kept apart as an increment (the largest told), used only where no total is told; "the number of victims" is the dead unless
the document counts the dead otherwise; where the document tells several attacks, a toll told of the whole
country ("fired 367 drones at Ukraine, killing 12") is their sum, no one attack's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from bot.extract import casualty_words as W
from bot.extract.casualty_figures import CASUALTIES, INJURED, KILLED, VICTIMS, Figure, has_trigger, toll_lists
from bot.extract.casualty_kinds import ADDED, ALSO, EARLIER, SUMMARY, TOTAL, TRANSFER, clause_of, kind_of
from bot.extract.casualty_places import NEAR, PLACE, REPORTED, STATEMENT, WEAKER, Mention, names_an_official_of
from bot.extract.casualty_scope import DOCUMENT_LABELS, TALLY, WIDE
from bot.extract.event_dates import is_long_past, is_vague_past
from bot.extract.gazetteer import GeoPlace, region_around
from bot.extract.numbers import Quantity

ACROSS = "across"              # a figure summed over places apart: one attack's toll only where nothing else is
BACKGROUND_DAYS = 7             # a figure dated this long before the attack the document is about is background
BACKGROUND_BEFORE = 2           # ... and one at its place this many days before the day its lead tells
_FIGURE_LABELS = DOCUMENT_LABELS | {WIDE}
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


@dataclass
class Told:
    """One figure as the document tells it: its kind, the places and day its clause names."""

    figure: Figure
    kind: str
    places: list[Mention]
    day: dt.date | None
    vague_past: bool = False        # "last week", "in recent days": before the document's news
    near: list[Mention] = field(default_factory=list)    # reference points in its clause ("near Tyre")
    long_past: bool = False         # "last April", "ten years ago": another attack's time
    years: tuple[tuple[int, ...], ...] = ()   # the years its dates name ("in 2017", "the March 2022 bombing")
    latest: bool = False            # told as the latest figure ("later specified that 12 had died")
    attack: "Attack | None" = None
    elsewhere: bool = False         # told of somewhere unnamed away from the attack ("in the south of the country")
    nationwide: bool = False        # told of the country alone ("fired 367 drones at Ukraine, killing 12")


@dataclass
class Attack:
    """One attack the document tells of."""

    place: GeoPlace | None
    country: str | None = None
    told: list[Told] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    day: dt.date | None = None
    main: bool = False
    background: bool = False        # at the main attack's place, two days or more before the day its lead tells

    def add(self, told: Told) -> None:
        told.attack = self
        self.told.append(told)
        if all(s.start != told.figure.sentence.start for s in self.sentences):
            self.sentences.append(told.figure.sentence)

    def tells_a_revision(self) -> bool:
        """The toll is told as revised: "the death toll rose to 40", "two more bodies", "initially said nine"."""
        return any(t.kind in {ADDED, TRANSFER, EARLIER} or _revises(t.figure) for t in self.told)

    def told_as_earlier(self) -> bool:
        """Its tolls are told of an earlier time ("funerals for victims of last week's strike, which killed 46"),
        none of the document's own news: its day is not the publication's."""
        return any(t.vague_past for t in self.told) and all(t.vague_past or t.kind not in {TOTAL, SUMMARY}
                                                            for t in self.told)

    def drop_fighters(self) -> None:
        """Fighters killed beside other victims ("one peacekeeper was killed, 15 terrorists were killed") are
        the attackers' losses, not the attack's toll."""
        others = [t for t in self.told if t.figure.role == KILLED and not _fighters(t.figure)]
        if others:
            self.told = [t for t in self.told if not (t.figure.role == KILLED and _fighters(t.figure))]

    def _without_wider_sums(self, pool: list[Told]) -> list[Told]:
        """Beside a figure the story tells of the attack's city, a figure told only of the region or district
        around it (in the title, or in the story naming it as a region: "three were killed in Donetsk region" ⏎
        "in Myrnohrad, two died") is the wider area's sum ("Russian attacks kill 9 in Kharkiv region" ⏎ "strikes
        on the city of Kharkiv killed five"): the city's figure is the attack's. (In the story, "in the Nuseirat
        camp in central Gaza" names the region as a locator.)"""
        place = self.place
        if place is None or place.level != "city":
            return pool

        def named(t: Told) -> list[GeoPlace]:
            return [m.place for m in t.places if m.place.level != "country"]

        def wider(t: Told) -> bool:
            # in the story, only a region named as one ("in Donetsk region"): a bare name ("in the Nuseirat camp
            # in central Gaza") may be a locator of the place the attack was, and so is a region named as where a
            # town lies ("shelling of a town in the Belgorod region killed two")
            return bool(named(t)) and all(p.level in {"district", "region"} and contains(p, place) for p in named(t)) \
                and (_in_title(t.figure.sentence) or all(m.span.label_ == "KIND" and not _locates_a_settlement(m)
                                                         for m in t.places if m.place.level != "country"))

        at_place = [t for t in pool if any(p.name == place.name and p.level == "city" for p in named(t))]
        return [t for t in pool if not wider(t)] if at_place else pool

    def _superseded_pairs(self) -> set[int]:
        """Sentences telling the dead and the injured together that another such sentence supersedes: more dead
        and fewer injured ("6 were killed and 8 injured" beside "Five dead and nine injured": a wounded victim
        died). The toll is one statement's pair, not the highest of each from different statements."""
        pairs: dict[int, dict[str, int]] = {}
        for t in self.told:
            if t.kind in {TOTAL, SUMMARY} and t.figure.quantity.value is not None \
                    and t.figure.role in {KILLED, INJURED}:
                pairs.setdefault(t.figure.sentence.start, {}).setdefault(t.figure.role, t.figure.quantity.value)
        whole = {start: pair for start, pair in pairs.items() if len(pair) == 2}
        return {start for start, pair in whole.items() if any(
            other[KILLED] > pair[KILLED] and other[INJURED] < pair[INJURED] for other in whole.values())}

    def toll(self, role: str, *, several: bool) -> tuple[Quantity | None, int | None]:
        """The best-supported figure for `role` and the victims told on top of a toll when none is told. Victims
        told on top ("another victim has died") after a toll that is not itself told as revised, or on top of a
        toll the text says was earlier, are added to it."""
        mine = [t for t in self.told if t.figure.role == role]
        if several:
            # where the document tells several attacks, a figure told of the whole country is their sum
            mine = [t for t in mine if not t.nationwide] or mine
        if any(t.kind == EARLIER for t in mine):
            # "two men died in the hospital" after the toll told before: more dead on top of it; and so is a
            # figure telling the increment again ("Two more people die" ⏎ "... has increased, two men have died")
            increments = {t.figure.quantity.value for t in mine if t.kind == ADDED}
            mine = [replace(t, kind=ADDED) if t.kind == TOTAL and (
                _died_of_wounds(t.figure) or t.figure.quantity.value in increments) else t for t in mine]
        superseded = self._superseded_pairs()
        mine = [t for t in mine if t.figure.sentence.start not in superseded] or mine
        added = [t for t in mine if t.kind in {ADDED, TRANSFER}]
        # a sum over places apart only where nothing is told of this attack alone
        alone = any(t.kind == TOTAL for t in self.told)
        for kinds in ((TOTAL,) if several else (TOTAL, SUMMARY), (SUMMARY,), (EARLIER,), () if alone else (ACROSS,)):
            pool = [t for t in mine if t.kind in kinds]
            pool = [t for t in pool if not t.vague_past] or pool    # a toll of today's news over an earlier one's
            pool = [t for t in pool if t.latest] or pool           # "later specified that 12 had died"
            pool = self._without_wider_sums(pool)
            best = _highest_told(pool)
            if best is None:
                continue
            quantity = best.figure.quantity
            extra = sum(t.figure.quantity.value or 0 for t in mine if t.kind == ALSO)
            # the title and the story telling the same toll: victims who died after it is told plainly in the
            # story are on top of it ("Three killed in Sumy" ⏎ "... killed three. Later, one of the injured died")
            ties = [t for t in pool if t.figure.quantity == quantity]
            on_top = [t for t in added if kinds == (EARLIER,) or any(_told_on_top(t, b, mine) for b in ties)]
            extra += max((t.figure.quantity.value or 0 for t in on_top), default=0)
            return (quantity + Quantity.exact(extra) if extra else quantity), None
        # the largest increment told, not their sum: a title and its story tell the same "two more died" twice
        increment = max((t.figure.quantity.value or 0 for t in mine if t.kind in {ADDED, TRANSFER, ALSO}), default=0)
        return None, increment or None


def _locates_a_settlement(mention: Mention) -> bool:
    """"a town in the Belgorod region", "a village of Kharkiv region": the region says where one settlement lies."""
    root = mention.span.root
    return root.dep_ == "pobj" and root.head.lower_ in {"in", "of"} \
        and root.head.head.lemma_.lower() in W.SETTLEMENT_NOUNS


def _died_of_wounds(figure: Figure) -> bool:
    """"Died in (the) hospital", "died of their wounds": victims of an attack told before who died since."""
    anchor = figure.anchor
    if figure.role != KILLED or anchor.lemma_.lower() not in W.DIE_VERBS | {"succumb"}:
        return False
    return any(c.dep_ == "prep" and any(g.lemma_.lower() in {"hospital", "wound", "injury"} for g in c.children)
               for c in anchor.children)


def _told_on_top(added: Told, total: Told, told: list[Told]) -> bool:
    """"The attack resulted in 1 death." ... "Another victim has died in the hospital": victims who died after a
    toll stated plainly (not as revised, not in a title that may already count them), in a sentence stating no
    toll of its own."""
    sentence = added.figure.sentence.start
    if sentence <= total.figure.sentence.start or _revises(total.figure) or _in_title(total.figure.sentence):
        return False
    if added.figure.anchor.lemma_.lower() not in W.DIE_VERBS | {"succumb"}:
        return False          # "an additional four were killed in nearby villages": a part of the toll told
    return not any(t.kind == TOTAL and t.figure.sentence.start == sentence for t in told)


def _in_title(sent: Span) -> bool:
    """The sentence is (in) the document's first line, its title: no line break before it, one after its start."""
    doc = sent.doc
    first = doc.user_data.get(_FIRST_BREAK_KEY)
    if first is None:   # the first token holding a line break (-1: none), found once per document
        first = next((t.i for t in doc if "\n" in t.text), -1)
        doc.user_data[_FIRST_BREAK_KEY] = first
    return bool(first >= sent.start)


_FIRST_BREAK_KEY = "casualties.first_break"


@dataclass(frozen=True)
class DocumentView:
    """What the assembly needs to know about a parsed document."""

    doc: Doc
    published: dt.date | None
    mentions: list[Mention]
    scopes: dict[int, frozenset[str]]
    about_attack: Callable[[Span], bool]
    dates_in: Callable[[Span], list[tuple[dt.date, bool, int]]]     # day, of a statement, where
    names_an_attack: Callable[[Span], bool] = lambda _: True        # a weapon or attack word, not only "killed"


def attacks_in(view: DocumentView, figures: Sequence[Figure]) -> list[Attack]:
    """The document's attacks with the figures told for each (none for a document about something else). Wire
    headlines joined by ';' ("Blast kills 2 in Quetta;Suicide bomber kills seven in market") are read as
    reports of their own."""
    attacks: list[Attack] = []
    for start, end in _headlines(view.doc):
        part = [f for f in figures if start <= f.anchor.i < end]
        if part:
            attacks += _attacks_in_part(view, start, end, part)
    return attacks


def _headlines(doc: Doc) -> list[tuple[int, int]]:
    cuts = [t.i + 1 for t in doc if t.text == ";" and not t.whitespace_ and t.i > 0 and not doc[t.i - 1].whitespace_]
    bounds = [0, *cuts, len(doc)]
    return list(zip(bounds, bounds[1:]))


def _attacks_in_part(view: DocumentView, start: int, end: int, figures: Sequence[Figure]) -> list[Attack]:
    doc = view.doc
    sentences = [Span(doc, max(s.start, start), min(s.end, end)) for s in doc.sents if s.start < end and s.end > start]
    view = replace(view, mentions=[m for m in view.mentions if start <= m.start < end])
    if not sentences or _about_something_else(view, doc, sentences):
        return []
    lead = _lead(doc, sentences)
    told = [t for t in (_told(view, f) for f in _not_restating_a_tally(view, figures)) if t is not None]
    reference = _main_day(view, lead, told) or view.published
    if not _all_recent(told, view):
        told = [t for t in told if not _background(t, reference)]
    main = Attack(place=None, main=True)
    main.place, main.country = _main_place(view, sentences, told)
    main.day = _main_day(view, lead, told)
    attacks = [main]
    previous: Told | None = None
    told_at = _places_told_of(view, sentences, main)
    news_dated = main.day is not None or any(t.day is not None and not t.vague_past and t.kind in {TOTAL, SUMMARY}
                                             for t in told)
    for item in sorted(told, key=lambda t: t.figure.anchor.i):
        target = _attack_for(item, main, attacks, previous, told_at.get(item.figure.sentence.start),
                             _another_day(view, item, main), news_dated)
        if target is None:
            continue
        if target not in attacks:
            attacks.append(target)
        target.add(item)
        previous = item
    for attack in attacks:
        attack.drop_fighters()
        if attack.day is None:
            attack.day = next((t.day for t in attack.told if t.day is not None), None)
    _titles_summing_the_attacks(main, [a for a in attacks if a.told])
    if not main.told:
        # the news tells no toll ("many were killed and wounded"), only the toll of an attack days before it: that
        # background is no report of the document's (it would stand first, as the document's news)
        attacks = [a for a in attacks if not a.background]
    return [a for a in attacks if a.told]


def _titles_summing_the_attacks(main: Attack, attacks: list[Attack]) -> None:
    """A title's figure the main attack took, naming no place of its own, that is the sum of the figures the story
    tells of each of its attacks ("Russian attacks injure nine" ⏎ "... injured five in the Kharkiv region and four
    in Kherson"): the sum over them (`ACROSS`), no one attack's toll."""
    if len(attacks) < 2:
        return
    for told in main.told:
        if not _in_title(told.figure.sentence) or told.kind not in {TOTAL, SUMMARY} or told.places \
                or told.figure.quantity.value is None:
            continue
        parts = [max((t.figure.quantity.value or 0 for t in a.told if t.figure.role == told.figure.role
                      and not _in_title(t.figure.sentence) and t.kind in {TOTAL, SUMMARY}), default=0)
                 for a in attacks]
        if sum(1 for p in parts if p) > 1 and sum(parts) == told.figure.quantity.value:
            told.kind = ACROSS


def resolve_victims(attack: Attack, several: bool) -> tuple[tuple[Quantity | None, int | None],
                                                               tuple[Quantity | None, int | None]]:
    """Killed and injured tolls. "The number of victims" is the dead unless a higher count of the dead is told,
    or as many wounded are counted (or the dead and at least as many wounded); "the number of casualties" is the
    dead where no dead and no wounded are counted, else the injured where it is as high (no dead told) or higher."""
    attack = _title_over_story(_dead_inside_the_hurt(attack))
    killed = attack.toll(KILLED, several=several)
    injured = attack.toll(INJURED, several=several)
    victims, _ = attack.toll(VICTIMS, several=several)
    casualties, _ = attack.toll(CASUALTIES, several=several)
    dead_among = max((t.figure.quantity.value or 0 for t in attack.told
                      if t.figure.role == KILLED and _told_among_them(t.figure)), default=0)
    if victims is not None and victims.value is not None and injured[0] is None and killed[0] is not None \
            and dead_among and magnitude(killed[0]) == dead_among < victims.value:
        # "the number of victims has risen to seven. Among them is one deceased man": the victims are the dead
        # and the wounded together, the wounded the rest
        return killed, (Quantity.exact(victims.value - dead_among), None)
    if killed[0] is not None and injured[0] is not None:
        # "the number of victims has risen to 32: two died and 30 were wounded": the dead and the wounded together
        both = magnitude(killed[0]) + magnitude(injured[0])
        victims = None if victims is not None and magnitude(victims) == both else victims
        casualties = None if casualties is not None and magnitude(casualties) == both else casualties
    if victims is not None and injured[0] is not None and (magnitude(victims) == magnitude(injured[0]) or (
            killed[0] is not None and magnitude(victims) <= magnitude(injured[0]))):
        # "the number of victims increased to 18" beside "19 wounded and 3 killed": the wounded, counted earlier
        victims = None
    if victims is not None and (killed[0] is None or (victims.value is not None
                                                      and magnitude(victims) >= magnitude(killed[0]))):
        killed = (victims, None)
    if casualties is not None:
        if killed[0] is None and injured[0] is not None and magnitude(casualties) >= magnitude(injured[0]):
            # "the number of casualties has increased to 17" beside "12 were hospitalised", no dead told: the
            # casualties are the hurt, counted whole
            injured = (casualties, None)
        elif killed[0] is None:
            killed = (casualties, None)
        elif magnitude(casualties) > magnitude(killed[0]) and (
                injured[0] is None or magnitude(casualties) > magnitude(injured[0])):
            injured = (casualties, None)
    return killed, injured


def _told_among_them(figure: Figure) -> bool:
    """"Among them is one deceased man", "among whom two died": the dead told as some of a count told before."""
    _, clause = clause_of(figure.anchor)
    doc = figure.anchor.doc
    return any(doc[i].lower_ == "among" and any(c.lower_ in {"them", "whom"} for c in doc[i].children)
               for i in clause)


def _dead_inside_the_hurt(attack: Attack) -> Attack:
    """"One dead, six injured" ⏎ "the number of injured has reached seven, and one of them has died": the story's
    count of the hurt holds the dead ("one of them"), as the title's count of the rest shows; the title's count
    stands. (Without such a title the count told stays the injured toll: outlets differ on it.)"""
    titled = {t.figure.quantity.value for t in attack.told if t.figure.role == INJURED and _in_title(t.figure.sentence)}
    inclusive = []
    for t in attack.told:
        if t.figure.role != INJURED or _in_title(t.figure.sentence) or t.figure.quantity.value is None:
            continue
        dead = [d.figure.quantity.value or 0 for d in attack.told if d.figure.role == KILLED
                and d.figure.sentence.start == t.figure.sentence.start and _one_of_them(d.figure)]
        if any(t.figure.quantity.value - k in titled for k in dead):
            inclusive.append(t)
    return replace(attack, told=[t for t in attack.told if t not in inclusive]) if inclusive else attack


def _one_of_them(figure: Figure) -> bool:
    """"One of them has died", "two of whom died": the dead told as some of the people counted before."""
    victims = figure.victims
    return victims is not None and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(g.lower_ in {"them", "whom"} for g in c.children)
        for c in victims.children)


def _title_over_story(attack: Attack) -> Attack:
    """A title and its story telling one number as two tolls ("Number of injured rises to 16" ⏎ "16 victims ...
    were killed", a translation slip), each telling nothing of the other's: the title's reading stands."""
    other = {KILLED: INJURED, INJURED: KILLED}
    titled = [t for t in attack.told if t.figure.role in other and _in_title(t.figure.sentence)]
    story = [t for t in attack.told if t.figure.role in other and not _in_title(t.figure.sentence)]
    roles = {t.figure.role for t in titled}
    if len(roles) != 1 or any(t.figure.role in roles for t in story):
        return attack
    (role,) = roles
    values = {t.figure.quantity.value for t in titled} - {None}
    mistold = [t for t in story if t.figure.role == other[role] and t.figure.quantity.value in values
               and not _others_beside(t.figure)]
    if not mistold or len(mistold) != len(story):
        return attack
    return replace(attack, told=[t for t in attack.told if t not in mistold])


def _others_beside(figure: Figure) -> bool:
    """"Five others were injured", "five more were hurt": victims told as others than those told before, so
    the figure is told beside the other toll, not in its place."""
    victims = figure.victims
    return victims is not None and (victims.lemma_.lower() in {"other", "more"} or any(
        c.lower_ in {"other", "others", "more"} for c in victims.children if c.dep_ in {"amod", "advmod"}))


# -- the parts ---------------------------------------------------------------------------------------------

def _lead(doc: Doc, sentences: list[Span]) -> list[Span]:
    """The title and the first two sentences after it (the whole lead where the text has no title)."""
    title_end = next((t.i for t in doc if t.is_space and "\n" in t.text), None)
    titled = [s for s in sentences if title_end is not None and s.end <= title_end + 1]
    rest = [s for s in sentences if s not in titled]
    return titled + rest[:2]


def _about_something_else(view: DocumentView, doc: Doc, sentences: list[Span]) -> bool:
    """The title is about a tally, an anniversary, a trial, an accident, an exchange (a text without a title:
    its first sentence, about anything but a tally, which there may only introduce the story's period); or no
    sentence of the lead names an attack and one of them is about one of those ("Market fire kills two" ⏎ "Two
    traders died in the blaze. A faulty heater caused it")."""
    first = sentences[0]
    titled = any(t.is_space and "\n" in t.text for t in doc[first.end:first.end + 1]) or \
        any(t.is_space and "\n" in t.text for t in first)
    labels = view.scopes.get(first.sent.start, frozenset()) & DOCUMENT_LABELS
    if labels if titled else labels - {TALLY}:
        return True
    lead = _lead(doc, sentences)
    if not titled or any(view.names_an_attack(s) for s in lead):
        return False
    return any(view.scopes.get(s.sent.start, frozenset()) & DOCUMENT_LABELS - {TALLY} for s in lead[1:])


def _not_restating_a_tally(view: DocumentView, figures: Sequence[Figure]) -> list[Figure]:
    """The figures without a title's that the story restates as a tally, a front's losses or a country-wide sum
    ("Russian shelling kills 12 in Donetsk region" ⏎ "... killed 12 civilians across the region over the past
    day"): the title shortens that sentence, it tells no attack of its own. Only a sentence that tells one figure
    of that kind counts ("the toll rose to 14, and 43 were killed in the city during the week" tells the attack's
    too)."""
    def alone(f: Figure) -> bool:
        return sum(1 for g in figures if g.sentence.start == f.sentence.start and g.role == f.role) == 1

    labelled = {(f.role, f.quantity.value) for f in figures
                if view.scopes.get(f.sentence.start, frozenset()) & _FIGURE_LABELS and not _in_title(f.sentence)
                and alone(f)}
    return [f for f in figures if not (_in_title(f.sentence) and (f.role, f.quantity.value) in labelled
                                       and f.quantity.value is not None)]


def _told(view: DocumentView, figure: Figure) -> Told | None:
    if view.scopes.get(figure.sentence.start, frozenset()) & _FIGURE_LABELS:
        return None
    if is_attackers(figure):
        return None
    kind = kind_of(figure)
    _, clause = clause_of(figure.anchor)
    in_clause = [m for m in view.mentions if m.within(clause)]
    in_sentence = [m for m in view.mentions if figure.sentence.start <= m.start < figure.sentence.end]
    places = _placed_by_its_item(figure, in_sentence) or [m for m in in_clause if m.role in REPORTED] \
        or _shared_with_the_next_toll(figure, in_sentence) or (
        [] if _other_clauses_place(figure, clause, in_sentence) else [m for m in in_sentence if m.role in REPORTED])
    doc = figure.anchor.doc
    if not places and any(doc[i].lower_ == "there" and doc[i].dep_ == "advmod" for i in clause):
        # "officials in the Kyiv region said one person died there": where the speakers are
        places = [Mention(m.span, m.place, PLACE) for m in in_sentence
                  if m.role == STATEMENT and m.place.kind != "country"]
    if not places:
        # "the mayor of Kharkiv said", "the governor of the city of Sevastopol said three people had been
        # hospitalised": a city's official telling a toll with no place of its own tells the city's (a region's
        # governor may tell what befell his people anywhere: "a car with Belgorod plates on the Crimean Bridge")
        places = [Mention(m.span, m.place, PLACE) for m in in_sentence if m.role == STATEMENT
                  and m.place.kind in {"city", "config"} and names_an_official_of(m.span)]
    if not places and _after_a_wide_sentence(view, figure.sentence):
        return None               # "... a mass strike against Ukraine. The attack killed 11": the barrage's toll
    if kind in {TOTAL, SUMMARY} and _apart(places):
        kind = ACROSS             # "killed seven in strikes on the cities of Odesa and Kharkiv": a sum of two
    if kind in {TOTAL, SUMMARY} and not places and _the_attack_told_apart(view, figure):
        kind = ACROSS             # "Lutsk and Lviv were hit ... Dnipro was also hit in the attack" ⏎ "the attack
        #                           killed three and wounded 27": the whole barrage's toll
    if kind == TOTAL and _in_a_recap(view.doc, figure.sentence):
        kind = EARLIER            # "As reported, ... Five people were killed": the toll told before
    context = figure.sentence if _dates(figure.sentence) else _context_before(view.doc, figure.sentence)
    day = _day_of(view, figure, kind)
    if day is None and context is not None and context is not figure.sentence and kind in {TOTAL, SUMMARY} \
            and not _states_a_toll(figure) and view.about_attack(context):
        # (a toll stated, "the final toll is 45", is the count when told, not on the day the sentence before names;
        # a sentence before about something else, "the search ended on Wednesday", dates that, not the attack)
        day = next((d for d, speech, _ in view.dates_in(context) if not speech), None)
    dates = _dates(context, figure.anchor if context is figure.sentence else None) if context is not None else []
    vague = any(is_vague_past(e.text) for e in dates) or _of_an_earlier_attack(figure)
    if vague and context is figure.sentence:
        day = None                # "funerals on Saturday for victims of last week's strike, which killed 46"
    long_past = any(is_long_past(e.text, view.published) for e in dates)
    near = [m for m in in_clause if m.role == NEAR and m.place.kind != "country"]
    years = tuple(tuple(int(m.group(0)) for m in _YEAR.finditer(e.text)) for e in dates if e.label_ == "DATE")
    # "killed in the 2022 missile strike": a year the parse reads as a count, naming the attack's
    years += tuple((int(doc[i].text),) for i in clause if _YEAR.fullmatch(doc[i].text)
                   and doc[i].dep_ in {"nummod", "compound", "amod"} and doc[i].head.lemma_.lower() in W.ATTACK_NOUNS)
    nationwide = bool(places) and all(m.place.kind == "country" for m in places)
    return Told(figure, kind, places, day, vague, near, elsewhere=_told_elsewhere(figure.anchor.doc, clause),
                long_past=long_past, latest=_told_as_latest(figure, clause), years=years, nationwide=nationwide)


_RECAP_OPENINGS = (("as", "reported"), ("as", "it", "was", "reported"), ("as", "previously", "reported"),
                   ("as", "we", "reported"), ("as", "earlier", "reported"), ("background",), ("recall", "that"),
                   ("as", "a", "reminder"))
_CORRECTING_VERBS = {"specify", "clarify", "correct", "refine"}


def _paragraph_start(doc: Doc, i: int) -> int:
    """The first token of the paragraph holding token `i`."""
    while i > 0 and "\n" not in doc[i - 1].text:
        i -= 1
    return i


def _in_a_recap(doc: Doc, sent: Span) -> bool:
    """The sentence is in a paragraph that recaps earlier news ("As reported, ...", "Background:"), or in the one
    after such a paragraph holding no figure of its own ("As it was reported, on Friday Russia shelled Mykolaiv." ⏎
    "Five people were killed ...")."""
    start = _paragraph_start(doc, sent.start)
    if _opens_a_recap(doc, start):
        return True
    if start == 0:
        return False
    before = _paragraph_start(doc, start - 1)
    return _opens_a_recap(doc, before) and not has_trigger(doc[before:start])     # ("at one of the districts")


def _opens_a_recap(doc: Doc, start: int) -> bool:
    words = [t.lower_ for t in doc[start:start + 6] if not t.is_punct and not t.is_space]
    return any(tuple(words[:len(opening)]) == opening for opening in _RECAP_OPENINGS)


def _told_as_latest(figure: Figure, clause: set[int]) -> bool:
    """"later, he specified that 12 people had died", "clarified that 14 were killed and 74 injured": the figure
    the text gives as correcting what it told before (an elliptic clause joined to such a one is, too)."""
    doc = figure.anchor.doc
    return any(doc[i].pos_ == "VERB" and doc[i].lemma_.lower() in _CORRECTING_VERBS
               for i in clause | _joined_clause(figure.anchor))


def _joined_clause(anchor: Token) -> set[int]:
    """For a figure told in an elliptic clause ("... 14 were killed and 74 injured"), the words of the clause it
    is joined to; else nothing."""
    head, _ = clause_of(anchor)
    if head.dep_ != "conj" or any(c.dep_ in {"aux", "auxpass", "nsubj", "nsubjpass"} and c.pos_ != "NUM"
                                  and not c.like_num for c in head.children):
        return set()
    return clause_of(head.head)[1]


def _dates(sent: Span, anchor: Token | None = None) -> list[Span]:
    """The sentence's date and time phrases; ages ("a 61-year-old", "aged 3 months"), births ("born in 2012") and,
    beside a figure, what a relative clause tells of something else ("Kherson, which Russia abandoned a year
    ago") left out."""
    inside = {t.i for t in anchor.ancestors} | {anchor.i} if anchor is not None else set()
    out = []
    for ent in sent.ents:
        if ent.label_ not in {"DATE", "TIME"} or ent.text.lower().endswith("old"):
            continue
        ancestors = list(ent.root.ancestors)
        if any(a.lemma_ in {"bear", "age", "aged"} for a in ancestors[:3]) or (
                ent.start > 0 and ent.doc[ent.start - 1].lower_ in {"aged", "age"}):
            continue
        if anchor is not None and any(a.dep_ in {"relcl", "acl"} and a.i not in inside and a.head.i not in inside
                                      for a in ancestors):
            continue
        following = ent.doc[ent.end] if ent.end < sent.end else None
        if following is not None and following.lower_ in {"after", "later"}:
            ent = Span(ent.doc, ent.start, ent.end + 1, label=ent.label_)     # "two weeks after the strike"
        out.append(ent)
    return out


def _context_before(doc: Doc, sent: Span) -> Span | None:
    """The sentence a sentence without a date of its own goes on from: the one before it in its paragraph, or
    one broken off without a full stop ("Last April, Ukraine said" ⏎ "57 people died when ...")."""
    if sent.start == 0:
        return None
    before = doc[sent.start - 1].sent
    words = [t for t in before if not t.is_space]
    if not words:
        return None
    broken_off = not words[-1].is_punct
    new_paragraph = any("\n" in t.text for t in doc[words[-1].i:sent.start + 1])
    return before if broken_off or not new_paragraph else None


def _apart(mentions: list[Mention]) -> bool:
    """Two places named as where something happened, below their country, neither within the other."""
    places = [m.place for m in mentions if m.place.kind != "country" and m.role == PLACE]
    return any(not related(a, b) for i, a in enumerate(places) for b in places[i + 1:])


def _the_attack_told_apart(view: DocumentView, figure: Figure) -> bool:
    """The figure's clause tells it of "the attack" (the strike, the barrage) the body has already told as hitting
    places apart, each in a sentence about it: the whole attack's sum, no one place's."""
    _, clause = clause_of(figure.anchor)
    doc = figure.anchor.doc
    verb = figure.anchor.head if figure.anchor.dep_ == "conj" else figure.anchor   # "killed three and wounded 27"
    subjects = [doc[i] for i in clause] + list(verb.children)
    if not any(t.dep_ == "nsubj" and t.lemma_.lower() in W.ATTACK_NOUNS and any(c.lower_ == "the" for c in t.children)
               for t in subjects):
        return False
    title_end = next((t.i for t in doc if t.is_space and "\n" in t.text), 0)
    before = [m for m in view.mentions if title_end < m.start < figure.sentence.start
              and view.names_an_attack(m.span.sent)]
    return _apart(before)


def _after_a_wide_sentence(view: DocumentView, sent: Span) -> bool:
    """The sentence before, in the same paragraph, tells of a whole country or many places at once."""
    doc = view.doc
    if sent.start == 0 or any("\n" in t.text for t in doc[max(sent.start - 1, 0):sent.start + 1]):
        return False
    before = doc[sent.start - 1].sent
    return WIDE in view.scopes.get(before.start, frozenset())


def _told_elsewhere(doc: Doc, clause: set[int]) -> bool:
    """"A child was killed in attacks in the southeast of the country", "elsewhere, two were wounded": told of
    somewhere the text does not name, away from the attack it names."""
    for i in clause:
        token = doc[i]
        if token.lower_ == "elsewhere":
            return True
        if token.lower_ == "country" and token.dep_ == "pobj" and token.head.lower_ == "of" \
                and token.head.head.lower_ in W.COMPASS:
            return True
    return False


def _placed_by_its_item(figure: Figure, in_sentence: list[Mention]) -> list[Mention]:
    """In a list of tolls by place ("killed three people in Kherson and two in Nikopol"), each count's own place."""
    victims = figure.victims
    if victims is None:
        return []
    for items in toll_lists(figure.sentence):
        for item in items:
            if victims.i in {item.number.i, item.noun.i if item.noun is not None else -1} or (
                    victims.i == item.number.head.i and item.number.dep_ == "nummod"):
                return [m for m in in_sentence if m.role in REPORTED and m.within({item.place.i})]
    return []


def _shared_with_the_next_toll(figure: Figure, in_sentence: list[Mention]) -> list[Mention]:
    """"One more person died and one was injured in Kurakhove": a toll told with no place of its own, joined to a
    toll of victims that names one (no weapon or attacker as its subject, which tells an attack of its own: "...,
    and a drone killed another in Nikopol"), is told of that place too."""
    head, _ = clause_of(figure.anchor)
    # the verbs joined to the figure's own verb or to one above it in its clause ("5 were killed and 13 wounded
    # in the Donetsk region, the governor said": the clause's head is the verb of saying)
    path = [figure.anchor, *(a for a in figure.anchor.ancestors if a.i in clause_of(figure.anchor)[1])]
    for verb in (c for v in path for c in v.children):
        if verb.dep_ != "conj" or verb.pos_ not in {"VERB", "AUX"} or verb.i < verb.head.i \
                or verb.lemma_.lower() not in W.KILL_VERBS | W.DIE_VERBS | W.INJURE_VERBS:
            continue
        if any(c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in W.VIOLENCE_WORDS | W.ATTACK_NOUNS
               for c in verb.children):
            continue
        _, told_there = clause_of(verb)
        shared = [m for m in in_sentence if m.role in REPORTED and m.within(told_there)]
        if shared:
            return shared
    return []


def _other_clauses_place(figure: Figure, clause: set[int], in_sentence: list[Mention]) -> bool:
    """The sentence's places belong to other clauses of it ("..., and a drone killed another in Nikopol")."""
    return any(m.role in REPORTED and not m.within(clause) for m in in_sentence) and any(
        t.i not in clause and t.pos_ == "VERB" and t.dep_ == "conj" for t in figure.sentence)


def _day_of(view: DocumentView, figure: Figure, kind: str) -> dt.date | None:
    """The day the figure's phrase (else sentence) names for an event, not for a statement; none for victims told on top of a
    toll ("two more bodies were found on Thursday": the day of the finding)."""
    if kind not in {TOTAL, SUMMARY}:
        return None
    below = {t.i for t in _statement_of(figure.anchor).subtree}
    days = [(day, at) for day, speech, at in view.dates_in(figure.sentence) if not speech]
    doc = figure.anchor.doc

    def of_an_attack(at: int) -> bool:      # "last Wednesday's strike", "the strike on Sunday"
        return any(a.lemma_.lower() in W.ATTACK_NOUNS for a in list(doc[at].ancestors)[:3])

    # a day told inside the figure's own phrase first ("the 19 people killed when a missile struck ... on Wednesday"),
    # then one told of an attack ("bodies recovered on Sunday, bringing the toll from last Wednesday's strike to 33")
    # a figure told inside a noun phrase ("relatives of the 22 people killed in the strike filed a lawsuit on
    # Tuesday", "the strike that killed 35") takes no day from the clause around it, which tells something else
    inside = figure.anchor.dep_ in {"acl", "relcl"}
    return next((day for day, at in days if at in below),
                next((day for day, at in days if of_an_attack(at)), days[0][0] if days and not inside else None))


def _statement_of(anchor: Token) -> Token:
    """The verb that states the figure's clause: for a verb joined to another without a subject of its own
    ("killed four and injured 31, as rescuers searched on Thursday"), the first verb, so that both figures of one
    statement take its day, not one told in a clause hung on the second."""
    while anchor.dep_ == "conj" and anchor.head.pos_ == "VERB" and not any(
            c.dep_ in {"nsubj", "nsubjpass"} for c in anchor.children):
        anchor = anchor.head
    return anchor


def _of_an_earlier_attack(figure: Figure) -> bool:
    """"Days after the strike on Sumy that killed 35", "two weeks after the attack that killed 12 and injured
    40", "three days after a missile strike killed 35", "the deadliest since January 23, when a strike killed 11": a
    toll told of an attack the sentence tells something after."""
    anchor = figure.anchor
    while anchor.dep_ == "conj" and anchor.head.pos_ == "VERB":
        anchor = anchor.head
    if anchor.dep_ == "advcl":        # "three days after a missile strike on the city killed 35"
        return any(c.dep_ == "mark" and c.lower_ in {"after", "since"} and _time_measure(c)
                   for c in anchor.children)
    noun = anchor.head
    if anchor.dep_ == "relcl" and noun.ent_type_ == "DATE" and noun.dep_ == "pobj" and noun.head.lower_ == "since":
        return True                   # "the deadliest attack since January 23, when a strike killed 11"
    if anchor.dep_ not in {"relcl", "acl"} or noun.lemma_.lower() not in W.ATTACK_NOUNS or noun.dep_ != "pobj" \
            or noun.head.lower_ not in {"after", "since"}:
        return False
    return _time_measure(noun.head)


def _time_measure(word: Token) -> bool:
    """"days after", "a week since": the time elapsed told on the word."""
    return any(c.dep_ == "npadvmod" and c.lemma_.lower() in {"day", "week", "month", "year"} for c in word.children)


def _main_day(view: DocumentView, lead: list[Span], told: Sequence[Told] = ()) -> dt.date | None:
    """The attack's day as the title and lead tell it: a day named in a sentence about the attack (the one told
    with a figure first), in the month before publication (a date further back is another story's)."""
    def recent(day: dt.date) -> bool:
        return view.published is None or 0 <= (view.published - day).days <= 31

    for n, sent in enumerate(lead):
        if _only_a_day(sent) and n + 1 < len(lead) and view.about_attack(lead[n + 1]):
            # "Sunday, July 3. Mass shelling of the city ...": a line naming the day heads the post it dates
            days = [day for day, speech, _ in view.dates_in(sent) if not speech and recent(day)]
            if days:
                return days[0]
        if not view.about_attack(sent) or any(t.vague_past for t in told if sent.start <= t.figure.anchor.i < sent.end):
            continue              # "... victims of last week's strike": the sentence's other days are not its
        # a day told with the lead's own figure is the attack's, however long ago ("600 died in the strike on the
        # theatre on March 16", told in May); other days of the lead only within the month before publication
        of_figures = [t.day for t in told if t.day is not None and sent.start <= t.figure.anchor.i < sent.end]
        told_days = [(day, at) for day, speech, at in view.dates_in(sent) if not speech and recent(day)]
        # "On Saturday the rescuers finished at the building that the drone hit on Wednesday": the attack's day
        # is the one told of the attack, before the others the sentence names
        of_the_attack = [day for day, at in told_days if _dates_an_attack(view.doc[at])]
        days = of_figures or of_the_attack or [day for day, _ in told_days]
        if days:
            return days[0]
    return None


def _only_a_day(sent: Span) -> bool:
    """The sentence names a day and nothing else ("Sunday, July 3.")."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    return bool(words) and all(t.ent_type_ in {"DATE", "TIME"} for t in words)


def _dates_an_attack(word: Token) -> bool:
    """The day phrase hangs on a verb of attacking ("hit by a drone on 13 March") or an attack noun ("the strike
    on Sunday"), its first verb or noun above it."""
    for head in list(word.ancestors)[:3]:
        lemma = head.lemma_.lower()
        if head.pos_ == "VERB":
            return lemma in W.ATTACK_VERBS
        if head.pos_ == "NOUN" and lemma in W.ATTACK_NOUNS:
            return True
    return False


def _all_recent(told: list[Told], view: DocumentView) -> bool:
    """Every figure is dated, on days within a month of publication: the document tells its attack by its date
    (a late revision), there is no other attack to tell it from."""
    if not told or view.published is None:
        return False
    return all(t.day is not None and 0 <= (view.published - t.day).days <= 31 for t in told)


def _background(told: Told, reference: dt.date | None) -> bool:
    """A figure of an earlier attack: dated well before the attack the document is about, or in an earlier year
    ("in 2017", "in September 2023", "a 2018 bombing")."""
    if told.long_past and told.day is None and not _revises(told.figure):
        return True
    if reference is None:
        return False
    if told.day is not None:
        return (reference - told.day).days > BACKGROUND_DAYS
    return any(max(years) < reference.year for years in told.years if years)


def _main_place(view: DocumentView, sentences: list[Span], told: list[Told]) -> tuple[GeoPlace | None, str | None]:
    """Where the title and lead place the violence, refined to the most specific place named within it; a
    country alone is no attack's place (it is kept as the attack's country). A town the same sentences name as a
    reference point ("near Lviv", "just south of Moscow") is not where it happened: its region is. Where those
    sentences place it nowhere, the one place (or places within one another) the document says anything happened
    at."""
    attack_sentences = [s for s in sentences if view.about_attack(s) or any(
        s.start <= t.figure.anchor.i < s.end for t in told)]
    attack_sentences = [s for s in attack_sentences if not view.scopes.get(s.sent.start, frozenset()) & _FIGURE_LABELS]
    named = [m for m in view.mentions if any(s.start <= m.start < s.end for s in attack_sentences)]
    near = [m.place for m in named if m.role == NEAR and m.place.kind in {"city", "config"} and m.place.admin]

    def placed(place: GeoPlace) -> GeoPlace:
        return region_around(place) if any(same_place(place, n) for n in near) else place

    for roles in ({PLACE}, WEAKER, {STATEMENT}):
        places = [placed(m.place) for m in named if m.role in roles and m.place.kind != "country"]
        if places:
            return _most_specific(places), places[0].country
    # only a reference point is named ("a village near Kharkiv"): the region around it
    if near:
        region = region_around(near[0])
        return region, region.country
    elsewhere = [m.place for m in view.mentions if m.role == PLACE and m.place.kind != "country"
                 and not view.scopes.get(m.span.sent.start, frozenset()) & _FIGURE_LABELS]
    if elsewhere and all(related(p, elsewhere[0]) for p in elsewhere):
        return _most_specific(elsewhere), elsewhere[0].country
    countries = [m.place.country for m in named if m.role in REPORTED | {STATEMENT}]
    countries = countries or [m.place.country for m in view.mentions]
    return None, countries[0] if countries else None


def _most_specific(places: list[GeoPlace]) -> GeoPlace:
    """The first place, refined to a place named after it within it (the region in the title, the village in the
    lead: the village)."""
    main = places[0]
    for place in places[1:]:
        if contains(main, place) and place != main:
            main = place
    return main


def _places_told_of(view: DocumentView, sentences: list[Span], main: Attack) -> dict[int, GeoPlace]:
    """Sentence start → the place apart from the main attack's that the paragraph, past the title and the first
    paragraph, has just told of an attack at ("At the same time, the Russians shelled the city of Stepnohirsk ..."
    ⏎ ... "two more died"): where a figure naming no place of its own happened."""
    if main.place is None:
        return {}
    paragraphs = sorted({_paragraph_start(view.doc, s.start) for s in sentences})
    lead_starts = {s.start for s in sentences if _paragraph_start(view.doc, s.start) in paragraphs[:2]}
    out: dict[int, GeoPlace] = {}
    current: GeoPlace | None = None
    paragraph, told_alone = -1, False
    for sent in sentences:
        start = _paragraph_start(view.doc, sent.start)
        if start != paragraph:
            # a paragraph of one sentence telling an attack apart ("The Russians also shelled the town of X.")
            # introduces the next one, which tells its toll
            paragraph, current = start, current if told_alone else None
        told_alone = False
        if sent.start not in lead_starts and view.about_attack(sent):
            apart = [m.place for m in view.mentions if sent.start <= m.start < sent.end and m.role == PLACE
                     and m.place.kind in {"city", "config"} and not related(m.place, main.place)]
            if apart:
                current = apart[-1]
                told_alone = sent.start == start and _paragraph_start(view.doc, sent.end) != start \
                    and not has_trigger(sent) and any(_attacked_by_name(m.span.root) for m in view.mentions
                                                      if sent.start <= m.start < sent.end and m.place == current)
        if current is not None:
            out[sent.start] = current
    return out


def _attacked_by_name(place: Token) -> bool:
    """The place is what an active verb of attacking hit: "the Russians also shelled Bilopillia", "attacked the
    town of Bilopillia"."""
    if place.dep_ == "pobj" and place.head.lower_ == "of" and place.head.head.lemma_.lower() in W.SETTLEMENT_NOUNS:
        place = place.head.head
    verb = place.head
    return place.dep_ == "dobj" and verb.lemma_.lower() in W.ATTACK_VERBS and not any(
        c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)


def _attack_for(item: Told, main: Attack, attacks: list[Attack], previous: Told | None,
                told_of: GeoPlace | None = None, another_day: bool = False, news_dated: bool = False
                ) -> Attack | None:
    """The attack a figure is told of (None: of none the document reports). `news_dated`: the document dates an
    attack of its own news, so a toll told of "last week" is an earlier one's."""
    if item.kind == TRANSFER:
        return main          # the wounded who died: of the attack told, wherever the hospital is
    named = [m for m in item.places if m.place.kind != "country"]
    if news_dated and (main.place is None or all(related(m.place, main.place) for m in named if m.role == PLACE)):
        if item.vague_past and item.kind in {TOTAL, SUMMARY}:
            return None      # "Last week, a missile strike on the city killed seven": an earlier attack there
        if another_day:
            # "on Monday, a missile strike killed 12" in a story of Wednesday's: that day's attack at the place
            # (two days or more before it: background, "on July 1, shelling killed four" in a story of July 3's)
            return next((a for a in attacks if a.day == item.day and a.place == main.place), None) \
                or Attack(place=main.place, country=main.country, day=item.day,
                          background=main.day is not None and item.day is not None
                          and (main.day - item.day).days >= BACKGROUND_BEFORE)
    strong = [m.place for m in named if m.role == PLACE]
    # a proper noun read as a place (no place entity) places a figure in the main attack, but is no evidence of
    # another one
    weak = [m.place for m in named if m.role != PLACE and main.place is not None and related(m.place, main.place)]
    own = strong or weak
    if own:
        if main.place is None or any(related(p, main.place) for p in own):
            if main.place is None:
                main.place, main.country = own[0], own[0].country
            return main
        apart = [p for p in own if not any(related(p, q) for q in own if q is not p)]
        if len({(p.name, p.country) for p in own}) > 1 and len(apart) > 1:
            return None                   # several unrelated places in one clause: which is not said
        for attack in attacks:
            if attack.place is not None and related(attack.place, own[0]):
                return attack
        if item.vague_past:
            return None                   # "a siege of a hotel in Kismayo last week that killed nine": background
        place = _most_specific(own)       # "in the Kharkiv region, shelling killed two in the town of Kupiansk"
        return Attack(place=place, country=place.country)
    countries = {m.place.country for m in item.places if m.place.kind == "country" and m.span.label_ in {"GPE", "LOC"}
                 and m.span.root.dep_ == "pobj" and m.span.root.head.lower_ in {"in", "across", "throughout", "inside"}}
    if countries and main.country and main.country not in countries and main.place is not None:
        # a figure told for another country: an attack of its own where it names a town it was near ("in
        # southern Lebanon, a drone strike on a car near Tyre killed two men"), else nowhere
        near = [m.place for m in item.near if m.place.country in countries]
        return Attack(place=near[0], country=near[0].country) if near and not item.vague_past else None
    if item.elsewhere and main.place is not None:
        return None
    if not named and main.place is not None and _opens_a_separate_event(item.figure.sentence):
        # "In a separate incident, a man was killed by a dropped explosive": another attack, its place unnamed
        return Attack(place=None, country=main.country)
    if told_of is not None and not item.places and not item.vague_past:
        return next((a for a in attacks if a.place is not None and related(a.place, told_of)), None) \
            or Attack(place=told_of, country=told_of.country)
    if len(attacks) == 1:
        return main
    if previous is not None and previous.attack is not None and _close(previous.figure, item.figure):
        return previous.attack
    return None                           # told after a second attack, and said of neither


def _opens_a_separate_event(sent: Span) -> bool:
    """The sentence opens by saying it tells another event: "In a separate incident, ...", "Separately, ..."."""
    words = [t for t in sent if not t.is_punct and not t.is_space][:4]
    return any(t.lower_ in W.SEPARATE_MARKERS for t in words)


def _another_day(view: DocumentView, item: Told, main: Attack) -> bool:
    """The figure is told of another attack, on a day of its own: its sentence names an attack and a day (a
    weekday, a date, "two days earlier"; not "today" or "overnight", which a quote tells from its own day) other
    than the main attack's (or only a day two or more days from it), and it is a toll of that attack ("a missile
    strike killed 12"), not a count told ("the death toll was 33"), a revision or the wounded who died since."""
    if item.day is None or main.day is None or item.day == main.day or item.kind not in {TOTAL, SUMMARY} \
            or _revises(item.figure) or item.latest or _states_a_toll(item.figure) or _died_of_wounds(item.figure):
        return False
    sentence = item.figure.sentence
    doc = sentence.doc
    next_day = abs((item.day - main.day).days) == 1
    apart = abs((item.day - main.day).days) >= BACKGROUND_BEFORE
    # two days or more apart, no night's two dates: "six people were killed on July 3" in a story of July 5's
    # strike tells that day's victims, attack noun or none, and so does a sentence going on from one that names
    # that day ("on July 1, Russian troops shelled the city." "Four people died then")
    if apart and not any(day == item.day for day, _, _ in view.dates_in(sentence)):
        return True
    named = any(day == item.day and not speech and not _relative_day(doc, at)
                and not (next_day and _of_the_night(doc, at)) for day, speech, at in view.dates_in(sentence))
    return named and (view.names_an_attack(sentence) or apart)


def _of_the_night(doc: Doc, at: int) -> bool:
    """"Late on Monday", "on Monday night", "early Tuesday": a night's attack, told under either of its days."""
    return any(t.lower_ in {"night", "late", "early", "evening", "overnight", "midnight"}
               for t in doc[max(at - 2, 0):min(at + 3, len(doc))])


_SPEAKERS_DAYS = {"today", "tonight", "overnight", "yesterday", "night"}
_PARTS_OF_TODAY = {"night", "morning", "evening", "afternoon", "today"}


def _relative_day(doc: Doc, at: int) -> bool:
    """The day phrase at `at` counts from when it was said: "today", "overnight", "last night", "this morning"."""
    word = doc[at].lower_
    following = doc[at + 1].lower_ if at + 1 < len(doc) else ""
    return word in _SPEAKERS_DAYS or (word in {"last", "this", "earlier"} and following in _PARTS_OF_TODAY)


def _close(before: Figure, after: Figure) -> bool:
    """The same sentence, or the next one in the same paragraph."""
    if before.sentence.start == after.sentence.start:
        return True
    doc = before.sentence.doc
    between = doc[before.sentence.end:after.sentence.start]
    if any("\n" in t.text for t in doc[max(before.sentence.end - 1, 0):after.sentence.start]):
        return False                      # another paragraph
    return sum(bool(t.is_sent_start) for t in between) <= 1     # at most one sentence between them


# -- places in the hierarchy -------------------------------------------------------------------------------

_LEVEL = {"city": 0, "config": 0, "district": 1, "region": 2, "country": 3}


def contains(outer: GeoPlace, inner: GeoPlace) -> bool:
    """Whether `inner` lies within `outer` (or is it): a city in its district or region, a district in its region,
    anything in its country."""
    if outer.country != inner.country:
        return False
    a, b = _LEVEL[outer.kind], _LEVEL[inner.kind]
    if outer.kind == "country":
        return True
    if a < b:
        return False
    if a == b:
        return same_place(outer, inner)
    if outer.kind == "region":
        return outer.admin is not None and outer.admin == inner.admin
    return outer.kind == "district" and inner.district == outer.name


def same_place(a: GeoPlace, b: GeoPlace) -> bool:
    """The same place: by name, by point, or, for two regions, by their code."""
    if a.kind == b.kind == "region" and a.admin and a.admin == b.admin:
        return True
    return (a.name, a.country, a.kind) == (b.name, b.country, b.kind) or (
        a.lat is not None and b.lat is not None and a.lat == b.lat and a.lon == b.lon)


def related(a: GeoPlace, b: GeoPlace) -> bool:
    return contains(a, b) or contains(b, a)


def _highest_told(told: Sequence[Told]) -> Told | None:
    """The figure `_highest` picks, with how it was told."""
    best = _highest([t.figure.quantity for t in told])
    return next((t for t in told if t.figure.quantity is best), None)


def _highest(quantities: Iterable[Quantity]) -> Quantity | None:
    """The highest of the figures stated as numbers (exactly or as a bound: "at least 23"); a number word alone
    ("dozens", "hundreds": a bound, no figure) only where none is, and approximate ones ("about 30", "nearly two
    dozen") only where no figure is precise or, told around a number ("about 30"), above every precise one."""
    found = list(quantities)
    numbers = [q for q in found if q.low is not None and q.value is not None]
    precise = [q for q in found if q.low is not None]
    pool = numbers or precise or found
    if numbers:
        # two sources side by side ("five were injured" ... "about 20 others were injured"): the higher, where
        # the rough one is no figure from below ("nearly a hundred" beside 93 is that 93)
        pool += [q for q in found if q.low is None and q.high is None and q.value is not None
                 and q.value > max(magnitude(n) for n in numbers)]
    return max(pool, key=lambda q: (magnitude(q), q.value is not None)) if pool else None


def magnitude(quantity: Quantity) -> int:
    """A figure's size: its value ("nearly 24": below 24), else its lower bound ("dozens": 24)."""
    if quantity.value is not None:
        return min(quantity.value, quantity.high) if quantity.high is not None else quantity.value
    return quantity.low if quantity.low is not None else -1


_TOLL_NOUNS = {"toll", "number", "count", "tally", "figure"}
_LATEST_ADJECTIVES = {"final", "latest", "new", "updated", "revised", "current"}


def _revises(figure: Figure) -> bool:
    """A verb of revising ("rose", "climbed", "reached", "updated", "bringing the toll to") over the figure's
    toll, a toll told as the latest ("the final toll is 45"), or the figure itself."""
    head, clause = clause_of(figure.anchor)
    doc = figure.anchor.doc
    for i in clause:
        token = doc[i]
        lemma = token.lemma_.lower()
        if lemma in {"update", "revise"} and token.pos_ == "VERB":
            return True
        if lemma in W.REVISION_VERBS and any(c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in _TOLL_NOUNS
                                             for c in token.children):
            return True
        if lemma in W.TOLL_RAISING_VERBS and any(c.dep_ == "dobj" and c.lemma_.lower() in _TOLL_NOUNS
                                                 for c in token.children):
            return True       # "bringing the death toll to four"
        if lemma in _TOLL_NOUNS and any(c.dep_ == "amod" and c.lower_ in _LATEST_ADJECTIVES for c in token.children):
            return True
    return _revised_in_words(figure)


def _verb_forms(lemmas: Iterable[str]) -> frozenset[str]:
    forms = {f"{v}{end}" for v in lemmas for end in ("s", "es", "ed", "d")}
    return frozenset(forms | {"rose", "risen", "grew", "grown", "stood"})


_REVISION_FORMS = _verb_forms(W.REVISION_VERBS)


def _revised_in_words(figure: Figure) -> bool:
    """"Death toll in Dnipro strike climbs to 45", "the toll climbs to 45": the parser, in a title or the present
    tense, reads the verb as a noun; its form after the toll's words and before "to <number>" still revises."""
    doc, sent = figure.anchor.doc, figure.sentence
    toll_at = [t.i for t in sent if t.lemma_.lower() in _TOLL_NOUNS | {"death", "dead"}]
    for token in sent:
        if token.lower_ in _REVISION_FORMS and any(i < token.i for i in toll_at) and token.i + 2 < sent.end \
                and doc[token.i + 1].lower_ in {"to", "at"} and doc[token.i + 2].like_num:
            return True
    return False


def _states_a_toll(figure: Figure) -> bool:
    """"The death toll rose to 40", "the final toll is 45", "the number of dead stands at 12": a count as told."""
    _, clause = clause_of(figure.anchor)
    doc = figure.anchor.doc
    return any(doc[i].lemma_.lower() in _TOLL_NOUNS and doc[i].dep_ in {"nsubj", "nsubjpass"}
               and doc[i].head.lemma_.lower() in W.REVISION_VERBS | {"be", "remain"}
               for i in clause | _joined_clause(figure.anchor))


def _fighters(figure: Figure) -> bool:
    return figure.victims is not None and figure.victims.lemma_.lower() in W.FIGHTER_NOUNS


def is_attackers(figure: Figure) -> bool:
    """The attackers' own deaths or injuries, or fighters "also" killed, told after the victims'."""
    victims = figure.victims
    if victims is None:
        return False
    lemma = victims.lemma_.lower()
    if lemma in W.PERPETRATOR_NOUNS or any(t.lemma_.lower() in W.PERPETRATOR_NOUNS for t in victims.subtree
                                           if t.i > victims.i and t.dep_ == "pobj"):
        return True
    also = any(t.lower_ == "also" for t in figure.anchor.children) or any(t.lower_ == "also" for t in victims.children)
    return also and lemma in W.FIGHTER_NOUNS
