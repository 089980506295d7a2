"""One cycle of the bot: poll due feeds, extract facts from new documents, detect, deliver.

Wires the stages; owns no rules of its own. `cli` and `scheduler` call it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Config, Feed
from bot.detect.alerts import Alert
from bot.errors import BotError
from bot.sources.document import Document, FeedFetch
from bot.sources.parse import read_path
from bot.store import Store

if TYPE_CHECKING:
    from bot.extract import Extractor
    from bot.sources.fetch import Fetcher

log = logging.getLogger(__name__)

FETCH_THREADS = 16
CLAIM_LEASE_SECONDS = 300.0  # a worker that dies frees its feeds after this


SEEDS_ENV = "DISCOURSE_BOT_SEEDS"
DEFAULT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"  # the seeds that come with discourse-bot


def seed_folders(config: Config) -> list[Path]:
    """Where seeds are looked for, in order: DISCOURSE_BOT_SEEDS alone when set; else seeds/ beside the config
    folder, then the seeds that come with discourse-bot."""
    if os.environ.get(SEEDS_ENV):
        return [Path(os.environ[SEEDS_ENV])]
    return list(dict.fromkeys([Path(config.source_dir).resolve().parent / "seeds", DEFAULT_SEEDS]))


def seeds_dir(config: Config) -> Path | None:
    """The first seeds folder that exists; a DISCOURSE_BOT_SEEDS naming none is an error, not a silent skip."""
    folders = seed_folders(config)
    found = next((f for f in folders if f.is_dir()), None)
    if found is None and os.environ.get(SEEDS_ENV):
        raise BotError(f"{SEEDS_ENV}={os.environ[SEEDS_ENV]}: no such folder")
    return found


def open_store(config: Config, database_url: str | None, extractor: "Extractor | None" = None) -> Store:
    """The migrated database; an empty one first takes the seeds' facts as its baseline, silently."""
    store = Store(database_url)
    seed_if_empty(store, config, extractor)
    return store


def seed_if_empty(store: Store, config: Config, extractor: "Extractor | None" = None) -> int:
    """Seed a database that has never processed a document; returns the seed documents loaded (0: not empty)."""
    return seed_baseline(store, config, extractor) if store.is_empty() else 0


def seed_documents(config: Config) -> list[Document]:
    """Every entry of every feed file (*.xml) in the seeds folder; says so when there is none to load."""
    folder = seeds_dir(config)
    files = sorted(folder.glob("*.xml")) if folder is not None else []
    if not files:
        where = f"no seed feed (*.xml) in {folder}" if folder else \
            f"no seeds folder (looked in {', '.join(map(str, seed_folders(config)))}; set {SEEDS_ENV})"
        log.warning("%s: the baseline starts empty", where, extra={"action": "seed_missing"})
    return [doc for file in files for doc in read_path(str(file))]


def seed_baseline(store: Store, config: Config, extractor: "Extractor | None" = None) -> int:
    """Load every feed file in seeds/ as the first baseline without alerting. Returns the documents loaded."""
    from bot.store.ingest import seed

    documents = seed_documents(config)
    if not documents:
        return 0
    extractor = extractor or make_extractor(config)
    seed(store, zip(documents, extractor.extract(documents)), config)
    log.info("baseline seeded", extra={"action": "seed", "documents": len(documents)})
    return len(documents)


def make_extractor(config: Config) -> "Extractor":
    from bot.extract import Extractor

    return Extractor(config)


@dataclass
class CycleReport:
    feeds_polled: int = 0
    feeds_failed: int = 0
    feeds_not_modified: int = 0
    documents_new: int = 0
    alerts: list[Alert] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    taken_as_known: dict[str, int] = field(default_factory=dict)  # a new feed's items that could not alert
    delivery: object | None = None

    def summary(self) -> str:
        return (f"{self.feeds_polled} feed(s) polled ({self.feeds_not_modified} unchanged, {self.feeds_failed} failed), "
                f"{self.documents_new} new document(s), {len(self.alerts)} alert(s)")


