"""Welsh refusals for setting up roundups (merged into the Welsh catalogue by ``bot/i18n/cy.py``; glossary there).

A fluent Welsh speaker must review these before go-live (see the header of ``bot/i18n/cy.py``). What an
admin types (``network``, ``force:SLUG``, ``weekly``) stays as typed: it is passed in as a value.
"""

ROUNDUP_SETUP_MESSAGES: dict[str, str] = {
    "roundup.error.channel": "Nid yw {channel} yn sianel ddilys: disgwylir {first} neu {second}",
    "roundup.error.channel_ids": "Nid yw {channel} yn sianel ddilys: disgwylir {first} neu {second} (mae "
                                 "dynodwyr {platform} yn edrych fel {team} a {channel_id})",
    "roundup.error.scope": "Nid yw {scope} yn gwmpas: defnyddiwch {first}, {second} neu {third}",
    "roundup.error.unknown_force": "Heddlu anhysbys {slug}; defnyddiwch enw byr o'r rhestr heddluoedd, e.e. "
                                   "{example}",
    "roundup.error.unknown_theme": "Thema anhysbys {slug}; defnyddiwch enw byr thema, e.e. {example} (eraill: "
                                   "{known})",
    "roundup.error.when": "Methu darllen {text} fel diwrnod ac amser: rhowch ddiwrnod ac amser 24 awr, e.e. "
                          "{example}",
    "roundup.error.day": "Nid yw {day} yn ddiwrnod o'r wythnos: rhowch ddiwrnod ac amser 24 awr, e.e. {example}",
    "roundup.error.time": "Nid yw {text} yn amser: rhowch ddiwrnod ac amser 24 awr, e.e. {example}",
    "roundup.error.frequency": "Nid yw {text} yn amlder: defnyddiwch {first}, {second} neu {third}",
    "roundup.error.month": "Nid yw {period} yn fis: mae enwau crynodebau misol fel {example}",
    "roundup.error.week": "Nid yw {period} yn wythnos: mae enwau crynodebau wythnosol fel {example}",
    "roundup.error.no_such_week": "Nid yw {period} yn wythnos yn {year}",
    "roundup.error.fortnight": "Nid yw'r amserlen bob pythefnos hon yn rhedeg yn {period}; rhowch gynnig ar {nearby}",
    "roundup.error.not_subscribed": "Nid yw {channel} wedi tanysgrifio i grynodebau; tanysgrifiwch hi yn gyntaf "
                                    "gyda {command}",
    "roundup.error.paused": "Mae tanysgrifiad {channel} wedi'i oedi ({reason}); tanysgrifiwch eto i ailddechrau",
    "roundup.error.paused_no_reason": "Mae tanysgrifiad {channel} wedi'i oedi (dim rheswm wedi'i roi); "
                                      "tanysgrifiwch eto i ailddechrau",
}
