"""The actor ruler and config-driven extraction: names, people by role dates, and config changes without code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from bot.config import Config, load_config
from bot.extract import Extractor


def actor_spans(extractor: Extractor, text: str, published: dt.date | None = None) -> list[tuple[str, str, str]]:
    doc = extractor.nlp.make_doc(text)
    doc._.published = published
    doc = extractor.nlp(doc)
    return [(s.text, s.label_, s.kb_id_) for s in doc.spans["actors"]]


def test_names_aliases_institutions_and_people(extractor: Extractor) -> None:
    spans = actor_spans(extractor, "The Kremlin and the State Department spoke, and Marco Rubio met Zelensky in Kyiv.",
                        dt.date(2025, 3, 1))
    assert ("Kremlin", "russia", "") in spans or ("The Kremlin", "russia", "") in spans
    assert ("State Department", "us", "") in spans
    assert ("Marco Rubio", "us", "Marco Rubio") in spans
    assert ("Zelensky", "ukraine", "Volodymyr Zelensky") in spans
    assert ("Kyiv", "ukraine", "") in spans


def test_an_institution_is_its_actor_and_keeps_its_own_name(extractor: Extractor) -> None:
    doc = extractor.nlp.make_doc("The Kremlin, Moscow and the European Commission answered the White House.")
    doc = extractor.nlp(doc)
    named = [(s.label_, s.kb_id_) for s in doc.spans["actor_institutions"]]
    assert named == [("russia", "Kremlin"), ("eu", "European Commission"), ("us", "White House")]
    assert ("Moscow", "russia", "") in [(s.text, s.label_, s.kb_id_) for s in doc.spans["actors"]]


def test_sentence_initial_capital_and_case_sensitivity(extractor: Extractor) -> None:
    spans = actor_spans(extractor, "The Kremlin told us nothing.")
    assert [label for _, label, _ in spans] == ["russia"]   # "us" the pronoun is not the United States


def test_people_count_only_while_they_hold_their_role(extractor: Extractor) -> None:
    text = "Antony Blinken spoke to reporters."
    assert actor_spans(extractor, text, dt.date(2024, 6, 1)) == [("Antony Blinken", "us", "Antony Blinken")]
    assert actor_spans(extractor, text, dt.date(2025, 6, 1)) == []


def _config_dir(tmp_path: Path, default_config: Config, actors: list[dict], topics: list[dict]) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    base_actors = [a.model_dump(mode="json", exclude_defaults=True) for a in default_config.actors]
    base_topics = [t.model_dump(mode="json", exclude_defaults=True) for t in default_config.topics]
    (folder / "actors.yaml").write_text(yaml.safe_dump({"actors": base_actors + actors}), encoding="utf-8")
    (folder / "topics.yaml").write_text(yaml.safe_dump({"topics": base_topics + topics}), encoding="utf-8")
    return folder


def test_adding_an_actor_in_config_changes_extraction(tmp_path: Path, default_config: Config,
                                                     extractor: Extractor) -> None:
    text = "“There will be no talks until the blockade is lifted,” Turkish Foreign Minister Hakan Fidan said."
    assert extractor.extract_text(text).positions == []
    folder = _config_dir(tmp_path, default_config, actors=[
        {"id": "turkey", "name": "Turkey", "aliases": ["Ankara"], "demonyms": ["Turkish"],
         "people": [{"name": "Hakan Fidan", "role": "Foreign Minister", "aliases": ["Fidan"]}]},
    ], topics=[])
    found = Extractor(load_config(folder)).extract_text(text).positions
    assert [(p.actor, p.speaker, p.kind, p.subject) for p in found] == [("turkey", "Hakan Fidan", "condition", "negotiations")]
    assert found[0].labels == ("blockade lifted",)


def test_adding_a_topic_in_config_changes_normalisation(tmp_path: Path, default_config: Config,
                                                       extractor: Extractor) -> None:
    text = "Zelensky said there could be no peace deal without the return of abducted children."
    before = extractor.extract_text(text, published=dt.date(2025, 4, 1)).positions
    assert [p.labels for p in before] == [("return of abducted children",)]
    folder = _config_dir(tmp_path, default_config, actors=[], topics=[
        {"id": "children_return", "phrases": ["return of children", "return of abducted children"]},
    ])
    after = Extractor(load_config(folder)).extract_text(text, published=dt.date(2025, 4, 1)).positions
    assert [(p.subject, p.labels) for p in after] == [("peace_agreement", ("children_return",))]
