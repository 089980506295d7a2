"""Slack notifiers: the Web API (threads, edits, channel ids and ts) and incoming webhooks (one channel, no ts)."""

from __future__ import annotations

import datetime as dt
import logging
import random
import socket
import time
from collections.abc import Sequence
from http.client import RemoteDisconnected
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState
from slack_sdk.webhook import WebhookClient

from bot.notify.blocks import Message, without_buttons
from bot.notify.notifier import BLOCK_ERRORS, NotifyError, Posted, fingerprint

log = logging.getLogger(__name__)
DEFAULT_API_URL = "https://slack.com/api/"
METADATA_EVENT = "discourse_bot_alert"
# What `find` reads to tell whether a post cut short by a crash reached Slack (public, then private channels).
RECOVERY_SCOPES = ("channels:history", "channels:read", "groups:history", "groups:read")


TRANSIENT_STATUS = frozenset({500, 502, 503, 504})
MAX_RETRIES = 10           # per call; a budget is what usually ends the retries
CALL_BUDGET = 15.0         # seconds of retries for one call outside a delivery pass (a button's answer)


class RetryBudget:
    """The seconds that retries of transient Slack errors may spend waiting, shared by every call of one
    delivery pass (it starts when made): a Slack that fails for a moment is waited for, one that is down costs
    the pass at most this."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._deadline = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self._deadline - time.monotonic())


class TransientRetryHandler(RetryHandler):
    """Retries what may succeed a moment later, while the budget lasts: 429 after its Retry-After, 500/502/
    503/504 and connections that could not be made, with exponential backoff and a proportional jitter.

    A POST is retried after a connection error only when it cannot have reached Slack (refused, unresolvable):
    a reset after sending may follow a post Slack made, and posting again would repeat the message. Delivery
    records such an alert as `connection_error` and checks Slack before posting it again."""

    def __init__(self, backoff: float, budget: RetryBudget | None = None, *, max_retry_count: int = MAX_RETRIES) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.backoff = backoff
        self.budget = budget

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:
        wait = self._wait(state, request, response, error)
        values = state.custom_values = state.custom_values or {}
        spent = float(values.get("spent", 0.0))
        left = self.budget.remaining() if self.budget is not None else CALL_BUDGET - spent
        if wait is None or left <= 0 or wait > left:
            return False
        values["wait"], values["spent"] = wait, spent + wait
        return True

    def prepare_for_next_attempt(self, *, state: RetryState, request: HttpRequest,
                                 response: HttpResponse | None = None, error: Exception | None = None) -> None:
        state.next_attempt_requested = True
        time.sleep(float((state.custom_values or {}).get("wait", 0.0)))
        state.increment_current_attempt()

    def _wait(self, state: RetryState, request: HttpRequest, response: HttpResponse | None,
              error: Exception | None) -> float | None:
        """Seconds to wait before trying again; None when the failure is not one a retry may cure."""
        backoff = self.backoff * 2.0 ** state.current_attempt * (1 + random.random())
        if response is not None:
            if response.status_code == 429:
                return _retry_after(response) + random.random() * min(1.0, 2 * self.backoff)
            return backoff if response.status_code in TRANSIENT_STATUS else None
        if error is None or not isinstance(error, (URLError, ConnectionError, RemoteDisconnected, socket.timeout)):
            return None
        if str(request.method).upper() == "GET":
            return backoff
        reason = error.reason if isinstance(error, URLError) else error
        return backoff if isinstance(reason, (ConnectionRefusedError, socket.gaierror)) else None


def _retry_after(response: HttpResponse) -> float:
    header = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), None)
    try:
        return max(float(header[0] if isinstance(header, list) else header), 0.0) if header is not None else 1.0
    except ValueError:
        return 1.0


def retry_handlers(backoff: float, budget: RetryBudget | None = None) -> list[RetryHandler]:
    """The one handler for every transient failure, within `budget` (CALL_BUDGET per call when None)."""
    return [TransientRetryHandler(backoff, budget)]


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

    def __init__(self, token: str, api_url: str | None = None, *, backoff: float = 0.5, timeout: int = 30,
                 budget: RetryBudget | None = None) -> None:
        base = (api_url or DEFAULT_API_URL).rstrip("/") + "/"
        self.client = WebClient(token=token, base_url=base, timeout=timeout,
                                retry_handlers=retry_handlers(backoff, budget))
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

    def __init__(self, url: str, *, backoff: float = 0.5, timeout: int = 30, budget: RetryBudget | None = None) -> None:
        self.client = WebhookClient(url, timeout=timeout, retry_handlers=retry_handlers(backoff, budget))

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
