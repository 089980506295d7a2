"""Casualty figures read from one sentence's dependency parse.

A trigger word (killed, died, dead, deaths, injured, wounded, the toll, ...) gets its count from the words the
parse attaches to it: the subject of "were killed" or "died", the object of "killing", "35 deaths", "left 20 people
dead", "the death toll rose to 40", adding stated parts ("three civilians and their driver"). Only where the parse
attaches no count is the number written right before (or, for "killing", right after) the trigger used. "The
number of victims" and "casualties" are read as roles of their own (which toll they are is decided for the whole
document); a trigger inside the dead's noun phrase ("two of the wounded died") counts no injured.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from bot.extract import casualty_words as W
from bot.extract.numbers import QUALIFIERS, Quantity, is_number_word, parse_quantity

KILLED, INJURED = "killed", "injured"
VICTIMS = "victims"       # "the number of victims rose to 23": most often the dead
CASUALTIES = "casualties"  # "the number of casualties increased to 43": the dead, or the injured beside them
_TALLY_NOUNS = {"toll", "count", "number", "tally"}
_NOT_A_FIGURE = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}


@dataclass
class Figure:
    """One stated figure: who (`role`), how many, where in the text and whom it counts."""

    role: str
    quantity: Quantity
    sentence: Span
    anchor: Token                       # the trigger word
    victims: Token | None               # head of the victims' noun phrase, when known


def has_trigger(sent: Span) -> bool:
    """Cheap test run before anything else: does the sentence contain a casualty word at all?"""
    return any(t.lower_ in W.TRIGGER_FORMS or t.lemma_ in W.TRIGGER_LEMMAS or t.lower_ == "medical"
               or t.lemma_ in W.HURT_IN_TRANSLATION for t in sent)


_MEDICAL_HELP = {"help", "assistance", "care", "aid", "attention", "treatment"}
_SEEK_HELP = {"seek", "apply", "ask", "receive", "need", "require", "request", "turn", "get"}
_TREAT = {"treat", "hospitalise", "hospitalize", "admit"}
_SUFFER = {"sustain", "suffer", "receive", "have"}     # "nine received injuries", "57 sustained wounds"


def _help_sought(token: Token) -> Token | None:
    """The verb of "93 people sought medical help", "19 applied for medical assistance": the injured, told by the
    care they asked for or were given."""
    if token.lower_ not in _MEDICAL_HELP or not any(c.lower_ == "medical" for c in token.children):
        return None
    verb = token.head
    if token.dep_ == "pobj" and verb.lower_ in {"for", "to"}:
        verb = verb.head
    return verb if verb.lemma_.lower() in _SEEK_HELP and token.dep_ in {"dobj", "pobj"} else None


def figures_in(sent: Span, violence_lemmas: set[str], counted_beside: bool = False) -> list[Figure]:
    """Every figure told in a sentence. A lone victim counted from a singular noun ("killed the measure",
    "Kane was injured") needs an attack or weapon word in the sentence, or a counted figure beside it ("two
    died and their daughter was injured"; `counted_beside`: in the sentence next to it, "There is a deceased
    person. Two residents were also injured."), or it is not a casualty report."""
    figures: list[Figure] = []
    lone: list[Figure] = []           # a victim counted from a singular noun, in a sentence naming no violence
    seen: set[tuple[str, int]] = set()
    lists: dict[int, list[ListItem]] | None = None   # the sentence's toll lists by their first number, read once
    for token in sent:
        role = _trigger_role(token)
        if role is None or _is_non_event(token) or _killed_or_injured(token):
            continue
        including = _including_head(token)
        found: tuple[Quantity, Token | None, Token | None] | None
        if including is not None and _own_number(including) is not None:
            # "over 100 more including 35 children injured": the participle tells the whole group's fate
            counted = _count(including)
            found = (counted[0], including, counted[1]) if counted else None
        else:
            found = _figure_for(token, role)
        if found is None:
            continue
        quantity, victims, number_token = found
        if lists is None and number_token is not None:
            lists = {items[0].number.i: items for items in toll_lists(sent)}
        for item in (lists or {}).get(number_token.i if number_token is not None else -1, [])[1:]:
            # "killed three people in Kherson and two in Nikopol": each later number is a toll of its own place
            counted_here = _quantity_at(item.number)
            if counted_here is not None and (role, item.number.i) not in seen:
                seen.add((role, item.number.i))
                figures.append(Figure(role, counted_here, sent, token, item.number))
        key = (role, number_token.i if number_token is not None else token.i)
        if key in seen:
            continue
        seen.add(key)
        figure = Figure(role, quantity, sent, token, victims)
        if number_token is None and quantity.value is not None and quantity.value <= 2 \
                and not _about_violence(sent, violence_lemmas):
            lone.append(figure)
        else:
            figures.append(figure)
    if figures or counted_beside:
        # "Two people died and their daughter was injured": a counted toll beside it makes it a casualty report
        figures = sorted(figures + lone, key=lambda f: f.anchor.i)
    return [f for f in figures if not _inside_the_dead(f, figures)]


@dataclass(frozen=True)
class ListItem:
    """One count of a list of tolls by place: its number, the noun it counts (if any) and the place named."""

    number: Token
    noun: Token | None
    place: Token


_LIST_SKIPPED = {"were", "was", "have", "has", "been", "had"}


def toll_lists(sent: Span) -> list[list[ListItem]]:
    """Lists of tolls by place, read off the words (the parse of such lists varies): "three people in Kherson
    and two in Nikopol", "Three were killed in Kherson, two in Nikopol and one in Marhanets". Only lists of two
    items or more."""
    out: list[list[ListItem]] = []
    used: set[int] = set()
    for token in sent:
        if token.i in used or not _is_number(token) or _is_age(token):
            continue
        items: list[ListItem] = []
        current: Token | None = token
        while current is not None:
            item = _list_item(current, sent, first=not items)
            if item is None:
                break
            items.append(item)
            current = _next_number(item.place, sent)
        if len(items) > 1:
            out.append(items)
            used |= {item.number.i for item in items}
    return out


def _list_item(number: Token, sent: Span, first: bool) -> ListItem | None:
    doc = number.doc
    i = number.i + 1
    while i < sent.end and _is_number(doc[i]):
        i += 1
    noun = None
    skipped = 0
    while i < sent.end and skipped < 4 and doc[i].lower_ not in {"in", "at"}:
        word = doc[i]
        if word.pos_ in {"NOUN", "ADJ"} and noun is None and not word.lower_ in W.TRIGGER_FORMS:
            noun = word
        elif not (first and (word.lower_ in _LIST_SKIPPED or word.lower_ in W.TRIGGER_FORMS)):
            return None
        i += 1
        skipped += 1
    if i >= sent.end or doc[i].lower_ not in {"in", "at"}:
        return None
    i += 1
    if i < sent.end and doc[i].lower_ == "the":
        i += 1
    if i >= sent.end or doc[i].pos_ != "PROPN":
        return None
    return ListItem(number, noun, doc[i])


def _next_number(place: Token, sent: Span) -> Token | None:
    """The number that opens the next item after a place: after "," or "and" (", and")."""
    doc = place.doc
    i = place.i + 1
    while i < sent.end and (doc[i].pos_ == "PROPN" or doc[i].lower_ in {"region", "oblast", "district", "city"}
                            or doc[i].text == "-"):
        i += 1                        # the rest of the place's name ("Kryvyi Rih", "the Kharkiv region")
    separators = 0
    while i < sent.end and doc[i].lower_ in {",", "and"} and separators < 2:
        i += 1
        separators += 1
    if not separators or i >= sent.end or not _is_number(doc[i]) or _is_age(doc[i]):
        return None
    return doc[i]


def _inside_the_dead(figure: Figure, figures: list[Figure]) -> bool:
    """An injured figure whose trigger sits inside the noun phrase of the dead ("two of the wounded died", "a
    girl injured in the attack died"): it tells who died, not how many were hurt. A count written right before the
    trigger in a list of such counts ("Four killed, 19 wounded", the parser hanging "wounded" under "Four") is a
    figure of its own."""
    if any(c.dep_ == "dobj" and c.like_num for c in figure.anchor.children):
        return False          # "three people who died in the attacks that injured 18": a count of its own
    return figure.role == INJURED and _listed_number(figure.anchor) is None and any(
        other.role == KILLED and other.victims is not None and other.victims.i != other.anchor.i
        and figure.anchor.i in _phrase(other.victims) for other in figures)


def _phrase(head: Token) -> set[int]:
    """The noun phrase under `head`, without what is coordinated or listed beside it ("48 killed and 67 injured",
    a headline's "One killed, 12 injured")."""
    inside, stack = set(), [head]
    while stack:
        token = stack.pop()
        inside.add(token.i)
        stack.extend(c for c in token.children if c.dep_ not in {"conj", "cc"}
                     and not (c.dep_ == "appos" and c.pos_ == "NUM"))
    return inside


def _lemma(token: Token) -> str:
    """The lemma, read from the word form where title case made the tagger call a verb a proper noun."""
    lemma = token.lemma_.lower()
    if lemma in W.TRIGGER_LEMMAS or token.lower_ not in W.FORM_LEMMAS:
        return lemma
    return W.FORM_LEMMAS[token.lower_]


def _about_violence(sent: Span, violence_lemmas: set[str]) -> bool:
    """Whether the sentence, the one before it or (for a title) the one after it names an attack, a weapon or
    armed men, or tells a toll rising."""
    doc = sent.doc
    start = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    end = doc[sent.end].sent.end if sent.start == 0 and sent.end < len(doc) else sent.end
    return any(t.lemma_.lower() in violence_lemmas or t.lower_ in violence_lemmas or toll_rising(t)
               for t in doc[start:end])


def toll_rising(token: Token, nouns: frozenset[str] = frozenset({"toll", "number"})) -> bool:
    """"The number of dead has increased", "the death toll has risen": the verb of a toll told as rising (a
    victim told beside it is a casualty)."""
    return token.lemma_.lower() in W.REVISION_VERBS and any(
        c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in nouns for c in token.children)


def _hurt_in_translation(token: Token) -> bool:
    """"Over 60 were affected", "10 people were affected": the hurt, as translations of the Ukrainian and Russian
    word put it; only in the passive, of a counted subject, with no cause told ("affected by the outage")."""
    if token.lemma_.lower() not in W.HURT_IN_TRANSLATION or token.tag_ != "VBN":
        return False
    kids = list(token.children)
    return any(c.dep_ == "auxpass" for c in kids) and not any(c.dep_ in {"prep", "agent"} for c in kids) and any(
        c.dep_ == "nsubjpass" and (c.like_num or any(g.dep_ == "nummod" for g in c.children)) for c in kids)


def _trigger_role(token: Token) -> str | None:
    lower = token.lower_
    if _help_sought(token) is not None or _hurt_in_translation(token):
        return INJURED
    if lower not in W.TRIGGER_FORMS and token.lemma_.lower() not in W.TRIGGER_LEMMAS:
        return None
    if token.dep_ == "compound" and token.head.lemma_.lower() not in {"toll", "count", "number"}:
        return None           # "death penalty", "death threats", "injury time"
    if lower == "death" and token.dep_ == "pobj" and token.head.lower_ == "to" \
            and token.head.head.lemma_ not in W.LETHAL_MANNER:
        return None           # "sentenced to death", "put to death" is a verdict, not a report
    if lower in {"victims", "casualties"}:
        # only as a tally: "the number of victims has increased to 23"
        tally = token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lemma_.lower() in _TALLY_NOUNS
        return (VICTIMS if lower == "victims" else CASUALTIES) if tally else None
    if lower == "toll":
        kinds = {c.lemma_.lower() for c in token.children if c.dep_ in {"compound", "amod", "nmod"}}
        if kinds & {"casualty", "victim"}:
            return CASUALTIES         # "the casualty toll has reached 97"
        if kinds & {"injury", "wounded", "injured"}:
            return INJURED            # "the injury toll rises to 113"
    lemma = _lemma(token)
    if lemma in W.KILL_VERBS | W.DIE_VERBS or lower in {"killed", "dead", "slain"}:
        return KILLED
    if lemma in W.INJURE_VERBS or lower in {"injured", "wounded", "injuries", "injury", "wounds"}:
        # "the man was fatally wounded": a death told as a wound
        return KILLED if any(c.lower_ in W.FATAL_ADVERBS for c in token.children) else INJURED
    if lemma in W.DEATH_NOUNS or lower in {"deaths", "fatalities", "martyrs", "bodies"} or lower == "toll":
        return KILLED
    before = token.doc[token.sent.start:token.i]
    if lower == "lives" and any(t.lemma_ in {"claim", "cost", "take", "lose"} for t in before):
        return KILLED
    if lower == "alive" and token.head.lemma_ in {"burn", "bury"}:
        return KILLED
    return None


def _is_non_event(token: Token) -> bool:
    """Threats, plans and negations ("vowed to kill", "no one was killed") report no casualties; nor does a death
    of an illness ("another man died of a heart attack", "after suffering a stroke")."""
    if any(c.dep_ == "neg" for c in token.children):
        return True
    if _lemma(token) in W.DIE_VERBS and any(
            c.dep_ in {"prep", "advcl"} and any(t.lemma_.lower() in W.ILLNESSES for t in c.subtree)
            for c in token.children):
        return True
    head = token.head if token.dep_ in {"xcomp", "ccomp"} else None
    if head is not None and head.lemma_ in W.NON_EVENT_HEADS and not _told_as_done(token):
        return True
    return any(c.dep_ == "aux" and c.lower_ in {"could", "would", "might", "may"} for c in token.children)


def _told_as_done(token: Token) -> bool:
    """A clause of its own under a verb of intent, in the past with its own subject ("eight were injured, one man
    died, one woman is still being sought": the parser hangs "died" on "sought"): told as done, not intended."""
    return token.dep_ == "ccomp" and token.tag_ == "VBD" and any(c.dep_ == "nsubj" for c in token.children)


def _killed_or_injured(token: Token) -> bool:
    """"killed or wounded", "killed and wounded 30 people", "30 were killed and wounded": one figure for both,
    which is neither a death toll nor an injury count ("killed three and wounded 30" tells two)."""
    pair = [token.head] if token.dep_ == "conj" else [c for c in token.children if c.dep_ == "conj"]
    first = token.head if token.dep_ == "conj" else token
    others = [p for p in pair if _trigger_role(p) not in (None, _trigger_role(token))]
    if not others:
        return False
    joined = {c.lower_ for c in first.children if c.dep_ == "cc"}
    if "or" in joined:
        return True
    if "and" not in joined or first.pos_ != "VERB":
        return False
    second = token if token.dep_ == "conj" else others[0]
    if second.pos_ != "VERB" or second.tag_ != first.tag_ or any(_is_number(c) for c in second.children) \
            or any(_is_number(t) for t in token.doc[first.i + 1:second.i]):
        return False          # "13 policemen killed and wounding another 25", "were killed and over 80 injured"

    def has(verb: Token, deps: set[str]) -> bool:
        return any(c.dep_ in deps for c in verb.children)

    shared_object = not has(first, {"dobj"}) and has(second, {"dobj"}) and not has(first, {"nsubjpass"})
    shared_subject = has(first, {"nsubjpass"}) and not has(second, {"nsubj", "nsubjpass", "dobj"})
    return shared_object or shared_subject


def _including_head(token: Token) -> Token | None:
    """For a trigger inside an "including ..." phrase, the noun the phrase details (else None)."""
    for ancestor in token.ancestors:
        if ancestor.lower_ == "including" and ancestor.dep_ == "prep" and ancestor.i < token.i:
            return ancestor.head
    return None


def _figure_for(token: Token, role: str) -> tuple[Quantity, Token | None, Token | None] | None:
    """The count attached to a trigger, its victims' head and the number token, from the parse first."""
    listed = _listed_number(token)
    if listed is not None:
        return listed
    for victims in _victim_candidates(token):
        if victims.i == token.i and victims.lower_ not in W.TRIGGER_FORMS:
            continue
        counted = _count(victims)
        if counted is not None:
            quantity, number_token = counted
            return quantity, victims, number_token
    nearby = _nearby_number(token)
    if nearby is not None:
        quantity, number_token = nearby
        head = number_token.head if number_token.dep_ == "nummod" else number_token
        if head.lemma_.lower() in W.NOT_PEOPLE:
            return None
        return quantity, head, number_token
    return None


_BARE_TRIGGERS = {"killed", "dead", "wounded", "injured", "hurt"}


def _listed_number(token: Token) -> tuple[Quantity, Token, Token] | None:
    """A headline's list "Seven killed, 34 wounded": each participle counts the number written right before it,
    whatever the parse attaches (it often makes both numbers subjects of the last participle). Only where the
    number's own head is another trigger's list item, i.e. an item "N trigger" follows or precedes it."""
    if token.lower_ not in _BARE_TRIGGERS or token.i == token.sent.start:
        return None
    number = token.doc[token.i - 1]
    if not _is_number(number) or _is_age(number):
        return None
    sent = token.sent
    items = [t for t in sent if t.lower_ in _BARE_TRIGGERS and t.i > sent.start and _is_number(t.doc[t.i - 1])]
    if len(items) < 2:
        return None
    quantity = _quantity_at(number)
    return (quantity, number, number) if quantity is not None else None


def _victim_candidates(token: Token) -> list[Token]:
    """Tokens that may head the noun phrase of who was killed or injured, best first."""
    kids = list(token.children)

    def by_dep(*deps: str) -> list[Token]:
        return [c for c in kids if c.dep_ in deps]

    help_verb = _help_sought(token)
    if help_verb is not None:
        return [c for c in help_verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    lemma = _lemma(token)
    out: list[Token] = []
    verbal = (token.pos_ in {"VERB", "AUX"} or token.tag_.startswith("VB")) and token.tag_ not in {"NN", "NNS"}
    own_subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in kids)
    if token.dep_ in {"xcomp", "oprd", "acomp"} and token.head.lemma_ in W.COPULAS and not own_subject \
            and token.lower_ not in {"dead", "alive"}:
        # "were initially reported killed", "two others became injured"
        out += [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    manner = lemma in W.LETHAL_MANNER
    # "shot dead", "stabbed to death", "burned alive": the manner verb carries the victims
    if token.lower_ in {"dead", "alive"} and token.dep_ in {"oprd", "acomp", "advmod", "xcomp", "dep"} \
            and token.head.lemma_ in W.LETHAL_MANNER | {"leave", "find", "lie", "be", "confirm", "report"}:
        return _verb_victims(token.head, passive_hint=True) + by_dep("nummod", "npadvmod")
    if token.lower_ == "death" and token.dep_ == "pobj" and token.head.lower_ == "to" \
            and token.head.head.lemma_ in W.LETHAL_MANNER:
        return _verb_victims(token.head.head, passive_hint=True)
    if token.lower_ == "toll":
        return _toll_figures(token)
    tally = _tally_noun(token)
    if tally is not None:
        # "the number of people killed has risen to 32"
        out += _toll_figures(tally)
    if verbal and (lemma in W.KILL_VERBS | W.INJURE_VERBS | W.HURT_IN_TRANSLATION) and not manner:
        return out + _verb_victims(token) + ([token.head] if token.dep_ == "acl" else [])
    if not verbal and lemma in W.KILL_VERBS | W.INJURE_VERBS:
        # "the killings of six civilians", "the wounding of 5 others"
        for child in kids:
            if child.dep_ == "prep" and child.lower_ == "of":
                out += [c for c in child.children if c.dep_ == "pobj"]
    if verbal and lemma in W.DIE_VERBS:
        out += by_dep("nsubj", "nsubjpass") + ([token.head] if token.dep_ in {"acl", "relcl"} else [])
        if not out and token.dep_ == "conj":
            out += [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        return out
    # nouns and adjectives: "35 deaths", "the death of 2 people", "six dead", "57 sustained injuries"
    out += by_dep("nummod")
    if token.lower_ in {"dead", "deceased", "killed", "wounded", "injured"} and token.dep_ in {"amod", "acl"}:
        out.append(token.head)   # "six dead civilians", "there is a deceased person"
    if token.dep_ in {"acomp", "attr", "oprd"}:
        out += [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}]
    for child in kids:
        if child.dep_ == "prep" and child.lower_ in {"of", "among"}:
            out += [c for c in child.children if c.dep_ == "pobj"]
    if token.dep_ in {"dobj", "conj"} and token.head.lemma_ in _SUFFER:
        subjects = [c for c in token.head.children if c.dep_ == "nsubj"]
        out += subjects
        if token.head.dep_ == "relcl" and any(c.lower_ in {"who", "that"} for c in subjects):
            out.append(token.head.head)    # "including 8 who sustained injuries": the one the clause is about
    for child in kids:
        if child.dep_ in {"amod", "acl", "relcl"} and child.lemma_ in _SUFFER:
            # "four were killed, nine received injuries": the parser hangs "received" on "injuries"
            out += [c for c in child.children if c.dep_ == "nsubj"]
    if token.lower_ in {"dead", "killed", "wounded", "injured"} and token.dep_ == "pobj" \
            and token.head.lower_ == "among" and token.head.head.lemma_ == "be":
        # "Two children and their mother were among the dead"
        out += [c for c in token.head.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if token.lower_ in {"injuries", "wounds", "injury", "wound"} and token.dep_ == "pobj" \
            and token.head.lower_ in {"from", "of"} and token.head.head.lemma_.lower() in W.DIE_VERBS | {"succumb"}:
        return out            # "died in hospital from his injuries": how the dead died, no count of the hurt
    if token.lower_ in {"injuries", "wounds", "injury"} and token.dep_ == "pobj" \
            and token.head.lower_ in {"with", "for", "from"}:
        # "17 people were hospitalised with injuries", "treated for wounds"; "134 more with injuries ... are in
        # hospital"
        treated = token.head.head.lemma_.lower() in _TREAT    # "doctors are treating 93 people for injuries"
        out += [c for c in token.head.head.children if c.dep_ in ({"dobj"} if treated else {"nsubj", "nsubjpass"})]
        if token.head.head.pos_ in {"NUM", "NOUN"} and token.head.lower_ == "with":
            out.append(token.head.head)
    if token.lower_ in {"dead", "wounded", "injured"} and token.dep_ in {"pobj", "ROOT", "nsubj", "dobj"}:
        out.append(token)
    if token.lower_ in {"injuries", "wounds"}:
        out += _harmed_to(token)
    if token.lower_ == "lives":
        if token.dep_ == "dobj" and token.head.lemma_ in {"lose", "sacrifice", "give"}:
            out += [c for c in token.head.children if c.dep_ == "nsubj"]      # "8 civilians lost their lives"
        out += [c for c in token.children if c.dep_ in {"nsubj", "compound", "nmod"}]
    return out


def _harmed_to(noun: Token) -> list[Token]:
    """Whom "injuries to 27 others" were caused: the object of "to" on the noun, on the verb that caused them
    ("caused injuries to 19 people") or, where the noun is coordinated after another harm noun's "of" ("the
    deaths of three civilians and injuries to 27 others"), on that first noun, where the parser hangs it."""
    holders = [noun]
    if noun.dep_ == "conj" and noun.head.dep_ == "pobj" and noun.head.head.lower_ == "of":
        holders.append(noun.head.head.head)
    if noun.dep_ == "dobj":
        holders.append(noun.head)          # "caused injuries to 19 people": "to" hangs on the verb
    return [c for holder in holders for child in holder.children if child.dep_ == "prep" and child.lower_ == "to"
            for c in child.children if c.dep_ == "pobj"]


def _toll_figures(noun: Token) -> list[Token]:
    """Where a toll states its figure: "rose to 40", "stands at 40", "is 40", "a toll of 40"."""
    out: list[Token] = []
    for child in noun.head.children:
        if child.dep_ in {"prep", "advmod"} and child.lower_ in {"to", "at", "over", "above", "past"}:
            out += [c for c in child.children if c.dep_ == "pobj"]
        if child.dep_ == "prep" and child.lower_ == "from":
            # "increased from six to seven" (the parser hangs "six to" on "seven")
            out += [c for c in child.children if c.dep_ == "pobj" and any(q.lower_ == "to" for q in c.children)]
            # "bringing the toll from Monday's strike to seven" (the parser hangs "to seven" on "strike")
            out += [n for c in child.children if c.dep_ == "pobj" for q in c.children
                    if q.dep_ == "prep" and q.lower_ == "to" for n in q.children if n.dep_ == "pobj" and n.like_num]
        if child.dep_ in {"attr", "dobj", "npadvmod"}:
            out.append(child)
        if child.dep_ == "xcomp" and child.lemma_ == "be":        # "is reported to be 32 people"
            out += [c for c in child.children if c.dep_ == "attr"]
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            out += [c for c in child.children if c.dep_ == "pobj" and _own_number(c) is not None]
    if noun.lemma_.lower() in _TALLY_NOUNS:
        # a headline's "number of (those) injured rises to 12", its verb parsed as a noun: "to" hangs on "number"
        # or on "rises"
        rises = [c for child in noun.children if child.dep_ == "prep" and child.lower_ == "of"
                 for c in child.children if c.dep_ == "pobj" and c.lemma_.lower() in W.REVISION_VERBS]
        for holder in (noun, *rises):
            out += [c for child in holder.children if child.dep_ == "prep" and child.lower_ == "to"
                    for c in child.children if c.dep_ == "pobj"]
    return out


def _tally_noun(token: Token) -> Token | None:
    """"number"/"count" in "the number of people killed" or "the number of dead"."""
    if token.dep_ in {"pobj", "pcomp"} and token.head.lower_ == "of":
        noun = token.head.head                                   # "the number of dead", "the number of injured"
    elif token.dep_ in {"acl", "amod"} and token.head.dep_ == "pobj" and token.head.head.lower_ == "of":
        noun = token.head.head.head                              # "the number of people killed", "of injured people"
    else:
        return None
    return noun if noun.lemma_.lower() in {"number", "count", "toll", "tally"} else None


def _verb_victims(verb: Token, passive_hint: bool = False) -> list[Token]:
    kids = list(verb.children)
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in kids) or verb.tag_ == "VBN"
    if verb.dep_ == "conj" and not any(c.dep_ == "dobj" for c in kids) \
            and any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.head.children):
        passive = True     # "a woman was killed and her husband wounded": the second verb shares the passive
    objects = [c for c in kids if c.dep_ in {"dobj"} or (c.dep_ in {"acomp", "oprd"} and _is_age(c))]
    subjects = [c for c in kids if c.dep_ in {"nsubjpass", "nsubj"}]
    # "Thursday, September 12, 2024 - At least 18 people ... were killed": a dateline read as the subject
    subjects = [a for s in subjects for a in ([c for c in s.children if c.dep_ == "appos" and c.pos_ in {"NOUN", "NUM"}]
                                              if s.ent_type_ in {"DATE", "TIME"} else [s])] or subjects
    headline = verb.tag_ == "VBN" and not any(c.dep_ in {"aux", "auxpass"} for c in kids) \
        and any(_is_number(c) for c in subjects)     # "81 wounded (39 civilians, ...)": a headline passive
    if objects and not any(c.dep_ == "nsubjpass" for c in kids) and not headline:
        return objects
    if not subjects and not objects and verb.dep_ == "conj" and verb.head.pos_ == "VERB" \
            and (passive or passive_hint) and not any(_is_number(t) for t in verb.doc[verb.head.i + 1:verb.i]):
        # "Three officers were shot and injured": the subject belongs to the first verb
        subjects = [c for c in verb.head.children if c.dep_ in {"nsubjpass", "nsubj"}]
    if passive or passive_hint:
        return subjects + objects
    # headline style "2 killed in blast" is tagged as an active verb; only a counted subject qualifies, or in a
    # title a person with no object after the verb ("woman killed, seven wounded")
    titled = not any("\n" in t.text for t in verb.doc[:verb.i])
    return [s for s in subjects if _own_number(s) is not None or (
        titled and not objects and s.lemma_.lower() in W.PERSON_NOUNS and verb.tag_ == "VBD")]


def _is_age(token: Token) -> bool:
    """"a 7-year-old", "kills 7-year-old": a person named by their age (one person, the number is no count)."""
    doc = token.doc
    return token.lower_ in {"old", "olds"} and token.i >= 2 and doc[token.i - 1].text == "-" \
        and doc[token.i - 2].lemma_.lower() in {"year", "month"}


def _own_number(token: Token) -> Token | None:
    if _is_number(token):
        return token
    for child in token.children:
        if child.dep_ in {"nummod", "compound"} and _is_number(child):
            return child
        if child.dep_ == "nummod" and child.text == "+" and child.i > 0 and _is_number(token.doc[child.i - 1]):
            return token.doc[child.i - 1]         # "43+ people"
    return None


def _is_number(token: Token) -> bool:
    """A count word, not a date, time, percentage or sum of money ("no one" counts nobody)."""
    if not (token.like_num or is_number_word(token.text)) or token.lower_ in {"a", "an", "no", "single"}:
        return False
    if token.ent_type_ in _NOT_A_FIGURE and not _mistaken_for_a_date(token) and not _mistaken_for_a_share(token):
        return False
    # "no one", "no soldiers" count nobody; "no fewer than 25" is a bound
    return not any(c.lower_ == "no" and c.i + 1 < len(token.doc)
                   and token.doc[c.i + 1].lower_ not in {"fewer", "less", "more"} for c in token.children)


_PERCENT_WORDS = {"%", "percent", "per", "pct", "percentage"}


def _mistaken_for_a_share(token: Token) -> bool:
    """The model tags some counts of people as percentages ("At least eighty-seven people"): a percentage names
    its percent sign or word."""
    if token.ent_type_ != "PERCENT":
        return False
    entity = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    return entity is not None and not any(t.lower_ in _PERCENT_WORDS for t in entity) and \
        not (entity.end < len(token.doc) and token.doc[entity.end].lower_ in _PERCENT_WORDS)


_TIME_NOUNS = {"day", "week", "month", "year", "hour", "minute", "second", "night", "morning", "evening", "decade"}


def _mistaken_for_a_date(token: Token) -> bool:
    """The model tags a bare four-digit count ("1017 injured") as a date, or runs a dateline's date into the
    count after it ("September 12, 2024 - At least 18 people"); a count is not a plausible year, and counts
    people, not days; nor is a number word standing alone as who was hurt ("Eighteen were wounded")."""
    if token.ent_type_ != "DATE":
        return False
    if not token.text.isdigit():
        # the whole date is a spelt number ("Eighteen", "eighty-six") standing as who was hurt
        doc, start, end = token.doc, token.i, token.i + 1
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        spelt = all(is_number_word(t.text) for t in doc[start:end] if t.text != "-")
        root = next((t for t in doc[start:end] if not start <= t.head.i < end or t.head.i == t.i), token)
        return spelt and root.dep_ in {"nsubj", "nsubjpass", "dobj"}
    if token.dep_ == "nummod" and token.head.pos_ == "NOUN" and token.head.ent_type_ != "DATE" \
            and token.head.lemma_.lower() not in _TIME_NOUNS:
        return True
    return not 1800 <= int(token.text) <= 2100 and token.ent_iob_ == "B" and (
        token.i + 1 >= len(token.doc) or token.doc[token.i + 1].ent_iob_ != "I")


def _count(victims: Token) -> tuple[Quantity, Token | None] | None:
    """How many people the noun phrase headed by `victims` counts, adding stated parts ("casualties" count the
    dead and the injured together: neither)."""
    if _is_age(victims):
        return Quantity.exact(1), None
    if victims.lemma_.lower() in W.NOT_PEOPLE or victims.lower_ in {"casualties", "casualty"} or (
            victims.ent_type_ in _NOT_A_FIGURE and not _mistaken_for_a_date(victims)):
        return None
    holder = _group_of(victims)
    if holder is not None:
        return _count(holder)          # "a total of 35 people", "a minimum of six civilians"
    if victims.dep_ == "pobj" and victims.head.lower_ == "of" and victims.head.head.lemma_.lower() in _SHARES:
        return None                    # "killed and injured most of the 193 prisoners": a share, not a count
    parts = [victims, *[c for c in _conjuncts(victims) if not _separate_group(c, victims)]]
    counted = [_count_one(p, bare_singular_ok=len(parts) == 1) for p in parts]
    if len(parts) > 1 and (_one_each(victims) or (counted[0] is not None and counted[0][1] is not None)):
        # "a man and woman were wounded": the first noun's article counts each bare person noun after it; so does
        # a number ("three small children and father", a title's words)
        counted = [c if c is not None or not _bare_person(p) else (Quantity.exact(1), None)
                   for c, p in zip(counted, parts)]
    first = counted[0]
    if len(parts) > 1:
        known = [c for c in counted if c is not None]
        if len(known) == len(parts):
            rest = [c[0] for c in known[1:]]
            total_rest = rest[0]
            for q in rest[1:]:
                total_rest = total_rest + q
            if first is not None and first[1] is not None and len(rest) > 1 and first[0].value is not None \
                    and first[0].value == total_rest.value:
                # "40 people, 6 security personnel and 34 civilians": a breakdown, not a sum (a breakdown has a
                # counted whole and at least two parts: "a boy and his grandmother", "two civilians and two
                # soldiers" are sums)
                return first
            total = first[0] + total_rest if first is not None else total_rest
            if total.value is not None:
                return total, first[1] if first else None
        if first is not None and first[1] is not None:
            return first
        return None
    return first


def _one_each(first: Token) -> bool:
    """The first of coordinated nouns counts one by its article ("a man and woman", "another man and woman")."""
    return first.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in {"a", "an", "another", "one"}
                                      for c in first.children)


