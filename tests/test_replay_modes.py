"""`replay` as a user runs it (a subprocess, a real SQLite file): a dry run changes nothing, --apply stores,
and a timeline of files replays in order, each document seeing what the ones before it changed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

RUBIO = "Secretary of State Marco Rubio said on Sunday that talks with Russia can begin without a ceasefire.\n"
TOLL = "The death toll from the Russian missile strike on Sumy has risen to 40, the regional administration said.\n"


def cli(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISCOURSE_BOT_DATABASE_URL": f"sqlite:///{database}"}
    env.pop("SLACK_BOT_TOKEN", None)
    env.pop("SLACK_WEBHOOK_URL", None)
    return subprocess.run([sys.executable, "-m", "bot", "--config", str(REPO / "config"), *args], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=300)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(folder: Path, name: str, title: str, body: str) -> str:
    path = folder / name
    path.write_text(f"{title}\n{body}", encoding="utf-8")
    return str(path)


def test_a_dry_replay_leaves_the_database_byte_identical_and_apply_stores(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    assert cli("status", database=database).returncode == 0         # made and seeded
    before = digest(database)
    rubio = write(tmp_path, "rubio.txt", "Rubio on talks", RUBIO)

    dry = cli("replay", "--json", rubio, database=database)
    assert dry.returncode == 0, dry.stderr
    alerts = [json.loads(line) for line in dry.stdout.splitlines()]
    assert [a["kind"] for a in alerts] == ["position_shift"]
    assert "id" not in alerts[0]                                        # nothing was stored to have an id
    assert "dry run" in dry.stderr
    assert digest(database) == before

    again = cli("replay", "--json", rubio, database=database)         # still new: the dry run left no trace
    assert [json.loads(line)["kind"] for line in again.stdout.splitlines()] == ["position_shift"]

    applied = cli("replay", "--json", "--apply", rubio, database=database)
    [stored] = [json.loads(line) for line in applied.stdout.splitlines()]
    assert isinstance(stored["id"], int)
    assert digest(database) != before
    listed = cli("alerts", "list", "--json", database=database)
    assert stored["id"] in [json.loads(line)["id"] for line in listed.stdout.splitlines()]
    assert cli("replay", "--json", rubio, database=database).stdout.strip() == ""   # a repeat now


def test_a_timeline_replays_in_order_on_a_database_that_does_not_exist_yet(tmp_path: Path) -> None:
    database = tmp_path / "never-made.db"
    first = write(tmp_path, "1-sumy.txt", "Sumy toll rises", TOLL)
    second = write(tmp_path, "2-sumy-again.txt", "Sumy toll", TOLL.replace("has risen", "rose"))
    result = cli("replay", "--json", first, second, database=database)
    assert result.returncode == 0, result.stderr
    kinds = [json.loads(line)["kind"] for line in result.stdout.splitlines()]
    assert kinds == ["casualty_update"]          # the seed's 35 → 40 once; the second report repeats it
    assert not database.exists()
