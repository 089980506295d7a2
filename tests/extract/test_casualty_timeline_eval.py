"""The casualty timeline evaluation: the ideal, the scoring on a replay made by hand, and the quality floor on
the open real-news timeline (tests/data/casualties/news_dev.jsonl) through the whole pipeline.

Reached when written on the open timeline: attacks found 0.952, second roots + merges 2 of 63, revised tolls
alerted 0.990, repeats quiet 1.000, negatives quiet 1.000, final toll right 0.889. The floors sit a little under.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.config import Config
from bot.evaluation.casualty_timeline import (REPEAT, ROOT, UPDATE, Attack, RaisedAlert, Replay, StoredEvent,
                                              TimelineReport, evaluate_timeline, ideal, load_timeline, score)

DATA = Path(__file__).resolve().parents[1] / "data" / "casualties"


def report(id: str, day: int, *attacks: Attack) -> TimelineReport:
    return TimelineReport(id=id, url=f"https://x.example/{id}", published=dt.date(2025, 5, day), title="", text="",
                          attacks=attacks)


A1, A1_UP, A1_SAME, A1_LOWER = (Attack("a", 3, 10, "Sumy"), Attack("a", 5, 10, "Sumy"), Attack("a", 5, 10, "Sumy"),
                                Attack("a", 4, 12, "Sumy"))
TIMELINE = [report("r1", 1, A1), report("r2", 2, A1_UP), report("r3", 2, A1_SAME), report("r4", 3, A1_LOWER),
            report("r5", 3), report("r6", 4, Attack("b", 2, None, "Odesa"))]


def test_the_ideal_is_one_alert_per_attack_and_one_per_rise() -> None:
    assert ideal(TIMELINE) == {("r1", "a"): ROOT, ("r2", "a"): UPDATE, ("r3", "a"): REPEAT,
                               ("r4", "a"): UPDATE,          # the injured rise above the highest posted
                               ("r6", "b"): ROOT}


def test_scoring_a_replay_that_split_one_attack_and_alerted_a_negative() -> None:
    outcome = Replay(
        alerts=(RaisedAlert("r1", "casualty_event", "t1"), RaisedAlert("r2", "casualty_update", "t1"),
                RaisedAlert("r3", "casualty_event", "t2"), RaisedAlert("r5", "casualty_event", "t3")),
        events=(StoredEvent("t1", 5, 10, "Sumy", dt.date(2025, 5, 1), ("r1", "r2")),
                StoredEvent("t2", 5, 10, "Sumy", dt.date(2025, 5, 2), ("r3", "r4")),
                StoredEvent("t3", 1, None, "Kyiv", dt.date(2025, 5, 3), ("r5",))))
    result = score(TIMELINE, outcome)
    assert (result.attacks, result.attacks_found, result.second_roots, result.merges) == (2, 1, 1, 0)
    assert (result.updates_alerted, result.updates_wanted) == (1, 2)     # r4's rise went unalerted
    assert (result.repeats_quiet, result.repeats) == (0, 1)              # r3 opened a second thread
    assert (result.negatives_quiet, result.negatives) == (0, 1)
    assert (result.final_right, result.final_killed_right) == (0, 1)     # 5/10 where the labels reach 5/12
    assert (result.alerts, result.ideal_alerts) == (4, 4)
    assert "more than one root 1" in result.summary() and "r3" not in result.summary()


def test_a_timeline_line_that_is_no_report_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "x", "event": "a"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        load_timeline(path)


@pytest.mark.slow
def test_the_open_timeline_holds_its_floor(default_config: Config) -> None:
    from bot.extract import Extractor

    result = evaluate_timeline(DATA / "news_dev.jsonl", default_config, Extractor(default_config))
    print(result.report())
    figures = result.figures()
    assert result.reports == 212 and result.attacks >= 57
    assert figures["attacks found"] >= 0.93, result.report()
    assert figures["second roots + merges"] <= 0.06, result.report()
    assert figures["revised tolls alerted"] >= 0.95, result.report()
    assert figures["repeats quiet"] >= 0.94, result.report()
    assert figures["negatives quiet"] >= 0.96, result.report()
    assert figures["final toll right"] >= 0.85, result.report()