def _bare_person(token: Token) -> bool:
    """A singular noun of a person with no word of its own before it ("woman" in "a man and woman")."""
    return token.tag_ == "NN" and token.lemma_.lower() in W.PERSON_NOUNS and not any(
        c.i < token.i for c in token.children)


_GROUP_NOUNS = {"total", "minimum", "maximum", "tally"}
_GROUP_SIZES = {"dozen": 12, "hundred": 100, "thousand": 1000}
_SHARES = {"most", "many", "some", "all", "half", "part", "majority", "rest", "several", "few"}


def _group_of(victims: Token) -> Token | None:
    """The counted noun of "a total of 35 people", "a minimum of six civilians"."""
    if victims.lemma_.lower() not in _GROUP_NOUNS:
        return None
    for child in victims.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _separate_group(conjunct: Token, first: Token) -> bool:
    """Conjuncts that are not part of the victims: "and another 29", "and 3 suicide bombers", "and four of them
    in serious condition" (a part, not more), "44 dead bodies and more than 157 wounded" (another count)."""
    if conjunct.lemma_.lower() == "other" or any(c.lower_ in {"another", "other"} for c in conjunct.children):
        return True
    if conjunct.pos_ == "NUM" and first.pos_ in {"NOUN", "PROPN"}:
        return True           # "44 dead bodies and more than 157 [wounded]": a count of its own
    following = conjunct.doc[conjunct.i + 1] if conjunct.i + 1 < len(conjunct.doc) else None
    if conjunct.pos_ == "NUM" and (any(c.lower_ in W.TRIGGER_FORMS for c in first.children) or (
            following is not None and following.lower_ in W.TRIGGER_FORMS)):
        return True           # "the toll is 21 dead and 64 injured": two counts
    if conjunct.lower_ in W.TRIGGER_FORMS or any(
            c.dep_ == "prep" and c.lower_ == "of" and any(g.lower_ in {"them", "whom", "those"} for g in c.children)
            for c in conjunct.children):
        return True
    lemma = conjunct.lemma_.lower()
    return lemma in W.PERPETRATOR_NOUNS and first.lemma_.lower() not in W.PERPETRATOR_NOUNS


