"""A neutral ``Form`` as a Slack modal, and the modal's answers back as the form's inputs by name.

Slack's text boxes hold 3,000 characters, so a longer text (an idea's description may run to 4,000) is
shown in several boxes, ``name~0``, ``name~1``, and joined again on the way back: never cut.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.slack.blocks import escape, plain, section
from bot.i18n import Translator
from bot.replies import Form

INPUT_CHARS = 3000  # Slack's limit for a plain_text_input's value and initial value
PART = "~"


def form_view(form: Form, callback_id: str, private_metadata: str, t: Translator) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [section(escape(form.intro))]
    for box in form.inputs:
        pieces = [box.value[i:i + INPUT_CHARS] for i in range(0, len(box.value), INPUT_CHARS)] or [""]
        for n, piece in enumerate(pieces):
            element: dict[str, Any] = {"type": "plain_text_input", "action_id": f"{box.name}{PART}{n}",
                                       "multiline": box.multiline, "max_length": INPUT_CHARS}
            if piece:
                element["initial_value"] = piece
            label = box.label if n == 0 else t("modal.form.continued", label=box.label)
            block: dict[str, Any] = {"type": "input", "block_id": f"{box.name}{PART}{n}",
                                     "label": plain(label, 2000), "element": element,
                                     "optional": not box.required or n > 0}
            if box.hint and n == 0:
                block["hint"] = plain(box.hint, 2000)
            blocks.append(block)
    return {"type": "modal", "callback_id": callback_id, "private_metadata": private_metadata,
            "title": plain(form.title, 24), "submit": plain(form.submit, 24),
            "close": plain(t("modal.close"), 24), "blocks": blocks}


def form_answers(values: Mapping[str, str]) -> dict[str, str]:
    """The submitted boxes (by action id) as the form's inputs by name, split boxes joined in order."""
    parts: dict[str, list[tuple[int, str]]] = {}
    for key, text in values.items():
        name, _, n = key.partition(PART)
        parts.setdefault(name, []).append((int(n) if n.isdigit() else 0, text))
    return {name: "".join(text for _, text in sorted(pieces)) for name, pieces in parts.items()}
