"""One cycle of the bot: poll due feeds, extract facts from new documents, detect, deliver.

Wires the stages; owns no rules of its own. `cli` and `scheduler` call it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Config, Feed
from bot.detect.alerts import Alert
from bot.errors import BotError, ModelError
from bot.sources.document import Document, FeedFetch
from bot.sources.parse import read_path
from bot.store import Store
from bot.store.models import QuarantineStage

if TYPE_CHECKING:
    from bot.extract import Extracted, Extractor
    from bot.sources.fetch import Fetcher

log = logging.getLogger(__name__)

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
    documents_quarantined: int = 0
    alerts: list[Alert] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    taken_as_known: dict[str, int] = field(default_factory=dict)  # a new feed's items that could not alert
    delivery: object | None = None

    def summary(self) -> str:
        quarantined = f", {self.documents_quarantined} quarantined" if self.documents_quarantined else ""
        return (f"{self.feeds_polled} feed(s) polled ({self.feeds_not_modified} unchanged, {self.feeds_failed} failed), "
                f"{self.documents_new} new document(s){quarantined}, {len(self.alerts)} alert(s)")

    def add(self, other: "CycleReport") -> None:
        """Count another report's feeds, documents and alerts into this one."""
        self.feeds_polled += other.feeds_polled
        self.feeds_failed += other.feeds_failed
        self.feeds_not_modified += other.feeds_not_modified
        self.documents_new += other.documents_new
        self.documents_quarantined += other.documents_quarantined
        self.alerts.extend(other.alerts)
        self.errors.update(other.errors)
        self.taken_as_known.update(other.taken_as_known)


@dataclass(frozen=True)
class FeedPoll:
    """One fetched feed on its way to processing; `now` is the time its poll counts from."""

    feed: Feed
    fetched: FeedFetch
    now: dt.datetime


@dataclass
class Processed:
    """What processing a list of documents did: the alerts written (and per document), the documents
    quarantined, and every document dealt with (stored, quarantined, or left unseen for a busy database)."""

    alerts: list[Alert] = field(default_factory=list)
    quarantined: list[Document] = field(default_factory=list)
    handled: set[str] = field(default_factory=set)
    alerts_of: dict[str, list[Alert]] = field(default_factory=dict)


@dataclass
class _FeedWork:
    """One feed of a batch of polls: what is new in it, whether each may alert, and its report."""

    poll: FeedPoll
    report: CycleReport
    fresh: list[Document] = field(default_factory=list)
    changed: list[Document] = field(default_factory=list)
    alerting: Callable[[Document], bool] = lambda _doc: True
    failed: bool = False


@dataclass(frozen=True)
class _WaveLookup:
    """What the store knew of a wave's documents and feeds when the wave began: the stored keys and content
    hashes, the versions held in quarantine (by key hash), the feeds never polled successfully. Documents
    the wave itself records are its `taken` ones, so these stay true for it."""

    stored: tuple[set[str], set[str]]
    held: dict[str, str]
    first_polls: set[str]


INGEST_CHUNK = 50  # documents recorded per transaction: few commits, short write locks


