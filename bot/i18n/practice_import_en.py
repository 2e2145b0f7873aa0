"""English messages of ``innovation-bot import`` (merged into the English catalogue by ``bot/i18n/en.py``).

Column names, stage codes and file names are left as they are written in the file: they are codes.
"""

PRACTICE_IMPORT_MESSAGES: dict[str, str] = {
    "import.row.line": "line {line}: {problem}",
    "import.row.empty": "{column} is empty",
    "import.row.too_long": "{column} is longer than {limit} characters",
    "import.row.unknown_force": "unknown force {force} (use a slug such as {example}, or the full name)",
    "import.row.unknown_stage": "unknown stage {stage} ({stages})",
    "import.row.unknown_theme": "unknown theme {theme}",
    "import.row.bad_url": "{column} must start with {http} or {https}",
    "import.row.duplicate": "duplicate of line {first} (same force and title)",
    "import.file.not_utf8": "not {encoding} text (first bad byte on line {line}); save it as {encoding} CSV",
    "import.file.bad_json": "not valid JSON (line {line}: {problem})",
    "import.file.not_a_list": "JSON must be a list of objects",
    "import.file.missing_columns": "missing columns: {columns}",
    "import.file.missing_columns_expected": "missing columns: {columns} (expected {expected})",
    "import.file.empty": "the file is empty",
}
