"""What detection needs to know about the document a fact comes from: link, date, independent source, trust."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.config import Config
from bot.sources.document import Document


@dataclass(frozen=True)
class Evidence:
    """The provenance of one document's facts."""

    document_id: str
    url: str
    published: dt.datetime | None
    source: str          # independent source: the link's domain, else the feed name
    feed: str
    trust: int = 1       # config Feed.trust: the more trusted figure wins a disagreement on a toll

    @property
    def link(self) -> str:
        """The link to show and to count as a casualty source: the URL, else the document id."""
        return self.url or self.document_id

    @classmethod
    def of(cls, document: Document, config: Config) -> "Evidence":
        feed = config.feed(document.feed) if document.feed else None
        published = document.published
        if published is not None and published.tzinfo is None:  # the contract says UTC; be lenient
            published = published.replace(tzinfo=dt.timezone.utc)
        return cls(
            document_id=document.id,
            url=document.url,
            published=published,
            source=document.source or document.feed or document.url or document.id,
            feed=document.feed,
            trust=feed.trust if feed else 1,
        )
