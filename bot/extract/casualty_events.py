"""Figures in text order grouped into events, so several events in one text stay apart.

A killed figure opens a new event unless the open one has none yet; an injured figure joins the open event when
it is told in the same or a nearby sentence that does not move to another place or say "separately". The
attackers' own deaths told after the victims' are dropped, and a figure said "also" adds to the open event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from bot.extract import casualty_words as W
from bot.extract.casualty_figures import Figure

PLACE_LABELS = {"GPE", "LOC", "FAC"}


@dataclass
class Event:
    killed: Figure | None = None
    injured: Figure | None = None
    sentences: list[Span] = field(default_factory=list)


def group(figures: list[Figure]) -> list[Event]:
    """Figures in text order → events: a killed figure opens an event unless the open one has none yet."""
    events: list[Event] = []
    for figure in figures:
        if events and _is_aftermath(figure):
            continue   # "five attackers were also killed": the attackers, told after the victims
        current = events[-1] if events else None
        slot = figure.role
        if current is not None and getattr(current, slot) is not None and _counts_more(figure) \
                and getattr(current, slot).sentence.start == figure.sentence.start \
                and getattr(current, slot).anchor.lemma_.lower() in {"toll", "number", "count", "tally"}:
            continue   # "the toll rose to 43 after three more bodies were found": told inside the new toll
        if current is not None and getattr(current, slot) is not None and _close(current, figure) \
                and _says_also(figure):
            # "... also injuring a police officer": more victims of the same event
            before = getattr(current, slot)
            setattr(current, slot, Figure(slot, before.quantity + figure.quantity, before.sentence,
                                           before.anchor, before.victims))
            _add_sentence(current, figure.sentence)
            continue
        if _same_figures(current, figure) and not _moves_on(current, figure):
            _add_sentence(current, figure.sentence)      # the same figures told again
            continue
        if current is not None and getattr(current, slot) is None and _close(current, figure):
            setattr(current, slot, figure)
            _add_sentence(current, figure.sentence)
        else:
            if any(_same_figures(e, figure) and not _moves_on(e, figure) for e in events):
                continue   # a recap of figures already told ("in total 26 were killed")
            event = Event(sentences=[figure.sentence])
            setattr(event, slot, figure)
            events.append(event)
    return events


def _says_also(figure: Figure) -> bool:
    """"also" on the trigger, its verb or the victims: "also injuring a police officer"."""
    anchors = [figure.anchor, figure.anchor.head]
    if figure.victims is not None:
        anchors.append(figure.victims)
    return any(c.lower_ == "also" and c.dep_ == "advmod" for a in anchors for c in a.children)


def _counts_more(figure: Figure) -> bool:
    """"three more bodies", "an additional 5 people": an increment of a figure already told."""
    heads = [figure.anchor, *([figure.victims, figure.victims.head] if figure.victims is not None else [])]
    return any(t.lower_ in {"more", "additional", "further"} and t.dep_ in {"amod", "advmod", "nummod"}
               for h in heads for t in h.children)


def _is_aftermath(figure: Figure) -> bool:
    """The attackers' own deaths or injuries, or fighters "also" killed, told after the victims'."""
    victims = figure.victims
    if victims is None:
        return False
    lemma = victims.lemma_.lower()
    if lemma in W.PERPETRATOR_NOUNS or any(t.lemma_.lower() in W.PERPETRATOR_NOUNS for t in victims.subtree
                                           if t.i > victims.i and t.dep_ == "pobj"):
        return True         # "the attacker", "4 of the attackers"
    also = any(t.lower_ == "also" for t in figure.anchor.children) or any(
        t.lower_ == "also" for t in victims.children)
    return also and lemma in W.FIGHTER_NOUNS


def _same_figures(event: Event | None, figure: Figure) -> bool:
    if event is None:
        return False
    existing = getattr(event, figure.role)
    if existing is None:
        return False
    if existing.quantity == figure.quantity:
        return True
    # "Gunmen kill 40 farmers" in the title, "killed at least 40 farmers" in the story: the same figure, once
    # told exactly and once with a bound
    a, b = existing.quantity, figure.quantity
    exact = {q.low == q.high == q.value for q in (a, b)}
    return a.value is not None and a.value == b.value and exact == {True, False}


def _close(event: Event, figure: Figure) -> bool:
    """A figure joins the open event when it is in the same sentence or the next one or two sentences."""
    last = event.sentences[-1]
    if any(s.start == figure.sentence.start for s in event.sentences):
        return True
    if figure.sentence.start - last.end > 80 or _sentence_gap(last, figure.sentence) > 2:
        return False
    return not _moves_on(event, figure)


def _moves_on(event: Event, figure: Figure) -> bool:
    """A sentence that says "separately" ("in another attack") or names other places than the event's
    tells another event."""
    if any(s.start == figure.sentence.start for s in event.sentences):
        return False
    if any(t.lower_ in W.NEW_EVENT_MARKERS for t in figure.sentence[:6]):
        return True
    known = {e.text.lower() for s in event.sentences for e in s.ents if e.label_ in PLACE_LABELS}
    places = {e.text.lower() for e in figure.sentence.ents if e.label_ in PLACE_LABELS}
    return bool(places and known and not places & known)


def _sentence_gap(a: Span, b: Span) -> int:
    if a.start == b.start:
        return 0
    return sum(1 for s in a.doc[a.end:b.start + 1].sents) if b.start >= a.end else 99


def _add_sentence(event: Event, sentence: Span) -> None:
    if all(s.start != sentence.start for s in event.sentences):
        event.sentences.append(sentence)


def window(doc: Doc, event: Event, events: list[Event], lead: int = 3) -> list[Span]:
    """The sentences that tell this event: its own, and up to `lead` sentences before its first one that
    come after the previous event (where the attack is often told: "A car bomb exploded. 20 were killed.")."""
    index = events.index(event)
    first, last = event.sentences[0], event.sentences[-1]
    floor = min(events[index - 1].sentences[-1].end if index > 0 else 0, first.start)
    sentences = list(doc.sents)
    position = next(i for i, s in enumerate(sentences) if s.start == first.start)
    earlier = [s for s in sentences[max(0, position - lead):position] if s.start >= floor]
    return earlier + [s for s in sentences[position:] if s.start <= last.start]
