"""Quality floors: extraction measured on the labelled sets in tests/data and on ../shared/eval (real statements).

Floors sit a little under the figures reached (see the evaluation report), so a regression fails CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.evaluation.positions import (DetectionResult, PositionsResult, evaluate_condition_detection,
                                      evaluate_positions)
from bot.extract import Extractor
from tests.extract.conftest import DATA, LABELLED

HELD_OUT = DATA / "positions_heldout.yaml"
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
    assert labelled.precision >= 0.92, labelled.report()
    assert labelled.recall >= 0.90, labelled.report()
    assert labelled.flag_accuracy >= 0.97, labelled.report()


def test_held_out_sentences_floor(eval_extractor: Extractor) -> None:
    """Sentences never used to shape the rules: a lower bar, but a bar."""
    result = evaluate_positions(eval_extractor, HELD_OUT)
    print(result.report())
    assert result.precision >= 0.55 and result.recall >= 0.55, result.report()


def test_condition_detection_floor_on_shared_eval(eval_extractor: Extractor, shared_eval: Path) -> None:
    result: DetectionResult = evaluate_condition_detection(eval_extractor, shared_eval / "positions" / "dev.jsonl")
    print(result.report())
    assert result.precision >= 0.92, result.report()
    assert result.recall >= 0.65, result.report()
    assert result.actor_accuracy >= 0.95, result.report()


def test_report_names_its_figures_and_misses(labelled: PositionsResult) -> None:
    report = labelled.report()
    assert f"precision {labelled.precision:.3f}" in report and f"recall {labelled.recall:.3f}" in report
    assert all(case in report for case, _ in labelled.misses[:5])
