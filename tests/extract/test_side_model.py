"""The trained side placement: what is conditioned is put where the parse says, reproduced by `make train`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Config
from bot.errors import ModelError
from bot.evaluation.side_training import collect, digest, fit, side_label, write
from bot.extract import Extractor
from bot.extract.facts import Position
from bot.extract.side_model import SideModel, default_path


def _conditions(extractor: Extractor, text: str) -> list[Position]:
    return [p for p in extractor.extract_text(text).positions if p.kind == "condition"]


@pytest.fixture(scope="module")
def placed(default_config: Config) -> Extractor:
    """The default pipeline with the shipped side placement switched on (`settings.side_model: ""`)."""
    settings = default_config.settings.model_copy(update={"side_model": ""})
    return Extractor(default_config.model_copy(update={"settings": settings}))


@pytest.mark.parametrize(("text", "subject", "requires"), [
    # the talks are what would bring nothing, not "bringing a result"
    ('"If the shelling goes on, the talks in Geneva will hardly bring any result," the Ukrainian foreign minister '
     'said.', "negotiations", "shelling goes"),
    # the talks he is ready for, not his staying firm
    ("Zelensky stays firm in his view, saying that he is ready for direct talks with Putin, but only if a ceasefire "
     "holds first.", "negotiations", "ceasefire"),
])
def test_the_model_puts_what_is_conditioned_where_the_rules_took_a_verb_fragment(
        placed: Extractor, text: str, subject: str, requires: str) -> None:
    found = _conditions(placed, text)
    assert [(p.subject, p.labels) for p in found] == [(subject, (requires,))]


def test_by_default_the_rules_alone_place_the_sides(extractor: Extractor) -> None:
    assert not extractor.nlp.get_pipe("positions").sides.enabled
    found = _conditions(extractor, '"If the shelling goes on, the talks in Geneva will hardly bring any result," the '
                                   'Ukrainian foreign minister said.')
    assert [p.subject for p in found] == ["bring result"]


def test_a_side_the_rules_name_by_a_topic_stays_as_the_rules_read_it(placed: Extractor) -> None:
    found = _conditions(placed, "The US secretary of state said Washington would support the lifting of the "
                                   "sanctions once Moscow withdraws its troops.")
    assert [(p.subject, p.labels) for p in found] == [("sanctions_relief", ("troop_withdrawal",))]


def test_the_shipped_model_is_small_json_that_loads_without_network() -> None:
    path = default_path()
    assert path.stat().st_size < 2 * 1024 * 1024
    model = SideModel.load("")
    assert model.enabled and model.digest
    probs = model.probabilities([["bias", "rs=head"], ["bias"]])
    assert probs.shape == (2, 3) and abs(float(probs.sum()) - 2.0) < 1e-9


def test_a_missing_or_broken_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="make train"):
        SideModel.load(str(tmp_path / "nowhere.json"))
    broken = tmp_path / "broken.json"
    broken.write_text('{"classes": ["a"]}', encoding="utf-8")
    with pytest.raises(ModelError, match="cannot be read"):
        SideModel.load(str(broken))


def test_labels_come_from_the_word_overlap_of_the_expected_sides(extractor: Extractor) -> None:
    doc = extractor.nlp("Kyiv will hold elections after the ceasefire.")
    elections, ceasefire = doc[3], doc[6]
    assert side_label(elections, [], ["elections in Ukraine"], ["ceasefire"]) == 1
    assert side_label(ceasefire, ["ceasefire"], ["elections in Ukraine"], ["ceasefire"]) == 2
    assert side_label(doc[0], [], ["Kyiv elections"], ["ceasefire"]) == 0   # an actor's name is never a side
    assert side_label(elections, [], ["elections"], ["elections"]) == 0     # on both sides: no label


@pytest.mark.slow
def test_make_train_reproduces_the_committed_model(tmp_path: Path) -> None:
    examples = collect()
    shipped = json.loads(default_path().read_text(encoding="utf-8"))
    assert digest(examples) == shipped["digest"], "the training data changed: run `make train`"
    write(fit(examples), tmp_path / "side_model.json")
    assert (tmp_path / "side_model.json").read_bytes() == default_path().read_bytes()
