"""One attack's story in five real-style reports, through the real pipeline (model, detection, SQLite): a first
report, a revision where two of the wounded die, a repeat from another outlet spelling the city another way, an
anniversary story and a UN tally. Exactly one event and one update, with the right figures, and nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.config import Config, load_config
from bot.sources.document import Document
from bot.store import Store
from bot.store.ingest import ingest
from bot.store.models import CasualtyEvent

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

STORY = [
    ("first", "south-news.example", "2025-05-06T07:30",
     "Russian missile strike on Zaporizhzhia apartment block kills 5, injures 21",
     "A Russian missile hit a nine-storey apartment block in the southern city of Zaporizhzhia early on Tuesday, "
     "killing five people and injuring 21, regional governor Ivan Fedorov said on Telegram.\n\n"
     "Rescue crews were searching the rubble for residents who might still be trapped."),
    ("two-died", "kyiv-daily.example", "2025-05-07T08:00",
     "Two injured in Zaporizhzhia strike die in hospital",
     "Two of the people wounded in Tuesday's Russian missile strike on an apartment block in Zaporizhzhia have died "
     "in hospital, governor Ivan Fedorov said on Wednesday.\n\n"
     "Doctors are still treating several patients in intensive care."),
    ("repeat", "wire.example", "2025-05-07T12:00",
     "Toll from missile strike on Zaporozhye apartment block reaches seven",
     "Seven people were killed and 21 were wounded when a Russian missile struck a residential building in "
     "Zaporozhye on Tuesday, local authorities said on Wednesday."),
    ("anniversary", "south-news.example", "2025-05-08T09:00",
     "Zaporizhzhia marks anniversary of deadly strike on city centre",
     "Residents of Zaporizhzhia gathered on Thursday to commemorate the 14 people who were killed a year ago when "
     "Russian missiles hit a busy street in the city centre.\n\nFlowers were laid at the site of the attack."),
    ("un-total", "wire.example", "2025-05-08T15:00",
     "UN says civilian death toll in Ukraine passes 12,000",
     "At least 12,000 civilians have been killed in Ukraine since the start of Russia's full-scale invasion, the UN "
     "Human Rights Monitoring Mission said on Thursday, adding that the real figure is likely higher."),
]


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(ROOT / "config")


def test_one_event_one_update_and_nothing_else(tmp_path: Path, config: Config) -> None:
    from bot.extract import Extractor

    documents = [Document(id=name, title=title, text=text, url=f"https://{source}/{name}", source=source,
                          published=dt.datetime.fromisoformat(when).replace(tzinfo=dt.timezone.utc))
                 for name, source, when, title, text in STORY]
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        raised = {document.id: [a for a in ingest(store, document, facts, config) if a.casualty is not None]
                  for document, facts in zip(documents, Extractor(config).extract(documents))}
        with store.session() as session:
            events = session.scalars(select(CasualtyEvent).options(selectinload(CasualtyEvent.sources))).all()
            kept = [(e.location, e.killed, e.injured, len(e.sources)) for e in events]
    finally:
        store.close()

    seen = {name: [(str(a.kind), a.casualty.casualty.killed, a.casualty.casualty.injured) for a in alerts]
            for name, alerts in raised.items()}
    assert seen == {
        "first": [("casualty_event", 5, 21)],
        "two-died": [("casualty_update", 7, 21)],       # two more dead; the injured figure is not "2"
        "repeat": [],                                   # the same figures, another outlet, another spelling
        "anniversary": [],
        "un-total": [],
    }
    update = raised["two-died"][0]
    assert update.casualty.previous is not None and (update.casualty.previous.killed, update.casualty.previous.injured) == (5, 21)
    assert update.thread_key == raised["first"][0].thread_key
    assert kept == [("Zaporizhzhya", 7, 21, 3)]
