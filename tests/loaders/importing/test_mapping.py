"""The declared spreadsheet mapping (loaders/importing/mapping.py)."""
from __future__ import annotations

import pytest

from import_seeds import ANNEX_MAPPING
from loaders.errors import LoadError
from loaders.importing.mapping import column_number, read_mapping


def test_the_annex_mapping(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(ANNEX_MAPPING, encoding="utf-8")
    mapping = read_mapping(path)
    columns = mapping.columns
    assert (mapping.sheet, mapping.title, columns.header_row) == ("Tabel 1", "Integrationshandleplan 2019-22", 1)
    assert (columns.focus, columns.initiative, columns.description, columns.size) == (1, 2, 3, 4)
    assert columns.years == {5: 2019, 6: 2020, 7: 2021, 8: 2022} and columns.unit.multiplier == 1000


@pytest.mark.parametrize("text, words", [
    ("sheet: A\ncolums: {initiative: B}\n", ["unknown key 'colums'", ":2"]),
    ("columns: {initiative: B, budget: C}\nyears: {2019: D}\n", ["unknown column role 'budget'"]),
    ("columns: {initiative: 7x}\nyears: {2019: D}\n", ["'7x' is not a column"]),
    ("columns: {initiative: B}\nyears: {19: D}\n", ["'19: D' is not a year and a column"]),
    ("columns: {focusArea: A}\n", ["names no initiative column or no year columns"]),
    ("columns: {initiative: B}\nyears: {2019: D}\nunit: pund\n", ["unknown unit 'pund'"]),
    ("- a list\n", ["expected a mapping"]),
])
def test_mistakes_name_the_mapping_file_and_line(tmp_path, text, words):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        read_mapping(path)
    for word in words:
        assert word in str(caught.value)
    assert str(caught.value).startswith(str(path))


def test_column_letters():
    assert [column_number(x) for x in ("A", "h", "AB", 3, "3", "", "ÆØ")] == [1, 8, 28, 3, None, None, None]
