"""Property test: any sequence of messages and clicks keeps the conversation sound."""

from __future__ import annotations

import json
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.conversation import Draft, State, SubmitDraft
from bot.conversation.state import EDITABLE_FIELDS
from bot.domain import Stage
from tests.bot.dialogue import FORCES, THEMES, Dialogue

WORDS = ["I've got an idea", "help", "cancel", "status", "my ideas", "search drones", "submit", "edit", "yes",
         "kent", "the met", "north", "1", "4", "title", "theme", "", "   ", "/weird",
         "We use drones to search for missing people in rural areas at night.",
         "It saves hours of searching on foot and finds people faster.",
         "x" * 5000]
PAYLOADS = ([s.value for s in Stage] + [f.slug for f in FORCES[:5]] + [th.slug for th in THEMES[:3]]
            + list(EDITABLE_FIELDS) + ["", "bogus|value", "🚓"])
ACTIONS = ["capture.start", "capture.stage", "capture.force", "capture.theme", "capture.submit",
           "capture.edit", "capture.edit-field", "capture.cancel", "review.approve", "nonsense"]

message = st.tuples(st.just("say"), st.one_of(st.sampled_from(WORDS), st.text(max_size=300)))
click = st.tuples(st.just("click"), st.tuples(st.sampled_from(ACTIONS), st.sampled_from(PAYLOADS),
                                              st.booleans()))
wait = st.tuples(st.just("wait"), st.integers(min_value=0, max_value=100))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(message, click, wait), max_size=25), st.sampled_from([None, "kent"]))
def test_random_event_sequences_keep_invariants(steps: list[tuple[str, object]], force: str | None) -> None:
    d = Dialogue(person_force=force)
    for kind, arg in steps:
        submitted_before = sum(isinstance(e, SubmitDraft) for e in d.effects)
        effects_before = len(d.effects)
        state_before = d.state
        if kind == "wait":
            d.now += timedelta(hours=arg)  # type: ignore[operator]
            continue
        if kind == "say":
            replies = d.say(arg)  # type: ignore[arg-type]
        else:
            action_id, payload, current = arg  # type: ignore[misc]
            draft_id = d.draft.draft_id if (current and d.draft) else "stale"
            replies = d.click(action_id, f"{draft_id}|{payload}")
        # Every event gets an answer, or an effect whose result the service shows (submit, my ideas).
        submitted_now = sum(isinstance(e, SubmitDraft) for e in d.effects) - submitted_before
        assert replies or len(d.effects) > effects_before
        assert submitted_now <= 1
        if submitted_now:
            assert state_before is State.CONFIRMING or state_before is State.AWAITING_FORCE
            effect = d.effects[-1]
            assert isinstance(effect, SubmitDraft)
            assert effect.draft.force in {f.slug for f in FORCES}
            assert effect.draft.stage in {s.value for s in Stage}
            assert effect.draft.title and effect.draft.description
        # A draft exists exactly when a conversation is in flight, and always survives JSON.
        assert (d.state is State.IDLE) == (d.draft is None)
        if d.draft is not None:
            assert Draft.from_json(json.loads(json.dumps(d.draft.to_json()))) == d.draft
            assert len(d.draft.description) <= d.limits.max_message_chars
        if d.state is State.AWAITING_EDIT:
            assert d.draft is not None and d.draft.editing in EDITABLE_FIELDS
