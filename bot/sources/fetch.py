"""Polite feed fetching: pooled httpx clients, an overall deadline, a body cap, few redirects, conditional GET.

Errors never raise out of `Fetcher.fetch`: they become `FeedFetch.error`, one line a person can act on.
Feeds and the article pages they link to use separate connection pools: an article's host is resolved once,
checked to be public (unless `allow_private_addresses`) and connected to at that address (`network`).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlparse

import httpx

from bot.config.feeds import Feed
from bot.config.settings import Settings
from bot.errors import SourceError
from bot.sources import network
from bot.sources.decoding import ACCEPT_ENCODING, BadEncoding, BodyTooLarge, BoundedBody
from bot.sources.document import Document, FeedFetch
from bot.sources.network import FetchError, refuse_private
from bot.sources.parse import newest, parse_feed

log = logging.getLogger(__name__)

_FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
_HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_REDIRECTS = {301, 302, 303, 307, 308}
ARTICLE_CACHE = 2000  # article URLs whose main text (or failure) is remembered


class _Answer(NamedTuple):
    status: int
    url: str                 # after redirects
    headers: dict[str, str]  # lower-case names
    body: bytes              # decoded


class Fetcher:
    """Fetches feeds (and optionally the articles they link to); safe to share between threads."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        s = self.settings
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=16)

        def client(check_addresses: bool) -> httpx.Client:
            return httpx.Client(
                timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout, pool=s.fetch_deadline),
                headers={"User-Agent": s.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
                follow_redirects=False,  # followed by hand: counted, loop-checked, address-checked per hop
                transport=network.transport(limits, check_addresses=check_addresses),
            )

        self._feeds = client(check_addresses=False)  # the feed URLs you configure are always allowed
        self._pages = client(check_addresses=not s.allow_private_addresses)
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()
        self._articles: OrderedDict[str, str | None] = OrderedDict()  # recent full texts: no refetch per poll
        self._poll = threading.local()  # per thread: when the poll in hand first reached its server

    # -- feeds -------------------------------------------------------------------------------------

    def fetch(
        self,
        feed: Feed,
        etag: str | None = None,
        last_modified: str | None = None,
        known: Callable[[Document], bool] | None = None,
    ) -> FeedFetch:
        """Poll one feed. `known(doc)` tells which items were already processed (no full-text fetch for them).

        `FeedFetch.fetched_at` is when the request went out, after any wait for a slot to the host."""
        self._poll.requested_at = None
        try:
            if feed.is_remote:
                result = self._fetch_remote(feed, etag, last_modified)
            else:
                result = self._fetch_file(feed, last_modified)
        except SourceError as exc:
            return FeedFetch(feed=feed.name, etag=etag, last_modified=last_modified, error=_one_line(str(exc)),
                             fetched_at=self._poll.requested_at)
        except Exception as exc:  # a feed must never stop a run; say what happened in one line
            log.exception("unexpected error fetching %s", feed.name, extra={"action": "fetch", "feed": feed.name})
            return FeedFetch(feed=feed.name, etag=etag, last_modified=last_modified,
                             error=_one_line(f"unexpected error: {type(exc).__name__}: {exc}"),
                             fetched_at=self._poll.requested_at)
        result.documents, result.skipped = newest(result.documents, self.settings.max_items)
        if result.skipped:
            log.info("%s: %d item(s) beyond max_items (%d) not read", feed.name, result.skipped,
                     self.settings.max_items, extra={"action": "max_items", "feed": feed.name, "skipped": result.skipped})
        undated = sum(doc.published_assumed for doc in result.documents)
        if undated:
            log.info("%s: %d item(s) dated outside 1971 to tomorrow; the fetch time stands in", feed.name, undated,
                     extra={"action": "date_assumed", "feed": feed.name, "documents": undated})
        if feed.full_text and result.documents:
            result.documents = [doc if known and known(doc) else self._with_full_text(doc) for doc in result.documents]
        return result

    def _fetch_remote(self, feed: Feed, etag: str | None, last_modified: str | None) -> FeedFetch:
        headers = {"Accept": _FEED_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        answer = self._get(feed.url, headers, self._feeds)
        response_headers = answer.headers
        if answer.status == 304:
            return FeedFetch(feed=feed.name, not_modified=True,
                             etag=response_headers.get("etag") or etag,
                             last_modified=response_headers.get("last-modified") or last_modified,
                             fetched_at=self._poll.requested_at)
        try:
            documents = parse_feed(answer.body, feed.name, answer.url, fetched_at=self._poll.requested_at)
        except SourceError:
            raise
        except Exception as exc:
            raise FetchError(f"not a feed: {type(exc).__name__}: {exc}") from exc
        return FeedFetch(feed=feed.name, documents=documents, etag=response_headers.get("etag"),
                         last_modified=response_headers.get("last-modified"), fetched_at=self._poll.requested_at)

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
        now = dt.datetime.now(dt.timezone.utc)
        documents = parse_feed(data, feed.name, path.as_uri(), fetched_at=now)
        return FeedFetch(feed=feed.name, documents=documents, last_modified=stamp, fetched_at=now)

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

        answer = self._get(url, {"Accept": _HTML_ACCEPT}, self._pages)
        if answer.status == 304:
            return None
        charset = answer.headers.get("content-type", "")
        encoding = charset.split("charset=")[-1].split(";")[0].strip() if "charset=" in charset else "utf-8"
        markup = answer.body.decode(encoding or "utf-8", errors="replace")
        return trafilatura.extract(markup, url=url, include_comments=False, include_tables=False, favor_precision=True)

    # -- HTTP --------------------------------------------------------------------------------------

    def _get(self, url: str, headers: dict[str, str], client: httpx.Client) -> _Answer:
        """The answer after at most max_redirects redirects, all within the fetch deadline; raises FetchError."""
        seen: set[str] = set()
        with network.deadline(self.settings.fetch_deadline):
            for _hop in range(self.settings.max_redirects + 1):
                if url in seen:
                    raise FetchError(f"redirect loop at {url}")
                seen.add(url)
                parsed = urlparse(url)
                if parsed.scheme not in ("http", "https") or not parsed.hostname:
                    raise FetchError(f"cannot fetch {url!r}: only http and https are followed")
                try:
                    port = parsed.port or (443 if parsed.scheme == "https" else 80)
                except ValueError as exc:  # "http://host:99999/"
                    raise FetchError(f"cannot fetch {url!r}: {exc}") from exc
                with self._host_slot(f"{parsed.hostname}:{port}"):
                    if getattr(self._poll, "requested_at", None) is None:
                        self._poll.requested_at = dt.datetime.now(dt.timezone.utc)
                    status, response_headers, body = self._request(client, url, headers)
                if status in _REDIRECTS:
                    location = response_headers.get("location")
                    if not location:
                        raise FetchError(f"HTTP {status} without a Location header")
                    url = urljoin(url, location)
                    continue
                if status == 304:
                    return _Answer(status, url, response_headers, b"")
                if status >= 400:
                    raise FetchError(f"HTTP {status} {httpx.codes.get_reason_phrase(status)}".rstrip())
                return _Answer(status, url, response_headers, body)
        raise FetchError(f"too many redirects (more than {self.settings.max_redirects})")

    def _request(self, client: httpx.Client, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        limit = self.settings.max_body_bytes
        try:
            with client.stream("GET", url, headers=headers) as response:
                response_headers = {k.lower(): v for k, v in response.headers.items()}
                if response.status_code == 304:
                    response.read()  # nothing to read: the connection goes back to the pool for the next poll
                    return response.status_code, response_headers, b""
                if response.status_code in _REDIRECTS or response.status_code >= 400:
                    return response.status_code, response_headers, b""
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"too large: {declared} bytes (limit {limit})")
                body = BoundedBody(response.headers.get("content-encoding"), limit)
                for chunk in response.iter_raw():  # decoded here, chunk by chunk, never past the limit
                    body.feed(chunk)
                return response.status_code, response_headers, body.value()
        except BodyTooLarge as exc:
            raise FetchError(str(exc)) from exc
        except BadEncoding as exc:
            raise FetchError(str(exc)) from exc
        except httpx.TimeoutException as exc:
            if network.expired():
                raise FetchError(f"timed out: no complete response within {self.settings.fetch_deadline:g}s "
                                 f"from {urlparse(url).netloc}") from exc
            if isinstance(exc, httpx.ConnectTimeout):
                raise FetchError(f"timed out connecting to {urlparse(url).netloc}") from exc
            raise FetchError(f"timed out: no data for {self.settings.read_timeout:g}s from {urlparse(url).netloc}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # InvalidURL: e.g. a redirect to "javascript:..."
            raise FetchError(f"cannot fetch {url}: {type(exc).__name__}: {exc}") from exc

    @contextmanager
    def _host_slot(self, host: str) -> Iterator[None]:
        """At most per_host_concurrency requests to one host (name and port) at a time, across threads; the
        wait for a slot counts against the fetch's deadline."""
        with self._hosts_lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.BoundedSemaphore(self.settings.per_host_concurrency)
        if not slot.acquire(timeout=network.remaining()):
            raise FetchError(f"timed out: {host} stayed busy with other fetches for {self.settings.fetch_deadline:g}s")
        try:
            yield
        finally:
            slot.release()

    def close(self) -> None:
        self._feeds.close()
        self._pages.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


__all__ = ["Fetcher", "FetchError", "refuse_private"]
