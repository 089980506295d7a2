"""Logs, metrics and health: JSON lines for machines, readable text on a terminal, Prometheus on request.

Environment (all optional):
- DISCOURSE_BOT_LOG_FORMAT: json | text | auto (default auto: text on a terminal, JSON otherwise)
- DISCOURSE_BOT_LOG_LEVEL: debug | info | warning | error (overrides -v)
- DISCOURSE_BOT_HEALTH_PORT: serve /metrics and /healthz on this port while `run` is running (and the Slack
  app's Request URLs, POST /slack/actions and /slack/commands, when SLACK_SIGNING_SECRET is set)

Every line, whichever library logs it (slack_sdk, httpx, SQLAlchemy...), goes through the root handler's
formatter, which redacts credentials (`Redactor`): the Slack token and webhook URL, the signing secret,
the database password, and anything shaped like them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, urlsplit

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "taskName"}
MAX_POST_BYTES = 1 << 20
PostRoute = Callable[[Mapping[str, str], bytes], tuple[int, bytes, str]]
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}

# Environment variables whose values are credentials; DISCOURSE_BOT_DATABASE_URL's password is one too.
SECRET_ENV = ("SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_SECRET")
DATABASE_ENV = "DISCOURSE_BOT_DATABASE_URL"
REDACTED = "[redacted]"
_SHAPES = (  # credentials recognised by their form, wherever they come from (a --database-url, an error text)
    (re.compile(r"\b(xox[a-z](?:\.[a-z]+)?-|xapp-)[A-Za-z0-9-]+"), rf"\1{REDACTED}"),   # Slack tokens
    (re.compile(r"(/services/)T[A-Za-z0-9_-]*/[^\s'\"<>]+"), rf"\1{REDACTED}"),          # incoming webhook paths
    (re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@'\"<>]*:)[^\s@/'\"<>]+@"), rf"\1{REDACTED}@"),  # user:password@
)


class Redactor:
    """Takes credentials out of text: the values of SECRET_ENV (also percent-encoded), the database URL's
    password, and anything shaped like a Slack token, a webhook path or a URL's password."""

    MIN_LENGTH = 8  # shorter values would blank ordinary words; their URL or token shape still catches them

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        values = [env.get(name) or "" for name in SECRET_ENV]
        try:
            values.append(urlsplit(env.get(DATABASE_ENV) or "").password or "")
        except ValueError:
            pass
        found = {v for value in values for v in (value, quote(value, safe="")) if len(v) >= self.MIN_LENGTH}
        self._values = sorted(found, key=len, reverse=True)  # a URL before the token inside it

    def __call__(self, text: str) -> str:
        for value in self._values:
            if value in text:
                text = text.replace(value, REDACTED)
        for pattern, replacement in _SHAPES:
            text = pattern.sub(replacement, text)
        return text


