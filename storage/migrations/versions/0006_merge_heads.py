"""join the branches: review/connections/duplicates, roundups, Slack installations, Teams references

Revision ID: 0006_merge
Revises: 0005_duplicates, 0003_roundups, 0003_slack, 0003_teams
Create Date: 2026-11-25
"""

from collections.abc import Sequence

revision: str = "0006_merge"
down_revision: str | Sequence[str] | None = ("0005_duplicates", "0003_roundups", "0003_slack", "0003_teams")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
