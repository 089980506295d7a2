"""The bot's Slack app: button clicks and `/discourse` commands, by Socket Mode or by an HTTP Request URL.

Both ways end in `Interactions.receive`, after Slack has been answered (within its 3 seconds: the Socket
Mode envelope is acknowledged, the HTTP request gets its 200), and the work is done on two threads of our
own. A redelivery (the same envelope, or the same click again after `X-Slack-Retry-Num`) is dropped here;
one that slips through (another worker took the first) still changes nothing, since an alert is decided once.

Environment:
- SLACK_BOT_TOKEN: needed: the buttons are on messages the bot posts, and it edits them;
- SLACK_APP_TOKEN (xapp-…, scope connections:write): Socket Mode, no public URL needed;
- SLACK_SIGNING_SECRET: `POST /slack/actions` and `/slack/commands` on the health server's port
  (DISCOURSE_BOT_HEALTH_PORT), each request's signature checked.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.cli.render import describe_stance
from bot.config import Actor, Config
from bot.errors import BotError
from bot.notify.actions import Command, Desk, Refused, parse_click, parse_command, verify_signature
from bot.notify.escape import escape
from bot.notify.names import Names
from bot.notify.slack import DEFAULT_API_URL, WebApiNotifier, retry_handlers
from bot.observability import PostRoute
from bot.store import Store
from bot.store.baseline import current

log = logging.getLogger(__name__)
WORKERS = 2
STOP_WAIT = 2.0          # seconds for the work in hand when the worker stops
REMEMBER = 3600.0        # seconds a delivery is remembered, to drop its redeliveries
CONNECT_RETRY = 10.0     # seconds between attempts to open Socket Mode while Slack cannot be reached
CLOSE_WAIT = 0.5         # seconds a stop waits for the Socket Mode connection to close
USAGE = ("`/discourse baseline ACTOR`: the actor's current stances, as the bot holds them (only you see the "
         "answer)\n`/discourse help`: this help")


class Interactions:
    """Requests from the Slack app, from either way in; `start()` opens Socket Mode, `routes` serve HTTP."""

    def __init__(self, store: Store, config: Config, notifier: WebApiNotifier, *, app_token: str | None = None,
                 signing_secret: str | None = None, desk: Desk | None = None) -> None:
        self.store, self.config = store, config
        self.names = Names.of(config)
        self.desk = desk or Desk(store, config, notifier)
        self.signing_secret = signing_secret
        self.socket = SocketMode(self, app_token, notifier) if app_token else None
        self._seen = _Recent(REMEMBER)
        self._work: queue.Queue[tuple[str, Mapping[str, Any], str] | None] = queue.Queue()
        self._counts = threading.Condition()
        self._received = self._pending = 0
        self._threads = [threading.Thread(target=self._serve, name=f"slack-interactive-{n}", daemon=True)
                         for n in range(WORKERS)]

    @classmethod
    def from_env(cls, env: Mapping[str, str], config: Config, store: Store) -> Interactions | None:
        """The Slack app's ways in that the environment sets up; None when it sets up neither."""
        app_token, secret = env.get("SLACK_APP_TOKEN") or None, env.get("SLACK_SIGNING_SECRET") or None
        if not app_token and not secret:
            return None
        bot_token = env.get("SLACK_BOT_TOKEN")
        if not bot_token:
            raise BotError("SLACK_APP_TOKEN and SLACK_SIGNING_SECRET need SLACK_BOT_TOKEN as well: the buttons are "
                           "on the messages the bot posts with it, and it edits them")
        if app_token and not app_token.startswith("xapp-"):
            raise BotError("SLACK_APP_TOKEN must be an app-level token (xapp-…, with connections:write), "
                           "made under Basic Information in the app's settings")
        notifier = WebApiNotifier(bot_token, env.get("SLACK_API_URL") or None, backoff=config.delivery.retry_backoff)
        return cls(store, config, notifier, app_token=app_token, signing_secret=secret)

    # -- life cycle ------------------------------------------------------------------------------------------

    def start(self) -> Interactions:
        for thread in self._threads:
            thread.start()
        if self.socket is not None:
            try:
                self.socket.start()
            except BotError:
                self.stop()
                raise
        return self

    def stop(self) -> None:
        """No new requests; the work in hand gets STOP_WAIT seconds."""
        if self.socket is not None:
            self.socket.stop()
        self.settle(timeout=STOP_WAIT)
        for _ in self._threads:
            self._work.put(None)

    def settle(self, received: int = 0, *, timeout: float = 10.0) -> bool:
        """Wait until at least `received` requests came in and all of them are handled; False on timeout."""
        with self._counts:
            return self._counts.wait_for(lambda: self._received >= received and not self._pending, timeout)

    # -- one request, already answered -----------------------------------------------------------------------

    def receive(self, kind: str, payload: Mapping[str, Any], *, via: str, delivery: str | None = None,
                retry: int = 0) -> None:
        """Queue a request Slack has been answered for; kind is `interactive` or `slash_commands`."""
        keys = [k for k in (delivery, str(payload.get("trigger_id") or "")) if k]
        fresh = all(self._seen.add(k) for k in keys)
        with self._counts:
            self._received += 1
            self._pending += fresh
            self._counts.notify_all()
        if not fresh:
            log.info("dropped a redelivered Slack request (retry %s)", retry,
                     extra={"action": "slack.redelivery", "via": via})
            return
        self._work.put((kind, payload, via))

    def _serve(self) -> None:
        while (item := self._work.get()) is not None:
            kind, payload, via = item
            try:
                if kind == "interactive":
                    click = parse_click(payload)
                    if click is not None:
                        self.desk.click(click, via=via)
                elif kind == "slash_commands":
                    command = parse_command(payload)
                    self.desk.tell(command.response_url, command.channel, command.user_id, self.answer(command))
            except Refused as exc:
                refused(exc, via)
            except Exception:  # one bad request must not stop the others
                log.exception("could not handle a Slack %s request", kind, extra={"action": "slack.crash"})
            finally:
                with self._counts:
                    self._pending -= 1
                    self._counts.notify_all()

    def answer(self, command: Command) -> str:
        """The answer to `/discourse …`, in mrkdwn."""
        word, _, rest = command.text.partition(" ")
        if word.lower() == "baseline" and rest:
            return self._baseline(rest)
        return USAGE

    def _baseline(self, wanted: str) -> str:
        actor = _actor_named(self.config, wanted)
        if actor is None:
            known = ", ".join(f"{a.name} (`{a.id}`)" for a in self.config.actors)
            return f"No watched actor is called “{escape(wanted)}”. Watched: {escape(known) or 'none'}."
        rows = current(self.store, actor.id)
        if not rows:
            return f"No stance of {escape(actor.name)} is recorded yet."
        lines = [f"• {escape(describe_stance(self.names, r.actor, r.subject, r.stance))}"
                 + (f" (since {r.since:%Y-%m-%d})" if r.since else "") for r in rows]
        return f"*{escape(actor.name)}*: {len(rows)} stance{'s' if len(rows) != 1 else ''}\n" + "\n".join(lines)

    # -- the HTTP Request URL --------------------------------------------------------------------------------

    @property
    def routes(self) -> dict[str, PostRoute]:
        """`POST /slack/actions` (buttons) and `/slack/commands` (the slash command); none without a secret."""
        if not self.signing_secret:
            return {}
        return {"/slack/actions": lambda h, b: self._http("interactive", h, b),
                "/slack/commands": lambda h, b: self._http("slash_commands", h, b)}

    def _http(self, kind: str, headers: Mapping[str, str], body: bytes) -> tuple[int, bytes, str]:
        headers = {k.lower(): v for k, v in headers.items()}
        fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if fields.get("ssl_check"):  # Slack checking the certificate of a command's URL: nothing to do
            return 200, b"", "text/plain"
        assert self.signing_secret
        try:
            verify_signature(self.signing_secret, headers, body)
            payload: Any = json.loads(fields.get("payload") or "") if kind == "interactive" else fields
            if not isinstance(payload, dict):
                raise ValueError("not an object")
        except Refused as exc:
            refused(exc, "slack-http")
            return 401, b"refused\n", "text/plain"
        except ValueError:
            refused(Refused("malformed", "a body that is not a Slack payload"), "slack-http")
            return 400, b"malformed\n", "text/plain"
        retry = headers.get("x-slack-retry-num", "0")
        self.receive(kind, payload, via="slack-http", retry=int(retry) if retry.isdigit() else 0)
        return 200, b"", "text/plain"


