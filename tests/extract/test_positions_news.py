"""Stated conditions on real news (tests/data/positions): floors per split, and the matcher they are judged with.

dev, train and val are open (tuned on; train also trains the stance check), so their floors hold the figures
reached; test is held out: its figures are printed, never its items, and nothing is asserted about them but their
shape.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation.news import NewsResult, evaluate_news, matches, same, words
from bot.extract import Extractor
from bot.extract.facts import Position, Requirement

NEWS = Path(__file__).resolve().parents[1] / "data" / "positions"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dev(extractor: Extractor) -> NewsResult:
    result = evaluate_news(extractor, NEWS / "news_dev.jsonl")
    print(result.report())
    return result


@pytest.fixture(scope="module")
def train(extractor: Extractor) -> NewsResult:
    result = evaluate_news(extractor, NEWS / "news_train.jsonl")
    print(result.report())
    return result


def ratio(tally) -> float:  # type: ignore[no-untyped-def]
    return tally.right / tally.total


def test_dev_split_floor(dev: NewsResult) -> None:
    # 8/60 core conditions found whole and 7/35 false conditions before the redesign.
    assert dev.core_whole.total == 60 and dev.negatives_false.total == 35
    assert ratio(dev.core_whole) >= 0.73, dev.report()            # 44/60 reached
    assert ratio(dev.core_actor) >= 0.90, dev.report()            # 54/60
    assert ratio(dev.stretch_found) >= 0.20, dev.report()         # 6/29
    assert dev.negatives_false.right <= 1, dev.report()           # 1/35
    assert ratio(dev.fields["actor"]) >= 0.90, dev.report()       # 93/98


def test_train_split_floor(train: NewsResult) -> None:
    assert train.core_whole.total == 70 and train.negatives_false.total == 47
    assert ratio(train.core_whole) >= 0.54, train.report()        # 38/70 reached
    assert ratio(train.core_actor) >= 0.90, train.report()        # 63/70
    assert train.negatives_false.right <= 1, train.report()       # 0/47 (the stance check is trained here)
    assert ratio(train.fields["direction"]) >= 0.90, train.report()   # 58/63


@pytest.mark.parametrize(("split", "core", "negatives", "whole", "by_actor", "false_at_most", "actor"), [
    # Open, gathered after the first round of rules; 8/45 core conditions found whole then. Reached: 24/45, 37/45.
    # (37/45 by the right actor until the war's end was named as its settlement: one wrong-subject condition went)
    ("val", 45, 30, 0.53, 0.80, 2, 0.90),
    # Open from round four on (a further blind labeller); 27/126 found whole when it arrived. Reached: 39/126,
    # 94/126 (the stance check is trained here); 43/126 and 99/126 in round nine.
    ("train2", 126, 94, 0.33, 0.77, 1, 0.95),
    # A seventh blind labeller's set of round six, scored by round five's and round six's rules before it was read:
    # 18/70 found whole both times, 46/70 then 47/70 by the right actor, 10/45 false conditions. Not trained on.
    # Reached after it was read: 20/70 (topic names), then 23/70 and 48/70, 9/45 false conditions (round eight);
    # 27/70, 51/70 and 5/45 in round nine; 4/45 false conditions in round ten.
    ("train3", 70, 45, 0.37, 0.71, 4, 0.95),
    # Kept apart from the rules of rounds two to eight, scored as it came; 9/45 whole and 9/30 false conditions at
    # the start of round eight; 11/45, 31/45 and 4/30 at its end; 13/45, 34/45 and 3/30 at the end of round nine.
    ("val2", 45, 30, 0.27, 0.73, 3, 0.90),
    # Round seven's blind check (an eighth blind labeller), scored once as an aggregate (9/65 whole, 39/65 by the
    # right actor, 3/50 false conditions), opened in round eight: 14/65 and 41/65 reached; 15/65, 44/65 and 2/50
    # in round nine.
    ("val3", 65, 50, 0.22, 0.66, 2, 0.94),
    # Round nine's blind check (a ninth blind labeller), scored as an aggregate by round eight's rules (31/65 whole,
    # 50/65 by the right actor, 9/50 false conditions) and round nine's (33/65, 52/65, 8/50), opened in round ten:
    # 35/65, 54/65 and 6/50 reached; 39/65 and 56/65 in round eleven.
    ("val4", 65, 50, 0.59, 0.86, 6, 0.95),
    # Round ten's blind check (a tenth blind labeller), scored as an aggregate by round nine's and round ten's rules
    # alike (20/65 whole, 43/65 by the right actor, 15/50 false conditions), opened in round eleven: 22/65, 43/65 and
    # 10/50 reached.
    ("val5", 65, 50, 0.33, 0.66, 10, 0.93),
])
def test_later_open_split_floors(extractor: Extractor, split: str, core: int, negatives: int, whole: float,
                                 by_actor: float, false_at_most: int, actor: float) -> None:
    result = evaluate_news(extractor, NEWS / f"news_{split}.jsonl")
    assert result.core_whole.total == core and result.negatives_false.total == negatives
    assert ratio(result.core_whole) >= whole, result.report()
    assert ratio(result.core_actor) >= by_actor, result.report()
    assert result.negatives_false.right <= false_at_most, result.report()
    assert ratio(result.fields["actor"]) >= actor, result.report()


@pytest.mark.parametrize("split", ["test", "test2", "val6"])
def test_the_held_out_split_reports_figures_only(extractor: Extractor, split: str) -> None:
    result = evaluate_news(extractor, NEWS / f"news_{split}.jsonl")
    print(result.line())
    report = result.report()
    assert result.held_out and not result.missed_core and not result.false_conditions
    assert "missed" not in report and "false conditions (" not in report


# -- the matcher the project is judged with ------------------------------------------------------------------


def test_content_words() -> None:
    assert words("Putin-Zelensky meeting") == {"putin", "zelensky", "meeting"}
    assert words("nato_membership") == {"nato", "membership"}
    assert words("the end of the war") == set()   # words of three letters or less, and stop words, count for nothing


def test_same_names() -> None:
    assert same("negotiations", ["negotiations"])
    assert same("meeting with Putin", ["Putin-Zelensky meeting"])
    assert same("sanctions_relief", ["sanctions"])
    assert not same("troop_withdrawal", ["Russian troop_withdrawal to the lines"])   # a name with "_" only exactly
    assert not same("ceasefire", ["peace_agreement"])


def test_a_requirement_labelled_with_its_direction_apart_matches_in_that_direction() -> None:
    expected = {"actor": "russia", "kind": "condition", "subject": ["ceasefire"], "requires": ["nato_membership"],
                "directions": ["against"], "negated": False}
    renounced = Position("russia", "condition", "ceasefire", (Requirement("nato_membership", "against"),))
    assert matches(renounced, expected)
    assert not matches(renounced, {**expected, "directions": ["for"]})
    granted = Position("russia", "condition", "ceasefire", ("nato_membership",))
    assert matches(granted, {**expected, "directions": ["for"]})


def test_a_found_condition_matches_the_expected_one() -> None:
    expected = {"actor": "russia", "kind": "condition", "subject": ["ceasefire"], "requires": ["troop_withdrawal"],
                "negated": False}
    found = Position("russia", "condition", "ceasefire", ("troop_withdrawal",))
    assert matches(found, expected)
    assert not matches(Position("russia", "condition", "ceasefire", ("troop_withdrawal",), negated=True), expected)
    assert not matches(Position("ukraine", "condition", "ceasefire", ("troop_withdrawal",)), expected)
    assert not matches(Position("russia", "demand", "ceasefire", ("troop_withdrawal",)), expected)
    assert not matches(Position("russia", "condition", "ceasefire", ("no troop_withdrawal",)), expected)
