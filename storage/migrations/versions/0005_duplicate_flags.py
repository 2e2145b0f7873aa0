"""duplicate_flags: submitted ideas the matcher found to be likely duplicates

Revision ID: 0005_duplicates
Revises: 0004_connections
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_duplicates"
down_revision: str | None = "0004_connections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duplicate_flags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("similar_idea_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["idea_id"], ["ideas.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["similar_idea_id"], ["ideas.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("duplicate_flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duplicate_flags_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_duplicate_flags_idea_id"), ["idea_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("duplicate_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_flags_idea_id"))
        batch_op.drop_index(batch_op.f("ix_duplicate_flags_created_at"))
    op.drop_table("duplicate_flags")
