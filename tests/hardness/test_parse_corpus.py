"""parse_feed over every body of the corpus: a list of documents or a SourceError, never another exception."""

from __future__ import annotations

import pytest

from bot.errors import SourceError
from bot.sources.parse import parse_feed
from tests.hardness.corpus import MAX_BODY, build_corpus

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
