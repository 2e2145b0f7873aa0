"""ideas: the broker's "Share as it is" choice for a flagged idea (empty: flagged detail stays masked)

Revision ID: 0010_ideas_shared_as_is
Revises: 0009_catalogue_embeddings
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_ideas_shared_as_is"
down_revision: str | None = "0009_catalogue_embeddings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shared_as_is", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.drop_column("shared_as_is")
