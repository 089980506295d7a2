"""stances keyed by (actor, subject); requirements with a direction; casualty event keys

Revision ID: 0002
Revises: 0001

- baseline: one stance per (actor, subject) instead of one per (actor, kind, subject). Where an actor held
  several kinds on one subject, the most recently updated entry stays current and the others' history moves
  under it (closed), so `baseline history` still shows every stance held.
- requirements become {"topic", "direction", "words"} objects (baseline, baseline_history, positions);
  baseline_history gains the stance's `kind`.
- shift_candidates: keyed by (actor, subject, signature); pending candidates are dropped (their signatures
  are of the old form; the next report of a shift makes a new one).
- casualty_events gain `key`, the identity detection gives an event (old events keep their id as key, so
  the thread keys "casualty:<id>" of alerts already in the outbox still name them).

The old unique constraints on (actor, kind, subject) are implied by the new ones; PostgreSQL drops them,
SQLite keeps them (dropping an unnamed constraint would mean rebuilding referenced tables).
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _requirements(value: Any) -> list[dict[str, Any]]:
    items = json.loads(value) if isinstance(value, str) else (value or [])
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append({"topic": item.get("topic", ""), "direction": item.get("direction", "for"),
                        "words": item.get("words", "")})
        else:
            out.append({"topic": str(item), "direction": "for", "words": ""})
    return out


def _convert_requires(bind: sa.engine.Connection, table: str) -> None:
    rows = bind.execute(sa.text(f"SELECT id, requires FROM {table}")).all()
    for row_id, requires in rows:
        bind.execute(sa.text(f"UPDATE {table} SET requires = :r WHERE id = :id"),
                     {"r": json.dumps(_requirements(requires)), "id": row_id})


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"

    op.add_column("baseline_history", sa.Column("kind", sa.String(length=30), nullable=True))
    bind.execute(sa.text("UPDATE baseline_history SET kind = (SELECT kind FROM baseline "
                         "WHERE baseline.id = baseline_history.baseline_id)"))

    # one entry per (actor, subject): keep the newest, fold the others' history under it
    entries = bind.execute(sa.text("SELECT id, actor, subject, updated_at FROM baseline "
                                   "ORDER BY actor, subject, updated_at DESC, id DESC")).all()
    keep: dict[tuple[str, str], int] = {}
    for entry_id, actor, subject, _updated in entries:
        kept = keep.setdefault((actor, subject), entry_id)
        if kept != entry_id:
            bind.execute(sa.text("UPDATE baseline_history SET valid_to = COALESCE(valid_to, valid_from) "
                                 "WHERE baseline_id = :old"), {"old": entry_id})
            bind.execute(sa.text("UPDATE baseline_history SET baseline_id = :new WHERE baseline_id = :old"),
                         {"new": kept, "old": entry_id})
            bind.execute(sa.text("DELETE FROM baseline WHERE id = :old"), {"old": entry_id})

    for table in ("baseline", "baseline_history", "positions"):
        _convert_requires(bind, table)
    bind.execute(sa.text("DELETE FROM shift_candidates"))

    if postgres:
        op.drop_constraint("baseline_actor_kind_subject_key", "baseline", type_="unique")
        op.drop_constraint("shift_candidates_actor_kind_subject_signature_key", "shift_candidates", type_="unique")
    op.create_index("uq_baseline_actor_subject", "baseline", ["actor", "subject"], unique=True)
    op.create_index("uq_shift_candidates_actor_subject_signature", "shift_candidates",
                    ["actor", "subject", "signature"], unique=True)

    op.add_column("casualty_events", sa.Column("key", sa.String(length=64), nullable=True))
    bind.execute(sa.text("UPDATE casualty_events SET key = CAST(id AS VARCHAR(64))"))
    op.create_index("uq_casualty_events_key", "casualty_events", ["key"], unique=True)


def downgrade() -> None:
    raise NotImplementedError("stances keyed by (actor, subject) cannot be split back by kind")
