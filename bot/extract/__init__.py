"""Extraction: documents in, facts (positions, casualty reports) out, through one spaCy pipeline."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator

from spacy.language import Language

from bot.config import Config
from bot.extract.facts import CasualtyReport, DocumentFacts, Position
from bot.extract.nlp import build_pipeline
from bot.sources.document import Document

__all__ = ["CasualtyReport", "DocumentFacts", "Extractor", "Position"]

log = logging.getLogger(__name__)


class Extractor:
    """The project's spaCy pipeline built from a config; `extract` streams facts for many documents."""

    def __init__(self, config: Config, nlp: Language | None = None) -> None:
        self.config = config
        self.nlp = build_pipeline(config, nlp)
        if config.settings.n_process > 1:
            log.warning("settings.n_process > 1 is not used by extraction: it runs in one process",
                        extra={"action": "n_process_ignored"})

    def extract(self, documents: Iterable[Document]) -> Iterator[DocumentFacts]:
        """Facts per document, in order, parsed in batches of `settings.batch_size`."""
        def docs() -> Iterator:
            for document in documents:
                doc = self.nlp.make_doc(document.full_text[: self.nlp.max_length])  # longer raises E088
                doc._.published = document.published_date
                doc._.document_id = document.id
                yield doc

        settings = self.config.settings
        # One process: Doc extensions (dates, Position objects) cannot cross spaCy's msgpack process boundary.
        for doc in self.nlp.pipe(docs(), batch_size=settings.batch_size):
            yield DocumentFacts(
                document_id=doc._.document_id,
                positions=list(doc._.positions or []),
                casualties=list(doc._.casualties or []),
            )

    def extract_text(self, text: str, published: dt.date | dt.datetime | None = None, id: str = "text") -> DocumentFacts:
        """Facts from one piece of text (convenience for tests and the CLI)."""
        if isinstance(published, dt.datetime):
            when = published if published.tzinfo else published.replace(tzinfo=dt.timezone.utc)
        elif isinstance(published, dt.date):
            when = dt.datetime(published.year, published.month, published.day, tzinfo=dt.timezone.utc)
        else:
            when = None
        return next(self.extract([Document(id=id, text=text, published=when)]))
