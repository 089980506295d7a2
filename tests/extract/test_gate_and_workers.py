"""Documents that cannot yield a fact skip the model; parallel workers give the same facts as one process."""

from __future__ import annotations

import datetime as dt

from bot.config import Config
from bot.extract import Extractor
from bot.sources.document import Document

DAY = dt.datetime(2025, 4, 16, tzinfo=dt.timezone.utc)

TEXTS = [
    "Shares in European carmakers rose on Tuesday after strong quarterly results from suppliers.",
    "“There will be no talks until the shelling stops,” Zelensky said in Kyiv on Tuesday.",
    "At least 12 people were killed and 30 wounded when a missile hit an apartment block in Dnipro.",
    "The weather service forecast heavy rain for the weekend across the north of the country.",
    "The Kremlin said Moscow would not accept any ceasefire without guarantees on sanctions relief.",
]


def documents(count: int) -> list[Document]:
    return [Document(id=f"d{i}", text=TEXTS[i % len(TEXTS)], published=DAY) for i in range(count)]


def test_irrelevant_documents_yield_nothing_and_relevant_ones_their_facts(extractor: Extractor) -> None:
    facts = list(extractor.extract(documents(5)))
    assert [f.document_id for f in facts] == ["d0", "d1", "d2", "d3", "d4"]
    assert facts[0].positions == [] and facts[0].casualties == []
    assert facts[3].positions == [] and facts[3].casualties == []
    assert [p.actor for p in facts[1].positions] == ["ukraine"]
    assert [c.killed for c in facts[2].casualties] == [12]


def test_worker_processes_give_the_same_facts_in_the_same_order(default_config: Config) -> None:
    settings = default_config.settings.model_copy(update={"n_process": 2, "batch_size": 4})
    parallel = Extractor(default_config.model_copy(update={"settings": settings}))
    serial_settings = settings.model_copy(update={"n_process": 1})
    serial = Extractor(default_config.model_copy(update={"settings": serial_settings}))
    try:
        docs = documents(23)
        assert list(parallel.extract(docs)) == list(serial.extract(docs))
    finally:
        parallel.close()


def test_the_last_batches_go_to_the_workers_in_pieces_of_about_equal_text() -> None:
    from bot.extract import _cut_tail

    docs = [Document(id=f"d{i}", text="word " * (10 + 7 * (i % 5))) for i in range(40)]
    batches = [docs[i:i + 8] for i in range(0, 40, 8)]
    tasks = list(_cut_tail(iter(batches), 2))
    assert [d.id for task in tasks for d in task] == [d.id for d in docs]   # the same documents, in order
    assert tasks[:3] == batches[:3]                                        # whole batches until the last two
    tail = [sum(len(d.full_text) for d in task) for task in tasks[3:]]
    longest = max(len(d.full_text) for d in docs)
    assert len(tail) == 8 and all(abs(size - sum(tail) / 8) <= longest for size in tail)
    assert [len(t) for t in _cut_tail(iter([docs[:1]]), 2)] == [1] and list(_cut_tail(iter([]), 2)) == []
