"""The commands of docs/design.md (The command line) as a user types them, in-process, on the shipped config
and seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = REPO / "seeds" / "sample-article.txt"
SEED_FEED = REPO / "seeds" / "seed-feed.xml"


def invoke(*args: str, database: Path | None = None, stdin: str | None = None) -> list[dict]:
    options = ["--config", str(REPO / "config")]
    if database is not None:
        options += ["--database-url", f"sqlite:///{database}"]
    result = CliRunner().invoke(cli, [*options, *args], input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seed_facts() -> dict:
    (facts,) = invoke("extract", "--json", str(SEED_ARTICLE))
    return facts


def test_extract_json_has_the_design_shape(seed_facts):
    assert set(seed_facts) == {"id", "title", "url", "published", "positions", "casualties"}
    position_keys = {"actor", "speaker", "kind", "subject", "requires", "negated", "hedged", "reported", "quote", "sentence"}
    assert all(position_keys <= set(p) for p in seed_facts["positions"])
    casualty_keys = {"killed", "killed_low", "killed_high", "injured", "location", "country", "lat", "lon", "date",
                     "weapon", "perpetrator", "quote"}
    assert all(casualty_keys <= set(c) for c in seed_facts["casualties"])


def test_the_seed_states_the_us_ceasefire_conditions(seed_facts):
    conditions = {(p["actor"], p["subject"], tuple(p["requires"]))
                  for p in seed_facts["positions"] if p["kind"] == "condition" and not p["negated"]}
    assert ("us", "negotiations", ("ceasefire",)) in conditions
    assert ("us", "sanctions_relief", ("ceasefire",)) in conditions
    assert not any("Thompson" in (p["speaker"] or "") or "analyst" in p["sentence"] for p in seed_facts["positions"])


def test_the_seed_reports_the_sumy_strike(seed_facts):
    (sumy,) = seed_facts["casualties"]
    assert (sumy["killed"], sumy["location"], sumy["country"], sumy["weapon"], sumy["perpetrator"]) == (
        35, "Sumy", "UA", "missile", "russia")


def test_an_article_with_no_watched_actor_and_no_casualty_yields_empty_lists(tmp_path):
    article = tmp_path / "markets.txt"
    article.write_text("Markets close higher\n\nStocks in Frankfurt and Paris rose 2 percent on Tuesday as 35 "
                       "companies reported stronger earnings and oil fell to 70 dollars a barrel.\n")
    (facts,) = invoke("extract", "--json", str(article))
    assert facts["positions"] == [] and facts["casualties"] == []


def test_jsonl_input_keeps_each_line_id():
    lines = [{"id": "x-1", "text": "Zelensky said there would be no elections until martial law is lifted."},
             {"id": "x-2", "text": "Nothing happened today.", "published": "2025-04-15T00:00:00Z"}]
    out = invoke("extract", "--json", "--input-format", "jsonl", "-", stdin="\n".join(json.dumps(l) for l in lines))
    assert [o["id"] for o in out] == ["x-1", "x-2"]
    assert out[1]["published"] == "2025-04-15T00:00:00Z"


def test_replay_of_the_seed_into_a_seeded_database_prints_no_alert(tmp_path):
    assert invoke("replay", "--json", str(SEED_FEED), database=tmp_path / "bot.db") == []


SHIFTS = [
    "“Talks with Russia can begin without a ceasefire,” State Department spokesperson Tammy Bruce told reporters "
    "in Washington on Thursday.",
    # an apposition after the clause must not become its object
    "Secretary of State Marco Rubio said on Thursday that negotiations with Russia could begin even without a "
    "ceasefire in place, a marked change from the position the State Department set out earlier this week.",
]


@pytest.mark.parametrize("text", SHIFTS)
def test_replay_prints_a_shift_with_before_and_after(tmp_path, text):
    article = tmp_path / "shift.txt"
    article.write_text(f"US softens stance\n\n{text}\n")
    alerts = invoke("replay", "--json", str(article), database=tmp_path / "bot.db")
    shifts = [a for a in alerts if a["kind"] == "position_shift" and a["subject"] == "negotiations"]
    assert len(shifts) == 1, alerts
    assert shifts[0]["actor"] == "us"
    assert shifts[0]["before"]["requires"] == ["ceasefire"] and shifts[0]["before"]["quote"]
    assert "after" in shifts[0] and shifts[0]["after"]["quote"]
