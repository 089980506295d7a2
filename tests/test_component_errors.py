"""A component of the pipeline that cannot be built stops the command with one line naming it, and loses
nothing: the documents it would have read stay unseen, nothing is quarantined for it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli_process import REPO, one_line_error, run_cli
from tests.test_cli_errors import RUBIO, config_folder, feed_file

# Fault injection: spaCy refuses to build the casualties component in the command's process, as it would
# when the component's data cannot be read. Python runs a sitecustomize.py found on its path at start-up.
BROKEN_COMPONENT = '''
import spacy.language

_add_pipe = spacy.language.Language.add_pipe


def add_pipe(self, factory_name, *args, **kwargs):
    if factory_name == "casualties":
        raise ValueError("place index unreadable\\n(simulated)")
    return _add_pipe(self, factory_name, *args, **kwargs)


spacy.language.Language.add_pipe = add_pipe
'''


@pytest.fixture
def fixed(tmp_path: Path) -> dict[str, str]:
    """No seeds: the first document the pipeline meets is a polled one."""
    (tmp_path / "no-seeds").mkdir()
    return {"DISCOURSE_BOT_SEEDS": str(tmp_path / "no-seeds")}


@pytest.fixture
def broken(tmp_path: Path, fixed: dict[str, str]) -> dict[str, str]:
    folder = tmp_path / "inject"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(BROKEN_COMPONENT)
    return {**fixed, "PYTHONPATH": os.pathsep.join([str(folder), str(REPO)])}


EXPECTED = "error: the casualties component could not be built: ValueError: place index unreadable (simulated)"


@pytest.mark.slow
def test_extract_with_a_component_that_cannot_be_built_fails_in_one_line(broken: dict[str, str]) -> None:
    result = run_cli("--config", str(REPO / "config"), "extract", "-", env=broken)
    assert one_line_error(result) == EXPECTED
    assert result.returncode == 1


@pytest.mark.slow
def test_run_once_stops_and_keeps_the_documents_for_the_next_run(tmp_path: Path, broken: dict[str, str],
                                                                 fixed: dict[str, str]) -> None:
    config = config_folder(tmp_path, feed_file(tmp_path, RUBIO), first_poll="alert")
    database = f"sqlite:///{tmp_path}/bot.db"
    failed = run_cli("--config", str(config), "--database-url", database, "run", "--once", env=broken)
    assert one_line_error(failed) == EXPECTED and failed.returncode == 1

    quarantined = run_cli("--config", str(config), "--database-url", database, "quarantine", "list", "--json",
                          env=fixed)
    assert quarantined.returncode == 0 and quarantined.stdout.strip() == ""
    again = run_cli("--config", str(config), "--database-url", database, "run", "--once", env=fixed)
    assert again.returncode == 0, again.stderr
    assert "1 new document(s), 1 alert(s)" in again.stderr


@pytest.mark.slow
def test_the_service_does_not_start_with_a_component_that_cannot_be_built(tmp_path: Path, broken: dict[str, str],
                                                                           fixed: dict[str, str]) -> None:
    """Even when its feeds bring nothing new, so no poll would need the pipeline."""
    config = config_folder(tmp_path, feed_file(tmp_path, RUBIO), first_poll="alert")
    database = f"sqlite:///{tmp_path}/bot.db"
    assert run_cli("--config", str(config), "--database-url", database, "run", "--once", env=fixed).returncode == 0
    result = run_cli("--config", str(config), "--database-url", database, "run", env=broken, timeout=120)
    assert one_line_error(result) == EXPECTED and result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert not any(r.get("action") == "start" for r in records)   # the worker never started
