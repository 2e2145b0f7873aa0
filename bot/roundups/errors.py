"""Refusals a person sees when setting up roundups: each carries a catalogue key, so the command line,
chat and tests can say it in English or Welsh. ``str()`` is the English line (logs, the CLI).

    Refusal (ValueError)
    ├── BadSchedule       (schedule.py) a day, time, frequency or period that cannot be read
    ├── BadScope          (content.py)  not network / force:SLUG / theme:SLUG
    └── SubscriptionError (channels.py) setting up a channel; see there for its kinds
"""

from __future__ import annotations

from bot.i18n import Translator


class Refusal(ValueError):
    def __init__(self, message_key: str, /, **params: object) -> None:
        self.key = message_key
        self.params = params
        super().__init__(self.say(Translator("en")))

    def say(self, t: Translator) -> str:
        """The refusal in ``t``'s language: one line for a person."""
        return t(self.key, **self.params)
