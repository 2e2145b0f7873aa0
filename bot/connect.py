""""Connect me": an officer asks to be introduced to the people behind a similar idea.

The idea's contact is asked first; only on yes do both get each other's details (nobody's name or
email reaches a stranger without consent). Imported practice has no person to ask, so its published
contact line is shared at once. Every request is a Connection row: asked → accepted | declined.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from bot.codec import reply_to_json
from bot.domain import PersonRef
from bot.events import Action
from bot.i18n import Translator
from bot.ports import Address, Connections, PersonDetails, PersonRecord, UnitOfWork
from bot.replies import Button, ButtonStyle, Card, Field, Reply, Text


def connect_button(t: Translator, idea_id: int) -> Button:
    return Button("connect.ask", str(idea_id), t("connect.button"))



def _card(t: Translator, title_key: str, details: PersonDetails, **params: object) -> Card:
    fields = [Field(t("connect.name"), details.name or t("person.unnamed")),
              Field(t("field.force"), details.force_name or "—")]
    if details.email:
        fields.append(Field(t("connect.email"), details.email))
    return Card(t(title_key, **params), tuple(fields), kind="info")


def handle(uow: UnitOfWork, connections: Connections, event: Action, person: PersonRecord,
           t: Translator, *, group_chats: Collection[str] = ()) -> list[Reply]:
    """``group_chats``: the platforms where the bot can open a conversation with both people."""
    kind = event.action_id.removeprefix("connect.")
    if not event.value.isdigit() or len(event.value) > 12:
        return [Text(t("action.unknown"))]
    if kind == "ask":
        return _ask(uow, connections, int(event.value), person, event.at, t)
    if kind in ("accept", "decline"):
        return _answer(uow, connections, int(event.value), kind == "accept", person, event.at, t, group_chats)
    return [Text(t("action.unknown"))]


def _ask(uow: UnitOfWork, connections: Connections, idea_id: int, person: PersonRecord, at: datetime,
         t: Translator) -> list[Reply]:
    target = connections.target(idea_id)
    if target is None or not target.in_catalogue:
        return [Text(t("connect.unavailable"))]
    if target.submitter is not None and target.submitter.person_id == person.person_id:
        return [Text(t("connect.own_idea"))]
    if target.submitter is None:
        if connections.create(person.person_id, idea_id, None, "shared", at) is None:
            return [Text(t("connect.already", title=target.title))]
        if not target.contact:
            return [Text(t("connect.no_contact", title=target.title))]
        return [Text(t("connect.published_contact", title=target.title, force=target.force_name,
                       contact=target.contact))]
    connection_id = connections.create(person.person_id, idea_id, target.submitter.person_id, "asked", at)
    if connection_id is None:
        return [Text(t("connect.already", title=target.title))]
    asker = connections.details(person.person_id)
    t_asker, t = t, Translator(target.submitter.locale)  # the question is in the reader's language
    question = Card(
        t("connect.request_title"),
        (Field(t("connect.who"), t("connect.who_value", name=asker.name or t("person.unnamed"),
                                                    force=asker.force_name or "—")),
         Field(t("connect.about"), target.title)),
        body=t("connect.request_body"),
        buttons=(Button("connect.accept", str(connection_id), t("connect.yes"), ButtonStyle.PRIMARY),
                 Button("connect.decline", str(connection_id), t("connect.no"))),
        kind="connect",
    )
    uow.outbox.enqueue_replies(target.submitter.dm, [reply_to_json(question)],
                               dedupe_key=f"connect:{connection_id}:ask", at=at, kind="dm")
    return [Text(t_asker("connect.asked", title=target.title, force=target.force_name))]


def _answer(uow: UnitOfWork, connections: Connections, connection_id: int, accepted: bool,
            person: PersonRecord, at: datetime, t: Translator, group_chats: Collection[str]) -> list[Reply]:
    info = connections.get(connection_id)
    if info is None or info.contact_id != person.person_id:
        return [Text(t("connect.not_yours"))]
    if not connections.decide(connection_id, "accepted" if accepted else "declined", at):
        return [Text(t("connect.answered"))]
    t_asker = Translator(info.asker.locale)  # what the asker is sent is in their language
    if not accepted:
        uow.outbox.enqueue_replies(info.asker.dm, [reply_to_json(Text(t_asker("connect.declined_kindly",
                                                                                title=info.idea_title)))],
                                   dedupe_key=f"connect:{connection_id}:declined", at=at, kind="dm")
        return [Text(t("connect.declined_ok"))]
    contact = connections.details(person.person_id)
    asker = connections.details(info.asker.person_id)
    uow.outbox.enqueue_replies(
        info.asker.dm, [reply_to_json(_card(t_asker, "connect.meet", contact, title=info.idea_title))],
        dedupe_key=f"connect:{connection_id}:accepted", at=at, kind="dm")
    if _introduce(info.asker.ref, person.ref, group_chats):
        # Both in the same organisation on a platform with group chats: a conversation with the two of
        # them (and the bot) to start talking, opened by the platform's sender (outbox kind "group").
        # Both read the group message: in each one's language, Welsh first when they differ.
        said = [tr("connect.group_intro", asker=asker.name or tr("person.unnamed"),
                   contact=contact.name or tr("person.unnamed"), title=info.idea_title)
                for tr in sorted({t.locale: t, t_asker.locale: t_asker}.values(), key=lambda tr: tr.locale != "cy")]
        intro = Text("\n\n".join(said))
        uow.outbox.enqueue_replies(
            Address(person.ref.platform, person.ref.tenant, f"{info.asker.ref.user_id},{person.ref.user_id}"),
            [reply_to_json(intro)], dedupe_key=f"connect:{connection_id}:group", at=at, kind="group")
    return [_card(t, "connect.meet_asker", asker, title=info.idea_title)]


def _introduce(asker: PersonRef, contact: PersonRef, group_chats: Collection[str]) -> bool:
    return asker.platform == contact.platform and asker.tenant == contact.tenant and asker.platform in group_chats
