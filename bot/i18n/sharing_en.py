"""English words for sharing a flagged idea and for masked detail (merged by ``bot/i18n/en.py``)."""

SHARING_MESSAGES: dict[str, str] = {
    "sensitivity.kind.address": "an address",
    # What a masked span reads as beyond the force.
    "sensitivity.removed.name": "[name removed]",
    "sensitivity.removed.phone": "[phone number removed]",
    "sensitivity.removed.email": "[email address removed]",
    "sensitivity.removed.postcode": "[postcode removed]",
    "sensitivity.removed.vehicle-registration": "[vehicle registration removed]",
    "sensitivity.removed.reference": "[reference removed]",
    "sensitivity.removed.date-of-birth": "[date of birth removed]",
    "sensitivity.removed.ni-number": "[NI number removed]",
    "sensitivity.removed.address": "[address removed]",
    # The broker's confirmation before a flagged idea is approved or escalated.
    "share.check.title": "Check before sharing: #{ref} {title}",
    "share.check.body": "Before this idea is {outcome}, check what the sensitivity check flagged. Edit it out, "
                        "or share it as it is if you are sure it is safe. Until you choose, nothing changes and "
                        "other forces only ever see the detail masked.",
    "share.check.item_label": "Flagged in {field}",
    "share.check.item": "{kind}: \"{text}\"",
    "share.check.note": "Edit before sharing: the detail is taken out (you can rewrite it) and the officer is "
                        "told what changed. Share as it is: your reason is seen only by brokers, reviewers and "
                        "the audit trail, not by the officer.",
    "share.button.edit": "Edit before sharing",
    "share.button.as_is": "Share as it is",
    "share.edit.title": "Edit before sharing",
    "share.edit.intro": "The flagged detail is already taken out below. Rewrite it as you wish, then {outcome}. "
                        "The officer will be told what changed.",
    "share.edit.note": "Note for the audit trail (optional)",
    "share.as_is.title": "Share as it is",
    "share.as_is.intro": "Flagged: {found}. It will be {outcome} with this detail unmasked.",
    "share.as_is.reason": "Why it is safe to share as it is (only brokers, reviewers and the audit trail see this)",
    "share.choose": "Idea #{ref} holds detail that was flagged: choose Edit before sharing or Share as it is "
                    "on the card below. Nothing has changed yet.",
    "share.reason_needed": "Please say why it is safe to share #{ref} as it is — only brokers, reviewers and the "
                           "audit trail see it. Nothing has changed yet.",
    "share.field_empty": "{field} cannot be empty. Nothing has changed yet.",
    "share.field_too_long": "{field} is {length} characters; please keep it under {limit}. Nothing has "
                            "changed yet.",
    "share.no_change": "The text still holds what was flagged ({found}). Take it out, or choose Share as it is "
                       "with a reason. Nothing has changed yet.",
    "share.done_edited": "Done — #{ref} is now {status}, with your edits. The officer has been told what "
                         "changed.",
    "share.done_edited_masked": "Done — #{ref} is now {status}, with your edits. It still holds {found}: other "
                                "forces will see that masked.",
    "share.done_as_is": "Done — #{ref} is now {status} and shared as it is. Your reason is in the audit trail; "
                        "the officer does not see it.",
    "share.audit.edited": "Edited before sharing ({fields}); flagged: {found}.",
    "share.audit.edited_note": "Edited before sharing ({fields}); flagged: {found}. Note: {note}",
    "share.audit.as_is": "Shared as it is ({scope}); flagged: {found}. Reason: {reason}",
    "share.scope.local": "local use",
    "share.scope.network": "beyond the force",
    "share.told.edited": "Before sharing it, {name} edited your idea #{ref} to take out personal or operational "
                         "detail ({found}).",
    "share.told.field": "{field} now reads: {text}",
    "modal.form.continued": "{label} (continued)",
}