class SocketMode:
    """slack_sdk's Socket Mode client on its own threads: every envelope acknowledged at once, then queued."""

    def __init__(self, interactions: Interactions, app_token: str, notifier: WebApiNotifier) -> None:
        self.interactions, self.app_token = interactions, app_token
        base = str(notifier.client.base_url or DEFAULT_API_URL)
        self.web = WebClient(base_url=base, timeout=10, retry_handlers=retry_handlers(0.5))
        self.client: SocketModeClient | None = None
        self._stopping = threading.Event()
        self._retry: threading.Thread | None = None

    def start(self) -> None:
        """Connect; a refused app token is an error, an unreachable Slack is tried again in the background."""
        self.client = SocketModeClient(app_token=self.app_token, web_client=self.web, concurrency=2)
        self.client.socket_mode_request_listeners.append(self._on_request)
        try:
            self.client.connect()
        except SlackApiError as exc:
            self.stop()
            raise BotError(f"Slack refused SLACK_APP_TOKEN ({exc.response.get('error')}): it must be the app's "
                           "app-level token with connections:write, and Socket Mode must be on") from exc
        except (SlackClientError, OSError) as exc:
            log.warning("cannot reach Slack for Socket Mode (%s); trying again every %g s", exc, CONNECT_RETRY,
                        extra={"action": "slack.socket_mode"})
            self._retry = threading.Thread(target=self._connect_later, name="socket-mode-connect", daemon=True)
            self._retry.start()
            return
        log.info("Socket Mode connected: clicks and /discourse arrive without a public URL",
                 extra={"action": "slack.socket_mode"})

    def _connect_later(self) -> None:
        while not self._stopping.wait(CONNECT_RETRY):
            try:
                assert self.client is not None
                self.client.connect()
                log.info("Socket Mode connected", extra={"action": "slack.socket_mode"})
                return
            except (SlackApiError, SlackClientError, OSError) as exc:
                log.warning("Socket Mode still cannot connect: %s", exc, extra={"action": "slack.socket_mode"})

    def _on_request(self, client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        if self._stopping.is_set():
            return
        client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))  # ack first
        if request.type in ("interactive", "slash_commands"):
            self.interactions.receive(request.type, request.payload, via="slack-socket",
                                      delivery=request.envelope_id, retry=request.retry_attempt or 0)

    def stop(self) -> None:
        """Take no more envelopes (those that come unacknowledged go to another connection) and close. slack_sdk's
        close waits for a socket read of up to 3 s; it goes on in the background, so a stop stays prompt."""
        self._stopping.set()
        if self.client is not None:
            self.client.auto_reconnect_enabled = False
            closer = threading.Thread(target=self.client.close, name="socket-mode-close", daemon=True)
            closer.start()
            closer.join(CLOSE_WAIT)


class _Recent:
    """Keys seen in the last `ttl` seconds; `add` is False for a key already there."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def add(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {k: t for k, t in self._seen.items() if now - t < self.ttl}
            seen = self._seen.get(key)
            if seen is not None and now - seen < self.ttl:
                return False
            self._seen[key] = now
            return True


def refused(exc: Refused, via: str) -> None:
    """The one log line of a refused request: why, never what it carried."""
    log.warning("refused a Slack request: %s", exc, extra={"action": "slack.refused", "reason": exc.reason,
                                                          "via": via})


def _actor_named(config: Config, wanted: str) -> Actor | None:
    key = wanted.strip().casefold()
    return next((a for a in config.actors if key == a.id.casefold() or key in (n.casefold() for n in a.names)), None)
