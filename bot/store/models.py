"""The database schema (SQLAlchemy 2 typed models). Schema changes go through Alembic migrations."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class AlertStatus(StrEnum):
    """Where an alert of the outbox stands."""

    PENDING = "pending"   # waiting for a delivery pass (after `next_attempt_at`, when a retry is due)
    HELD = "held"         # kept for a digest or the end of quiet hours, until `next_attempt_at`
    SENT = "sent"         # delivered; `slack_channel` and `slack_ts` say where
    FAILED = "failed"     # gave up after max_attempts; `alerts retry` queues it again

    @classmethod
    def waiting(cls) -> tuple["AlertStatus", ...]:
        """Not delivered yet and tried again by later passes."""
        return (cls.PENDING, cls.HELD)

    @classmethod
    def unsent(cls) -> tuple["AlertStatus", ...]:
        """What `alerts list --pending` shows."""
        return (cls.PENDING, cls.HELD, cls.FAILED)


class QuarantineStatus(StrEnum):
    HELD = "held"         # shown by `status` (its feed not ok), skipped by polls while unchanged
    DROPPED = "dropped"   # given up on: hidden, never retried unless its content changes


class QuarantineStage(StrEnum):
    """Which step of a document's processing raised."""

    EXTRACTION = "extraction"
    INGEST = "ingest"


class FeedStatus(StrEnum):
    """A feed's state as `status` shows it (worked out from its row and its quarantined documents)."""

    OK = "ok"
    SILENT = "silent"             # polled fine, but no new item for longer than its silent_after
    UNHEALTHY = "unhealthy"       # failure_threshold consecutive failures
    QUARANTINED = "quarantined"   # otherwise ok, with documents held in quarantine
    NEVER_POLLED = "never polled"
    DISABLED = "disabled"         # in the config with `enabled: false`
    NOT_IN_CONFIG = "not in config"  # polled once, no longer configured


class FeedChange(StrEnum):
    """A change of a feed's health; each writes one feed_health alert."""

    UNHEALTHY = "unhealthy"
    SILENT = "silent"
    RECOVERED = "recovered"


def _stored(enum: type[StrEnum], length: int = 20) -> Enum:
    """An enum kept as its value in a plain VARCHAR (no database enum type, no constraint to migrate)."""
    return Enum(enum, native_enum=False, create_constraint=False, length=length, validate_strings=True,
                values_callable=lambda members: [m.value for m in members])


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: DateTime(timezone=True), dict[str, Any]: JSON, list[Any]: JSON}


class FeedState(Base):
    """Per-feed polling state: conditional-GET validators, health, and the claim of the worker polling it."""

    __tablename__ = "feeds"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    first_polled_at: Mapped[dt.datetime | None]
    last_polled_at: Mapped[dt.datetime | None]
    last_success_at: Mapped[dt.datetime | None]
    last_new_item_at: Mapped[dt.datetime | None]
    next_due_at: Mapped[dt.datetime | None]
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    healthy: Mapped[bool] = mapped_column(Boolean, default=True)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_until: Mapped[dt.datetime | None]
    polls: Mapped[int] = mapped_column(Integer, default=0)
    skipped_items: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # beyond max_items, last poll


