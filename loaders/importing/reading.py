"""Each format read into one neutral outline: blocks of text, each with its place in the document.

Word, PDF, spreadsheets and plain text say "this is a heading" and "this is a table" in different
ways; everything after this module (levels, amounts, matching, the draft) works on the outline only,
so a format is added here and nowhere else. A file that cannot be read as what it claims to be is
refused with one LoadError naming the file and, where there is one, the place.
"""
from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from loaders.errors import LoadError
from ontology.texts import translate

log = logging.getLogger(__name__)

# A plan is a few MB at most; a bigger file is refused before a reader (or a zip bomb) fills memory.
MAX_FILE_BYTES = 50_000_000
MAX_UNPACKED_BYTES = 500_000_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted Office files (and old .doc/.xls) are OLE containers
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class Place:
    """Where a block stands: page (PDF), paragraph number, table/row/column, or sheet and cell."""

    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None
    heading_path: tuple[str, ...] = ()

    def describe(self, lang: str = "en") -> str:
        """The place in words a reviewer can find it by: `page 2, table 1, row 3, column 4`, or in
        Danish `side 2, tabel 1, række 3, kolonne 4` (the words: ontology/texts/importing.yaml)."""
        def word(key: str, **values: object) -> str:
            return translate(f"importing.place.{key}", lang).format(**values)

        parts = []
        if self.sheet is not None:
            parts.append(word("sheet", name=self.sheet))
        if self.page is not None:
            parts.append(word("page", n=self.page))
        if self.cell is not None:
            parts.append(word("cell", name=self.cell))
        elif self.sheet is not None and self.row is not None:
            parts.append(word("row", n=self.row))
        elif self.table is not None:
            parts.append(word("table", n=self.table))
            parts += [word("row", n=self.row)] if self.row is not None else []
            parts += [word("column", n=self.column)] if self.column is not None else []
        elif self.paragraph is not None:
            parts.append(word("paragraph", n=self.paragraph))
        if self.heading_path:
            parts.append(word("under", path=" > ".join(self.heading_path)))
        return ", ".join(parts)

    def as_json(self) -> dict[str, object]:
        """The place as plain values (source.json keeps it so a page can word it in its reader's language)."""
        return {name: value for name, value in asdict(self).items() if value not in (None, ())}

    @classmethod
    def from_json(cls, values: dict[str, object]) -> "Place":
        known = {f for f in cls.__dataclass_fields__}
        kept = {k: v for k, v in values.items() if k in known}
        kept["heading_path"] = tuple(kept.get("heading_path") or ())
        return cls(**kept)


@dataclass(frozen=True)
class Cell:
    """One table cell: its whole text, and its lead (a bold first part or first paragraph: a title)."""

    text: str
    lead: str = ""
    place: Place = field(default_factory=Place)
    value: object = None  # a spreadsheet's typed value (a number stays a number)


@dataclass
class Block:
    """A heading (level 1 is the top), a paragraph, a list item, or a table row with its cells."""

    kind: str  # heading | paragraph | item | row
    text: str
    place: Place
    level: int = 0
    cells: tuple[Cell, ...] = ()
    width: int = 0  # a row's number of columns in its table (cells spanning columns count for each)


@dataclass
class Outline:
    """What a reader found: the blocks in reading order, and the document's title if it states one."""

    path: Path
    blocks: list[Block]
    title: str = ""
    kind: str = ""  # docx | pdf | xlsx | csv | txt

    def rows(self, table: int | None = None, sheet: str | None = None) -> list[Block]:
        return [b for b in self.blocks if b.kind == "row" and (table is None or b.place.table == table)
                and (sheet is None or b.place.sheet == sheet)]


def clean(text: str) -> str:
    """One line of text: runs of white space as one space, soft hyphens dropped."""
    return " ".join(str(text).replace("\u00ad", "").split())


def read_outline(path: Path) -> Outline:
    """The outline of a DOCX, PDF, XLSX, CSV or text file; LoadError for anything else or unreadable."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(path, "no such file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise LoadError(path, f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB",
                        hint="import the plan's own pages")
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise LoadError(path, f"unknown format '{suffix or path.name}'",
                        hint="expected " + ", ".join(sorted(READERS)))
    try:
        outline = reader(path)
    except LoadError:
        raise
    except Exception as exc:  # a file that opened but breaks the reader half-way: our limit, told as one sentence
        log.warning("reading %s failed", path, exc_info=True)
        raise LoadError(path, f"the file could not be read to the end as {suffix} ({type(exc).__name__})",
                        hint="save it again from the program that made it, or export it as .docx or .pdf") from None
    outline.blocks = _with_heading_paths(outline.blocks)
    if not any(b.text.strip() for b in outline.blocks):
        raise LoadError(path, "the file holds no text")
    return outline


def _with_heading_paths(blocks: list[Block]) -> list[Block]:
    """Each block's place gets the headings above it, so a quote can be found by its section."""
    stack: list[tuple[int, str]] = []
    out = []
    for block in blocks:
        if block.kind == "heading":
            stack = [(level, text) for level, text in stack if level < block.level]
            block.place = replace(block.place, heading_path=tuple(t for _l, t in stack))
            stack.append((block.level, block.text[:80]))
        else:
            block.place = replace(block.place, heading_path=tuple(t for _l, t in stack))
        out.append(block)
    return out


