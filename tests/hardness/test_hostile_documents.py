"""Documents that break things, through the whole pipeline on loopback: dates in year 0001 and 9999, a
document whose processing raises (quarantined, shown in `status`, its feed going on), a feed with far more
items than a poll reads."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli import cli
from bot.extract import DocumentFacts, Extractor
from bot.pipeline import Pipeline
from bot.sources.document import Document
from bot.store import Store
from bot.store.models import DocumentRecord
from tests.hardness.conftest import write_config
from tests.hardness.servers import FeedServer, Response

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)
CITIES = ["Sumy", "Kharkiv", "Odesa", "Dnipro"]


def item(guid: str, date: str, city: str, title: str = "") -> str:
    return (f"<item><title>{title or f'Strike on {city}'}</title><link>https://news.example.org/{guid}</link>"
            f"<guid>{guid}</guid><pubDate>{date}</pubDate><description>A Russian missile strike on {city} killed "
            f"{len(guid) + 3} people on Sunday, regional officials said.</description></item>")


def rss(items: Sequence[str]) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
            f"<link>https://news.example.org/</link><description>d</description>{''.join(items)}</channel></rss>").encode()


def stored(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(DocumentRecord)) or 0)


def cli_json(config: Path, database: str, *args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["--config", str(config), "--database-url", database, *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[FeedServer, Path, str]]:
    with FeedServer() as server:
        config = write_config(tmp_path / "config", [{"name": "news", "url": server.url("/news"), "first_poll": "alert"}],
                              settings={"connect_timeout": 2, "read_timeout": 5})
        yield server, config, f"sqlite:///{tmp_path / 'bot.db'}"


def pipeline_for(config: Path, database: str, extractor: Any) -> Pipeline:
    from bot.config import load_config

    return Pipeline(load_config(config), Store(database), extractor=extractor, env={})


def test_items_dated_year_0001_and_9999_are_stored_on_the_first_poll_and_raise_nothing_on_the_second(
        setup: tuple[FeedServer, Path, str], extractor: Any) -> None:
    server, config, database = setup
    server.set("/news", Response(rss([item("zero", "Mon, 01 Jan 0001 00:00:00 +0000", "Sumy"),
                                      item("far", "Fri, 31 Dec 9999 23:59:59 GMT", "Kharkiv"),
                                      item("real", "Mon, 16 Nov 2026 09:00:00 GMT", "Odesa")]), etag=False))
    pipeline = pipeline_for(config, database, extractor)
    try:
        first = pipeline.run_cycle(now=NOW, deliver=False)
        second = pipeline.run_cycle(now=NOW + dt.timedelta(hours=1), deliver=False)
    finally:
        pipeline.close()
    assert first.errors == {} and first.documents_new == 3 and first.documents_quarantined == 0
    assert {a.casualty.casualty.location for a in first.alerts} == {"Sumy", "Kharkiv", "Odesa"}
    assert stored(pipeline.store) == 3
    assert second.errors == {} and second.documents_new == 0 and second.alerts == []
    (row,) = cli_json(config, database, "status", "--json")
    assert (row["state"], row["consecutive_failures"], row["quarantined"]) == ("ok", 0, 0)


class FailingOn(Extractor):
    """The real extractor (its loaded pipeline shared), except that a batch holding a document titled with
    `marker` raises, as a bug deep in a spaCy component would."""

    def __init__(self, inner: Extractor, marker: str) -> None:
        self.__dict__.update(inner.load().__dict__)
        self._pool = None  # workers of its own, forked with the failing batch
        self.marker = marker

    def extract_batch(self, documents: list[Document]) -> list[DocumentFacts]:
        if any(self.marker in d.title for d in documents):
            raise RuntimeError(f"deliberate failure on {self.marker}")
        return super().extract_batch(documents)


def test_a_failing_document_is_quarantined_shown_in_status_and_the_rest_of_its_feed_is_processed(
        setup: tuple[FeedServer, Path, str], extractor: Any) -> None:
    server, config, database = setup
    items = [item(f"g{i}", "Mon, 16 Nov 2026 09:00:00 GMT", city) for i, city in enumerate(CITIES)]
    items.insert(2, item("bad", "Mon, 16 Nov 2026 09:00:00 GMT", "Lviv", title="BOOM in Lviv"))
    server.set("/news", Response(rss(items), etag=False))
    pipeline = pipeline_for(config, database, FailingOn(extractor, "BOOM"))
    try:
        first = pipeline.run_cycle(now=NOW, deliver=False)
        second = pipeline.run_cycle(now=NOW + dt.timedelta(hours=1), deliver=False)  # not retried by a poll
    finally:
        pipeline.close()
    assert first.errors == {} and first.documents_quarantined == 1
    assert {a.casualty.casualty.location for a in first.alerts} == set(CITIES)
    assert stored(pipeline.store) == len(CITIES)
    assert second.documents_new == 0 and second.documents_quarantined == 0

    (row,) = cli_json(config, database, "status", "--json")
    assert (row["state"], row["quarantined"]) == ("quarantined", 1)
    assert "RuntimeError: deliberate failure on BOOM" in row["quarantine_error"]
    table = CliRunner().invoke(cli, ["--config", str(config), "--database-url", database, "status"]).stdout
    assert "quarantined" in table.splitlines()[1] and "1 quarantined: RuntimeError" in table
    (held,) = cli_json(config, database, "quarantine", "list", "--json")
    assert (held["feed"], held["stage"], held["attempts"], held["title"]) == ("news", "extraction", 1, "BOOM in Lviv")
    assert "deliberate failure" in held["traceback"]

    # Fixed (here: the real extractor): a retry processes it, its alert is queued, the feed is ok again.
    out = CliRunner().invoke(cli, ["--config", str(config), "--database-url", database, "quarantine", "retry", "--all"])
    assert out.exit_code == 0, out.output
    assert "1 document(s) processed and out of quarantine, 0 still failing, 1 alert(s) queued" in out.stdout
    assert cli_json(config, database, "quarantine", "list", "--json") == []
    (row,) = cli_json(config, database, "status", "--json")
    assert (row["state"], row["quarantined"]) == ("ok", 0)


def test_a_dropped_document_no_longer_counts_against_its_feed(setup: tuple[FeedServer, Path, str],
                                                              extractor: Any) -> None:
    server, config, database = setup
    server.set("/news", Response(rss([item("bad", "Mon, 16 Nov 2026 09:00:00 GMT", "Lviv", title="BOOM")])))
    pipeline = pipeline_for(config, database, FailingOn(extractor, "BOOM"))
    try:
        pipeline.run_cycle(now=NOW, deliver=False)
    finally:
        pipeline.close()
    (held,) = cli_json(config, database, "quarantine", "list", "--json")
    out = CliRunner().invoke(cli, ["--config", str(config), "--database-url", database, "quarantine", "drop",
                                   str(held["id"])])
    assert "1 document(s) dropped" in out.stdout
    (row,) = cli_json(config, database, "status", "--json")
    assert (row["state"], row["quarantined"]) == ("ok", 0)
    assert [r["status"] for r in cli_json(config, database, "quarantine", "list", "--all", "--json")] == ["dropped"]


def test_a_document_whose_ingest_raises_is_quarantined_and_the_others_are_stored(
        tmp_path: Path, extractor: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Detection raising on one document (a fault injected for the test): it is quarantined at the ingest stage;
    the documents around it, one of them dated in year 9999 and handed in directly, are stored."""
    import bot.store.ingest
    from bot.config import load_config

    real = bot.store.ingest.detect

    def failing(facts, evidence, *args, **kwargs):  # type: ignore[no-untyped-def]
        if evidence.document_id == "edge":
            raise OverflowError("date value out of range")
        return real(facts, evidence, *args, **kwargs)

    monkeypatch.setattr(bot.store.ingest, "detect", failing)
    config = load_config(write_config(tmp_path / "config", []))
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    text = "A Russian missile strike on {} killed 7 people, regional officials said."  # dated by its publication
    documents = [Document(id="a", text=text.format("Sumy"), published=NOW),
                 Document(id="edge", text=text.format("Kharkiv"), published=NOW),
                 Document(id="far", text=text.format("Lviv"),
                          published=dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.timezone.utc)),
                 Document(id="b", text=text.format("Odesa"), published=NOW)]
    pipeline = Pipeline(config, store, extractor=extractor, env={})
    processed = pipeline.process(documents)
    assert [d.id for d in processed.quarantined] == ["edge"]
    assert {"Sumy", "Odesa"} <= {a.casualty.casualty.location for a in processed.alerts if a.casualty}
    from bot.store.quarantine import listed

    (held,) = listed(store)
    assert (held.key, held.stage) == ("edge", "ingest") and "OverflowError" in held.error
    store.close()


def test_a_feed_with_more_items_than_max_items_stores_the_newest_and_reports_the_rest(
        setup: tuple[FeedServer, Path, str], extractor: Any, tmp_path: Path) -> None:
    server, _config, database = setup
    config = write_config(tmp_path / "capped", [{"name": "news", "url": server.url("/news"), "first_poll": "silent"}],
                          settings={"max_items": 5})
    base = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    items = [f"<item><title>Headline {n}</title><guid>h{n}</guid><pubDate>"
             f"{(base + dt.timedelta(hours=n)).strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate></item>"
             for n in range(40)]
    server.set("/news", Response(rss(items)))
    pipeline = pipeline_for(config, database, extractor)
    try:
        report = pipeline.run_cycle(now=NOW, deliver=False)
    finally:
        pipeline.close()
    assert report.documents_new == 5
    with pipeline.store.session() as session:
        keys = set(session.scalars(select(DocumentRecord.key)))
    assert {k.rsplit("/", 1)[-1] for k in keys} == {f"h{n}" for n in range(35, 40)}
    (row,) = cli_json(config, database, "status", "--json")
    assert (row["state"], row["skipped_items"]) == ("ok", 35)
