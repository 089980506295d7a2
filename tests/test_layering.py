"""One direction of imports (docs/design.md, The flow): a stage uses only the stages to its left."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
ORDER = ["errors", "config", "sources", "extract", "detect", "store", "notify"]
TOP = {"pipeline", "cli", "scheduler", "interactive", "evaluation", "observability", "__main__", "__init__"}


def stage_of(module: str) -> str:
    return module.split(".")[1] if module.startswith("bot.") and "." in module else "__init__"


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("bot."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot."):
            found.add(node.module)
    return found


MODULES = sorted(p for p in BOT.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(BOT)) for p in MODULES])
def test_stages_import_only_leftward(path: Path) -> None:
    stage = path.relative_to(BOT).parts[0].removesuffix(".py")
    if stage in TOP:
        return
    allowed = set(ORDER[: ORDER.index(stage) + 1])
    wrong = {m for m in imports_of(path) if stage_of(m) not in allowed}
    assert not wrong, f"{stage} must not import {sorted(wrong)}"
