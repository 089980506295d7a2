"""Build documents, facts and config from the YAML cases, and compare alerts with partial expectations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from bot.config import Config
from bot.extract.facts import CasualtyReport, DocumentFacts, Position
from bot.sources.document import Document

CASES = Path(__file__).with_name("cases.yaml")


def load_cases() -> dict[str, Any]:
    return yaml.safe_load(CASES.read_text(encoding="utf-8"))


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def make_config(base: dict[str, Any], overrides: dict[str, Any] | None) -> Config:
    return Config(**deep_merge(base, overrides or {}))


def _when(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, 12, tzinfo=dt.timezone.utc)
    text = str(value)
    if len(text) == 10:
        return _when(dt.date.fromisoformat(text))
    return _when(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def make_document(spec: dict[str, Any]) -> tuple[Document, DocumentFacts]:
    url = spec.get("url", f"https://{spec.get('source', 'example.org')}/{spec['id']}")
    document = Document(id=spec["id"], text=spec.get("text", f"text of {spec['id']}"), title=spec.get("title", spec["id"]),
                        url=url, published=_when(spec.get("published")), feed=spec.get("feed", ""),
                        source=spec.get("source", ""))
    positions = [Position(**{**p, "requires": tuple(p.get("requires", ()))}) for p in spec.get("positions", ())]
    casualties = [CasualtyReport(**{**c, "date": _day(c.get("date"))}) for c in spec.get("casualties", ())]
    return document, DocumentFacts(document_id=document.id, positions=positions, casualties=casualties)


def lookup(data: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return _MISSING
    return data


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


def mismatches(actual: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Each expected dotted path whose value differs; `len(path)` keys compare list lengths."""
    problems = []
    for path, want in expected.items():
        if path.startswith("len(") and path.endswith(")"):
            got = lookup(actual, path[4:-1])
            got = len(got) if isinstance(got, (list, tuple)) else got
        else:
            got = lookup(actual, path)
        if got != want:
            problems.append(f"{path}: expected {want!r}, got {got!r}")
    return problems
