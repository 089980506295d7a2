"""Slack notifiers: the Web API (threads, edits, channel ids and ts) and incoming webhooks (one channel, no ts)."""

from __future__ import annotations

import datetime as dt
import logging
import random
import socket
import time
from collections.abc import Sequence
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import BackoffRetryIntervalCalculator, HttpRequest, HttpResponse, Jitter, RetryHandler, RetryState
from slack_sdk.http_retry.builtin_handlers import (ConnectionErrorRetryHandler, RateLimitErrorRetryHandler,
                                                   ServerErrorRetryHandler)
from slack_sdk.webhook import WebhookClient

from bot.notify.blocks import Message, without_buttons
from bot.notify.notifier import BLOCK_ERRORS, NotifyError, Posted, fingerprint

log = logging.getLogger(__name__)
DEFAULT_API_URL = "https://slack.com/api/"
METADATA_EVENT = "discourse_bot_alert"
# What `find` reads to tell whether a post cut short by a crash reached Slack (public, then private channels).
RECOVERY_SCOPES = ("channels:history", "channels:read", "groups:history", "groups:read")


class ProportionalJitter(Jitter):
    """Up to twice the backoff (slack_sdk's default adds up to a whole second, even to a zero backoff)."""

    def recalculate(self, duration: float) -> float:
        return duration * (1 + random.random())


