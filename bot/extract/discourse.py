"""The document around a sentence: the headline apart from the body, and datelines apart from any clause.

- A headline is the document's title (the first paragraph when the document has one). It tells who the story is
  about or who speaks ("…, says Lavrov", "Blinken: …"); pages often repeat it at the start of the body, and the
  repeat belongs to the headline (a sentence of its own, not the start of the body's first sentence).
- A dateline ("KYIV, March 3 (Reuters) –", "WASHINGTON (AP) —", "MOSCOW. May 31 (Interfax) -") opens a
  paragraph but belongs to no clause: `dateline_breaks`, a component that runs before the parser, makes the
  clause after it start a sentence of its own, and `in_dateline` tells the position rules to skip it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

DATELINES_COMPONENT = "dateline_breaks"

_CITY = r"(?:[A-Z][A-Z.'’\-/]+(?:\s+[A-Z][A-Z.'’\-/]+){0,3})"                   # KYIV, NEW YORK CITY, U.N.
_PLACE = r"(?:[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})"                              # Rome, Washington, Kyiv
_REGION = r"(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?"                     # , Ukraine / , DC
_DATE = r"(?:[,.]?\s*(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2})(?:,?\s*\d{4})?)"
_AGENCY = r"(?:\s*\([^()\n]{1,70}\))"
_DASH = r"\s*(?:[-–—:]+|\.\s)\s*"
DATELINE = re.compile(
    rf"(?:{_CITY}|{_PLACE}){_REGION}{_DATE}?{_AGENCY}\s*(?:[-–—:]+\s*)?"
    rf"|(?:{_CITY}{_REGION}{_DATE}?|{_PLACE}{_REGION}{_DATE}){_DASH}"
    rf"|{_PLACE},\s*[A-Z][a-z]+\s+[-–—]\s+"                                           # Pokrovsk, Ukraine -
    rf"|\((?:[A-Z][A-Za-z.]+)\)\s*"                                                  # (MENAFN)
    rf"|(?:Details|Background|Source|Quote|Context|Reminder|Update|UPDATE):\s+",
)
_LOWER_AFTER = re.compile(r"[a-z]")
_TOWN_AND_COUNTRY = re.compile(rf"{_PLACE},\s*[A-Z][a-z]+\s+[-–—]\s+")   # a town in mixed case with its country
_BODY_KEY, _DATELINES_KEY = "positions.body_start", "positions.datelines"
_REPEAT_KEY, _TEXT_KEY = "positions.repeated_headline", "positions.text"
_TRAILING = " \t\n.,;:!?'\"’”"


def repeated_headline(text: str, body: int) -> int:
    """The end (a character offset) of the headline repeated at the start of the body, else `body`.

    "Negotiations … if Kyiv agrees - Peskov The further dynamics …": the page printed its headline again; what
    follows it starts a sentence."""
    title = text[:body].strip().rstrip(_TRAILING)
    words = title.split()
    if len(words) < 3:
        return body
    pattern = r"\s*" + r"\s+".join(re.escape(w) for w in words) + r"[.,;:!?'\"’”]*"
    match = re.compile(pattern, re.IGNORECASE).match(text, body)
    if match is None or match.end() >= len(text) or text[match.end()].isalnum():
        return body
    return match.end()


def dateline_spans(text: str, start: int = 0, opens: tuple[int, ...] = ()) -> list[tuple[int, int]]:
    """Character ranges of the datelines opening a paragraph of `text` at or after `start` (or at one of `opens`,
    where something else ended: a repeated headline)."""
    spans = []
    starts = [para.end() for para in re.finditer(r"(?:^|\n)[ \t]*(?=\S)", text)]
    starts += [len(text) - len(text[at:].lstrip()) for at in opens]
    for at in sorted(set(starts)):
        if at < start:
            continue
        match = DATELINE.match(text, at)
        if match is None or match.end() >= len(text):
            continue
        city_only = not re.search(r"\d|\(", match.group(0)) and not match.group(0).rstrip().endswith(":")
        if city_only and not _TOWN_AND_COUNTRY.fullmatch(match.group(0)) and (
                not match.group(0).strip().rstrip("-–—.").isupper() or len(match.group(0).strip()) < 4):
            continue   # "Zelensky —" or "Ukraine. " are no datelines: a city alone must be written in capitals
        if _LOWER_AFTER.match(text, match.end()):
            continue   # the clause after a dateline starts a sentence
        spans.append((at, match.end()))
    return spans


def text_of(doc: Doc) -> str:
    """The document's text, joined once (`Doc.text` joins every token again on each call)."""
    text = doc.user_data.get(_TEXT_KEY)
    if not isinstance(text, str):
        doc.user_data[_TEXT_KEY] = text = doc.text
    return text


def body_start(doc: Doc) -> int:
    """The index of the first token of the body (0 when the document has no headline)."""
    cached = doc.user_data.get(_BODY_KEY)
    if cached is not None:
        return int(cached)
    chars = doc._.body_start if Doc.has_extension("body_start") else None
    text = text_of(doc) if chars else ""
    if chars:
        chars = doc.user_data.get(_REPEAT_KEY) or repeated_headline(text, chars)
    span = doc.char_span(chars, len(text), alignment_mode="expand") if chars else None
    doc.user_data[_BODY_KEY] = start = span.start if span is not None else 0
    return start


def headline(doc: Doc) -> Span | None:
    start = body_start(doc)
    return doc[:start] if start else None


def in_dateline(doc: Doc, index: int) -> bool:
    spans = doc.user_data.get(_DATELINES_KEY)
    if spans is None:
        doc.user_data[_DATELINES_KEY] = spans = [(s.start, s.end) for s in _dateline_token_spans(doc)]
    return any(start <= index < end for start, end in spans)


def _dateline_token_spans(doc: Doc, text: str | None = None, repeat: int | None = None) -> list[Span]:
    """(`text`, `repeat`: the document's text and its repeated headline's end, when the caller has them.)"""
    text = text_of(doc) if text is None else text
    chars = doc._.body_start if Doc.has_extension("body_start") else 0
    if repeat is None:
        repeat = repeated_headline(text, chars) if chars else 0
    out = []
    for a, b in dateline_spans(text, chars or 0, (repeat,) if repeat != chars else ()):
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None:
            out.append(span)
    return out


@Language.component(DATELINES_COMPONENT)
def dateline_breaks(doc: Doc) -> Doc:
    """The clause after a dateline, or after a headline the page repeats, starts a sentence: neither is ever
    part of its parse."""
    text = text_of(doc)
    chars = doc._.body_start if Doc.has_extension("body_start") else None
    repeat = repeated_headline(text, chars) if chars else 0   # built once: its pattern is compiled per headline
    spans = _dateline_token_spans(doc, text, repeat)
    for span in spans:
        if span.end < len(doc):
            doc[span.end].is_sent_start = True
    if chars:
        doc.user_data[_REPEAT_KEY] = end = repeat
        after = doc.char_span(end, len(text), alignment_mode="expand") if end != chars else None
        if after is not None and len(after):
            doc[after.start].is_sent_start = True
        body = doc.char_span(chars, len(text), alignment_mode="expand")
        if body is not None and len(body) and body.start > 0:
            doc[body.start].is_sent_start = True   # a headline without a full stop does not run into the body
    doc.user_data[_DATELINES_KEY] = [(s.start, s.end) for s in spans]   # kept for `in_dateline`
    return doc
