"""The spaCy pipeline: model loading, components and Doc extensions."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy
from spacy.tokens import Doc

from bot.config import Config, Settings
from bot.errors import ModelError
from bot.extract import Extractor
from bot.extract.nlp import load_nlp, register_extensions
from bot.sources.document import Document


def test_pipeline_has_our_components_after_the_model(extractor: Extractor) -> None:
    names = extractor.nlp.pipe_names
    assert names.index("ner") < names.index("actor_ruler") < names.index("positions")
    assert "lemmatizer" in names and "parser" in names


def test_model_is_loaded_once_per_name() -> None:
    settings = Settings()
    assert load_nlp(settings) is load_nlp(settings)


def test_missing_model_is_a_clear_error() -> None:
    settings = Settings(model="no_such_model_pkg")
    if spacy.util.is_package("en_core_web_sm"):
        assert load_nlp(settings).meta["name"] == "core_web_sm"
    else:
        with pytest.raises(ModelError, match="no_such_model_pkg"):
            load_nlp(settings)


def test_extensions_register_idempotently() -> None:
    register_extensions()
    register_extensions()
    for name in ("published", "document_id", "positions", "casualties"):
        assert Doc.has_extension(name)


def test_documents_carry_their_publication_date(extractor: Extractor) -> None:
    seen: list[dt.date | None] = []

    def spy(doc: Doc) -> Doc:
        seen.append(doc._.published)
        return doc

    nlp = extractor.nlp
    name = "published_spy"
    spacy.language.Language.component(name, func=spy)
    nlp.add_pipe(name)
    try:
        docs = [Document(id="a", text="Kallas called for a ceasefire.",
                         published=dt.datetime(2025, 4, 1, 12, tzinfo=dt.timezone.utc)),
                Document(id="b", text="Kallas gave no date.")]
        list(extractor.extract(docs))
    finally:
        nlp.remove_pipe(name)
    assert seen == [dt.date(2025, 4, 1), None]


def test_two_extractors_with_different_configs_do_not_share_components(default_config: Config) -> None:
    narrow = default_config.model_copy(update={"actors": tuple(a for a in default_config.actors if a.id != "eu")})
    text = "Kallas called for an immediate ceasefire."
    assert Extractor(narrow).extract_text(text).positions == []
    assert [p.actor for p in Extractor(default_config).extract_text(text).positions] == ["eu"]


def test_empty_and_title_only_documents(extractor: Extractor) -> None:
    results = list(extractor.extract([Document(id="e", text=""), Document(id="t", text="", title="Talks stall")]))
    assert [(r.document_id, r.positions) for r in results] == [("e", []), ("t", [])]
