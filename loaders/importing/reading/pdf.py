"""Text-based PDF files (pdfplumber): lines grouped into headings and paragraphs, ruled tables as rows."""
from __future__ import annotations

import re
from pathlib import Path

from loaders.errors import LoadError
from loaders.importing.reading.outline import Block, Cell, Outline, Place, clean


def read_pdf(path: Path) -> Outline:
    """Text lines outside tables grouped into headings (larger or bold type) and paragraphs, and each
    table (found from its ruling) as rows of cells; a PDF without a text layer is refused."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException
    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as exc:
        name = str(exc)
        if "Password" in name or "Encrypt" in name:
            raise LoadError(path, "the PDF is password-protected (encrypted)",
                            hint="save a copy without a password and import that") from None
        raise LoadError(path, f"not a readable PDF ({name})") from None
    except Exception as exc:  # pdfminer raises many types for a broken file; all mean the same here
        raise LoadError(path, f"not a readable PDF ({type(exc).__name__})") from None
    with pdf:
        pages = [_pdf_page(page, number) for number, page in enumerate(pdf.pages, start=1)]
        title = clean((pdf.metadata or {}).get("Title", "") or "")
    lines = [line for page in pages for line in page]
    if not any(kind == "line" and text for kind, text, *_ in lines) and not any(kind == "row" for kind, *_ in lines):
        raise LoadError(path, "the PDF has no text layer (a scanned document?)",
                        hint="run it through OCR first, or import the Word document it was made from")
    return Outline(path, _pdf_blocks(lines), title, "pdf")


def _pdf_page(page, number: int) -> list[tuple]:
    """(kind, text, page, top, size, bold, cells) for each line and each table row, in reading order."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        return not any(x0 - 1 <= obj.get("x0", 0) and obj.get("x1", 0) <= x1 + 1 and top - 1 <= obj.get("top", 0)
                       and obj.get("bottom", 0) <= bottom + 1 for x0, top, x1, bottom in boxes)

    items: list[tuple] = []
    for line in page.filter(outside).extract_text_lines(return_chars=True):
        chars = [c for c in line["chars"] if c["text"].strip()]
        if not chars:
            continue
        size = sorted(c["size"] for c in chars)[len(chars) // 2]  # the median: a superscript ¹ does not count
        bold = all("bold" in c["fontname"].lower() for c in chars)
        items.append(("line", clean(line["text"]), number, line["top"], round(size, 1), bold, (), len(chars),
                      line["bottom"]))
    for table_index, table in enumerate(tables):
        for row in table.rows:
            cells = []
            for column, bbox in enumerate(row.cells, start=1):
                if bbox is None:  # covered by a cell spanning columns: read once, at its first column
                    continue
                region = page.crop(bbox)
                words = region.extract_words(extra_attrs=["fontname"])
                text = clean(" ".join(w["text"] for w in words))
                lead = []
                for word in words:
                    if "bold" not in word["fontname"].lower():
                        break
                    lead.append(word["text"])
                cells.append((column, text, clean(" ".join(lead)) if len(lead) < len(words) else ""))
            items.append(("row", "", number, row.bbox[1], 0, False, tuple(cells), table_index, len(row.cells)))
    return sorted(items, key=lambda item: item[3])


def _pdf_blocks(items: list[tuple]) -> list[Block]:
    """Lines to headings and paragraphs: type larger than the body's (or bold on its own) is a heading,
    its level by size; body lines run together until a heading, a table or a list mark."""
    weight: dict[float, int] = {}
    for item in items:
        if item[0] == "line":
            weight[item[4]] = weight.get(item[4], 0) + item[7]
    sizes = list(weight)
    body = max(weight, key=weight.get) if weight else 0  # the size most characters are set in
    heading_sizes = sorted({s for s in sizes if s > body * 1.12}, reverse=True)
    blocks: list[Block] = []
    paragraph_no = 0
    table_ids: dict[tuple[int, int], int] = {}
    row_counts: dict[int, int] = {}
    current: Block | None = None
    previous: tuple | None = None  # the last body line, for the gap to the next
    for item in items:
        kind, text, page = item[0], item[1], item[2]
        if kind == "row":
            table_no = table_ids.setdefault((page, item[7]), len(table_ids) + 1)
            row_counts[table_no] = row_counts.get(table_no, 0) + 1
            row_no = row_counts[table_no]
            cells = tuple(Cell(t, lead, Place(page=page, table=table_no, row=row_no, column=c))
                          for c, t, lead in item[6])
            blocks.append(Block("row", " | ".join(c.text for c in cells if c.text), Place(page=page, table=table_no,
                                row=row_no), cells=cells, width=item[8]))
            current = None
            continue
        size, bold = item[4], item[5]
        if size in heading_sizes or (bold and len(text) < 120):
            level = heading_sizes.index(size) + 1 if size in heading_sizes else len(heading_sizes) + 1
            if current is not None and current.kind == "heading" and current.level == level:
                current.text = clean(current.text + " " + text)  # a heading wrapped over two lines
                continue
            paragraph_no += 1
            current = Block("heading", text, Place(page=page, paragraph=paragraph_no), level)
            blocks.append(current)
            continue
        is_item = bool(re.match(r"^(?:[•·▪◦\-–]\s|\d+[.)]\s)", text))
        # a gap of more than half a line between two lines parts paragraphs
        gap = previous is not None and (previous[2] != page or item[3] - previous[8] > 0.5 * size)
        previous = item
        if current is not None and current.kind in ("paragraph", "item") and not is_item and not gap:
            current.text = clean(current.text + " " + text)
            continue
        paragraph_no += 1
        current = Block("item" if is_item else "paragraph", re.sub(r"^[•·▪◦\-–]\s", "", text),
                        Place(page=page, paragraph=paragraph_no))
        blocks.append(current)
    return blocks
