"""What hostile servers do to one fetch, on loopback: headers one byte a second, compression bombs and odd
encodings, a DNS answer that changes between check and connect, feeds with absurd dates or far too many items."""

from __future__ import annotations

import datetime as dt
import gzip
import socket
import time
import zlib
from collections.abc import Iterator

import pytest

from bot.config import Feed, Settings
from bot.sources.decoding import BodyTooLarge, BoundedBody
from bot.sources.fetch import Fetcher, FetchError
from bot.sources.parse import parse_feed, read_jsonl
from tests.hardness.servers import FeedServer, Response, SlowHeaders


def feed(url: str, **extra: object) -> Feed:
    return Feed(name="f", url=url, **extra)


def rss(items: list[tuple[str, str]]) -> bytes:
    """(guid, pubDate) items."""
    body = "".join(f"<item><title>Item {guid}</title><guid>{guid}</guid><link>https://news.example.org/{guid}</link>"
                   f"<pubDate>{date}</pubDate><description>Text of {guid}.</description></item>" for guid, date in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://news.example.org/</link>'
            f"<description>d</description>{body}</channel></rss>").encode()


# -- deadline ---------------------------------------------------------------------------------------


def test_headers_sent_one_byte_a_second_end_at_the_fetch_deadline() -> None:
    with SlowHeaders(delay=0.2) as slow, Fetcher(Settings(fetch_deadline=2, read_timeout=30)) as fetcher:
        started = time.monotonic()
        result = fetcher.fetch(feed(slow.url()))
        took = time.monotonic() - started
    assert result.error is not None and "no complete response within 2s" in result.error, result.error
    assert took < 10, took  # the read timeout (30 s) never fires: bytes keep coming; the deadline does


# -- decompression ----------------------------------------------------------------------------------


def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes gzipped, compressed piece by piece (the bomb itself never sits in memory)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    return b"".join([*(packer.compress(block) for _ in range(size >> 20)), packer.flush()])


def test_a_bomb_is_inflated_no_further_than_the_cap_whatever_arrives_at_once() -> None:
    bomb = gzip_bomb(64 << 20)  # 64 MB of zeros in ~64 KB: one network read of it would be the whole bomb
    body = BoundedBody("gzip", limit=1_000_000)
    with pytest.raises(BodyTooLarge):
        body.feed(bomb)
    assert body.size == 0  # the piece that went over is dropped, not kept


@pytest.mark.parametrize("encoding,data", [
    ("gzip", gzip.compress(b"<rss>one</rss>") + gzip.compress(b"<!-- two -->")),  # two members
    ("x-gzip", gzip.compress(b"<rss>one</rss><!-- two -->")),
    ("deflate", zlib.compress(b"<rss>one</rss><!-- two -->")),                   # zlib-wrapped
    ("deflate", zlib.compress(b"<rss>one</rss><!-- two -->")[2:-4]),             # raw, as some servers send
    ("identity", b"<rss>one</rss><!-- two -->"),
    ("x-unknown", b"<rss>one</rss><!-- two -->"),                                 # passed as it is
])
def test_bodies_are_decoded_as_they_stream_in(encoding: str, data: bytes) -> None:
    body = BoundedBody(encoding, limit=1000)
    for start in range(0, len(data), 7):  # small network reads
        body.feed(data[start:start + 7])
    assert body.value() == b"<rss>one</rss><!-- two -->"


def test_a_bomb_served_over_http_is_a_too_large_error() -> None:
    with FeedServer({"/bomb": Response(gzip_bomb(32 << 20), headers={"Content-Type": "application/rss+xml",
                                                                      "Content-Encoding": "gzip"})}) as server:
        with Fetcher(Settings(max_body_bytes=2_000_000)) as fetcher:
            result = fetcher.fetch(feed(server.url("/bomb")))
    assert result.error == "too large: more than 2000000 bytes"


# -- addresses --------------------------------------------------------------------------------------


