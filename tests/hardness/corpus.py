"""A generated corpus of malformed and unusual feeds, each with what the bot should make of it.

`build_corpus()` returns Cases: the routes a FeedServer serves and the expectation:
- "ok": a feed (odd, maybe) that must be processed without an error;
- "error": a bad feed that must be recorded as failed with a reason matching `reason`;
- "any": salvageable input (truncated, mis-encoded): processed, or failed with a clear reason.
Nothing here is random at run time: the junk comes from a seeded generator, so a failure reproduces.
"""

from __future__ import annotations

import gzip
import json
import random
import zlib
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from tests.hardness.servers import Response

RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}
PROSE = [
    "Officials in Kharkiv said two people were injured when a drone hit a residential building on Tuesday.",
    "The ministry said talks would resume next week in Geneva, according to a statement.",
    "Local authorities reported that a bridge near the border was damaged overnight.",
    "The spokesperson told reporters that the government was studying the proposal.",
    "Rescue teams worked through the night after flooding in the region, the mayor said.",
]
MAX_BODY = 2_000_000       # settings.max_body_bytes of the hardness config
READ_TIMEOUT = 1.0         # settings.read_timeout of the hardness config


@dataclass
class Case:
    name: str
    routes: dict[str, Response]
    expect: str                      # ok | error | any
    reason: str = ""                 # regex the error reason must match (expect == "error")
    min_docs: int = 0                # documents that must be stored (expect == "ok")
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"/f/{self.name}"


def item(i: int, prefix: str, *, title: str | None = None, link: str | None = None, guid: str | None = None,
         date: str | None = "Tue, 15 Apr 2025 12:00:00 GMT", text: str | None = None) -> str:
    parts = ["<item>"]
    if title is not None or title == "":
        parts.append(f"<title>{title}</title>")
    else:
        parts.append(f"<title>{escape(prefix)} report {i}</title>")
    parts.append(f"<link>{link}</link>" if link is not None else f"<link>https://news.example.org/{prefix}/{i}</link>")
    if guid != "":
        parts.append(f"<guid>{guid if guid is not None else f'{prefix}-{i}'}</guid>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    parts.append(f"<description>{text if text is not None else escape(PROSE[i % len(PROSE)])}</description>")
    parts.append("</item>")
    return "".join(parts)


def rss(items: list[str], *, title: str = "Feed", decl: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    return (f'{decl}\n<rss version="2.0"><channel><title>{title}</title><link>https://news.example.org/</link>'
            f"<description>news</description>\n" + "\n".join(items) + "\n</channel></rss>\n")


def good_rss(prefix: str, n: int = 2) -> bytes:
    return rss([item(i, prefix) for i in range(n)], title=prefix).encode()


def atom(prefix: str, n: int = 2) -> bytes:
    entries = "".join(
        f'<entry><title>{prefix} entry {i}</title><id>urn:{prefix}:{i}</id><link href="https://news.example.org/{prefix}/{i}"/>'
        f"<updated>2025-04-15T12:00:00Z</updated><summary>{escape(PROSE[i % len(PROSE)])}</summary></entry>"
        for i in range(n))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{prefix}</title>'
            f"<id>urn:{prefix}</id><updated>2025-04-15T12:00:00Z</updated>{entries}</feed>").encode()


def rdf(prefix: str, n: int = 2) -> bytes:
    items = "".join(
        f'<item rdf:about="https://news.example.org/{prefix}/{i}"><title>{prefix} item {i}</title>'
        f"<link>https://news.example.org/{prefix}/{i}</link><description>{escape(PROSE[i % len(PROSE)])}</description>"
        f"<dc:date>2025-04-15T12:00:00Z</dc:date></item>" for i in range(n))
    return ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="https://news.example.org/"><title>{prefix}</title><link>https://news.example.org/</link>'
            f"<description>d</description></channel>{items}</rdf:RDF>").encode()


def _one(body: bytes, status: int = 200, headers: dict[str, str] | None = None, **kw: object) -> Response:
    return Response(body=body, status=status, headers=headers if headers is not None else RSS_TYPE, **kw)  # type: ignore[arg-type]


