"""English refusals for setting up roundups: a channel, its scope and schedule (``bot/roundups/errors.py``).

Merged into the English catalogue by ``bot/i18n/en.py``. What an admin types (``network``,
``force:SLUG``, ``slack:TEAM_ID:CHANNEL_ID``, ``weekly``) is passed in as a value, never translated.
"""

ROUNDUP_SETUP_MESSAGES: dict[str, str] = {
    "roundup.error.channel": "malformed channel {channel}: expected {first} or {second}",
    "roundup.error.channel_ids": "malformed channel {channel}: expected {first} or {second} ({platform} ids look "
                                 "like {team} and {channel_id})",
    "roundup.error.scope": "{scope} is not a scope: use {first}, {second} or {third}",
    "roundup.error.unknown_force": "unknown force {slug}; use a slug from the forces list, e.g. {example}",
    "roundup.error.unknown_theme": "unknown theme {slug}; use a theme slug, e.g. {example} (others: {known})",
    "roundup.error.when": "can't read {text} as a day and time: use a day and a 24-hour time, e.g. {example}",
    "roundup.error.day": "{day} is not a day of the week: use a day and a 24-hour time, e.g. {example}",
    "roundup.error.time": "{text} is not a time: use a day and a 24-hour time, e.g. {example}",
    "roundup.error.frequency": "{text} is not a frequency: use {first}, {second} or {third}",
    "roundup.error.month": "{period} is not a month: monthly roundups are named like {example}",
    "roundup.error.week": "{period} is not an ISO week: weekly roundups are named like {example}",
    "roundup.error.no_such_week": "{period} is not a week of {year}",
    "roundup.error.fortnight": "this fortnightly schedule does not run in {period}; try {nearby}",
    "roundup.error.not_subscribed": "{channel} is not subscribed to roundups; subscribe it first with {command}",
    "roundup.error.paused": "{channel}'s subscription is paused ({reason}); subscribe it again to resume",
    "roundup.error.paused_no_reason": "{channel}'s subscription is paused (no reason given); subscribe it again "
                                      "to resume",
}
