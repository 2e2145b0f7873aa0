"""Words of the chat surfaces around the conversation: the home page, modal forms, and pointers to the
private chat (merged into the English catalogue by ``bot/i18n/en.py``). Each platform adapter renders them
where its platform has such a surface."""

SURFACE_MESSAGES: dict[str, str] = {
    "chat.use_personal": "Hello! Ideas are shared in a personal chat with me, so that nothing is posted "
                         "here before you're ready. Open a chat with the Innovation Network app to start.",
    "home.title": "Innovation network",
    "home.intro": "Share an idea or a piece of local practice with your force's innovation broker and the "
                  "national network. Tell me about it in the Messages tab, or press the button.",
    "home.search_label": "Search the catalogue",
    "home.search_hint": "For example: drones missing persons",
    "home.my_ideas": "Your ideas",
    "home.queue": "Waiting for your decision",
    "mention.prompt": "You mentioned me in a channel. Ideas are best shared here, just between us: tell me "
                      "what you've done or want to try, in a sentence or two, or press the button.",
    "pointer.direct_chat": "I've sent you a direct message, so let's carry on there.",
    "refused.other_organisation": "Sorry, only people in the workspace this was sent to can use it. Nothing has "
                                  "changed.",
    "click.picked": "✓ {label}",
    "modal.edit.title": "Edit your idea",
    "modal.edit.save": "Save",
    "modal.close": "Cancel",
    "modal.reason.title": "Add a reason",
    "modal.reason.send": "Send",
    "modal.reason.label": "Reason (the officer will see it)",
}
