"""Reading documents: feeds, article files, HTML and JSON lines."""

from __future__ import annotations

import datetime as dt
import io
import sys

import pytest

from bot.errors import SourceError
from bot.sources.parse import html_to_text, parse_feed, read_path

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><id>urn:1</id><title>Kyiv says talks can wait</title><link href="https://www.wire.example/a1"/>
<updated>2025-05-02T10:00:00+02:00</updated><summary type="html">&lt;p&gt;First para.&lt;/p&gt;&lt;p&gt;Second &amp;amp; last.&lt;/p&gt;</summary></entry>
<entry><id>urn:2</id><title>No body here</title></entry>
</feed>"""


def test_atom_entries_become_documents_with_utc_times_and_sources():
    docs = parse_feed(ATOM, feed_name="wire")
    assert [d.id for d in docs] == ["urn:1", "urn:2"]
    first = docs[0]
    assert first.text == "First para.\n\nSecond & last."
    assert first.published == dt.datetime(2025, 5, 2, 8, 0, tzinfo=dt.timezone.utc)
    assert first.source == "wire.example" and first.feed == "wire"
    assert docs[1].source == "wire"  # no link: the feed is the source


def test_seed_feed_has_the_article_published_on_15_april(repo_root):
    (doc,) = read_path(str(repo_root / "seeds" / "seed-feed.xml"))
    assert doc.published == dt.datetime(2025, 4, 15, tzinfo=dt.timezone.utc)
    assert doc.title == "US Reinforces Ceasefire Condition for Russia-Ukraine Negotiations"
    assert "no negotiations or agreements with Russia" in doc.text
    assert not doc.text.endswith("Share.")


def test_text_article_takes_its_first_line_as_title(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Headline here\n\nBody   line one.\nstill one.\n\nTwo.", encoding="utf-8")
    (doc,) = read_path(str(path))
    assert doc.title == "Headline here"
    assert doc.text == "Body line one. still one.\n\nTwo."


def test_html_page_drops_scripts_and_navigation(tmp_path):
    path = tmp_path / "a.html"
    path.write_text("<html><head><title>T</title><script>var x='killed 99';</script></head>"
                    "<body><nav>Home</nav><p>Real text.</p></body></html>", encoding="utf-8")
    (doc,) = read_path(str(path))
    assert (doc.title, doc.text) == ("T", "Real text.")


def test_jsonl_lines_keep_their_ids_and_report_bad_lines(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "One.", "published": "2025-04-15"}\n\n{"id": "b", "text": "Two."}\n')
    docs = read_path(str(path), "jsonl")
    assert [d.id for d in docs] == ["a", "b"]
    assert docs[0].published == dt.datetime(2025, 4, 15, tzinfo=dt.timezone.utc)
    path.write_text('{"id": "a", "text": "One."}\n{"text": 3}\n')
    with pytest.raises(SourceError, match="line 2"):
        read_path(str(path), "jsonl")


def test_stdin_is_read_for_dash(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Title\nBody.")))
    (doc,) = read_path("-")
    assert (doc.title, doc.text) == ("Title", "Body.")


def test_html_is_not_a_feed():
    with pytest.raises(SourceError, match="not a feed"):
        parse_feed(b"<html><body><p>hello</p></body></html>")


def test_missing_file_is_a_clear_error():
    with pytest.raises(SourceError, match="no such file"):
        read_path("/nonexistent/feed.xml")


def test_entities_are_unescaped_once():
    assert html_to_text("<p>AT&amp;T &lt;b&gt;</p>")[1] == "AT&T <b>"


def test_escaped_markup_is_unescaped_only_once():
    assert html_to_text("<p>&amp;lt;b&amp;gt;</p>")[1] == "&lt;b&gt;"
