"""English words for roundups (merged into the English catalogue by ``bot/i18n/en.py``)."""

ROUNDUP_MESSAGES: dict[str, str] = {
    "roundup.scope.network": "Innovation network",
    "roundup.title": "{scope} roundup: {period}",
    "roundup.period": "{start} to {end}",
    "roundup.date": "{day} {month} {year}",
    "roundup.month.1": "January",
    "roundup.month.2": "February",
    "roundup.month.3": "March",
    "roundup.month.4": "April",
    "roundup.month.5": "May",
    "roundup.month.6": "June",
    "roundup.month.7": "July",
    "roundup.month.8": "August",
    "roundup.month.9": "September",
    "roundup.month.10": "October",
    "roundup.month.11": "November",
    "roundup.month.12": "December",
    "roundup.span.weekly": "this week",
    "roundup.span.fortnightly": "this fortnight",
    "roundup.span.monthly": "this month",
    "roundup.intro": "Ideas approved for sharing across the network {span}. Press “Connect me” on any of them "
                     "to be introduced to the people behind it.",
    "roundup.count.ideas": "Ideas shared",
    "roundup.count.forces": "Forces taking part",
    "roundup.count.connections": "Connections made",
    "roundup.theme.heading": "{theme} ({count})",
    "roundup.theme.none": "Other ideas",
    "roundup.shared_by": "Shared by {name}",
    "roundup.connect": "Connect me",
    "roundup.similar.title": "Similar work across forces",
    "roundup.similar.intro": "These forces are working on similar things and may want to compare notes.",
    "roundup.similar.side": "{title} ({force})",
    "roundup.similar.pair": "Similar to {title} ({force}). Both mention: {shared}",
    "roundup.similar.pair_overall": "Similar to {title} ({force})",
    "roundup.waiting.title": "Waiting for a broker's decision ({count})",
    "roundup.waiting.item": "#{ref} {title}",
    "roundup.waiting.days": "{days} days",
    "roundup.waiting.more": "…and {count} more. Message me “review” to see them all.",
    "roundup.more.title": "…and {count} more ideas",
    "roundup.more.body": "See every idea from this period in the bot's Home tab, or message me “search” "
                         "followed by a few words.",
    "roundup.quiet": "{title} — a quiet {span_noun}: no new ideas were approved for the network. Got one? "
                     "Message me and I'll help you share it.",
    "roundup.span_noun.weekly": "week",
    "roundup.span_noun.fortnightly": "fortnight",
    "roundup.span_noun.monthly": "month",
    "roundup.failed.admin": "I couldn't post the {period} roundup to {channel}, so I've paused that "
                            "subscription. The platform said: {reason}. Add the bot to the channel, then "
                            "subscribe it again.",
    "roundup.undelivered.admin": "I couldn't deliver the {period} roundup to {channel} after several tries. "
                                 "The platform said: {reason}. The next roundup will be tried as usual.",
}
