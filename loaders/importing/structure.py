"""The plan's levels found in an outline: headings, their numbering and the document's own level words.

Danish plans name their levels (pejlemærke, fokusområde, indsatsområde, kerneområde, mål, målsætning,
succeskriterie, indsats) and number them (`1. Kerneområde`, `1.1 ...`); a heading or a list under a
plural level word (`Målsætninger`) becomes a node of that kind, a numbered heading below a numbered
one becomes its child, and budget tables are handed to tables.py. What fits nowhere is counted and
reported, never guessed into the plan.
"""
from __future__ import annotations

import re
from itertools import takewhile
from pathlib import Path

from loaders.importing.amounts import amounts_in_text, unit_in
from loaders.importing.dates import Deadline, find_deadline
from loaders.importing.matching import Catalogue, normalise
from loaders.importing.nodes import BudgetLine, DraftNode, DraftPlan, Found, StatedTotal
from loaders.importing.reading import Block, Outline, Place
from loaders.importing.tables import BudgetTable, Columns, columns_from_header
from loaders.importing.wording import Reason

# The document's level words (singular and plural stems) and the ontology class each stands for.
LEVEL_WORDS: list[tuple[str, str, str]] = [
    (r"pejlemærke(?:r|rne)?", "Bearing", "pejlemærke"),
    (r"kerneområde(?:r|rne)?", "FocusArea", "kerneområde"),
    (r"fokusområde(?:r|rne)?", "FocusArea", "fokusområde"),
    (r"indsatsområde(?:r|rne)?", "FocusArea", "indsatsområde"),
    (r"temaområde(?:r|rne)?|tema(?:er|erne)?", "FocusArea", "tema"),
    (r"fokuspunkt(?:er|erne)?", "FocusArea", "fokuspunkt"),
    (r"målsætning(?:er|erne)?", "Goal", "målsætning"),
    (r"delmål|mål(?:ene)?", "Goal", "mål"),
    (r"succeskriteri(?:e|er|erne|um|et)", "SuccessCriterion", "succeskriterie"),
    (r"indsats(?:er|erne)?|initiativ(?:er|erne)?|tiltag(?:ene)?", "Initiative", "indsats"),
    (r"mission", "Mission", "mission"),
    (r"vision", "Vision", "vision"),
]
_PLURAL = re.compile(r"(?:er|erne|ene|r|rne)$")
_HEADING = re.compile(r"^(?P<no>\d+(?:\.\d+)*)?\.?\s*(?P<word>" + "|".join(w for w, _k, _t in LEVEL_WORDS)
                      + r")?\b\s*(?P<no2>\d+(?:\.\d+)*)?\s*[:.\-–]?\s*(?P<label>.*)$", re.IGNORECASE)
# Which kinds a node may hold: a heading below one that cannot hold it attaches higher up.
_STATEMENT = re.compile(r"^(mission|vision)\s*[:.\-–]?\s+(\S.*)$", re.IGNORECASE)
_HOLDS = {"Bearing": {"FocusArea", "Goal", "Initiative", "SuccessCriterion"},
          "FocusArea": {"FocusArea", "Goal", "Initiative", "SuccessCriterion"},
          "Goal": {"SuccessCriterion", "Initiative"}, "Initiative": set(), "SuccessCriterion": set()}


def _level_word(word: str) -> tuple[str, str]:
    for pattern, kind, term in LEVEL_WORDS:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return kind, term
    return "", ""


def plan_kind(title: str) -> str:
    """The authoring type a title suggests: handleplan -> ActionPlan, strategi -> Strategy, politik -> Policy."""
    text = title.casefold()
    if "handleplan" in text or "action plan" in text:
        return "ActionPlan"
    if "strategi" in text:
        return "Strategy"
    if "politik" in text:
        return "Policy"
    return "Plan"


def period(text: str) -> tuple[int | None, int | None]:
    """`2019-22` -> (2019, 2022), `2016-2018` -> (2016, 2018), else (None, None)."""
    match = re.search(r"\b((?:19|20)\d\d)\s*[-–]\s*(\d{2}|\d{4})\b", text)
    if not match:
        return None, None
    start, end = int(match.group(1)), match.group(2)
    return start, int(end) if len(end) == 4 else start // 100 * 100 + int(end)


def find_structure(outline: Outline, catalogue: Catalogue, municipality_prefix: str = "",
                   columns: Columns | None = None) -> DraftPlan:
    """The plan an outline describes: its title, levels, parts, budget lines and totals."""
    title_block = next((b for b in outline.blocks if b.kind == "heading"), None) or \
        next((b for b in outline.blocks if b.kind == "paragraph"), None)
    title = outline.title or (title_block.text if title_block else outline.path.stem)
    plan = DraftPlan(title, plan_kind(title))
    plan.valid_from, plan.valid_until = period(title)
    if outline.title:
        plan.found = Found(Place(), outline.title, 0.9, Reason("stated_title"))
    elif title_block is not None:
        plan.found = Found(title_block.place, title_block.text, 0.7, Reason("first_heading"))
    _Walker(outline.path, plan, catalogue, municipality_prefix, columns).walk(outline.blocks)
    plan.bodies = bodies_named(outline, catalogue, municipality_prefix)
    return plan


