"""Broker reminders and escalation of ideas left waiting: what the clock's hourly run queues.

Run inside the caller's unit of work; sends nothing itself (messages go to the outbox with the run). Each
message is in its recipient's language, and counts of days go through the catalogue's plural forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.codec import reply_to_json
from bot.domain import Role
from bot.i18n import Translator
from bot.ports import Recipient, UnitOfWork
from bot.replies import Text
from bot.review.policy import working_days_between
from bot.review.workflow import ReviewWorkflow, with_flags


@dataclass
class ReminderCounts:
    """What a reminders run actually queued: ideas and messages, not intentions."""

    reminded: int = 0  # ideas a broker was reminded of in this run
    escalated: int = 0  # ideas the national team was sent in this run
    messages: int = 0  # messages queued (each person's copy counts)
    untold: list[int] = field(default_factory=list)  # ideas waiting with nobody to tell (no broker, reviewer, admin)


def remind(uow: UnitOfWork, workflow: ReviewWorkflow, now: datetime, working_days: int,
           t: Translator) -> ReminderCounts:
    """Brokers hear about ideas waiting more than ``working_days``; the national team after twice that.

    Each reminder is keyed on the idea and its version, so running this every hour sends each one once.
    ``working_days`` 0 means "remind now about everything waiting": each broker gets one message listing
    their force's waiting ideas, at most once a day, and nothing is escalated.
    """
    counts = ReminderCounts()
    everything: dict[int, tuple[Recipient, dict[int, str]]] = {}  # broker -> idea id -> line in their language
    for waiting, submitted_at in uow.reviews.waiting_since(now):
        idea = with_flags(waiting, t)
        waited = working_days_between(submitted_at.date(), now.date())
        if working_days > 0 and waited <= working_days:
            continue
        if working_days > 0 and waited > 2 * working_days:
            national = workflow._national_team(uow)
            sent = sum(workflow._send_card(uow, idea, person, now, t, "review.overdue_national", national=False,
                                           count=waited) for person in national)
            counts.escalated += bool(sent)
            counts.messages += sent
            if not national:
                counts.untold.append(idea.idea_id)
            for broker in uow.reviews.people_with_role(Role.BROKER, idea.force_slug):
                # The force's brokers hear that it went over their heads, and why; it stays in their queue.
                counts.messages += uow.outbox.enqueue_replies(
                    broker.dm, [reply_to_json(Text(Translator(broker.locale)(  # the broker's language
                        "review.went_national.told", ref=idea.idea_id, force=idea.force_name, count=waited)))],
                    dedupe_key=f"went-national:{idea.idea_id}:{idea.version}:{broker.person_id}", at=now,
                    kind="dm") is not None
            continue
        brokers = uow.reviews.people_with_role(Role.BROKER, idea.force_slug)
        if not brokers:
            counts.untold.append(idea.idea_id)
            continue
        if working_days == 0:
            for broker in brokers:
                everything.setdefault(broker.person_id, (broker, {}))[1][idea.idea_id] = Translator(broker.locale)(
                    "review.reminder_all_item", ref=idea.idea_id, title=idea.title[:80], force=idea.force_name,
                    count=waited)
            counts.reminded += 1
            continue
        sent = 0
        for broker in brokers:
            sent += uow.outbox.enqueue_replies(
                broker.dm, [reply_to_json(Text(Translator(broker.locale)(
                    "review.reminder", ref=idea.idea_id, force=idea.force_name, count=waited)))],
                dedupe_key=f"remind:{idea.idea_id}:{idea.version}:{broker.person_id}", at=now, kind="dm") is not None
        counts.reminded += bool(sent)
        counts.messages += sent
    if everything:
        counts.reminded = 0  # counted again below: only digests actually queued today
        reminded: set[int] = set()
        for broker, lines in everything.values():
            text = "\n".join([Translator(broker.locale)("review.reminder_all", count=len(lines)), *lines.values()])
            if uow.outbox.enqueue_replies(broker.dm, [reply_to_json(Text(text))],
                                          dedupe_key=f"remind-all:{broker.person_id}:{now.date().isoformat()}",
                                          at=now, kind="dm") is not None:
                counts.messages += 1
                reminded.update(lines)
        counts.reminded = len(reminded)
    return counts
