"""Fetching feeds from a real HTTP server on loopback: validators, 304, gzip, redirects, caps, timeouts, errors."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.config import Feed, Settings
from bot.sources.fetch import Fetcher

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{title}</title><link>http://example.org/</link><description>d</description>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>
<pubDate>Tue, 15 Apr 2025 12:00:00 GMT</pubDate><description>{text}</description></item>"""


def rss(n: int = 2, prefix: str = "item", link_base: str = "https://news.example.org") -> bytes:
    items = "\n".join(ITEM.format(title=f"{prefix} {i}", link=f"{link_base}/{prefix}-{i}", guid=f"{prefix}-{i}",
                                  text=f"The {prefix} number {i} says something.") for i in range(n))
    return RSS.format(title=prefix, items=items).encode()


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)  # when the server received it


Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class FeedServer:
    """A loopback HTTP server whose routes are plain functions; it records every request."""

    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    active: int = 0
    max_active: int = 0

    def url(self, path: str) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def start(self) -> FeedServer:
        owner = self
        lock = threading.Lock()

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                path = self.path.split("?")[0]
                with lock:
                    owner.requests.append(Request(path, {k.lower(): v for k, v in self.headers.items()}))
                    owner.active += 1
                    owner.max_active = max(owner.max_active, owner.active)
                try:
                    handler = owner.routes.get(path)
                    if handler is None:
                        send(self, 404, b"not here", "text/plain")
                    else:
                        handler(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with lock:
                        owner.active -= 1

            def log_message(self, *_args: object) -> None:
                pass

        self.server = _QuietServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up (a worker stopping) is normal here, not a traceback on stderr."""


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", content_type: str = "application/rss+xml",
         headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    if body:
        handler.wfile.write(body)


def conditional_feed(body: bytes, etag: str = '"v1"', last_modified: str = "Tue, 15 Apr 2025 12:00:00 GMT") -> Handler:
    """A feed that answers 304 when the client's validators match."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        match = h.headers.get("If-None-Match")  # when present it decides alone (RFC 9110 13.2.2)
        if match == etag or (match is None and h.headers.get("If-Modified-Since") == last_modified):
            send(h, 304, headers={"ETag": etag})
        else:
            send(h, 200, body, headers={"ETag": etag, "Last-Modified": last_modified})

    return handle


@pytest.fixture
def server() -> Iterator[FeedServer]:
    srv = FeedServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    f = Fetcher(Settings(connect_timeout=2, read_timeout=1, max_body_bytes=50_000, max_redirects=3))
    yield f
    f.close()


def feed(url: str, **extra: object) -> Feed:
    return Feed(name="test", url=url, **extra)  # type: ignore[arg-type]


def test_a_feed_is_fetched_with_its_validators_and_a_descriptive_user_agent(server: FeedServer, fetcher: Fetcher) -> None:
    server.routes["/feed.xml"] = conditional_feed(rss(3))
    result = fetcher.fetch(feed(server.url("/feed.xml")), None, None)
    assert result.error is None
    assert [d.title for d in result.documents] == ["item 0", "item 1", "item 2"]
    assert result.documents[0].feed == "test"
    assert (result.etag, result.last_modified) == ('"v1"', "Tue, 15 Apr 2025 12:00:00 GMT")
    agent = server.requests[0].headers["user-agent"]
    assert agent.startswith("discourse-bot/")


def test_unchanged_feed_answers_304_and_yields_nothing_to_parse(server: FeedServer, fetcher: Fetcher) -> None:
    server.routes["/feed.xml"] = conditional_feed(rss(3))
    result = fetcher.fetch(feed(server.url("/feed.xml")), '"v1"', "Tue, 15 Apr 2025 12:00:00 GMT")
    assert result.not_modified and result.error is None and result.documents == []
    assert result.etag == '"v1"'
    sent = server.requests[0].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == "Tue, 15 Apr 2025 12:00:00 GMT"


def test_gzip_compressed_feed_is_decoded(server: FeedServer, fetcher: Fetcher) -> None:
    body = gzip.compress(rss(2))
    server.routes["/gz"] = lambda h: send(h, 200, body, headers={"Content-Encoding": "gzip"})
    result = fetcher.fetch(feed(server.url("/gz")))
    assert result.error is None and len(result.documents) == 2
    assert "gzip" in server.requests[0].headers["accept-encoding"]


def test_redirects_are_followed_up_to_the_limit(server: FeedServer, fetcher: Fetcher) -> None:
    server.routes["/feed.xml"] = conditional_feed(rss(1))
    server.routes["/old"] = lambda h: send(h, 301, headers={"Location": "/older"})
    server.routes["/older"] = lambda h: send(h, 302, headers={"Location": server.url("/feed.xml")})
    assert fetcher.fetch(feed(server.url("/old"))).documents[0].title == "item 0"

    for i in range(5):
        server.routes[f"/hop{i}"] = (lambda n: lambda h: send(h, 302, headers={"Location": f"/hop{n + 1}"}))(i)
    result = fetcher.fetch(feed(server.url("/hop0")))
    assert result.error == "too many redirects (more than 3)"


def test_a_redirect_loop_is_reported_as_such(server: FeedServer, fetcher: Fetcher) -> None:
    server.routes["/a"] = lambda h: send(h, 302, headers={"Location": "/b"})
    server.routes["/b"] = lambda h: send(h, 302, headers={"Location": "/a"})
    result = fetcher.fetch(feed(server.url("/a")))
    assert result.error is not None and result.error.startswith("redirect loop")
    assert len(server.requests) == 2


def test_a_huge_body_is_cut_off(server: FeedServer, fetcher: Fetcher) -> None:
    big = rss(2000)
    assert len(big) > 50_000
    server.routes["/big"] = lambda h: send(h, 200, big)

    def undeclared(h: BaseHTTPRequestHandler) -> None:  # no Content-Length: the stream itself is capped
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Connection", "close")
        h.end_headers()
        for start in range(0, len(big), 8192):
            h.wfile.write(big[start:start + 8192])

    server.routes["/stream"] = undeclared
    bomb = gzip.compress(b" " * 5_000_000)  # 5 KB on the wire, 5 MB decoded
    server.routes["/bomb"] = lambda h: send(h, 200, bomb, headers={"Content-Encoding": "gzip"})
    for path in ("/big", "/stream", "/bomb"):
        result = fetcher.fetch(feed(server.url(path)))
        assert result.error is not None and result.error.startswith("too large"), (path, result.error)
        assert result.documents == []


def test_a_slow_server_times_out(server: FeedServer, fetcher: Fetcher) -> None:
    release = threading.Event()

    def slow(h: BaseHTTPRequestHandler) -> None:
        release.wait(10)
        send(h, 200, rss(1))

    server.routes["/slow"] = slow
    try:
        result = fetcher.fetch(feed(server.url("/slow")))
    finally:
        release.set()
    assert result.error is not None and result.error.startswith("timed out")


def test_server_errors_and_missing_feeds_become_one_line_reasons(server: FeedServer, fetcher: Fetcher) -> None:
    server.routes["/boom"] = lambda h: send(h, 500, b"oops", "text/plain")
    server.routes["/page"] = lambda h: send(h, 200, b"<html><body><p>Just a page</p></body></html>", "text/html")
    assert fetcher.fetch(feed(server.url("/boom"))).error == "HTTP 500 Internal Server Error"
    assert fetcher.fetch(feed(server.url("/missing"))).error == "HTTP 404 Not Found"
    not_feed = fetcher.fetch(feed(server.url("/page"))).error
    assert not_feed is not None and not_feed.startswith("not a feed")


def test_a_closed_port_is_an_error_not_an_exception(fetcher: Fetcher) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = fetcher.fetch(feed(f"http://127.0.0.1:{port}/feed.xml"))
    assert result.error is not None and "127.0.0.1" in result.error and "\n" not in result.error


def test_per_host_concurrency_is_limited_across_threads(server: FeedServer) -> None:
    def slowish(h: BaseHTTPRequestHandler) -> None:
        time.sleep(0.2)
        send(h, 200, rss(1))

    server.routes["/f"] = slowish
    with Fetcher(Settings(per_host_concurrency=2, read_timeout=5)) as shared:
        threads = [threading.Thread(target=shared.fetch, args=(feed(server.url("/f")),)) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(server.hits("/f")) == 6
    assert server.max_active == 2


def test_local_files_are_read_and_an_unchanged_file_is_not_parsed_again(tmp_path: Path, fetcher: Fetcher) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(rss(2))
    first = fetcher.fetch(feed(str(path)))
    assert first.error is None and len(first.documents) == 2 and first.last_modified
    again = fetcher.fetch(feed(path.as_uri()), None, first.last_modified)
    assert again.not_modified and again.documents == []
    gone = tmp_path / "gone.xml"
    gone.write_bytes(rss(1))
    gone_feed = feed(str(gone))  # the config checks the file exists; it vanishes later
    gone.unlink()
    missing = fetcher.fetch(gone_feed)
    assert missing.error is not None and "gone.xml" in missing.error


def test_full_text_replaces_a_summary_with_the_article_when_allowed(server: FeedServer) -> None:
    article = ("<html><head><title>A</title></head><body><nav>Home | World</nav><article><h1>Talks</h1>"
               + "".join(f"<p>Paragraph {i}: the minister said talks will not start before a ceasefire is in "
                         f"place, according to the statement released on Monday.</p>" for i in range(8))
               + "</article><footer>Copyright</footer></body></html>").encode()
    server.routes["/article-0"] = lambda h: send(h, 200, article, "text/html; charset=utf-8")
    server.routes["/feed.xml"] = lambda h: send(h, 200, rss(1, "article", link_base=server.url("")))
    with Fetcher(Settings(allow_private_addresses=True)) as allowed:
        result = allowed.fetch(feed(server.url("/feed.xml"), full_text=True))
        again = allowed.fetch(feed(server.url("/feed.xml"), full_text=True))  # remembered, not fetched again
    assert again.documents[0].text == result.documents[0].text
    text = result.documents[0].text
    assert "Paragraph 7: the minister said talks will not start before a ceasefire" in text
    assert "Copyright" not in text

    with Fetcher(Settings()) as strict:  # loopback refused: the summary stays
        result = strict.fetch(feed(server.url("/feed.xml"), full_text=True))
    assert result.documents[0].text == "The article number 0 says something."
    assert len(server.hits("/article-0")) == 1

    with Fetcher(Settings(allow_private_addresses=True)) as allowed:  # known items are not fetched again
        allowed.fetch(feed(server.url("/feed.xml"), full_text=True), known=lambda doc: True)
    assert len(server.hits("/article-0")) == 1
