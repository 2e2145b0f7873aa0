"""The playground page's own words (labels, hints, status lines), merged into the English catalogue.

The page asks for them through ``/playground/api/setup`` and shows them in the persona's language, so a
Welsh-speaking tester meets a Welsh page, not only Welsh replies."""

PLAYGROUND_MESSAGES: dict[str, str] = {
    "playground.title": "Innovation Network Bot — playground",
    "playground.heading": "Innovation Network Bot",
    "playground.tag": "playground",
    "playground.intro": "Try the bot as an officer, a broker or a reviewer. Everything here is stored in the "
                        "local database.",
    "playground.skip": "Skip to the message box",
    "playground.who": "Who are you?",
    "playground.name": "Your name",
    "playground.role": "Role",
    "playground.role.officer": "Officer or staff member",
    "playground.role.broker": "Innovation broker",
    "playground.role.reviewer": "National reviewer",
    "playground.role.admin": "Admin",
    "playground.force": "Force",
    "playground.force.unset": "Not set — the bot will ask",
    "playground.language_hint": "What the bot says to you, and what it sends you later. You can also say "
                                "Cymraeg or English in the chat.",
    "playground.persona_hint": "Changing who you are starts a fresh chat view; your conversation with the bot "
                               "is kept.",
    "playground.chat": "Chat with the bot",
    "playground.log": "Conversation",
    "playground.message": "Message",
    "playground.placeholder": "Try: I've got an idea",
    "playground.send": "Send",
    "playground.composer_hint": "Enter sends; Shift+Enter adds a new line. Try help, status or search drones.",
    "playground.channel": "Network channel",
    "playground.channel_hint": "Weekly roundups of the network's ideas land here, as they would in a channel "
                               "of your chat platform.",
    "playground.no_roundups": "No roundups yet.",
    "playground.roundup": "Roundup {period}",
    "playground.you": "You",
    "playground.bot": "Bot",
    "playground.bot_message": "Bot (message)",
    "playground.cancel": "Cancel",
    "playground.choose": "Choose",
    "playground.choose_first": "Please choose one from the list first.",
    "playground.reason_label": "{action} — reason (the officer will see this)",
    "playground.reason_send": "Send",
    "playground.chart_table": "Show the figures as a table",
    "playground.chart_week": "Week starting",
    "playground.chart_all": "All",
    "playground.error": "The bot answered with an error ({status}). Please try again.",
    "playground.now": "You are now {name} ({role}). The chat view was cleared; your conversation with the bot "
                      "is kept.",
    "playground.is_officer": "{name} is chatting as {role}.",
    "playground.is_broker": "{name} is the innovation broker for {force}.",
    "playground.is_reviewer": "{name} is a national reviewer.",
    "playground.is_admin": "{name} is an admin.",
}