class Pipeline:
    """The stages for one process, built once and reused cycle after cycle."""

    def __init__(self, config: Config, store: Store, *, extractor: "Extractor | None" = None,
                 fetcher: "Fetcher | None" = None, worker_id: str | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.config = config
        self.store = store
        self._extractor = extractor
        self._fetcher = fetcher
        self.worker_id = worker_id or f"{os.uname().nodename}:{os.getpid()}"
        self.env = env if env is not None else dict(os.environ)
        self.stop = threading.Event()

    @property
    def extractor(self) -> "Extractor":
        if self._extractor is None:
            self._extractor = make_extractor(self.config)
        return self._extractor

    @property
    def fetcher(self) -> "Fetcher":
        if self._fetcher is None:
            from bot.sources.fetch import Fetcher

            self._fetcher = Fetcher(self.config.settings)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
        if self._extractor is not None:
            self._extractor.close()

    # -- polling -----------------------------------------------------------------------------------------

    def run_cycle(self, *, now: dt.datetime | None = None, feeds: Sequence[str] | None = None,
                  only_due: bool = True, deliver: bool = True) -> CycleReport:
        """Poll the feeds that are due (or the named ones), process what is new, then deliver pending alerts."""
        from bot.store.feeds import claim_due_feeds

        now = now or dt.datetime.now(dt.timezone.utc)
        enabled = [f for f in self.config.feeds if f.enabled and (feeds is None or f.name in feeds)]
        if only_due:
            claimed = set(claim_due_feeds(self.store, self.config, self.worker_id, now, CLAIM_LEASE_SECONDS, names=feeds))
            enabled = [f for f in enabled if f.name in claimed]
        report = CycleReport()
        for feed, fetched in self._fetch_all(enabled):
            if self.stop.is_set():
                break
            self._process_feed(feed, fetched, now, report)
        if deliver:
            report.delivery = self.deliver(now=now)
        return report

    def _fetch_all(self, feeds: list[Feed]) -> Iterable[tuple[Feed, FeedFetch]]:
        """Fetch in parallel threads (I/O bound), yield in config order so processing stays deterministic."""
        from bot.store.feeds import validators_of

        if not feeds:
            return
        validators = validators_of(self.store, [f.name for f in feeds])
        with ThreadPoolExecutor(max_workers=min(FETCH_THREADS, len(feeds))) as pool:
            futures = [(f, pool.submit(self.fetcher.fetch, f, *validators[f.name])) for f in feeds]
            for feed, future in futures:
                yield feed, future.result()

    def _process_feed(self, feed: Feed, fetched: FeedFetch, now: dt.datetime, report: CycleReport) -> None:
        from bot.store.feeds import is_first_poll, record_poll
        from bot.store.seen import unseen_documents

        report.feeds_polled += 1
        new_items = 0
        try:
            if fetched.error:
                report.feeds_failed += 1
                report.errors[feed.name] = fetched.error
                log.warning("feed failed: %s: %s", feed.name, fetched.error, extra={"action": "fetch_failed", "feed": feed.name})
            elif fetched.not_modified:
                report.feeds_not_modified += 1
            else:
                fresh = unseen_documents(self.store, fetched.documents)
                alerting = self._alerting_for(feed, fresh, first_poll=is_first_poll(self.store, feed.name))
                silenced = sum(1 for d in fresh if not alerting(d))
                if silenced:
                    report.taken_as_known[feed.name] = silenced
                    log.info("first poll of %s: %d item(s) taken as known, without alerts", feed.name, silenced,
                             extra={"action": "first_poll", "feed": feed.name, "items": silenced})
                new_items = len(fresh)
                report.documents_new += new_items
                report.alerts.extend(self.process(fresh, alerting=alerting))
        except Exception as exc:  # one failing feed never stops the others
            log.exception("feed processing failed: %s", feed.name, extra={"action": "process_failed", "feed": feed.name})
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            fetched = FeedFetch(feed=feed.name, error=f"processing failed: {reason}")
            report.feeds_failed += 1
            report.errors[feed.name] = fetched.error or ""
        record_poll(self.store, feed, fetched, now, new_items, failure_threshold=self.config.settings.failure_threshold)

    def _alerting_for(self, feed: Feed, documents: list[Document], *, first_poll: bool) -> Callable[[Document], bool]:
        """Whether a document may alert: a new feed's back catalogue is silent, or only its latest N alert."""
        policy = feed.first_poll or self.config.detection.first_poll
        if not first_poll or policy == "alert":
            return lambda _doc: True
        if policy == "silent":
            return lambda _doc: False
        count = int(policy.split()[1])
        newest = sorted(documents, key=lambda d: d.published or dt.datetime.min.replace(tzinfo=dt.timezone.utc), reverse=True)
        latest = {d.id for d in newest[:count]}
        return lambda doc: doc.id in latest

    # -- processing --------------------------------------------------------------------------------------

    def process(self, documents: Sequence[Document], *, alerting: Callable[[Document], bool] = lambda _d: True,
                force: bool = False) -> list[Alert]:
        """Extract and ingest documents one by one; a stop request finishes the document in hand."""
        from bot.store.ingest import ingest

        alerts: list[Alert] = []
        for document, facts in zip(documents, self.extractor.extract(documents)):
            try:
                alerts.extend(ingest(self.store, document, facts, self.config, alerting=alerting(document), force=force))
            except Exception:  # one bad document never stops the others; it stays unseen and is retried
                log.exception("document failed: %s", document.id, extra={"action": "ingest_failed", "document": document.id})
            if self.stop.is_set():
                break
        return alerts

    def replay(self, documents: Sequence[Document], *, apply: bool = False) -> list[Alert]:
        """Evaluate documents in order against the baseline, even if seen before; repeats still raise nothing.

        With `apply` the documents are stored, the baseline moves and the alerts wait in the outbox. Without it
        (a dry run) the whole replay runs in one transaction that is rolled back: each document sees what the
        ones before it changed, and the database is left as it was (an empty one is seeded inside it)."""
        if apply:
            return self.process(documents, force=True)
        from bot.store.ingest import ingest_in, seed_in

        alerts: list[Alert] = []
        with self.store.rolled_back() as session:
            if self.store.is_empty_in(session):
                seeds = seed_documents(self.config)
                seed_in(session, zip(seeds, self.extractor.extract(seeds)), self.config)
            for document, facts in zip(documents, self.extractor.extract(documents)):
                try:
                    with session.begin_nested():   # one failing document does not spoil the others
                        found = ingest_in(session, document, facts, self.config, force=True)
                except Exception:
                    log.exception("document failed: %s", document.id,
                                  extra={"action": "replay_failed", "document": document.id})
                    continue
                alerts.extend(replace(a, id=None) for a in found)   # ids of rows that will not exist
        return alerts

    def deliver(self, *, now: dt.datetime | None = None) -> object:
        from bot.notify import deliver_pending

        return deliver_pending(self.store, self.config, env=self.env, now=now, worker_id=self.worker_id)


def read_documents(paths: Iterable[str], input_format: str = "auto") -> list[Document]:
    return [doc for path in paths for doc in read_path(path, input_format)]

