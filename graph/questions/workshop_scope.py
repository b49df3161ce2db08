"""Questions asked with or without what workshops decided.

Workshop decisions live in their own named graphs (graph/workshop/writeback.py). A question reads the
union of all graphs by default; left without workshops, it reads the union of every other graph, as a
SPARQL dataset, so the question's text stays the same. Whether an answer *used* workshop statements is
answered by asking again without them and comparing: exact, and free when no workshop graph exists
(the usual case, where answers stay exactly as they were).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.sparql.dataset import Dataset
from ontology import is_workshop_graph

EMPTY_GRAPH = "urn:x-policygraph:no-graph"  # a dataset names at least one graph; this one holds nothing


@dataclass(frozen=True)
class WorkshopUse:
    """What an answer says about workshop decisions: left out on request, or else whether it rests on them."""

    left_out: bool
    in_answer: bool

    def as_json(self) -> dict[str, bool]:
        return {"left_out": self.left_out, "in_answer": self.in_answer}


def workshop_graphs_in(store: Any) -> list[str]:
    return [g for g in store.graphs() if is_workshop_graph(g)]


def without_workshops(store: Any) -> Dataset | None:
    """The dataset of every graph but the workshop graphs; None when there is no workshop graph (then
    the store's own default, the union of all graphs, is the same thing and costs nothing)."""
    graphs = store.graphs()
    kept = tuple(g for g in graphs if not is_workshop_graph(g))
    if len(kept) == len(graphs):
        return None
    kept = kept or (EMPTY_GRAPH,)
    return Dataset(default_graphs=kept, named_graphs=kept)


def only_workshops(store: Any) -> Dataset | None:
    """The dataset of the workshop graphs alone; None when there are none."""
    graphs = workshop_graphs_in(store)
    return Dataset(default_graphs=tuple(graphs), named_graphs=tuple(graphs)) if graphs else None


_DECIDED_PAIRS = """SELECT DISTINCT ?a ?b WHERE {
  VALUES ?p { pg:synergyWith pg:overlapsWith pg:conflictsWith pg:coordinatesWith }
  ?a ?p ?b FILTER(isIRI(?a) && isIRI(?b)) }"""


def decided_pairs(store: Any) -> set[frozenset[str]]:
    """The pairs of resources a workshop decision links (either way): what a matrix marks as decided."""
    dataset = only_workshops(store)
    if dataset is None:
        return set()
    return {frozenset((row["a"].value, row["b"].value)) for row in store.query(_DECIDED_PAIRS, dataset=dataset)}
