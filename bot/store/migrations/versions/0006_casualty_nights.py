"""casualty events remember the night they were told in

Revision ID: 0006
Revises: 0005

casualty_events gain `night`: the evening of the night the attack was told in ("overnight", "on Saturday
night", "early on Sunday"), so reports dating one night by either of its days find one event. Existing events
keep NULL (no night known: identity reads their date alone, as before).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("casualty_events") as batch:
        batch.add_column(sa.Column("night", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("casualty_events") as batch:
        batch.drop_column("night")