def bodies_named(outline: Outline, catalogue: Catalogue, prefix: str) -> list:
    """Committees, administrations and partners the text names, each with its first place: the
    reviewer picks preparedBy, adoptedBy or responsible among them (the text rarely says which)."""
    found: dict[str, tuple] = {}
    for block in outline.blocks:
        for match in catalogue.named_in(block.text, "org", prefix):
            found.setdefault(match.id, (match, block.place))
    return list(found.values())


class _Walker:
    """One pass over the blocks keeping the open headings (a stack) and the list section, if any."""

    def __init__(self, path: Path, plan: DraftPlan, catalogue: Catalogue, prefix: str, columns: Columns | None):
        self.path, self.plan, self.catalogue, self.prefix, self.columns = path, plan, catalogue, prefix, columns
        self.stack: list[tuple[int, DraftNode | None, str]] = []  # (heading level, node or None, notation)
        self.section: tuple[str, str, int] | None = None  # list section: (kind, term, level)
        self.section_deadline: Deadline | None = None
        self.last: DraftNode | None = None
        self.last_table: tuple[BudgetTable, int] | None = None  # the last budget table and its width

    def walk(self, blocks: list[Block]) -> None:
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if block.kind == "row":
                table = list(takewhile(lambda b: b.kind == "row" and b.place.table == block.place.table
                                       and b.place.sheet == block.place.sheet, blocks[index:]))
                self.table(table, blocks[max(0, index - 3):index])
                index += len(table)
                continue
            if block.kind == "heading":
                self.heading(block)
            elif self.section and block.kind in ("item", "paragraph"):
                self.section_entry(block)
            elif block.kind == "paragraph" and _STATEMENT.match(block.text):
                self.statement(block)
            elif block.kind == "paragraph" and self.plan_total(block):
                pass
            elif self.last is not None and self.last.kind in ("Mission", "Vision") and not self.last.label:
                self.last.label, self.last.found.quote = _first_sentence(block.text), block.text
            elif self.last is not None:
                self.last.description = (self.last.description + " " + block.text).strip()
            else:
                self.plan.unplaced.append((block.place, block.text))
            index += 1

    # ------------------------------------------------------------------------------------ headings
    def heading(self, block: Block) -> None:
        match = _HEADING.match(block.text)
        number = (match.group("no") or match.group("no2") or "") if match else ""
        word = match.group("word") if match and match.group("word") else ""
        label = match.group("label").strip(" -–:") if match else block.text
        kind, term = _level_word(word) if word else ("", "")
        self.stack = [entry for entry in self.stack if entry[0] < block.level]
        self.section, self.section_deadline = None, None
        plural = bool(word) and _PLURAL.search(word.casefold()) is not None and block.text.lstrip().startswith(word)
        if kind and kind not in ("Mission", "Vision") and \
                (plural or (not label and kind in ("Goal", "SuccessCriterion"))):
            # `Målsætninger`, `Fokusområder i den nuværende handleplan`: the list below holds the nodes
            self.section = (kind, term, block.level)
            self.section_deadline = find_deadline(block.text)
            self.stack.append((block.level, None, number))
            self.last = None
            return
        parent = self.parent_node()
        if not kind and number and parent is not None and "." in number and parent.kind in ("FocusArea", "Bearing"):
            kind, confidence, why = "FocusArea", 0.6, Reason("numbered_below", {"number": number, "label": parent.label})
        elif kind:
            confidence, why = 0.9, Reason("heading_word", {"word": word})
        else:
            self.stack.append((block.level, None, number))
            self.last = None
            return
        if kind in ("Mission", "Vision"):
            node = DraftNode(kind, label, Found(block.place, block.text, 0.8, Reason("statement_heading", {"word": word})))
        else:
            node = DraftNode(kind, label or block.text, Found(block.place, block.text, confidence, why), term=term,
                             notation=number)
        if term and term not in self.plan.levels and kind not in ("Mission", "Vision"):
            self.plan.levels.append(term)
        self.attach(node, parent)
        self.stack.append((block.level, node, number))
        self.last = node

    def parent_node(self) -> DraftNode | None:
        return next((node for _level, node, _no in reversed(self.stack) if node is not None), None)

    def attach(self, node: DraftNode, parent: DraftNode | None) -> None:
        """Under the nearest open node that can hold it; at the plan's top level otherwise."""
        for _level, candidate, _no in reversed(self.stack):
            if candidate is not None and node.kind in _HOLDS.get(candidate.kind, set()):
                candidate.children.append(node)
                break
        else:
            self.plan.nodes.append(node)
        node.deadline = node.deadline or find_deadline(node.label)
        node.themes = self.catalogue.named_in(node.label, "theme")
        if node.kind == "Bearing":
            node.under_bearing = None

    def statement(self, block: Block) -> None:
        """`Mission Vi åbner døre til nye muligheder.` run into one paragraph: the word, then the text."""
        match = _STATEMENT.match(block.text)
        kind = match.group(1).capitalize()
        node = DraftNode(kind, _first_sentence(match.group(2)), Found(block.place, block.text, 0.8, Reason("statement_paragraph", {"word": match.group(1)})))
        self.plan.nodes.append(node)
        self.last = None

    # ------------------------------------------------------------------------------- list sections
    def section_entry(self, block: Block) -> None:
        """An item of a `Målsætninger` list; a lead-in ending with ':' gives the items their year."""
        kind, term, _level = self.section
        if block.text.rstrip().endswith(":") and block.kind == "paragraph":
            self.section_deadline = find_deadline(block.text) or self.section_deadline
            return
        confidence = 0.85 if block.kind == "item" else 0.6
        number, label, yearly = _funded_entry(block.text)
        years = self.plan_years()
        if yearly is not None and years:
            # `1. Job via partnerskaber 4,5 mio. kr. årligt`: a funded line, which the ontology makes an
            # initiative; the document's word for it (fokusområde) stays its documentTerm
            node = DraftNode("Initiative", label, Found(block.place, block.text, confidence,
                             Reason("list_entry_amount", {"term": term})), term=term, notation=number)
            node.budget = [BudgetLine(year, yearly[0], yearly[1]) for year in years]
            node.target_groups = self.catalogue.named_in(label, "tg")
        else:
            node = DraftNode(kind, block.text.rstrip("."), Found(block.place, block.text, confidence,
                             Reason("list_entry", {"term": term})), term=term)
        node.deadline = find_deadline(block.text) or self.section_deadline
        if term not in self.plan.levels:
            self.plan.levels.append(term)
        self.attach(node, self.parent_node())
        self.last = None

    def plan_years(self) -> list[int]:
        """The years of the plan's validity, to which a yearly amount without years applies."""
        start, end = self.plan.valid_from, self.plan.valid_until
        return list(range(start, end + 1)) if start and end and 0 <= end - start <= 20 else []

    def plan_total(self, block: Block) -> bool:
        """`Integrationshandleplanen 11 mio. kr. årligt`: the plan named with one yearly amount is its
        stated total for each year of its validity."""
        match = _YEARLY_TOTAL.match(block.text)
        years = self.plan_years()
        title_word = normalise(self.plan.title).split(" ")[0] if self.plan.title else ""
        if not match or not years or not title_word or not normalise(match.group("name")).startswith(title_word):
            return False
        amount, unit = amounts_in_text(match.group("amount"))[0]
        found = Found(block.place, block.text, 0.85, Reason("plan_yearly_amount"))
        self.plan.totals += [StatedTotal(year, amount, unit, found, per_year=True) for year in years]
        return True

    # ------------------------------------------------------------------------------------- tables
    def table(self, rows: list[Block], before: list[Block]) -> None:
        """A budget table (header from the mapping or its own header row), or the continuation of the
        last one when it has no header and no more columns (a page break, a note, or a PDF's lone row
        whose spanning cell hides the columns); any other table is reported unplaced."""
        columns = self.columns
        if columns is None:
            header = next((r for r in rows[:5] if columns_from_header(r)), None)
            columns = columns_from_header(header) if header else None
        width = max(r.width or len(r.cells) for r in rows)
        if columns is None and self.last_table is not None and width <= self.last_table[1]:
            self.last_table[0].read(rows, skip_header=False)
            self.last = None
            return
        if columns is None:
            self.plan.unplaced += [(r.place, r.text) for r in rows]
            return
        caption_unit = next((unit_in(b.text) for b in reversed(before) if unit_in(b.text)), None)
        table = BudgetTable(self.path, columns, self.plan, self.catalogue, self.prefix, caption_unit)
        table.read(rows)
        self.last_table = (table, width)
        self.last = None


