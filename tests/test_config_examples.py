"""The ready configs in config/examples/ are valid, ready to run, and documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_process import REPO, run_cli

EXAMPLES = sorted(p for p in (REPO / "config" / "examples").iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_check_config_passes_on_the_example_and_the_readme_shows_it(folder: Path) -> None:
    result = run_cli("--config", str(folder), "check-config")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("config OK:") and result.stderr == ""
    assert f"config/examples/{folder.name}" in (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_war_config_attributes_statements_to_its_actors(tmp_path: Path) -> None:
    article = tmp_path / "rutte.txt"
    article.write_text("Rutte on talks\nThere can be no peace agreement until there is a ceasefire, NATO Secretary "
                       "General Mark Rutte said on Tuesday.\n", encoding="utf-8")
    result = run_cli("--config", str(REPO / "config" / "examples" / "ukraine-war"), "extract", str(article))
    assert result.returncode == 0, result.stderr
    assert "NATO — a peace agreement only after a ceasefire" in result.stdout
    assert "Mark Rutte (NATO Secretary General)" in result.stdout
