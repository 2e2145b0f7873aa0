"""English words for admin commands (merged into the English catalogue by ``bot/i18n/en.py``).

The commands' syntax (add-broker FORCE PERSON, slack:TEAM_ID:USER_ID, --lang en) is what an admin types in
either language, so it is passed in as a value rather than translated."""

ADMIN_MESSAGES: dict[str, str] = {
    "admin.usage": "admin commands: {usage}",
    "admin.granted": "{person} is now {role}",
    "admin.granted_for": "{person} is now {role} for {force}",
    "admin.removed": "removed {count} {role} role(s) from {person}",
    "admin.had_no_role": "{person} had no {role} role",
    "admin.mapped": "{tenant} now maps to {force}",
    "admin.subscribed": "{channel} subscribed to {scope} roundups ({when}, in {language})",
    "admin.language.en": "English",
    "admin.language.cy": "Welsh",
    "admin.language.both": "Welsh and English",
    "admin.deleted": "deleted {person}: {conversations} conversation(s), {messages} queued message(s); "
                     "{ideas} idea(s) kept as force practice without their name",
    "admin.list.empty": "no roles or mappings yet",
    "admin.list.role": "{role}: {person}",
    "admin.list.role_for": "{role} ({force}): {person}",
    "admin.list.mapping": "mapping: {tenant} → {force}",
    "admin.role.broker": "broker",
    "admin.role.reviewer": "reviewer",
    "admin.role.admin": "admin",
    "admin.not_found": "no one known as {person}",
    "admin.refused": "{reason}",
    "admin.error.not_a_person": "{text} is not a person: use {forms}",
    "admin.error.unknown_force": "unknown force {slug}: use a slug from the forces list, e.g. {example}",
    "admin.error.not_a_tenant": "{text} is not a {platform} reference: use {form}",
    "admin.error.usage": "usage: {shape}",
    "admin.error.unknown_role": "unknown role {role}: use {first}, {second} or {third}",
    "admin.error.officer": "everyone is an officer; remove {first}, {second} or {third}",
    "admin.error.unexpected": "unexpected {flag}: {shape}",
    "admin.error.unknown_language": "unknown language {lang}: use {first}, {second} or {third}",
    "admin.error.unknown_command": "unknown admin command {command}. admin commands: {usage}",
}