def test_a_page_is_fetched_from_the_address_that_was_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the first answer is public, any later one points at loopback. The fetch connects to the
    first (checked) address and never asks again, so the loopback server sees nothing."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def rebinding(host: str, port: object, *args: object, **kwargs: object) -> list:
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)  # type: ignore[arg-type]
        asked.append(host)
        address = "192.0.32.10" if len(asked) == 1 else "127.0.0.1"  # a public address, then loopback
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]  # type: ignore[call-overload]

    with FeedServer({"/article": Response(b"<html><body><p>inside</p></body></html>",
                                          headers={"Content-Type": "text/html"})}) as server:
        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        with Fetcher(Settings(connect_timeout=1, fetch_deadline=3)) as fetcher:
            with pytest.raises(FetchError) as failed:  # the public address does not answer here
                fetcher.article_text(f"http://rebind.example:{server.port}/article")
        monkeypatch.undo()
    assert "non-public" not in str(failed.value)  # it passed the check: it is the address connected to
    assert asked == ["rebind.example"]
    assert server.hits.get("/article", 0) == 0


def test_a_name_that_resolves_inside_is_refused_for_pages_not_for_feeds() -> None:
    with FeedServer({"/page": Response(b"<html><body><p>x</p></body></html>", headers={"Content-Type": "text/html"}),
                     "/feed": Response(rss([("a", "Tue, 15 Apr 2025 12:00:00 GMT")]))}) as server:
        with Fetcher(Settings()) as fetcher:
            with pytest.raises(FetchError, match="refused: localhost resolves to a non-public address"):
                fetcher.article_text(f"http://localhost:{server.port}/page")
            assert fetcher.fetch(feed(f"http://localhost:{server.port}/feed")).error is None
    assert server.hits.get("/page", 0) == 0


# -- dates ------------------------------------------------------------------------------------------

FETCHED = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.timezone.utc)


def test_dates_no_news_can_have_give_way_to_the_fetch_time_and_say_so() -> None:
    data = rss([("zero", "Mon, 01 Jan 0001 00:00:00 +0000"), ("far", "Fri, 31 Dec 9999 23:59:59 GMT"),
                ("epoch", "Thu, 01 Jan 1970 00:00:00 GMT"), ("ahead", "Fri, 31 Dec 2999 23:59:59 GMT"),
                ("real", "Tue, 15 Apr 2025 12:00:00 GMT"), ("none", "")])
    docs = {d.id: d for d in parse_feed(data, "f", fetched_at=FETCHED)}
    for guid in ("zero", "far", "epoch", "ahead"):
        assert (docs[guid].published, docs[guid].published_assumed) == (FETCHED, True), guid
    assert docs["real"].published == dt.datetime(2025, 4, 15, 12, tzinfo=dt.timezone.utc)
    assert not docs["real"].published_assumed
    assert docs["none"].published is None and not docs["none"].published_assumed
    undated = {d.id: d.published for d in parse_feed(data, "f")}  # a file read: no fetch time to stand in
    assert undated["zero"] is None and undated["far"] is None


def test_a_json_line_dated_beyond_the_calendar_has_no_date() -> None:
    line = '{"id": "x", "text": "t", "published": "9999-12-31T23:59:59-14:00"}'
    assert next(iter(read_jsonl([line]))).published is None


# -- items per poll ---------------------------------------------------------------------------------


@pytest.fixture
def crowded() -> Iterator[FeedServer]:
    base = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    items = [(f"i{n:03d}", (base + dt.timedelta(hours=(n * 37) % 120)).strftime("%a, %d %b %Y %H:%M:%S GMT"))
             for n in range(120)]
    with FeedServer({"/feed": Response(rss(items))}) as server:
        yield server


def test_only_the_newest_max_items_are_read_and_the_rest_counted(crowded: FeedServer) -> None:
    with Fetcher(Settings(max_items=10)) as fetcher:
        result = fetcher.fetch(feed(crowded.url("/feed")))
    assert (len(result.documents), result.skipped) == (10, 110)
    everything = parse_feed(rss_of(crowded), "f")
    newest = sorted(everything, key=lambda d: d.published, reverse=True)[:10]  # type: ignore[arg-type, return-value]
    kept = [d.id.rsplit("/", 1)[-1] for d in result.documents]  # relative guids resolve against the feed URL
    assert set(kept) == {d.id for d in newest}
    order = [d.id for d in everything]
    assert kept == sorted(kept, key=order.index)  # in the feed's own order


def rss_of(server: FeedServer) -> bytes:
    route = server.routes["/feed"]
    assert isinstance(route, Response)
    return route.body
