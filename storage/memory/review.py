"""The review and "connect me" repositories in memory, with the semantics of ``storage.review`` and
``storage.connections``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from bot.domain import Role, Status, Visibility
from bot.ports import ConnectionInfo, ConnectTarget, PersonDetails, Recipient
from bot.review.cards import IdeaForReview
from bot.review.policy import Grant
from bot.sharing import beyond_force
from storage.catalogue import CATALOGUE_STATUSES
from storage.memory.repositories import MemoryIdeas
from storage.memory.tables import ConnectionRow, IdeaRow, Ids, ReviewCardRow, Tables, recipient
from storage.review import _EDITABLE as EDITABLE  # one list of what a broker may rewrite, for every store


class MemoryReviews:
    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def _load_many(self, where: Callable[[IdeaRow], bool], limit: int = 50) -> list[IdeaForReview]:
        # As the SQL: ideas of a known force, oldest submission first (PostgreSQL puts the unsubmitted last).
        rows = sorted((i for i in self._t.ideas.values() if i.force_slug in self._t.forces and where(i)),
                      key=lambda i: (i.submitted_at is None, i.submitted_at or i.created_at, i.id))[:limit]
        return [self._for_review(i) for i in rows]

    def _for_review(self, idea: IdeaRow) -> IdeaForReview:
        answers = [d for d in self._t.decisions.values() if d.idea_id == idea.id
                   and d.from_status == Status.NEEDS_INFO.value and d.to_status == Status.SUBMITTED.value]
        more_info = max(answers, key=lambda d: d.id).reason if answers else ""
        theme = self._t.themes.get(idea.theme_slug) if idea.theme_slug else None
        submitter = self._t.people.get(idea.submitter_id) if idea.submitter_id else None
        return IdeaForReview(
            idea_id=idea.id, version=idea.version, title=idea.title, description=idea.description,
            problem=idea.problem, stage=idea.stage, theme_name=theme.name if theme else "",
            force_slug=idea.force_slug, force_name=self._t.forces[idea.force_slug].name, status=Status(idea.status),
            submitter_name=submitter.display_name if submitter else "",
            anonymous=idea.visibility == Visibility.ANONYMOUS.value,
            submitted_on=(idea.submitted_at or idea.created_at).date().isoformat(), more_info=more_info,
            shared_as_is=idea.shared_as_is or "")

    def load(self, idea_id: int) -> IdeaForReview | None:
        found = self._load_many(lambda i: i.id == idea_id, limit=1)
        return found[0] if found else None

    def submitter(self, idea_id: int) -> Recipient | None:
        idea = self._t.ideas.get(idea_id)
        person = self._t.people.get(idea.submitter_id) if idea and idea.submitter_id else None
        return recipient(person) if person else None

    def grants(self, person_id: int) -> list[Grant]:
        return [Grant(Role(r.role), r.force_slug) for r in self._t.roles.values() if r.person_id == person_id]

    def decide(self, idea_id: int, *, expected_version: int, from_status: str, to_status: str,
               actor_id: int | None, reason: str, at: datetime, edits: Mapping[str, str] | None = None,
               shared_as_is: str | None = None) -> bool:
        idea = self._t.ideas.get(idea_id)
        # Compare-and-set: of two brokers clicking at once, exactly one finds the version they read.
        if idea is None or idea.version != expected_version or idea.status != from_status:
            return False
        values: dict[str, object] = {name: text for name, text in (edits or {}).items() if name in EDITABLE}
        if shared_as_is is not None:
            values["shared_as_is"] = shared_as_is
        self._t.ideas[idea_id] = replace(idea, status=to_status, version=expected_version + 1, updated_at=at,
                                         **values)  # type: ignore[arg-type]
        MemoryIdeas(self._t, self._ids).add_decision(idea_id, actor_id, from_status, to_status, reason, at)
        return True

    def last_decision(self, idea_id: int) -> tuple[str, str, str, str] | None:
        decisions = [d for d in self._t.decisions.values() if d.idea_id == idea_id]
        if not decisions:
            return None
        last = max(decisions, key=lambda d: d.id)
        actor = self._t.people.get(last.actor_id) if last.actor_id else None
        return last.to_status, actor.display_name if actor else "", last.reason, last.created_at.date().isoformat()

    def people_with_role(self, role: Role, force_slug: str | None = None) -> list[Recipient]:
        ids = {r.person_id for r in self._t.roles.values()
               if r.role == role.value and (force_slug is None or r.force_slug == force_slug)}
        return [recipient(self._t.people[i]) for i in sorted(ids) if i in self._t.people]

    def record_card(self, idea_id: int, person_id: int, outbox_id: int) -> None:
        card = ReviewCardRow(self._ids.next("review_cards"), idea_id, person_id, outbox_id)
        self._t.review_cards[card.id] = card

    def cards(self, idea_id: int) -> list[tuple[int, Recipient]]:
        return [(c.outbox_id, recipient(self._t.people[c.person_id]))
                for c in sorted(self._t.review_cards.values(), key=lambda c: c.id)
                if c.idea_id == idea_id and c.person_id in self._t.people]

    def open_for(self, grants: Sequence[Grant]) -> list[IdeaForReview]:
        national = any(g.role in (Role.REVIEWER, Role.ADMIN) for g in grants)
        forces = {g.force_slug for g in grants if g.role is Role.BROKER and g.force_slug}
        local = (Status.SUBMITTED.value, Status.NEEDS_INFO.value)
        ideas: list[IdeaForReview] = []
        if forces:
            ideas += self._load_many(lambda i: i.force_slug in forces and i.status in local)
        if national:
            seen = {i.idea_id for i in ideas}
            wider = (Status.APPROVED_NETWORK.value, Status.NATIONAL_REVIEW.value)
            ideas += [i for i in self._load_many(lambda i: i.status in wider and i.source == "chat")
                      if i.idea_id not in seen]
        return ideas

    def waiting_since(self, before: datetime) -> list[tuple[IdeaForReview, datetime]]:
        out = []
        for idea in sorted(self._t.ideas.values(), key=lambda i: i.id):
            if idea.status == Status.SUBMITTED.value and idea.submitted_at is not None and idea.submitted_at < before:
                loaded = self.load(idea.id)
                if loaded is not None:
                    out.append((loaded, idea.submitted_at))
        return out


class MemoryConnections:
    def __init__(self, tables: Tables, ids: Ids) -> None:
        self._t, self._ids = tables, ids

    def target(self, idea_id: int) -> ConnectTarget | None:
        idea = self._t.ideas.get(idea_id)
        if idea is None or idea.force_slug not in self._t.forces:
            return None
        submitter = self._t.people.get(idea.submitter_id) if idea.submitter_id else None
        # The title goes to someone in another force: flagged detail masked unless shared as it is.
        return ConnectTarget(idea.id, beyond_force(idea.title, idea.shared_as_is), self._t.forces[idea.force_slug].name,
                             idea.status in CATALOGUE_STATUSES and idea.status != Status.WITHDRAWN.value,
                             recipient(submitter) if submitter else None, idea.contact)

    def create(self, asker_id: int, idea_id: int, contact_id: int | None, status: str, at: datetime) -> int | None:
        if any(c.asker_id == asker_id and c.idea_id == idea_id for c in self._t.connections.values()):
            return None  # the unique key: one request per person and idea
        row = ConnectionRow(self._ids.next("connections"), asker_id, idea_id, contact_id, status, at,
                            at if status != "asked" else None)
        self._t.connections[row.id] = row
        return row.id

    def get(self, connection_id: int) -> ConnectionInfo | None:
        row = self._t.connections.get(connection_id)
        asker = self._t.people.get(row.asker_id) if row else None
        idea = self._t.ideas.get(row.idea_id) if row else None
        if row is None or asker is None or idea is None:
            return None
        return ConnectionInfo(row.id, row.status, recipient(asker), row.contact_id, row.idea_id,
                              beyond_force(idea.title, idea.shared_as_is))

    def decide(self, connection_id: int, status: str, at: datetime) -> bool:
        row = self._t.connections.get(connection_id)
        if row is None or row.status != "asked":
            return False
        self._t.connections[connection_id] = replace(row, status=status, decided_at=at)
        return True

    def details(self, person_id: int) -> PersonDetails:
        person = self._t.people.get(person_id)
        if person is None:
            raise LookupError(f"no person {person_id}")  # the SQL's one() raises too
        return PersonDetails(person.display_name, person.email, self._t.force_name(person.force_slug) or "")
