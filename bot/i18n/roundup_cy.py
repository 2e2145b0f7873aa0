"""Welsh words for roundups (merged into the Welsh catalogue by ``bot/i18n/cy.py``; glossary there).

A fluent Welsh speaker must review these before go-live (see the header of ``bot/i18n/cy.py``).
"""

# "roundup.span_noun.*" carry their adjective here ("wythnos dawel" is feminine, "mis tawel" is not),
# because Welsh mutates the adjective by the noun's gender.
ROUNDUP_MESSAGES: dict[str, str] = {
    "roundup.scope.network": "Rhwydwaith arloesi",
    "roundup.title": "{scope} — crynodeb: {period}",
    "roundup.period": "{start} i {end}",
    "roundup.month_short.1": "Ion",
    "roundup.month_short.2": "Chwef",
    "roundup.month_short.3": "Maw",
    "roundup.month_short.4": "Ebr",
    "roundup.month_short.5": "Mai",
    "roundup.month_short.6": "Meh",
    "roundup.month_short.7": "Gorff",
    "roundup.month_short.8": "Awst",
    "roundup.month_short.9": "Medi",
    "roundup.month_short.10": "Hyd",
    "roundup.month_short.11": "Tach",
    "roundup.month_short.12": "Rhag",
    "roundup.span.weekly": "yr wythnos hon",
    "roundup.span.fortnightly": "y pythefnos hwn",
    "roundup.span.monthly": "y mis hwn",
    "roundup.intro": "Syniadau a gymeradwywyd i'w rhannu ar draws y rhwydwaith {span}. Pwyswch “Cysylltwch fi” ar "
                     "unrhyw un ohonynt i gael eich cyflwyno i'r bobl y tu ôl iddo.",
    "roundup.count.ideas": "Syniadau a rannwyd",
    "roundup.count.forces": "Heddluoedd sy'n cymryd rhan",
    "roundup.count.connections": "Cysylltiadau a wnaed",
    "roundup.theme.heading": "{theme} ({count})",
    "roundup.theme.none": "Syniadau eraill",
    "roundup.shared_by": "Wedi'i rannu gan {name}",
    "roundup.connect": "Cysylltwch fi",
    "roundup.similar.title": "Gwaith tebyg ar draws heddluoedd",
    "roundup.similar.intro": "Mae'r heddluoedd hyn yn gweithio ar bethau tebyg, ac efallai y bydden nhw'n hoffi "
                             "cymharu nodiadau.",
    "roundup.similar.side": "{title} ({force})",
    "roundup.similar.pair": "Yn debyg i ‘{title}’ ({force}). Mae'r ddau yn sôn am: {shared}",
    "roundup.similar.pair_overall": "Yn debyg i ‘{title}’ ({force})",
    "roundup.chart.title.theme": "Syniadau a rannwyd bob wythnos, yn ôl thema",
    "roundup.chart.title.force": "Syniadau a rannwyd bob wythnos, yn ôl heddlu",
    "roundup.chart.other.theme": "Syniadau eraill",
    "roundup.chart.other.force": "Heddluoedd eraill",
    "roundup.chart.week": "{day} {month}",
    "roundup.chart.alt#zero": "Siart bar: {title}, dros {count} wythnos o'r wythnos sy'n dechrau {first} i'r "
                              "wythnos sy'n dechrau {last}; cyfanswm y syniadau: {total}. Syniadau bob wythnos, "
                              "yr hynaf yn gyntaf. {series}. I gyd gyda'i gilydd: {totals}.",
    "roundup.chart.alt#one": "Siart bar: {title}, dros {count} wythnos o'r wythnos sy'n dechrau {first} i'r "
                             "wythnos sy'n dechrau {last}; cyfanswm y syniadau: {total}. Syniadau bob wythnos, "
                             "yr hynaf yn gyntaf. {series}. I gyd gyda'i gilydd: {totals}.",
    "roundup.chart.alt#two": "Siart bar: {title}, dros {count} wythnos o'r wythnos sy'n dechrau {first} i'r "
                             "wythnos sy'n dechrau {last}; cyfanswm y syniadau: {total}. Syniadau bob wythnos, "
                             "yr hynaf yn gyntaf. {series}. I gyd gyda'i gilydd: {totals}.",
    "roundup.chart.alt#few": "Siart bar: {title}, dros {count} wythnos o'r wythnos sy'n dechrau {first} i'r "
                             "wythnos sy'n dechrau {last}; cyfanswm y syniadau: {total}. Syniadau bob wythnos, "
                             "yr hynaf yn gyntaf. {series}. I gyd gyda'i gilydd: {totals}.",
    "roundup.chart.alt#many": "Siart bar: {title}, dros {count} wythnos o'r wythnos sy'n dechrau {first} i'r "
                              "wythnos sy'n dechrau {last}; cyfanswm y syniadau: {total}. Syniadau bob wythnos, "
                              "yr hynaf yn gyntaf. {series}. I gyd gyda'i gilydd: {totals}.",
    "roundup.chart.alt#other": "Siart bar: {title}, dros {count} wythnos o'r wythnos sy'n dechrau {first} i'r "
                               "wythnos sy'n dechrau {last}; cyfanswm y syniadau: {total}. Syniadau bob wythnos, "
                               "yr hynaf yn gyntaf. {series}. I gyd gyda'i gilydd: {totals}.",
    "roundup.chart.alt.series": "{label}: {counts} ({total} i gyd)",
    "roundup.waiting.title": "Yn aros am benderfyniad brocer ({count})",
    "roundup.waiting.item": "#{ref} {title}",
    "roundup.waiting.days#zero": "{count} diwrnod",
    "roundup.waiting.days#one": "{count} diwrnod",
    "roundup.waiting.days#two": "{count} ddiwrnod",
    "roundup.waiting.days#few": "{count} diwrnod",
    "roundup.waiting.days#many": "{count} diwrnod",
    "roundup.waiting.days#other": "{count} diwrnod",
    "roundup.waiting.more": "…a {count} arall. Anfonwch neges “adolygu” ataf i'w gweld i gyd.",
    "roundup.more.title#zero": "…a {count} syniad arall",
    "roundup.more.title#one": "…a {count} syniad arall",
    "roundup.more.title#two": "…a {count} syniad arall",
    "roundup.more.title#few": "…a {count} syniad arall",
    "roundup.more.title#many": "…a {count} syniad arall",
    "roundup.more.title#other": "…a {count} syniad arall",
    "roundup.more.body": "Gwelwch bob syniad o'r cyfnod hwn yn y tab Cartref, neu anfonwch neges “chwilio” ataf "
                         "ac yna ychydig eiriau.",
    "roundup.quiet": "{title} — {span_noun}: ni chymeradwywyd unrhyw syniadau newydd ar gyfer y "
                     "rhwydwaith. Oes gennych chi un? Anfonwch neges ataf a byddaf yn eich helpu i'w rannu.",
    "roundup.span_noun.weekly": "wythnos dawel",
    "roundup.span_noun.fortnightly": "pythefnos tawel",
    "roundup.span_noun.monthly": "mis tawel",
    "roundup.failed.admin": "Doeddwn i ddim yn gallu postio crynodeb {period} i {channel}, felly rwyf wedi oedi'r "
                            "tanysgrifiad hwnnw. Dywedodd y platfform: {reason}. Ychwanegwch y bot at y sianel, "
                            "ac yna tanysgrifiwch eto.",
    "roundup.undelivered.admin": "Doeddwn i ddim yn gallu anfon crynodeb {period} i {channel} ar ôl sawl ymgais. "
                                 "Dywedodd y platfform: {reason}. Bydd y crynodeb nesaf yn cael ei anfon fel arfer.",
}
