"""Welsh words for sharing a flagged idea and for masked detail (merged by ``bot/i18n/cy.py``; glossary there).

A fluent Welsh speaker must review these before go-live (see the header of ``bot/i18n/cy.py``).
"""

SHARING_MESSAGES: dict[str, str] = {
    "sensitivity.kind.address": "cyfeiriad",
    "sensitivity.removed.name": "[enw wedi'i dynnu]",
    "sensitivity.removed.phone": "[rhif ffôn wedi'i dynnu]",
    "sensitivity.removed.email": "[cyfeiriad e-bost wedi'i dynnu]",
    "sensitivity.removed.postcode": "[cod post wedi'i dynnu]",
    "sensitivity.removed.vehicle-registration": "[rhif cofrestru cerbyd wedi'i dynnu]",
    "sensitivity.removed.reference": "[cyfeirnod wedi'i dynnu]",
    "sensitivity.removed.date-of-birth": "[dyddiad geni wedi'i dynnu]",
    "sensitivity.removed.ni-number": "[rhif Yswiriant Gwladol wedi'i dynnu]",
    "sensitivity.removed.address": "[cyfeiriad wedi'i dynnu]",
    "share.check.title": "Gwiriwch cyn rhannu: #{ref} {title}",
    "share.check.body": "Cyn i'r syniad hwn fod {outcome}, gwiriwch beth wnaeth y gwiriad sensitifrwydd ei nodi. "
                        "Golygwch ef allan, neu rhannwch ef fel y mae os ydych yn siŵr ei fod yn ddiogel. Nes i chi "
                        "ddewis, does dim yn newid a dim ond fersiwn gudd o'r manylion y mae heddluoedd eraill yn ei "
                        "gweld.",
    "share.check.item_label": "Wedi'i nodi yn y maes ‘{field}’",
    "share.check.item": "{kind}: \"{text}\"",
    "share.check.note": "Golygu cyn rhannu: mae'r manylion yn cael eu tynnu allan (gallwch ei ysgrifennu eto) ac mae'r "
                        "swyddog yn cael gwybod beth newidiodd. Rhannu fel y mae: dim ond broceriaid, adolygwyr a'r "
                        "trywydd archwilio sy'n gweld eich rheswm, nid y swyddog.",
    "share.button.edit": "Golygu cyn rhannu",
    "share.button.as_is": "Rhannu fel y mae",
    "share.edit.title": "Golygu cyn rhannu",
    "share.edit.intro": "Mae'r manylion a nodwyd eisoes wedi'u tynnu allan isod. Ysgrifennwch ef eto fel y mynnwch, "
                        "yna {outcome}. Bydd y swyddog yn cael gwybod beth newidiodd.",
    "share.edit.note": "Nodyn ar gyfer y trywydd archwilio (dewisol)",
    "share.as_is.title": "Rhannu fel y mae",
    "share.as_is.intro": "Wedi'i nodi: {found}. Bydd {outcome} gyda'r manylion hyn heb eu cuddio.",
    "share.as_is.reason": "Pam mae'n ddiogel ei rannu fel y mae (dim ond broceriaid, adolygwyr a'r trywydd archwilio "
                          "sy'n gweld hyn)",
    "share.choose": "Mae syniad #{ref} yn cynnwys manylion a nodwyd: dewiswch Golygu cyn rhannu neu Rhannu fel y mae "
                    "ar y cerdyn isod. Does dim wedi newid eto.",
    "share.reason_needed": "Dywedwch pam mae'n ddiogel rhannu #{ref} fel y mae — dim ond broceriaid, adolygwyr a'r "
                           "trywydd archwilio sy'n ei weld. Does dim wedi newid eto.",
    "share.field_empty": "All y maes ‘{field}’ ddim bod yn wag. Does dim wedi newid eto.",
    "share.field_too_long": "Mae'r maes ‘{field}’ yn {length} nod o hyd; cadwch ef o dan {limit}. Does dim wedi "
                            "newid eto.",
    "share.no_change": "Mae'r testun yn dal i gynnwys yr hyn a nodwyd ({found}). Tynnwch ef allan, neu dewiswch Rhannu "
                       "fel y mae gyda rheswm. Does dim wedi newid eto.",
    "share.done_edited": "Wedi'i wneud — mae #{ref} nawr {status}, gyda'ch golygiadau. Mae'r swyddog wedi cael "
                         "gwybod beth newidiodd.",
    "share.done_edited_masked": "Wedi'i wneud — mae #{ref} nawr {status}, gyda'ch golygiadau. Mae'n dal i "
                                "gynnwys {found}: bydd heddluoedd eraill yn gweld hynny wedi'i guddio.",
    "share.done_as_is": "Wedi'i wneud — mae #{ref} nawr {status} ac mae wedi'i rannu fel y mae. Mae eich rheswm "
                        "yn y trywydd archwilio; dydy'r swyddog ddim yn ei weld.",
    "share.audit.edited": "Wedi'i olygu cyn rhannu ({fields}); wedi'i nodi: {found}.",
    "share.audit.edited_note": "Wedi'i olygu cyn rhannu ({fields}); wedi'i nodi: {found}. Nodyn: {note}",
    "share.audit.as_is": "Wedi'i rannu fel y mae ({scope}); wedi'i nodi: {found}. Rheswm: {reason}",
    "share.scope.local": "defnydd lleol",
    "share.scope.network": "y tu hwnt i'r heddlu",
    "share.told.edited": "Cyn ei rannu, golygodd {name} eich syniad #{ref} i dynnu manylion personol neu weithredol "
                         "allan ({found}).",
    "share.told.field": "Mae'r maes ‘{field}’ nawr yn dweud: {text}",
    "modal.form.continued": "{label} (parhad)",
}
