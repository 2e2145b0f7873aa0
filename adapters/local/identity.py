"""Who you are in the playground and the console: a name, a force and a role you pick yourself
(``bot/personas.py``; named here too, where the local entry points have always found it)."""

from bot.personas import LOCAL_TENANT, Persona

__all__ = ["LOCAL_TENANT", "Persona"]
