"""The neutral outline every reader produces: blocks of text, each with its place in the document."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ontology.texts import translate


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
