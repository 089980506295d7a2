"""The word lists the casualties component reads, from `data/casualty_words.yaml` (one place to extend them)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from bot.extract.yaml_data import parse_yaml


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = resources.files("bot.extract").joinpath("data/casualty_words.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = parse_yaml(text)
    return data


def _words(key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in _data()[key])


KILL_VERBS = _words("kill_verbs")
DIE_VERBS = _words("die_verbs")
ILLNESSES = _words("illnesses")
INJURE_VERBS = _words("injure_verbs")
HURT_IN_TRANSLATION = _words("hurt_in_translation")
DEATH_NOUNS = _words("death_nouns")
INJURY_NOUNS = _words("injury_nouns")
FATAL_ADVERBS = _words("fatal_adverbs")
LETHAL_MANNER = _words("lethal_manner")
TRIGGER_FORMS = _words("trigger_forms")
FORM_LEMMAS: dict[str, str] = dict(_data()["form_lemmas"])
COPULAS = _words("copulas")
NOT_PEOPLE = _words("not_people")
PERPETRATOR_NOUNS = _words("perpetrator_nouns")
FIGHTER_NOUNS = _words("fighter_nouns")
PERSON_NOUNS = _words("person_nouns")
UNCOUNTED = _words("uncounted")
VICTIM_ORDINALS: dict[str, int] = {str(k).lower(): int(v) for k, v in _data()["victim_ordinals"].items()}
COLLECTIVE = _words("collective")
MULTIPLES: dict[str, int] = {str(k).lower(): int(v) for k, v in _data()["multiples"].items()}
ATTACK_NOUNS = _words("attack_nouns")
ACCIDENT_TOO = _words("accident_too")
NOT_AN_ATTACK = _words("not_an_attack")
VIOLENCE_WORDS = _words("violence_words")
PLACE_NOUNS = _words("place_nouns")
SETTLEMENT_NOUNS = _words("settlement_nouns")
CITY_PART_ADJECTIVES = _words("city_part_adjectives")
COMPASS = _words("compass")
ATTACK_VERBS = _words("attack_verbs")
LOCATIVE_PREPS = _words("locative_preps")
NON_EVENT_HEADS = _words("non_event_heads")
NEW_EVENT_MARKERS = _words("new_event_markers")
SEPARATE_MARKERS = _words("separate_markers")
REPEAT_PHRASES: tuple[tuple[str, ...], ...] = tuple(tuple(str(p).lower().split()) for p in _data()["repeat_phrases"])
TRIGGER_LEMMAS = KILL_VERBS | DIE_VERBS | INJURE_VERBS | DEATH_NOUNS | INJURY_NOUNS | {
    "toll", "life", "lives", "killed", "injured", "wounded", "alive"}
PLACE_MODIFIED_NOUNS = _words("place_modified_nouns")
GOVERNMENT_NOUNS = _words("government_nouns")
REPORTING_VERBS = _words("reporting_verbs")
BACK_REFERENCE_NOUNS = _words("back_reference_nouns")
REVISION_VERBS = _words("revision_verbs")
TOLL_RAISING_VERBS = _words("toll_raising_verbs")
PLACE_SUBJECT_VERBS = _words("place_subject_verbs")
TREATMENT_NOUNS = _words("treatment_nouns")
TRANSFER_VERBS = _words("transfer_verbs")
TARGETS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _data()["targets"].items()}
