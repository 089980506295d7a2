"""Quality floors: extraction measured on the labelled sets in tests/data and on the evaluation set (real statements).

Floors sit a little under the figures reached (see the evaluation report), so a regression fails CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.evaluation.positions import (DetectionResult, LenientMatcher, PositionsResult, evaluate_condition_detection,
                                      evaluate_positions)
from bot.extract import Extractor
from tests.extract.conftest import DATA, LABELLED

HELD_OUT = DATA / "positions_heldout.yaml"
BLIND = DATA / "positions_blind.yaml"
KINDS = {"condition", "demand", "refusal", "offer", "threat"}
FLAGS = {"negated", "hedged", "hypothetical", "reported"}


@pytest.fixture(scope="module")
def labelled(eval_extractor: Extractor) -> PositionsResult:
    result = evaluate_positions(eval_extractor, LABELLED)
    print(result.report())
    return result


def test_labelled_set_is_broad_enough() -> None:
    cases = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 80
    expected = [e for c in cases for e in c["expect"]]
    assert {e["kind"] for e in expected} == KINDS
    assert FLAGS <= {f for e in expected for f in e.get("flags", ())}
    assert sum(1 for c in cases if not c["expect"]) >= 15


def test_positions_precision_and_recall_floor(labelled: PositionsResult) -> None:
    # 0.92 / 0.90 before the generalisation work; general fixes (e.g. "withdraw from" naming troop_withdrawal
    # where two labels keep the phrase) cost about 0.02 here.
    # 0.921 / 0.932 after general shapes for real statements (second "without", "first … only afterwards").
    assert labelled.precision >= 0.91, labelled.report()
    assert labelled.recall >= 0.92, labelled.report()
    assert labelled.lenient_precision >= labelled.precision and labelled.lenient_recall >= labelled.recall
    assert labelled.flag_accuracy >= 0.97, labelled.report()


def test_held_out_sentences_floor(eval_extractor: Extractor) -> None:
    """Sentences never used to shape the rules: a lower bar, but a bar."""
    result = evaluate_positions(eval_extractor, HELD_OUT)
    print(result.report())
    assert result.precision >= 0.55 and result.recall >= 0.58, result.report()
    assert result.lenient_precision >= 0.72 and result.lenient_recall >= 0.75, result.report()


def test_blind_test_half_floor(eval_extractor: Extractor) -> None:
    """positions_blind.yaml was written without seeing the code. Its odd cases (1st, 3rd, …) are the dev half that
    rules may be looked at against; its even cases are the test half: only these figures are ever read."""
    result = evaluate_positions(eval_extractor, BLIND, half="test")
    print(result.report())
    assert result.cases == 45 and not result.misses and not result.extras   # the report shows figures only
    assert result.precision >= 0.19 and result.recall >= 0.14, result.report()
    assert result.lenient_precision >= 0.43 and result.lenient_recall >= 0.32, result.report()


def test_lenient_matching_of_phrases(eval_extractor: Extractor, eval_config) -> None:
    match = LenientMatcher(eval_extractor.nlp, {t.id for t in eval_config.topics}).phrases_match
    assert match("end of army bombing", "army stop bomb darfur")
    assert match("abandonment of missile deployment in europe", "abandon plan deploy intermediate range missile")
    assert match("hezbollah disarmament", "disarm")
    assert not match("ceasefire", "end of war")             # a topic id matches only itself
    assert not match("sanctions", "sanctions_relief")
    assert not match("return of abducted child", "security guarantee")


def test_condition_detection_floor_on_shared_eval(eval_extractor: Extractor, shared_eval: Path) -> None:
    result: DetectionResult = evaluate_condition_detection(eval_extractor, shared_eval / "positions" / "dev.jsonl")
    print(result.report())
    # 0.973 / 0.766 before the general shapes of "nothing … until", "will have to be earned", "not … while", parser
    # repairs and vows of persistence; 1.000 / 0.894 after.
    assert result.precision >= 0.95, result.report()
    assert result.recall >= 0.85, result.report()
    assert result.actor_accuracy >= 0.95, result.report()


def test_report_names_its_figures_and_misses(labelled: PositionsResult) -> None:
    report = labelled.report()
    assert f"precision {labelled.precision:.3f}" in report and f"recall {labelled.recall:.3f}" in report
    assert f"lenient precision {labelled.lenient_precision:.3f}  recall {labelled.lenient_recall:.3f}" in report
    assert all(case in report for case, _ in labelled.misses[:5])
