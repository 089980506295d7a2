"""parse_feed over every body of the corpus, and over randomly mutated feeds: a list of documents or a
SourceError, never another exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.errors import SourceError
from bot.sources.parse import parse_feed, read_jsonl
from tests.hardness.corpus import MAX_BODY, atom, build_corpus, good_rss, rdf

# Bodies over the size cap never reach the parser (the fetcher refuses them), so they are not parsed here.
BODIES = [(case.name, response.body) for case in build_corpus() for response in case.routes.values()
          if response.body and len(response.body) <= MAX_BODY]


@pytest.mark.parametrize(("name", "body"), BODIES, ids=[name for name, _ in BODIES])
def test_parse_feed_returns_documents_or_a_source_error(name, body):
    try:
        documents = parse_feed(body, feed_name=name, base_url=f"http://127.0.0.1/f/{name}")
    except SourceError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for doc in documents:
        assert doc.id and (doc.title or doc.text)
        assert "root:" not in doc.text and "/bin/" not in doc.text  # no external entity was resolved
        doc.text.encode("utf-8")  # no lone surrogate survives into the text
        doc.title.encode("utf-8")


def test_json_feed_items_become_documents():
    (case,) = [c for c in build_corpus() if c.name == "json-feed"]
    documents = parse_feed(case.routes[case.path].body, feed_name="json")
    assert [d.id for d in documents] == ["json-0", "json-1"]
    assert documents[0].url == "https://json.example.org/0" and documents[0].published is not None


@pytest.mark.parametrize(("body", "reason"), [
    (b"", "empty body"),
    (b"<!DOCTYPE html><html><body>hi</body></html>", "HTML page"),
    (b'{"error": "quota"}', "JSON that is not a JSON Feed"),
    (bytes(range(256)) * 4, "binary data"),
    (b'<?xml version="1.0"?><urlset><url/></urlset>', "root is <urlset>"),
    (b'<?xml version="1.0"?><rss version="2.0"><chan', "ill-formed"),
])
def test_what_is_not_a_feed_is_said_plainly(body, reason):
    with pytest.raises(SourceError, match=reason):
        parse_feed(body)


SEEDS = [good_rss("fuzz", 3), atom("fuzz", 2), rdf("fuzz", 2)]
MUTATION = st.tuples(st.sampled_from(["cut", "insert", "replace", "truncate"]), st.integers(0, 10**6),
                     st.integers(0, 64), st.binary(min_size=1, max_size=16)
                     | st.sampled_from([b"<", b">", b"&", b"]]>", b"<![CDATA[", b"&#xD800;", b"&#0;", b"\x00", b"\xff\xfe",
                                        b"<!ENTITY a 'b'>", b"</channel>", b"<item>", b'"', b"\xc3", b"\r\n"]))


def mutate(body: bytes, mutations: list[tuple[str, int, int, bytes]]) -> bytes:
    for kind, position, length, chunk in mutations:
        at = position % (len(body) + 1)
        if kind == "cut":
            body = body[:at] + body[at + length:]
        elif kind == "insert":
            body = body[:at] + chunk + body[at:]
        elif kind == "replace":
            body = body[:at] + chunk + body[at + len(chunk):]
        else:
            body = body[:at]
    return body


@settings(max_examples=200, deadline=None)
@given(seed=st.sampled_from(range(len(SEEDS))), mutations=st.lists(MUTATION, min_size=1, max_size=6))
@example(seed=1, mutations=[("insert", 228, 0, b"[")])  # once: a link "https://[news..." lost the whole feed
def test_mutated_feeds_give_documents_or_a_source_error(seed, mutations):
    body = mutate(SEEDS[seed], mutations)
    try:
        documents = parse_feed(body, feed_name="fuzz")
    except SourceError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for doc in documents:
        assert doc.id and (doc.title or doc.text)
        doc.text.encode("utf-8")
        doc.title.encode("utf-8")


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
                           | st.sampled_from(["http://[", "2025-99-99", "<p>x</p>", "https://a.example/x"]),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=10)
JSON_ITEM = st.dictionaries(st.sampled_from(["id", "url", "title", "content_html", "content_text", "summary",
                                             "date_published", "date_modified"]), JSON_VALUES, max_size=8)


@settings(max_examples=150, deadline=None)
@given(version=st.sampled_from(["https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1", 1, None]),
       items=st.lists(JSON_ITEM | JSON_VALUES, max_size=5) | JSON_VALUES)
def test_any_json_feed_gives_documents_or_a_source_error(version, items):
    body = json.dumps({"version": version, "title": "j", "items": items}).encode()
    try:
        documents = parse_feed(body, feed_name="json")
    except SourceError:
        return
    assert all(doc.id and (doc.title or doc.text) for doc in documents)


def test_json_lines_take_rfc_822_publication_times():
    (doc,) = read_jsonl(['{"id": "a", "text": "x", "published": "Tue, 15 Apr 2025 12:00:00 GMT"}'])
    assert doc.published is not None and doc.published.isoformat() == "2025-04-15T12:00:00+00:00"


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.text(max_size=40) | st.dictionaries(
    st.sampled_from(["id", "text", "title", "url", "published"]), JSON_VALUES, max_size=5).map(json.dumps), max_size=4))
def test_any_json_lines_give_documents_or_a_source_error(lines):
    try:
        documents = list(read_jsonl(lines, "input.jsonl"))
    except SourceError as exc:
        assert "input.jsonl line" in str(exc)
        return
    assert all(isinstance(doc.id, str) for doc in documents)
