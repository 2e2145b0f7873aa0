"""English words for roundups (merged into the English catalogue by ``bot/i18n/en.py``)."""

ROUNDUP_MESSAGES: dict[str, str] = {
    "roundup.scope.network": "Innovation network",
    "roundup.title": "{scope} roundup: {period}",
    "roundup.period": "{start} to {end}",
    "roundup.month_short.1": "Jan",
    "roundup.month_short.2": "Feb",
    "roundup.month_short.3": "Mar",
    "roundup.month_short.4": "Apr",
    "roundup.month_short.5": "May",
    "roundup.month_short.6": "Jun",
    "roundup.month_short.7": "Jul",
    "roundup.month_short.8": "Aug",
    "roundup.month_short.9": "Sep",
    "roundup.month_short.10": "Oct",
    "roundup.month_short.11": "Nov",
    "roundup.month_short.12": "Dec",
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
    "roundup.chart.title.theme": "Ideas shared each week, by theme",
    "roundup.chart.title.force": "Ideas shared each week, by force",
    "roundup.chart.other.theme": "Other ideas",
    "roundup.chart.other.force": "Other forces",
    "roundup.chart.week": "{day} {month}",
    "roundup.chart.alt#one": "Bar chart: {title}, for the {count} week from the week starting {first} to the week "
                             "starting {last}; ideas in all: {total}. Ideas each week, oldest first. {series}. "
                             "All together: {totals}.",
    "roundup.chart.alt#other": "Bar chart: {title}, for the {count} weeks from the week starting {first} to the "
                               "week starting {last}; ideas in all: {total}. Ideas each week, oldest first. "
                               "{series}. All together: {totals}.",
    "roundup.chart.alt.series": "{label}: {counts} ({total} in all)",
    "roundup.waiting.title": "Waiting for a broker's decision ({count})",
    "roundup.waiting.item": "#{ref} {title}",
    "roundup.waiting.days#one": "{count} day",
    "roundup.waiting.days#other": "{count} days",
    "roundup.waiting.more": "…and {count} more. Message me “review” to see them all.",
    "roundup.more.title#one": "…and {count} more idea",
    "roundup.more.title#other": "…and {count} more ideas",
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
