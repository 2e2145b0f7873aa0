"""English message catalogue. Keys are stable; a translation copies this dict and changes the values."""

from bot.i18n.admin_en import ADMIN_MESSAGES
from bot.i18n.connect_en import CONNECT_MESSAGES
from bot.i18n.dashboard_en import DASHBOARD_MESSAGES
from bot.i18n.evidence_en import EVIDENCE_MESSAGES
from bot.i18n.manifest_en import MANIFEST_MESSAGES
from bot.i18n.playground_en import PLAYGROUND_MESSAGES
from bot.i18n.practice_import_en import PRACTICE_IMPORT_MESSAGES
from bot.i18n.review_en import REVIEW_MESSAGES
from bot.i18n.roundup_en import ROUNDUP_MESSAGES
from bot.i18n.roundup_setup_en import ROUNDUP_SETUP_MESSAGES
from bot.i18n.sharing_en import SHARING_MESSAGES
from bot.i18n.surfaces_en import SURFACE_MESSAGES

MESSAGES: dict[str, str] = {
    # Starting and the four questions
    "greeting": "Hello! I help you share ideas and local practice with the national innovation network.",
    "ask.description": "What's your idea? Tell me in a sentence or two what you've done or want to try.",
    "thanks.description": "Thanks — that's a useful start.",
    "ask.problem": "What problem does it solve, or what difference has it made so far?",
    "ask.stage": "How far along is it?",
    "ask.force": "Which force or organisation are you with? Type its name or pick it from the list.",
    "ask.theme": "Which theme fits best?",
    "stage.idea": "An idea",
    "stage.being-tried": "Being tried",
    "stage.evaluated-locally": "Evaluated locally",
    "stage.independently-evaluated": "Independently evaluated",
    "stage.pick": "Please pick one of the four stages below (or type 1 to 4).",
    "theme.pick": "I couldn't match that to a theme — please pick one.",
    "force.did_you_mean": "Did you mean one of these?",
    "force.not_found": "I couldn't find a force called \"{text}\". Please pick yours from the list.",
    # Issue 16: starting over, forces, inferred fields, numbers
    "ask.description_again": "Great — what's your idea? Tell me in a sentence or two what you've done or want "
                             "to try.",
    "resume.offer": "You have an unfinished idea: \"{title}\" ({where}).",
    "resume.question": "Carry on with it, or start a new idea? Nothing you've typed is lost either way.",
    "resume.carry_on": "Carry on with it",
    "resume.start_again": "Start a new idea",
    "resume.where.awaiting-description": "next: what the idea is",
    "resume.where.awaiting-problem": "next: what problem it solves",
    "resume.where.awaiting-stage": "next: how far along it is",
    "resume.where.awaiting-force": "next: which force you're with",
    "resume.where.confirming": "ready to submit",
    "resume.where.choosing-edit": "you were changing something",
    "resume.where.awaiting-edit": "you were changing something",
    "resume.pick": "Please say carry on or start again (or use the buttons).",
    "force.confirm": "Did you mean {name}? Say yes, or pick the right one.",
    "force.confirm_one": "Yes, {name}",
    "force.show_all": "None of these — show every force",
    "force.pick": "Please choose your force from the list first, or type its name.",
    "force.placeholder": "Choose your force…",
    "summary.guessed": "{value} (my guess from your message — use Edit to change it)",
    "button.edit_title": "Edit title",
    "visibility.row.named": "{name} — shown to other forces, so people doing similar work can contact you",
    "visibility.row.anonymous-to-peers": "{name} — hidden from other forces (your broker still sees it)",
    "visibility.you": "You",
    "number.nothing_to_pick": "There's nothing to pick with \"{number}\" just now. Tell me your idea in a sentence "
                              "or two, or say help.",
    "status.none_but_draft": "You haven't submitted any ideas yet. You have one in progress: \"{title}\" — "
                             "it's below.",
    "status.in_progress": "In progress (not submitted yet)",
    "status.phrase.draft": "a draft",
    "status.phrase.submitted": "waiting for the broker's decision",
    "status.phrase.needs-info": "waiting for more information from the officer",
    "status.phrase.approved-local": "approved for local use",
    "status.phrase.approved-network": "approved for the network",
    "status.phrase.declined": "declined",
    "status.phrase.national-review": "with the national team",
    "status.phrase.national-dissemination": "shared nationally",
    "status.phrase.national-testing": "selected for national testing",
    "status.phrase.withdrawn": "withdrawn",
    "match.why_shared": "both mention {words}",
    "match.summary": "{what} · {force} · {works}",
    "match.works.idea": "an idea, not tried yet",
    "match.works.being-tried": "being tried, no results yet",
    "match.works.evaluated-locally": "evaluated locally",
    "match.works.independently-evaluated": "independently evaluated",
    "match.national": "national",
    "console.hello": "Chatting as {name}. Type a message, a number to pick an option, or 'exit'.",
    "console.bye": "Bye.",
    "console.picked": "(you picked: {label})",
    "console.optional": "{label} (optional)",
    "console.keeps": "  now: {value}\n  (Enter keeps it)",
    "console.no_option": "There's no option {number} showing. Type a message, pick a number from the list "
                         "above, or say help.",
    # Similar work
    "similar.intro": "Similar work already in the network ({count}) — you may want to compare notes:",
    "match.why": "Why it matched",
    "match.why_overall": "similar overall wording",
    "match.why_meaning": "similar in meaning: “{sentence}”",
    "match.why_both": "{shared}; closest part: “{sentence}”",
    "match.kind.likely-duplicate": "This looks very close to your idea.",
    "match.kind.related": "This looks related.",
    # Summary and editing
    "summary.title": "Your idea, ready to share",
    "summary.intro": "Check the details below. You can edit anything before you submit.",
    "summary.privacy": (
        "Please don't include personal or operational detail — names, addresses, phone numbers, "
        "crime or incident references, vehicle registrations. Describe the practice, not the case."
    ),
    "summary.not_set": "Not set",
    "summary.theme_not_guessed": "Not set — choose one with Edit",
    "field.title": "Title",
    "field.description": "What it is",
    "field.problem": "Problem it solves",
    "field.stage": "Stage",
    "field.theme": "Theme",
    "field.force": "Force",
    "field.status": "Status",
    "field.visibility": "Your name",
    "visibility.named": "Shown to other forces, so people doing similar work can contact you",
    "visibility.anonymous-to-peers": "Hidden from other forces (your broker still sees it)",
    "button.visibility.named": "Show my name",
    "button.visibility.anonymous-to-peers": "Share anonymously",
    "info.ask": "Your broker asked a question about idea #{ref}. Reply here with your answer.",
    "button.submit": "Submit",
    "button.edit": "Edit",
    "button.cancel": "Cancel",
    "button.start": "Share an idea",
    "button.choose": "Choose",
    "edit.which": "What would you like to change?",
    "edit.pick": "Please pick the part you'd like to change.",
    "edit.send_new": "Send me the new {field}. At the moment it says: {current}",
    "confirm.use_buttons": "Use Submit to send it, Edit to change something, or Cancel. Here it is again:",
    # Submission
    "submitted.thanks": "Submitted — thank you! Your reference is #{ref}.",
    "submitted.brokers": "{names}, the innovation broker for {force}, will look at it and I'll tell you "
                         "what they decide.",
    "submitted.broker_unnamed": "Your force's innovation broker at {force} will look at it and I'll tell you "
                                "what they decide.",
    "submitted.no_broker": "{force} has no innovation broker set up yet, so the national team will look "
                           "at it. I'll tell you what they decide.",
    # Status
    "status.none": "You haven't shared any ideas yet. Say \"I've got an idea\" to start.",
    "status.title": "Your ideas ({count})",
    "status.line": "{status} · {force} · {date}",
    "status.draft": "Draft",
    "status.submitted": "Submitted — waiting for the broker",
    "status.needs-info": "The broker has asked for more information",
    "status.approved-local": "Approved for local use",
    "status.approved-network": "Approved for the network",
    "status.declined": "Declined",
    "status.national-review": "With the national team",
    "status.national-dissemination": "Shared nationally",
    "status.national-testing": "Selected for national testing",
    "status.withdrawn": "Withdrawn",
    # Search
    "search.usage": "Tell me what to look for, for example: search drones missing persons",
    "search.none": "I found nothing in the catalogue like \"{query}\".",
    "search.results": "What I found for \"{query}\" ({count}):",
    # Always-available commands and problems
    "help.text": (
        "I help you share an idea with your force's innovation broker and the national network, and I "
        "show you similar work in other forces.\n"
        "• Just tell me your idea, or say \"I've got an idea\".\n"
        "• status (or my ideas) — what happened to the ideas you shared\n"
        "• my data — what I hold about you; withdraw #NUMBER — take an idea back\n"
        "• search <words> — look through the catalogue\n"
        "• cancel — drop the idea you're writing\n"
        "• language — choose Welsh (Cymraeg) or English\n"
        "• help — this message"
    ),
    "help.start_title": "Ready when you are",
    "cancel.done": "Cancelled — nothing was shared. Start again whenever you like.",
    "cancel.nothing": "There's nothing to cancel. Tell me an idea whenever you're ready.",
    "command.unknown": "I don't know the command {command}. Here's what I can do:",
    "input.empty": "I didn't catch anything there.",
    "input.too_long": (
        "That message is {length} characters; I can take up to {limit}. Could you shorten it? "
        "Nothing you've told me so far is lost."
    ),
    "action.stale": "That button belongs to a conversation that has finished or expired, so I've left "
                    "everything as it was.",
    "action.unknown": "Sorry, I don't recognise that button. Nothing has changed.",
    "action.out_of_turn": "That button isn't for this step, so I've left everything as it was.",
    "capture.already": "You're already sharing an idea — let's finish that one first.",
    "resume.lead": "Where we were:",
    "draft.expired": "Your unfinished idea \"{title}\" expired after a while without replies, so I "
                     "discarded it.",
    "draft.untitled": "(untitled)",
    "draft.reminder": "You have an unfinished idea, \"{title}\". Reply to carry on, or say cancel.",
    "error.busy": "Sorry, two messages arrived at once and I couldn't take this one. Please send it again.",
    "admin.not_allowed": "Only admins can use admin commands. Nothing has changed.",
    # Data rights
    "mydata.title": "What I hold about you",
    "mydata.intro": "This is everything the bot stores about you.",
    "mydata.name": "Name",
    "mydata.email": "Email",
    "mydata.account": "Account",
    "mydata.roles": "Roles",
    "mydata.no_roles": "Officer or staff member",
    "mydata.ideas": "Ideas you shared",
    "mydata.draft": "Unfinished idea",
    "mydata.connections": "Introductions you asked for",
    "mydata.decisions": "Decisions you made",
    "mydata.none": "None",
    "mydata.yes": "Yes — say cancel to delete it",
    "mydata.rights": "Say cancel to delete your unfinished idea, or withdraw #NUMBER to take a shared idea out "
                     "of the catalogue and roundups. To have everything deleted, ask your force's innovation "
                     "broker or an admin.",
    "withdraw.done": "Idea #{ref} is withdrawn: it has left the catalogue and roundups. A minimal record of "
                     "the decision stays in the audit trail.",
    "withdraw.not_yours": "I can't find an idea #{ref} of yours to withdraw. Nothing has changed.",
    "withdraw.already": "Idea #{ref} was already withdrawn.",
    # Sensitivity check
    "sensitivity.warning": "Before you submit: this looks like it may contain personal or operational detail "
                           "— {found}. Please use Edit to take it out unless it is safe to share beyond your force.",
    "sensitivity.field": "Sensitivity check",
    "sensitivity.broker_note": "Flagged: {found}. Approving it or escalating it first shows you each item: edit "
                               "it out, or share it as it is with a reason that only brokers, reviewers and the "
                               "audit trail see. Beyond {force} it stays masked unless you share it as it is.",
    "sensitivity.item": "{kind} (\"{text}\")",
    "sensitivity.kind.name": "a name",
    "sensitivity.kind.phone": "a phone number",
    "sensitivity.kind.email": "an email address",
    "sensitivity.kind.postcode": "a postcode",
    "sensitivity.kind.vehicle-registration": "a vehicle registration",
    "sensitivity.kind.reference": "a crime or incident reference",
    "sensitivity.kind.date-of-birth": "a date of birth",
    "sensitivity.kind.ni-number": "a National Insurance number",
    # Shown instead of a person the platform has not told us the name of: never a raw id.
    "person.unnamed": "a colleague (name not shared yet)",
    "person.unnamed_decider": "the innovation team",
    # Choosing a language (Cymraeg / English, iaith / language)
    "language.set": "OK — I'll talk to you in English from now on. (Dywedwch Cymraeg i newid i'r Gymraeg.)",
    "language.ask": "Which language would you like to use? You can change at any time by saying Cymraeg or "
                    "English.",
    "language.offer": "Hoffech chi ddefnyddio'r bot yn Gymraeg? Would you like to use the bot in English?",
    "language.button.cy": "Cymraeg",
    "language.button.en": "English",
}

MESSAGES.update(ROUNDUP_MESSAGES)
MESSAGES.update(PLAYGROUND_MESSAGES)
MESSAGES.update(ROUNDUP_SETUP_MESSAGES)
MESSAGES.update(SHARING_MESSAGES)
MESSAGES.update(SURFACE_MESSAGES)
MESSAGES.update(DASHBOARD_MESSAGES)
MESSAGES.update(EVIDENCE_MESSAGES)
MESSAGES.update(PRACTICE_IMPORT_MESSAGES)
MESSAGES.update(ADMIN_MESSAGES)
MESSAGES.update(REVIEW_MESSAGES)
MESSAGES.update(CONNECT_MESSAGES)
MESSAGES.update(MANIFEST_MESSAGES)
