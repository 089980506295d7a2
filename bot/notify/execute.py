"""The executor of a delivery plan: posts, edits and marks the outbox, step by step, and counts what it did.

It decides nothing the plan could decide; what it alone learns while it works is which post fails (the
channel is then left alone for the rest of the pass) and where Slack put each message (a reply planned under
a first message posted in the same pass needs its ts).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from bot.config import Delivery
from bot.detect.alerts import Alert
from bot.notify import wording as w
from bot.notify.blocks import alert_message
from bot.notify.digest import PER_MESSAGE, digest_messages
from bot.notify.names import Names
from bot.notify.notifier import Notifier, NotifyError, Posted
from bot.notify.plan import Collect, Defer, Digest, Hold, Post, Recover, Step, Thread
from bot.store import Store, outbox
from bot.store.outbox import OutboxAlert

log = logging.getLogger(__name__)
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


class Executor:
    """Performs the steps of one pass's plans with one notifier; pacing per channel, the channels that failed,
    the messages posted, the held alerts collected for the pass's digests, and the report."""

    def __init__(self, store: Store, delivery: Delivery, notifier: Notifier, names: Names, worker: str,
                 clock: Callable[[], dt.datetime], lease: float) -> None:
        self.store, self.delivery, self.notifier, self.names = store, delivery, notifier, names
        self.worker, self.clock, self.lease = worker, clock, lease
        self.report = DeliveryReport()
        self.blocked: set[str] = set()                   # channels that failed in this pass
        self.posted: dict[int, Posted] = {}              # alert id → where Slack put it, in this pass
        self.collected: dict[str, list[OutboxAlert]] = {}  # due digests, claimed until posted
        self._logged: set[tuple[str, str]] = set()
        self._last_post: dict[str, float] = {}

    def run(self, steps: Iterable[Step]) -> None:
        for step in steps:
            try:
                self.perform(step)
            except Exception as exc:  # a bug on one alert must not stop the others
                alerts = _alerts(step)
                log.exception("could not deliver alert(s) %s", ", ".join(str(a.id) for a in alerts),
                              extra={"action": "notify.crash"})
                self._fail(alerts, step.channel, NotifyError("internal_error", repr(exc)[:300]))

    def perform(self, step: Step) -> None:
        if not isinstance(step, Defer) and step.channel in self.blocked:  # it failed earlier in this pass
            for alert in _alerts(step):
                self._defer(alert, step.channel)
        elif isinstance(step, Post):
            self._post(step)
        elif isinstance(step, Hold):
            outbox.hold(self.store, step.alert.id, self.worker, step.channel, step.until)
            self.report.held += 1
        elif isinstance(step, Defer):
            self._defer(step.alert, step.channel)
        elif isinstance(step, Collect):
            self.collected.setdefault(step.channel, []).append(step.alert)
        elif isinstance(step, Recover):
            if not self._found(step):
                self.perform(step.then)
        else:
            self._digest(step)

    # -- the steps ---------------------------------------------------------------------------------------

    def _post(self, step: Post) -> None:
        """Post one alert; a reply goes under its event's first message, which is then edited to show the
        latest toll."""
        alert, channel, thread = step.alert, step.channel, self._resolved(step.thread)
        if step.thread is not None and thread is None:  # its first message was to go out in this pass, and did not
            self.blocked.add(channel)
            self._defer(alert, channel)
            return
        if not outbox.renew(self.store, alert.id, self.worker, self.clock(), self.lease):
            self.report.deferred += 1  # another worker took it over: it is theirs to send
            return
        target = thread.channel if thread and thread.channel else channel
        self._pace(target)
        try:
            posted = self.notifier.post(target, alert_message(alert.alert, self.names),
                                        thread_ts=thread.ts if thread else None, keys=[alert.key])
        except NotifyError as exc:
            self._fail([alert], channel, exc)
            return
        self._sent([alert], channel, posted)
        if thread is not None and thread.edit and thread.channel and thread.ts:
            self._refresh_head(thread.head.alert, alert.alert, thread.channel, thread.ts)

    def _resolved(self, thread: Thread | None) -> Thread | None:
        """The thread with its first message's ts: as planned, or as posted earlier in this pass."""
        if thread is None or thread.ts is not None:
            return thread
        posted = self.posted.get(thread.head.id)
        if posted is None or posted.ts is None:
            return None
        return replace(thread, channel=posted.channel, ts=posted.ts)

    def _found(self, step: Recover) -> bool:
        """Whether Slack already has the message of an alert whose last attempt may have posted it (recorded)."""
        alert = step.alert
        try:
            for target, thread_ts in step.places:
                found = self.notifier.find(target, alert.key, thread_ts=thread_ts, since=alert.created_at)
                if found is not None:
                    outbox.mark_sent(self.store, [alert.id], step.channel, found.channel, found.ts, self.clock())
                    self.posted[alert.id] = found
                    self.report.recovered += 1
                    log.info("alert %s was posted before a crash (ts %s); not posting it again", alert.id, found.ts,
                             extra={"action": "notify.recovered"})
                    return True
        except NotifyError as exc:
            log.warning("cannot check whether alert %s was posted before a crash (%s); posting it again",
                        alert.id, exc, extra={"action": "notify.recover_failed"})
        return False

    def _digest(self, step: Digest) -> None:
        alerts, channel = list(step.alerts), step.channel
        messages = digest_messages([a.alert for a in alerts], step.heading, self.names)
        for number, message in enumerate(messages):
            chunk = alerts[number * PER_MESSAGE:(number + 1) * PER_MESSAGE]
            chunk = [a for a in chunk if outbox.renew(self.store, a.id, self.worker, self.clock(), self.lease)]
            if not chunk:
                continue
            self._pace(channel)
            try:
                posted = self.notifier.post(channel, message, keys=[a.key for a in chunk])
            except NotifyError as exc:
                self._fail(chunk + alerts[(number + 1) * PER_MESSAGE:], channel, exc)
                return
            self._sent(chunk, channel, posted)
            self.report.digests += 1

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

    # -- the outbox --------------------------------------------------------------------------------------

    def _sent(self, alerts: list[OutboxAlert], channel: str, posted: Posted) -> None:
        outbox.mark_sent(self.store, [a.id for a in alerts], channel, posted.channel, posted.ts, self.clock())
        for alert in alerts:
            self.posted[alert.id] = posted
        self.report.sent += len(alerts)

    def _defer(self, alert: OutboxAlert, channel: str) -> None:
        outbox.release(self.store, alert.id, self.worker, channel=channel)
        self.report.deferred += 1

    def _fail(self, alerts: list[OutboxAlert], channel: str, exc: NotifyError) -> None:
        """Count a failed attempt for each alert and leave the channel alone for the rest of the pass."""
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
        if key not in self._logged:
            self._logged.add(key)
            what = ("Slack refused the bot token" if exc.is_auth else f"Slack could not post to {channel}")
            log.error("%s: %s; the alert stays pending (see `alerts list --pending`)", what, exc,
                      extra={"action": "notify.failed", "code": exc.code, "channel": channel})

    def _pace(self, channel: str) -> None:
        """About one message per interval per channel, as Slack asks."""
        interval = self.delivery.per_channel_interval if self.notifier.paced else 0.0
        last = self._last_post.get(channel)
        if last is not None and interval > 0:
            wait = interval - (time.monotonic() - last)
            if wait > 0:
                time.sleep(wait)
        self._last_post[channel] = time.monotonic()


def _alerts(step: Step) -> list[OutboxAlert]:
    return list(step.alerts) if isinstance(step, Digest) else [step.alert]
