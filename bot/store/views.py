"""Read-only views of what the bot knows, for people: the baseline and the casualty events."""

from __future__ import annotations

from sqlalchemy import select

from bot.store import Store
from bot.store.models import BaselineEntry, CasualtyEvent


def baseline_entries(store: Store, actor: str | None = None) -> list[BaselineEntry]:
    query = select(BaselineEntry).order_by(BaselineEntry.actor, BaselineEntry.kind, BaselineEntry.subject)
    if actor:
        query = query.where(BaselineEntry.actor == actor)
    with store.session() as session:
        return list(session.scalars(query))


def casualty_events(store: Store) -> list[CasualtyEvent]:
    query = select(CasualtyEvent).order_by(CasualtyEvent.date, CasualtyEvent.id)
    with store.session() as session:
        events = list(session.scalars(query))
        for event in events:
            _ = event.sources  # loaded while the session is open
        return events
