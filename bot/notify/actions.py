"""Requests from the Slack app: verifying them, reading clicks and commands, and acting on a click.

Whichever way a request came in (Socket Mode or the HTTP Request URL), it has been acknowledged before
`Desk.click` runs. A click is refused (`Refused`, logged by the caller in one line) when its button does not
belong to the message and channel it was clicked in, or when the user may not decide; otherwise the decision
is applied once (`bot.store.feedback.decide`), and only the click that applied it edits the message, so a
redelivery, a retry or a second click changes nothing and posts nothing twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from bot.config import Config
from bot.detect.alerts import Alert, AlertKind
from bot.errors import BotError, StoreError
from bot.notify import wording as w
from bot.notify.blocks import FEEDBACK_BLOCK, Message, alert_message, decided_line, withdrawn_message
from bot.notify.names import Names
from bot.notify.notifier import NotifyError
from bot.notify.reviewers import Reviewers
from bot.notify.slack import WebApiNotifier
from bot.store import Store, outbox
from bot.store.feedback import Decision, FeedbackAction, decide, decision_for
from bot.store.outbox import OutboxAlert

log = logging.getLogger(__name__)
MAX_AGE = 300  # seconds: an older signed request may be a replay


class Refused(BotError):
    """A request that is not acted on; `reason` is a short code for the log line (never a secret)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"{reason}: {detail}" if detail else reason)


def verify_signature(secret: str, headers: Mapping[str, str], body: bytes, *, now: float | None = None) -> None:
    """Slack's request signature (HMAC-SHA256 of "v0:timestamp:body" with the signing secret) and a timestamp
    within five minutes; raises Refused. Header names are expected in lower case."""
    timestamp, signature = headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature")
    if not timestamp or not signature:
        raise Refused("missing_signature", "no X-Slack-Signature or X-Slack-Request-Timestamp header")
    if not timestamp.isdigit():
        raise Refused("bad_timestamp", "X-Slack-Request-Timestamp is not a number")
    age = abs((time.time() if now is None else now) - int(timestamp))
    if age > MAX_AGE:
        raise Refused("stale_timestamp", f"signed {int(age)} s away from now (at most {MAX_AGE})")
    if not SignatureVerifier(secret).is_valid(body, timestamp, signature):
        raise Refused("bad_signature", "the signature does not match the signing secret")


@dataclass(frozen=True)
class Click:
    """A click on one of an alert's buttons, as Slack reported it."""

    alert_id: int
    action: FeedbackAction
    user_id: str
    user_name: str
    channel: str       # where the clicked message is (container channel id)
    message_ts: str    # which message (container message ts)
    response_url: str
    request_id: str    # the click's trigger_id: the same on every redelivery of this click


@dataclass(frozen=True)
class Command:
    """A `/discourse …` slash command."""

    name: str
    text: str
    user_id: str
    channel: str
    response_url: str
    request_id: str


def parse_click(payload: Mapping[str, Any]) -> Click | None:
    """The click on one of our buttons in a `block_actions` payload; None for anything else (a view, another
    app's block); Refused when the payload names our buttons but not what a click needs."""
    if payload.get("type") != "block_actions":
        return None
    ours = [a for a in payload.get("actions") or [] if isinstance(a, dict) and a.get("block_id") == FEEDBACK_BLOCK]
    if not ours:
        return None
    clicked = ours[0]
    try:
        action = FeedbackAction(str(clicked.get("action_id")))
        alert_id = int(str(clicked.get("value")))
    except ValueError as exc:
        raise Refused("malformed", f"button {clicked.get('action_id')!r} with value {clicked.get('value')!r}") from exc
    container = payload.get("container") or {}
    user = payload.get("user") or {}
    channel = str(container.get("channel_id") or (payload.get("channel") or {}).get("id") or "")
    ts = str(container.get("message_ts") or (payload.get("message") or {}).get("ts") or "")
    if not user.get("id") or not channel or not ts:
        raise Refused("malformed", "a click without its user, channel or message")
    return Click(alert_id=alert_id, action=action, user_id=str(user["id"]),
                 user_name=str(user.get("username") or user.get("name") or ""), channel=channel, message_ts=ts,
                 response_url=str(payload.get("response_url") or ""),
                 request_id=str(payload.get("trigger_id") or clicked.get("action_ts") or ""))


