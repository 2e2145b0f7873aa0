"""People: when the platform's directory last gave their profile

* ``people.profile_checked_at``: when Slack's ``users.info`` last answered for the person (name, email and
  ``platform_locale`` are kept in the row already). While it is fresh, every worker and a restarted process
  use the row instead of asking Slack again. NULL (every row before this revision): ask once.

Revision ID: 0013_profile_checked_at
Revises: 0012_welsh_names
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_profile_checked_at"
down_revision: str | None = "0012_welsh_names"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("profile_checked_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("profile_checked_at")
