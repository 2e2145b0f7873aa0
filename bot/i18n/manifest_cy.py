"""Welsh words for the Teams app package: the manifest's names, descriptions and command list (merged by
``bot/i18n/cy.py``).

A fluent Welsh speaker must review these before go-live (see the header of ``bot/i18n/cy.py``)."""

MANIFEST_MESSAGES: dict[str, str] = {
    "manifest.name.short": "Rhwydwaith Arloesi",
    "manifest.name.full": "Rhwydwaith Rhannu Arloesi'r Heddlu",
    "manifest.description.short": "Rhannwch syniad lleol â rhwydwaith arloesi cenedlaethol yr heddlu mewn munud.",
    "manifest.description.full": "Dywedwch wrth y bot am syniad neu ddarn o arfer lleol mewn ychydig o negeseuon. "
                                 "Mae'n dangos gwaith tebyg sydd eisoes wedi'i rannu gan heddluoedd eraill, yn "
                                 "anfon eich syniad at frocer arloesi eich heddlu, ac yn dweud wrthych beth maen "
                                 "nhw'n ei benderfynu. Mae broceriaid yn penderfynu ar syniadau gyda botymau ac yn "
                                 "cael eu hatgoffa pan fydd syniadau'n aros; mae sianeli'r rhwydwaith yn cael "
                                 "crynodeb wythnosol. Dywedwch cymorth i weld beth mae'n gallu ei wneud; mae "
                                 "chwilio yn dod o hyd i waith yng nghatalog y rhwydwaith.",
    "manifest.command.idea.title": "syniad",
    "manifest.command.idea.description": "Rhannu syniad neu ddarn o arfer lleol",
    "manifest.command.status.title": "statws",
    "manifest.command.status.description": "Beth ddigwyddodd i'r syniadau a rannwyd gennych",
    "manifest.command.search.title": "chwilio",
    "manifest.command.search.description": "Chwilio catalog y rhwydwaith, e.e. chwilio dronau",
    "manifest.command.queue.title": "ciw",
    "manifest.command.queue.description": "Broceriaid ac adolygwyr: y syniadau sy'n aros am eich penderfyniad",
    "manifest.command.my data.title": "fy nata",
    "manifest.command.my data.description": "Popeth mae'r bot yn ei gadw amdanoch",
    "manifest.command.cancel.title": "canslo",
    "manifest.command.cancel.description": "Gollwng y syniad rydych yn ei ysgrifennu",
    "manifest.command.help.title": "cymorth",
    "manifest.command.help.description": "Beth mae'r bot yn gallu ei wneud",
    "manifest.activity.newIdea.description": "Mae syniad newydd gan eich heddlu yn aros i gael ei adolygu",
    "manifest.activity.newIdea.templateText": "Syniad newydd gan {force}: {title}",
}
