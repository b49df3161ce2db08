"""What the importer found, before it is written as YAML: the plan's parts as a tree, each with the
place and words it was read from and how sure the importer is.

Kept apart from the YAML writer so structure finding and tables can be tested on plain objects, and
a later review page can show the same objects beside the source.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from loaders.importing.amounts import Unit
from loaders.importing.dates import Deadline
from loaders.importing.matching import Match
from loaders.importing.reading import Place
from loaders.importing.sizes import StatedSize
from loaders.importing.wording import Reason


@dataclass
class Found:
    """Where a node or fact was read, the words it was read from, and the importer's confidence
    (0-1) with the reason, for the reviewer."""

    place: Place
    quote: str
    confidence: float
    why: Reason


@dataclass
class BudgetLine:
    """One year's figure as printed with its unit: `3.300` in a table of 1.000 kr."""

    year: int
    amount: Decimal
    unit: Unit

    def kroner(self) -> Decimal:
        return self.amount * self.unit.multiplier


@dataclass
class DraftNode:
    """A part of the plan: FocusArea, Goal, SuccessCriterion, Initiative, ReservedFund, Mission, Vision."""

    kind: str
    label: str
    found: Found
    term: str = ""  # the document's own word for the level (kerneområde, fokusområde, ...)
    notation: str = ""
    description: str = ""
    children: list["DraftNode"] = field(default_factory=list)
    budget: list[BudgetLine] = field(default_factory=list)
    sizes: list[StatedSize] = field(default_factory=list)
    target_groups: list[Match] = field(default_factory=list)
    themes: list[Match] = field(default_factory=list)
    responsible: list[Match] = field(default_factory=list)
    under_bearing: Match | None = None
    evidence_based: bool | None = None
    deadline: Deadline | None = None

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class StatedTotal:
    """A sub-total or total the table prints, for a group (a bearing) or for the whole plan."""

    year: int
    amount: Decimal
    unit: Unit
    found: Found
    bearing: Match | None = None  # None: the plan's total
    group_label: str = ""
    per_year: bool = False  # stated as `11 mio. kr. årligt`: the same figure for each year


@dataclass
class DraftPlan:
    """Everything found in one file: its title, kind, parts, totals and what could not be placed."""

    title: str
    kind: str
    nodes: list[DraftNode] = field(default_factory=list)
    budget_lines: list[DraftNode] = field(default_factory=list)  # lines outside every group
    totals: list[StatedTotal] = field(default_factory=list)
    unplaced: list[tuple[Place, str]] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)  # the document's level words, top down
    valid_from: int | None = None
    valid_until: int | None = None
    found: Found | None = None
    bodies: list[tuple[Match, Place]] = field(default_factory=list)  # organisations the text names, first place
    lang: str = "da"  # the document's language: the draft's places and reasons are written in it

    def all_nodes(self) -> list[DraftNode]:
        return [n for top in self.nodes + self.budget_lines for n in top.walk()]
