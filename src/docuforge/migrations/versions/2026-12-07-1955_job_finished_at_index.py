"""job finished_at index: the drain rate behind admission control and the retention sweep

Revision ID: 20261207_deploy
Revises: 20261207_workspaces
Create Date: 2026-12-07 19:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261207_deploy"
down_revision: str | None = "20261207_workspaces"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_finished_at"), ["finished_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_finished_at"))