class RateLimitRetryHandler(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, honouring Retry-After, with a jitter that scales with the configured backoff
    (the stock one always adds up to a second)."""

    def __init__(self, max_retry_count: int, backoff: float) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.backoff = backoff

    def prepare_for_next_attempt(self, *, state: RetryState, request: HttpRequest,
                                 response: HttpResponse | None = None, error: Exception | None = None) -> None:
        if response is None:
            raise error or RuntimeError("429 retry without a response")
        state.next_attempt_requested = True
        header = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), None)
        try:
            wait = float(header[0] if isinstance(header, list) else header) if header is not None else 1.0
        except ValueError:
            wait = 1.0
        time.sleep(max(wait, 0.0) + random.random() * min(1.0, 2 * self.backoff))
        state.increment_current_attempt()


class ConnectionRetryHandler(ConnectionErrorRetryHandler):
    """slack_sdk's connection-error handler, except that a POST is retried only when it cannot have reached
    Slack (refused, unresolvable): a reset after sending may follow a post Slack made, and posting again would
    repeat the message. Delivery records such an alert as `connection_error` and checks Slack before retrying."""

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        if str(request.method).upper() == "GET":
            return True
        reason = error.reason if isinstance(error, URLError) else error
        return isinstance(reason, (ConnectionRefusedError, socket.gaierror))


def retry_handlers(backoff: float) -> list[RetryHandler]:
    """Connection errors, 429 (honouring Retry-After; not on by default in slack_sdk) and 500/503."""
    calculator = BackoffRetryIntervalCalculator(backoff_factor=backoff, jitter=ProportionalJitter())
    return [
        ConnectionRetryHandler(max_retry_count=2, interval_calculator=calculator),
        RateLimitRetryHandler(max_retry_count=4, backoff=backoff),
        ServerErrorRetryHandler(max_retry_count=3, interval_calculator=calculator),
    ]


def _error(exc: Exception) -> NotifyError:
    if isinstance(exc, SlackApiError):
        response = exc.response
        code = ""
        try:
            code = str(response.get("error") or "")
        except Exception:  # a body that is not JSON
            code = ""
        status = getattr(response, "status_code", None)
        return NotifyError(code or f"http_{status}", f"HTTP {status}" if status else "")
    return NotifyError("connection_error", " ".join(str(exc).split())[:300])


class WebApiNotifier:
    """chat.postMessage / chat.update through slack_sdk.WebClient with its retry handlers."""

    name = "slack"
    threads = True
    paced = True

    def __init__(self, token: str, api_url: str | None = None, *, backoff: float = 0.5, timeout: int = 30) -> None:
        base = (api_url or DEFAULT_API_URL).rstrip("/") + "/"
        self.client = WebClient(token=token, base_url=base, timeout=timeout, retry_handlers=retry_handlers(backoff))
        self._channel_ids: dict[str, str] | None = None

    def post(self, channel: str, message: Message, *, thread_ts: str | None = None,
             keys: Sequence[str] = ()) -> Posted:
        args: dict[str, Any] = {"channel": channel, "text": message.text, "unfurl_links": False, "unfurl_media": False}
        if thread_ts:
            args["thread_ts"] = thread_ts
        if keys:  # lets a restarted worker find this message again (see find)
            args["metadata"] = {"event_type": METADATA_EVENT,
                                "event_payload": {"alerts": [fingerprint(k) for k in keys]}}
        try:
            try:
                response = self.client.chat_postMessage(blocks=message.blocks or None, **args)
            except SlackApiError as exc:
                if _error(exc).code not in BLOCK_ERRORS or not message.blocks:
                    raise
                # Slack refused our blocks: the text fallback still tells the team.
                log.warning("Slack refused the blocks (%s); posting the text only", _error(exc).code,
                            extra={"action": "notify.text_only"})
                response = self.client.chat_postMessage(**args)
        except (SlackApiError, SlackClientError, OSError, ValueError) as exc:
            raise _error(exc) from exc
        return Posted(channel=str(response.get("channel") or channel), ts=str(response.get("ts")))

    def update(self, channel: str, ts: str, message: Message) -> None:
        try:
            self.client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks or None)
        except (SlackApiError, SlackClientError, OSError, ValueError) as exc:
            raise _error(exc) from exc

    def find(self, channel: str, key: str, *, thread_ts: str | None = None,
             since: dt.datetime | None = None) -> Posted | None:
        """Our message for alert key in channel (or in the thread), posted since `since`; None if there is none.

        Needs the `channels:history` (and for a channel name, `channels:read`) scopes; raises NotifyError
        when Slack cannot answer.
        """
        wanted = fingerprint(key)
        try:
            channel_id = self._channel_id(channel)
            oldest = f"{since.timestamp() - 60:.6f}" if since else None
            cursor = None
            for _ in range(10):  # at most 2,000 messages back
                if thread_ts:
                    page = self.client.conversations_replies(channel=channel_id, ts=thread_ts, oldest=oldest,
                                                             include_all_metadata=True, limit=200, cursor=cursor)
                else:
                    page = self.client.conversations_history(channel=channel_id, oldest=oldest,
                                                             include_all_metadata=True, limit=200, cursor=cursor)
                for message in page.get("messages") or []:
                    metadata = message.get("metadata") or {}
                    if (metadata.get("event_type") == METADATA_EVENT
                            and wanted in ((metadata.get("event_payload") or {}).get("alerts") or [])):
                        return Posted(channel=channel_id, ts=str(message.get("ts")))
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return None
        except (SlackApiError, SlackClientError, OSError, ValueError) as exc:
            raise _error(exc) from exc
        return None

    def granted_scopes(self) -> frozenset[str] | None:
        """The token's scopes, as Slack lists them on every answer (`x-oauth-scopes`, here of auth.test);
        None when the answer does not say. Raises NotifyError when Slack cannot answer."""
        try:
            response = self.client.auth_test()
        except (SlackApiError, SlackClientError, OSError, ValueError) as exc:
            raise _error(exc) from exc
        header = next((v for k, v in (response.headers or {}).items() if k.lower() == "x-oauth-scopes"), None)
        if isinstance(header, list):
            header = ",".join(header)
        return None if header is None else frozenset(s.strip() for s in str(header).split(",") if s.strip())

    def _channel_id(self, channel: str) -> str:
        """A channel id from '#name' (conversations.list, once per notifier); ids pass through."""
        name = channel.lstrip("#")
        if not channel.startswith("#") and name[:1] in ("C", "G", "D") and name.isupper():
            return name
        if self._channel_ids is None:
            found: dict[str, str] = {}
            cursor = None
            for _ in range(20):
                page = self.client.conversations_list(types="public_channel,private_channel", limit=1000,
                                                      exclude_archived=True, cursor=cursor)
                found.update({str(c.get("name")): str(c.get("id")) for c in page.get("channels") or []})
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
            self._channel_ids = found
        if name not in self._channel_ids:
            raise NotifyError("channel_not_found", f"no channel named {channel}")
        return self._channel_ids[name]


class WebhookNotifier:
    """An incoming webhook: posts to its one channel; no ts, so no threads and no edits."""

    name = "webhook"
    threads = False
    paced = True

    def __init__(self, url: str, *, backoff: float = 0.5, timeout: int = 30) -> None:
        self.client = WebhookClient(url, timeout=timeout, retry_handlers=retry_handlers(backoff))

    def post(self, channel: str, message: Message, *, thread_ts: str | None = None,
             keys: Sequence[str] = ()) -> Posted:
        message = without_buttons(message)  # a click on a webhook's message never reaches the bot
        try:
            response = self.client.send(text=message.text, blocks=message.blocks or None)
            if response.status_code == 400 and response.body in BLOCK_ERRORS and message.blocks:
                response = self.client.send(text=message.text)
        except (SlackClientError, OSError, ValueError) as exc:
            raise NotifyError("connection_error", " ".join(str(exc).split())[:300]) from exc
        if response.status_code != 200:
            raise NotifyError(str(response.body or f"http_{response.status_code}").strip()[:100],
                              f"HTTP {response.status_code}")
        return Posted(channel=None, ts=None)

    def update(self, channel: str, ts: str, message: Message) -> None:
        """Webhooks cannot edit."""

    def find(self, channel: str, key: str, *, thread_ts: str | None = None,
             since: dt.datetime | None = None) -> Posted | None:
        """Webhooks cannot read the channel back."""
        return None
