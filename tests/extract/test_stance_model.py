"""The trained stance check: shipped small, loaded without network, reproduced by `make train`, switchable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config
from bot.errors import ModelError
from bot.extract import Extractor
from bot.extract.stance_model import StanceModel, default_path
from bot.evaluation.stance_training import collect, examples_of, train

TEXT = "Lavrov said Moscow would sign a peace treaty only if Kyiv renounced its bid to join NATO."


def test_the_shipped_model_is_small_and_loads_from_the_package() -> None:
    path = default_path()
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    assert size < 20 * 1024 * 1024
    model = StanceModel.load("")
    assert model.enabled and 0.0 <= model.score("m_shape_if_clause m_via_report lavrov said") <= 1.0


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="make train"):
        StanceModel.load(str(tmp_path / "nowhere"))


def test_the_check_can_be_switched_off(default_config: Config) -> None:
    settings = default_config.settings.model_copy(update={"stance_model": "off"})
    extractor = Extractor(default_config.model_copy(update={"settings": settings}))
    assert not extractor.nlp.get_pipe("positions").stance.enabled
    assert [p.subject for p in extractor.extract_text(TEXT).positions] == ["peace_agreement"]


@pytest.mark.slow
def test_make_train_reproduces_the_committed_model(tmp_path: Path) -> None:
    train(examples_of(collect()), tmp_path / "model")
    shipped = default_path()
    for name in ("textcat/model", "config.cfg", "training.json"):
        assert (tmp_path / "model" / name).read_bytes() == (shipped / name).read_bytes(), name
