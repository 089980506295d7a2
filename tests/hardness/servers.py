"""Loopback servers for the hardness suite and the benchmarks: a feed server, a host that never answers.

Every server binds 127.0.0.1 port 0 (a free port each time), runs in daemon threads and stops on close().
"""

from __future__ import annotations

import hashlib
import select
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Response:
    """What one route answers. `action` bends HTTP: "close" drops the connection without a reply,
    "garbage" writes bytes that are not HTTP, "short" promises more bytes than it sends."""

    body: bytes = b""
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=lambda: {"Content-Type": "application/rss+xml; charset=utf-8"})
    etag: bool = True           # send an ETag and answer 304 to a matching If-None-Match
    action: str = ""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up early (a capped body, a timeout) is expected here, not an error to print."""
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class FeedServer:
    """Serves `routes` (path -> Response or a callable returning one); counts requests per path.

    Routes may be replaced while the server runs (`set`), so a benchmark or a test can publish new items.
    """

    def __init__(self, routes: Mapping[str, Response | Callable[[], Response]] | None = None) -> None:
        self.routes: dict[str, Response | Callable[[], Response]] = dict(routes or {})
        self.hits: dict[str, int] = {}
        self.not_modified = 0
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                path = self.path.split("?", 1)[0]
                with owner._lock:
                    owner.hits[path] = owner.hits.get(path, 0) + 1
                route = owner.routes.get(path)
                response = route() if callable(route) else route
                if response is None:
                    response = Response(b"not found", 404, {"Content-Type": "text/plain"}, etag=False)
                owner._answer(self, response)

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="feed-server", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def set(self, path: str, response: Response | Callable[[], Response]) -> None:
        self.routes[path] = response

    def _answer(self, handler: BaseHTTPRequestHandler, response: Response) -> None:
        if response.action == "close":
            handler.close_connection = True
            return
        if response.action == "garbage":
            handler.wfile.write(response.body)
            handler.close_connection = True
            return
        body = response.body
        tag = f'"{hashlib.sha1(body).hexdigest()}"' if response.etag and response.status == 200 else None
        if tag and handler.headers.get("If-None-Match") == tag:
            with self._lock:
                self.not_modified += 1
            handler.send_response(304)
            handler.send_header("ETag", tag)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        handler.send_response(response.status)
        for name, value in response.headers.items():
            handler.send_header(name, value)
        if tag:
            handler.send_header("ETag", tag)
        length = len(body) + (1000 if response.action == "short" else 0)
        handler.send_header("Content-Length", str(length))
        if response.action == "short":
            handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up on a capped body: expected
            pass
        if response.action == "short":
            handler.close_connection = True

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FeedServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _TcpHost:
    """A listening socket on 127.0.0.1, a free port; subclasses serve it in a daemon thread until close()."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self._stop = threading.Event()
        self.accepted = 0

    @property
    def port(self) -> int:
        return int(self._socket.getsockname()[1])

    def url(self, path: str = "/feed") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self._stop.set()
        self._socket.close()

    def __enter__(self) -> _TcpHost:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class SilentHost(_TcpHost):
    """A TCP host that accepts connections, reads what it is sent and never answers."""

    def __init__(self) -> None:
        super().__init__()
        self._clients: list[socket.socket] = []
        self._thread = threading.Thread(target=self._loop, name="silent-host", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            readable, _, _ = select.select([self._socket, *self._clients], [], [], 0.05)
            for sock in readable:
                if sock is self._socket:
                    client, _ = self._socket.accept()
                    self._clients.append(client)
                    self.accepted += 1
                else:
                    try:
                        data = sock.recv(65536)
                    except OSError:
                        data = b""
                    if not data:  # the client hung up
                        self._clients.remove(sock)
                        sock.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for client in self._clients:
            client.close()
        self._socket.close()


class SlowHeaders(_TcpHost):
    """A slowloris server: accepts connections and answers each with an HTTP status line and headers that
    never end, one byte every `delay` seconds, until the client hangs up."""

    def __init__(self, delay: float = 1.0) -> None:
        super().__init__()
        self.delay = delay
        self._socket.settimeout(0.1)
        threading.Thread(target=self._accept, name="slow-headers", daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._socket.accept()
            except OSError:  # timeout: look at the stop flag again
                continue
            self.accepted += 1
            threading.Thread(target=self._trickle, args=(client,), daemon=True).start()

    def _trickle(self, client: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
        filler = b"X-Padding: " + b"a" * 10_000
        with client:
            for byte in head + filler:
                if self._stop.wait(self.delay):
                    return
                try:
                    client.sendall(bytes([byte]))
                except OSError:  # the client gave up: what a deadline is for
                    return

