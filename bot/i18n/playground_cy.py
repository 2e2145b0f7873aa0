"""Welsh words for the playground page (merged into the Welsh catalogue by ``bot/i18n/cy.py``; glossary there).

A fluent Welsh speaker must review these before go-live (see the header of ``bot/i18n/cy.py``).
"""

PLAYGROUND_MESSAGES: dict[str, str] = {
    "playground.title": "Bot y Rhwydwaith Arloesi — man chwarae",
    "playground.heading": "Bot y Rhwydwaith Arloesi",
    "playground.tag": "man chwarae",
    "playground.intro": "Rhowch gynnig ar y bot fel swyddog, brocer neu adolygydd. Mae popeth yma'n cael ei "
                        "gadw yn y gronfa ddata leol.",
    "playground.skip": "Neidio i'r blwch neges",
    "playground.who": "Pwy ydych chi?",
    "playground.name": "Eich enw",
    "playground.role": "Rôl",
    "playground.role.officer": "Swyddog neu aelod o staff",
    "playground.role.broker": "Brocer arloesi",
    "playground.role.reviewer": "Adolygydd cenedlaethol",
    "playground.role.admin": "Gweinyddwr",
    "playground.force": "Heddlu",
    "playground.force.unset": "Heb ei osod — bydd y bot yn gofyn",
    "playground.language_hint": "Beth mae'r bot yn ei ddweud wrthych, a beth mae'n ei anfon atoch wedyn. Gallwch "
                                "hefyd ddweud Cymraeg neu English yn y sgwrs.",
    "playground.persona_hint": "Mae newid pwy ydych chi'n dechrau golwg sgwrs newydd; mae eich sgwrs gyda'r bot "
                               "yn cael ei chadw.",
    "playground.chat": "Sgwrsio gyda'r bot",
    "playground.log": "Sgwrs",
    "playground.message": "Neges",
    "playground.placeholder": "Rhowch gynnig ar: Mae gen i syniad",
    "playground.send": "Anfon",
    "playground.composer_hint": "Mae Enter yn anfon; mae Shift+Enter yn ychwanegu llinell newydd. Rhowch gynnig "
                                "ar cymorth, statws neu chwilio dronau.",
    "playground.channel": "Sianel y rhwydwaith",
    "playground.channel_hint": "Mae crynodebau wythnosol o syniadau'r rhwydwaith yn ymddangos yma, fel y bydden "
                               "nhw mewn sianel ar eich platfform sgwrsio.",
    "playground.no_roundups": "Dim crynodebau eto.",
    "playground.roundup": "Crynodeb {period}",
    "playground.you": "Chi",
    "playground.bot": "Bot",
    "playground.bot_message": "Bot (neges)",
    "playground.cancel": "Canslo",
    "playground.choose": "Dewis",
    "playground.choose_first": "Dewiswch un o'r rhestr yn gyntaf.",
    "playground.reason_label": "{action} — rheswm (bydd y swyddog yn gweld hwn)",
    "playground.reason_send": "Anfon",
    "playground.chart_table": "Dangos y ffigurau fel tabl",
    "playground.chart_week": "Wythnos yn dechrau",
    "playground.chart_all": "Y cyfan",
    "playground.error": "Atebodd y bot gyda gwall ({status}). Rhowch gynnig arall arni.",
    "playground.now": "Chi yw {name} ({role}) nawr. Cafodd golwg y sgwrs ei chlirio; mae eich sgwrs gyda'r bot "
                      "yn cael ei chadw.",
    "playground.is_officer": "Mae {name} yn sgwrsio fel {role}.",
    "playground.is_broker": "{name} yw'r brocer arloesi ar gyfer {force}.",
    "playground.is_reviewer": "Mae {name} yn adolygydd cenedlaethol.",
    "playground.is_admin": "Mae {name} yn weinyddwr.",
}