def _conjuncts(token: Token) -> list[Token]:
    """Coordinated nouns: "three civilians and their driver"; also "a candidate ..., his driver and a guard",
    which the parser reads as an apposition that has conjuncts of its own."""
    out, frontier = [], [token]
    for child in token.children:
        bracketed = child.left_edge.i > 0 and token.doc[child.left_edge.i - 1].text in {"(", "["}
        if bracketed:
            continue      # "three toddlers (two boys and a girl) and their father": a breakdown, not more victims
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
    if token.lemma_.lower() in W.NOT_PEOPLE:
        return None
    if _is_age(token):
        return Quantity.exact(1), None
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
    multiple = W.MULTIPLES.get(token.lower_) or next((W.MULTIPLES[c.lower_] for c in token.children
                                                       if c.dep_ in {"amod", "compound"} and c.lower_ in W.MULTIPLES
                                                       and token.tag_ == "NNS"), None)
    if multiple is not None:
        return Quantity.exact(multiple), None    # "twins", "twin boys", "triplets"
    if any(c.lower_ in W.UNCOUNTED for c in token.children if c.dep_ in {"amod", "det"}):
        return None
    determiners = {c.lower_ for c in token.children if c.dep_ in {"det", "poss"}}
    ordinal = next((W.VICTIM_ORDINALS[c.lower_] for c in token.children
                    if c.dep_ == "amod" and c.lower_ in W.VICTIM_ORDINALS), None)
    if ordinal is not None and "the" in determiners and token.lemma_.lower() in W.PERSON_NOUNS | {"person", "victim"}:
        return Quantity.exact(ordinal), None     # "the second person killed": two killed so far
    if token.lower_ == "other" and determiners & {"the", "another"}:
        return Quantity.exact(1), None     # "one of the victims died and the other was injured"
    if token.lower_ == "both" or "both" in determiners:
        return Quantity.exact(2), None
    # a common noun counts one ("a guard"); a proper noun only as a person's name
    countable = token.lemma_.lower() not in W.COLLECTIVE or (
        token.lemma_.lower() in {"civilian", "victim"} and determiners & {"a", "an", "another"})
    singular = (token.tag_ == "NN" and token.pos_ == "NOUN" or token.lower_ in W.PERSON_NOUNS) and countable \
        and token.ent_type_ not in {"ORG", "GPE", "NORP", "LOC", "FAC"}     # ("Man killed": a title's "Man")
    if token.ent_type_ == "PERSON" or (singular and (determiners or bare_singular_ok)):
        return Quantity.exact(1), None
    return None


