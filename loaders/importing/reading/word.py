"""Word documents (.docx, python-docx): paragraphs and tables in body order."""
from __future__ import annotations

import re
from pathlib import Path

from loaders.errors import LoadError
from loaders.importing.reading.office import refuse_office_container
from loaders.importing.reading.outline import Block, Cell, Outline, Place, clean

_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)


def read_docx(path: Path) -> Outline:
    """Paragraphs and tables in body order; heading levels from the paragraph styles (Heading 1 /
    Overskrift 1), list items from numbering; a table cell's lead is its first paragraph or bold start."""
    refuse_office_container(path, "Word document")
    import docx  # python-docx: its XML parser resolves no external entities
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError/ValueError/BadZipFile for broken packages alike
        raise LoadError(path, f"not a readable Word document ({type(exc).__name__}: {exc})") from None
    blocks: list[Block] = []
    paragraph_no = table_no = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = clean(item.text)
            if not text:
                continue
            paragraph_no += 1
            blocks.append(_docx_paragraph(item, text, Place(paragraph=paragraph_no)))
        elif isinstance(item, Table):
            table_no += 1
            blocks += _docx_table(item, table_no)
    title = clean(document.core_properties.title or "")
    return Outline(path, blocks, title, "docx")


def _docx_paragraph(paragraph, text: str, place: Place) -> Block:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    match = _HEADING_STYLE.match(style.strip())
    if match:
        return Block("heading", text, place, int(match.group(1)))
    if style.strip().lower() in ("title", "titel"):
        return Block("heading", text, place, 0)
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if numbered or style.lower().startswith(("list", "liste")):
        return Block("item", text, place)
    return Block("paragraph", text, place)


def _docx_table(table, table_no: int) -> list[Block]:
    """One block per row; a cell merged across columns is read once (python-docx repeats it)."""
    blocks = []
    for row_no, row in enumerate(table.rows, start=1):
        cells: list[Cell] = []
        seen: set[int] = set()
        for column_no, cell in enumerate(row.cells, start=1):
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            paragraphs = [clean(p.text) for p in cell.paragraphs if clean(p.text)]
            lead = paragraphs[0] if len(paragraphs) > 1 else _bold_start(cell.paragraphs)
            cells.append(Cell(clean(" ".join(paragraphs)), lead,
                              Place(table=table_no, row=row_no, column=column_no)))
        text = " | ".join(c.text for c in cells if c.text)
        blocks.append(Block("row", text, Place(table=table_no, row=row_no), cells=tuple(cells), width=len(row.cells)))
    return blocks


def _bold_start(paragraphs) -> str:
    if not paragraphs:
        return ""
    lead = []
    for run in paragraphs[0].runs:
        if not run.bold:
            break
        lead.append(run.text)
    return clean("".join(lead))
