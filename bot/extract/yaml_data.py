"""The package's YAML data files (patterns, lexicons, word lists), read at start: by libyaml where installed,
several times faster than the pure-Python reader."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """The data of a YAML text (safe: plain scalars, lists and mappings only)."""
    return yaml.load(text, Loader=_LOADER)
