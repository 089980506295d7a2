"""Polite feed fetching: one pooled httpx client, timeouts, a body cap, few redirects, conditional GET.

Errors never raise out of `Fetcher.fetch`: they become `FeedFetch.error`, one line a person can act on.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import httpx

from bot.config.feeds import Feed
from bot.config.settings import Settings
from bot.errors import SourceError
from bot.sources.document import Document, FeedFetch
from bot.sources.parse import parse_feed

log = logging.getLogger(__name__)

_FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
_HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_REDIRECTS = {301, 302, 303, 307, 308}
ARTICLE_CACHE = 2000  # article URLs whose main text (or failure) is remembered


class FetchError(SourceError):
    """A URL could not be fetched."""


class Fetcher:
    """Fetches feeds (and optionally the articles they link to); safe to share between threads."""

    def __init__(self, settings: Settings | None = None, *, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings or Settings()
        s = self.settings
        self._client = httpx.Client(
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout, pool=s.connect_timeout + s.read_timeout),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,  # followed by hand: counted, loop-checked, address-checked per hop
            transport=transport,
        )
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()
        self._articles: OrderedDict[str, str | None] = OrderedDict()  # recent full texts: no refetch per poll

    # -- feeds -------------------------------------------------------------------------------------

    def fetch(
        self,
        feed: Feed,
        etag: str | None = None,
        last_modified: str | None = None,
        known: Callable[[Document], bool] | None = None,
    ) -> FeedFetch:
        """Poll one feed. `known(doc)` tells which items were already processed (no full-text fetch for them)."""
        try:
            if feed.is_remote:
                result = self._fetch_remote(feed, etag, last_modified)
            else:
                result = self._fetch_file(feed, last_modified)
        except SourceError as exc:
            return FeedFetch(feed=feed.name, etag=etag, last_modified=last_modified, error=_one_line(str(exc)))
        except Exception as exc:  # a feed must never stop a run; say what happened in one line
            log.exception("unexpected error fetching %s", feed.name, extra={"action": "fetch", "feed": feed.name})
            return FeedFetch(feed=feed.name, etag=etag, last_modified=last_modified,
                             error=_one_line(f"unexpected error: {type(exc).__name__}: {exc}"))
        if feed.full_text and result.documents:
            result.documents = [doc if known and known(doc) else self._with_full_text(doc) for doc in result.documents]
        return result

    def _fetch_remote(self, feed: Feed, etag: str | None, last_modified: str | None) -> FeedFetch:
        headers = {"Accept": _FEED_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        status, final_url, response_headers, body = self._get(feed.url, headers, check_address=False)
        if status == 304:
            return FeedFetch(feed=feed.name, not_modified=True,
                             etag=response_headers.get("etag") or etag,
                             last_modified=response_headers.get("last-modified") or last_modified)
        try:
            documents = parse_feed(body, feed.name, final_url)
        except SourceError:
            raise
        except Exception as exc:
            raise FetchError(f"not a feed: {type(exc).__name__}: {exc}") from exc
        return FeedFetch(feed=feed.name, documents=documents,
                         etag=response_headers.get("etag"), last_modified=response_headers.get("last-modified"))

    def _fetch_file(self, feed: Feed, last_modified: str | None) -> FeedFetch:
        """A local feed file; its modification time serves as Last-Modified so an unchanged file is not parsed."""
        path = Path(unquote(urlparse(feed.url).path)) if feed.url.startswith("file://") else Path(feed.url)
        try:
            stat = path.stat()
        except OSError as exc:
            raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from exc
        if not path.is_file():
            raise FetchError(f"cannot read {path}: not a file")
        stamp = email.utils.formatdate(stat.st_mtime, usegmt=True)
        if last_modified == stamp:
            return FeedFetch(feed=feed.name, not_modified=True, last_modified=stamp)
        if stat.st_size > self.settings.max_body_bytes:
            raise FetchError(f"too large: {stat.st_size} bytes (limit {self.settings.max_body_bytes})")
        data = path.read_bytes()
        return FeedFetch(feed=feed.name, documents=parse_feed(data, feed.name, path.as_uri()), last_modified=stamp)

    # -- full text ---------------------------------------------------------------------------------

    def _with_full_text(self, doc: Document) -> Document:
        """The document with its article's main text, when the link gives more than the feed's summary."""
        if not doc.url.startswith(("http://", "https://")):
            return doc
        with self._hosts_lock:
            cached = self._articles.get(doc.url, "")
        if cached == "":
            try:
                cached = self.article_text(doc.url)
            except SourceError as exc:
                log.info("full text of %s not used: %s", doc.url, exc, extra={"action": "full_text", "feed": doc.feed})
                cached = None
            with self._hosts_lock:
                self._articles[doc.url] = cached
                while len(self._articles) > ARTICLE_CACHE:
                    self._articles.popitem(last=False)
        text = cached
        return replace(doc, text=text) if text and len(text) > len(doc.text) else doc

    def article_text(self, url: str) -> str | None:
        """The main text of an article page (trafilatura); refuses private addresses unless settings allow them."""
        import trafilatura  # imported on first use: only feeds with full_text need it

        status, _final, headers, body = self._get(url, {"Accept": _HTML_ACCEPT},
                                                  check_address=not self.settings.allow_private_addresses)
        if status == 304:
            return None
        charset = headers.get("content-type", "")
        encoding = charset.split("charset=")[-1].split(";")[0].strip() if "charset=" in charset else "utf-8"
        markup = body.decode(encoding or "utf-8", errors="replace")
        return trafilatura.extract(markup, url=url, include_comments=False, include_tables=False, favor_precision=True)

    # -- HTTP --------------------------------------------------------------------------------------

    def _get(self, url: str, headers: dict[str, str], *, check_address: bool) -> tuple[int, str, dict[str, str], bytes]:
        """(status, final URL, headers, body) after at most max_redirects redirects; raises FetchError."""
        seen: set[str] = set()
        deadline = time.monotonic() + self.settings.connect_timeout + self.settings.read_timeout
        for _hop in range(self.settings.max_redirects + 1):
            if url in seen:
                raise FetchError(f"redirect loop at {url}")
            seen.add(url)
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise FetchError(f"cannot fetch {url!r}: only http and https are followed")
            if check_address:
                refuse_private(parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80))
            with self._host_slot(parsed.hostname):
                status, response_headers, body = self._request(url, headers, deadline)
            if status in _REDIRECTS:
                location = response_headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {status} without a Location header")
                url = urljoin(url, location)
                continue
            if status == 304:
                return status, url, response_headers, b""
            if status >= 400:
                raise FetchError(f"HTTP {status} {httpx.codes.get_reason_phrase(status)}".rstrip())
            return status, url, response_headers, body
        raise FetchError(f"too many redirects (more than {self.settings.max_redirects})")

    def _request(self, url: str, headers: dict[str, str], deadline: float) -> tuple[int, dict[str, str], bytes]:
        limit = self.settings.max_body_bytes
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                response_headers = {k.lower(): v for k, v in response.headers.items()}
                if response.status_code in _REDIRECTS or response.status_code == 304 or response.status_code >= 400:
                    return response.status_code, response_headers, b""
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"too large: {declared} bytes (limit {limit})")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():  # decoded: a gzip bomb is capped too
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(f"too large: more than {limit} bytes")
                    if time.monotonic() > deadline:
                        raise FetchError(f"timed out: no complete response within {deadline_seconds(self.settings):g}s")
                    chunks.append(chunk)
                return response.status_code, response_headers, b"".join(chunks)
        except httpx.ConnectTimeout as exc:
            raise FetchError(f"timed out connecting to {urlparse(url).netloc}") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out: no data for {self.settings.read_timeout:g}s from {urlparse(url).netloc}") from exc
        except httpx.DecodingError as exc:
            raise FetchError(f"bad compressed body: {exc}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # InvalidURL: e.g. a redirect to "javascript:..."
            raise FetchError(f"cannot fetch {url}: {type(exc).__name__}: {exc}") from exc

    @contextmanager
    def _host_slot(self, host: str) -> Iterator[None]:
        """At most per_host_concurrency requests to one host at a time, across threads."""
        with self._hosts_lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.BoundedSemaphore(self.settings.per_host_concurrency)
        with slot:
            yield

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def deadline_seconds(settings: Settings) -> float:
    return settings.connect_timeout + settings.read_timeout


def refuse_private(host: str, port: int) -> None:
    """Raise FetchError when a host name resolves to a private, loopback, link-local or reserved address."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror or exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
                or address.is_multicast or address.is_unspecified):
            raise FetchError(f"refused: {host} resolves to a non-public address ({address})")


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


__all__ = ["Fetcher", "FetchError", "refuse_private"]