def parse_command(fields: Mapping[str, Any]) -> Command:
    if not fields.get("command") or not fields.get("user_id"):
        raise Refused("malformed", "a slash command without its command or user")
    return Command(name=str(fields["command"]), text=" ".join(str(fields.get("text") or "").split()),
                   user_id=str(fields["user_id"]), channel=str(fields.get("channel_id") or ""),
                   response_url=str(fields.get("response_url") or ""),
                   request_id=str(fields.get("trigger_id") or ""))


class Desk:
    """Where the team's clicks are decided: checks, the decision, and what the messages then show."""

    def __init__(self, store: Store, config: Config, notifier: WebApiNotifier,
                 reviewers: Reviewers | None = None) -> None:
        self.store, self.notifier = store, notifier
        self.names = Names.of(config)
        self.reviewers = reviewers or Reviewers(notifier.client, config.delivery.reviewers)

    def click(self, click: Click, *, via: str) -> Decision:
        """Decide on a click; raises Refused (having told the user where it is their business)."""
        alert = outbox.alerts_by_id(self.store, [click.alert_id]).get(click.alert_id)
        if alert is None or (alert.slack_channel, alert.slack_ts) != (click.channel, click.message_ts):
            raise Refused("foreign_alert", f"alert {click.alert_id} was not posted as message {click.message_ts} "
                                           f"in {click.channel}")
        try:
            allowed = self.reviewers.allows(click.user_id, click.channel)
        except NotifyError as exc:
            self.tell(click.response_url, click.channel, click.user_id,
                      f"Your decision was not recorded: Slack could not say who may decide ({exc.code}).")
            raise Refused("reviewers_unknown", f"cannot check {click.user_id}: {exc}") from exc
        if not allowed:
            who = "the reviewers named in the bot's config" if self.reviewers.configured else "members of this channel"
            self.tell(click.response_url, click.channel, click.user_id,
                      f"You are not allowed to decide on alerts: only {who} can. Nothing was changed.")
            raise Refused("not_reviewer", f"{click.user_id} may not decide on alert {click.alert_id}")
        try:
            decision = decide(self.store, click.alert_id, click.action, user_id=click.user_id,
                              user_name=click.user_name, via=via, request_id=click.request_id)
        except StoreError as exc:
            self.tell(click.response_url, click.channel, click.user_id, f"Nothing was changed: {exc}.")
            raise Refused("not_applicable", str(exc)) from exc
        if decision.repeated:
            if (decision.user_id, decision.action) != (click.user_id, click.action):  # not a redelivery
                self.tell(click.response_url, click.channel, click.user_id,
                          f"Already decided: {decided_line(decision)}. Nothing was changed.")
            return decision
        log.info("alert %s: %s by %s", click.alert_id, decision.action, click.user_id,
                 extra={"action": "feedback.decided", "alert": click.alert_id, "decision": str(decision.action),
                        "user": click.user_id, "via": via})
        self._show(alert, decision)
        return decision

    # -- what the messages show ------------------------------------------------------------------------------

    def _show(self, alert: OutboxAlert, decision: Decision) -> None:
        """Edit the clicked message to the decision; for withdrawn figures, say so in the event's thread and
        put the event's first message back to the toll that stands."""
        assert alert.slack_channel and alert.slack_ts
        head = outbox.thread_head(self.store, alert.thread_key) if alert.thread_key else None
        if head is not None and head.id == alert.id:   # the event's first message: keep showing its latest toll
            shown, note = self._event_now(head.alert)
            self._edit(alert.slack_channel, alert.slack_ts, alert_message(shown, self.names, note=note,
                                                                          decision=decision))
        else:
            self._edit(alert.slack_channel, alert.slack_ts, alert_message(decision.alert, self.names,
                                                                          decision=decision))
        if decision.action is FeedbackAction.WRONG_FIGURES:
            self._withdraw(alert, head, decision)

    def _withdraw(self, alert: OutboxAlert, head: outbox.ThreadHead | None, decision: Decision) -> None:
        """Say in the event's thread that the update's figures are withdrawn; where the event's first message
        showed them, put it back to the toll that stands now."""
        update = decision.alert.casualty
        assert update is not None and alert.slack_channel and alert.slack_ts
        root = head if head is not None and head.id != alert.id and head.slack_channel and head.slack_ts else None
        channel, thread = (root.slack_channel, root.slack_ts) if root else (alert.slack_channel, alert.slack_ts)
        assert channel and thread
        try:
            self.notifier.post(channel, withdrawn_message(decision.alert, decision), thread_ts=thread)
        except NotifyError as exc:
            log.warning("could not say in thread %s that alert %s was withdrawn: %s", thread, alert.id, exc,
                        extra={"action": "feedback.reply_failed"})
        if root is None or root.shared or _toll(decision.before) == _toll(decision.after):
            return  # no first message of its own, or it never showed these figures
        shown, _ = self._event_now(root.alert)
        assert shown.casualty is not None and root.slack_channel and root.slack_ts
        note = (f"The update to {w.toll(update.casualty)} was withdrawn by {decision.who}; the toll is back to "
                f"{w.toll(shown.casualty.casualty)} (see thread)")
        self._edit(root.slack_channel, root.slack_ts,
                   alert_message(shown, self.names, note=note, decision=decision_for(self.store, root.id)))

    def _event_now(self, event: OutboxAlert) -> tuple[Alert, str | None]:
        """The event as its first message reads now: its first report with the figures of its latest update
        whose figures were not withdrawn, and a note saying so."""
        first = event.alert
        updates = [a for a in outbox.thread_alerts(self.store, event.thread_key or "")
                   if a.id != event.id and a.kind == AlertKind.CASUALTY_UPDATE and not self._withdrawn(a.id)]
        if not updates or first.casualty is None:
            return first, None
        latest = updates[-1].alert
        assert latest.casualty is not None
        shown = replace(first, detail=replace(first.casualty, casualty=latest.casualty.casualty,
                                              sources=latest.casualty.sources or first.casualty.sources))
        revised = w.revision(latest.casualty) or "new figures"
        return shown, f"Updated {w.published(latest) or 'later'}: {revised} (see thread)"

    def _withdrawn(self, alert_id: int) -> bool:
        decision = decision_for(self.store, alert_id)
        return decision is not None and decision.action is FeedbackAction.WRONG_FIGURES

    def _edit(self, channel: str, ts: str, message: Message) -> None:
        try:
            self.notifier.update(channel, ts, message)
        except NotifyError as exc:  # the decision stands; the message just does not show it
            log.warning("could not edit message %s in %s to show the decision: %s", ts, channel, exc,
                        extra={"action": "feedback.edit_failed"})

    # -- answers only the user sees ----------------------------------------------------------------------------

    def tell(self, response_url: str, channel: str, user_id: str, text: str) -> None:
        """An ephemeral answer: through the request's response_url, else chat.postEphemeral."""
        try:
            if response_url:
                response = WebhookClient(response_url, timeout=10).send(
                    text=text, response_type="ephemeral", replace_original=False)
                if response.status_code != 200:
                    raise NotifyError(f"http_{response.status_code}", str(response.body)[:100])
            else:
                self.notifier.client.chat_postEphemeral(channel=channel, user=user_id, text=text)
        except (NotifyError, SlackApiError, SlackClientError, OSError, ValueError) as exc:
            log.warning("could not answer %s: %s", user_id, exc, extra={"action": "slack.answer_failed"})


def _toll(state: Mapping[str, Any]) -> tuple[Any, Any]:
    event = state.get("event") or {}
    return event.get("killed"), event.get("injured")
