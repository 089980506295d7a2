"""Run `discourse-bot` as a user does: a subprocess with its own environment, no Slack settings unless given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL", "SLACK_API_URL", "DISCOURSE_BOT_SEEDS",
                             "DISCOURSE_BOT_CONFIG", "DISCOURSE_BOT_DATABASE_URL")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single `error:` line a failing command printed; fails the test on a traceback or several lines."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]
