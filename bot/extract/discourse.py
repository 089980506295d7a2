"""The document around a sentence: the headline apart from the body, and datelines apart from any clause.

- A headline is the document's title (the first paragraph when the document has one); positions are read from
  the body, and the headline only tells who the story is about or who speaks ("…, says Lavrov", "Blinken: …").
- A dateline ("KYIV, March 3 (Reuters) –", "WASHINGTON (AP) —", "MOSCOW. May 31 (Interfax) -") opens a
  paragraph but belongs to no clause: `dateline_breaks`, a component that runs before the parser, makes the
  clause after it start a sentence of its own, and `in_dateline` tells the position rules to skip it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

DATELINES_COMPONENT = "dateline_breaks"

_CITY = r"(?:[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3})"                   # KYIV, NEW YORK CITY, U.N.
_PLACE = r"(?:[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})"                              # Rome, Washington, Kyiv
_REGION = r"(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?"                     # , Ukraine / , DC
_DATE = r"(?:[,.]?\s*(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2})(?:,?\s*\d{4})?)"
_AGENCY = r"(?:\s*\([^()\n]{1,70}\))"
_DASH = r"\s*(?:[-–—:]+|\.\s)\s*"
DATELINE = re.compile(
    rf"(?:{_CITY}|{_PLACE}){_REGION}{_DATE}?{_AGENCY}\s*(?:[-–—:]+\s*)?"
    rf"|(?:{_CITY}{_REGION}{_DATE}?|{_PLACE}{_REGION}{_DATE}){_DASH}"
    rf"|\((?:[A-Z][A-Za-z.]+)\)\s*"                                                  # (MENAFN)
    rf"|(?:Details|Background|Source|Quote|Context|Reminder|Update|UPDATE):\s+",
)
_LOWER_AFTER = re.compile(r"[a-z]")
_BODY_KEY, _DATELINES_KEY = "positions.body_start", "positions.datelines"


def dateline_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Character ranges of the datelines opening a paragraph of `text` at or after `start`."""
    spans = []
    for para in re.finditer(r"(?:^|\n)[ \t]*(?=\S)", text):
        at = para.end()
        if at < start:
            continue
        match = DATELINE.match(text, at)
        if match is None or match.end() >= len(text):
            continue
        city_only = not re.search(r"\d|\(", match.group(0)) and not match.group(0).rstrip().endswith(":")
        if city_only and (not match.group(0).strip().rstrip("-–—.").isupper() or len(match.group(0).strip()) < 4):
            continue   # "Zelensky —" or "Ukraine. " are no datelines: a city alone must be written in capitals
        if _LOWER_AFTER.match(text, match.end()):
            continue   # the clause after a dateline starts a sentence
        spans.append((at, match.end()))
    return spans


def body_start(doc: Doc) -> int:
    """The index of the first token of the body (0 when the document has no headline)."""
    cached = doc.user_data.get(_BODY_KEY)
    if cached is not None:
        return cached
    chars = doc._.body_start if Doc.has_extension("body_start") else None
    span = doc.char_span(chars, len(doc.text), alignment_mode="expand") if chars else None
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


def _dateline_token_spans(doc: Doc) -> list[Span]:
    chars = doc._.body_start if Doc.has_extension("body_start") else 0
    out = []
    for a, b in dateline_spans(doc.text, chars or 0):
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None:
            out.append(span)
    return out


@Language.component(DATELINES_COMPONENT)
def dateline_breaks(doc: Doc) -> Doc:
    """The clause after a dateline starts a sentence: the dateline is never part of its parse."""
    spans = _dateline_token_spans(doc)
    for span in spans:
        if span.end < len(doc):
            doc[span.end].is_sent_start = True
    doc.user_data[_DATELINES_KEY] = [(s.start, s.end) for s in spans]   # kept for `in_dateline`
    return doc
