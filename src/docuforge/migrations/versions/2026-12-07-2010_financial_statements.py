"""financial statements and consolidations

Revision ID: 20261207_finance
Revises: 20261207_hardening
Create Date: 2026-12-07 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import docuforge.db

from sqlalchemy.dialects import postgresql

revision: str = "20261207_finance"
down_revision: str | None = "20261207_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "financial_statement",
        sa.Column("statement_type", sa.String(length=32), nullable=False),
        sa.Column("company", sa.String(length=300), nullable=True),
        sa.Column("period", sa.String(length=40), nullable=True),
        sa.Column("periods", JSON, nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=True),
        sa.Column("scale", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("body", JSON, nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("file_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", docuforge.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", docuforge.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["file.id"], name=op.f("fk_financial_statement_file_id_file"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], name=op.f("fk_financial_statement_job_id_job"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"], name=op.f("fk_financial_statement_organization_id_organization"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financial_statement")),
    )
    with op.batch_alter_table("financial_statement", schema=None) as batch_op:
        batch_op.create_index("ix_financial_statement_org_company", ["organization_id", "company"], unique=False)
        batch_op.create_index("ix_financial_statement_org_type_period", ["organization_id", "statement_type", "period"], unique=False)
        batch_op.create_index(batch_op.f("ix_financial_statement_file_id"), ["file_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_financial_statement_job_id"), ["job_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_financial_statement_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "consolidation",
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("company", sa.String(length=300), nullable=True),
        sa.Column("statement_ids", JSON, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("result", JSON, nullable=True),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", docuforge.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", docuforge.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], name=op.f("fk_consolidation_job_id_job"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"], name=op.f("fk_consolidation_organization_id_organization"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consolidation")),
    )
    with op.batch_alter_table("consolidation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consolidation_job_id"), ["job_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_consolidation_organization_id"), ["organization_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("consolidation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consolidation_organization_id"))
        batch_op.drop_index(batch_op.f("ix_consolidation_job_id"))
    op.drop_table("consolidation")
    with op.batch_alter_table("financial_statement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_financial_statement_organization_id"))
        batch_op.drop_index(batch_op.f("ix_financial_statement_job_id"))
        batch_op.drop_index(batch_op.f("ix_financial_statement_file_id"))
        batch_op.drop_index("ix_financial_statement_org_type_period")
        batch_op.drop_index("ix_financial_statement_org_company")
    op.drop_table("financial_statement")
