"""A local Slack-compatible Web API server for tests and benchmarks.

A real `ThreadingHTTPServer` on 127.0.0.1, port 0, in a thread. It speaks enough of the Web API for the bot
(`auth.test`, `chat.postMessage` with metadata, `chat.update`, `chat.postEphemeral`, `conversations.history`,
`conversations.replies`, `conversations.list`, `conversations.members`, `usergroups.users.list`,
`apps.connections.open`) and an incoming-webhook endpoint, keeps every message per
channel (threads and edits included), records every request, and can be scripted per test to answer
429 with Retry-After, 500, or `ok: false` errors, or to fail a share of calls at random. Like Slack it
rejects messages over the Block Kit limits with `invalid_blocks`.

    with SlackServer() as slack:
        env = {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url}
        ...
        slack.fail_next("chat.postMessage", status=429, retry_after=0)
        assert [m.text for m in slack.posts("#alerts")] == [...]

It also plays Slack's side of the app: `apps.connections.open` (with the app-level token) hands out a
WebSocket URL of a Socket Mode endpoint on loopback, where `socket_send` delivers envelopes and the client's
acknowledgements are recorded; `click_payload` and `command_payload` build what Slack sends for a button click
and a slash command, each with a `response_url` served here; `signed_post` posts one to a Request URL with
Slack's signature. Channel members (`conversations.members`) are `members[channel]`, else `default_members`.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

from slack_sdk.signature import SignatureVerifier

MENTION = re.compile(r"<[!@#][^>]*>")
SCOPES = ("chat:write", "chat:write.public", "channels:history", "channels:read", "groups:history", "groups:read")


@dataclass
class SlackMessage:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None = None
    edits: list[dict[str, Any]] = field(default_factory=list)  # earlier versions, oldest first
    metadata: dict[str, Any] | None = None

    def texts(self) -> list[str]:
        """Every string Slack would parse as mrkdwn: the text fallback and mrkdwn block texts."""
        found = [self.text]
        for block in self.blocks:
            for obj in [block.get("text"), *(block.get("fields") or []), *(block.get("elements") or [])]:
                if isinstance(obj, dict) and obj.get("type") == "mrkdwn":
                    found.append(str(obj.get("text", "")))
        return found

    def mentions(self) -> list[str]:
        return [m for t in self.texts() for m in MENTION.findall(t)]


@dataclass
class Request:
    method: str
    body: dict[str, Any]
    status: int
    error: str | None
    at: float = field(default_factory=time.monotonic)


@dataclass
class _Scripted:
    status: int
    error: str
    retry_after: int | None = None


def block_problem(blocks: Any) -> str | None:
    """Why Slack would refuse these blocks (invalid_blocks), or None."""
    if not isinstance(blocks, list) or len(blocks) > 50:
        return "more than 50 blocks"
    for i, block in enumerate(blocks):
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "header":
            text = block.get("text") or {}
            if text.get("type") != "plain_text" or not 0 < len(text.get("text", "")) <= 150:
                return f"blocks[{i}]: header text must be plain_text of 1-150 characters"
        elif kind == "section":
            text, fields = block.get("text"), block.get("fields")
            if text is None and not fields:
                return f"blocks[{i}]: section needs text or fields"
            if text is not None and not 0 < len(text.get("text", "")) <= 3000:
                return f"blocks[{i}]: section text must be 1-3000 characters"
            if fields is not None and (len(fields) > 10 or any(not 0 < len(f.get("text", "")) <= 2000 for f in fields)):
                return f"blocks[{i}]: at most 10 fields of 1-2000 characters"
        elif kind == "context":
            elements = block.get("elements") or []
            if not 0 < len(elements) <= 10:
                return f"blocks[{i}]: context needs 1-10 elements"
        elif kind not in ("divider", "actions", "image", "rich_text"):
            return f"blocks[{i}]: unknown block type {kind!r}"
    return None


class SlackServer:
    """State lives on the instance: one server per test."""

    def __init__(self, token: str = "xoxb-test-token", *, channels: tuple[str, ...] | None = None,
                 app_token: str = "xapp-test-token", scopes: tuple[str, ...] = SCOPES) -> None:
        self.token = token
        self.scopes = scopes  # sent in x-oauth-scopes, as Slack does on every Web API answer
        self.app_token = app_token
        self.usergroups: dict[str, list[str]] = {}
        self.members: dict[str, list[str]] = {}
        self.default_members = ["UBOT", "U0ANA", "U0BEN"]
        self.ephemeral: list[dict[str, Any]] = []   # chat.postEphemeral: channel, user, text
        self.responses: list[dict[str, Any]] = []   # what was posted to response_urls, with its "url"
        self._numbers = itertools.count(1)
        self._socket: SocketModeEndpoint | None = None
        self.known_channels = set(channels) if channels is not None else None  # None: any name exists
        self.lock = threading.RLock()
        self.requests: list[Request] = []
        self.messages: dict[str, list[SlackMessage]] = {}
        self.channel_ids: dict[str, str] = {}
        self.webhook: list[SlackMessage] = []
        self._script: dict[str, deque[_Scripted]] = {}
        self._always: dict[str, _Scripted] = {}
        self._fail_rate = 0.0
        self._random_retry_after = 0
        self._hold: tuple[str, int, threading.Event, bool] | None = None
        self._waiting = 0
        self._rng = random.Random(0)
        self._last_ts = 0.0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    # -- lifecycle -----------------------------------------------------------------------------------------------
    def start(self) -> "SlackServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._socket is not None:
            self._socket.stop()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "SlackServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/api/"

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/services/T000/B000/XXXX"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    # -- Slack's side of the app ---------------------------------------------------------------------------------
    def response_url(self) -> str:
        """A fresh response_url, like the one Slack puts in every click and command payload."""
        return f"{self.base_url}/response/{next(self._numbers)}"

    def click_payload(self, message: SlackMessage, action_id: str, *, user_id: str = "U0ANA",
                      user_name: str = "ana") -> dict[str, Any]:
        """The `block_actions` payload Slack sends when user clicks the button action_id of message."""
        buttons = [e for b in message.blocks if b.get("type") == "actions" for e in b.get("elements") or []
                   if e.get("action_id") == action_id]
        assert buttons, f"no button {action_id!r} on the message (its blocks: {[b.get('type') for b in message.blocks]})"
        button = buttons[0]
        block_id = next(b.get("block_id") for b in message.blocks if button in (b.get("elements") or []))
        number = next(self._numbers)
        return {
            "type": "block_actions", "api_app_id": "A000", "team": {"id": "T000", "domain": "test"},
            "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": "T000"},
            "container": {"type": "message", "message_ts": message.ts, "channel_id": message.channel,
                          "is_ephemeral": False, **({"thread_ts": message.thread_ts} if message.thread_ts else {})},
            "trigger_id": f"{number}.{number}.trigger", "channel": {"id": message.channel, "name": "channel"},
            "message": {"type": "message", "ts": message.ts, "text": message.text, "blocks": message.blocks},
            "response_url": self.response_url(),
            "actions": [{"type": "button", "action_id": action_id, "block_id": block_id, "value": button.get("value"),
                         "text": button.get("text"), "action_ts": f"{time.time():.6f}"}],
        }

    def command_payload(self, text: str, *, user_id: str = "U0ANA", channel: str = "#discourse-alerts",
                        command: str = "/discourse") -> dict[str, str]:
        """The fields of a slash command as Slack sends them (form fields over HTTP, JSON in Socket Mode)."""
        number = next(self._numbers)
        return {"token": "legacy", "team_id": "T000", "team_domain": "test", "channel_id": self.channel_id(channel),
                "channel_name": channel.lstrip("#"), "user_id": user_id, "user_name": "ana", "command": command,
                "text": text, "api_app_id": "A000", "response_url": self.response_url(),
                "trigger_id": f"{number}.{number}.trigger"}

    @property
    def socket(self) -> "SocketModeEndpoint":
        """The Socket Mode endpoint (started on first use)."""
        with self.lock:
            if self._socket is None:
                self._socket = SocketModeEndpoint().start()
            return self._socket

    def socket_send(self, kind: str, payload: dict[str, Any], *, envelope_id: str | None = None,
                    retry_attempt: int | None = None) -> str:
        """Deliver one envelope (`interactive`, `slash_commands`) to every connected client; its envelope id."""
        return self.socket.send(kind, payload, envelope_id=envelope_id, retry_attempt=retry_attempt)

    # -- scripting -----------------------------------------------------------------------------------------------
    def fail_next(self, method: str, *, status: int = 200, error: str = "internal_error",
                  retry_after: int | None = None, times: int = 1) -> None:
        """The next `times` calls of method answer this (429 → error ratelimited with Retry-After)."""
        if status == 429:
            error = "ratelimited"
        with self.lock:
            queue = self._script.setdefault(method, deque())
            queue.extend(_Scripted(status, error, retry_after) for _ in range(times))

    def fail_always(self, method: str, *, error: str, status: int = 200) -> None:
        with self.lock:
            self._always[method] = _Scripted(status, error)

    def heal(self, method: str) -> None:
        with self.lock:
            self._always.pop(method, None)

    def hold_after(self, method: str, count: int, gate: threading.Event, *, after_doing: bool = False) -> None:
        """After count calls of method, the next one waits for gate before doing anything (after_doing: it
        does its work, then waits before answering, as when a client dies just after Slack posted)."""
        with self.lock:
            self._hold = (method, count, gate, after_doing)

    def waiting(self) -> int:
        """How many requests are waiting at the gate of hold_after."""
        with self.lock:
            return self._waiting

    def _maybe_hold(self, method: str, *, after_doing: bool) -> bool:
        """Wait at the gate if this call is the held one; True when the client is to get no answer."""
        with self.lock:
            hold = self._hold
            if (hold is None or hold[0] != method or hold[3] != after_doing
                    or len([r for r in self.requests if r.method == method]) < hold[1]):
                return False
            self._hold = None
            self._waiting += 1
        hold[2].wait(timeout=60)
        with self.lock:
            self._waiting -= 1
        return True

    def fail_randomly(self, rate: float, *, seed: int = 0, retry_after: int = 0) -> None:
        """A share of all calls fails before doing anything: half 429 (with Retry-After), half 500."""
        with self.lock:
            self._fail_rate = rate
            self._rng = random.Random(seed)
            self._random_retry_after = retry_after

    # -- inspection ----------------------------------------------------------------------------------------------
    def channel_id(self, name: str) -> str:
        with self.lock:
            key = name.lstrip("#")
            if key.startswith("C") and key.isupper() and key in self.channel_ids.values():
                return key
            return self.channel_ids.setdefault(key, f"C{len(self.channel_ids) + 1:08d}")

    def posts(self, channel: str) -> list[SlackMessage]:
        """Top-level messages of a channel (name or id), oldest first."""
        with self.lock:
            return [m for m in self.messages.get(self.channel_id(channel), []) if m.thread_ts is None]

    def replies(self, channel: str, ts: str) -> list[SlackMessage]:
        with self.lock:
            return [m for m in self.messages.get(self.channel_id(channel), []) if m.thread_ts == ts]

    def all_messages(self) -> list[SlackMessage]:
        with self.lock:
            return [m for ms in self.messages.values() for m in ms] + list(self.webhook)

    def calls(self, method: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.method == method]

    def _next_ts(self) -> str:
        """A message ts like Slack's: epoch seconds with microseconds, unique and increasing."""
        self._last_ts = max(time.time(), self._last_ts + 0.000001)
        return f"{self._last_ts:.6f}"

    # -- the API -------------------------------------------------------------------------------------------------
    def _answer(self, method: str, body: dict[str, Any], auth: str | None) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self.lock:
            scripted = self._always.get(method)
            queue = self._script.get(method)
            if scripted is None and queue:
                scripted = queue.popleft()
            if scripted is None and self._fail_rate and self._rng.random() < self._fail_rate:
                scripted = (_Scripted(429, "ratelimited", self._random_retry_after) if self._rng.random() < 0.5
                            else _Scripted(500, "internal_error"))
            if scripted is not None:
                headers = {"Retry-After": str(scripted.retry_after or 0)} if scripted.status == 429 else {}
                return scripted.status, {"ok": False, "error": scripted.error}, headers
            if method == "webhook":
                return self._webhook(body)
            if method == "response_url":
                self.responses.append(body)
                return 200, {"_raw": "ok"}, {}
            if method == "apps.connections.open":
                if auth != f"Bearer {self.app_token}":
                    return 200, {"ok": False, "error": "invalid_auth"}, {}
                return 200, {"ok": True, "url": self.socket.url}, {}
            if auth != f"Bearer {self.token}":
                return 200, {"ok": False, "error": "not_authed" if not auth else "invalid_auth"}, {}
            if method == "auth.test":
                return 200, {"ok": True, "user_id": "UBOT", "team_id": "T000"}, {}
            if method == "chat.postMessage":
                return self._post(body)
            if method == "chat.update":
                return self._update(body)
            if method in ("conversations.history", "conversations.replies"):
                return self._history(body, replies=method == "conversations.replies")
            if method == "chat.postEphemeral":
                if not body.get("user") or not body.get("text"):
                    return 200, {"ok": False, "error": "invalid_arguments"}, {}
                self.ephemeral.append({"channel": body.get("channel"), "user": body["user"], "text": body["text"]})
                return 200, {"ok": True, "message_ts": self._next_ts()}, {}
            if method == "usergroups.users.list":
                group = str(body.get("usergroup") or "")
                if group not in self.usergroups:
                    return 200, {"ok": False, "error": "no_such_subteam"}, {}
                return 200, {"ok": True, "users": self.usergroups[group]}, {}
            if method == "conversations.members":
                channel = str(body.get("channel") or "")
                name = next((n for n, i in self.channel_ids.items() if i == channel), channel)
                members = self.members.get(channel, self.members.get(f"#{name}", self.default_members))
                return 200, {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}, {}
            if method == "conversations.list":
                return 200, {"ok": True, "channels": [{"id": i, "name": n} for n, i in self.channel_ids.items()],
                             "response_metadata": {"next_cursor": ""}}, {}
            return 200, {"ok": False, "error": "unknown_method"}, {}

    def _check(self, body: dict[str, Any]) -> str | None:
        blocks = body.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
            body["blocks"] = blocks
        if not body.get("text") and not blocks:
            return "no_text"
        if len(str(body.get("text") or "")) > 40000:
            return "msg_too_long"
        if blocks is not None and block_problem(blocks):
            return "invalid_blocks"
        return None

    def _post(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        name = str(body.get("channel") or "")
        if not name or (self.known_channels is not None and name not in self.known_channels
                        and name.lstrip("#") not in self.known_channels and name not in self.channel_ids.values()):
            return 200, {"ok": False, "error": "channel_not_found"}, {}
        problem = self._check(body)
        if problem:
            return 200, {"ok": False, "error": problem}, {}
        channel = self.channel_id(name)
        thread_ts = body.get("thread_ts")
        history = self.messages.setdefault(channel, [])
        if thread_ts and not any(m.ts == thread_ts and m.thread_ts is None for m in history):
            return 200, {"ok": False, "error": "thread_not_found"}, {}
        metadata = body.get("metadata")
        message = SlackMessage(channel, self._next_ts(), str(body.get("text") or ""),
                               list(body.get("blocks") or []), thread_ts,
                               metadata=json.loads(metadata) if isinstance(metadata, str) else metadata)
        history.append(message)
        return 200, {"ok": True, "channel": channel, "ts": message.ts,
                     "message": {"text": message.text, "ts": message.ts}}, {}

    def _history(self, body: dict[str, Any], *, replies: bool) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Newest first, like Slack; metadata only with include_all_metadata; one page."""
        channel = str(body.get("channel") or "")
        if channel not in self.channel_ids.values():
            return 200, {"ok": False, "error": "channel_not_found"}, {}
        oldest = float(body.get("oldest") or 0)
        history = self.messages.get(channel, [])
        if replies:
            ts = body.get("ts")
            chosen = [m for m in history if m.ts == ts or m.thread_ts == ts]
        else:
            chosen = [m for m in history if m.thread_ts is None]
        with_metadata = str(body.get("include_all_metadata")).lower() in ("1", "true")
        messages = [{"type": "message", "ts": m.ts, "text": m.text,
                     **({"thread_ts": m.thread_ts} if m.thread_ts else {}),
                     **({"metadata": m.metadata} if with_metadata and m.metadata else {})}
                    for m in reversed(chosen) if float(m.ts) > oldest]
        return 200, {"ok": True, "messages": messages, "has_more": False,
                     "response_metadata": {"next_cursor": ""}}, {}

    def _update(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        channel = str(body.get("channel") or "")
        if channel not in self.messages:  # like Slack, chat.update wants a channel id
            return 200, {"ok": False, "error": "channel_not_found"}, {}
        problem = self._check(body)
        if problem:
            return 200, {"ok": False, "error": problem}, {}
        for message in self.messages[channel]:
            if message.ts == body.get("ts"):
                message.edits.append({"text": message.text, "blocks": message.blocks})
                message.text, message.blocks = str(body.get("text") or ""), list(body.get("blocks") or [])
                return 200, {"ok": True, "channel": channel, "ts": message.ts}, {}
        return 200, {"ok": False, "error": "message_not_found"}, {}

    def _webhook(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        problem = self._check(body)
        if problem:
            return 400, {"_raw": problem}, {}
        self.webhook.append(SlackMessage("webhook", self._next_ts(), str(body.get("text") or ""),
                                         list(body.get("blocks") or [])))
        return 200, {"_raw": "ok"}, {}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                self.do_POST()

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                if "?" in self.path:
                    body.update({k: v[0] for k, v in parse_qs(self.path.split("?", 1)[1]).items()})
                if self.path.startswith("/services/"):
                    method = "webhook"
                elif self.path.startswith("/response/"):
                    method = "response_url"
                    body["url"] = server.base_url + self.path
                else:
                    method = self.path.split("?")[0].removeprefix("/api/")
                if server._maybe_hold(method, after_doing=False):
                    self.close_connection = True
                    return
                status, payload, headers = server._answer(method, body, self.headers.get("Authorization"))
                if method != "webhook" and self.headers.get("Authorization") == f"Bearer {server.token}":
                    headers = {**headers, "x-oauth-scopes": ",".join(server.scopes)}
                if server._maybe_hold(method, after_doing=True):
                    self.close_connection = True
                    return
                with server.lock:
                    error = payload.get("error") if not payload.get("ok", "_raw" in payload) else None
                    if "_raw" in payload and payload["_raw"] != "ok":
                        error = payload["_raw"]
                    server.requests.append(Request(method, body, status, error))
                if "_raw" in payload:
                    data, ctype = str(payload["_raw"]).encode(), "text/plain"
                else:
                    data, ctype = json.dumps(payload).encode(), "application/json; charset=utf-8"
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


class SocketModeEndpoint:
    """Slack's Socket Mode WebSocket on loopback: says hello to each client, delivers envelopes to every open
    connection, and records each acknowledgement (the envelope id, with any payload) as it arrives."""

    def __init__(self) -> None:
        from websockets.sync.server import serve

        self.lock = threading.Lock()
        self.connections: list[Any] = []
        self.acks: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self._arrived = threading.Condition(self.lock)
        self._numbers = itertools.count(1)
        self._server = serve(self._session, "127.0.0.1", 0, compression=None)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link/?ticket={next(self._numbers)}"

    def start(self) -> "SocketModeEndpoint":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def _session(self, connection: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        connection.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A000"},
                                    "debug_info": {"host": "local"}}))
        with self._arrived:
            self.connections.append(connection)
            self._arrived.notify_all()
        try:
            for raw in connection:
                message = json.loads(raw)
                with self._arrived:
                    self.acks.append({**message, "at": time.monotonic()})
                    self._arrived.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._arrived:
                self.connections.remove(connection)
                self._arrived.notify_all()

    def wait_connected(self, timeout: float = 15.0) -> None:
        with self._arrived:
            assert self._arrived.wait_for(lambda: self.connections, timeout), "no Socket Mode client connected"

    def send(self, kind: str, payload: dict[str, Any], *, envelope_id: str | None = None,
             retry_attempt: int | None = None) -> str:
        self.wait_connected()
        envelope = {"envelope_id": envelope_id or f"envelope-{next(self._numbers)}", "type": kind, "payload": payload,
                    "accepts_response_payload": kind != "events_api",
                    **({"retry_attempt": retry_attempt, "retry_reason": "timeout"} if retry_attempt else {})}
        with self.lock:
            targets = list(self.connections)
            self.sent.append(envelope)
        for connection in targets:
            connection.send(json.dumps(envelope))
        return str(envelope["envelope_id"])

    def wait_ack(self, envelope_id: str, *, count: int = 1, timeout: float = 15.0) -> list[dict[str, Any]]:
        """The acknowledgements of an envelope once there are `count` of them."""
        def found() -> list[dict[str, Any]]:
            return [a for a in self.acks if a.get("envelope_id") == envelope_id]
        with self._arrived:
            assert self._arrived.wait_for(lambda: len(found()) >= count, timeout), f"no ack of {envelope_id}"
            return found()


def signed_post(url: str, fields: dict[str, Any], secret: str, *, timestamp: int | None = None,
                signature: str | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """POST a form to a Request URL as Slack does, signed with secret (a click's payload goes as the JSON
    field `payload`); `signature=""` leaves the signature out. Status and body of the answer."""
    body = urlencode(fields)
    when = str(int(time.time()) if timestamp is None else timestamp)
    signed = SignatureVerifier(secret).generate_signature(timestamp=when, body=body)
    sent = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": when, **(headers or {})}
    if signature != "":
        sent["X-Slack-Signature"] = signature or signed
    request = urllib.request.Request(url, data=body.encode(), headers=sent, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
