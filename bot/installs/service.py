"""Install, uninstall and proactive notices through the stored conversation references (``ports.py``).

The platform adapter, the review and the roundup features call ``InstallationService``: notices queue
through the outbox, so a failed send is retried, never lost, and a ``dedupe_key`` makes the same notice
queue only once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from bot.codec import reply_to_json
from bot.domain import PersonRef
from bot.installs.ports import ConversationRef, NoReference
from bot.ports import Address, UnitOfWork
from bot.queues import OutboxMessage
from bot.replies import Reply


class InstallationService:
    """Install, uninstall and proactive notices, each in its own unit of work unless one is given
    (``uow``: queue inside the caller's transaction, so a change and its notice commit together)."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = uow_factory

    def installed(self, platform: str, refs: Sequence[ConversationRef], welcome: Sequence[Reply] = (),
                  welcome_key: str = "", at: datetime | None = None) -> None:
        """Keep the conversations the app was added to; greet the first one when ``welcome`` is given."""
        now = at or datetime.now(UTC)
        with self._uow() as uow:
            for ref in refs:
                uow.installations.save(ref, now)
            if welcome and refs:
                first = refs[0]
                uow.outbox.enqueue_replies(Address(platform, first.tenant_id,
                                                   first.conversation_id, thread=first.service_url),
                                           [reply_to_json(r) for r in welcome],
                                           dedupe_key=welcome_key[:255] or None, at=now)
            uow.commit()

    def uninstalled(self, *, team_id: str = "", conversation_id: str = "") -> int:
        """The app was removed from a whole team (every channel reference goes) or one conversation."""
        with self._uow() as uow:
            removed = uow.installations.remove_team(team_id) if team_id else \
                uow.installations.remove_conversation(conversation_id)
            uow.commit()
        return removed

    # The sender's look-ups (adapters/teams/sender.Places): each reads in a unit of work of its own.
    def person(self, tenant_id: str, user_id: str) -> ConversationRef | None:
        """The personal chat stored for a person (None: the app is not installed for them)."""
        with self._uow() as uow:
            return uow.installations.person(tenant_id, user_id)

    def by_conversation(self, conversation_id: str) -> ConversationRef | None:
        with self._uow() as uow:
            return uow.installations.by_conversation(conversation_id)

    def reply_address(self, platform: str, tenant: str, *, chat: ConversationRef | None = None,
                      user_id: str = "") -> Address | None:
        """Where replies to a person go: the personal chat they wrote from (``chat``, refreshed here), or
        else the personal chat stored for them (a card clicked in a channel). None when there is none."""
        with self._uow() as uow:
            if chat is not None:
                uow.installations.save(chat, datetime.now(UTC))
                ref = uow.installations.by_conversation(chat.conversation_id)
            else:
                ref = uow.installations.person(tenant, user_id)
            uow.commit()
        return Address(platform, tenant, ref.conversation_id, thread=ref.service_url) if ref else None

    def notify_person(self, person: PersonRef, replies: Sequence[Reply], *, dedupe_key: str | None = None,
                      uow: UnitOfWork | None = None, at: datetime | None = None) -> int | None:
        """Queue replies to a person's personal chat with the bot; the outbox id, or None when a message
        with this ``dedupe_key`` was queued before. Raises ``NoReference`` when the app is not installed
        for them. The message is addressed to the person ("dm"): the sender looks the chat up again when
        it sends, so an address the platform changed in the meantime is honoured."""

        def queue(u: UnitOfWork) -> int | None:
            if u.installations.person(person.tenant, person.user_id) is None:
                raise NoReference(f"the app is not installed for {person}")
            message = OutboxMessage(person.platform, person.tenant, person.user_id,
                                    {"replies": [reply_to_json(r) for r in replies]}, kind="dm",
                                    dedupe_key=dedupe_key)
            return u.outbox.enqueue(message, at or datetime.now(UTC))

        return self._run(queue, uow)

    def notify_channel(self, platform: str, team_id: str, channel_id: str, replies: Sequence[Reply], *,
                       dedupe_key: str | None = None, uow: UnitOfWork | None = None,
                       at: datetime | None = None) -> int | None:
        """Queue a new post in a team's channel, through the conversation the app was installed in."""

        def queue(u: UnitOfWork) -> int | None:
            ref = u.installations.channel(team_id, channel_id)
            if ref is None:
                raise NoReference(f"the app is not installed in channel {platform}:{team_id}:{channel_id}")
            message = OutboxMessage(platform, ref.tenant_id, ref.conversation_id,
                                    {"replies": [reply_to_json(r) for r in replies]}, thread="",
                                    dedupe_key=dedupe_key)
            return u.outbox.enqueue(message, at or datetime.now(UTC))

        return self._run(queue, uow)

    def queue(self, message: OutboxMessage, *, uow: UnitOfWork | None = None,
              at: datetime | None = None) -> int | None:
        """Queue a message the adapter composed (an activity-feed notice): None when queued before."""
        return self._run(lambda u: u.outbox.enqueue(message, at or datetime.now(UTC)), uow)

    def _run(self, queue: Callable[[UnitOfWork], int | None], uow: UnitOfWork | None) -> int | None:
        if uow is not None:
            return queue(uow)
        with self._uow() as own:
            outbox_id = queue(own)
            own.commit()
        return outbox_id
