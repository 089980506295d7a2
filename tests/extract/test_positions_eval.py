"""Quality floors: extraction measured on the labelled set in tests/data and on ../shared/eval (real statements).

Floors sit a little under the figures reached (see README), so a regression fails CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.evaluation.positions import evaluate_condition_detection, evaluate_positions
from bot.extract import Extractor
from tests.extract.conftest import LABELLED

KINDS = {"condition", "demand", "refusal", "offer", "threat"}
FLAGS = {"negated", "hedged", "hypothetical", "reported"}


def test_labelled_set_is_broad_enough() -> None:
    cases = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 80
    expected = [e for c in cases for e in c["expect"]]
    assert {e["kind"] for e in expected} == KINDS
    assert FLAGS <= {f for e in expected for f in e.get("flags", ())}
    assert sum(1 for c in cases if not c["expect"]) >= 15


def test_positions_precision_and_recall_floor(eval_extractor: Extractor) -> None:
    result = evaluate_positions(eval_extractor, LABELLED)
    print(result.report())
    assert result.precision >= 0.90, result.report()
    assert result.recall >= 0.85, result.report()
    assert result.flag_accuracy >= 0.95, result.report()


def test_condition_detection_floor_on_shared_eval(eval_extractor: Extractor, shared_eval: Path) -> None:
    result = evaluate_condition_detection(eval_extractor, shared_eval / "positions" / "dev.jsonl")
    print(result.report())
    assert result.precision >= 0.90, result.report()
    assert result.recall >= 0.45, result.report()
    assert result.actor_accuracy >= 0.95, result.report()


def test_reports_name_their_figures(eval_extractor: Extractor) -> None:
    report = evaluate_positions(eval_extractor, LABELLED).report()
    assert "precision" in report and "recall" in report
