"""A response body decoded (Content-Encoding) as it arrives, never past a byte limit.

Each compressed chunk is inflated to at most what the limit leaves, so a gzip bomb costs the limit and a
chunk, whatever its ratio: memory stays within `limit` plus a constant. gzip (also several members, as
`cat a.gz b.gz` makes) and deflate (zlib-wrapped or raw, as servers send both) are decoded; brotli and zstd
are not asked for, and a body in an encoding we do not know is taken as it is (as httpx does).
"""

from __future__ import annotations

import zlib

ACCEPT_ENCODING = "gzip, deflate"
_GZIP_MAGIC = b"\x1f\x8b"


class BodyTooLarge(Exception):
    """The decoded body went past the limit."""


class BadEncoding(Exception):
    """The body is not what its Content-Encoding says."""


class _Inflater:
    """zlib, gzip or raw deflate, inflated at most `room + 1` bytes per call."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding == "gzip"
        self._wbits = 16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS
        self._object = zlib.decompressobj(self._wbits)
        self._started = False

    def inflate(self, data: bytes, room: int) -> bytes:
        out: list[bytes] = []
        size = 0
        while data and size <= room:
            try:
                piece = self._object.decompress(data, room + 1 - size)  # never 0: 0 would mean "no limit"
            except zlib.error as exc:
                if self._gzip or self._started:
                    raise BadEncoding(f"bad compressed body: {exc}") from exc
                self._wbits = -zlib.MAX_WBITS  # "deflate" sent without its zlib header
                self._object = zlib.decompressobj(self._wbits)
                self._started = True
                continue
            self._started = True
            out.append(piece)
            size += len(piece)
            if self._object.unconsumed_tail:
                data = self._object.unconsumed_tail  # only left when the room is used up: the loop ends
            elif self._object.eof and self._gzip and self._object.unused_data.startswith(_GZIP_MAGIC):
                data = self._object.unused_data  # the next gzip member
                self._object = zlib.decompressobj(self._wbits)
            else:
                data = b""  # all consumed (bytes after the last member are ignored, as browsers do)
        return b"".join(out)


class BoundedBody:
    """Collects a body chunk by chunk (raw, as received) and decodes it; BodyTooLarge past `limit` bytes."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c in ("gzip", "x-gzip", "deflate")]  # others pass as they are, as in httpx
        if len(codings) > 1:
            raise BadEncoding(f"unsupported Content-Encoding {content_encoding!r}: one of gzip or deflate expected")
        self._inflater = _Inflater("deflate" if codings[0] == "deflate" else "gzip") if codings else None
        self.limit = limit
        self._parts: list[bytes] = []
        self.size = 0

    def feed(self, raw: bytes) -> None:
        room = self.limit - self.size
        data = self._inflater.inflate(raw, room) if self._inflater else raw
        if len(data) > room:
            raise BodyTooLarge(f"too large: more than {self.limit} bytes")
        self._parts.append(data)
        self.size += len(data)

    def value(self) -> bytes:
        return b"".join(self._parts)


__all__ = ["ACCEPT_ENCODING", "BadEncoding", "BodyTooLarge", "BoundedBody"]
