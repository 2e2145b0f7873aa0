"""``/innovation <word> …``: what the word asks the core for, as the chat message the core understands."""

from __future__ import annotations

# Anything not listed gets the help, privately.
_INNOVATION = {"": "help", "help": "help", "status": "status", "ideas": "status", "search": "search",
               "cancel": "cancel", "queue": "queue", "admin": "admin", "withdraw": "withdraw", "data": "my data"}
_WITH_ARGUMENTS = ("search", "admin", "withdraw")


def innovation_words(words: str) -> str | None:
    """The message for the core (``/innovation search drones`` → ``search drones``), or None for a word
    the command does not know."""
    sub, _, rest = words.partition(" ")
    command = _INNOVATION.get(sub.lower())
    if sub.lower() == "my" and rest.lower().strip() in ("idea", "ideas"):
        command = "status"
    if sub.lower() == "my" and rest.lower().strip() == "data":
        command = "my data"
    if command is None:
        return None
    return f"{command} {rest}".strip() if command in _WITH_ARGUMENTS else command
