"""A shift and a rising toll told from real prose: the real spaCy pipeline, the real seed feed, real ingest on SQLite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.config import Config, load_config
from bot.detect.alerts import Alert
from bot.sources.document import Document
from bot.sources.parse import read_path
from bot.store import Store
from bot.store.ingest import ingest, seed
from bot.store.models import CasualtyEvent

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(ROOT / "config")


@pytest.fixture(scope="module")
def extractor(config: Config):  # type: ignore[no-untyped-def]
    from bot.extract import Extractor

    return Extractor(config)


@pytest.fixture
def store(tmp_path: Path, config: Config, extractor) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    documents = read_path(str(ROOT / "seeds" / "seed-feed.xml"))
    seed(store, zip(documents, extractor.extract(documents)), config)
    yield store
    store.close()


def article(id: str, text: str, source: str, day: str = "2025-04-20") -> Document:
    published = dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.timezone.utc)
    return Document(id=id, text=text, title="", url=f"https://{source}/{id}", published=published, source=source)


def replay(store: Store, config: Config, extractor, document: Document) -> list[Alert]:  # type: ignore[no-untyped-def]
    [facts] = list(extractor.extract([document]))
    return ingest(store, document, facts, config, force=True)


def test_the_seed_replayed_raises_nothing(store: Store, config: Config, extractor) -> None:  # type: ignore[no-untyped-def]
    for document in read_path(str(ROOT / "seeds" / "seed-feed.xml")):
        assert replay(store, config, extractor, document) == []


def test_a_us_official_says_talks_can_begin_without_a_ceasefire(store: Store, config: Config, extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Secretary of State Marco Rubio said talks with Russia can begin without a ceasefire."
    alerts = [a.to_json() for a in replay(store, config, extractor, article("rubio", text, "reuters.example"))]
    shifts = [a for a in alerts if a["kind"] == "position_shift" and a["subject"] == "negotiations"]
    assert len(shifts) == 1, alerts
    assert shifts[0]["actor"] == "us"
    assert shifts[0]["before"]["requires"] == ["ceasefire"]
    assert shifts[0]["after"]["url"] == "https://reuters.example/rubio"
    assert shifts[0]["change"] in ("negated", "dropped")


def test_an_office_that_speaks_is_named_as_the_speaker_in_the_alert(store: Store, config: Config, extractor) -> None:  # type: ignore[no-untyped-def]
    from bot.notify import render_text
    from bot.notify.names import Names

    text = "Talks with Russia can begin without a ceasefire, the State Department said in a statement on Sunday."
    alerts = [a for a in replay(store, config, extractor, article("dos", text, "wire.example"))
              if a.subject == "negotiations"]
    assert len(alerts) == 1 and alerts[0].to_json()["after"]["speaker"] == "State Department"
    assert "Speaker: State Department" in render_text(alerts[0], Names.of(config))


def test_the_seed_stance_repeated_by_another_outlet_raises_nothing(store: Store, config: Config, extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("State Department spokesperson Tammy Bruce said there will be no negotiations with Russia "
            "until a ceasefire is in place.")
    assert replay(store, config, extractor, article("bruce-again", text, "outlet-a.example", "2025-04-16")) == []


def test_the_sumy_toll_rises_then_a_new_strike_is_reported_twice(store: Store, config: Config, extractor) -> None:  # type: ignore[no-untyped-def]
    toll = "The death toll from the Russian missile strike on Sumy has risen to 40, the regional administration said."
    [update] = [a.to_json() for a in replay(store, config, extractor, article("sumy-40", toll, "kyiv.example", "2025-04-15"))]
    assert update["kind"] == "casualty_update"
    assert update["casualty"]["killed"] == 40 and update["casualty"]["location"] == "Sumy"
    assert update["previous"]["killed"] == 35

    strike = "A Russian drone attack on Kharkiv killed five people and injured 20 on Friday, the mayor said."
    [event] = [a.to_json() for a in replay(store, config, extractor, article("kharkiv-a", strike, "outlet-a.example", "2025-04-18"))]
    assert event["kind"] == "casualty_event" and event["casualty"]["location"] == "Kharkiv"
    assert event["casualty"]["killed"] == 5

    again = "A Russian drone attack on Kharkiv on Friday killed five people, the regional governor said."
    assert replay(store, config, extractor, article("kharkiv-b", again, "outlet-b.example", "2025-04-18")) == []
    with store.session() as session:
        kharkiv = session.scalars(select(CasualtyEvent).options(selectinload(CasualtyEvent.sources))
                                  .where(CasualtyEvent.location == "Kharkiv")).one()
        assert [s.source for s in kharkiv.sources] == ["outlet-a.example", "outlet-b.example"]