_YEARLY = r"(?P<amount>\d[\d.]*(?:,\d+)?\s*(?:mia\.|mio\.|1\.000)?\s*kr\.)\s*(?:årligt|om året|pr\.\s*år)\.?"
_YEARLY_TOTAL = re.compile(r"^(?P<name>[^\d]{3,80}?)\s+" + _YEARLY + "$", re.IGNORECASE)
_FUNDED_ENTRY = re.compile(r"^(?:(?P<no>\d+(?:\.\d+)*)[.)]?\s+)?(?P<label>.+?)\s*[-–:,]?\s+" + _YEARLY + "$",
                           re.IGNORECASE)


def _funded_entry(text: str) -> tuple[str, str, tuple | None]:
    """(number, label, (amount, unit)) of `1. Job via partnerskaber 4,5 mio. kr. årligt`; the amount
    is None when the entry states no yearly amount."""
    match = _FUNDED_ENTRY.match(text.strip())
    if not match:
        return "", text, None
    found = amounts_in_text(match.group("amount"))
    return (match.group("no") or "", match.group("label").strip(), found[0] if found else None)


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0].rstrip(".")


def labels_of(plan: DraftPlan, kind: str) -> list[str]:
    """The labels of the plan's nodes of one kind, for the summary and the measurements."""
    return [n.label for n in plan.all_nodes() if n.kind == kind]


__all__ = ["find_structure", "labels_of", "normalise", "plan_kind", "period"]
