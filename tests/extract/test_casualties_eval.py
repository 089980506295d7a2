"""Quality floor on real text: the evaluation set's casualties/dev.csv (never copied into the project).

Reached when written: killed 0.946, injured 0.802, no casualty found 0.006. The floor sits a little under,
so a regression fails CI while small label noise does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation.casualties import CAUSES, evaluate_casualties
from tests.extract.casualty_support import shared_pipeline, texts_extractor

KILLED_FLOOR = 0.92
INJURED_FLOOR = 0.78
NO_REPORT_CEILING = 0.03


@pytest.fixture(scope="module")
def dev_csv(shared_eval: Path) -> Path:
    path = shared_eval / "casualties" / "dev.csv"
    if not path.is_file():
        pytest.skip(f"casualty evaluation data not found at {path} (CI always has it)")
    return path


def test_casualty_figures_hold_their_floor(dev_csv: Path, repo_root: Path) -> None:
    nlp = shared_pipeline(str(repo_root / "config"))
    result = evaluate_casualties(texts_extractor(nlp), dev_csv)
    report = result.report()
    print(report)
    assert result.rows >= 100
    assert result.killed_accuracy >= KILLED_FLOOR, report
    assert result.injured_accuracy >= INJURED_FLOOR, report
    assert result.no_report_share <= NO_REPORT_CEILING, report


def test_the_report_names_every_figure_and_cause(tmp_path: Path) -> None:
    csv = tmp_path / "tiny.csv"
    csv.write_text(
        "id,text,killed,injured,country,source\n"
        'a,"Three people were killed and 28 injured.",3,28,X,test\n'
        'b,"Two soldiers died.",2,,X,test\n'
        'c,"Nothing happened here.",4,1,X,test\n',
        encoding="utf-8",
    )
    fixed = {"Three people were killed and 28 injured.": [(3, 28)], "Two soldiers died.": [(5, None)]}

    def extract_texts(texts):
        from bot.extract.facts import CasualtyReport

        return [[CasualtyReport(killed=k, injured=i) for k, i in fixed.get(t, [])] for t in texts]

    result = evaluate_casualties(extract_texts, csv)
    assert (result.killed_right, result.rows) == (1, 3)
    assert (result.injured_right, result.injured_rows) == (1, 2)
    assert result.no_report_share == pytest.approx(1 / 3)
    causes = {(m.id, m.field): m.cause for m in result.misses}
    assert causes == {("b", "killed"): "number words", ("c", "killed"): "no report", ("c", "injured"): "no report"}
    text = result.report()
    for needle in ("killed exact match", "injured exact match", "no casualty found", *CAUSES):
        assert needle in text
