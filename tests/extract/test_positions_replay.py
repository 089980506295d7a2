"""Stated positions through extraction and detection: the real spaCy pipeline, real ingest on a temp SQLite.

A condition, then the same actor's offer on the same subject without preconditions, is one stance that
shifts; the seed's "no agreements until a ceasefire", then a US call to go straight to a peace agreement, is a
shift for the US on the peace agreement; a statement repeated by another outlet says nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Config
from bot.detect.alerts import Alert
from bot.extract import Extractor
from bot.sources.document import Document
from bot.sources.parse import read_path
from bot.store import Store
from bot.store.baseline import current
from bot.store.ingest import ingest, seed

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

CONDITION = ("Moscow will agree to a ceasefire only if Kyiv withdraws its troops and drops its bid to join NATO, "
             "Kremlin spokesman Dmitry Peskov told reporters.")
WAIVED = "Russia is ready to agree to a ceasefire without preconditions, Peskov said on Friday."
STRAIGHT_TO_PEACE = ("The parties should go straight to a peace agreement rather than a ceasefire first, Secretary "
                     "of State Marco Rubio said on Thursday.")


def article(id: str, text: str, source: str, day: str) -> Document:
    published = dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.timezone.utc)
    return Document(id=id, text=text, url=f"https://{source}/{id}", published=published, source=source)


def replay(store: Store, config: Config, extractor: Extractor, document: Document) -> list[Alert]:
    [facts] = list(extractor.extract([document]))
    return ingest(store, document, facts, config, force=True)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    yield store
    store.close()


def test_the_condition_is_read_with_its_directions(extractor: Extractor) -> None:
    [position] = [p for p in extractor.extract_text(CONDITION, published=dt.date(2025, 4, 1)).positions
                  if p.kind == "condition"]
    assert (position.actor, position.subject) == ("russia", "ceasefire")
    assert {(r.topic, r.direction) for r in position.requires} == {("troop_withdrawal", "for"),
                                                                  ("nato_membership", "against")}
    assert {r.words for r in position.requires} == {"Kyiv withdraws its troops", "drops its bid to join NATO"}


def test_a_condition_then_its_waiver_is_one_shift_and_one_stance(store: Store, default_config: Config,
                                                                  extractor: Extractor) -> None:
    first = replay(store, default_config, extractor, article("cond", CONDITION, "tass.example", "2025-04-01"))
    assert [a.to_json()["kind"] for a in first] == ["new_position"]
    shift = [a.to_json() for a in replay(store, default_config, extractor,
                                         article("waiver", WAIVED, "ria.example", "2025-04-05"))]
    assert [(a["kind"], a["actor"], a["subject"]) for a in shift] == [("position_shift", "russia", "ceasefire")]
    assert set(shift[0]["before"]["requires"]) == {"troop_withdrawal", "no nato_membership"}
    assert shift[0]["after"]["negated"] is True
    stances = [(row.actor, row.subject) for row in current(store) if row.actor == "russia"]
    assert stances == [("russia", "ceasefire")]
    again = replay(store, default_config, extractor, article("waiver-again", WAIVED, "interfax.example", "2025-04-06"))
    assert again == []


def test_going_straight_to_a_peace_agreement_shifts_the_seeded_us_stance(store: Store, default_config: Config,
                                                                        extractor: Extractor) -> None:
    documents = read_path(str(ROOT / "seeds" / "seed-feed.xml"))
    seed(store, zip(documents, extractor.extract(documents)), default_config)
    before = {row.subject: row for row in current(store) if row.actor == "us"}
    assert "ceasefire" in before["peace_agreement"].stance.labels
    alerts = [a.to_json() for a in replay(store, default_config, extractor,
                                          article("straight", STRAIGHT_TO_PEACE, "ap.example", "2025-04-20"))]
    shifts = [a for a in alerts if a["kind"] == "position_shift"]
    assert [(a["actor"], a["subject"]) for a in shifts] == [("us", "peace_agreement")]
    assert shifts[0]["after"]["negated"] is True
    repeat = replay(store, default_config, extractor, article("straight-2", STRAIGHT_TO_PEACE, "upi.example",
                                                              "2025-04-21"))
    assert repeat == []


def test_talks_can_begin_without_a_ceasefire(extractor: Extractor) -> None:
    found = extractor.extract_text("Talks with Russia can begin without a ceasefire, Secretary of State Marco Rubio "
                                   "said.", published=dt.date(2025, 4, 1)).positions
    assert [(p.actor, p.kind, p.subject, p.labels, p.negated) for p in found] == [
        ("us", "condition", "negotiations", ("ceasefire",), True)]
