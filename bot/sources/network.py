"""Connections for fetching: one overall deadline per fetch, and addresses checked once and then used.

Every connect, TLS handshake, read and write of a fetch is given at most what is left of the fetch's deadline
(`deadline(seconds)` around the fetch), so a server that sends its headers one byte a second cannot hold a
fetch past it. With `check_addresses`, a host name is resolved once, every address it resolves to must be
public, and the connection goes to one of those very addresses: a second DNS answer (rebinding) never
comes into it. TLS still names the host (SNI and certificate checks use the URL's host) and so does the
Host header.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

from bot.errors import SourceError

_deadline: ContextVar[float | None] = ContextVar("fetch_deadline", default=None)


class FetchError(SourceError):
    """A URL could not be fetched."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Everything the fetch inside does on the network ends within `seconds` from now, all of it together."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left of the current fetch's deadline (never below 0); None outside `deadline`."""
    end = _deadline.get()
    return None if end is None else max(0.0, end - time.monotonic())


def expired() -> bool:
    left = remaining()
    return left is not None and left <= 0


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """The timeout of one socket operation, cut to what is left of the deadline."""
    left = remaining()
    if left is None:
        return timeout
    if left <= 0:
        raise error("the fetch deadline has passed")
    return left if timeout is None else min(timeout, left)


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, resolved once; FetchError when one of them is private, loopback,
    link-local, reserved, multicast or unspecified (a name that also points inside is refused whole)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror or exc}") from exc
    addresses: list[str] = []
    for info in infos:
        text = str(info[4][0]).split("%")[0]
        address = ipaddress.ip_address(text)
        if (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
                or address.is_multicast or address.is_unspecified):
            raise FetchError(f"refused: {host} resolves to a non-public address ({address})")
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise FetchError(f"cannot resolve {host}: no address")
    return addresses


def refuse_private(host: str, port: int) -> None:
    """Raise FetchError when a host name resolves to a non-public address."""
    public_addresses(host, port)


class _Stream(httpcore.NetworkStream):
    """A connection whose every operation keeps to the deadline of the fetch using it."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """httpcore's blocking sockets, kept to the deadline; with check_addresses, connected to checked addresses."""

    def __init__(self, *, check_addresses: bool) -> None:
        self._sockets = httpcore.SyncBackend()
        self._check = check_addresses

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        targets = public_addresses(host, port) if self._check else [host]
        failure: Exception | None = None
        for target in targets:
            try:
                return _Stream(self._sockets.connect_tcp(target, port, _bounded(timeout, httpcore.ConnectTimeout),
                                                         local_address, socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:  # the next address may answer
                failure = exc
        assert failure is not None
        raise failure

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def transport(limits: httpx.Limits, *, check_addresses: bool) -> httpx.HTTPTransport:
    """An httpx transport over the deadline-keeping (and, if asked, address-checking) backend."""
    result = httpx.HTTPTransport(limits=limits)
    result._pool = httpcore.ConnectionPool(  # httpx takes no network backend; its pool is swapped for one that does
        ssl_context=httpx.create_ssl_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=_Backend(check_addresses=check_addresses),
    )
    return result


__all__ = ["FetchError", "deadline", "expired", "public_addresses", "refuse_private", "remaining", "transport"]
