"""Data rights in memory, with the semantics of ``storage.data_rights``: see, withdraw, export, erase, and the
deletions retention asks for (``MemoryRetention``, as ``storage.retention``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.data_rights_ports import Erased, MyData
from bot.domain import PersonRef, Status
from storage.data_rights import WITHDRAWN_TEXT
from storage.memory.outbox import MemoryOutbox
from storage.memory.repositories import MemoryIdeas
from storage.memory.tables import Ids, Tables, stored_json


class MemoryDataRights:
    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def my_data(self, person_id: int) -> MyData:
        person = self._t.people[person_id]
        roles = tuple(f"{r.role} ({r.force_slug})" if r.force_slug else r.role
                      for r in self._t.roles.values() if r.person_id == person_id)
        conversation = self._t.conversations.get(person.ref)
        asked = sum(1 for c in self._t.connections.values() if c.asker_id == person_id)
        decided = sum(1 for d in self._t.decisions.values()
                      if d.actor_id == person_id and d.from_status != Status.DRAFT.value)
        return MyData(person.display_name, person.email, f"{person.platform}:{person.tenant}:{person.user_id}",
                      self._t.force_name(person.force_slug) or "", roles,
                      tuple(MemoryIdeas(self._t, self._ids).for_person(person_id)),
                      conversation is not None and conversation.draft is not None, asked, decided)

    def withdraw(self, idea_id: int, person_id: int, at: datetime) -> str:
        idea = self._t.ideas.get(idea_id)
        if idea is None or idea.submitter_id != person_id:
            return "not-yours"
        if idea.status == Status.WITHDRAWN.value:
            return "already"
        MemoryIdeas(self._t, self._ids).add_decision(idea_id, person_id, idea.status, Status.WITHDRAWN.value,
                                                     "withdrawn by the submitter", at)
        self._t.ideas[idea_id] = replace(idea, status=Status.WITHDRAWN.value, description=WITHDRAWN_TEXT,
                                         problem=WITHDRAWN_TEXT, evidence=WITHDRAWN_TEXT, version=idea.version + 1,
                                         updated_at=at)
        return "withdrawn"

    def delete_ideas(self, *, status: str, updated_before: datetime) -> int:
        """Ideas in ``status`` last changed before ``updated_before`` go, with their review cards,
        introductions and decisions."""
        ids = {i.id for i in self._t.ideas.values() if i.status == status and i.updated_at < updated_before}
        for table in (self._t.review_cards, self._t.connections, self._t.decisions):
            _drop(table, lambda row: row.idea_id in ids)
        _drop(self._t.ideas, lambda idea: idea.id in ids)
        # What the database's foreign keys do: an idea's flags go with it, a flag pointing at it is kept.
        _drop(self._t.duplicate_flags, lambda flag: flag.idea_id in ids)
        for flag in [f for f in self._t.duplicate_flags.values() if f.similar_idea_id in ids]:
            self._t.duplicate_flags[flag.id] = replace(flag, similar_idea_id=None)
        return len(ids)

    def export_person(self, ref: PersonRef) -> dict[str, Any] | None:
        """Everything held about one person (None: nobody known as ``ref``)."""
        t, person = self._t, self._t.person(ref)
        if person is None:
            return None
        ideas = sorted((i for i in t.ideas.values() if i.submitter_id == person.id), key=lambda i: i.id)
        decisions = sorted((d for d in t.decisions.values() if d.actor_id == person.id), key=lambda d: d.id)
        conversation = t.conversations.get(ref)
        return {
            "person": {"platform": person.platform, "tenant": person.tenant, "user_id": person.user_id,
                       "display_name": person.display_name, "email": person.email, "force": person.force_slug,
                       "locale": person.locale, "created_at": person.created_at.isoformat()},
            "roles": [{"role": r.role, "force": r.force_slug} for r in t.roles.values() if r.person_id == person.id],
            "ideas": [{"id": i.id, "title": i.title, "description": i.description, "problem": i.problem,
                       "stage": i.stage, "status": i.status, "force": i.force_slug, "visibility": i.visibility,
                       "submitted_at": i.submitted_at.isoformat() if i.submitted_at else None} for i in ideas],
            "decisions_made": [{"idea_id": d.idea_id, "from": d.from_status, "to": d.to_status, "reason": d.reason,
                                "at": d.created_at.isoformat()} for d in decisions],
            "connections": [{"idea_id": c.idea_id, "status": c.status, "asked_at": c.created_at.isoformat()}
                            for c in t.connections.values() if c.asker_id == person.id],
            "draft": stored_json(conversation.draft) if conversation else None,
        }

    def erase(self, ref: PersonRef) -> Erased | None:
        """Erase a person, as ``SqlDataRights.erase`` does (None: nobody known as ``ref``). The memory store
        has no inbound queue (``bot.queues.InboundStore`` is not part of the unit of work), so nothing of
        theirs waits there to be forgotten."""
        t, person = self._t, self._t.person(ref)
        if person is None:
            return None
        erased = Erased(people=1)
        for idea in [i for i in t.ideas.values() if i.submitter_id == person.id]:
            t.ideas[idea.id] = replace(idea, submitter_id=None, visibility="anonymous-to-peers")
            erased.ideas_anonymised += 1
        for decision in [d for d in t.decisions.values() if d.actor_id == person.id]:
            t.decisions[decision.id] = replace(decision, actor_id=None)
        _drop(t.connections, lambda c: person.id in (c.asker_id, c.contact_id))
        _drop(t.review_cards, lambda c: c.person_id == person.id)
        _drop(t.roles, lambda r: r.person_id == person.id)
        erased.conversations = 1 if t.conversations.pop(ref, None) is not None else 0
        erased.messages = _drop(t.outbox, lambda m: (m.platform, m.tenant, m.target) == (ref.platform, ref.tenant,
                                                                                         ref.user_id))
        del t.people[person.id]
        return erased


class MemoryRetention:
    """``bot.retention.RetentionStore`` in memory, as ``storage.retention.SqlRetention``."""

    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def purge_declined_ideas(self, before: datetime) -> int:
        return MemoryDataRights(self._t, self._ids).delete_ideas(status=Status.DECLINED.value, updated_before=before)

    def purge_dead_events(self, before: datetime) -> int:
        return 0  # no inbound queue in memory (see ``MemoryDataRights.erase``)

    def purge_finished_messages(self, before: datetime) -> int:
        return MemoryOutbox(self._t, self._ids).purge_finished(before)


def _drop(table: dict[Any, Any], gone: Any) -> int:
    keys = [key for key, row in table.items() if gone(row)]
    for key in keys:
        del table[key]
    return len(keys)
