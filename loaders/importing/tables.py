"""Budget tables: years as columns, a line per initiative, groups (pejlemærker) and their totals.

Which column is what comes from the header row (`Fokusområde`, `Indsatser (udgifter i 1.000 kr.)`,
`Målgruppe årligt`, `2019` ...) or, for a spreadsheet, from a declared mapping (mapping.py); the rows
are then read the same way. Every printed total is checked against the lines above it: a table that
does not add up is refused at its row, since a draft with silently wrong sums would pass review.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from loaders.errors import LoadError
from loaders.importing.amounts import KRONER, NotAnAmount, Unit, looks_like_year, parse_cell, unit_in
from loaders.importing.matching import Catalogue, Match, normalise
from loaders.importing.nodes import BudgetLine, DraftNode, DraftPlan, Found, StatedTotal
from loaders.importing.reading import Block, Cell
from loaders.importing.sizes import parse_size
from loaders.importing.wording import Reason

_TOTAL = re.compile(r"^(?:i alt|total|totalt|sum|samlet|samlede udgifter)\b", re.IGNORECASE)
_GROUP = re.compile(r"^(?P<word>pejlemærke|indsatsområde|kerneområde|fokusområde|tema|mål)\s*(?P<no>\d+)?"
                    r"\s*[:.\-–]?\s*"
                    r"(?P<label>.*)$", re.IGNORECASE)
_STAR = re.compile(r"^\s*\*+\s*[¹²³⁴⁵⁶⁷⁸⁹]*\s*")


@dataclass
class Columns:
    """Which column (1-based) holds what; years maps a column to the year it counts."""

    header_row: int | None = None
    focus: int | None = None
    initiative: int | None = None
    description: int | None = None
    size: int | None = None
    years: dict[int, int] = field(default_factory=dict)
    unit: Unit | None = None
    focus_word: str = "fokusområde"


def columns_from_header(row: Block) -> Columns | None:
    """Column roles from a header row's words; None when the row names no years (not a budget table)."""
    columns = Columns(header_row=row.place.row)
    for cell in row.cells:
        text, number = normalise(cell.text), cell.place.column
        year = looks_like_year(cell.text)  # a spreadsheet's 2019 (a number) reads as the text '2019' too
        if year:
            columns.years[number] = year
        elif re.search(r"område|pejlemærke|fokuspunkt", text) and columns.focus is None:
            columns.focus, columns.focus_word = number, text.split()[0]
        elif re.search(r"indsats|initiativ|tiltag|aktivitet", text) and columns.initiative is None:
            columns.initiative = number
        elif re.search(r"beskrivelse|indhold", text):
            columns.description = number
        elif re.search(r"målgruppe|antal|deltagere|borgere", text):
            columns.size = number
        columns.unit = columns.unit or unit_in(cell.text)
    return columns if columns.years and columns.initiative is not None else None


@dataclass
class _Group:
    label: str
    rows: list[tuple[DraftNode, Block]] = field(default_factory=list)
    open: bool = True