def good_cases(count: int = 10) -> list[Case]:
    """Well-formed feeds of each family; every item must be stored."""
    cases = []
    for n in range(count):
        name = f"good-{n:02d}"
        body = [good_rss, atom, rdf][n % 3](name, 2)
        cases.append(Case(name, {f"/f/{name}": _one(body)}, "ok", min_docs=2, note="well-formed"))
    return cases


def bad_cases() -> list[Case]:
    rng = random.Random(7)
    cases: list[Case] = []

    def add(name: str, response: Response, expect: str, reason: str = "", min_docs: int = 0, note: str = "",
            extra_routes: dict[str, Response] | None = None) -> None:
        routes = {f"/f/{name}": response, **(extra_routes or {})}
        cases.append(Case(name, routes, expect, reason, min_docs, note))

    not_feed = r"not a feed"
    # -- empty and not-a-feed bodies --------------------------------------------------------------
    add("empty-body", _one(b""), "error", not_feed)
    add("whitespace-body", _one(b"  \n\t\n  "), "error", not_feed)
    add("bom-only", _one(b"\xef\xbb\xbf"), "error", not_feed)
    add("xml-decl-only", _one(b'<?xml version="1.0"?>'), "error", not_feed)
    add("plain-text", _one(b"Service temporarily unavailable, please retry.", headers={"Content-Type": "text/plain"}), "error", not_feed)
    add("html-page", _one(b"<!DOCTYPE html><html><head><title>News</title></head><body><h1>Welcome</h1><p>Latest news.</p></body></html>",
                          headers={"Content-Type": "text/html; charset=utf-8"}), "error", not_feed)
    add("html-with-feed-link", _one(b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>hi</body></html>',
                                    headers={"Content-Type": "text/html"}), "error", not_feed)
    add("html-login-wall", _one(b"<html><body><form action=/login><input name=user></form></body></html>",
                                headers={"Content-Type": "application/rss+xml"}), "error", not_feed)
    add("html-cloudflare", _one(b"<!DOCTYPE html><html lang=en><head><title>Just a moment...</title><script>var a=1;</script></head>"
                                b"<body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>",
                                status=200, headers={"Content-Type": "text/html"}), "error", not_feed)
    add("xhtml-page", _one(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body><p>no feed</p></body></html>'),
        "error", not_feed)
    add("svg-document", _one(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>',
                             headers={"Content-Type": "image/svg+xml"}), "error", not_feed)
    add("sitemap-xml", _one(b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/</loc></url></urlset>'),
        "error", not_feed)
    add("json-not-feed", _one(b'{"error": "rate limited"}', headers={"Content-Type": "application/json"}), "error", not_feed)
    add("json-array", _one(b"[1, 2, 3]", headers={"Content-Type": "application/json"}), "error", not_feed)
    jsonfeed = {"version": "https://jsonfeed.org/version/1.1", "title": "JSON news", "home_page_url": "https://json.example.org/",
                "items": [{"id": f"json-{i}", "url": f"https://json.example.org/{i}", "title": f"JSON item {i}",
                           "content_text": PROSE[i], "date_published": "2025-04-15T12:00:00Z"} for i in range(2)]}
    add("json-feed", _one(json.dumps(jsonfeed).encode(), headers={"Content-Type": "application/feed+json"}), "ok", min_docs=2,
        note="JSON Feed 1.1")
    jsonfeed_html = {"version": "https://jsonfeed.org/version/1", "title": "J", "items": [
        {"id": "jh-1", "content_html": "<p>" + escape(PROSE[1]) + "</p><script>alert(1)</script>", "title": "HTML item"},
        {"id": "jh-2"}, {"url": "https://json.example.org/x"}, "not an object", {"id": 3, "content_text": 42}]}
    add("json-feed-odd-items", _one(json.dumps(jsonfeed_html).encode(), headers={"Content-Type": "application/json"}), "ok", min_docs=1)
    add("json-feed-truncated", _one(json.dumps(jsonfeed).encode()[:60], headers={"Content-Type": "application/feed+json"}), "error", not_feed)
    add("json-feed-items-not-list", _one(b'{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": {"a": 1}}',
                                         headers={"Content-Type": "application/feed+json"}), "error", not_feed)

    # -- binary junk -------------------------------------------------------------------------------
    for n in range(12):
        junk = bytes(rng.getrandbits(8) for _ in range(rng.choice([16, 512, 4096, 40000])))
        add(f"junk-{n:02d}", _one(junk, headers={"Content-Type": rng.choice(["application/octet-stream", "application/rss+xml", "text/xml"])}),
            "error", not_feed)
    add("png-image", _one(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, headers={"Content-Type": "image/png"}), "error", not_feed)
    add("pdf-document", _one(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" * 20, headers={"Content-Type": "application/pdf"}), "error", not_feed)
    add("gzip-without-header", _one(gzip.compress(good_rss("gz-raw")), headers={"Content-Type": "application/rss+xml"}), "error", not_feed)
    add("nul-bytes", _one(b"\x00" * 5000), "error", not_feed)

    # -- HTTP-level failures -----------------------------------------------------------------------
    for status in (400, 401, 403, 404, 410, 429, 500, 502, 503, 504):
        add(f"http-{status}", _one(b"<html>error</html>", status=status, headers={"Content-Type": "text/html"}, etag=False),
            "error", rf"HTTP {status}")
    add("http-999", _one(good_rss("http999"), status=599, etag=False), "error", r"HTTP 599")
    add("closed-without-reply", Response(action="close"), "error", r"cannot fetch|Disconnected|closed|RemoteProtocol")
    add("not-http-at-all", Response(body=b"SSH-2.0-OpenSSH_9.6\r\n", action="garbage"), "error", r"cannot fetch|RemoteProtocol|protocol")
    add("short-body", _one(good_rss("short")[:300], action="short", etag=False), "error", r"cannot fetch|incomplete|RemoteProtocol|peer closed")
    add("gzip-corrupt", _one(b"\x1f\x8b\x08\x00garbage-not-deflate" * 10, headers={**RSS_TYPE, "Content-Encoding": "gzip"}),
        "error", r"compressed|decod")
    add("deflate-corrupt", _one(b"definitely not deflate", headers={**RSS_TYPE, "Content-Encoding": "deflate"}),
        "error", r"compressed|decod")
    good_gz = gzip.compress(good_rss("gz-ok", 2))
    add("gzip-good", _one(good_gz, headers={**RSS_TYPE, "Content-Encoding": "gzip"}), "ok", min_docs=2)
    add("deflate-good", _one(zlib.compress(good_rss("deflate-ok", 2)), headers={**RSS_TYPE, "Content-Encoding": "deflate"}), "ok", min_docs=2)
    bomb = gzip.compress(b"<rss>" + b" " * (MAX_BODY * 5), compresslevel=9)
    add("gzip-bomb", _one(bomb, headers={**RSS_TYPE, "Content-Encoding": "gzip"}), "error", r"too large")
    add("unknown-encoding-header", _one(good_rss("br-fake"), headers={**RSS_TYPE, "Content-Encoding": "x-unknown"}), "any")
    add("wrong-content-type", _one(good_rss("ctype", 2), headers={"Content-Type": "image/png"}), "ok", min_docs=2)
    add("no-content-type", _one(good_rss("noctype", 2), headers={}), "ok", min_docs=2)

    # -- size ----------------------------------------------------------------------------------------
    big_item = item(0, "big", text="word " * 200)
    big = rss([big_item] * (MAX_BODY // len(big_item) + 50)).encode()
    add("too-large-declared", _one(big), "error", r"too large")
    add("too-large-streamed", _one(big, action="", etag=False), "error", r"too large")

    # -- redirects -----------------------------------------------------------------------------------
    def redirect(to: str, status: int = 302) -> Response:
        return Response(b"", status, {"Location": to}, etag=False)

    add("redirect-self", redirect("/f/redirect-self"), "error", r"redirect")
    add("redirect-loop", redirect("/r/loop-b"), "error", r"redirect", extra_routes={"/r/loop-b": redirect("/f/redirect-loop")})
    add("redirect-loop-301", redirect("/r/l301-b", 301), "error", r"redirect", extra_routes={"/r/l301-b": redirect("/r/l301-c", 308),
                                                                                        "/r/l301-c": redirect("/f/redirect-loop-301", 307)})
    chain = {f"/r/chain-{i}": redirect(f"/r/chain-{i + 1}") for i in range(12)}
    add("redirect-too-many", redirect("/r/chain-0"), "error", r"redirect", extra_routes=chain)
    add("redirect-no-location", Response(b"", 302, {}, etag=False), "error", r"Location")
    add("redirect-to-ftp", redirect("ftp://ftp.example.org/feed.xml"), "error", r"only http")
    add("redirect-to-javascript", redirect("javascript:alert(1)"), "error", r"only http|cannot fetch")
    add("redirect-relative-good", redirect("../r/target-good"), "ok", min_docs=2,
        extra_routes={"/r/target-good": _one(good_rss("redirected", 2))})
    add("redirect-bad-port", redirect("http://127.0.0.1:99999/x"), "error", r"cannot fetch|port")
    add("redirect-to-404", redirect("/r/nowhere"), "error", r"HTTP 404")

    # -- entities ------------------------------------------------------------------------------------
    laughs = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    lol = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{laughs}]>' +
           rss([item(0, "lol", text="&lol9;"), item(1, "lol")], decl="")).encode()
    add("billion-laughs", _one(lol), "any", note="entity expansion must not blow up memory or time")
    quadratic = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + "x" * 50000 + '">]>' +
                 rss([item(0, "quad", text="&a;" * 2000)], decl="")).encode()
    add("quadratic-blowup", _one(quadratic), "any")
    xxe = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
           rss([item(0, "xxe", text="leak &xxe; end"), item(1, "xxe")], decl="")).encode()
    add("external-entity", _one(xxe), "any", note="must never read a local file")
    xxe_http = ('<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">' + rss([item(0, "xxe-dtd")], decl="")).encode()
    add("external-dtd", _one(xxe_http), "any")
    add("undefined-entities", _one(rss([item(0, "undef", text="caf&eacute; &nbsp; &bogus; &#xD800; &#99999999;")]).encode()), "any")
    add("html-entities-in-title", _one(rss([item(0, "ent", title="Tom &amp;amp; Jerry &lt;b&gt;bold&lt;/b&gt; &#8220;q&#8221;")]).encode()),
        "ok", min_docs=1)

    # -- truncation ----------------------------------------------------------------------------------
    whole = good_rss("trunc", 4)
    for n, fraction in enumerate((0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 0.99)):
        add(f"truncated-{n}", _one(whole[: int(len(whole) * fraction)]), "any", note=f"cut at {fraction:.0%}")
    add("truncated-mid-utf8", _one(rss([item(0, "t8", text="Київ " * 20)]).encode()[:-40].rstrip(b"\n")[:-1]), "any")
    add("unclosed-tags", _one(b'<?xml version="1.0"?><rss version="2.0"><channel><title>x<item><title>Open item<description>'
                              + PROSE[0].encode() + b"<item><title>second"), "any")
    add("mismatched-tags", _one(rss([item(0, "mm").replace("</title>", "</titel>")]).encode()), "any")
    add("two-roots", _one(good_rss("two-a", 1) + good_rss("two-b", 1)), "any")
    add("garbage-after-root", _one(good_rss("after", 2) + b"\x00\xff garbage <<<"), "any")

    # -- encodings -----------------------------------------------------------------------------------
    accented = "Zelensky said in Kyiv: “No ceasefire without guarantees” — café, naïve, Łódź."
    latin = rss([item(0, "enc", text=escape(accented))])
    add("utf8-declared-latin1-bytes", _one(latin.encode("latin-1", errors="replace")), "any")
    add("latin1-declared-utf8-bytes", _one(latin.replace("UTF-8", "ISO-8859-1").encode("utf-8")), "any")
    add("utf16-with-bom", _one(latin.replace("UTF-8", "UTF-16").encode("utf-16")), "any")
    add("utf16le-no-bom", _one(latin.replace("UTF-8", "UTF-16").encode("utf-16-le")), "any")
    add("utf16-undeclared", _one(latin.replace(' encoding="UTF-8"', "").encode("utf-16")), "any")
    add("cp1252-undeclared", _one(latin.replace(' encoding="UTF-8"', "").encode("cp1252", errors="replace")), "any")
    add("unknown-encoding-name", _one(latin.replace("UTF-8", "x-klingon-8").encode()), "any")
    add("header-charset-conflict", _one(latin.encode("utf-8"), headers={"Content-Type": "application/rss+xml; charset=koi8-r"}), "any")
    add("header-charset-bogus", _one(latin.encode("utf-8"), headers={"Content-Type": "text/xml; charset=\"\";;;"}), "any")
    add("bom-conflict", _one(b"\xef\xbb\xbf" + latin.replace("UTF-8", "UTF-16").encode()), "any")
    add("utf32", _one(latin.replace("UTF-8", "UTF-32").encode("utf-32")), "any")
    add("ebcdic", _one(latin.replace("UTF-8", "cp500").encode("cp500", errors="replace")), "any")
    add("control-chars", _one(rss([item(0, "ctl", text="bell\x07 escape\x1b form\x0c vtab\x0b nul\x00 end"), item(1, "ctl")]).encode()), "any")
    add("lone-surrogate-refs", _one(rss([item(0, "sur", text="&#xD83D; &#55357; ok")]).encode()), "any")
    add("invalid-utf8-bytes", _one(rss([item(0, "inv", text="ok")]).encode().replace(b"ok", b"o\xc3\x28k\xff\xfe")), "any")

    # -- dates ---------------------------------------------------------------------------------------
    for n, date in enumerate(["Fri, 31 Dec 2999 23:59:59 GMT", "9999-12-31T23:59:59+14:00", "yesterday-ish",
                              "Tue, 31 Feb 2025 10:00:00 GMT", "2025-13-45T99:99:99Z", "0000-00-00", "Mon, 01 Jan 0001 00:00:00 +9999",
                              "-1", "1e309", "", "Tue, 15 Apr 2025 12:00:00 PDT", "Thu, 01 Jan 1970 00:00:00 GMT"]):
        add(f"date-{n:02d}", _one(rss([item(0, f"date{n}", date=escape(date))]).encode()), "ok", min_docs=1, note=f"date {date!r}")

    # -- missing or odd fields ------------------------------------------------------------------------
    add("no-title", _one(rss([item(0, "nt", title="")]).encode()), "ok", min_docs=1)
    add("no-link", _one(rss([item(0, "nl").replace("<link>https://news.example.org/nl/0</link>", "")]).encode()), "ok", min_docs=1)
    add("no-guid-no-link", _one(rss([item(i, "ng", guid="").replace(f"<link>https://news.example.org/ng/{i}</link>", "") for i in range(2)]).encode()),
        "ok", min_docs=2)
    add("empty-items", _one(rss(["<item></item>", "<item><title></title><description></description></item>"]).encode()), "ok")
    add("no-items", _one(rss([]).encode()), "ok", note="a valid feed with nothing in it")
    add("only-titles", _one(rss([f"<item><title>Headline {i}: talks resume</title></item>" for i in range(3)]).encode()), "ok", min_docs=3)
    add("duplicate-guids", _one(rss([item(i, "dup", guid="same-guid") for i in range(4)]).encode()), "ok", min_docs=1)
    add("duplicate-guids-across-a", _one(rss([item(i, "across", guid=f"shared-{i}") for i in range(2)]).encode()), "ok", min_docs=0)
    add("duplicate-guids-across-b", _one(rss([item(i, "across", guid=f"shared-{i}") for i in range(2)]).encode()), "ok", min_docs=0)
    add("duplicate-items-exact", _one(rss([item(0, "exact")] * 5).encode()), "ok", min_docs=1)
    add("relative-links", _one(rss([item(i, "rel", link=f"../story/{i}") for i in range(2)]).encode()), "ok", min_docs=2)
    add("broken-ipv6-link", _one(rss([item(0, "v6", link="http://[::1/story"), item(1, "v6", link="https://[")]).encode()), "ok", min_docs=2)
    add("javascript-link", _one(rss([item(0, "js", link="javascript:alert(document.cookie)")]).encode()), "ok", min_docs=1)
    add("very-long-guid", _one(rss([item(0, "lg", guid="g" * 5000)]).encode()), "ok", min_docs=1)
    add("very-long-link", _one(rss([item(0, "ll", link="https://news.example.org/" + "p/" * 4000)]).encode()), "ok", min_docs=1)
    add("huge-title", _one(rss([item(0, "ht", title="Breaking " * 1500)]).encode()), "ok", min_docs=1)
    add("unicode-guid", _one(rss([item(0, "ug", guid="ключ-😀-\u200b-\u202e")]).encode()), "ok", min_docs=1)
    add("whitespace-guid", _one(rss([item(i, "wg", guid="   ") for i in range(2)]).encode()), "ok", min_docs=1)
    add("slack-mentions", _one(rss([item(0, "mention", title="&lt;!channel&gt; @here &lt;https://evil.example|click&gt;",
                                         text="&lt;!everyone&gt; &lt;@U123&gt; ping")]).encode()), "ok", min_docs=1)
    add("many-items", _one(rss([f"<item><guid>many-{i}</guid><title>Headline {i}</title></item>" for i in range(300)]).encode()),
        "ok", min_docs=300)
    add("rss-091", _one(b'<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title><item><title>Old style item</title>'
                        b"<link>https://old.example.org/1</link><description>Old description text.</description></item></channel></rss>"),
        "ok", min_docs=1)
    add("namespaced-content", _one(rss([item(0, "ns", text="short").replace(
        "</item>", "<content:encoded><![CDATA[<p>" + PROSE[1] + "</p>]]></content:encoded></item>")]).replace(
        '<rss version="2.0">', '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">').encode()), "ok", min_docs=1)
    add("undeclared-namespace", _one(rss([item(0, "undns").replace("</item>", "<media:content url='x'/><dc:creator>A</dc:creator></item>")]).encode()),
        "any")

    # -- CDATA and markup oddities ----------------------------------------------------------------------
    add("cdata-html", _one(rss([item(0, "cd", text="<![CDATA[<p>" + PROSE[2] + "</p><script>alert('x')</script><style>p{}</style>]]>")]).encode()),
        "ok", min_docs=1)
    add("cdata-split-end", _one(rss([item(0, "cds", text="<![CDATA[a ]]]]><![CDATA[> b]]>")]).encode()), "ok", min_docs=1)
    add("cdata-unterminated", _one(rss([item(0, "cdu", text="<![CDATA[never closed " + PROSE[0])]).encode()), "any")
    add("cdata-in-title", _one(rss([item(0, "cdt", title="<![CDATA[Title <b>with</b> & ampersand]]>")]).encode()), "ok", min_docs=1)
    add("cdata-nested", _one(rss([item(0, "cdn", text="<![CDATA[outer <![CDATA[inner]]> tail]]>")]).encode()), "any")
    add("escaped-html-twice", _one(rss([item(0, "esc2", text="&amp;lt;p&amp;gt;double &amp;amp;amp; escaped&amp;lt;/p&amp;gt;")]).encode()),
        "ok", min_docs=1)
    add("html-comment-and-pi", _one(rss([item(0, "cmt", text="&lt;!-- hidden --&gt;visible &lt;?php echo 1; ?&gt; text")]).encode()),
        "ok", min_docs=1)
    add("deep-nesting", _one(rss([item(0, "deep", text="<![CDATA[" + "<div>" * 5000 + "deep text" + "</div>" * 5000 + "]]>")]).encode()),
        "ok", min_docs=1)
    add("deep-xml-nesting", _one(rss([item(0, "deepx").replace("</item>", "<x>" * 3000 + "</x>" * 3000 + "</item>")]).encode()), "any")
    add("huge-single-line", _one(rss([item(0, "line", text="x" * 1_200_000)]).encode()), "any",
        note="one 1.2 MB token: more than spaCy's max_length")
    add("long-prose-line", _one(rss([item(0, "prose", text=escape(" ".join(PROSE) + " ") * 60)]).encode()), "ok", min_docs=1)
    add("no-newlines-at-all", _one(good_rss("nonl", 2).replace(b"\n", b"")), "ok", min_docs=2)
    add("crlf-and-cr", _one(good_rss("crlf", 2).replace(b"\n", b"\r\n").replace(b"><", b">\r<")), "ok", min_docs=2)
    add("processing-instruction", _one(b'<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="rss.xsl"?>' + good_rss("pi", 2).split(b"?>", 1)[1]),
        "ok", min_docs=2)
    add("atom-relative-base", _one(atom("atombase", 2).replace(b"<feed ", b'<feed xml:base="../../x/" ')), "ok", min_docs=2)
    add("atom-xhtml-content", _one(atom("atomx", 1).replace(b"<summary>", b'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Inline <b>xhtml</b> body.</p></div></content><summary>')),
        "ok", min_docs=1)
    return cases


def build_corpus(good: int = 10) -> list[Case]:
    """Every bad or unusual case plus `good` well-formed feeds; names are unique."""
    cases = [*bad_cases(), *good_cases(good)]
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    return cases
