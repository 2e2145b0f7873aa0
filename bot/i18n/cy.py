"""Catalog negeseuon Cymraeg (Welsh message catalogue): the same keys as ``bot/i18n/en.py``.

REVIEW BEFORE GO-LIVE: this translation was written by the development team, not by a professional
translator. A fluent Welsh speaker (ideally the Welsh forces' translation units, or a translator on the
Cymdeithas Cyfieithwyr Cymru register) must review every string before the bot is offered to officers
in Wales. The spell-check in tests/bot/test_welsh_spelling.py catches typos, not register or mutation.

Register: plain, formal-but-friendly Welsh as Welsh public services write it ("chi", not "ti"), short
sentences, English loan words only where the forces use them (Slack, Teams, e-bost).

Glossary — one Welsh word for each domain word (TermCymru, and the Welsh forces' public wording):

    idea                 syniad (lluosog: syniadau)
    innovation           arloesi
    innovation broker    brocer arloesi (lluosog: broceriaid arloesi)
    innovation network   rhwydwaith arloesi
    force                heddlu (lluosog: heddluoedd)
    officer              swyddog
    staff member         aelod o staff
    national team        y tîm cenedlaethol
    reviewer             adolygydd
    admin                gweinyddwr
    practice             arfer
    catalogue            catalog
    theme                thema (lluosog: themâu)
    stage                cam
    draft                drafft
    submit               cyflwyno
    approve              cymeradwyo
    decline              gwrthod
    escalate             uwchgyfeirio
    decision             penderfyniad
    reason               rheswm
    reference (#number)  cyfeirnod
    roundup              crynodeb
    connect / connection cysylltu / cysylltiad
    introduction         cyflwyniad
    withdraw             tynnu'n ôl
    evidence             tystiolaeth
    evaluated            wedi'i werthuso
    testing              profi
    channel              sianel
    status               statws
    working day          diwrnod gwaith

Count-aware messages have one key per CLDR plural category (``key#zero`` … ``key#other``): Welsh has
six (zero 0, one 1, two 2, few 3, many 6, other), with the mutation each number needs (2 ddiwrnod).
"""

from bot.i18n.admin_cy import ADMIN_MESSAGES
from bot.i18n.connect_cy import CONNECT_MESSAGES
from bot.i18n.dashboard_cy import DASHBOARD_MESSAGES
from bot.i18n.evidence_cy import EVIDENCE_MESSAGES
from bot.i18n.manifest_cy import MANIFEST_MESSAGES
from bot.i18n.playground_cy import PLAYGROUND_MESSAGES
from bot.i18n.practice_import_cy import PRACTICE_IMPORT_MESSAGES
from bot.i18n.review_cy import REVIEW_MESSAGES
from bot.i18n.roundup_cy import ROUNDUP_MESSAGES
from bot.i18n.roundup_setup_cy import ROUNDUP_SETUP_MESSAGES
from bot.i18n.sharing_cy import SHARING_MESSAGES
from bot.i18n.surfaces_cy import SURFACE_MESSAGES

