"""Each format read into one neutral outline: blocks of text, each with its place in the document.

Word, PDF, spreadsheets and plain text say "this is a heading" and "this is a table" in different
ways; everything after this module (levels, amounts, matching, the draft) works on the outline only,
so a format is added here and nowhere else. A file that cannot be read as what it claims to be is
refused with one LoadError naming the file and, where there is one, the place.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable

from loaders.errors import LoadError
from loaders.importing.reading.outline import Block, Cell, Outline, Place, clean
from loaders.importing.reading.pdf import read_pdf
from loaders.importing.reading.sheet import read_csv, read_xlsx
from loaders.importing.reading.text import read_text
from loaders.importing.reading.word import read_docx

log = logging.getLogger(__name__)

# A plan is a few MB at most; a bigger file is refused before a reader (or a zip bomb) fills memory.
MAX_FILE_BYTES = 50_000_000


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


READERS: dict[str, Callable[[Path], Outline]] = {
    ".docx": read_docx, ".pdf": read_pdf, ".xlsx": read_xlsx, ".csv": read_csv, ".txt": read_text,
}


def suffixes() -> Iterable[str]:
    return sorted(READERS)


__all__ = ["Block", "Cell", "Outline", "Place", "READERS", "clean", "read_csv", "read_docx", "read_outline", "read_pdf",
           "read_text", "read_xlsx", "suffixes"]
