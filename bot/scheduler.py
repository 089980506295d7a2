"""The long-running worker: one APScheduler job per feed at its interval (with jitter), plus delivery.

Several workers may share one database: every worker schedules every feed, and the database decides who
polls (`claim_due_feeds`). A job that finds its feed not due (polled by another worker) moves its next run
to the feed's due time, so the workers' clocks follow the database instead of drifting apart.

A feed job only claims its feed and hands the fetch to a pool of its own (`settings.fetch_concurrency`
threads), so a feed that hangs (each fetch ends by `settings.fetch_deadline`) holds a fetch thread, never
one of the scheduler's job slots: the other feeds keep their intervals. What the fetches bring is processed
on one processing thread, every fetch that has ended by then together, so the new documents of many feeds
are extracted in batches across feeds (on every core, see Extractor); new alerts wake the delivery job at
once.

SIGTERM / SIGINT: no new job starts, the document in hand is finished, claims are released, and the
process exits within STOP_GRACE seconds.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import random
import signal
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor as Pool
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import Feed
from bot.observability import HealthServer, Metrics, PostRoute, health_port_from_env
from bot.pipeline import CycleReport, FeedPoll, Pipeline
from bot.sources.document import FeedFetch
from bot.store.feeds import next_due, release_claims, validators_of

log = logging.getLogger(__name__)

STOP_GRACE = 8.0          # seconds to let running jobs finish after a stop signal (exit well within 10 s)
# seconds between delivery runs (retries, digests, alerts written by other workers)
DELIVERY_INTERVAL = float(os.environ.get("DISCOURSE_BOT_DELIVERY_INTERVAL") or 15.0)
FEED_THREADS = 4          # scheduler job slots: claiming feeds and delivering (fetches have their own pool)
HEARTBEAT = 5.0


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Worker:
    """A scheduler bound to a pipeline; `start()`, then `stop()` from a signal or another thread."""

    def __init__(self, pipeline: Pipeline, *, metrics: Metrics | None = None,
                 delivery_interval: float = DELIVERY_INTERVAL, threads: int = FEED_THREADS) -> None:
        self.pipeline = pipeline
        self.metrics = metrics or Metrics()
        self.stopping = threading.Event()
        self.scheduler = BackgroundScheduler(
            timezone=dt.timezone.utc,
            executors={"default": ThreadPoolExecutor(max_workers=threads)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self.fetches = Pool(max_workers=pipeline.config.settings.fetch_concurrency, thread_name_prefix="fetch")
        self.processing = Pool(max_workers=1, thread_name_prefix="process")  # the one thread that extracts
        self._fetched_queue: queue.SimpleQueue[tuple[Feed, Future[FeedFetch], dt.datetime, float]] = queue.SimpleQueue()
        self._running = 0
        self._running_lock = threading.Lock()
        now = _utcnow()
        for feed in pipeline.config.feeds:
            if not feed.enabled:
                continue
            first = now + dt.timedelta(seconds=random.uniform(0, min(feed.jitter, 5.0)))
            self.scheduler.add_job(self.poll_feed, IntervalTrigger(seconds=feed.interval, jitter=feed.jitter or None),
                                   args=[feed.name], id=f"feed:{feed.name}", name=f"poll {feed.name}",
                                   next_run_time=first)
        self.scheduler.add_job(self.deliver, IntervalTrigger(seconds=delivery_interval), id="deliver",
                               name="deliver alerts", next_run_time=now + dt.timedelta(seconds=delivery_interval))

    # -- jobs ------------------------------------------------------------------------------------------

    def poll_feed(self, name: str) -> None:
        """Claim one feed if it is ours to poll and start its fetch; otherwise wait for its due time."""
        if self.stopping.is_set():
            return
        try:
            now = _utcnow()
            claimed = self.pipeline.claim([name], now)
            if not claimed:
                self._follow_due_time(name)
                return
            feed = claimed[0]
            validators = validators_of(self.pipeline.store, [feed.name])[feed.name]
            with self._running_lock:
                self._running += 1
            started = time.monotonic()
            try:
                future = self.fetches.submit(self.pipeline.fetch, feed, validators)
            except RuntimeError:  # the pool shut down: we are stopping, the claim is released on the way out
                self._done()
                return
            future.add_done_callback(lambda done: self._fetched(feed, done, now, started))
        except Exception:  # a failing feed job must never kill the scheduler
            log.exception("poll of %s failed", name, extra={"action": "poll_failed", "feed": name})

    def _fetched(self, feed: Feed, future: Future[FeedFetch], now: dt.datetime, started: float) -> None:
        """A fetch ended (in a fetch thread): queue it for the processing thread."""
        if future.cancelled() or self.stopping.is_set():
            self._done()
            return
        self._fetched_queue.put((feed, future, now, started))
        try:
            queued = self.processing.submit(self._process_fetched)
        except RuntimeError:  # shutting down: what is queued is dropped, its claims released on the way out
            self._drop_queued()
            return
        queued.add_done_callback(lambda done: self._drop_queued() if done.cancelled() else None)

    def _process_fetched(self) -> None:
        """Process every fetch that has ended by now, together (on the processing thread): the new documents
        of feeds that arrive at once are extracted as one stream, in batches across feeds."""
        taken = []
        while True:
            try:
                taken.append(self._fetched_queue.get_nowait())
            except queue.Empty:
                break
        if not taken:
            return  # an earlier run took them
        started = {feed.name: begun for feed, _future, _now, begun in taken}
        try:
            # the interval runs from the request, not the claim: a fetch may wait for a slot to its host
            polls = [FeedPoll(feed, fetched, max(now, fetched.fetched_at or now))
                     for feed, future, now, _begun in taken for fetched in [future.result()]]
            reports = self.pipeline.finish_polls(polls)
            for poll, report in reports:
                self._observe(poll.feed.name, report, started[poll.feed.name])
            if any(report.alerts for _poll, report in reports):
                self._wake_delivery()
        except Exception:
            log.exception("poll of %s failed", ", ".join(started), extra={"action": "poll_failed"})
        finally:
            for _ in taken:
                self._done()

    def _drop_queued(self) -> None:
        """Fetches queued when processing stopped: never processed, their claims released at stop."""
        while True:
            try:
                self._fetched_queue.get_nowait()
            except queue.Empty:
                return
            self._done()

    def _observe(self, name: str, report: CycleReport, started: float) -> None:
        outcome = "error" if report.feeds_failed else "not_modified" if report.feeds_not_modified else "ok"
        self.metrics.polls.labels(name, outcome).inc()
        self.metrics.new_documents.labels(name).inc(report.documents_new)
        self.metrics.alerts.inc(len(report.alerts))
        self.metrics.poll_seconds.observe(time.monotonic() - started)
        log.debug("job %s: %s", name, report.summary(),
                  extra={"action": "poll", "feed": name, "outcome": outcome, "new_documents": report.documents_new,
                         "alerts": len(report.alerts), "error": report.errors.get(name),
                         "seconds": round(time.monotonic() - started, 3)})

    def _done(self) -> None:
        with self._running_lock:
            self._running -= 1

    def _wake_delivery(self) -> None:
        """New alerts are in the outbox: deliver now rather than at the next delivery interval."""
        job = self.scheduler.get_job("deliver")
        if job is not None and not self.stopping.is_set():
            try:
                job.modify(next_run_time=_utcnow())
            except Exception:  # the scheduler is stopping: the alerts wait for the next worker
                log.debug("could not wake delivery", exc_info=True, extra={"action": "deliver"})

    def _follow_due_time(self, name: str) -> None:
        due = next_due(self.pipeline.store, name)
        now = _utcnow()
        feed = self.pipeline.config.feed(name)
        interval = dt.timedelta(seconds=feed.interval if feed else 60.0)
        spread = min(1.0, feed.jitter if feed else 1.0)  # workers waiting for one feed do not all wake at once
        # never later than one interval: a claim held by a worker that died is looked at again soon after it expires
        when = min(max(due or now, now + dt.timedelta(seconds=0.5)), now + interval)
        when += dt.timedelta(seconds=random.uniform(0, spread))
        job = self.scheduler.get_job(f"feed:{name}")
        if job is not None and not self.stopping.is_set():
            job.modify(next_run_time=when)
        log.debug("feed %s not due here; next look at %s", name, when.isoformat(), extra={"action": "not_due", "feed": name})

    def deliver(self) -> None:
        if self.stopping.is_set():
            return
        try:
            result = self.pipeline.deliver()
            log.debug("delivery: %s", result, extra={"action": "deliver"})
        except Exception:
            log.exception("delivery failed", extra={"action": "deliver_failed"})

    # -- life cycle ------------------------------------------------------------------------------------

    def start(self) -> None:
        self.scheduler.start()
        self.metrics.beat()
        log.info("worker %s started: %d feed job(s)", self.pipeline.worker_id, len(self.scheduler.get_jobs()) - 1,
                 extra={"action": "start", "worker": self.pipeline.worker_id})

    def stop(self, grace: float = STOP_GRACE) -> bool:
        """Stop taking jobs, let the documents in hand finish, release claims. True when everything finished."""
        self.stopping.set()
        self.pipeline.stop.set()
        self.scheduler.shutdown(wait=False)
        self.fetches.shutdown(wait=False, cancel_futures=True)
        self.processing.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + grace
        while self._running and time.monotonic() < deadline:
            time.sleep(0.05)
        finished = self._running == 0
        try:
            released = release_claims(self.pipeline.store, self.pipeline.worker_id)
        except Exception:
            released = -1
            log.exception("could not release claims", extra={"action": "stop"})
        log.info("worker %s stopped (%s; %d claim(s) released)", self.pipeline.worker_id,
                 "clean" if finished else "jobs still running", released,
                 extra={"action": "stop", "worker": self.pipeline.worker_id, "clean": finished})
        return finished


def run_forever(pipeline: Pipeline, *, stop: threading.Event | None = None, install_signals: bool = True,
                routes: Mapping[str, PostRoute] | None = None) -> None:
    """Run the worker until SIGTERM/SIGINT (or `stop` is set); exits within 10 seconds of the signal. routes
    are POST handlers the health server serves beside /metrics and /healthz (the Slack app's Request URLs)."""
    stop = stop or threading.Event()
    if install_signals:
        def _on_signal(signum: int, _frame: object) -> None:
            log.info("received %s, stopping", signal.Signals(signum).name, extra={"action": "signal"})
            stop.set()

        signal.signal(signal.SIGTERM, _on_signal)
        signal.signal(signal.SIGINT, _on_signal)
    worker = Worker(pipeline)
    port = health_port_from_env()
    health = None
    if port is not None:
        try:
            health = HealthServer(worker.metrics, port, routes=routes).start()
        except OSError as exc:  # a busy port costs the endpoint, not the worker
            log.warning("no metrics/health endpoint on port %s: %s", port, exc, extra={"action": "health_server"})
    worker.start()
    try:
        while not stop.wait(HEARTBEAT):
            if worker.scheduler.running:
                worker.metrics.beat()
    finally:
        clean = worker.stop()
        if health is not None:
            health.stop()
    if not clean and install_signals:
        # A fetch stuck in a read timeout must not keep the process past its grace period.
        logging.shutdown()
        pipeline.close()
        os._exit(0)
