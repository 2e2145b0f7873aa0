"""English words for the broker's review: cards, decisions, reasons, queues and reminders (merged into the
catalogue by ``bot/i18n/en.py``)."""

REVIEW_MESSAGES: dict[str, str] = {
    "review.went_national.label": "Also with the national team",
    "review.went_national.value": "This idea went to the national team as well, because no broker of its force "
                                  "was set up or it waited too long. You can still decide on it here.",
    "review.went_national.told#one": "Idea #{ref} from {force} has waited {count} working day, so it has gone to "
                                     "the national team as well. It stays in your queue: say queue to decide on it.",
    "review.went_national.told#other": "Idea #{ref} from {force} has waited {count} working days, so it has gone "
                                       "to the national team as well. It stays in your queue: say queue to decide "
                                       "on it.",
    "review.broker_welcome#one": "You're now an innovation broker for {force}. {count} idea from {force} went to "
                                 "the national team while no broker was set up; you can still decide on it: say "
                                 "queue.",
    "review.broker_welcome#other": "You're now an innovation broker for {force}. {count} ideas from {force} went "
                                   "to the national team while no broker was set up; you can still decide on them: "
                                   "say queue.",
    "review.card_intro": "A new idea for you to review. The officer hears what you decide.",
    "review.unknown_submitter": "(imported)",
    "review.anonymous_to_peers": "{name} (anonymous to peers: other forces will not see the name)",
    "review.submitted_by": "Submitted by",
    "review.more_info": "More information from the officer",
    "review.similar": "Similar work already in the network",
    "review.likely_duplicate": "likely duplicate",
    "review.reason": "Reason",
    "review.button.approve-network": "Approve for the network",
    "review.button.approve-local": "Approve for local use",
    "review.button.ask-info": "Ask for more info",
    "review.button.decline": "Decline",
    "review.button.escalate": "Escalate for national testing",
    "review.button.national-disseminate": "Share nationally",
    "review.button.national-test": "Select for national testing",
    "review.outcome.approve-network": "approved for the network",
    "review.outcome.approve-local": "approved for local use",
    "review.outcome.ask-info": "sent back with a question",
    "review.outcome.decline": "declined",
    "review.outcome.escalate": "escalated to the national team",
    "review.outcome.national-disseminate": "chosen for national sharing",
    "review.outcome.national-test": "selected for national testing",
    "review.decided_by": "Decision: {outcome} by {name} on {date}.",
    "review.done": "Done — #{ref} is now {status}. The officer has been told.",
    "review.not_allowed": "Sorry, only a broker of {force}, a national reviewer or an admin can decide on "
                          "this idea. Nothing has changed.",
    "review.own_idea": "You can't decide on your own idea — another broker or the national team will. "
                       "Nothing has changed.",
    "review.reason_needed": "Please add a short reason — the officer will see it. Nothing has changed yet.",
    "review.reason_too_long": "That reason is {length} characters; please keep it under {limit}. Nothing "
                              "has changed yet.",
    "review.not_found": "I can't find idea #{ref} any more — it may have been withdrawn. Nothing has changed.",
    "review.stale": "That card is out of date, so I've left everything as it was. Here is the idea as it "
                    "stands:",
    "review.already_decided": "#{ref} was already {outcome} by {name} on {date}. Nothing has changed.",
    "review.already_changed": "#{ref} has already moved on: it is now {status}. Nothing has changed.",
    "review.told.headline": "News about your idea #{ref} \"{title}\": it was {outcome} by {name}.",
    "review.told.reason": "Their note: {reason}",
    "review.next.approve-network": "It is now in the network's catalogue, so officers in other forces can "
                                   "find it and ask to connect with you.",
    "review.next.approve-local": "Your force will take it forward locally.",
    "review.next.ask-info": "Just reply here with your answer and I'll pass it straight back to them.",
    "review.next.decline": "Thank you for sharing it — please keep the ideas coming.",
    "review.next.escalate": "The national team will look at it for wider sharing or testing.",
    "review.next.national-disseminate": "It will be shared with forces across the country.",
    "review.next.national-test": "The national team will be in touch about testing it formally.",
    "review.info.thanks": "Thanks — I've passed your answer on to the broker.",
    "review.info.received": "The officer answered your question on #{ref}:",
    "review.new_for_broker": "New idea #{ref} from {force} is waiting for your review.",
    "review.new_for_national": "New idea #{ref} from {force} needs a decision: {force} has no other innovation "
                               "broker, so it has come to the national team.",
    "review.admins_no_broker": "{force} has no innovation broker set up: idea #{ref} went to the national "
                               "team. Add one with: innovation-bot admin add-broker FORCE PERSON",
    "review.national_queue_card": "Idea #{ref} from {force} is ready for national review.",
    "review.queue.empty": "Nothing is waiting for you. 🎉",
    "review.queue.title": "Waiting for a decision ({count}):",
    "review.reminder#one": "Reminder: idea #{ref} from {force} has waited {count} working day for a decision.",
    "review.reminder#other": "Reminder: idea #{ref} from {force} has waited {count} working days for a decision.",
    "review.overdue_national#one": "Idea #{ref} from {force} has waited {count} working day without a broker's "
                                   "decision, so it has come to the national team.",
    "review.overdue_national#other": "Idea #{ref} from {force} has waited {count} working days without a "
                                     "broker's decision, so it has come to the national team.",
    "review.reminder_all": "Reminder: these ideas are waiting for your decision ({count}):",
    "review.reminder_all_item#one": "• #{ref} {title} ({force}, {count} working day)",
    "review.reminder_all_item#other": "• #{ref} {title} ({force}, {count} working days)",
}
