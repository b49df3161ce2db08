"""Where the network's nodes sit (graph/explore/network_layout.py): levels as columns, each plan's
nodes one block of rows that never interleaves with another's, wrapping long levels, and the same
places whatever order the nodes come in."""
from __future__ import annotations

import random

from graph.explore.network_layout import MAX_ROWS, MAX_SUBCOLUMNS, SHARED, LayoutNode, clustered_layout


def plans(count: int, initiatives: int, groups: int = 2) -> list[LayoutNode]:
    """`count` plans, each with a focus area, `initiatives` initiatives and `groups` target groups."""
    nodes = []
    for p in range(count):
        plan = f"plan{p:03}"
        nodes.append(LayoutNode(plan, 0, plan, f"Plan {p:03}"))
        nodes.append(LayoutNode(f"{plan}/area", 1, plan, f"Area of {p}"))
        nodes += [LayoutNode(f"{plan}/i{i:03}", 2, plan, f"Initiative {i:03}") for i in range(initiatives)]
        nodes += [LayoutNode(f"{plan}/g{i}", 3, plan, f"Group {i}") for i in range(groups)]
    return nodes


def rows_of(places, nodes, plan):
    return [places[n.id].row for n in nodes if places[n.id].block == plan]


def test_plan_blocks_do_not_interleave_and_levels_are_columns_left_to_right():
    nodes = plans(10, 3)
    places = clustered_layout(nodes)
    spans = sorted((min(rows_of(places, nodes, p)), max(rows_of(places, nodes, p))) for p in {n.plan for n in nodes})
    assert len(spans) == 10
    assert all(a_end < b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:])), spans
    assert all(places[n.id].block == n.plan for n in nodes)
    columns = {level: {places[n.id].column for n in nodes if n.level == level} for level in range(4)}
    assert all(max(columns[a]) < min(columns[a + 1]) for a in range(3)), columns


def test_the_same_places_whatever_order_the_nodes_come_in():
    nodes = plans(6, 5)
    shuffled = nodes[:]
    random.Random(7).shuffle(shuffled)
    assert clustered_layout(nodes) == clustered_layout(shuffled)


def test_no_two_nodes_share_a_place_with_300_nodes_and_a_long_level_wraps_into_few_columns():
    nodes = plans(3, 95) + [LayoutNode(f"org{i}", 4, SHARED, f"Org {i}") for i in range(10)]
    assert len(nodes) > 300
    places = clustered_layout(nodes)
    assert len({(p.column, p.row) for p in places.values()}) == len(nodes)
    initiative_columns = {places[n.id].column for n in nodes if n.level == 2}
    assert 1 < len(initiative_columns) <= MAX_SUBCOLUMNS
    width = max(p.column for p in places.values()) + 1
    assert width <= 5 + 3 * (MAX_SUBCOLUMNS - 1)  # a few columns: readable scaled to a slide


def test_single_plans_and_nodes_of_no_plan_share_one_last_block_without_gaps():
    nodes = [LayoutNode(f"p{i}", 0, f"p{i}", f"Plan {i}") for i in range(MAX_ROWS)] + plans(1, 2)
    places = clustered_layout(nodes)
    shared = sorted(places[f"p{i}"].row for i in range(MAX_ROWS))
    assert all(places[f"p{i}"].block == SHARED for i in range(MAX_ROWS))
    assert shared == [shared[0] + i for i in range(MAX_ROWS)]  # one row each, no gap between them
    assert shared[0] > max(rows_of(places, nodes, "plan000"))  # after the real plan's block
