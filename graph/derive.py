"""Derived links, materialised into their own named graph after every load.

Closures such as `skos:broader+` are cheap to compute once and expensive to recompute in every
question (STACK.md measured 17x on the overlap question), so the query library reads them from
here. The rules read asserted graphs only (this one is dropped first), so their order does not matter.
Asserted and derived facts stay apart: this graph holds nothing a file stated.
"""
from __future__ import annotations

import pyoxigraph as ox

from graph.store import GraphContent, Store

INFERRED_GRAPH = "https://w3id.org/policygraph/id/graph/derived"
OWL_INFERRED_GRAPH = "https://w3id.org/policygraph/id/graph/inferred-owl"  # written by graph/reasoning.py
NOT_ASSERTED = {INFERRED_GRAPH, OWL_INFERRED_GRAPH}

# Each rule is (template, pattern) of a CONSTRUCT over the union of all graphs.
_RULES: list[tuple[str, str]] = [
    # SKOS: the transitive closure of broader, and narrower as its inverse.
    ("?a skos:broaderTransitive ?b . ?b skos:narrowerTransitive ?a", "?a skos:broader+ ?b"),
    # Which document a component belongs to, at any depth.
    ("?part pg:withinDocument ?doc . ?doc pg:includesInitiative ?part",
     "?doc a ?kind . VALUES ?kind { pg:Policy pg:Strategy pg:ActionPlan pg:Plan } "
     "?doc (pg:hasFocusArea|pg:hasInitiative|pg:hasBudgetLine)+ ?part . ?part a pg:Initiative"),
    ("?part pg:withinDocument ?doc",
     "?doc a ?kind . VALUES ?kind { pg:Policy pg:Strategy pg:ActionPlan pg:Plan } "
     "?doc (pg:hasFocusArea|pg:hasGoal|pg:hasInitiative|pg:hasBudgetLine|pg:hasSuccessCriterion)+ ?part "
     "FILTER NOT EXISTS { ?part a pg:Initiative }"),
    ("?doc pg:includesGoal ?goal",
     "?doc a ?kind . VALUES ?kind { pg:Policy pg:Strategy pg:ActionPlan pg:Plan } "
     "?doc (pg:hasFocusArea|pg:hasGoal)+ ?goal . ?goal a pg:Goal"),
    # The target groups an initiative serves, however they were written.
    ("?i pg:servesTargetGroup ?group",
     "?i a pg:Initiative . { ?i dct:audience ?group } UNION { ?i pg:hasTargetGroupSize/pg:targetGroup ?group }"),
    # The groups an initiative reaches: those it serves and every broader group of them.
    ("?i pg:reachesTargetGroup ?group",
     "?i a pg:Initiative . { ?i dct:audience|pg:hasTargetGroupSize/pg:targetGroup ?group } "
     "UNION { ?i (dct:audience|pg:hasTargetGroupSize/pg:targetGroup)/skos:broader+ ?group }"),
    # The municipality of every initiative: through its document, else its responsible body.
    ("?i pg:inMunicipality ?m",
     "{ ?doc pg:municipality ?m . ?doc (pg:hasFocusArea|pg:hasInitiative|pg:hasBudgetLine)+ ?i . ?i a pg:Initiative } "
     "UNION { ?i a pg:Initiative ; pg:responsibleBody/org:unitOf+ ?m . ?m a pg:Municipality }"),
    # Symmetric and inverse links, so either direction can be asked.
    ("?b pg:coordinatesWith ?a", "?a pg:coordinatesWith ?b"),
    ("?old pg:continuedBy ?new", "?new pg:continues ?old"),
    ("?policy pg:implementedBy ?plan", "?plan pg:implements ?policy"),
]


def derived_quads(store: Store) -> list[ox.Quad]:
    """Run every rule as a CONSTRUCT over the union of the graphs (the old derived graph dropped first)."""
    graph = ox.NamedNode(INFERRED_GRAPH)
    quads: set[ox.Quad] = set()
    for template, pattern in _RULES:
        for t in store.query(f"CONSTRUCT {{ {template} }} WHERE {{ {pattern} }}"):
            quads.add(ox.Quad(t.subject, t.predicate, t.object, graph))
    return list(quads)  # order does not matter to the store; sorting 155k quads by text cost seconds


def derive(store: Store) -> int:
    """Rebuild the derived graph from what is asserted now; returns its size.

    A query over the union default graph is far faster than an update naming hundreds of source
    graphs with USING (seconds instead of minutes on the benchmark graph), hence CONSTRUCT + write.
    """
    store.drop_graphs([INFERRED_GRAPH])
    quads = derived_quads(store)
    store.replace_graphs([GraphContent(INFERRED_GRAPH, quads)])
    return len(quads)
