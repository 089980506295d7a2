"""What a stated figure means for the attack's toll, read from the clause it is told in.

- `total`: the toll as the text states it now ("killed 12", "the death toll rose to 40");
- `added`: more victims on top of a toll told before ("two more bodies were recovered", "another woman died",
  "the death toll has risen. A man died in hospital");
- `transfer`: wounded who later died ("two of the wounded died in hospital"): more dead, the injured unchanged;
- `earlier`: a figure the text itself says was superseded ("initially said nine", "a previous toll of 27");
- `summary`: a count over several attacks ("Russian strikes killed 4 across the city");
- `also`: one more victim told "also" after the toll ("also injuring a police officer"): added to it.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from bot.extract import casualty_words as W
from bot.extract.casualty_figures import KILLED, Figure, toll_rising

TOTAL, ADDED, TRANSFER, EARLIER, SUMMARY, ALSO = "total", "added", "transfer", "earlier", "summary", "also"
_CLAUSE_BOUNDARIES = {"conj", "ROOT", "parataxis"}
_MORE = {"more", "additional", "further"}
_EARLIER_ADVERBS = {"initially", "originally", "previously", "earlier", "first"}
_EARLIER_ADJECTIVES = {"previous", "earlier", "initial", "original", "prior"}
_TOLL_NOUNS = frozenset({"toll", "number", "count", "tally", "figure"})
_TIME_AFTER_EARLIER = {"on", "in", "this", "today", "that", "tonight", "yesterday"}
_TIME_NOUNS = {"minute", "hour", "day", "week", "month", "year"}


def clause_of(token: Token) -> tuple[Token, set[int]]:
    """The clause a word is told in: its head (climbing to the nearest coordinated clause or the sentence root)
    and the indices of its words, without the clauses coordinated with it ("... killed one person in Kherson,
    and a drone killed another in Nikopol")."""
    path = [token]
    head = token
    while head.dep_ not in _CLAUSE_BOUNDARIES and head.head.i != head.i:
        head = head.head
        path.append(head)
    on_path = {t.i for t in path}
    inside: set[int] = set()
    stack = [head]
    while stack:
        current = stack.pop()
        inside.add(current.i)
        for child in current.children:
            if child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"} and child.i not in on_path:
                continue
            stack.append(child)
    return head, inside


def kind_of(figure: Figure) -> str:
    """The figure's kind (see the module docstring)."""
    doc = figure.anchor.doc
    head, inside = clause_of(figure.anchor)
    words = [doc[i] for i in sorted(inside)]
    if figure.role == KILLED and _was_wounded(figure):
        return TRANSFER
    if _earlier(words) or _elliptic_after_earlier(head):
        return EARLIER
    if _more(figure) or _after_a_bare_rise(figure):
        return ADDED
    if _also_one(figure):
        return ALSO
    if any(_several_attacks(t) for t in words) \
            and not any(t.tag_ == "NN" and t.lemma_.lower() in W.ATTACK_NOUNS for t in words):
        return SUMMARY
    return TOTAL


def _several_attacks(token: Token) -> bool:
    """"Russian strikes killed 4", "killed in attacks across the region"; not "one of the deadliest strikes"."""
    if token.tag_ != "NNS" or token.lemma_.lower() not in W.ATTACK_NOUNS:
        return False
    if any(c.tag_ == "JJS" for c in token.children):
        return False
    return not (token.head.lower_ == "of" and token.head.head.lower_ == "one")


def _was_wounded(figure: Figure) -> bool:
    """The dead were wounded before: "two of the wounded died", "a girl injured in the attack died", "a man who
    was wounded ... died in hospital"."""
    victims = figure.victims
    if victims is None or figure.anchor.lemma_.lower() not in W.DIE_VERBS | {"succumb"}:
        return False
    return any(_is_injury_word(t) for t in victims.subtree if t.i != victims.i)


def _elliptic_after_earlier(head: Token) -> bool:
    """"Earlier, the authorities reported two dead and 11 injured": a clause without a verb of its own, joined to
    one told as earlier, is earlier too."""
    if head.dep_ != "conj" or any(c.dep_ in {"aux", "auxpass"} for c in head.children):
        return False
    _, inside = clause_of(head.head)
    return _earlier([head.doc[i] for i in sorted(inside)])


def _is_injury_word(token: Token) -> bool:
    return token.lower_ in {"wounded", "injured", "hurt"} or token.lemma_.lower() in W.INJURE_VERBS


def _earlier(words: list[Token]) -> bool:
    for token in words:
        lower = token.lower_
        if lower in _EARLIER_ADVERBS and token.dep_ == "advmod":
            following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
            if lower == "earlier" and following is not None and (
                    following.lower_ in _TIME_AFTER_EARLIER or following.ent_type_ in {"DATE", "TIME"}):
                continue          # "earlier on Saturday": when the attack happened, not an earlier report
            previous = token.doc[token.i - 1] if token.i > 0 else None
            if lower == "earlier" and previous is not None and previous.lemma_.lower() in _TIME_NOUNS:
                continue          # "a day earlier, a strike on Kherson killed three": when, not a superseded toll
            if lower == "first" and token.head.lemma_.lower() not in W.REPORTING_VERBS:
                continue
            return True
        if lower in _EARLIER_ADJECTIVES and token.dep_ == "amod" and token.head.lemma_.lower() in _TOLL_NOUNS:
            return True
    return False


def _more(figure: Figure) -> bool:
    """"three more bodies", "an additional 5 dead", "another woman has died", "two more people died" ("more"
    on the number); only for the dead: "another 20 injured", "37 more injured" count the injured beside the dead,
    so they stay a total."""
    if figure.role != KILLED:
        return False          # "37 more have been injured", "an additional 34 injured": beside the dead
    doc = figure.anchor.doc
    heads = [figure.anchor, *([figure.victims] if figure.victims is not None else [])]
    heads += [c for h in heads[1:] for c in h.children if c.dep_ == "nummod"]
    for head in heads:
        for child in head.children:
            following = doc[child.i + 1] if child.i + 1 < len(doc) else None
            if child.lower_ in _MORE and child.dep_ in {"amod", "advmod", "nummod", "advcl"} \
                    and not (following is not None and following.lower_ == "than"):
                return True
            if child.lower_ == "another":
                return True
    return False


def _after_a_bare_rise(figure: Figure) -> bool:
    """"The death toll has risen. A 71-year-old man died in hospital": a victim who died of wounds, told where the
    toll is said to have risen with no figure of its own (in that sentence or the one before), is one more."""
    anchor = figure.anchor
    if figure.role != KILLED or figure.quantity.value != 1 or anchor.lemma_.lower() not in W.DIE_VERBS:
        return False
    if not any(c.dep_ == "prep" and any(g.lemma_.lower() in {"hospital", "wound", "injury"} for g in c.children)
               for c in anchor.children):
        return False
    sentence = anchor.sent
    before = anchor.doc[sentence.start - 1].sent if sentence.start > 0 else None
    return any(_bare_rise(s) for s in (sentence, before) if s is not None)


def _bare_rise(sentence: Span) -> bool:
    """The toll told as risen, no number in the sentence ("Unfortunately, the death toll has risen.")."""
    if any(t.like_num and t.ent_type_ not in {"DATE", "TIME"} for t in sentence):
        return False          # a figure of its own (an age, "64-year-old", counts none)
    return any(toll_rising(t, _TOLL_NOUNS) for t in sentence)


def _also_one(figure: Figure) -> bool:
    """"also injuring a police officer": one more victim, told without a number."""
    victims = figure.victims
    if victims is None or figure.quantity.value != 1 or any(c.pos_ == "NUM" for c in victims.subtree):
        return False
    anchors = [figure.anchor, figure.anchor.head, victims]
    return any(c.lower_ == "also" and c.dep_ == "advmod" for a in anchors for c in a.children)
