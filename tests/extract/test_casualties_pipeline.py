"""The casualties component inside the project's own pipeline (`Extractor`), as `extract` runs it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.config import Config
from bot.extract import Extractor


def test_extractor_reports_sumy_from_the_seed(default_config: Config, repo_root: Path) -> None:
    text = (repo_root / "seeds" / "sample-article.txt").read_text(encoding="utf-8")
    facts = Extractor(default_config).extract_text(text, published=dt.date(2025, 4, 15))
    sumy = [c for c in facts.casualties if c.location == "Sumy"]
    assert len(sumy) == 1
    report = sumy[0]
    assert (report.killed, report.country, report.weapon, report.perpetrator) == (35, "UA", "missile", "russia")
    assert report.to_json()["date"] == "2025-04-15"
