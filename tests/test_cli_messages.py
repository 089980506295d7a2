"""Messages as a reader gets them, from real prose through the CLI: the console and Slack say the same thing,
in words, with the config's names, without datelines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_process import REPO, run_cli
from tests.slack_server import SlackServer

pytestmark = pytest.mark.slow

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example</link>
<description>d</description>
<item><title>US drops ceasefire precondition</title><link>https://wire.example/rubio</link><guid>rubio</guid>
<pubDate>Thu, 17 Apr 2025 09:00:00 GMT</pubDate><description>WASHINGTON, April 17 (Reuters) - Secretary of State
Marco Rubio said on Thursday that talks with Russia can begin without a ceasefire.</description></item>
<item><title>Strike on Kharkiv</title><link>https://wire.example/kharkiv</link><guid>kharkiv</guid>
<pubDate>Thu, 17 Apr 2025 10:00:00 GMT</pubDate><description>A Russian missile strike on Kharkiv on Thursday left
at least 7 killed, dozens injured, the governor said.</description></item>
</channel></rss>"""


def test_the_console_and_slack_say_the_same_in_words(tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text(FEED, encoding="utf-8")
    with SlackServer() as slack:
        result = run_cli("--config", str(REPO / "config"), "--database-url", f"sqlite:///{tmp_path}/bot.db",
                         "replay", "--deliver", str(feed),
                         env={"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url,
                              "DISCOURSE_BOT_SEEDS": str(REPO / "seeds")})
        posted = [m.text for m in slack.posts("#discourse-alerts")]
    assert result.returncode == 0, result.stderr
    printed = [block.split("] ", 1)[1] for block in result.stdout.strip().split("\n\n")]

    shift, strike = printed
    assert shift.splitlines()[:4] == [
        "Position shift: United States on negotiations",
        "Kind: condition · Speaker: Marco Rubio (Secretary of State)",
        "Before: negotiations only after a ceasefire.",
        "  “The United States has reiterated its firm position that no negotiations or agreements with Russia will "
        "proceed until a complete ceasefire is established in the ongoing Ukraine conflict.”"]
    assert "After: negotiations without a ceasefire." in shift.splitlines()
    assert "Change: No longer requires a ceasefire." in shift.splitlines()
    assert "WASHINGTON" not in shift and "April 17 (Reuters)" not in shift and "(negated)" not in shift
    assert strike.splitlines()[0] == "Casualty event: at least 7 killed, dozens injured in Kharkiv, UA"
    assert "Perpetrator: Russia" in strike
    assert [p.replace("&amp;", "&") for p in posted] == printed
