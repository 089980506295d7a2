"""Property: once a sequence of dated documents has been processed, replaying it (force) tells nothing new."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.extract.facts import CasualtyReport, DocumentFacts, Position
from bot.sources.document import Document
from bot.store import Store
from bot.store.ingest import ingest
from tests.detect.harness import load_cases, make_config

CONFIG = make_config(load_cases()["config"], None)
START = dt.datetime(2025, 4, 14, tzinfo=dt.timezone.utc)

positions = st.builds(
    Position, actor=st.sampled_from(["us", "russia"]), kind=st.sampled_from(["condition", "demand"]),
    subject=st.sampled_from(["negotiations", "sanctions_relief"]),
    requires=st.lists(st.sampled_from(["ceasefire", "troop_withdrawal", "security_guarantees"]), max_size=2,
                      unique=True).map(lambda r: tuple(sorted(r))),
    negated=st.booleans(), hedged=st.booleans(), hypothetical=st.booleans(), reported=st.booleans())
casualties = st.builds(
    CasualtyReport, killed=st.one_of(st.none(), st.integers(0, 50)), injured=st.one_of(st.none(), st.integers(0, 50)),
    location=st.sampled_from(["Sumy", "Kharkiv", None]), country=st.just("UA"),
    date=st.one_of(st.none(), st.dates(dt.date(2025, 4, 12), dt.date(2025, 4, 20))),
    weapon=st.sampled_from([None, "missile", "drone"]))
documents = st.lists(st.tuples(st.sampled_from(["seed", "reuters", "outlet-a", "rumours"]),
                               st.lists(positions, max_size=3), st.lists(casualties, max_size=2)),
                     min_size=1, max_size=6)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_a_processed_sequence_replayed_raises_nothing(docs: list) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bot.db'}")
        try:
            pairs = []
            for n, (feed, found, reports) in enumerate(docs):
                document = Document(id=f"doc-{n}", text=f"text {n}", url=f"https://{feed}.example/{n}",
                                    published=START + dt.timedelta(hours=6 * n), feed=feed, source=f"{feed}.example")
                pairs.append((document, DocumentFacts(document.id, list(found), list(reports))))
            first = [a.key for d, f in pairs for a in ingest(store, d, f, CONFIG)]
            assert len(first) == len(set(first))
            assert [a for d, f in pairs for a in ingest(store, d, f, CONFIG)] == []
            assert [a.to_json() for d, f in pairs for a in ingest(store, d, f, CONFIG, force=True)] == []
        finally:
            store.close()
