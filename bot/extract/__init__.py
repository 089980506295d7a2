"""Extraction: documents in, facts (positions, casualty reports) out, through one spaCy pipeline.

Importing this package does not import spaCy, and building an `Extractor` does not load the model: both
happen when the first document arrives, so a poll that brings nothing new never pays for them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import multiprocessing
import os
import pickle
import threading
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config import Config
from bot.extract.facts import CasualtyReport, DocumentFacts, Position
from bot.sources.document import Document

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from bot.extract.gate import RelevanceGate

__all__ = ["CasualtyReport", "DocumentFacts", "Extracted", "Extractor", "Position"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Extracted:
    """One document's outcome: its facts, or the error its extraction raised (the other documents go on)."""

    document: Document
    facts: DocumentFacts | None
    error: Exception | None = None


class Extractor:
    """The project's spaCy pipeline built from a config; `extract` streams facts for many documents.

    The pipeline is built on first need (or by `load`). Documents that cannot yield a fact (no watched actor,
    no casualty word) skip the model. With `settings.n_process` > 1 and more than one batch, batches go to
    forked worker processes that share the loaded model, a few in flight per worker, so a stream of documents
    from many feeds keeps every core busy; its last batches go in smaller pieces, so the workers end together.
    """

    def __init__(self, config: Config, nlp: "Language | None" = None) -> None:
        self.config = config
        self._base = nlp
        self._nlp: "Language | None" = None
        self._gate: "RelevanceGate | None" = None
        self._loading = threading.Lock()
        self.processes = min(config.settings.n_process, os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    # -- the pipeline ----------------------------------------------------------------------------------

    def load(self) -> "Extractor":
        """Build the pipeline now: the model and our components. Raises ModelError when one cannot be built."""
        with self._loading:
            if self._nlp is None:
                from bot.extract.gate import RelevanceGate
                from bot.extract.nlp import build_pipeline

                nlp = build_pipeline(self.config, self._base)
                self._gate = RelevanceGate(nlp)
                self._nlp = nlp
        return self

    @property
    def loaded(self) -> bool:
        return self._nlp is not None

    @property
    def nlp(self) -> "Language":
        if self._nlp is None:
            self.load()
        assert self._nlp is not None
        return self._nlp

    @property
    def gate(self) -> "RelevanceGate":
        if self._gate is None:
            self.load()
        assert self._gate is not None
        return self._gate

    # -- extraction ------------------------------------------------------------------------------------

    def extract(self, documents: Iterable[Document]) -> Iterator[DocumentFacts]:
        """Facts per document, in order; raises the first document's error."""
        for outcome in self.extract_each(documents):
            if outcome.error is not None:
                raise outcome.error
            assert outcome.facts is not None
            yield outcome.facts

    def extract_each(self, documents: Iterable[Document]) -> Iterator[Extracted]:
        """Each document's facts or error, in order, parsed in batches of `settings.batch_size`.

        A batch that raises is extracted again one document at a time, so only the document at fault fails.
        A pipeline that cannot be built raises (ModelError): that is no document's fault.
        """
        batches = _batched(documents, self.config.settings.batch_size)
        first = next(batches, None)
        if first is None:
            return
        self.load()
        second = next(batches, None)
        if second is None or self.processes <= 1:  # one batch: forking would cost more than it saves
            for batch in itertools.chain([first], [second] if second else [], batches):
                yield from self.extract_settled(batch)
            return
        yield from self._extract_in_workers(_cut_tail(itertools.chain([first, second], batches), self.processes))

    def extract_batch(self, documents: list[Document]) -> list[DocumentFacts]:
        """Facts for one batch, in this process; raises when any document's extraction does."""
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

    def extract_settled(self, documents: list[Document]) -> list[Extracted]:
        """One batch in this process, never raising for a document: the batch whole, else one at a time."""
        try:
            return [Extracted(d, f) for d, f in zip(documents, self.extract_batch(documents))]
        except Exception as exc:
            if len(documents) > 1:
                log.warning("extraction of a batch failed (%s); extracting its documents one at a time",
                            " ".join(f"{type(exc).__name__}: {exc}".split())[:200],
                            extra={"action": "extract_failed"})
            else:
                return [Extracted(documents[0], None, exc)]
        settled = []
        for document in documents:
            try:
                settled.append(Extracted(document, self.extract_batch([document])[0]))
            except Exception as exc:
                settled.append(Extracted(document, None, exc))
        return settled

    def _make_doc(self, document: Document) -> "Doc":
        doc = self.nlp.make_doc(document.full_text[: self.nlp.max_length])  # longer raises E088
        doc._.published = document.published_date
        doc._.document_id = document.id
        doc._.body_start = len(document.full_text) - len(document.text) if document.title else 0   # after the headline
        return doc

    def _extract_in_workers(self, batches: Iterator[list[Document]]) -> Iterator[Extracted]:
        """Batches go to forked workers, a few in flight per worker; results come back in order. Should a
        worker die, what is left is extracted here."""
        pool = self._worker_pool()
        pending: deque[tuple[list[Document], Future[list[Extracted]]]] = deque()
        broken = False
        for batch in batches:
            if broken:
                yield from self.extract_settled(batch)
                continue
            try:
                pending.append((batch, pool.submit(_extract_in_worker, batch)))
            except (BrokenProcessPool, RuntimeError):
                broken = True
                yield from self._drain(pending)
                yield from self.extract_settled(batch)
                continue
            if len(pending) >= 2 * self.processes:
                yield from self._drain(pending, keep=2 * self.processes - 1)
        yield from self._drain(pending)

    def _drain(self, pending: deque[tuple[list[Document], Future[list[Extracted]]]],
               keep: int = 0) -> Iterator[Extracted]:
        while len(pending) > keep:
            batch, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                log.error("an extraction worker died; extracting in this process",
                          extra={"action": "extract_worker_died"})
                self.close()
                results = self.extract_settled(batch)
            yield from results

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


def _extract_in_worker(batch: list[Document]) -> list[Extracted]:
    assert _worker_extractor is not None
    return [_portable(outcome) for outcome in _worker_extractor.extract_settled(batch)]


def _portable(outcome: Extracted) -> Extracted:
    """An outcome that crosses back from a worker: the error keeps its traceback as a note, and one that
    cannot be pickled becomes a RuntimeError with the same one-line description."""
    error = outcome.error
    if error is None:
        return outcome
    error.add_note("".join(traceback.format_exception(error)).rstrip())
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        plain = RuntimeError(" ".join(f"{type(error).__name__}: {error}".split())[:500])
        plain.add_note("".join(traceback.format_exception(error)).rstrip())
        error = plain
    return Extracted(outcome.document, None, error)


def _cut_tail(batches: Iterator[list[Document]], workers: int) -> Iterator[list[Document]]:
    """The batches, the last `workers` of them cut again into 4 pieces per worker, consecutive and of about equal
    text: at the end of a stream the workers pull small pieces and finish together, instead of one waiting for
    the other's last whole batch."""
    held: deque[list[Document]] = deque()
    for batch in batches:
        held.append(batch)
        if len(held) > workers:
            yield held.popleft()
    tail = [d for batch in held for d in batch]
    pieces = 4 * workers
    total = sum(len(d.full_text) + 1 for d in tail)   # (+1: empty texts still count)
    piece: list[Document] = []
    size, cut = 0, 1
    for document in tail:
        piece.append(document)
        size += len(document.full_text) + 1
        if size * pieces >= total * cut:
            yield piece
            piece = []
            while cut <= pieces and size * pieces >= total * cut:
                cut += 1
    if piece:
        yield piece


def _batched(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
