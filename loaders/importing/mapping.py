"""A declared spreadsheet mapping: which sheet and columns hold the initiative, the focus area, the
target group and size, each year's amount, and the unit.

A header row can be guessed (tables.columns_from_header), but a spreadsheet someone maintains has
columns named their own way; the mapping makes the import exact and repeatable. A small YAML file:

    sheet: Tabel 1            # the sheet's name (default: the first sheet)
    headerRow: 1              # rows up to this one are headings, not lines
    columns: {focusArea: A, initiative: B, description: C, targetGroup: D}
    years: {2019: E, 2020: F, 2021: G, 2022: H}
    unit: 1.000 kr.           # or mio. kr. or kr.
    title: Integrationshandleplan 2019-22   # the plan's title (a sheet seldom states it)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from loaders.authoring import read_yaml
from loaders.errors import LoadError
from loaders.importing.amounts import KRONER, unit_in
from loaders.importing.tables import Columns

_KEYS = {"sheet", "headerRow", "columns", "years", "unit", "focusWord", "title"}
_COLUMN_KEYS = {"focusArea": "focus", "initiative": "initiative", "description": "description", "targetGroup": "size"}


@dataclass
class SheetMapping:
    sheet: str | None
    columns: Columns
    title: str = ""


def column_number(letters: object) -> int | None:
    """`A` -> 1, `AB` -> 28; a number is taken as it is; anything else None."""
    if isinstance(letters, int) and letters > 0:
        return letters
    text = str(letters).strip().upper()
    if not re.fullmatch(r"[A-Z]{1,3}", text):
        return None
    number = 0
    for char in text:
        number = number * 26 + ord(char) - 64
    return number


def read_mapping(path: Path) -> SheetMapping:
    """The mapping file, checked key by key; a mistake names the mapping file and its line."""
    data = read_yaml(Path(path))
    if not isinstance(data, dict):
        raise LoadError(path, "expected a mapping with sheet, headerRow, columns, years and unit", 1)

    def fail(problem: str, key: str, hint: str | None = None) -> LoadError:
        line = data.lc.key(key)[0] + 1 if hasattr(data, "lc") and key in data else None
        return LoadError(path, problem, line, hint=hint)

    unknown = sorted(set(map(str, data)) - _KEYS)
    if unknown:
        raise fail(f"unknown key '{unknown[0]}'", unknown[0], "expected " + ", ".join(sorted(_KEYS)))
    columns = Columns(header_row=int(data.get("headerRow", 1)))
    for key, letters in (data.get("columns") or {}).items():
        if key not in _COLUMN_KEYS:
            raise fail(f"unknown column role '{key}'", "columns", "expected " + ", ".join(_COLUMN_KEYS))
        number = column_number(letters)
        if number is None:
            raise fail(f"'{letters}' is not a column (a letter such as B)", "columns")
        setattr(columns, _COLUMN_KEYS[key], number)
    for year, letters in (data.get("years") or {}).items():
        number = column_number(letters)
        if not re.fullmatch(r"(19|20)\d\d", str(year)) or number is None:
            raise fail(f"'{year}: {letters}' is not a year and a column", "years", "write e.g. 2019: E")
        columns.years[number] = int(year)
    if columns.initiative is None or not columns.years:
        raise fail("the mapping names no initiative column or no year columns", "columns",
                   "give columns: {initiative: B} and years: {2019: E, ...}")
    if "unit" in data:
        stated = str(data["unit"])
        columns.unit = unit_in(stated) or (KRONER if re.fullmatch(r"\s*kr\.?\s*", stated) else None)
        if columns.unit is None:
            raise fail(f"unknown unit '{stated}'", "unit", "write kr., 1.000 kr. or mio. kr.")
    columns.focus_word = str(data.get("focusWord", "fokusområde"))
    sheet = data.get("sheet")
    return SheetMapping(str(sheet) if sheet is not None else None, columns, str(data.get("title", "")))
