"""Reading a CSV or JSON file of existing practice into (line number, row) pairs, or one line saying why not."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from bot.i18n import Translator
from bot.practice_import.rows import COLUMNS, missing_columns


class ImportFileError(Exception):
    """The file as a whole cannot be read: one line saying why (``import.file.*``; ``str()`` in English)."""

    def __init__(self, name: str, key: str, **params: object) -> None:
        self.name, self.key, self.params = name, key, params
        super().__init__(self.render(Translator("en")))

    def render(self, t: Translator) -> str:
        return f"{self.name}: {t(self.key, **self.params)}"


def read_rows(name: str, raw: bytes) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, row) pairs; CSV line numbers count the header as line 1, JSON ones are item numbers.
    ``name`` is how the file is named in messages."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError(name, "import.file.not_utf8", line=line, encoding="UTF-8") from None
    if name.lower().endswith(".json") or text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(name, "import.file.bad_json", line=exc.lineno, problem=exc.msg) from None
        if not isinstance(items, list):
            raise ImportFileError(name, "import.file.not_a_list")
        keys = {k for item in items if isinstance(item, dict) for k in item}
        if items and (missing := missing_columns(sorted(keys))):
            raise ImportFileError(name, "import.file.missing_columns", columns=", ".join(missing))
        for number, item in enumerate(items, start=1):
            yield number, item if isinstance(item, dict) else {"title": "", "description": "", "force": ""}
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None:
        raise ImportFileError(name, "import.file.empty")
    if missing := missing_columns(reader.fieldnames):
        raise ImportFileError(name, "import.file.missing_columns_expected", columns=", ".join(missing),
                              expected=", ".join(COLUMNS))
    for row in reader:
        yield reader.line_num, {k: v for k, v in row.items() if k is not None}