MESSAGES: dict[str, str] = {
    # Dechrau a'r pedwar cwestiwn
    "greeting": "Helo! Rwy'n eich helpu i rannu syniadau ac arfer lleol gyda'r rhwydwaith arloesi cenedlaethol.",
    "ask.description": "Beth yw eich syniad? Dywedwch wrthyf mewn brawddeg neu ddwy beth rydych wedi'i wneud "
                       "neu am roi cynnig arno.",
    "thanks.description": "Diolch — mae hynny'n ddechrau defnyddiol.",
    "ask.problem": "Pa broblem mae'n ei datrys, neu pa wahaniaeth mae wedi'i wneud hyd yma?",
    "ask.stage": "Pa mor bell ydych chi wedi mynd ag ef?",
    "ask.force": "Gyda pha heddlu neu sefydliad rydych chi'n gweithio? Teipiwch ei enw neu dewiswch o'r rhestr.",
    "ask.theme": "Pa thema sy'n gweddu orau?",
    "stage.idea": "Syniad",
    "stage.being-tried": "Yn cael ei dreialu",
    "stage.evaluated-locally": "Wedi'i werthuso'n lleol",
    "stage.independently-evaluated": "Wedi'i werthuso'n annibynnol",
    "stage.pick": "Dewiswch un o'r pedwar cam isod (neu teipiwch 1 i 4).",
    "theme.pick": "Doeddwn i ddim yn gallu paru hynny â thema — dewiswch un, os gwelwch yn dda.",
    "force.did_you_mean": "Ai un o'r rhain oedd gennych chi mewn golwg?",
    "force.not_found": "Doeddwn i ddim yn gallu dod o hyd i heddlu o'r enw \"{text}\". Dewiswch eich heddlu "
                       "o'r rhestr.",
    # Gwaith tebyg
    "similar.intro": "Gwaith tebyg sydd eisoes yn y rhwydwaith ({count}) — efallai yr hoffech gymharu nodiadau:",
    "match.why": "Pam cafodd ei baru",
    "match.why_overall": "geiriad tebyg yn gyffredinol",
    "match.kind.likely-duplicate": "Mae hwn yn edrych yn debyg iawn i'ch syniad chi.",
    "match.kind.related": "Mae hwn yn edrych yn berthnasol.",
    # Crynodeb a golygu
    "summary.title": "Eich syniad, yn barod i'w rannu",
    "summary.intro": "Gwiriwch y manylion isod. Gallwch olygu unrhyw beth cyn ei gyflwyno.",
    "summary.privacy": (
        "Peidiwch â chynnwys manylion personol na gweithredol — enwau, cyfeiriadau, rhifau ffôn, "
        "cyfeirnodau troseddau neu ddigwyddiadau, rhifau cofrestru cerbydau. Disgrifiwch yr arfer, nid yr achos."
    ),
    "summary.not_set": "Heb ei osod",
    "summary.theme_not_guessed": "Heb ei osod — dewiswch un gyda Golygu",
    "field.title": "Teitl",
    "field.description": "Beth ydyw",
    "field.problem": "Y broblem mae'n ei datrys",
    "field.stage": "Cam",
    "field.theme": "Thema",
    "field.force": "Heddlu",
    "field.status": "Statws",
    "field.visibility": "Eich enw",
    "visibility.named": "Yn cael ei ddangos i heddluoedd eraill, fel y gall pobl sy'n gwneud gwaith tebyg "
                        "gysylltu â chi",
    "visibility.anonymous-to-peers": "Wedi'i guddio rhag heddluoedd eraill (mae eich brocer yn dal i'w weld)",
    "button.visibility.named": "Dangos fy enw",
    "button.visibility.anonymous-to-peers": "Rhannu'n ddienw",
    "info.ask": "Gofynnodd eich brocer gwestiwn am syniad #{ref}. Atebwch yma.",
    "button.submit": "Cyflwyno",
    "button.edit": "Golygu",
    "button.cancel": "Canslo",
    "button.start": "Rhannu syniad",
    "button.choose": "Dewis",
    "edit.which": "Beth hoffech chi ei newid?",
    "edit.pick": "Dewiswch y rhan yr hoffech ei newid.",
    "edit.send_new": "Anfonwch gynnwys newydd y maes ‘{field}’ ataf. Ar hyn o bryd mae'n dweud: {current}",
    "confirm.use_buttons": "Defnyddiwch Cyflwyno i'w anfon, Golygu i newid rhywbeth, neu Canslo. Dyma fe eto:",
    # Cyflwyno
    "submitted.thanks": "Wedi'i gyflwyno — diolch! Eich cyfeirnod yw #{ref}.",
    "submitted.brokers": "Bydd {names}, y brocer arloesi ar gyfer {force}, yn edrych arno, a byddaf yn dweud "
                         "wrthych beth maen nhw'n ei benderfynu.",
    "submitted.broker_unnamed": "Bydd brocer arloesi eich heddlu yn {force} yn edrych arno, a byddaf yn dweud "
                                "wrthych beth maen nhw'n ei benderfynu.",
    "submitted.no_broker": "Does gan {force} ddim brocer arloesi eto, felly bydd y tîm cenedlaethol yn edrych "
                           "arno. Byddaf yn dweud wrthych beth maen nhw'n ei benderfynu.",
    # Statws
    "status.none": "Dydych chi ddim wedi rhannu unrhyw syniadau eto. Dywedwch \"Mae gen i syniad\" i ddechrau.",
    "status.title": "Eich syniadau ({count})",
    "status.line": "{status} · {force} · {date}",
    "status.draft": "Drafft",
    "status.submitted": "Wedi'i gyflwyno — yn aros am y brocer",
    "status.needs-info": "Mae'r brocer wedi gofyn am ragor o wybodaeth",
    "status.approved-local": "Wedi'i gymeradwyo i'w ddefnyddio'n lleol",
    "status.approved-network": "Wedi'i gymeradwyo ar gyfer y rhwydwaith",
    "status.declined": "Wedi'i wrthod",
    "status.national-review": "Gyda'r tîm cenedlaethol",
    "status.national-dissemination": "Wedi'i rannu'n genedlaethol",
    "status.national-testing": "Wedi'i ddewis i'w brofi'n genedlaethol",
    "status.withdrawn": "Wedi'i dynnu'n ôl",
    # Chwilio
    "search.usage": "Dywedwch wrthyf beth i chwilio amdano, er enghraifft: chwilio dronau pobl ar goll",
    "search.none": "Wnes i ddim dod o hyd i ddim byd yn y catalog tebyg i \"{query}\".",
    "search.results": "Beth ddes i o hyd iddo ar gyfer \"{query}\" ({count}):",
    # Gorchmynion sydd ar gael bob amser, a phroblemau
    "help.text": (
        "Rwy'n eich helpu i rannu syniad gyda brocer arloesi eich heddlu a'r rhwydwaith cenedlaethol, ac rwy'n "
        "dangos gwaith tebyg mewn heddluoedd eraill i chi.\n"
        "• Dywedwch eich syniad wrthyf, neu dywedwch \"Mae gen i syniad\".\n"
        "• statws (neu fy syniadau) — beth ddigwyddodd i'r syniadau a rannwyd gennych\n"
        "• fy nata — beth rwy'n ei gadw amdanoch; tynnu'n ôl #RHIF — tynnu syniad yn ôl\n"
        "• chwilio <geiriau> — chwilio drwy'r catalog\n"
        "• canslo — gollwng y syniad rydych yn ei ysgrifennu\n"
        "• iaith — dewis Cymraeg neu Saesneg (English)\n"
        "• help — y neges hon"
    ),
    "help.start_title": "Yn barod pan fyddwch chi",
    "cancel.done": "Wedi canslo — does dim wedi'i rannu. Dechreuwch eto pryd bynnag y mynnwch.",
    "cancel.nothing": "Does dim i'w ganslo. Dywedwch syniad wrthyf pan fyddwch yn barod.",
    "command.unknown": "Dydw i ddim yn adnabod y gorchymyn {command}. Dyma beth alla i ei wneud:",
    "input.empty": "Wnes i ddim dal dim byd yn y fan yna.",
    "input.too_long": (
        "Mae'r neges honno'n {length} nod o hyd; gallaf gymryd hyd at {limit}. Allech chi ei byrhau? "
        "Does dim byd rydych wedi'i ddweud wrthyf hyd yma wedi'i golli."
    ),
    "action.stale": "Mae'r botwm hwnnw'n perthyn i sgwrs sydd wedi dod i ben, felly rwyf wedi gadael popeth "
                    "fel yr oedd.",
    "action.unknown": "Mae'n ddrwg gennyf, dydw i ddim yn adnabod y botwm hwnnw. Does dim wedi newid.",
    "action.out_of_turn": "Dydy'r botwm hwnnw ddim ar gyfer y cam hwn, felly rwyf wedi gadael popeth fel yr oedd.",
    "capture.already": "Rydych chi eisoes yn rhannu syniad — gadewch i ni orffen hwnnw yn gyntaf.",
    "resume.lead": "Lle roedden ni:",
    "draft.expired": "Daeth eich syniad anorffenedig \"{title}\" i ben ar ôl cyfnod heb atebion, felly rwyf "
                     "wedi'i ddileu.",
    "draft.untitled": "(heb deitl)",
    "draft.reminder": "Mae gennych syniad anorffenedig, \"{title}\". Atebwch i barhau, neu dywedwch canslo.",
    "error.busy": "Mae'n ddrwg gennyf, daeth dwy neges i mewn ar yr un pryd a doeddwn i ddim yn gallu derbyn "
                  "hon. Anfonwch hi eto, os gwelwch yn dda.",
    "admin.not_allowed": "Dim ond gweinyddwyr sy'n gallu defnyddio gorchmynion gweinyddu. Does dim wedi newid.",
    # Hawliau data
    "mydata.title": "Beth rwy'n ei gadw amdanoch",
    "mydata.intro": "Dyma bopeth mae'r bot yn ei gadw amdanoch.",
    "mydata.name": "Enw",
    "mydata.email": "E-bost",
    "mydata.account": "Cyfrif",
    "mydata.roles": "Rolau",
    "mydata.no_roles": "Swyddog neu aelod o staff",
    "mydata.ideas": "Syniadau a rannwyd gennych",
    "mydata.draft": "Syniad anorffenedig",
    "mydata.connections": "Cyflwyniadau y gofynnoch amdanynt",
    "mydata.decisions": "Penderfyniadau a wnaethoch",
    "mydata.none": "Dim",
    "mydata.yes": "Oes — dywedwch canslo i'w ddileu",
    "mydata.rights": "Dywedwch canslo i ddileu eich syniad anorffenedig, neu tynnu'n ôl #RHIF i dynnu syniad a "
                     "rannwyd allan o'r catalog a'r crynodebau. I ddileu popeth, gofynnwch i frocer arloesi "
                     "eich heddlu neu i weinyddwr.",
    "withdraw.done": "Mae syniad #{ref} wedi'i dynnu'n ôl: mae wedi gadael y catalog a'r crynodebau. Mae "
                     "cofnod byr o'r penderfyniad yn aros yn y trywydd archwilio.",
    "withdraw.not_yours": "Alla i ddim dod o hyd i syniad #{ref} gennych chi i'w dynnu'n ôl. Does dim wedi newid.",
    "withdraw.already": "Roedd syniad #{ref} eisoes wedi'i dynnu'n ôl.",
    # Gwirio sensitifrwydd
    "sensitivity.warning": "Cyn i chi gyflwyno: mae'n edrych fel y gallai hwn gynnwys manylion personol neu "
                           "weithredol — {found}. Defnyddiwch Golygu i'w dynnu allan oni bai ei bod yn ddiogel "
                           "ei rannu y tu hwnt i'ch heddlu.",
    "sensitivity.field": "Gwirio sensitifrwydd",
    "sensitivity.broker_note": "Wedi'i nodi: {found}. Mae cymeradwyo neu uwchgyfeirio yn dangos pob eitem i chi yn "
                               "gyntaf: golygwch hi allan, neu rhannwch hi fel y mae gyda rheswm mai dim ond "
                               "broceriaid, adolygwyr a'r trywydd archwilio sy'n ei weld. Y tu hwnt i {force} mae'n "
                               "aros wedi'i chuddio oni bai eich bod yn ei rhannu fel y mae.",
    "sensitivity.item": "{kind} (\"{text}\")",
    "sensitivity.kind.name": "enw",
    "sensitivity.kind.phone": "rhif ffôn",
    "sensitivity.kind.email": "cyfeiriad e-bost",
    "sensitivity.kind.postcode": "cod post",
    "sensitivity.kind.vehicle-registration": "rhif cofrestru cerbyd",
    "sensitivity.kind.reference": "cyfeirnod trosedd neu ddigwyddiad",
    "sensitivity.kind.date-of-birth": "dyddiad geni",
    "sensitivity.kind.ni-number": "rhif Yswiriant Gwladol",
    "person.unnamed": "cydweithiwr (dydy'r enw ddim wedi'i rannu eto)",
    "person.unnamed_decider": "y tîm arloesi",
    # Ailddechrau, dewis heddlu, statws, paru a gwaith cenedlaethol (issue 16, paru hybrid)
    "ask.description_again": "Gwych — beth yw eich syniad? Dywedwch wrthyf mewn brawddeg neu ddwy beth rydych wedi'i "
                             "wneud neu am roi cynnig arno.",
    "resume.offer": "Mae gennych syniad anorffenedig: \"{title}\" ({where}).",
    "resume.question": "Parhau ag ef, neu ddechrau syniad newydd? Does dim byd rydych wedi'i deipio yn cael ei golli'r "
                       "naill ffordd na'r llall.",
    "resume.carry_on": "Parhau ag ef",
    "resume.start_again": "Dechrau syniad newydd",
    "resume.where.awaiting-description": "nesaf: beth yw'r syniad",
    "resume.where.awaiting-problem": "nesaf: pa broblem mae'n ei datrys",
    "resume.where.awaiting-stage": "nesaf: pa mor bell mae wedi mynd",
    "resume.where.awaiting-force": "nesaf: gyda pha heddlu rydych chi",
    "resume.where.confirming": "yn barod i'w gyflwyno",
    "resume.where.choosing-edit": "roeddech chi'n newid rhywbeth",
    "resume.where.awaiting-edit": "roeddech chi'n newid rhywbeth",
    "resume.pick": "Dywedwch parhau neu dechrau eto (neu defnyddiwch y botymau).",
    "force.confirm": "Ai {name} oedd gennych chi mewn golwg? Dywedwch ie, neu dewiswch yr un cywir.",
    "force.confirm_one": "Ie, {name}",
    "force.show_all": "Dim un o'r rhain — dangos pob heddlu",
    "force.pick": "Dewiswch eich heddlu o'r rhestr yn gyntaf, neu teipiwch ei enw.",
    "force.placeholder": "Dewiswch eich heddlu…",
    "summary.guessed": "{value} (fy amcan o'ch neges — defnyddiwch Golygu i'w newid)",
    "button.edit_title": "Golygu'r teitl",
    "visibility.row.named": "{name} — yn cael ei ddangos i heddluoedd eraill, fel y gall pobl sy'n gwneud gwaith tebyg "
                            "gysylltu â chi",
    "visibility.row.anonymous-to-peers": "{name} — wedi'i guddio rhag heddluoedd eraill (mae eich brocer yn dal i'w "
                                         "weld)",
    "visibility.you": "Chi",
    "number.nothing_to_pick": "Does dim byd i'w ddewis gyda \"{number}\" ar hyn o bryd. Dywedwch eich syniad wrthyf "
                              "mewn brawddeg neu ddwy, neu dywedwch help.",
    "status.none_but_draft": "Dydych chi ddim wedi cyflwyno unrhyw syniadau eto. Mae gennych un ar y gweill: "
                             "\"{title}\" — mae isod.",
    "status.in_progress": "Ar y gweill (heb ei gyflwyno eto)",
    "status.phrase.draft": "yn ddrafft",
    "status.phrase.submitted": "yn aros am benderfyniad y brocer",
    "status.phrase.needs-info": "yn aros am ragor o wybodaeth gan y swyddog",
    "status.phrase.approved-local": "wedi'i gymeradwyo i'w ddefnyddio'n lleol",
    "status.phrase.approved-network": "wedi'i gymeradwyo ar gyfer y rhwydwaith",
    "status.phrase.declined": "wedi'i wrthod",
    "status.phrase.national-review": "gyda'r tîm cenedlaethol",
    "status.phrase.national-dissemination": "wedi'i rannu'n genedlaethol",
    "status.phrase.national-testing": "wedi'i ddewis i'w brofi'n genedlaethol",
    "status.phrase.withdrawn": "wedi'i dynnu'n ôl",
    "match.why_shared": "mae'r ddau yn sôn am y geiriau: {words}",
    "match.summary": "{what} · {force} · {works}",
    "match.works.idea": "syniad, heb ei dreialu eto",
    "match.works.being-tried": "yn cael ei dreialu, dim canlyniadau eto",
    "match.works.evaluated-locally": "wedi'i werthuso'n lleol",
    "match.works.independently-evaluated": "wedi'i werthuso'n annibynnol",
    "match.national": "cenedlaethol",
    "console.hello": "Yn sgwrsio fel {name}. Teipiwch neges, rhif i ddewis opsiwn, neu 'gadael'.",
    "console.bye": "Hwyl fawr.",
    "console.picked": "(fe ddewisoch chi: {label})",
    "console.optional": "{label} (dewisol)",
    "console.keeps": "  ar hyn o bryd: {value}\n  (mae Enter yn ei gadw)",
    "console.no_option": "Does dim opsiwn {number} i'w weld. Teipiwch neges, dewiswch rif o'r rhestr uchod, neu "
                         "dywedwch help.",
    "match.why_meaning": "tebyg o ran ystyr: “{sentence}”",
    "match.why_both": "{shared}; y rhan agosaf: “{sentence}”",
    # Dewis iaith
    "language.set": "Iawn — fe siaradaf Gymraeg â chi o hyn ymlaen. (Say English to switch to English.)",
    "language.ask": "Pa iaith hoffech chi ei defnyddio? Gallwch newid unrhyw bryd drwy ddweud Cymraeg neu "
                    "English.",
    "language.offer": "Hoffech chi ddefnyddio'r bot yn Gymraeg? Would you like to use the bot in English?",
    "language.button.cy": "Cymraeg",
    "language.button.en": "English",
}

MESSAGES.update(ROUNDUP_MESSAGES)
MESSAGES.update(PLAYGROUND_MESSAGES)
MESSAGES.update(ROUNDUP_SETUP_MESSAGES)
MESSAGES.update(DASHBOARD_MESSAGES)
MESSAGES.update(EVIDENCE_MESSAGES)
MESSAGES.update(PRACTICE_IMPORT_MESSAGES)
MESSAGES.update(SHARING_MESSAGES)
MESSAGES.update(SURFACE_MESSAGES)
MESSAGES.update(ADMIN_MESSAGES)
MESSAGES.update(REVIEW_MESSAGES)
MESSAGES.update(CONNECT_MESSAGES)
MESSAGES.update(MANIFEST_MESSAGES)
