"""Microsoft Teams conversation references: where the bot may write later (read and written by
``storage/installations.py``, behind the core's port ``bot/installs/ports.py``).

Kept apart from ``storage/models.py`` because only the Teams adapter reads or writes it; it shares the
same ``Base`` so migrations and the models-versus-migrations check see it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.types import UTCDateTime


class TeamsReferenceRow(Base):
    """One conversation the bot was installed into: a person's personal chat or a team's channel.

    Stored when Teams says the app was installed (or when a person writes to the bot), removed when it
    says the app was uninstalled. ``service_url`` is per conversation: Teams moves tenants between
    regional endpoints, so every message goes to the URL stored with its own conversation.
    """

    __tablename__ = "teams_references"
    __table_args__ = (
        UniqueConstraint("conversation_id", name="uq_teams_references_conversation"),
        Index("ix_teams_references_person", "tenant_id", "aad_object_id"),
        Index("ix_teams_references_team", "team_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(16))  # personal | channel
    tenant_id: Mapped[str] = mapped_column(String(128))
    conversation_id: Mapped[str] = mapped_column(String(255))  # a:… (personal) or 19:…@thread.tacv2 (channel)
    service_url: Mapped[str] = mapped_column(String(500))
    bot_id: Mapped[str] = mapped_column(String(255), default="")  # 28:<app id>
    aad_object_id: Mapped[str] = mapped_column(String(128), default="")  # personal: the person's Entra id
    user_id: Mapped[str] = mapped_column(String(255), default="")  # personal: the 29:… Teams user id
    team_id: Mapped[str] = mapped_column(String(255), default="")  # channel: the team (its General channel id)
    aad_group_id: Mapped[str] = mapped_column(String(128), default="")  # channel: the team's Microsoft 365 group
    channel_id: Mapped[str] = mapped_column(String(255), default="")  # channel: 19:…@thread.tacv2
    name: Mapped[str] = mapped_column(String(300), default="")  # the person's or channel's display name
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
