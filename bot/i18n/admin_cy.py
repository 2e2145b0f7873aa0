"""Welsh words for admin commands (merged into the Welsh catalogue by ``bot/i18n/cy.py``; glossary there).

A fluent Welsh speaker must review these before go-live (see the header of ``bot/i18n/cy.py``). The
commands' syntax, the role names an admin types (broker, reviewer, admin) and example force slugs stay
as typed: they are passed in as values. Roles named in a sentence are Welsh ("admin.role.*")."""

ADMIN_MESSAGES: dict[str, str] = {
    "admin.usage": "gorchmynion gweinyddu: {usage}",
    "admin.granted": "Mae gan {person} y rôl hon bellach: {role}",
    "admin.granted_for": "Mae gan {person} y rôl hon bellach: {role} ar gyfer {force}",
    "admin.removed": "tynnwyd {count} rôl {role} oddi ar {person}",
    "admin.had_no_role": "Doedd gan {person} ddim rôl {role}",
    "admin.mapped": "Mae {tenant} bellach yn perthyn i {force}",
    "admin.subscribed": "Mae {channel} wedi tanysgrifio i grynodebau {scope} ({when}; iaith: {language})",
    "admin.language.en": "Saesneg",
    "admin.language.cy": "Cymraeg",
    "admin.language.both": "Cymraeg a Saesneg",
    "admin.deleted": "dilëwyd {person}: {conversations} sgwrs, {messages} neges yn y ciw; cadwyd {ideas} syniad "
                     "fel arfer yr heddlu heb ei enw",
    "admin.list.empty": "dim rolau na mapiau eto",
    "admin.list.role": "{role}: {person}",
    "admin.list.role_for": "{role} ({force}): {person}",
    "admin.list.mapping": "map: {tenant} → {force}",
    "admin.role.broker": "brocer",
    "admin.role.reviewer": "adolygydd",
    "admin.role.admin": "gweinyddwr",
    "admin.not_found": "does neb yn hysbys fel {person}",
    "admin.refused": "{reason}",
    "admin.error.not_a_person": "nid yw {text} yn berson: defnyddiwch {forms}",
    "admin.error.unknown_force": "heddlu anhysbys {slug}: defnyddiwch enw byr o'r rhestr heddluoedd, e.e. {example}",
    "admin.error.not_a_tenant": "nid yw {text} yn gyfeiriad {platform}: defnyddiwch {form}",
    "admin.error.usage": "defnydd: {shape}",
    "admin.error.unknown_role": "rôl anhysbys {role}: defnyddiwch {first}, {second} neu {third}",
    "admin.error.officer": "mae pawb yn swyddog; tynnwch {first}, {second} neu {third}",
    "admin.error.unexpected": "annisgwyl {flag}: {shape}",
    "admin.error.unknown_language": "iaith anhysbys {lang}: defnyddiwch {first}, {second} neu {third}",
    "admin.error.unknown_command": "gorchymyn gweinyddu anhysbys {command}. gorchmynion gweinyddu: {usage}",
}
