"""Welsh messages of ``innovation-bot import`` (merged into the Welsh catalogue by ``bot/i18n/cy.py``; glossary there).

A fluent Welsh speaker must review these before go-live (see the header of ``bot/i18n/cy.py``).
"""

PRACTICE_IMPORT_MESSAGES: dict[str, str] = {
    "import.row.line": "llinell {line}: {problem}",
    "import.row.empty": "mae {column} yn wag",
    "import.row.too_long": "mae {column} yn hirach na {limit} nod",
    "import.row.unknown_force": "heddlu anhysbys {force} (defnyddiwch god fel {example}, neu'r enw llawn)",
    "import.row.unknown_stage": "cam anhysbys {stage} ({stages})",
    "import.row.unknown_theme": "thema anhysbys {theme}",
    "import.row.bad_url": "rhaid i {column} ddechrau gyda {http} neu {https}",
    "import.row.duplicate": "yr un fath â llinell {first} (yr un heddlu a theitl)",
    "import.file.not_utf8": "nid testun {encoding} yw hwn (y beit gwael cyntaf ar linell {line}); "
                            "cadwch ef fel CSV {encoding}",
    "import.file.bad_json": "nid JSON dilys yw hwn (llinell {line}: {problem})",
    "import.file.not_a_list": "rhaid i JSON fod yn rhestr o wrthrychau",
    "import.file.missing_columns": "colofnau ar goll: {columns}",
    "import.file.missing_columns_expected": "colofnau ar goll: {columns} (disgwylir {expected})",
    "import.file.empty": "mae'r ffeil yn wag",
}
