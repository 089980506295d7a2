"""The casualty timeline evaluation: the ideal, the scoring on a replay made by hand, the attack-by-attack
explanation, and the quality floors on the open real-news timelines (tests/data/casualties/news_dev.jsonl, tuned
on, and news_val.jsonl, gathered after the first round of rules) through the whole pipeline.

Reached on the open timeline: attacks found 0.968, second roots + merges 1 of 63, revised tolls alerted 1.000,
repeats quiet 1.000, negatives quiet 1.000, final toll right 0.952; on the validation timeline: attacks found
0.962, second roots + merges 0 of 26, revised tolls alerted 1.000, repeats quiet 0.923, negatives quiet 1.000,
final toll right 0.923. The floors sit a little under.
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


def test_the_explanation_tells_each_attack_report_by_report_and_only_where_details_are_shown() -> None:
    from bot.extract.facts import CasualtyReport

    outcome = Replay(
        alerts=(RaisedAlert("r1", "casualty_event", "t1"), RaisedAlert("r2", "casualty_update", "t1")),
        events=(StoredEvent("t1", 5, 10, "Sumy", dt.date(2025, 5, 1), ("r1", "r2", "r3", "r4")),),
        extracted={"r1": (CasualtyReport(killed=3, injured=10, location="Sumy", place_level="city"),)})
    result = score(TIMELINE, outcome)
    lines = result.explanation
    assert lines[0] == "a: T1 ends 5/10 at Sumy"
    assert any(line.strip().startswith("r1 2025-05-01 3/10 root → event T1; read: Sumy (city") for line in lines)
    assert "negative r5 2025-05-03: → nothing; read: no report" in lines
    assert "attack by attack" in result.report(explain=True)
    held_out = result.report(details=False, explain=True)
    assert "r1" not in held_out and "attack by attack" not in held_out


def test_a_second_attack_may_be_one_object_or_a_list(tmp_path: Path) -> None:
    base = {"url": "https://x.example/1", "published": "2025-05-01", "title": "t", "text": "x", "event": "a",
            "killed": 1, "injured": None}
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps({**base, "id": str(i), "also": also}) for i, also in enumerate(
        [{"event": "b", "killed": 2}, [{"event": "c", "killed": 3}, {"event": "d", "injured": 4}]])) + "\n",
                    encoding="utf-8")
    first, second = load_timeline(path)
    assert [a.event for a in first.attacks] == ["a", "b"] and [a.event for a in second.attacks] == ["a", "c", "d"]


def test_a_timeline_line_that_is_no_report_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "x", "event": "a"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        load_timeline(path)


FIGURES = ("attacks found", "second roots + merges", "revised tolls alerted", "repeats quiet", "negatives quiet",
           "final toll right")


@pytest.mark.slow
@pytest.mark.parametrize(("split", "reports", "attacks", "floors"), [
    ("dev", 212, 57, (0.95, 0.04, 0.97, 0.97, 0.96, 0.94)),
    ("val", 90, 24, (0.92, 0.05, 0.94, 0.95, 0.90, 0.92)),
    # scored as an aggregate while round four's rules were written (8 second roots, repeats 0.708, negatives 0.917,
    # final tolls 0.800), opened at its end. Round five: a blind checker added the second attacks of the same or
    # the day before that its roundups name beside the labelled one (`also`, 8 entries), which had been counted
    # as second roots
    ("val2", 90, 32, (0.99, 0.01, 0.96, 0.99, 0.99, 0.96)),
    # a fresh blind set of round six, scored by round five's rules on its labels as delivered before it was read
    # (found 0.926, 5 second roots, revised 0.826, repeats 0.788, negatives 1.000, final 0.778), then opened
    ("val3", 97, 29, (0.93, 0.07, 0.86, 0.96, 0.99, 0.85)),
    # a fresh blind set of round seven, scored as an aggregate by rounds six and seven's rules alike (found
    # 0.848, 5 second roots, revised 0.938, repeats 0.692, negatives 1.000, final 0.667), opened in round eight
    ("val4", 79, 33, (0.93, 0.01, 0.93, 0.96, 0.99, 0.90)),
    # a fresh blind set of round nine, scored as an aggregate by round eight's rules (found 0.919, 2 second roots
    # and 1 merge, revised 0.762, repeats 0.860, negatives 0.857, final 0.730), opened in round nine
    ("val5", 105, 37, (0.97, 0.01, 0.95, 0.99, 0.99, 0.94)),
    # round nine's blind check, scored as an aggregate by round eight's and round nine's rules (found 0.875, 6
    # second roots and 1 merge, revised 0.842, repeats 0.632, negatives 0.857 then 0.929, final 0.656), opened in
    # round ten (round ten's rules: found 0.906, 1 second root and 1 merge, revised 0.895, repeats 0.842,
    # negatives 0.929, final 0.719; round eleven's: found 0.938, 1 merge, revised 0.947, repeats 1.000, negatives
    # 1.000, final 0.812)
    ("val6", 79, 32, (0.93, 0.04, 0.94, 0.99, 0.99, 0.81)),
])
def test_each_open_timeline_holds_its_floor(default_config: Config, split: str, reports: int, attacks: int,
                                            floors: tuple[float, ...]) -> None:
    from bot.extract import Extractor

    result = evaluate_timeline(DATA / f"news_{split}.jsonl", default_config, Extractor(default_config))
    figures = result.figures()
    assert result.reports == reports and result.attacks >= attacks
    for name, floor in zip(FIGURES, floors):
        # second roots + merges is a share of attacks to stay under; the others are shares to stay above
        ok = figures[name] <= floor if name == "second roots + merges" else figures[name] >= floor
        assert ok, f"{name}: {figures[name]:.3f} against {floor}\n{result.report()}"
