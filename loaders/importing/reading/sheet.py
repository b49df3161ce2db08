"""Spreadsheets (.xlsx through openpyxl, .csv): every non-empty row as a table row with typed values."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from loaders.errors import LoadError
from loaders.importing.reading.office import refuse_office_container
from loaders.importing.reading.outline import Block, Cell, Outline, Place, clean


def read_xlsx(path: Path) -> Outline:
    """Every sheet's non-empty rows as table rows with typed values; merged cells are refused, since
    their value stands in one cell only and the others would silently read as empty."""
    refuse_office_container(path, "spreadsheet")
    import openpyxl  # reads XML through defusedxml when it is installed (it is a dependency)
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises InvalidFileException, KeyError, ... for broken packages
        raise LoadError(path, f"not a readable spreadsheet ({type(exc).__name__}: {exc})") from None
    blocks: list[Block] = []
    for table_no, sheet in enumerate(workbook.worksheets, start=1):
        if sheet.merged_cells.ranges:
            merged = sorted(str(r) for r in sheet.merged_cells.ranges)[0]
            raise LoadError(path, f"sheet '{sheet.title}', cells {merged}: merged cells",
                            hint="unmerge them and write the value in every cell it stands for")
        for row in sheet.iter_rows():
            cells = tuple(Cell(clean(c.value) if c.value is not None else "", "", Place(
                sheet=sheet.title, table=table_no, row=c.row, column=c.column, cell=c.coordinate), c.value)
                for c in row)
            if any(c.text for c in cells):
                blocks.append(Block("row", " | ".join(c.text for c in cells if c.text),
                                    Place(sheet=sheet.title, table=table_no, row=row[0].row), cells=cells,
                                    width=len(cells)))
    workbook.close()
    return Outline(path, blocks, "", "xlsx")


def read_csv(path: Path) -> Outline:
    """A CSV as one table; `;` or `,` or tab as Excel writes them, UTF-8 (or Windows-1252) text."""
    text = decoded(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    blocks = []
    for row_no, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = tuple(Cell(clean(v), "", Place(table=1, row=row_no, column=c, cell=_cell_name(c, row_no)), v)
                      for c, v in enumerate(row, start=1))
        if any(c.text for c in cells):
            blocks.append(Block("row", " | ".join(c.text for c in cells if c.text), Place(table=1, row=row_no),
                                cells=cells, width=len(cells)))
    return Outline(path, blocks, "", "csv")


def _cell_name(column: int, row: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def decoded(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise LoadError(path, "not a text file (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
