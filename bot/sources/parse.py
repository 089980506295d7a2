"""Turn feed bytes, article files and JSON lines into Documents."""

from __future__ import annotations

import calendar
import datetime as dt
import html
import json
import re
import sys
import xml.sax
from collections.abc import Iterable, Sequence
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import feedparser
from feedparser.datetimes import _parse_date as _parse_feed_date

from bot.errors import SourceError
from bot.sources.document import Document

_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}
_SKIP_TAGS = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "figure", "svg"}
_FEED_MARKERS = re.compile(rb"<(rss|feed|rdf:RDF|channel)[\s>]", re.I)
# A news item's date before this is a generator's "no date" (year 0001, the Unix epoch), not a real one.
EARLIEST_PUBLISHED = dt.datetime(1971, 1, 1, tzinfo=dt.timezone.utc)
FUTURE_TOLERANCE = dt.timedelta(days=1)  # time zones and skewed clocks; a date further ahead is not real


class _TextExtractor(HTMLParser):
    """Plain text from HTML with paragraph breaks kept; scripts, styles and page chrome dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        elif tag == "title":
            self.in_title = False
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str]:
    """(title, text) of an HTML fragment or page."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.title).split()), normalise_text("".join(parser.parts))


def normalise_text(text: str) -> str:
    """Collapse runs of spaces inside paragraphs; keep paragraphs apart by one blank line."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def source_of(url: str, feed_name: str) -> str:
    """The independent source of a document: its link's domain (without www.), else the feed's name."""
    try:
        host = urlparse(url).hostname if url else None
    except ValueError:  # "http://[broken" (an unclosed IPv6 bracket) must not cost the whole feed
        host = None
    return host.removeprefix("www.") if host else feed_name


def parse_feed(data: bytes, feed_name: str = "", base_url: str = "",
               fetched_at: dt.datetime | None = None) -> list[Document]:
    """Every entry of an RSS, Atom, RDF or JSON Feed as a Document. Raises SourceError when it is not a feed.

    An entry whose date is not a plausible one (see `plausible_time`) gets `fetched_at` as its date, marked
    `published_assumed` (no date at all without `fetched_at`)."""
    return [dated(doc, fetched_at) for doc in _feed_documents(data, feed_name, base_url)]


def _feed_documents(data: bytes, feed_name: str, base_url: str) -> list[Document]:
    if _looks_like_json(data):
        return _json_feed_documents(data, feed_name)
    data = _utf16_to_utf8(data)
    try:
        parsed = feedparser.parse(_safe_charrefs(data),
                                  response_headers={"content-location": base_url} if base_url else None)
    except Exception as exc:  # feedparser's loose parser has crashed on odd input; say so, never a traceback
        raise SourceError(f"unreadable feed: {type(exc).__name__}: {_one_line(str(exc))}") from exc
    if not parsed.entries:
        reason = parsed.get("bozo_exception")
        if parsed.get("bozo") and not parsed.get("version"):
            raise SourceError(f"not a feed: {_not_a_feed(data, reason)}")
        if not parsed.get("version") and not _FEED_MARKERS.search(data[:4096]):
            raise SourceError(f"not a feed: {_not_a_feed(data, reason)}")
        if parsed.get("bozo") and isinstance(reason, xml.sax.SAXParseException):
            raise SourceError(f"ill-formed feed with no readable item (truncated?): {_one_line(str(reason))}")
    return [doc for entry in parsed.entries if (doc := _entry_document(entry, feed_name))]


_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")


def plausible_time(moment: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Whether a date can be a news item's: after 1970 and at most a day ahead of now (or of the fetch)."""
    latest = (now or dt.datetime.now(dt.timezone.utc)) + FUTURE_TOLERANCE
    return EARLIEST_PUBLISHED <= moment <= latest


def dated(document: Document, fetched_at: dt.datetime | None = None) -> Document:
    """The document with a date arithmetic can use: an implausible one (year 0001, 9999) gives way to the
    fetch time, and the document says so; without a fetch time it has no date."""
    if document.published is None or plausible_time(document.published, fetched_at):
        return document
    return replace(document, published=fetched_at, published_assumed=fetched_at is not None)


def newest(documents: Sequence[Document], limit: int) -> tuple[list[Document], int]:
    """The `limit` most recently published documents, in their feed order, and how many were left out.
    Undated documents count as the oldest; among equals the feed's own order decides."""
    if len(documents) <= limit:
        return list(documents), 0
    floor = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    ranked = sorted(range(len(documents)), key=lambda i: documents[i].published or floor, reverse=True)
    kept = sorted(ranked[:limit])
    return [documents[i] for i in kept], len(documents) - limit


def _utf16_to_utf8(data: bytes) -> bytes:
    """A UTF-16 body with a byte-order mark, whatever its declaration says, as UTF-8 (feedparser needs the
    declaration to agree with the bytes)."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) or data.startswith(b"\xff\xfe\x00\x00"):
        return data
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        return data
    return _XML_ENCODING.sub(r'\1"utf-8"', text, count=1).encode("utf-8")


_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _safe_charrefs(data: bytes) -> bytes:
    """Numeric character references to code points XML forbids (surrogates, controls, beyond U+10FFFF)
    become U+FFFD: feedparser's loose parser crashes on some of them and loses the whole feed."""

    def fix(match: re.Match[bytes]) -> bytes:
        hexa, decimal = match.groups()
        point = int(hexa, 16) if hexa else int(decimal)
        allowed = point in (0x9, 0xA, 0xD) or 0x20 <= point <= 0xD7FF or 0xE000 <= point <= 0xFFFD or 0x10000 <= point <= 0x10FFFF
        return match.group(0) if allowed else b"&#xFFFD;"

    return _CHARREF.sub(fix, data) if b"&#" in data else data


