"""Where each node of the network sits, computed once on the server, so that the page, its PNG, the
offline HTML file and the SVG show the same picture (vis-network's own hierarchical layout placed
nodes by level only, which mixed the parts of different plans in one long column).

The picture is a grid in abstract units (one column, one row); web/drawing.py turns them into canvas
units. Levels (plans, parts, goals, initiatives, target groups, ...) are columns, left to right, so
the kinds stay apart. Each plan's nodes form one horizontal block, blocks stacked top to bottom with
a gap between them, so a plan's nodes stay together and never interleave with another's. A plan
alone in its block (the plans view, or a plan reached from another's target group) would waste a gap
per node: such single nodes share one last block, with the nodes that belong to no plan. A level
too long for a block wraps into at most MAX_SUBCOLUMNS columns (beyond, the block grows taller), so
the picture stays a few columns wide, readable when it is scaled to a slide's width.

Deterministic: the result depends only on the nodes given, never on the order they come in.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

MAX_ROWS = 12         # rows a level fills in a block before it wraps into another column
MAX_SUBCOLUMNS = 2    # columns a level may wrap into; more nodes make the block taller instead
BLOCK_GAP = 1.0       # empty rows between two plans' blocks
SHARED = ""           # the block of single plans and of nodes that belong to no plan


@dataclass(frozen=True)
class LayoutNode:
    id: str
    level: int     # its column group: smaller levels to the left
    plan: str      # the document it belongs to ("" for none); a document belongs to itself
    name: str      # its label: the order within a level and of the blocks


@dataclass(frozen=True)
class Place:
    column: float  # in columns from the left
    row: float     # in rows from the top
    block: str     # the plan whose block holds it (SHARED for the shared block)


def _blocks(nodes: list[LayoutNode]) -> dict[str, list[LayoutNode]]:
    """Nodes by block: a plan with more than one node has its own; the rest share the last one."""
    by_plan: dict[str, list[LayoutNode]] = {}
    for node in nodes:
        by_plan.setdefault(node.plan, []).append(node)
    blocks: dict[str, list[LayoutNode]] = {}
    for plan, members in by_plan.items():
        key = plan if plan != SHARED and len(members) > 1 else SHARED
        blocks.setdefault(key, []).extend(members)
    return blocks


def _block_order(blocks: dict[str, list[LayoutNode]], names: dict[str, str]) -> list[str]:
    """Plans by their name (then IRI), the shared block last."""
    return sorted(blocks, key=lambda plan: (plan == SHARED, names.get(plan, plan).lower(), plan))


def _split(count: int) -> tuple[int, int]:
    """(columns, rows) for `count` nodes of one level in one block."""
    columns = min(MAX_SUBCOLUMNS, max(1, math.ceil(count / MAX_ROWS)))
    return columns, math.ceil(count / columns)


def clustered_layout(nodes: list[LayoutNode]) -> dict[str, Place]:
    """Every node's place: levels as columns, each plan's nodes a block of rows (module docstring)."""
    nodes = sorted(nodes, key=lambda n: (n.level, n.name.lower(), n.id))
    names = {n.id: n.name for n in nodes}
    blocks = _blocks(nodes)
    levels = sorted({n.level for n in nodes})
    by_block_level = {(plan, level): [n for n in members if n.level == level]
                      for plan, members in blocks.items() for level in levels}
    width = {level: max(_split(len(by_block_level[plan, level]))[0] for plan in blocks) for level in levels}
    first_column, column = {}, 0
    for level in levels:
        first_column[level], column = column, column + width[level]
    places: dict[str, Place] = {}
    top = 0.0
    for plan in _block_order(blocks, names):
        height = max(_split(len(by_block_level[plan, level]))[1] for level in levels)
        for level in levels:
            members = by_block_level[plan, level]
            if not members:
                continue
            columns, rows = _split(len(members))
            offset = (height - rows) / 2  # a short level sits in the middle of its block
            for i, node in enumerate(members):
                places[node.id] = Place(first_column[level] + i // rows, top + offset + i % rows, plan)
        top += height + BLOCK_GAP
    return places
