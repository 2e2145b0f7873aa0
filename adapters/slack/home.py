"""App Home: the person's ideas with their statuses, a button to share one, and a catalogue search box.

The view is rebuilt from the database each time the tab is opened (and after a search), so it always
shows current statuses; nothing about it is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.slack.blocks import ActionIds, Block, button, context, escape, fit, plain, reply_blocks, section
from bot.conversation import views
from bot.domain import IdeaSummary
from bot.i18n import Translator
from bot.replies import Button, ButtonStyle, Reply

SEARCH_ACTION = "home.search"
SEARCH_BLOCK = "home.search"
MAX_HOME_BLOCKS = 100


def home_view(t: Translator, ideas: Sequence[IdeaSummary], query: str = "",
              results: Sequence[Reply] = (), queue: Sequence[Reply] = ()) -> dict[str, Any]:
    ids = ActionIds()
    blocks: list[Block] = [
        {"type": "header", "text": plain(t("home.title"), 150)},
        section(escape(t("home.intro"))),
        {"type": "actions", "elements": [
            button(Button("capture.start", "", t("button.start"), ButtonStyle.PRIMARY), ids)]},
        {"type": "input", "block_id": SEARCH_BLOCK, "dispatch_action": True, "optional": True,
         "label": plain(t("home.search_label"), 2000),
         "element": {"type": "plain_text_input", "action_id": SEARCH_ACTION,
                     "placeholder": plain(t("home.search_hint"), 150),
                     "dispatch_action_config": {"trigger_actions_on": ["on_enter_pressed"]}}},
    ]
    if query:
        for reply in results or views.search_results(t, query[:80], ()):
            blocks += reply_blocks(reply, ids)
    if queue:  # brokers and reviewers: the ideas waiting for their decision, with the decision buttons
        blocks += [{"type": "divider"}, section(fit(t("home.queue"), 200, bold=True))]
        for reply in queue:
            blocks += reply_blocks(reply, ids)
    blocks += [{"type": "divider"}, section(fit(t("home.my_ideas"), 200, bold=True))]
    for reply in views.my_ideas(t, ideas):
        blocks += reply_blocks(reply, ids)
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = [*blocks[:MAX_HOME_BLOCKS - 1], context("…")]
    return {"type": "home", "blocks": blocks}
