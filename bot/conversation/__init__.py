"""The capture conversation: an explicit, pure state machine (see ``docs/conversation.md``)."""

from bot.conversation.machine import (
    AdminCommand,
    Context,
    Effect,
    Limits,
    Outcome,
    ProvideInfo,
    ShowMyData,
    ShowMyIdeas,
    ShowQueue,
    SubmitDraft,
    Withdraw,
    step,
)
from bot.conversation.state import Draft, State

__all__ = ["AdminCommand", "Context", "Draft", "Effect", "Limits", "Outcome", "ProvideInfo", "ShowMyData",
           "ShowMyIdeas", "ShowQueue", "State", "SubmitDraft", "Withdraw", "step"]
