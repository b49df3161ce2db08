"""Derived links, materialised into their own named graph after every load.

Closures such as `skos:broader+` are cheap to compute once and expensive to recompute in every
question (STACK.md measured 17x on the overlap question), so the query library reads them from
here, and can be scoped to one municipality before they join anything. The rules
(`graph/pipeline/derive_rules.py`) read the links they need once per predicate, over every graph but this
one, which is dropped first; asserted and derived facts stay apart: this graph holds nothing a
file stated.
"""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from graph.pipeline.budget_sums import budget_sum_quads
from graph.pipeline.derive_rules import CLASSES, READS, Facts, derive_all
from graph.store.skolem import skolemise
from graph.store import GraphContent, Store
from ontology import INFERRED_GRAPH


def read_facts(store: Store) -> Facts:
    """One SELECT per predicate and class over the union of the graphs: a plain scan of one index
    each, which works the same on the embedded store and a remote endpoint."""
    links: dict = {}
    for predicate in READS:
        index: dict = defaultdict(set)
        for row in store.query(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"):
            index[row[0]].add(row[1])
        links[predicate] = index
    instances = {cls: {row[0] for row in store.query(f"SELECT ?s WHERE {{ ?s a <{cls}> }}")} for cls in CLASSES}
    return Facts(links, instances)


def derived_graph(facts: Facts) -> GraphContent:
    """The whole derived graph: the rules' links and the budget sums."""
    derived = derive_all(facts)
    graph = ox.NamedNode(INFERRED_GRAPH)
    return GraphContent(INFERRED_GRAPH, skolemise(derived.quads(graph) + budget_sum_quads(facts, derived, graph)))


def derive(store: Store) -> int:
    """Rebuild the derived graph from what is asserted now; returns its size."""
    with store.transaction():
        store.drop_graphs([INFERRED_GRAPH])
        content = derived_graph(read_facts(store))
        store.replace_graphs([content])
    return len(content.quads)