class Pipeline:
    """The stages for one process, built once and reused cycle after cycle."""

    def __init__(self, config: Config, store: Store, *, extractor: "Extractor | None" = None,
                 fetcher: "Fetcher | None" = None, worker_id: str | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.config = config
        self.store = store
        self._extractor = extractor
        self._fetcher = fetcher
        self._fetcher_lock = threading.Lock()
        self.worker_id = worker_id or f"{os.uname().nodename}:{os.getpid()}"
        self.env = env if env is not None else dict(os.environ)
        self.stop = threading.Event()

    @property
    def extractor(self) -> "Extractor":
        """Made on first use; its model loads only when a document needs it."""
        if self._extractor is None:
            self._extractor = make_extractor(self.config)
        return self._extractor

    @property
    def fetcher(self) -> "Fetcher":
        """Built on first use, once, whichever of the fetch threads asks first."""
        with self._fetcher_lock:
            if self._fetcher is None:
                from bot.sources.fetch import Fetcher

                self._fetcher = Fetcher(self.config.settings)
            return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
        if self._extractor is not None:
            self._extractor.close()

    def check_delivery(self) -> str | None:
        """Say once, at start, what the Slack connection cannot do for crash recovery (see notify)."""
        from bot.notify import check_recovery

        try:
            return check_recovery(self.env, self.config)
        except Exception:  # a check, never a reason not to start
            log.exception("could not check the Slack connection", extra={"action": "notify.scopes"})
            return None

    # -- polling -----------------------------------------------------------------------------------------

    def run_cycle(self, *, now: dt.datetime | None = None, feeds: Sequence[str] | None = None,
                  only_due: bool = True, deliver: bool = True) -> CycleReport:
        """Poll the feeds that are due (or the named ones), process what is new, then deliver pending alerts.

        The new documents of the feeds fetched so far are extracted as one stream (batches across feeds, on
        every core) while the remaining feeds are still being fetched; a feed slow to answer holds up only
        the feeds after it."""
        now = now or dt.datetime.now(dt.timezone.utc)
        enabled = [f for f in self.config.feeds if f.enabled and (feeds is None or f.name in feeds)]
        if only_due:
            claimed = {f.name for f in self.claim([f.name for f in enabled], now)}
            enabled = [f for f in enabled if f.name in claimed]
        report = CycleReport()
        polls = (FeedPoll(feed, fetched, now) if fetched is not None else None
                 for feed, fetched in self._fetch_all(enabled))
        for _poll, one in self.finish_polls(polls):
            report.add(one)
        if deliver:
            report.delivery = self.deliver(now=now)
        return report

    def claim(self, names: Sequence[str], now: dt.datetime) -> list[Feed]:
        """Lease the due feeds among `names` to this worker (see store.feeds); the Feeds now ours to poll."""
        from bot.store.feeds import claim_due_feeds

        if not names:
            return []
        claimed = set(claim_due_feeds(self.store, self.config, self.worker_id, now, CLAIM_LEASE_SECONDS, names=names))
        return [f for f in self.config.feeds if f.name in claimed]

    def fetch(self, feed: Feed, validators: tuple[str | None, str | None] | None = None) -> FeedFetch:
        """One feed fetched with its conditional-GET validators; never raises (errors are in the result)."""
        from bot.store.feeds import feed_validators

        etag, last_modified = validators if validators is not None else feed_validators(self.store, feed.name)
        return self.fetcher.fetch(feed, etag, last_modified)

    def _fetch_all(self, feeds: list[Feed]) -> Iterator[tuple[Feed, FeedFetch | None]]:
        """Fetch in parallel threads (I/O bound, at most settings.fetch_concurrency at once), yield in config
        order so processing stays deterministic; each fetch keeps to settings.fetch_deadline. Before waiting
        for a fetch that has not ended, yields (feed, None): what came before may be processed meanwhile."""
        from bot.store.feeds import validators_of

        if not feeds:
            return
        validators = validators_of(self.store, [f.name for f in feeds])
        with ThreadPoolExecutor(max_workers=min(self.config.settings.fetch_concurrency, len(feeds)),
                                thread_name_prefix="fetch") as pool:
            futures = [(f, pool.submit(self.fetch, f, validators[f.name])) for f in feeds]
            try:
                for feed, future in futures:
                    if self.stop.is_set():
                        return
                    if not future.done():
                        yield feed, None
                    yield feed, future.result()
            finally:
                for _feed, future in futures:
                    future.cancel()

    def finish_poll(self, feed: Feed, fetched: FeedFetch, now: dt.datetime) -> CycleReport:
        """The second half of one feed's poll, after `fetch`: process what is new, record the poll."""
        [(_poll, report)] = self.finish_polls([FeedPoll(feed, fetched, now)])
        return report

    def finish_polls(self, polls: Iterable[FeedPoll | None]) -> list[tuple[FeedPoll, CycleReport]]:
        """The second half of many feeds' polls: their new documents processed as one stream, in feed order
        then document order, then the polls recorded in one transaction. Returns each feed's report.

        A None among the polls means the next one is not there yet: the polls before it are processed (and
        recorded) meanwhile, as one wave. A document that raises is quarantined and the others go on; a feed
        whose preparation fails is recorded as failed and the others go on; documents still in quarantine
        with unchanged content are skipped. A feed whose documents were not all dealt with (a stop request, a
        busy database) is not recorded, so its next poll fetches it whole again. A pipeline that cannot be
        built (ModelError) stops them all."""
        done: list[tuple[FeedPoll, CycleReport]] = []
        wave: list[FeedPoll] = []
        for poll in polls:
            if poll is not None:
                wave.append(poll)
            elif wave:
                done += self._finish_wave(wave)
                wave = []
            if self.stop.is_set():
                break
        if wave:
            done += self._finish_wave(wave)
        return done

    def _finish_wave(self, polls: list[FeedPoll]) -> list[tuple[FeedPoll, CycleReport]]:
        works: list[_FeedWork] = []
        owner: dict[str, _FeedWork] = {}
        taken: tuple[set[str], set[str]] = (set(), set())   # keys and content hashes already in this wave

        def documents() -> Iterator[Document]:
            lookup = self._look_up(polls)
            for poll in polls:
                work = self._prepare(poll, taken, lookup)
                works.append(work)
                for document in work.fresh:
                    owner[document.id] = work
                    yield document
                if self.stop.is_set():
                    return

        processed = Processed()
        try:
            self.process(documents(), alerting=lambda doc: owner[doc.id].alerting(doc), done=processed)
        except ModelError:
            raise
        except Exception as exc:  # the batch's machinery failed (not one document): its feeds say so
            log.exception("processing failed", extra={"action": "process_failed"})
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            for work in works:
                if not all(d.id in processed.handled for d in work.fresh):
                    self._fail_work(work, f"processing failed: {reason}")
        finally:
            self._record(works, processed)
        return [(work.poll, work.report) for work in works]

    def _look_up(self, polls: Sequence[FeedPoll]) -> _WaveLookup | None:
        """What the store knows of a wave's documents and feeds, read for all of them at once; None (each
        feed then looks up its own) when the database fails here."""
        from bot.store import quarantine
        from bot.store.feeds import first_polls
        from bot.store.seen import stored

        documents = [d for poll in polls if not (poll.fetched.error or poll.fetched.not_modified)
                     for d in poll.fetched.documents]
        if not documents:
            return None
        try:
            return _WaveLookup(stored(self.store, documents), quarantine.held_versions(self.store, documents),
                               first_polls(self.store, [poll.feed.name for poll in polls]))
        except Exception:
            log.exception("looking up a wave of feeds failed; looking up feed by feed",
                          extra={"action": "process_failed"})
            return None

    def _prepare(self, poll: FeedPoll, taken: tuple[set[str], set[str]], lookup: _WaveLookup | None = None) -> _FeedWork:
        """What one fetched feed brings that is new (not stored, not held in quarantine unchanged, not taken
        by an earlier feed of this batch), and whether each item may alert; from `lookup` when the wave's
        feeds were looked up together. Never raises."""
        from bot.store import quarantine
        from bot.store.feeds import is_first_poll
        from bot.store.seen import unseen_among, unseen_documents

        feed, fetched = poll.feed, poll.fetched
        work = _FeedWork(poll, CycleReport(feeds_polled=1))
        if fetched.error:
            work.report.feeds_failed += 1
            work.report.errors[feed.name] = fetched.error
            log.warning("feed failed: %s: %s", feed.name, fetched.error, extra={"action": "fetch_failed", "feed": feed.name})
            return work
        if fetched.not_modified:
            work.report.feeds_not_modified += 1
            return work
        try:
            keys, hashes = taken
            new = unseen_among(fetched.documents, lookup.stored) if lookup else \
                unseen_documents(self.store, fetched.documents)
            unseen = [d for d in new if d.id not in keys and d.content_hash not in hashes]
            fresh, changed, _held = quarantine.split(unseen, lookup.held) if lookup else \
                quarantine.partition(self.store, unseen)
            keys.update(d.id for d in fresh)
            hashes.update(d.content_hash for d in fresh)
            first_poll = feed.name in lookup.first_polls if lookup else is_first_poll(self.store, feed.name)
            alerting = self._alerting_for(feed, fresh, first_poll=first_poll)
        except Exception as exc:  # one failing feed never stops the others
            log.exception("feed processing failed: %s", feed.name, extra={"action": "process_failed", "feed": feed.name})
            self._fail_work(work, "processing failed: " + " ".join(f"{type(exc).__name__}: {exc}".split())[:200])
            return work
        work.fresh, work.changed, work.alerting = fresh, changed, alerting
        silenced = sum(1 for d in fresh if not alerting(d))
        if silenced:
            work.report.taken_as_known[feed.name] = silenced
            log.info("first poll of %s: %d item(s) taken as known, without alerts", feed.name, silenced,
                     extra={"action": "first_poll", "feed": feed.name, "items": silenced})
        work.report.documents_new = len(fresh)
        return work

    @staticmethod
    def _fail_work(work: _FeedWork, error: str) -> None:
        work.failed = True
        work.poll = replace(work.poll, fetched=FeedFetch(feed=work.poll.feed.name, error=error))
        work.report.feeds_failed += 1
        work.report.errors[work.poll.feed.name] = error

    def _record(self, works: list[_FeedWork], processed: Processed) -> None:
        """Record the polls whose documents were all dealt with, in one transaction; end the quarantine of
        the new versions that went through."""
        from bot.store import quarantine
        from bot.store.feeds import PollRecord, record_polls

        records, released = [], []
        held = {d.id for d in processed.quarantined}
        for work in works:
            if not work.failed and not all(d.id in processed.handled for d in work.fresh):
                continue  # cut short by a stop request: fetched whole again next time
            quarantined = [d for d in work.fresh if d.id in held]
            work.report.documents_quarantined = len(quarantined)
            work.report.alerts = [a for d in work.fresh for a in processed.alerts_of.get(d.id, [])]
            released += [d.id for d in work.changed if d.id in processed.handled]
            records.append(PollRecord(work.poll.feed, work.poll.fetched, work.poll.now,
                                      0 if work.failed else len(work.fresh), len(quarantined)))
        if released:
            quarantine.release_processed(self.store, released)
        record_polls(self.store, records, failure_threshold=self.config.settings.failure_threshold)

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

    def process(self, documents: Iterable[Document], *, alerting: Callable[[Document], bool] = lambda _d: True,
                force: bool = False, done: Processed | None = None) -> Processed:
        """Extract and ingest documents in order; a stop request finishes the documents in hand.

        Extraction runs in batches (see Extractor); the results are recorded INGEST_CHUNK documents per
        transaction, each document in a savepoint of its own. A document whose extraction or ingest raises is
        put in quarantine with its error (see store.quarantine; a replay, `force`, only logs it) and the
        others go on; a database that is briefly unavailable is not the document's fault: the chunk is
        recorded again one document at a time, and a document that still cannot be recorded stays unseen
        for the next poll to try again.
        """
        done = done if done is not None else Processed()
        chunk: list[Extracted] = []
        for outcome in self.extractor.extract_each(documents):
            chunk.append(outcome)
            if len(chunk) >= INGEST_CHUNK:
                self._ingest_chunk(chunk, alerting, force, done)
                chunk = []
            if self.stop.is_set():
                break
        if chunk:
            self._ingest_chunk(chunk, alerting, force, done)
        return done

    def _ingest_chunk(self, chunk: list["Extracted"], alerting: Callable[[Document], bool], force: bool,
                      done: Processed) -> None:
        """Record a chunk of extracted documents in one transaction; failures are dealt with after it."""
        from sqlalchemy.exc import IntegrityError, OperationalError

        from bot.store.documents import record_seen
        from bot.store.ingest import ingest_in, prepare_chunk

        failures: list[tuple[Document, QuarantineStage, Exception]] = []
        written: list[tuple[Document, list[Alert]]] = []
        factless = [o.document for o in chunk if o.facts is not None and not (o.facts.positions or o.facts.casualties)]
        try:
            with self.store.session() as session:
                record_seen(session, factless)  # nothing to detect: recorded as seen, all at once
                written += [(document, []) for document in factless]
                prepare_chunk(session, [(o.document, o.facts) for o in chunk if o.facts is not None and
                                        (o.facts.positions or o.facts.casualties)], self.config)
                for outcome in chunk:
                    document = outcome.document
                    if outcome.facts is None:
                        failures.append((document, QuarantineStage.EXTRACTION, outcome.error or RuntimeError("no facts")))
                        continue
                    if not (outcome.facts.positions or outcome.facts.casualties):
                        continue
                    try:
                        with session.begin_nested():   # one failing document does not spoil the others
                            found = ingest_in(session, document, outcome.facts, self.config,
                                              alerting=alerting(document), force=force)
                    except (OperationalError, IntegrityError):
                        raise    # the database, not the document: the whole chunk again, one at a time
                    except Exception as exc:
                        failures.append((document, QuarantineStage.INGEST, exc))
                        continue
                    written.append((document, found))
        except (OperationalError, IntegrityError) as exc:
            log.warning("recording %d document(s) together failed (%s); recording them one at a time", len(chunk),
                        exc.__class__.__name__, extra={"action": "ingest_retry"})
            for outcome in chunk:
                self._ingest_one(outcome, alerting, force, done)
            return
        for document, found in written:
            self._done(done, document, found)
        for document, stage, error in failures:
            self._failed(done, document, stage, error, alerting(document), force)

    def _ingest_one(self, outcome: "Extracted", alerting: Callable[[Document], bool], force: bool,
                    done: Processed) -> None:
        """Record one document in its own transaction (with the store's retries)."""
        from bot.store.ingest import ingest

        document = outcome.document
        if outcome.facts is None:
            self._failed(done, document, QuarantineStage.EXTRACTION, outcome.error or RuntimeError("no facts"), alerting(document),
                         force)
            return
        try:
            found = ingest(self.store, document, outcome.facts, self.config, alerting=alerting(document), force=force)
        except Exception as exc:
            self._failed(done, document, QuarantineStage.INGEST, exc, alerting(document), force)
            return
        self._done(done, document, found)

    @staticmethod
    def _done(done: Processed, document: Document, alerts: list[Alert]) -> None:
        done.handled.add(document.id)
        done.alerts.extend(alerts)
        done.alerts_of[document.id] = alerts

    def _failed(self, done: Processed, document: Document, stage: QuarantineStage, failure: Exception, alerting: bool,
                force: bool) -> None:
        from bot.store import quarantine

        if _is_transient(failure):  # not dealt with: its feed is not recorded, so the next poll brings it again
            log.warning("document %s not processed, the database is unavailable: %s", document.id,
                        quarantine.describe(failure), extra={"action": "ingest_failed", "document": document.id})
            return
        done.handled.add(document.id)
        if force:  # a replay: the person running it sees the error; nothing is kept aside
            log.error("document %s failed (%s): %s", document.id, stage, quarantine.describe(failure),
                      exc_info=failure, extra={"action": "replay_failed", "document": document.id})
        else:
            self._quarantine(document, stage, failure, alerting)
            done.quarantined.append(document)

    def _quarantine(self, document: Document, stage: QuarantineStage, error: Exception, alerting: bool) -> None:
        from bot.store import quarantine

        log.error("document %s of feed %s quarantined (%s failed): %s", document.id, document.feed or "-", stage,
                  quarantine.describe(error), exc_info=error,
                  extra={"action": "quarantined", "feed": document.feed, "document": document.id, "stage": stage})
        try:
            quarantine.put(self.store, document, stage=stage, error=error, alerting=alerting)
        except Exception:  # the database itself is failing: the document stays unseen and comes back next poll
            log.exception("could not quarantine document %s", document.id, extra={"action": "quarantine_failed"})

    def retry_quarantined(self, ids: Sequence[int] | None = None) -> tuple[Processed, int]:
        """Process held quarantined documents again (those with these ids, or all held ones); returns what
        processing did and how many left quarantine. One that fails again stays, its error updated."""
        from bot.store import quarantine

        rows = quarantine.listed(self.store, ids=ids)
        documents = [row.document for row in rows]
        alerting = {row.document.id: row.alerting for row in rows}
        processed = self.process(documents, alerting=lambda doc: alerting.get(doc.id, True))
        released = quarantine.release_processed(self.store, [d.id for d in documents])
        return processed, released

    def replay(self, documents: Sequence[Document], *, apply: bool = False) -> list[Alert]:
        """Evaluate documents in order against the baseline, even if seen before; repeats still raise nothing.

        With `apply` the documents are stored, the baseline moves and the alerts wait in the outbox. Without it
        (a dry run) the whole replay runs in one transaction that is rolled back: each document sees what the
        ones before it changed, and the database is left as it was (an empty one is seeded inside it)."""
        if apply:
            return self.process(documents, force=True).alerts
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


def _is_transient(exc: BaseException) -> bool:
    """The database was busy or gone (not the document's fault): a lock, a deadlock, a lost connection."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, (OperationalError, InterfaceError)):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def read_documents(paths: Iterable[str], input_format: str = "auto") -> list[Document]:
    return [doc for path in paths for doc in read_path(path, input_format)]

