"""Teams conversation references: personal chats and team channels the bot may write to later

Revision ID: 0003_teams
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_teams"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams_references",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("service_url", sa.String(length=500), nullable=False),
        sa.Column("bot_id", sa.String(length=255), nullable=False),
        sa.Column("aad_object_id", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("team_id", sa.String(length=255), nullable=False),
        sa.Column("aad_group_id", sa.String(length=128), nullable=False),
        sa.Column("channel_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id", name="uq_teams_references_conversation"),
    )
    with op.batch_alter_table("teams_references", schema=None) as batch_op:
        batch_op.create_index("ix_teams_references_person", ["tenant_id", "aad_object_id"], unique=False)
        batch_op.create_index("ix_teams_references_team", ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("teams_references", schema=None) as batch_op:
        batch_op.drop_index("ix_teams_references_team")
        batch_op.drop_index("ix_teams_references_person")
    op.drop_table("teams_references")
