"""Every command documents itself, in --help and in the README."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from bot.cli import cli


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command as a user reaches it (the group imports a command's module when it is asked for)."""
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, f"{' '.join((*prefix, name))} is listed but cannot be found"
        found.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, (*prefix, name)))
    return found


COMMANDS = all_commands(cli)


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_help_and_is_in_the_readme(path, command, repo_root):
    assert command.help, f"{' '.join(path)} has no help text"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert " ".join(path) in readme, f"README does not mention `{' '.join(path)}`"


def test_design_commands_exist():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"run", "check-config", "extract", "replay"} <= names


def test_check_config_exits_2_and_lists_errors(tmp_path):
    (tmp_path / "a.yaml").write_text("feeds:\n  - {name: x, url: 'ftp://x', colour: 1}\nactors:\n  - {id: us}\n")
    result = CliRunner().invoke(cli, ["--config", str(tmp_path), "check-config"])
    assert result.exit_code == 2
    lines = [l for l in result.output.splitlines() if l.startswith("error:")]
    assert len(lines) == 3 and all("a.yaml: " in l for l in lines)
    assert "Traceback" not in result.output
