"""Derived data kept on disk between starts: read back as computed, recomputed when unreadable or unwritable."""

from __future__ import annotations

from pathlib import Path

import pytest

from spacy.language import Language

from bot.extract import Extractor, disk_cache
from bot.extract.positions import _lemmatizer

PHRASES = ["peace talks", "withdrawal of troops", "the lifting of sanctions"]


@pytest.fixture(scope="module")
def nlp(extractor: Extractor) -> Language:
    return extractor.load().nlp


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DISCOURSE_BOT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_topic_forms_read_from_the_cache_are_those_the_model_gives(cache: Path, nlp: Language) -> None:
    first = _lemmatizer(nlp)(PHRASES)
    assert [p.name.split("-")[0:2] for p in cache.iterdir()] == [["topic", "forms"]]
    again = _lemmatizer(nlp)(PHRASES)
    assert again == first
    assert {"troop", "troops"} <= first[1][2] and first[0] == [{"peace"}, {"talk", "talks"}]


def test_other_phrases_name_another_file(cache: Path, nlp: Language) -> None:
    _lemmatizer(nlp)(PHRASES)
    _lemmatizer(nlp)(PHRASES[:2])
    assert len(list(cache.iterdir())) == 2


def test_an_unreadable_cache_file_is_computed_again(cache: Path) -> None:
    assert disk_cache.cached("thing", "d1", lambda: [1, 2]) == [1, 2]
    (cache / "thing-d1.marshal").write_bytes(b"\x00garbage")
    assert disk_cache.cached("thing", "d1", lambda: [3]) == [3]
    assert disk_cache.cached("thing", "d1", lambda: [4]) == [3]


def test_a_folder_that_cannot_be_written_costs_only_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DISCOURSE_BOT_CACHE_DIR", str(blocker / "cache"))
    assert disk_cache.cached("thing", "d2", lambda: {"a": 1}) == {"a": 1}
