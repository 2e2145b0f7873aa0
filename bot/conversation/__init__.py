"""The capture conversation: an explicit, pure state machine (see ``docs/conversation.md``)."""

from bot.conversation.machine import step
from bot.conversation.state import Draft, State
from bot.conversation.types import (
    AdminCommand,
    Context,
    Effect,
    Limits,
    Outcome,
    ProvideInfo,
    SetLanguage,
    ShowMyData,
    ShowMyIdeas,
    ShowQueue,
    SimilarFinder,
    SubmitDraft,
    Withdraw,
)

__all__ = ["AdminCommand", "Context", "Draft", "Effect", "Limits", "Outcome", "ProvideInfo", "SetLanguage",
           "ShowMyData",
           "ShowMyIdeas", "ShowQueue", "SimilarFinder", "State", "SubmitDraft", "Withdraw", "step"]
