"""English words for the Teams app package: the manifest's names, descriptions and command list (merged by
``bot/i18n/en.py``)."""

MANIFEST_MESSAGES: dict[str, str] = {
    "manifest.name.short": "Innovation Network",
    "manifest.name.full": "Police Innovation Sharing Network",
    "manifest.description.short": "Share a local idea with the national police innovation network in a minute.",
    "manifest.description.full": "Tell the bot about an idea or a piece of local practice in a few messages. It "
                                 "shows you similar work already shared by other forces, sends your idea to your "
                                 "force's innovation broker, and tells you what they decide. Brokers decide on "
                                 "ideas with buttons and are reminded when ideas wait; network channels get a weekly "
                                 "roundup. Say help to see what it can do; search finds work in the network's "
                                 "catalogue.",
    "manifest.command.idea.title": "idea",
    "manifest.command.idea.description": "Share an idea or a piece of local practice",
    "manifest.command.status.title": "status",
    "manifest.command.status.description": "What happened to the ideas you shared",
    "manifest.command.search.title": "search",
    "manifest.command.search.description": "Search the network's catalogue, e.g. search drones",
    "manifest.command.queue.title": "queue",
    "manifest.command.queue.description": "Brokers and reviewers: the ideas waiting for your decision",
    "manifest.command.my data.title": "my data",
    "manifest.command.my data.description": "Everything the bot holds about you",
    "manifest.command.cancel.title": "cancel",
    "manifest.command.cancel.description": "Drop the idea you are writing",
    "manifest.command.help.title": "help",
    "manifest.command.help.description": "What the bot can do",
    "manifest.activity.newIdea.description": "A new idea from your force is waiting for review",
    "manifest.activity.newIdea.templateText": "New idea from {force}: {title}",
}
