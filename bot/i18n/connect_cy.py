"""Welsh words for connect me: asking to be put in touch with the people behind an idea, and their answer (merged
by ``bot/i18n/cy.py``).

A fluent Welsh speaker must review these before go-live (see the header of ``bot/i18n/cy.py``)."""

CONNECT_MESSAGES: dict[str, str] = {
    "connect.button": "Cysylltwch fi",
    "connect.unavailable": "Mae'n ddrwg gennyf, dydy'r syniad hwnnw ddim yn y catalog mwyach, felly alla i ddim "
                           "eich cyflwyno.",
    "connect.own_idea": "Eich syniad chi yw hwnnw!",
    "connect.already": "Rydych chi eisoes wedi gofyn am gysylltu ynglŷn â \"{title}\" — byddaf yn rhoi gwybod i "
                       "chi pan fyddan nhw'n ateb.",
    "connect.no_contact": "Daeth \"{title}\" o'r catalog cenedlaethol heb fanylion cyswllt, mae'n ddrwg gennyf.",
    "connect.published_contact": "Mae \"{title}\" ({force}) yn rhoi'r manylion cyswllt hyn: {contact}",
    "connect.asked": "Rwyf wedi gofyn i'r bobl y tu ôl i \"{title}\" ({force}) a fydden nhw'n hoffi cysylltu. "
                     "Byddaf yn dweud wrthych beth maen nhw'n ei ddweud.",
    "connect.request_title": "Mae rhywun yn awyddus i gysylltu",
    "connect.request_body": "Maen nhw'n gweithio ar rywbeth tebyg ac maen nhw'n awyddus i gymharu nodiadau. Os "
                            "dywedwch ie, byddaf yn rhannu eich enwau, eich heddluoedd a'ch cyfeiriadau e-bost â'ch "
                            "gilydd.",
    "connect.who": "Pwy",
    "connect.who_value": "{name} ({force})",
    "connect.about": "Ynglŷn â'ch syniad",
    "connect.yes": "Ie, cyflwynwch ni",
    "connect.no": "Dim nawr",
    "connect.not_yours": "Mae'n ddrwg gennyf, nid chi sydd i ateb y cais hwnnw. Does dim wedi newid.",
    "connect.answered": "Rydych chi eisoes wedi ateb y cais hwnnw.",
    "connect.declined_kindly": "Dydy'r bobl y tu ôl i \"{title}\" ddim yn gallu cysylltu ar hyn o bryd — dydy "
                               "hynny ddim yn adlewyrchu ar eich syniad. Daliwch ati i'w rannu.",
    "connect.declined_ok": "Dim problem — rwyf wedi rhoi gwybod iddyn nhw'n garedig.",
    "connect.meet": "Newyddion da: dewch i gwrdd â'r bobl y tu ôl i \"{title}\"",
    "connect.meet_asker": "Dyma pwy ofynnodd am \"{title}\" — rwyf wedi anfon eich manylion chi atyn nhw hefyd",
    "connect.group_intro": "{asker}, dyma {contact}: mae'r ddau ohonoch yn gweithio ar rywbeth fel \"{title}\". "
                           "Drosodd i chi — fe adawaf i chi fwrw ymlaen.",
    "connect.name": "Enw",
    "connect.email": "E-bost",
}
