"""English message catalogue. Keys are stable; a translation copies this dict and changes the values."""

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
    # Similar work
    "similar.intro": "Similar work already in the network ({count}) — you may want to compare notes:",
    "match.why": "Why similar",
    "match.why_overall": "similar overall wording",
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
    "button.submit": "Submit",
    "button.edit": "Edit",
    "button.cancel": "Cancel",
    "button.start": "Share an idea",
    "edit.which": "What would you like to change?",
    "edit.pick": "Please pick the part you'd like to change.",
    "edit.send_new": "Send me the new {field}. At the moment it says: {current}",
    "confirm.use_buttons": "Use Submit to send it, Edit to change something, or Cancel. Here it is again:",
    # Submission
    "submitted.thanks": "Submitted — thank you! Your reference is #{ref}.",
    "submitted.brokers": "{names}, the innovation broker for {force}, will look at it and I'll tell you "
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
        "• search <words> — look through the catalogue\n"
        "• cancel — drop the idea you're writing\n"
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
}
