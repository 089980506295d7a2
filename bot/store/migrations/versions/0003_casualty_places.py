"""casualty events in the place hierarchy, with targets and claimed figures

Revision ID: 0003
Revises: 0002

casualty_events gain:
- `place_level` (city, district, region) and `district`, so a region's report finds the city's event in it;
- `target`: a distinctive target named ("hypermarket", "railway_station"), to tell attacks at one place apart;
- `claimed_killed`, `claimed_injured`, `claimed_by`: a higher figure from a less trusted source than the
  toll's, shown beside the toll;
- `undated`: the event's date is the publication date of its first report, which told no day; `revision`: its
  first report told the toll as a revision (its day may be the day of the telling).
Existing events keep NULL (level unknown: read from their coordinates), `undated` and `revision` false.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("place_level", sa.String(length=20), nullable=True),
    sa.Column("district", sa.String(length=300), nullable=True),
    sa.Column("target", sa.String(length=100), nullable=True),
    sa.Column("claimed_killed", sa.Integer(), nullable=True),
    sa.Column("claimed_injured", sa.Integer(), nullable=True),
    sa.Column("claimed_by", sa.String(length=300), nullable=True),
    sa.Column("undated", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("revision", sa.Boolean(), nullable=False, server_default=sa.false()),
)


def upgrade() -> None:
    with op.batch_alter_table("casualty_events") as batch:
        for column in _COLUMNS:
            batch.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("casualty_events") as batch:
        for column in reversed(_COLUMNS):
            batch.drop_column(column.name)
