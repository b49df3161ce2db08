"""Plain text (.txt): blank lines part paragraphs, short lines are headings, tab-separated lines rows."""
from __future__ import annotations

import re
from pathlib import Path

from loaders.importing.reading.outline import Block, Cell, Outline, Place, clean
from loaders.importing.reading.sheet import decoded


_TEXT_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?[^\W\d].{0,100}$")


def read_text(path: Path) -> Outline:
    """Plain text: blank lines part paragraphs; a short line without a full stop is a heading (its
    level from its numbering, `1.` above `1.1`); tab-separated lines are table rows."""
    blocks: list[Block] = []
    paragraph_no = table_no = row_no = 0
    in_table = False
    for chunk in re.split(r"\n\s*\n", decoded(path)):
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
