"""file version: the stored object's version recorded when a presigned upload completes

Revision ID: 20261207_hardening
Revises: 20261207_split
Create Date: 2026-12-07 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261207_hardening"
down_revision: str | None = "20261207_split"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.String(length=256), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("file", schema=None) as batch_op:
        batch_op.drop_column("version")
