"""catalogue_embeddings: stored sentence embeddings of catalogue entries, for semantic matching

Revision ID: 0009_catalogue_embeddings
Revises: 0008_outbox_conversation
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_catalogue_embeddings"
down_revision: str | None = "0008_outbox_conversation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No vectors are computed here: the first process to start (or `innovation-bot reembed`) embeds
    # the catalogue once and stores the vectors in this table.
    op.create_table(
        "catalogue_embeddings",
        sa.Column("idea_id", sa.Integer(), sa.ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("model", sa.String(length=128), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=False), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("catalogue_embeddings")