class JsonFormatter(logging.Formatter):
    """One JSON object per record, with `extra={...}` fields (such as `action`, `feed`) kept as keys;
    credentials redacted from the message, the exception and every field."""

    def __init__(self, redact: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self.redact = redact or Redactor()

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": self.redact(record.getMessage()),
        }
        data.update({k: self._clean(v) for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            data["exception"] = self.redact(self.formatException(record.exc_info))
        if record.stack_info:
            data["stack"] = self.redact(self.formatStack(record.stack_info))
        return json.dumps(data, default=lambda value: self.redact(str(value)))

    def _clean(self, value: Any) -> Any:
        if value is None or isinstance(value, (bool, int, float)):
            return value
        return self.redact(value if isinstance(value, str) else str(value))


class TextFormatter(logging.Formatter):
    """Readable lines for a person at a terminal; extra fields appended as key=value; credentials redacted."""

    def __init__(self, redact: Callable[[str], str] | None = None) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(message)s", "%H:%M:%S")
        self.redact = redact or Redactor()

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extra = {k: v for k, v in record.__dict__.items() if k not in _STANDARD and k != "action"}
        return self.redact(line + ("  " + " ".join(f"{k}={v}" for k, v in extra.items()) if extra else ""))


def configure_logging(verbosity: int = 0, stream: Any = None, *, service: bool = False) -> None:
    """Set up the root logger: one handler, whose formatter redacts credentials from every record.

    Commands: warnings by default (-v info, -vv debug) on stderr, so machine-readable stdout stays clean.
    A service (`run`): info on stdout, where container runtimes collect it.
    """
    stream = stream or (sys.stdout if service else sys.stderr)
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    if service:
        level = min(level, logging.INFO)
    level = _LEVELS.get(os.environ.get("DISCOURSE_BOT_LOG_LEVEL", "").lower(), level)
    form = os.environ.get("DISCOURSE_BOT_LOG_FORMAT", "auto").lower()
    text = form == "text" or (form != "json" and _isatty(stream))
    handler = logging.StreamHandler(stream)
    handler.setFormatter(TextFormatter() if text else JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Metrics:
    """The worker's Prometheus metrics, in a registry of its own (one per process, or per test)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.polls = Counter("discourse_bot_polls", "Feed polls by outcome (ok, not_modified, error)",
                             ["feed", "outcome"], registry=self.registry)
        self.new_documents = Counter("discourse_bot_new_documents", "New documents processed", ["feed"],
                                     registry=self.registry)
        self.alerts = Counter("discourse_bot_alerts", "Alerts written to the outbox", registry=self.registry)
        self.poll_seconds = Histogram("discourse_bot_poll_seconds", "Time to poll and process one feed",
                                      registry=self.registry)
        self.heartbeat = Gauge("discourse_bot_heartbeat_timestamp_seconds", "Last sign of life of the scheduler",
                               registry=self.registry)
        self._last_beat = time.monotonic()

    def beat(self) -> None:
        self._last_beat = time.monotonic()
        self.heartbeat.set_to_current_time()

    def seconds_since_beat(self) -> float:
        return time.monotonic() - self._last_beat


class HealthServer:
    """/metrics (Prometheus text) and /healthz (200 while the heartbeat is younger than max_age) on a port."""

    def __init__(self, metrics: Metrics, port: int, host: str = "0.0.0.0", max_age: float = 60.0,
                 routes: Mapping[str, PostRoute] | None = None) -> None:
        owner = self
        posts = dict(routes or {})

        class _Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                """A route added by the caller (the Slack app's Request URLs): (headers, body) → answer."""
                route = posts.get(self.path.split("?", 1)[0])
                length = self.headers.get("Content-Length", "")
                if route is None:
                    self._send(404, b"not found\n", "text/plain")
                elif not length.isdigit() or int(length) > MAX_POST_BYTES:
                    self._send(413, b"too large or no length\n", "text/plain")
                else:
                    body = self.rfile.read(int(length))
                    try:
                        self._send(*route({k: v for k, v in self.headers.items()}, body))
                    except Exception:  # a failing route answers 500; the server goes on
                        logging.getLogger(__name__).exception("POST %s failed", self.path.split("?", 1)[0])
                        self._send(500, b"internal error\n", "text/plain")

            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith("/metrics"):
                    self._send(200, generate_latest(metrics.registry), CONTENT_TYPE_LATEST)
                elif self.path.startswith("/healthz"):
                    age = metrics.seconds_since_beat()
                    healthy = age <= owner.max_age
                    body = json.dumps({"status": "ok" if healthy else "stalled", "heartbeat_age_seconds": round(age, 1)})
                    self._send(200 if healthy else 503, body.encode(), "application/json")
                else:
                    self._send(404, b"not found\n", "text/plain")

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.max_age = max_age
        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, name="health-server", daemon=True)

    def start(self) -> HealthServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def health_port_from_env() -> int | None:
    value = os.environ.get("DISCOURSE_BOT_HEALTH_PORT", "").strip()
    return int(value) if value.isdigit() else None
