"""outbox: index messages by conversation, for the "an earlier message to the same place waits" check

Revision ID: 0008_outbox_conversation
Revises: 0007_inbound
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_outbox_conversation"
down_revision: str | None = "0007_inbound"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_conversation", ["platform", "tenant", "target", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_conversation")
