"""Deliver the outbox: one pass claims due alerts in small batches, plans each batch, and executes the plan.

The plan (`bot.notify.plan`) decides, without I/O, what to send where and in which order and what to hold;
the executor (`bot.notify.execute`) posts, edits and marks. Leases on the claimed alerts are renewed by a
thread while the pass runs, so a pass slowed by pacing or by Slack's retries keeps its alerts, and a killed
worker's alerts are free again within LEASE_SECONDS.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from bot.config import Config
from bot.detect.alerts import AlertKind
from bot.notify.console import ConsoleNotifier
from bot.notify.execute import DeliveryReport, Executor
from bot.notify.names import Names
from bot.notify.notifier import Notifier, NotifyError
from bot.notify.plan import channel_of, plan_batch, plan_digests
from bot.notify.slack import RECOVERY_SCOPES, RetryBudget, WebApiNotifier, WebhookNotifier
from bot.store import Store
from bot.store import outbox
from bot.store.outbox import OutboxAlert, Outlook

log = logging.getLogger(__name__)
LEASE_SECONDS = 30.0      # renewed while the worker lives, so a killed worker's alerts are free within this
RENEW_EVERY = LEASE_SECONDS / 3
BATCH = 10                # alerts claimed at a time: a crash strands few, and another worker can share the rest


def notifier_from_env(env: Mapping[str, str], config: Config) -> Notifier:
    """SLACK_BOT_TOKEN (+ SLACK_API_URL) → Web API; else SLACK_WEBHOOK_URL → webhook; else the console. A
    Slack notifier's retries of transient errors share one budget, `delivery.retry_budget`, from now on."""
    backoff, budget = config.delivery.retry_backoff, RetryBudget(config.delivery.retry_budget)
    if env.get("SLACK_BOT_TOKEN"):
        return WebApiNotifier(env["SLACK_BOT_TOKEN"], env.get("SLACK_API_URL") or None, backoff=backoff, budget=budget)
    if env.get("SLACK_WEBHOOK_URL"):
        return WebhookNotifier(env["SLACK_WEBHOOK_URL"], backoff=backoff, budget=budget)
    return ConsoleNotifier()


def deliver_pending(store: Store, config: Config, *, env: Mapping[str, str] = os.environ,
                    now: dt.datetime | None = None, worker_id: str | None = None,
                    notifier: Notifier | None = None) -> DeliveryReport:
    """Send every due alert of the outbox once; failures stay pending with a retry time."""
    fixed = outbox.utc(now)
    clock: Callable[[], dt.datetime] = (lambda: fixed) if fixed else (lambda: dt.datetime.now(dt.timezone.utc))
    notifier = notifier or notifier_from_env(env, config)
    worker = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    delivery = config.delivery
    run = Executor(store, delivery, notifier, Names.of(config), worker, clock, LEASE_SECONDS)
    after = 0
    with _leases_kept(store, worker, clock):
        while True:
            batch = outbox.claim_due(store, worker, clock(), lease=LEASE_SECONDS, limit=BATCH, after_id=after)
            if not batch:
                break
            run.run(plan_batch(batch, delivery, clock(), _outlook(store, batch, config), threads=notifier.threads,
                               blocked=run.blocked))
            after = batch[-1].id
            if len(batch) < BATCH:
                break
        collected = [a for alerts in run.collected.values() for a in alerts]
        run.run(plan_digests(run.collected, delivery, clock(), _outlook(store, collected, config),
                             threads=notifier.threads, blocked=run.blocked))
    if run.report.sent or run.report.failed or run.report.held:
        log.info("delivery: %s", run.report, extra={"action": "notify.report"})
    return run.report


def _outlook(store: Store, alerts: Sequence[OutboxAlert], config: Config) -> Outlook:
    """What the plan of these alerts needs to know of the rest of the outbox."""
    if not alerts:
        return Outlook()
    return outbox.outlook(
        store, channels={channel_of(a, config.delivery) for a in alerts},
        thread_keys={a.thread_key for a in alerts if a.kind == AlertKind.CASUALTY_UPDATE and a.thread_key},
        besides={a.id for a in alerts})


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


__all__ = ["DeliveryReport", "check_recovery", "deliver_pending", "notifier_from_env"]
