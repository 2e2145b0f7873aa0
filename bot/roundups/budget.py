"""How big one roundup message may be: each platform's renderer hands the composer a ``Budget``.

The composer knows no platform. A renderer says what one reply costs once rendered (in its own unit:
Block Kit blocks, Adaptive Card bytes, …) and how much one message may hold; the composer keeps adding
ideas while every budget it was given still has room. The renderers that supply them live beside the
code that renders (``adapters/slack/roundup_blocks.py``, ``adapters/teams/roundup_card.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.replies import Reply

Measure = Callable[[Reply], int]


@dataclass(frozen=True)
class Budget:
    """At most ``limit`` of ``measure`` in one message. ``measure`` must be an upper bound of the real
    rendered size and count every reply as at least one unit (the composer relies on both)."""

    name: str  # for logs and tests: "blocks", "card bytes"
    limit: int
    measure: Measure

    def total(self, replies: Sequence[Reply]) -> int:
        return sum(self.measure(r) for r in replies)

    def halved(self) -> Budget:
        """Half the room: each half of a bilingual post gets one, so together they still fit one message."""
        return Budget(self.name, self.limit // 2, self.measure)
