"""English words for connect me: asking to be put in touch with the people behind an idea, and their answer
(merged by ``bot/i18n/en.py``)."""

CONNECT_MESSAGES: dict[str, str] = {
    "connect.button": "Connect me",
    "connect.unavailable": "Sorry, that idea is no longer in the catalogue, so I can't introduce you.",
    "connect.own_idea": "That's your own idea!",
    "connect.already": "You've already asked to connect about \"{title}\" — I'll let you know when they answer.",
    "connect.no_contact": "\"{title}\" came from the national catalogue without a contact, sorry.",
    "connect.published_contact": "\"{title}\" ({force}) lists this contact: {contact}",
    "connect.asked": "I've asked the people behind \"{title}\" ({force}) whether they'd like to connect. "
                     "I'll tell you what they say.",
    "connect.request_title": "Someone would like to connect",
    "connect.request_body": "They're working on something similar and would like to compare notes. If you say "
                            "yes, I'll share your name, force and email with each other.",
    "connect.who": "Who",
    "connect.who_value": "{name} ({force})",
    "connect.about": "About your idea",
    "connect.yes": "Yes, introduce us",
    "connect.no": "Not now",
    "connect.not_yours": "Sorry, that request isn't yours to answer. Nothing has changed.",
    "connect.answered": "You've already answered that request.",
    "connect.declined_kindly": "The people behind \"{title}\" can't connect just now — that's no reflection on "
                               "your idea. Do keep sharing it.",
    "connect.declined_ok": "No problem — I've let them know kindly.",
    "connect.meet": "Good news: meet the people behind \"{title}\"",
    "connect.meet_asker": "Here's who asked about \"{title}\" — I've sent them your details too",
    "connect.group_intro": "{asker}, meet {contact}: you're both working on something like \"{title}\". Over "
                           "to you — I'll leave you to it.",
    "connect.name": "Name",
    "connect.email": "Email",
}