class DocumentRecord(Base):
    """A document already processed: its key (GUID or link) and its content hash make reprocessing a no-op."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(1000), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    feed: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[dt.datetime | None]
    processed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    positions: Mapped[list["PositionRecord"]] = relationship(back_populates="document")


class PositionRecord(Base):
    """Every position ever extracted, with its document: the raw material of the baseline."""

    __tablename__ = "positions"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(300))
    requires: Mapped[list[Any]] = mapped_column(default=list)
    speaker: Mapped[str | None] = mapped_column(String(300))
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    hedged: Mapped[bool] = mapped_column(Boolean, default=False)
    hypothetical: Mapped[bool] = mapped_column(Boolean, default=False)
    reported: Mapped[bool] = mapped_column(Boolean, default=False)
    quote: Mapped[str] = mapped_column(Text, default="")
    sentence: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[DocumentRecord] = relationship(back_populates="positions")


class BaselineEntry(Base):
    """The current accepted stance per (actor, subject): how it is stated (`kind`) and its requirements."""

    __tablename__ = "baseline"
    __table_args__ = (Index("uq_baseline_actor_subject", "actor", "subject", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(300))
    requires: Mapped[list[Any]] = mapped_column(default=list)   # Requirement.to_json() each
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    hedged: Mapped[bool] = mapped_column(Boolean, default=False)
    speaker: Mapped[str | None] = mapped_column(String(300))
    quote: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[list[Any]] = mapped_column(default=list)
    source_count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BaselineHistory(Base):
    """Every stance a baseline entry has held, with when and why it changed."""

    __tablename__ = "baseline_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    baseline_id: Mapped[int] = mapped_column(ForeignKey("baseline.id"), index=True)
    kind: Mapped[str | None] = mapped_column(String(30))
    requires: Mapped[list[Any]] = mapped_column(default=list)
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    hedged: Mapped[bool] = mapped_column(Boolean, default=False)
    speaker: Mapped[str | None] = mapped_column(String(300))
    quote: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(String(30))          # seed | new | shift | accept
    alert_id: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[dt.datetime] = mapped_column(default=utcnow)
    valid_to: Mapped[dt.datetime | None]


class ShiftCandidate(Base):
    """A shift seen but not yet corroborated by enough independent sources."""

    __tablename__ = "shift_candidates"
    __table_args__ = (Index("uq_shift_candidates_actor_subject_signature", "actor", "subject", "signature", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(300))
    signature: Mapped[str] = mapped_column(String(500))
    position: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sources: Mapped[list[Any]] = mapped_column(default=list)
    first_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CasualtyEvent(Base):
    """One real-world event, across every report of it."""

    __tablename__ = "casualty_events"
    __table_args__ = (Index("ix_casualty_events_place_date", "country", "location", "date"),
                      Index("uq_casualty_events_key", "key", unique=True))
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(64))         # identity from detection; thread key suffix
    location: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    admin: Mapped[str | None] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    date: Mapped[dt.date | None] = mapped_column(Date)
    weapon: Mapped[str | None] = mapped_column(String(100))
    perpetrator: Mapped[str | None] = mapped_column(String(100))
    killed: Mapped[int | None] = mapped_column(Integer)
    killed_low: Mapped[int | None] = mapped_column(Integer)
    killed_high: Mapped[int | None] = mapped_column(Integer)
    injured: Mapped[int | None] = mapped_column(Integer)
    injured_low: Mapped[int | None] = mapped_column(Integer)
    injured_high: Mapped[int | None] = mapped_column(Integer)
    place_level: Mapped[str | None] = mapped_column(String(20))       # city | district | region
    district: Mapped[str | None] = mapped_column(String(300))
    target: Mapped[str | None] = mapped_column(String(100))
    claimed_killed: Mapped[int | None] = mapped_column(Integer)        # a less trusted source's higher figure
    claimed_injured: Mapped[int | None] = mapped_column(Integer)
    claimed_by: Mapped[str | None] = mapped_column(String(300))
    undated: Mapped[bool] = mapped_column(Boolean, default=False)      # date is the first report's publication
    revision: Mapped[bool] = mapped_column(Boolean, default=False)     # first report told a revised toll
    night: Mapped[dt.date | None] = mapped_column(Date)               # the evening of the night it was told in
    trust: Mapped[int] = mapped_column(Integer, default=1)
    quote: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    first_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    muted: Mapped[bool] = mapped_column(Boolean, default=False)          # the team said: not an attack
    rejected: Mapped[list[Any]] = mapped_column(default=list)          # [killed, injured] pairs the team said were wrong
    sources: Mapped[list["CasualtySource"]] = relationship(back_populates="event", order_by="CasualtySource.id")


class CasualtySource(Base):
    """One report of an event: which document said which figures."""

    __tablename__ = "casualty_sources"
    __table_args__ = (UniqueConstraint("event_id", "url"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("casualty_events.id"), index=True)
    url: Mapped[str] = mapped_column(String(1000))
    source: Mapped[str] = mapped_column(String(300), default="")
    feed: Mapped[str] = mapped_column(String(200), default="")
    killed: Mapped[int | None] = mapped_column(Integer)
    injured: Mapped[int | None] = mapped_column(Integer)
    trust: Mapped[int] = mapped_column(Integer, default=1)
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    event: Mapped[CasualtyEvent] = relationship(back_populates="sources")


class AlertRecord(Base):
    """The outbox: an alert is committed here before any attempt to deliver it."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_status_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str | None] = mapped_column(String(100))
    subject: Mapped[str | None] = mapped_column(String(300))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    url: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[dt.datetime | None]
    thread_key: Mapped[str | None] = mapped_column(String(200), index=True)
    channel: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[AlertStatus] = mapped_column(_stored(AlertStatus), default=AlertStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_until: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    slack_channel: Mapped[str | None] = mapped_column(String(200))
    slack_ts: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
    accepted_at: Mapped[dt.datetime | None]


class Feedback(Base):
    """A reviewer's decision on an alert, with what it changed (the audit trail). One decision per alert."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), unique=True)
    action: Mapped[str] = mapped_column(String(30))           # FeedbackAction
    user_id: Mapped[str] = mapped_column(String(100))
    user_name: Mapped[str] = mapped_column(String(200), default="")
    via: Mapped[str] = mapped_column(String(20), default="")  # slack (socket mode or HTTP), cli
    request_id: Mapped[str | None] = mapped_column(String(200))
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RejectedStance(Base):
    """A stance the team said is not a shift: stating it again raises nothing and moves nothing."""

    __tablename__ = "rejected_stances"
    __table_args__ = (UniqueConstraint("actor", "subject", "signature"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(300))
    signature: Mapped[str] = mapped_column(String(500))
    alert_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class QuarantinedDocument(Base):
    """A document whose processing raised: kept with its error so its feed goes on and a person can retry it.

    A poll skips a quarantined document while its content is unchanged (see QuarantineStatus).
    """

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the key: keys may be very long
    key: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    feed: Mapped[str] = mapped_column(String(200), default="", index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[QuarantineStage] = mapped_column(_stored(QuarantineStage, 30))
    error: Mapped[str] = mapped_column(Text)            # one line: the exception's type and message
    detail: Mapped[str] = mapped_column(Text, default="")  # the end of the traceback
    document: Mapped[dict[str, Any]] = mapped_column(default=dict)  # enough to process it again
    alerting: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[QuarantineStatus] = mapped_column(_stored(QuarantineStatus), default=QuarantineStatus.HELD)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    first_failed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_failed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
