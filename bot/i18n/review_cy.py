"""Welsh words for the broker's review: cards, decisions, reasons, queues and reminders (merged into the
catalogue by ``bot/i18n/cy.py``).

A fluent Welsh speaker must review these before go-live (see the header of ``bot/i18n/cy.py``)."""

REVIEW_MESSAGES: dict[str, str] = {
    "review.card_intro": "Syniad newydd i chi ei adolygu. Bydd y swyddog yn clywed beth rydych yn ei benderfynu.",
    "review.unknown_submitter": "(wedi'i fewnforio)",
    "review.anonymous_to_peers": "{name} (dienw i gymheiriaid: fydd heddluoedd eraill ddim yn gweld yr enw)",
    "review.submitted_by": "Wedi'i gyflwyno gan",
    "review.more_info": "Rhagor o wybodaeth gan y swyddog",
    "review.similar": "Gwaith tebyg sydd eisoes yn y rhwydwaith",
    "review.likely_duplicate": "dyblygiad tebygol",
    "review.reason": "Rheswm",
    "review.button.approve-network": "Cymeradwyo ar gyfer y rhwydwaith",
    "review.button.approve-local": "Cymeradwyo i'w ddefnyddio'n lleol",
    "review.button.ask-info": "Gofyn am ragor o wybodaeth",
    "review.button.decline": "Gwrthod",
    "review.button.escalate": "Uwchgyfeirio i'w brofi'n genedlaethol",
    "review.button.national-disseminate": "Rhannu'n genedlaethol",
    "review.button.national-test": "Dewis i'w brofi'n genedlaethol",
    "review.outcome.approve-network": "wedi'i gymeradwyo ar gyfer y rhwydwaith",
    "review.outcome.approve-local": "wedi'i gymeradwyo i'w ddefnyddio'n lleol",
    "review.outcome.ask-info": "wedi'i anfon yn ôl gyda chwestiwn",
    "review.outcome.decline": "wedi'i wrthod",
    "review.outcome.escalate": "wedi'i uwchgyfeirio i'r tîm cenedlaethol",
    "review.outcome.national-disseminate": "wedi'i ddewis i'w rannu'n genedlaethol",
    "review.outcome.national-test": "wedi'i ddewis i'w brofi'n genedlaethol",
    "review.decided_by": "Penderfyniad: {outcome} gan {name} ar {date}.",
    "review.done": "Wedi'i wneud — mae #{ref} nawr {status}. Mae'r swyddog wedi cael gwybod.",
    "review.not_allowed": "Mae'n ddrwg gennyf, dim ond brocer {force}, adolygydd cenedlaethol neu weinyddwr "
                          "sy'n gallu penderfynu ar y syniad hwn. Does dim wedi newid.",
    "review.own_idea": "Allwch chi ddim penderfynu ar eich syniad eich hun — bydd brocer arall neu'r tîm "
                       "cenedlaethol yn gwneud hynny. Does dim wedi newid.",
    "review.reason_needed": "Ychwanegwch reswm byr — bydd y swyddog yn ei weld. Does dim wedi newid eto.",
    "review.reason_too_long": "Mae'r rheswm hwnnw'n {length} nod o hyd; cadwch ef o dan {limit}. Does dim "
                              "wedi newid eto.",
    "review.not_found": "Alla i ddim dod o hyd i syniad #{ref} mwyach — efallai ei fod wedi'i dynnu'n ôl. Does "
                        "dim wedi newid.",
    "review.stale": "Mae'r cerdyn hwnnw wedi dyddio, felly rwyf wedi gadael popeth fel yr oedd. Dyma'r syniad "
                    "fel y mae nawr:",
    "review.already_decided": "Roedd #{ref} eisoes {outcome} gan {name} ar {date}. Does dim wedi newid.",
    "review.already_changed": "Mae #{ref} eisoes wedi symud ymlaen: mae nawr {status}. Does dim wedi newid.",
    "review.told.headline": "Newyddion am eich syniad #{ref} \"{title}\": mae {outcome} gan {name}.",
    "review.told.reason": "Eu nodyn: {reason}",
    "review.next.approve-network": "Mae nawr yng nghatalog y rhwydwaith, felly gall swyddogion mewn heddluoedd "
                                   "eraill ddod o hyd iddo a gofyn am gysylltu â chi.",
    "review.next.approve-local": "Bydd eich heddlu yn bwrw ymlaen ag ef yn lleol.",
    "review.next.ask-info": "Atebwch yma a byddaf yn ei anfon yn syth yn ôl atyn nhw.",
    "review.next.decline": "Diolch am ei rannu — daliwch ati i anfon syniadau.",
    "review.next.escalate": "Bydd y tîm cenedlaethol yn edrych arno i'w rannu'n ehangach neu i'w brofi.",
    "review.next.national-disseminate": "Bydd yn cael ei rannu gyda heddluoedd ledled y wlad.",
    "review.next.national-test": "Bydd y tîm cenedlaethol yn cysylltu ynglŷn â'i brofi'n ffurfiol.",
    "review.info.thanks": "Diolch — rwyf wedi anfon eich ateb at y brocer.",
    "review.info.received": "Atebodd y swyddog eich cwestiwn am #{ref}:",
    "review.new_for_broker": "Mae syniad newydd #{ref} gan {force} yn aros i chi ei adolygu.",
    "review.new_for_national": "Mae angen penderfyniad ar syniad newydd #{ref} gan {force}: does gan {force} "
                               "ddim brocer arloesi arall, felly mae wedi dod at y tîm cenedlaethol.",
    "review.admins_no_broker": "Does gan {force} ddim brocer arloesi: aeth syniad #{ref} at y tîm "
                               "cenedlaethol. Ychwanegwch un gyda: innovation-bot admin add-broker FORCE PERSON",
    "review.national_queue_card": "Mae syniad #{ref} gan {force} yn barod i'r tîm cenedlaethol ei adolygu.",
    "review.queue.empty": "Does dim yn aros amdanoch. 🎉",
    "review.queue.title": "Yn aros am benderfyniad ({count}):",
    "review.reminder#zero": "Nodyn atgoffa: mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith am "
                            "benderfyniad.",
    "review.reminder#one": "Nodyn atgoffa: mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith am "
                           "benderfyniad.",
    "review.reminder#two": "Nodyn atgoffa: mae syniad #{ref} gan {force} wedi aros {count} ddiwrnod gwaith am "
                           "benderfyniad.",
    "review.reminder#few": "Nodyn atgoffa: mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith am "
                           "benderfyniad.",
    "review.reminder#many": "Nodyn atgoffa: mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith am "
                            "benderfyniad.",
    "review.reminder#other": "Nodyn atgoffa: mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith am "
                             "benderfyniad.",
    "review.reminder_all": "Nodyn atgoffa: mae'r syniadau hyn yn aros am eich penderfyniad ({count}):",
    "review.reminder_all_item#zero": "• #{ref} {title} ({force}, {count} diwrnod gwaith)",
    "review.reminder_all_item#one": "• #{ref} {title} ({force}, {count} diwrnod gwaith)",
    "review.reminder_all_item#two": "• #{ref} {title} ({force}, {count} ddiwrnod gwaith)",
    "review.reminder_all_item#few": "• #{ref} {title} ({force}, {count} diwrnod gwaith)",
    "review.reminder_all_item#many": "• #{ref} {title} ({force}, {count} diwrnod gwaith)",
    "review.reminder_all_item#other": "• #{ref} {title} ({force}, {count} diwrnod gwaith)",
    "review.overdue_national#zero": "Mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith heb "
                                    "benderfyniad gan frocer, felly mae wedi dod at y tîm cenedlaethol.",
    "review.overdue_national#one": "Mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith heb "
                                   "benderfyniad gan frocer, felly mae wedi dod at y tîm cenedlaethol.",
    "review.overdue_national#two": "Mae syniad #{ref} gan {force} wedi aros {count} ddiwrnod gwaith heb "
                                   "benderfyniad gan frocer, felly mae wedi dod at y tîm cenedlaethol.",
    "review.overdue_national#few": "Mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith heb "
                                   "benderfyniad gan frocer, felly mae wedi dod at y tîm cenedlaethol.",
    "review.overdue_national#many": "Mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith heb "
                                    "benderfyniad gan frocer, felly mae wedi dod at y tîm cenedlaethol.",
    "review.overdue_national#other": "Mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith heb "
                                     "benderfyniad gan frocer, felly mae wedi dod at y tîm cenedlaethol.",
    "review.went_national.label": "Gyda'r tîm cenedlaethol hefyd",
    "review.went_national.value": "Aeth y syniad hwn at y tîm cenedlaethol hefyd, oherwydd nad oedd brocer wedi'i "
                                  "drefnu ar gyfer ei heddlu neu ei fod wedi aros yn rhy hir. Gallwch chi benderfynu "
                                  "arno yma o hyd.",
    "review.went_national.told#zero": "Mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith, felly mae wedi "
                                      "mynd at y tîm cenedlaethol hefyd. Mae'n aros yn eich ciw: dywedwch ciw i "
                                      "benderfynu arno.",
    "review.went_national.told#one": "Mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith, felly mae wedi "
                                     "mynd at y tîm cenedlaethol hefyd. Mae'n aros yn eich ciw: dywedwch ciw i "
                                     "benderfynu arno.",
    "review.went_national.told#two": "Mae syniad #{ref} gan {force} wedi aros {count} ddiwrnod gwaith, felly mae wedi "
                                     "mynd at y tîm cenedlaethol hefyd. Mae'n aros yn eich ciw: dywedwch ciw i "
                                     "benderfynu arno.",
    "review.went_national.told#few": "Mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith, felly mae wedi "
                                     "mynd at y tîm cenedlaethol hefyd. Mae'n aros yn eich ciw: dywedwch ciw i "
                                     "benderfynu arno.",
    "review.went_national.told#many": "Mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith, felly mae wedi "
                                      "mynd at y tîm cenedlaethol hefyd. Mae'n aros yn eich ciw: dywedwch ciw i "
                                      "benderfynu arno.",
    "review.went_national.told#other": "Mae syniad #{ref} gan {force} wedi aros {count} diwrnod gwaith, felly mae wedi "
                                       "mynd at y tîm cenedlaethol hefyd. Mae'n aros yn eich ciw: dywedwch ciw i "
                                       "benderfynu arno.",
    "review.broker_welcome#zero": "Rydych chi nawr yn frocer arloesi ar gyfer {force}. Aeth {count} syniad gan "
                                  "{force} at y tîm cenedlaethol tra nad oedd brocer wedi'i drefnu; gallwch "
                                  "chi benderfynu arnyn nhw o hyd: dywedwch ciw.",
    "review.broker_welcome#one": "Rydych chi nawr yn frocer arloesi ar gyfer {force}. Aeth {count} syniad gan "
                                 "{force} at y tîm cenedlaethol tra nad oedd brocer wedi'i drefnu; gallwch "
                                 "chi benderfynu arno o hyd: dywedwch ciw.",
    "review.broker_welcome#two": "Rydych chi nawr yn frocer arloesi ar gyfer {force}. Aeth {count} syniad gan "
                                 "{force} at y tîm cenedlaethol tra nad oedd brocer wedi'i drefnu; gallwch "
                                 "chi benderfynu arnyn nhw o hyd: dywedwch ciw.",
    "review.broker_welcome#few": "Rydych chi nawr yn frocer arloesi ar gyfer {force}. Aeth {count} syniad gan "
                                 "{force} at y tîm cenedlaethol tra nad oedd brocer wedi'i drefnu; gallwch "
                                 "chi benderfynu arnyn nhw o hyd: dywedwch ciw.",
    "review.broker_welcome#many": "Rydych chi nawr yn frocer arloesi ar gyfer {force}. Aeth {count} syniad gan "
                                  "{force} at y tîm cenedlaethol tra nad oedd brocer wedi'i drefnu; gallwch "
                                  "chi benderfynu arnyn nhw o hyd: dywedwch ciw.",
    "review.broker_welcome#other": "Rydych chi nawr yn frocer arloesi ar gyfer {force}. Aeth {count} syniad gan "
                                   "{force} at y tîm cenedlaethol tra nad oedd brocer wedi'i drefnu; gallwch "
                                   "chi benderfynu arnyn nhw o hyd: dywedwch ciw.",
}
