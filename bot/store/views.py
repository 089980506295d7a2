"""Read-only views of what the bot knows, for people: the casualty events (the baseline: store.baseline)."""

from __future__ import annotations

from sqlalchemy import select

from bot.store import Store
from bot.store.models import CasualtyEvent


def casualty_events(store: Store) -> list[CasualtyEvent]:
    query = select(CasualtyEvent).order_by(CasualtyEvent.date, CasualtyEvent.id)
    with store.session() as session:
        events = list(session.scalars(query))
        for event in events:
            _ = event.sources  # loaded while the session is open
        return events
