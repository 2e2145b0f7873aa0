"""Welsh words of the chat surfaces: the home page, modal forms, pointers to the private chat (merged into
the Welsh catalogue by ``bot/i18n/cy.py``; glossary there).

A fluent Welsh speaker must review these before go-live (see the header of ``bot/i18n/cy.py``).
"""

SURFACE_MESSAGES: dict[str, str] = {
    "chat.use_personal": "Helo! Mae syniadau'n cael eu rhannu mewn sgwrs breifat gyda mi, fel nad oes dim "
                         "yn cael ei bostio yma cyn eich bod yn barod. Agorwch sgwrs gyda'r ap Rhwydwaith "
                         "Arloesi i ddechrau.",
    "home.title": "Rhwydwaith arloesi",
    "home.intro": "Rhannwch syniad neu ddarn o arfer lleol gyda brocer arloesi eich heddlu a'r rhwydwaith "
                  "cenedlaethol. Dywedwch wrthyf amdano yn y tab Negeseuon, neu pwyswch y botwm.",
    "home.search_label": "Chwilio'r catalog",
    "home.search_hint": "Er enghraifft: dronau pobl ar goll",
    "home.my_ideas": "Eich syniadau",
    "home.queue": "Yn aros am eich penderfyniad",
    "mention.prompt": "Fe wnaethoch fy enwi mewn sianel. Mae'n well rhannu syniadau yma, rhyngom ni: "
                      "dywedwch wrthyf beth rydych wedi'i wneud neu am roi cynnig arno, mewn brawddeg neu "
                      "ddwy, neu pwyswch y botwm.",
    "pointer.direct_chat": "Rwyf wedi anfon neges uniongyrchol atoch, felly gadewch i ni barhau yno.",
    "refused.other_organisation": "Mae'n ddrwg gennyf, dim ond pobl yn y gweithle yr anfonwyd hwn ato sy'n "
                                  "gallu ei ddefnyddio. Does dim wedi newid.",
    "click.picked": "✓ {label}",
    "modal.edit.title": "Golygu eich syniad",
    "modal.edit.save": "Cadw",
    "modal.close": "Canslo",
    "modal.reason.title": "Ychwanegu rheswm",
    "modal.reason.send": "Anfon",
    "modal.reason.label": "Rheswm (bydd y swyddog yn ei weld)",
}