class BudgetTable:
    """One budget table being read, kept across its continuations (a table broken by a page or a
    note reads on with the same columns, groups and running sums)."""

    def __init__(self, path: Path, columns: Columns, plan: DraftPlan, catalogue: Catalogue, municipality_prefix: str,
                 caption_unit: Unit | None) -> None:
        self.path, self.columns, self.plan, self.catalogue = path, columns, plan, catalogue
        self.prefix = municipality_prefix
        self.unit = columns.unit or caption_unit or KRONER
        self.unit_sure = columns.unit is not None or caption_unit is not None
        self.group: _Group | None = None
        self.bearing: Match | None = None
        self.every_line: list[tuple[DraftNode, Block]] = []
        self.focus_nodes: dict[str, DraftNode] = {}

    def read(self, rows: list[Block], skip_header: bool = True) -> None:
        """Add the rows' focus areas, initiatives, lines outside the groups and stated totals to the plan."""
        columns, plan = self.columns, self.plan
        for row in rows:
            if skip_header and columns.header_row is not None and row.place.row is not None \
                    and row.place.row <= columns.header_row:
                continue
            cells = {c.place.column: c for c in row.cells}
            amounts = _amounts(self.path, cells, columns)
            texts = [c for number, c in cells.items() if number not in columns.years and c.text]
            if not texts and not any(v is not None for v in amounts.values()):
                continue
            first = texts[0].text if texts else ""
            if _TOTAL.match(first.replace("<u>", "")):
                self.group, self.bearing = _total(self.path, row, first, amounts, self.unit, self.group,
                                                  self.every_line, plan, self.bearing)
                continue
            if all(v is None for v in amounts.values()) and len(texts) == 1 and _GROUP.match(first):
                self.start_group(first)
                continue
            self.line(row, cells, amounts)

    def start_group(self, text: str) -> None:
        match = _GROUP.match(text)
        label = match.group("label") or text
        self.bearing = self.catalogue.best(label, "bearing") or Match("", 0.0, text, new=True)
        self.group = _Group(text)
        if match.group("word").lower() not in self.plan.levels:
            self.plan.levels.append(match.group("word").lower())

    def line(self, row: Block, cells: dict[int, Cell], amounts: dict[int, Decimal | None]) -> None:
        columns, plan = self.columns, self.plan
        node = _line(row, cells, columns, amounts, self.unit, self.unit_sure, self.catalogue, self.prefix)
        if node is None:
            plan.unplaced.append((row.place, row.text))
            return
        self.every_line.append((node, row))
        in_group = self.group is not None and self.group.open
        if in_group:
            self.group.rows.append((node, row))
            node.under_bearing = node.under_bearing or self.bearing
        focus_cell = cells.get(columns.focus) if columns.focus else None
        if focus_cell is not None and focus_cell.text:
            focus = self.focus_nodes.get(normalise(focus_cell.text))
            if focus is None:
                focus = DraftNode("FocusArea", focus_cell.text, Found(focus_cell.place, focus_cell.text, 0.9,
                                  Reason("table_column", {"word": columns.focus_word})), term=columns.focus_word)
                focus.under_bearing = self.bearing if in_group else None
                self.focus_nodes[normalise(focus_cell.text)] = focus
                plan.nodes.append(focus)
                if columns.focus_word not in plan.levels:
                    plan.levels.append(columns.focus_word)
            focus.children.append(node)
        elif in_group:
            plan.nodes.append(node)
        else:
            plan.budget_lines.append(node)


def _amounts(path: Path, cells: dict[int, Cell], columns: Columns) -> dict[int, Decimal | None]:
    """Each year's figure in the row; text where a figure belongs is refused with its cell."""
    out: dict[int, Decimal | None] = {}
    for number, year in columns.years.items():
        cell = cells.get(number)
        try:
            out[year] = parse_cell(cell.value if cell is not None and cell.value is not None else
                                   (cell.text if cell is not None else None))
        except NotAnAmount as exc:
            raise LoadError(path, f"{cell.place.describe()}: {exc} in the {year} column",
                            hint="write the amount as a number, or leave the cell empty") from None
    return out


