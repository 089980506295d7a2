"""One cycle over a corpus of 100+ malformed or unusual feeds served on loopback, with good feeds among them.

What a user would notice: the cycle ends; every bad feed shows a clear reason (the cycle report and the
feed status table); every good feed's items are stored; nothing raises a traceback into the run.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from bot.pipeline import Pipeline
from bot.store import Store
from bot.store.feeds import feed_table
from bot.store.models import DocumentRecord
from tests.hardness.conftest import make_config
from tests.hardness.corpus import MAX_BODY, READ_TIMEOUT, build_corpus
from tests.hardness.servers import FeedServer, SilentHost

NOW = dt.datetime(2025, 4, 16, 12, 0, tzinfo=dt.timezone.utc)
SECOND = NOW + dt.timedelta(hours=1)
# An unexpected exception caught by a safety net is a bug, even though the run survived it.
UNEXPECTED = re.compile(r"^(unexpected error|processing failed)", re.I)


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory, extractor):
    cases = build_corpus()
    routes = {path: response for case in cases for path, response in case.routes.items()}
    folder = tmp_path_factory.mktemp("corpus")
    with FeedServer(routes) as server, SilentHost() as silent:
        feeds = [{"name": c.name, "url": server.url(c.path), "first_poll": "silent"} for c in cases]
        feeds.append({"name": "never-answers", "url": silent.url(), "first_poll": "silent"})
        config = make_config(folder / "config", feeds, settings={
            "max_body_bytes": MAX_BODY, "read_timeout": READ_TIMEOUT, "connect_timeout": 2,
            "per_host_concurrency": 8, "failure_threshold": 1},
            delivery={"per_channel_interval": 0})
        store = Store(f"sqlite:///{folder / 'bot.db'}")
        pipeline = Pipeline(config, store, extractor=extractor, env={})
        try:
            report = pipeline.run_cycle(now=NOW)
            second = pipeline.run_cycle(now=SECOND)
        finally:
            pipeline.close()
        with store.session() as session:
            stored = dict(session.execute(select(DocumentRecord.feed, func.count()).group_by(DocumentRecord.feed)).all())
        table = {row.name: row for row in feed_table(store)}
        store.close()
        yield cases, report, second, stored, table


def test_the_corpus_is_large_and_varied():
    cases = build_corpus()
    assert len([c for c in cases if not c.name.startswith("good-")]) >= 100


def test_every_feed_is_polled_and_the_cycle_ends(corpus_run):
    cases, report, _second, _stored, table = corpus_run
    assert report.feeds_polled == len(cases) + 1
    assert set(table) == {c.name for c in cases} | {"never-answers"}
    assert all(row.last_polled_at is not None for row in table.values())


def test_bad_feeds_are_recorded_with_a_clear_reason(corpus_run):
    cases, report, _second, _stored, table = corpus_run
    wrong = {}
    for case in cases:
        if case.expect != "error":
            continue
        reason = report.errors.get(case.name)
        if not reason or not re.search(case.reason, reason, re.I) or table[case.name].last_error != reason:
            wrong[case.name] = (case.reason, reason, table[case.name].last_error)
    assert not wrong, wrong


def test_no_feed_fails_by_an_unexpected_exception(corpus_run):
    _cases, report, _second, _stored, _table = corpus_run
    unexpected = {name: reason for name, reason in report.errors.items() if UNEXPECTED.search(reason)}
    assert not unexpected, unexpected


def test_reasons_are_one_readable_line(corpus_run):
    _cases, report, _second, _stored, _table = corpus_run
    for name, reason in report.errors.items():
        assert "\n" not in reason and "Traceback" not in reason and 0 < len(reason) <= 300, (name, reason)


def test_good_and_odd_feeds_are_processed(corpus_run):
    cases, report, _second, stored, _table = corpus_run
    wrong = {}
    for case in cases:
        if case.expect == "ok" and (case.name in report.errors or stored.get(case.name, 0) < case.min_docs):
            wrong[case.name] = (report.errors.get(case.name), stored.get(case.name, 0), case.min_docs)
    assert not wrong, wrong
    assert all(stored.get(f"good-{n:02d}") == 2 for n in range(10))


def test_salvageable_feeds_are_processed_or_explained(corpus_run):
    """Truncated or mis-encoded feeds: their readable items are stored, or the feed's error says why not."""
    cases, report, _second, _stored, table = corpus_run
    for case in cases:
        if case.expect == "any":
            row = table[case.name]
            assert (row.last_error is None) == (case.name not in report.errors), case.name


def test_a_host_that_never_answers_times_out(corpus_run):
    _cases, report, _second, _stored, _table = corpus_run
    assert "timed out" in report.errors["never-answers"]


def test_the_second_poll_processes_nothing_again(corpus_run):
    """Feeds processed in the first cycle bring no new item an hour later: unchanged ones answer 304."""
    cases, report, second, _stored, table = corpus_run
    processed_first = {c.name for c in cases} - set(report.errors)
    again = [name for name in processed_first if table[name].last_new_item_at == SECOND]
    assert not again
    good = [c.name for c in cases if c.name.startswith("good-")]
    assert second.feeds_not_modified >= len(good)