def _refuse_office_container(path: Path, what: str) -> None:
    """A .docx/.xlsx is a zip; an OLE container in its place is a password-protected file or an old format."""
    with path.open("rb") as handle:
        head = handle.read(len(_OLE_MAGIC))
    if head == _OLE_MAGIC:
        if _ENCRYPTED_MARK in path.read_bytes():
            raise LoadError(path, f"the {what} is password-protected (encrypted)",
                            hint="save a copy without a password and import that")
        raise LoadError(path, f"not a {what} in the current format (an old binary Office file?)",
                        hint="save it as " + path.suffix.lower())
    if not zipfile.is_zipfile(path):
        raise LoadError(path, f"not a readable {what} (the file is not an Office Open XML package)")
    with zipfile.ZipFile(path) as package:
        unpacked = sum(info.file_size for info in package.infolist())
    if unpacked > MAX_UNPACKED_BYTES:  # a zip bomb, or far more than any plan
        raise LoadError(path, f"the {what} unpacks to more than {MAX_UNPACKED_BYTES // 1_000_000} MB")


# ---------------------------------------------------------------------------------------------- Word
_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)


def read_docx(path: Path) -> Outline:
    """Paragraphs and tables in body order; heading levels from the paragraph styles (Heading 1 /
    Overskrift 1), list items from numbering; a table cell's lead is its first paragraph or bold start."""
    _refuse_office_container(path, "Word document")
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


# ----------------------------------------------------------------------------------------------- PDF
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


# --------------------------------------------------------------------------------------- spreadsheets
def read_xlsx(path: Path) -> Outline:
    """Every sheet's non-empty rows as table rows with typed values; merged cells are refused, since
    their value stands in one cell only and the others would silently read as empty."""
    _refuse_office_container(path, "spreadsheet")
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
    text = _decoded(path)
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


def _decoded(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise LoadError(path, "not a text file (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# ------------------------------------------------------------------------------------------ plain text
_TEXT_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?[^\W\d].{0,100}$")


def read_text(path: Path) -> Outline:
    """Plain text: blank lines part paragraphs; a short line without a full stop is a heading (its
    level from its numbering, `1.` above `1.1`); tab-separated lines are table rows."""
    blocks: list[Block] = []
    paragraph_no = table_no = row_no = 0
    in_table = False
    for chunk in re.split(r"\n\s*\n", _decoded(path)):
        lines = [line for line in chunk.splitlines() if line.strip()]
        for line in lines if any("\t" in line for line in lines) else [" ".join(lines)]:
            if "\t" in line:
                if not in_table:
                    table_no, row_no, in_table = table_no + 1, 0, True
                row_no += 1
                cells = tuple(Cell(clean(v), "", Place(table=table_no, row=row_no, column=c))
                              for c, v in enumerate(line.split("\t"), start=1))
                blocks.append(Block("row", " | ".join(c.text for c in cells if c.text),
                                    Place(table=table_no, row=row_no), cells=cells, width=len(cells)))
                continue
            in_table = False
            text = clean(line)
            if not text:
                continue
            paragraph_no += 1
            place = Place(paragraph=paragraph_no)
            if _TEXT_HEADING.match(text) and not text.endswith((".", ",", ";")) and len(text) <= 100:
                number = re.match(r"^(\d+(?:\.\d+)*)", text)
                level = number.group(1).count(".") + 1 if number else 1
                blocks.append(Block("heading", text, place, level))
            elif re.match(r"^[•·▪\-–]\s", text):
                blocks.append(Block("item", text[2:].strip(), place))
            else:
                blocks.append(Block("paragraph", text, place))
    return Outline(path, blocks, "", "txt")


READERS: dict[str, Callable[[Path], Outline]] = {
    ".docx": read_docx, ".pdf": read_pdf, ".xlsx": read_xlsx, ".csv": read_csv, ".txt": read_text,
}


def suffixes() -> Iterable[str]:
    return sorted(READERS)
