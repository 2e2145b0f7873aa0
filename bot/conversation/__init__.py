"""The capture conversation: an explicit, pure state machine (see ``docs/conversation.md``)."""

from bot.conversation.machine import Context, Effect, Limits, Outcome, ShowMyIdeas, SubmitDraft, step
from bot.conversation.state import Draft, State

__all__ = ["Context", "Draft", "Effect", "Limits", "Outcome", "ShowMyIdeas", "State", "SubmitDraft", "step"]
