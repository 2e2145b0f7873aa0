"""How many bytes of Adaptive Card JSON a roundup reply takes: the Teams renderer's budget for the composer.

Teams takes about ``MAX_CARD_BYTES`` of card JSON in one message. ``card_bytes`` estimates a reply
generously: its own text (as ``bot.codec`` JSON) plus ``ELEMENT_OVERHEAD`` for each element it becomes
(``{"type": "TextBlock", "wrap": true, …}``). A chart counts as the largest image ``adapters/teams/cards.py``
attaches, ``CHART_IMAGE_BYTES``, plus its words: a bigger drawing is left out and the words kept, so the
bound always holds.
"""

from __future__ import annotations

import json

from bot.codec import reply_to_json
from bot.replies import Card, Chart, Reply
from bot.roundups.budget import Budget

MAX_CARD_BYTES = 28_000
# What one neutral element (title, body, field, note, button) costs once wrapped as Adaptive Card JSON,
# beyond its own text. Deliberately generous.
ELEMENT_OVERHEAD = 120
# The most a chart's image may add to an Adaptive Card: its PNG as a data URI (base64).
CHART_IMAGE_BYTES = 6_000


def card_bytes(reply: Reply) -> int:
    """Estimated bytes of ``reply`` as Adaptive Card JSON: its own text plus a per-element overhead."""
    encoded = len(json.dumps(reply_to_json(reply), ensure_ascii=False).encode("utf-8"))
    if isinstance(reply, Card):
        elements = 2 + bool(reply.body) + len(reply.fields) + bool(reply.note) + len(reply.buttons)
    elif isinstance(reply, Chart):
        return encoded + CHART_IMAGE_BYTES + 3 * ELEMENT_OVERHEAD  # a container, the image, its words
    else:
        elements = 2
    return encoded + elements * ELEMENT_OVERHEAD


BUDGET = Budget("card bytes", MAX_CARD_BYTES, card_bytes)
