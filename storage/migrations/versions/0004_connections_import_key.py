"""connections ("connect me" introductions) and ideas.import_key for idempotent imports

Revision ID: 0004_connections
Revises: 0003_review
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_connections"
down_revision: str | None = "0003_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "connections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("asker_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["asker_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["people.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["idea_id"], ["ideas.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("asker_id", "idea_id", name="uq_connections_once"),
    )
    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_connections_asker_id"), ["asker_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_connections_idea_id"), ["idea_id"], unique=False)
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_key", sa.String(length=400), nullable=True))
        batch_op.create_unique_constraint("uq_ideas_import_key", ["import_key"])


def downgrade() -> None:
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.drop_constraint("uq_ideas_import_key", type_="unique")
        batch_op.drop_column("import_key")
    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connections_idea_id"))
        batch_op.drop_index(batch_op.f("ix_connections_asker_id"))
    op.drop_table("connections")