def _not_a_feed(data: bytes, reason: object) -> str:
    """What a body that is not a feed looks like, for a person reading the feed's error."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        return "empty body"
    lowered = head[:1024].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered or b"<body" in lowered:
        return "an HTML page"
    if head[:1] in (b"{", b"["):
        return "JSON that is not a JSON Feed"
    sample = head[:512]
    if b"\x00" in sample or sum(byte < 9 or 13 < byte < 32 for byte in sample) > len(sample) // 20:
        return "binary data"
    root = re.search(rb"<([A-Za-z_][\w:.-]*)[\s/>]", re.sub(rb"<[?!][^>]*>", b"", head))
    if root and not isinstance(reason, xml.sax.SAXParseException):
        return f"an XML document whose root is <{root.group(1).decode('ascii', 'replace')}>"
    if isinstance(reason, xml.sax.SAXParseException):
        return f"ill-formed XML ({_one_line(str(reason))})"
    return "no RSS, Atom or RDF root element"


def _looks_like_json(data: bytes) -> bool:
    return data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _json_feed_documents(data: bytes, feed_name: str) -> list[Document]:
    """A JSON Feed (jsonfeed.org, versions 1 and 1.1): each item with a title or a text is a Document."""
    try:
        feed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SourceError(f"not a feed: JSON that cannot be read ({_one_line(str(exc))[:120]})") from exc
    if not isinstance(feed, dict) or "jsonfeed.org" not in str(feed.get("version", "")) \
            or not isinstance(feed.get("items"), list):
        raise SourceError("not a feed: JSON that is not a JSON Feed")
    documents = []
    for item in feed["items"]:
        if not isinstance(item, dict):
            continue
        url = item.get("url")
        link = url if isinstance(url, str) else ""
        title = " ".join(str(item.get("title") or "").split())
        if isinstance(item.get("content_html"), str):
            text = html_to_text(item["content_html"])[1]
        else:
            text = normalise_text(str(item.get("content_text") or item.get("summary") or ""))
        if not text and not title:
            continue
        try:
            published = parse_time(str(item.get("date_published") or item.get("date_modified") or "") or None)
        except SourceError:
            published = None
        key = str(item.get("id") or link or "") or f"{feed_name}:{title}"
        documents.append(Document(id=key, text=text, title=title, url=link, published=published,
                                  feed=feed_name, source=source_of(link, feed_name)))
    return documents


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]


def _entry_document(entry: Any, feed_name: str) -> Document | None:
    link = str(entry.get("link") or "")
    body = ""
    for content in entry.get("content") or []:
        if len(content.get("value", "")) > len(body):
            body = content["value"]
    summary = entry.get("summary") or entry.get("description") or ""
    if len(summary) > len(body):
        body = summary
    _, text = html_to_text(body)
    title = " ".join(html.unescape(str(entry.get("title") or "")).split())
    if not text and not title:
        return None
    key = str(entry.get("id") or link or "") or f"{feed_name}:{title}"
    return Document(
        id=key, text=text, title=title, url=link, published=_entry_time(entry),
        feed=feed_name, source=source_of(link, feed_name),
    )


def _entry_time(entry: Any) -> dt.datetime | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(field)
        if value:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.timezone.utc)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def parse_time(value: str | None) -> dt.datetime | None:
    """An ISO 8601 or RFC 822 time as aware UTC; None when absent or beyond the calendar (year 0 or 10000 in
    UTC). Raises SourceError when unreadable."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise SourceError(f"unreadable date {value!r}: expected a string")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = _parse_feed_date(value)  # RFC 822 and the other feed date formats
        if not parsed:
            raise SourceError(f"unreadable date {value!r}") from None
        try:
            return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.timezone.utc)
        except (OverflowError, ValueError, OSError):
            return None
    try:
        return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)
    except OverflowError:  # "9999-12-31T23:59:59-14:00" is in year 10000 in UTC
        return None


def read_path(path: str, input_format: str = "auto") -> list[Document]:
    """Documents from a feed file, a .txt article (first line the title), an .html page, JSON lines, or '-' (stdin)."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "stdin"
    else:
        file = Path(path)
        if not file.is_file():
            raise SourceError(f"{path}: no such file")
        data = file.read_bytes()
        name = file.name
    if input_format == "jsonl" or (input_format == "auto" and name.endswith(".jsonl")):
        return list(read_jsonl(data.decode("utf-8-sig").splitlines(), name))
    text = data.decode("utf-8-sig", errors="replace")
    head = data[:4096].lstrip()
    if name.endswith((".xml", ".rss", ".atom", ".rdf")) or _FEED_MARKERS.search(head):
        try:
            return parse_feed(data, feed_name="", base_url="")
        except SourceError as exc:
            raise SourceError(f"{path}: {exc}") from exc
    if name.endswith((".html", ".htm")) or head[:15].lower().startswith((b"<!doctype html", b"<html")):
        title, body = html_to_text(text)
        return [Document(id=path, text=body, title=title)]
    first, _, rest = text.strip().partition("\n")
    return [Document(id=path, text=normalise_text(rest), title=first.strip())]


def read_jsonl(lines: Iterable[str], name: str = "-") -> Iterable[Document]:
    """One Document per JSON line {"id", "text", "title"?, "url"?, "published"?}."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or "id" not in item or not isinstance(item.get("text"), str):
                raise ValueError('needs an object with "id" and "text"')
            url = str(item.get("url") or "")
            yield dated(Document(
                id=str(item["id"]), text=normalise_text(item["text"]), title=str(item.get("title") or ""),
                url=url, published=parse_time(item.get("published")), source=source_of(url, ""),
            ))
        except (ValueError, SourceError) as exc:
            raise SourceError(f"{name} line {number}: {exc}") from exc
