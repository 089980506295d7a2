"""Quality floors on the older position sets: the rule-writing set and the held-out sentences in tests/data, the
blind set's held-out half (figures only) and the shared real statements of other conflicts (when present).

Floors sit a little under the figures reached (see the evaluation report), so a regression fails CI. The older
sets were labelled before requirements had a direction: they compare requirements by topic. Since the shapes
became data and phrases keep the text's own words (not lemmas), strict figures here dropped (the labels are
lemmatised); the lenient ones are the comparable measure.
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
    # Hand-written walks reached 0.92 / 0.93 strict here (the set they were written with); the shapes as data,
    # with phrases in the text's own words, reach 0.51 / 0.51 strict and 0.76 / 0.77 lenient.
    assert labelled.lenient_precision >= 0.74 and labelled.lenient_recall >= 0.75, labelled.report()
    assert labelled.precision >= 0.45 and labelled.recall >= 0.45, labelled.report()
    assert labelled.lenient_precision >= labelled.precision and labelled.lenient_recall >= labelled.recall
    assert labelled.flag_accuracy >= 0.97, labelled.report()


def test_held_out_sentences_floor(eval_extractor: Extractor) -> None:
    """Sentences never used to shape the rules: a lower bar, but a bar."""
    result = evaluate_positions(eval_extractor, HELD_OUT)
    print(result.report())
    assert result.lenient_precision >= 0.65 and result.lenient_recall >= 0.78, result.report()


def test_blind_test_half_floor(eval_extractor: Extractor) -> None:
    """positions_blind.yaml was written without seeing the code. Its odd cases (1st, 3rd, …) are the dev half that
    rules may be looked at against; its even cases are the test half: only these figures are ever read."""
    result = evaluate_positions(eval_extractor, BLIND, half="test")
    print(result.report())
    assert result.cases == 45 and not result.misses and not result.extras   # the report shows figures only
    assert result.lenient_precision >= 0.37 and result.lenient_recall >= 0.33, result.report()


def test_blind_dev_half_floor(eval_extractor: Extractor) -> None:
    result = evaluate_positions(eval_extractor, BLIND, half="dev")
    print(result.report())
    assert result.lenient_precision >= 0.76 and result.lenient_recall >= 0.79, result.report()


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
    # 1.000 / 0.894 with the hand-written walks; 1.000 / 0.787 with the shapes as data.
    assert result.precision >= 0.95, result.report()
    assert result.recall >= 0.76, result.report()
    assert result.actor_accuracy >= 0.95, result.report()


def test_report_names_its_figures_and_misses(labelled: PositionsResult) -> None:
    report = labelled.report()
    assert f"precision {labelled.precision:.3f}" in report and f"recall {labelled.recall:.3f}" in report
    assert f"lenient precision {labelled.lenient_precision:.3f}  recall {labelled.lenient_recall:.3f}" in report
    assert all(case in report for case, _ in labelled.misses[:5])