def _quantity_at(token: Token) -> Quantity | None:
    """Parse the number phrase around a number token, with its qualifier ("at least", "more than")."""
    doc, sent = token.doc, token.sent   # Token.sent scans the whole document: once
    start = end = token.i
    while start - 1 >= sent.start and (_is_number(doc[start - 1]) or (
            doc[start - 1].lower_ in {"-", "and"} and start - 2 >= sent.start and _is_number(doc[start - 2])
            and not doc[start - 2].text[:1].isdigit())):
        start -= 1
    while end + 1 < sent.end and (_is_number(doc[end + 1]) or doc[end + 1].lower_ in {"dozen", "-"}) \
            and not (doc[end].text[:1].isdigit() and doc[end + 1].text[:1].isdigit()):
        end += 1
    if start - 1 >= sent.start and doc[start - 1].lower_ in {"a", "an"} \
            and doc[start].lower_ in {"dozen", "hundred", "thousand", "score", "couple"}:
        start -= 1                                      # "at least a dozen"
    words = [t.text for t in doc[start:end + 1] if t.lower_ != "-"]
    if start - 1 >= sent.start and doc[start - 1].lower_ in {"several", "few", "many"} \
            and len(words) == 1 and words[0].lower() in _GROUP_SIZES:
        return Quantity(None, 2 * _GROUP_SIZES[words[0].lower()], None)    # "several dozen": dozens
    if end + 1 < sent.end and doc[end + 1].text == "+" and words[-1][:1].isdigit():
        words[-1] += "+"          # "10+ dead"
    if len(words) == 1 and words[0].lower() in {"one"} and any(
            c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
        return Quantity.exact(1)
    for qualifier in QUALIFIERS:
        n = len(qualifier)
        before = [t.lower_ for t in doc[max(start - n, sent.start):start]]
        if tuple(before) == qualifier:
            words = list(qualifier) + words
            break
    return parse_quantity(words)


def _nearby_number(token: Token) -> tuple[Quantity, Token] | None:
    """Fallback when the parse attaches nothing: the number right before a passive or nominal trigger
    ("28 others were injured"), or right after an active one ("killing more than 5 people")."""
    doc, sent = token.doc, token.sent
    active = token.tag_ in {"VBG", "VBZ", "VBP"} or (
        token.tag_ == "VBD" and token.lemma_ in W.KILL_VERBS | W.INJURE_VERBS)
    if active:
        for i in range(token.i + 1, min(token.i + 5, sent.end)):
            t = doc[i]
            if _is_number(t):
                quantity = _quantity_at(t)
                return (quantity, t) if quantity is not None else None
            if t.is_punct or t.pos_ in {"VERB", "ADP"} and t.lower_ not in {"than", "to", "of"}:
                break
        if token.tag_ != "VBD" or any(c.dep_ == "dobj" for c in token.children):
            return None
        # a headline's "1 dead, 8 wounded", its participle tagged as a past tense with nothing after it
    for i in range(token.i - 1, max(token.i - 6, sent.start - 1), -1):
        t = doc[i]
        if t.lower_ in W.TRIGGER_FORMS or t.lower_ in {";", ":", ".", ","} or (
                t.pos_ == "VERB" and t.lemma_ not in W.COPULAS) or (t.pos_ == "ADP" and t.lower_ != "of"):
            break
        if _is_number(t):
            quantity = _quantity_at(t)
            return (quantity, t) if quantity is not None else None
    return None
