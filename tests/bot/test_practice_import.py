"""Reading and checking a file of existing practice, without a database; messages in English and Welsh."""

from __future__ import annotations

import pytest

from bot.domain import Force, Theme
from bot.i18n import Translator
from bot.practice_import.files import ImportFileError, read_rows
from bot.practice_import.rows import RowError, RowValidator

FORCES = [Force("kent", "Kent Police"), Force("dyfed-powys", "Dyfed-Powys Police")]
THEMES = [Theme("mental-health", "Mental health")]


def test_rows_are_checked_with_their_line_numbers_in_either_language() -> None:
    raw = (b"title,description,force,stage\nStreet triage,Nurse rides along,Dyfed-Powys Police,being tried\n"
           b"Drones,Searches,atlantis,\nStreet triage,again,dyfed-powys,\n")
    validator = RowValidator(FORCES, THEMES)
    checked = [validator.check(row, line) for line, row in read_rows("p.csv", raw)]
    good, unknown, duplicate = checked
    assert not isinstance(good, RowError) and (good.force, good.stage, good.line) == ("dyfed-powys",
                                                                                     "being-tried", 2)
    assert isinstance(unknown, RowError) and isinstance(duplicate, RowError)
    assert str(unknown) == "line 3: unknown force 'atlantis' (use a slug such as kent, or the full name)"
    assert unknown.render(Translator("cy")).startswith("llinell 3: heddlu anhysbys 'atlantis'")
    assert duplicate.render(Translator("cy")) == "llinell 4: yr un fath â llinell 2 (yr un heddlu a theitl)"


@pytest.mark.parametrize(("raw", "english", "welsh"), [
    (b"", "f.csv: the file is empty", "f.csv: mae'r ffeil yn wag"),
    (b"title,force\n", "f.csv: missing columns: description (expected title, description, problem, force, "
                       "stage, contact, url, theme)", "f.csv: colofnau ar goll: description (disgwylir title,"),
])
def test_a_file_that_cannot_be_read_says_why_in_one_line(raw: bytes, english: str, welsh: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        list(read_rows("f.csv", raw))
    assert str(caught.value) == english
    assert caught.value.render(Translator("cy")).startswith(welsh)
