"""Reading a CSV or JSON file of existing practice into (line number, row) pairs, or one line saying why not."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from bot.practice_import.rows import missing_columns


class ImportFileError(Exception):
    """The file as a whole cannot be read: one line saying why."""


def read_rows(name: str, raw: bytes) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, row) pairs; CSV line numbers count the header as line 1, JSON ones are item numbers.
    ``name`` is how the file is named in messages."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError(f"{name}: not UTF-8 text (first bad byte on line {line}); save it as UTF-8 CSV") from None
    if name.lower().endswith(".json") or text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"{name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
        if not isinstance(items, list):
            raise ImportFileError(f"{name}: JSON must be a list of objects")
        keys = {k for item in items if isinstance(item, dict) for k in item}
        if items and (missing := missing_columns(sorted(keys))):
            raise ImportFileError(f"{name}: missing columns: {', '.join(missing)}")
        for number, item in enumerate(items, start=1):
            yield number, item if isinstance(item, dict) else {"title": "", "description": "", "force": ""}
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None:
        raise ImportFileError(f"{name}: the file is empty")
    if missing := missing_columns(reader.fieldnames):
        raise ImportFileError(f"{name}: missing columns: {', '.join(missing)} "
                              "(expected title, description, problem, force, stage, contact, url, theme)")
    for row in reader:
        yield reader.line_num, {k: v for k, v in row.items() if k is not None}
