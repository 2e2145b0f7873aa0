"""Roundups: one post of a period's highlights to each subscribed channel, at most one per (channel, period).

    schedule.py       when roundups are due: "mon 09:00", weekly / fortnightly / monthly, period keys
    channels.py       which channel (``slack:T…:C…``), and the errors a person sees setting one up
    subscriptions.py  the rules for subscribing a channel and reading a subscription back
    planning.py       which roundups a run posts, over which window
    period.py         what a period holds (read once per run) and who may be named
    content.py        the values a roundup is made of; similar.py: similar work across forces
    chart.py          the weekly chart's figures and words
    compose.py        the replies, within the renderers' budgets (budget.py)
    service.py        claim, compose, queue through the outbox; delivery.py: what happened next
    channels_service.py  subscribing channels, and reading what the playground's channel got
    ports.py          what this needs from storage (``UnitOfWork.subscriptions`` and ``.roundups``)

The clock (``scheduler/roundups.py``), ``innovation-bot roundup`` and the playground only call in here.
"""
