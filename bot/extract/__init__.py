"""Extraction: documents in, facts (positions, casualty reports) out, through one spaCy pipeline."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from spacy.language import Language
from spacy.tokens import Doc

from bot.config import Config
from bot.extract.facts import CasualtyReport, DocumentFacts, Position
from bot.extract.nlp import build_pipeline
from bot.sources.document import Document

__all__ = ["CasualtyReport", "DocumentFacts", "Extractor", "Position"]

log = logging.getLogger(__name__)


class Extractor:
    """The project's spaCy pipeline built from a config; `extract` streams facts for many documents.

    Documents that cannot yield a fact (no watched actor, no casualty word) skip the model. With
    `settings.n_process` > 1, batches are parsed in forked worker processes that share the loaded model.
    """

    def __init__(self, config: Config, nlp: Language | None = None) -> None:
        from bot.extract.gate import RelevanceGate

        self.config = config
        self.nlp = build_pipeline(config, nlp)
        self.gate = RelevanceGate(self.nlp)
        self.processes = min(config.settings.n_process, os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def extract(self, documents: Iterable[Document]) -> Iterator[DocumentFacts]:
        """Facts per document, in order, parsed in batches of `settings.batch_size`."""
        batches = _batched(documents, self.config.settings.batch_size)
        first = next(batches, None)
        if first is None:
            return
        second = next(batches, None)
        if second is None or self.processes <= 1:  # one batch: forking would cost more than it saves
            for batch in itertools.chain([first], [second] if second else [], batches):
                yield from self.extract_batch(batch)
            return
        yield from self._extract_in_workers(itertools.chain([first, second], batches))

    def extract_batch(self, documents: list[Document]) -> list[DocumentFacts]:
        """Facts for one batch, in this process."""
        docs = [self._make_doc(d) for d in documents]
        passes = [self.gate(doc) for doc in docs]
        parsed = iter(self.nlp.pipe([doc for doc, ok in zip(docs, passes) if ok], batch_size=len(docs)))
        facts = []
        for document, ok in zip(documents, passes):
            if ok:
                doc = next(parsed)
                facts.append(DocumentFacts(document.id, list(doc._.positions or []), list(doc._.casualties or [])))
            else:
                facts.append(DocumentFacts(document.id))
        return facts

    def _make_doc(self, document: Document) -> Doc:
        doc = self.nlp.make_doc(document.full_text[: self.nlp.max_length])  # longer raises E088
        doc._.published = document.published_date
        doc._.document_id = document.id
        doc._.body_start = len(document.full_text) - len(document.text) if document.title else 0   # after the headline
        return doc

    def _extract_in_workers(self, batches: Iterator[list[Document]]) -> Iterator[DocumentFacts]:
        """Batches go to forked workers, a few in flight per worker; results come back in order."""
        pool = self._worker_pool()
        pending: deque[Future[list[DocumentFacts]]] = deque()
        for batch in batches:
            pending.append(pool.submit(_extract_in_worker, batch))
            if len(pending) >= 2 * self.processes:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    def _worker_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # fork: workers inherit the loaded model (copy-on-write) instead of loading it again
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_become_worker, initargs=(self,))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def extract_text(self, text: str, published: dt.date | dt.datetime | None = None, id: str = "text") -> DocumentFacts:
        """Facts from one piece of text (convenience for tests and the CLI)."""
        if isinstance(published, dt.datetime):
            when = published if published.tzinfo else published.replace(tzinfo=dt.timezone.utc)
        elif isinstance(published, dt.date):
            when = dt.datetime(published.year, published.month, published.day, tzinfo=dt.timezone.utc)
        else:
            when = None
        return next(self.extract([Document(id=id, text=text, published=when)]))


_worker_extractor: Extractor | None = None


def _become_worker(extractor: Extractor) -> None:
    global _worker_extractor
    _worker_extractor = extractor
    extractor._pool = None  # a worker never forks workers of its own


def _extract_in_worker(batch: list[Document]) -> list[DocumentFacts]:
    assert _worker_extractor is not None
    return _worker_extractor.extract_batch(batch)


def _batched(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
