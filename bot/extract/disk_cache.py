"""Derived data kept on disk between processes (the gazetteer index, topic phrases' word forms, the parsed
condition shapes), so a start does not recompute what its inputs already determined. A file's name carries the
digest of its inputs: a change to any of them names another file. A cache that cannot be read or written costs
time, never a start."""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

log = logging.getLogger(__name__)

T = TypeVar("T")


def cache_dir() -> Path:
    explicit = os.environ.get("DISCOURSE_BOT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "discourse-bot"


def digest_of(parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update((part.encode("utf-8") if isinstance(part, str) else part) + b"\x00")
    return digest.hexdigest()[:20]


def cached(name: str, digest: str, compute: Callable[[], T]) -> T:
    """The marshalled value of `name-digest` from the cache folder, else `compute()` (written for next time)."""
    path = cache_dir() / f"{name}-{digest}.marshal"
    try:
        return cast(T, marshal.loads(path.read_bytes()))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, EOFError, TypeError) as exc:
        log.warning("cache %s unreadable (%s); computing it again", path, exc)
    value = compute()
    write(path, value)
    return value


def write(path: Path, value: Any) -> None:
    """Write atomically (a reader never sees half a file); a folder that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.stem}-", delete=False) as handle:
            marshal.dump(value, handle)
        os.replace(handle.name, path)
    except (OSError, ValueError) as exc:
        log.info("%s not cached in %s (%s): it is computed on each start", path.stem, path.parent, exc)
