"""Deliver the outbox: claim due alerts, route them, hold or post them, record what Slack returned.

Order per channel is kept: an alert is not posted while an older one for the same channel waits for a retry,
and a channel that fails is left alone for the rest of the run while the other channels go on.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from bot.config import Config
from bot.detect.alerts import Alert
from bot.notify import routing
from bot.notify import wording as w
from bot.notify.blocks import alert_message
from bot.notify.console import ConsoleNotifier
from bot.notify.digest import PER_MESSAGE, digest_messages
from bot.notify.names import Names
from bot.notify.notifier import Notifier, NotifyError
from bot.notify.slack import RECOVERY_SCOPES, WebApiNotifier, WebhookNotifier
from bot.store import Store
from bot.store import outbox
from bot.store.outbox import OutboxAlert

log = logging.getLogger(__name__)
LEASE_SECONDS = 30.0      # renewed while the worker lives, so a killed worker's alerts are free within this
RENEW_EVERY = LEASE_SECONDS / 3
BATCH = 10                # alerts claimed at a time: a crash strands few, and another worker can share the rest
RETRY_BASE = 30.0         # seconds before the first retry of a failed alert; doubled per attempt
RETRY_CAP = 3600.0


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0       # alerts posted (a digest counts each alert in it)
    failed: int = 0     # attempts that failed; the alerts stay pending with a retry time (or give up)
    held: int = 0       # alerts kept for a digest or the end of quiet hours
    deferred: int = 0   # left for later to keep order (an older alert of the channel is waiting)
    digests: int = 0    # digest messages posted
    recovered: int = 0  # found already posted by a worker that died before recording it; not posted again
    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # failures a person must fix: the token, a channel

    def __str__(self) -> str:
        parts = [f"{self.sent} alert(s) delivered"]
        if self.digests:
            parts.append(f"{self.digests} digest message(s)")
        if self.held:
            parts.append(f"{self.held} held for digests or quiet hours")
        if self.failed:
            parts.append(f"{self.failed} failed (will retry)")
        if self.deferred:
            parts.append(f"{self.deferred} deferred to keep order")
        if self.recovered:
            parts.append(f"{self.recovered} found already posted")
        return ", ".join(parts)


def notifier_from_env(env: Mapping[str, str], config: Config) -> Notifier:
    """SLACK_BOT_TOKEN (+ SLACK_API_URL) → Web API; else SLACK_WEBHOOK_URL → webhook; else the console."""
    backoff = config.delivery.retry_backoff
    if env.get("SLACK_BOT_TOKEN"):
        return WebApiNotifier(env["SLACK_BOT_TOKEN"], env.get("SLACK_API_URL") or None, backoff=backoff)
    if env.get("SLACK_WEBHOOK_URL"):
        return WebhookNotifier(env["SLACK_WEBHOOK_URL"], backoff=backoff)
    return ConsoleNotifier()


def deliver_pending(store: Store, config: Config, *, env: Mapping[str, str] = os.environ,
                    now: dt.datetime | None = None, worker_id: str | None = None,
                    notifier: Notifier | None = None) -> DeliveryReport:
    """Send every due alert of the outbox once; failures stay pending with a retry time."""
    fixed = outbox.utc(now)
    clock: Callable[[], dt.datetime] = (lambda: fixed) if fixed else (lambda: dt.datetime.now(dt.timezone.utc))
    run = _Run(store, config, notifier or notifier_from_env(env, config),
               worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}", clock)
    after = 0
    with _leases_kept(store, run.worker, clock):
        while True:
            batch = outbox.claim_due(store, run.worker, clock(), lease=LEASE_SECONDS, limit=BATCH, after_id=after)
            if not batch:
                break
            run.process(batch)
            after = batch[-1].id
            if len(batch) < BATCH:
                break
        run.post_digests()  # one digest per channel for the whole pass, however many batches it took
    if run.report.sent or run.report.failed or run.report.held:
        log.info("delivery: %s", run.report, extra={"action": "notify.report"})
    return run.report


@contextmanager
def _leases_kept(store: Store, worker: str, clock: Callable[[], dt.datetime]) -> Iterator[None]:
    """While a delivery pass runs, renew its leases every RENEW_EVERY seconds: a post slowed by pacing or
    Slack's retries keeps its alerts, and a killed worker's run out within LEASE_SECONDS."""
    done = threading.Event()

    def keep() -> None:
        while not done.wait(RENEW_EVERY):
            try:
                outbox.renew_claims(store, worker, clock(), LEASE_SECONDS)
            except Exception as exc:  # a busy database: the next renewal comes well before the lease ends
                log.warning("could not renew alert leases: %s", exc, extra={"action": "notify.renew_failed"})

    keeper = threading.Thread(target=keep, name="outbox-leases", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        done.set()
        keeper.join(timeout=5)


def check_recovery(env: Mapping[str, str], config: Config) -> str | None:
    """Say once (at start) what the Slack connection cannot do that crash recovery relies on: without the
    history scopes the bot cannot tell whether a post cut short by a crash reached Slack. Returns the warning."""
    notifier = notifier_from_env(env, config)
    if isinstance(notifier, WebhookNotifier):
        warning = ("an incoming webhook cannot read its channel back: after a crash in mid-post the bot cannot "
                   "tell whether the message reached Slack and may post that alert twice (a bot token with "
                   "the scopes in docs/slack-app-manifest.yaml avoids this)")
    elif isinstance(notifier, WebApiNotifier):
        try:
            granted = notifier.granted_scopes()
        except NotifyError as exc:
            warning = (f"could not check the Slack token's scopes ({exc}); crash recovery needs "
                       f"{', '.join(RECOVERY_SCOPES)}")
        else:
            if granted is None:
                return None  # Slack did not say: nothing to warn about
            missing = [scope for scope in ("chat:write", *RECOVERY_SCOPES) if scope not in granted]
            if not missing:
                return None
            warning = (f"the Slack token lacks {', '.join(missing)}: "
                       + ("alerts cannot be posted at all; " if "chat:write" in missing else "")
                       + "after a crash in mid-post the bot cannot tell whether the message reached Slack and "
                       "may post that alert twice (channels:history and channels:read cover public channels, "
                       "groups:history and groups:read private ones; see docs/slack-app-manifest.yaml)")
    else:
        return None
    log.warning("%s", warning, extra={"action": "notify.scopes"})
    return warning


def _maybe_posted(alert: OutboxAlert) -> bool:
    """The last attempt may have reached Slack: its worker died mid-post, or the answer was lost on the way."""
    return bool(alert.last_error) and (alert.last_error == outbox.IN_FLIGHT
                                       or str(alert.last_error).startswith("connection_error"))


class _Run:
    """One delivery pass: its notifier, pacing per channel, the channels it stopped, its report."""

    def __init__(self, store: Store, config: Config, notifier: Notifier, worker: str,
                 clock: Callable[[], dt.datetime]) -> None:
        self.store, self.delivery, self.notifier, self.worker, self.clock = store, config.delivery, notifier, worker, clock
        self.names = Names.of(config)
        self.report = DeliveryReport()
        self.blocked: set[str] = set()
        self.logged: set[tuple[str, str]] = set()
        self.last_post: dict[str, float] = {}
        self.digests: dict[str, list[OutboxAlert]] = defaultdict(list)  # due digests, claimed until posted

    def process(self, batch: list[OutboxAlert]) -> None:
        for alert in batch:
            channel = alert.channel or routing.route(alert.alert, self.delivery)
            try:
                self._one(alert, channel, self.digests)
            except Exception as exc:  # a bug on one alert must not stop the others
                log.exception("could not deliver alert %s", alert.id, extra={"action": "notify.crash"})
                self._fail([alert], channel, NotifyError("internal_error", repr(exc)[:300]))

    def post_digests(self) -> None:
        digests, self.digests = self.digests, defaultdict(list)
        for channel, alerts in digests.items():
            try:
                self._digest(channel, alerts)
            except Exception as exc:
                log.exception("could not deliver a digest to %s", channel, extra={"action": "notify.crash"})
                self._fail(alerts, channel, NotifyError("internal_error", repr(exc)[:300]))

    def _one(self, alert: OutboxAlert, channel: str, digests: dict[str, list[OutboxAlert]]) -> None:
        if channel in self.blocked:
            self._defer(alert, channel)
            return
        if _maybe_posted(alert) and self._recover(alert, channel):
            return
        rule = routing.policy(channel, self.delivery)
        urgent = routing.is_urgent(alert.alert, self.delivery)
        now = self.clock()
        if alert.status == "held":
            if not urgent and routing.in_quiet_hours(rule, now):
                self._hold(alert, channel, routing.quiet_hours_end(rule, now))
            else:
                digests[channel].append(alert)
            return
        release = None if urgent else routing.release_time(rule, now)
        if release is not None:
            self._hold(alert, channel, release)
            return
        if outbox.earlier_pending(self.store, channel, alert.id):
            self.blocked.add(channel)
            self._defer(alert, channel)
            return
        self._send(alert, channel)

    def _send(self, alert: OutboxAlert, channel: str) -> None:
        """Post one alert; a casualty update goes into its event's thread and refreshes the event's message."""
        data = alert.alert
        head = None
        target, thread_ts = channel, None
        if alert.kind == "casualty_update" and alert.thread_key and self.notifier.threads:
            head = outbox.thread_head(self.store, alert.thread_key)
            if head is not None and head.id != alert.id:
                if head.status != "sent":  # the event itself is not out yet: wait for it
                    self.blocked.add(channel)
                    self._defer(alert, channel)
                    return
                if head.slack_ts and head.slack_channel:
                    target, thread_ts = head.slack_channel, head.slack_ts
            else:
                head = None
        if not outbox.renew(self.store, alert.id, self.worker, self.clock(), LEASE_SECONDS):
            self.report.deferred += 1  # another worker took it over: it is theirs to send
            return
        self._pace(target)
        try:
            posted = self.notifier.post(target, alert_message(data, self.names), thread_ts=thread_ts,
                                        keys=[alert.key])
        except NotifyError as exc:
            self._fail([alert], channel, exc)
            return
        outbox.mark_sent(self.store, [alert.id], channel, posted.channel, posted.ts, self.clock())
        self.report.sent += 1
        if thread_ts and head is not None and not head.shared and head.slack_channel and head.slack_ts:
            self._refresh_head(head.alert.alert, data, head.slack_channel, head.slack_ts)

    def _recover(self, alert: OutboxAlert, channel: str) -> bool:
        """A worker died while posting this alert: if Slack has the message, record it instead of posting again."""
        if not self.notifier.threads:
            return False  # webhooks and the console cannot read back: at-least-once
        places: list[tuple[str, str | None]] = []
        if alert.kind == "casualty_update" and alert.thread_key:
            head = outbox.thread_head(self.store, alert.thread_key)
            if head and head.id != alert.id and head.status == "sent" and head.slack_ts and head.slack_channel:
                places.append((head.slack_channel, head.slack_ts))
        places.append((outbox.known_slack_channel(self.store, channel) or channel, None))
        try:
            for target, thread_ts in places:
                found = self.notifier.find(target, alert.key, thread_ts=thread_ts, since=alert.created_at)
                if found is not None:
                    outbox.mark_sent(self.store, [alert.id], channel, found.channel, found.ts, self.clock())
                    self.report.recovered += 1
                    log.info("alert %s was posted before a crash (ts %s); not posting it again", alert.id, found.ts,
                             extra={"action": "notify.recovered"})
                    return True
        except NotifyError as exc:
            log.warning("cannot check whether alert %s was posted before a crash (%s); posting it again",
                        alert.id, exc, extra={"action": "notify.recover_failed"})
        return False

    def _refresh_head(self, event: Alert, update: Alert, channel: str, ts: str) -> None:
        """Edit the event's first message so it shows the latest toll."""
        if event.casualty is None or update.casualty is None:
            return
        latest = replace(event, detail=replace(event.casualty, casualty=update.casualty.casualty,
                                               sources=update.casualty.sources or event.casualty.sources))
        when = w.published(update) or self.clock().strftime("%Y-%m-%d %H:%M UTC")
        note = f"Updated {when}: {w.revision(update.casualty) or 'new figures'} (see thread)"
        try:
            self.notifier.update(channel, ts, alert_message(latest, self.names, note=note))
        except NotifyError as exc:
            log.warning("could not edit the event message %s in %s: %s", ts, channel, exc,
                        extra={"action": "notify.edit_failed"})
            self.report.errors.append(f"edit {channel}/{ts}: {exc}")

    def _digest(self, channel: str, alerts: list[OutboxAlert]) -> None:
        if channel in self.blocked:
            for alert in alerts:
                self._defer(alert, channel)
            return
        if len(alerts) == 1:
            self._send(alerts[0], channel)
            return
        rule = routing.policy(channel, self.delivery)
        messages = digest_messages([a.alert for a in alerts], routing.digest_heading(rule), self.names)
        for number, message in enumerate(messages):
            chunk = alerts[number * PER_MESSAGE:(number + 1) * PER_MESSAGE]
            chunk = [a for a in chunk if outbox.renew(self.store, a.id, self.worker, self.clock(), LEASE_SECONDS)]
            if not chunk:
                continue
            self._pace(channel)
            try:
                posted = self.notifier.post(channel, message, keys=[a.key for a in chunk])
            except NotifyError as exc:
                self._fail(chunk + alerts[(number + 1) * PER_MESSAGE:], channel, exc)
                return
            outbox.mark_sent(self.store, [a.id for a in chunk], channel, posted.channel, posted.ts, self.clock())
            self.report.sent += len(chunk)
            self.report.digests += 1

    def _hold(self, alert: OutboxAlert, channel: str, until: dt.datetime) -> None:
        outbox.hold(self.store, alert.id, self.worker, channel, until)
        self.report.held += 1

    def _defer(self, alert: OutboxAlert, channel: str) -> None:
        outbox.release(self.store, alert.id, self.worker, channel=channel)
        self.report.deferred += 1

    def _fail(self, alerts: list[OutboxAlert], channel: str, exc: NotifyError) -> None:
        self.blocked.add(channel)
        now = self.clock()
        for alert in alerts:
            attempts = alert.attempts + 1
            retry_at = None
            if attempts < self.delivery.max_attempts:
                retry_at = now + dt.timedelta(seconds=min(RETRY_BASE * 2 ** (attempts - 1), RETRY_CAP))
            outbox.mark_failed(self.store, [alert.id], self.worker, channel, str(exc), retry_at)
            self.report.failed += 1
            if retry_at is None:
                log.error("alert %s to %s gave up after %d attempts: %s", alert.id, channel, attempts, exc,
                          extra={"action": "notify.gave_up"})
        self.report.errors.append(f"{channel}: {exc}")
        if exc.is_permanent:
            self.report.refused.append(f"{channel}: {exc}")
        key = (exc.code, "" if exc.is_auth else channel)
        if key not in self.logged:
            self.logged.add(key)
            what = ("Slack refused the bot token" if exc.is_auth else f"Slack could not post to {channel}")
            log.error("%s: %s; the alert stays pending (see `alerts list --pending`)", what, exc,
                      extra={"action": "notify.failed", "code": exc.code, "channel": channel})

    def _pace(self, channel: str) -> None:
        """About one message per interval per channel, as Slack asks."""
        interval = self.delivery.per_channel_interval if self.notifier.paced else 0.0
        last = self.last_post.get(channel)
        if last is not None and interval > 0:
            wait = interval - (time.monotonic() - last)
            if wait > 0:
                time.sleep(wait)
        self.last_post[channel] = time.monotonic()


__all__ = ["DeliveryReport", "check_recovery", "deliver_pending", "notifier_from_env"]