def _line(row: Block, cells: dict[int, Cell], columns: Columns, amounts: dict[int, Decimal | None], unit: Unit,
          unit_sure: bool, catalogue: Catalogue, municipality_prefix: str) -> DraftNode | None:
    """One initiative (or reserved pool) line with its budget, size, target groups and themes."""
    cell = cells.get(columns.initiative)
    if cell is None or not cell.text:
        return None
    label, description, confidence = _title(cell)
    evidence = cell.text.lstrip().startswith("*")  # the annex's star: judged to work (evidenceBased)
    label = _STAR.sub("", label).strip()
    if columns.description and cells.get(columns.description) is not None:
        description = cells[columns.description].text or description
    if not unit_sure:
        confidence = min(confidence, 0.5)
    kind = "ReservedFund" if re.search(r"\bpulje", label, re.IGNORECASE) else "Initiative"
    node = DraftNode(kind, label, Found(cell.place, row.text, confidence,
                     Reason("table_line" if unit_sure else "table_line_no_unit")),
                     description=description, evidence_based=True if evidence else None)
    node.budget = [BudgetLine(year, amount, unit) for year, amount in amounts.items() if amount is not None]
    size_cell = cells.get(columns.size) if columns.size else None
    if size_cell is not None and size_cell.text:
        size = parse_size(size_cell.text)
        if size:
            node.sizes.append(size)
    focus_cell = cells.get(columns.focus) if columns.focus else None
    for text in ([focus_cell.text] if focus_cell is not None and focus_cell.text else []):
        match = catalogue.best(text, "tg")
        if match:
            node.target_groups.append(match)
    for match in catalogue.named_in(label, "tg"):
        if match.id not in {m.id for m in node.target_groups}:
            node.target_groups.append(match)
    node.target_groups = _most_specific(node.target_groups)
    text = f"{label}. {description}"
    if not node.target_groups and node.sizes:
        who = node.sizes[0].who
        named = _most_specific(catalogue.named_in(who, "tg"))
        node.target_groups += (catalogue.best(who, "tg") and [catalogue.best(who, "tg")]) or named[:1] or \
            [catalogue.target_group(who)]
    node.themes = catalogue.named_in(text, "theme")
    node.responsible = [m for m in catalogue.named_in(label, "org", municipality_prefix)]
    return node


def _most_specific(matches: list[Match]) -> list[Match]:
    """`ledige kvinder` named in a label also names `ledige` and `kvinder`: only the longest is meant."""
    names = [normalise(m.label) for m in matches]
    return [m for m, name in zip(matches, names)
            if not any(name != other and f" {name} " in f" {other} " for other in names)]


def _title(cell: Cell) -> tuple[str, str, float]:
    """The initiative's name and the rest: the cell's lead (bold or first paragraph) when it has one,
    else the words before a lower-case word is followed by a capitalised one (Danish capitalises the
    first word of a sentence, rarely a word inside a name), else the whole cell."""
    if cell.lead and cell.text.startswith(cell.lead) and cell.lead != cell.text:
        return cell.lead, cell.text[len(cell.lead):].strip(), 0.9
    if len(cell.text) <= 120 and "." not in cell.text.rstrip(".")[:-1]:
        return cell.text.rstrip("."), "", 0.85
    words = cell.text.split()
    for index in range(1, len(words)):
        if words[index][:1].isupper() and words[index - 1][-1:].isalpha() and (index == 1 or words[index - 1][:1].islower()):
            return " ".join(words[:index]), " ".join(words[index:]), 0.6
    return cell.text, "", 0.4


def _total(path: Path, row: Block, first: str, amounts: dict[int, Decimal | None], unit: Unit,
           group: _Group | None, every_line: list, plan: DraftPlan, bearing):
    """A printed total: the group's when its lines add up to it, else the plan's when all lines do,
    else the table does not add up and the row is named."""
    in_group = group.rows if group is not None and group.open else None
    stated = {year: amount for year, amount in amounts.items() if amount is not None}

    def sums(lines) -> dict[int, Decimal]:
        return {year: sum((b.amount for node, _r in lines for b in node.budget if b.year == year), Decimal(0))
                for year in stated}

    quote = " ".join(c.text for c in row.cells if c.text)
    if in_group is not None and sums(in_group) == stated:
        for year, amount in stated.items():
            plan.totals.append(StatedTotal(year, amount, unit, Found(row.place, quote, 0.9, Reason("subtotal")),
                                           bearing, group.label))
        group.open = False
        return group, None
    if sums(every_line) == stated:
        for year, amount in stated.items():
            plan.totals.append(StatedTotal(year, amount, unit, Found(row.place, quote, 0.9, Reason("total"))))
        return None, None
    lines = in_group if in_group is not None else every_line
    wrong = next(year for year in stated if sums(lines)[year] != stated[year])
    raise LoadError(path, f"{row.place.describe()}: the table does not add up: '{first}' states "
                          f"{stated[wrong]} for {wrong}, but the lines above sum to {sums(lines)[wrong]}",
                    hint="correct the figure or the lines in the file, then import again")
