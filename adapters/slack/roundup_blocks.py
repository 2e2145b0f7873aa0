"""How many Block Kit blocks a roundup reply takes: the Slack renderer's budget for the roundup composer.

Slack takes at most ``MAX_BLOCKS`` blocks in one message. ``blocks`` is an upper bound for what
``adapters/slack/blocks.py`` renders: a card's title, body, note and row of buttons each take one
block, as do every ten short fields and each field longer than ``SHORT_FIELD_CHARS`` (or with a line
break); a Text or a chart (an image block, or a context block of its words) takes one.
"""

from __future__ import annotations

import math

from bot.replies import Card, Chart, Reply, Text
from bot.roundups.budget import Budget

MAX_BLOCKS = 50
FIELDS_PER_SECTION = 10
SHORT_FIELD_CHARS = 120  # a longer field value (or one with a line break) takes a section of its own
BUTTONS_PER_ACTIONS = 25


def blocks(reply: Reply) -> int:
    """Block Kit blocks a plain renderer needs for ``reply`` (an upper bound; see the module note)."""
    if isinstance(reply, Card):
        long = sum(1 for f in reply.fields if len(f.value) > SHORT_FIELD_CHARS or "\n" in f.value)
        short = len(reply.fields) - long
        return (1 + (1 if reply.body else 0) + long + math.ceil(short / FIELDS_PER_SECTION)
                + (1 if reply.note else 0) + math.ceil(len(reply.buttons) / BUTTONS_PER_ACTIONS))
    if isinstance(reply, Text | Chart):
        return 1
    return 2  # Choices: a prompt and an actions block


BUDGET = Budget("blocks", MAX_BLOCKS, blocks)
