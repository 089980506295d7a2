"""A document: one article, from a feed entry, a file or a JSON line."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    id: str                      # feed GUID, link, file path or the JSON line's id
    text: str                    # plain text of the body, paragraphs separated by blank lines
    title: str = ""
    url: str = ""
    published: dt.datetime | None = None   # timezone-aware UTC
    feed: str = ""               # config feed name, "" for ad-hoc input
    source: str = ""             # independent source: the link's domain, else the feed name
    published_assumed: bool = False  # the item's own date was unusable (year 0001, 9999...): `published` is the fetch time

    @property
    def content_hash(self) -> str:
        """Same title and text, same hash: a re-published copy is the same document."""
        digest = hashlib.sha256()
        digest.update(" ".join(self.title.split()).encode())
        digest.update(b"\x00")
        digest.update(" ".join(self.text.split()).encode())
        return digest.hexdigest()

    @property
    def full_text(self) -> str:
        """Title and body as one text, the title a paragraph of its own."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text

    @property
    def published_date(self) -> dt.date | None:
        return self.published.date() if self.published else None


@dataclass
class FeedFetch:
    """What one poll of one feed produced."""

    feed: str
    documents: list[Document] = field(default_factory=list)
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    skipped: int = 0             # items beyond settings.max_items (the oldest), not read this poll
    fetched_at: dt.datetime | None = None  # when the feed was requested (None: it never was)
