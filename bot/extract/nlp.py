"""The spaCy model and the project's pipeline: model loading, Doc extensions and our components."""

from __future__ import annotations

import copy
import importlib
import logging
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from bot.errors import ModelError
from bot.extract.attribute_cache import cache_attribute_ruler
from bot.extract.lemma_cache import cache_lemmatizer

if TYPE_CHECKING:
    from bot.config import Config, Settings

log = logging.getLogger(__name__)

FALLBACK_MODEL = "en_core_web_sm"
ACTORS_COMPONENT = "actor_ruler"
POSITIONS_COMPONENT = "positions"
CASUALTIES_COMPONENT = "casualties"
PARAGRAPHS_COMPONENT = "paragraph_breaks"
DATELINES_COMPONENT = "dateline_breaks"   # bot.extract.discourse
_EXTENSIONS = ("published", "document_id", "positions", "casualties", "body_start")


def register_extensions() -> None:
    """Doc slots the components write and read; safe to call many times."""
    for name in _EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


@Language.component(PARAGRAPHS_COMPONENT)
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence (titles and paragraphs carry no final full stop), except a single one before a
    word in lower case ("in the\\ncentral city of Dnipro": a page's hard wrap); the paragraph's first word never makes
    a sentence alone: after a break the parser cuts "Seven" or "12" off "people were killed"."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text and not token.is_space and (
                "\n\n" in previous.text or not token.is_lower):
            token.is_sent_start = True
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if following is not None and (following.is_alpha or following.like_num):
                following.is_sent_start = False
    return doc


def load_nlp(settings: "Settings") -> Language:
    """The trained model named in settings (cached per name), falling back to en_core_web_sm."""
    return _load_model(settings.model)


@lru_cache(maxsize=4)
def _load_model(name: str) -> Language:
    return _fresh_model(name)


def _fresh_model(name: str) -> Language:
    """A newly loaded model (loading is faster than copying a loaded one)."""
    tried = []
    for candidate in dict.fromkeys((name, FALLBACK_MODEL)):
        try:
            nlp = spacy.load(candidate)
        except OSError as exc:
            tried.append(f"{candidate} ({' '.join(str(exc).split())[:120]})")
            continue
        if candidate != name:
            log.warning("spaCy model %s is not installed; using %s", name, candidate, extra={"action": "model_fallback"})
        return nlp
    raise ModelError(
        f"no spaCy model could be loaded: tried {'; '.join(tried)}. "
        f"Install the package (pip install {name.replace('_', '-')}) or set settings.model."
    )


def component_config(config: "Config") -> dict[str, Any]:
    """The parts of the config our components need, as plain JSON data (so a pipeline can be saved)."""
    return {
        "actors": [a.model_dump(mode="json") for a in config.actors],
        "topics": [t.model_dump(mode="json") for t in config.topics],
    }


def build_pipeline(config: "Config", nlp: Language | None = None) -> Language:
    """A private copy of the model (a fresh load, or a copy of `nlp`) with the actor ruler, `positions` and
    (when present) `casualties`; its attribute_ruler and lemmatizer keep what they set per kind of token
    (bot.extract.attribute_cache, bot.extract.lemma_cache).

    The components take the actors and topics from the config, so a new actor or topic needs no code change.
    """
    for module in ("bot.extract.actors", "bot.extract.positions", "bot.extract.discourse"):
        importlib.import_module(module)   # registers the factories

    register_extensions()
    pipeline = copy.deepcopy(nlp) if nlp is not None else _fresh_model(config.settings.model)
    cache_attribute_ruler(pipeline)
    cache_lemmatizer(pipeline)
    data = component_config(config)
    if "parser" in pipeline.pipe_names:
        pipeline.add_pipe(PARAGRAPHS_COMPONENT, before="parser")
        pipeline.add_pipe(DATELINES_COMPONENT, before="parser")
    _add(pipeline, ACTORS_COMPONENT, {"actors": data["actors"]})
    _add(pipeline, POSITIONS_COMPONENT, {"topics": data["topics"], "stance_model": config.settings.stance_model,
                                         "side_model": config.settings.side_model})
    if _casualties_available():
        _add(pipeline, CASUALTIES_COMPONENT, _casualties_config(config))
    return pipeline


def _add(pipeline: Language, name: str, component_config: dict[str, Any]) -> None:
    """Add one of our components; one that cannot be built stops the start (ModelError, one line): running
    without it would silently turn part of the product off."""
    try:
        pipeline.add_pipe(name, config=component_config)
    except Exception as exc:
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        raise ModelError(f"the {name} component could not be built: {reason}") from exc


def _casualties_available() -> bool:
    """The casualties module is installed (an error inside it is a component that cannot be built)."""
    try:
        importlib.import_module("bot.extract.casualties")
    except ModuleNotFoundError as exc:
        if exc.name != "bot.extract.casualties":
            raise ModelError(f"the {CASUALTIES_COMPONENT} component could not be built: {exc}") from exc
        return False
    except ImportError as exc:
        raise ModelError(f"the {CASUALTIES_COMPONENT} component could not be built: {exc}") from exc
    return CASUALTIES_COMPONENT in spacy.registry.factories.get_all() or Language.has_factory(CASUALTIES_COMPONENT)


def _casualties_config(config: "Config") -> dict[str, Any]:
    """Pass the casualties component only the config keys its factory declares."""
    meta = Language.get_factory_meta(CASUALTIES_COMPONENT)
    offered = {
        **component_config(config),
        "places": [p.model_dump(mode="json") for p in config.places],
        "config_dir": config.source_dir,
    }
    declared = meta.default_config or {}
    return {k: v for k, v in offered.items() if k in declared}
