"""Derived links, materialised into their own named graph after every load.

Closures such as `skos:broader+` are cheap to compute once and expensive to recompute in every
question (STACK.md measured 17x on the overlap question), so the query library reads them from
here. Each rule reads asserted graphs only (never this one), so their order does not matter. Asserted and derived facts stay apart: this graph holds nothing a file stated.
"""
from __future__ import annotations

from typing import Iterable

from graph.store import Store

INFERRED_GRAPH = "https://w3id.org/policygraph/id/graph/derived"
OWL_INFERRED_GRAPH = "https://w3id.org/policygraph/id/graph/inferred-owl"  # written by graph/reasoning.py
NOT_ASSERTED = {INFERRED_GRAPH, OWL_INFERRED_GRAPH}

_RULES = [
    # SKOS: the transitive closure of broader, and narrower as its inverse.
    "INSERT { GRAPH <{g}> { ?a skos:broaderTransitive ?b . ?b skos:narrowerTransitive ?a } } "
    "WHERE { ?a skos:broader+ ?b }",
    # Which document a component belongs to, at any depth.
    "INSERT { GRAPH <{g}> { ?part pg:withinDocument ?doc . ?doc pg:includesInitiative ?part } } "
    "WHERE { ?doc a ?kind . VALUES ?kind { pg:Policy pg:Strategy pg:ActionPlan pg:Plan } "
    "?doc (pg:hasFocusArea|pg:hasInitiative|pg:hasBudgetLine)+ ?part . ?part a pg:Initiative }",
    "INSERT { GRAPH <{g}> { ?part pg:withinDocument ?doc } } "
    "WHERE { ?doc a ?kind . VALUES ?kind { pg:Policy pg:Strategy pg:ActionPlan pg:Plan } "
    "?doc (pg:hasFocusArea|pg:hasGoal|pg:hasInitiative|pg:hasBudgetLine|pg:hasSuccessCriterion)+ ?part "
    "FILTER NOT EXISTS { ?part a pg:Initiative } }",
    "INSERT { GRAPH <{g}> { ?doc pg:includesGoal ?goal } } "
    "WHERE { ?doc a ?kind . VALUES ?kind { pg:Policy pg:Strategy pg:ActionPlan pg:Plan } "
    "?doc (pg:hasFocusArea|pg:hasGoal)+ ?goal . ?goal a pg:Goal }",
    # The target groups an initiative serves, however they were written.
    "INSERT { GRAPH <{g}> { ?i pg:servesTargetGroup ?group } } "
    "WHERE { ?i a pg:Initiative . { ?i dct:audience ?group } UNION { ?i pg:hasTargetGroupSize/pg:targetGroup ?group } }",
    # Symmetric and inverse links, so either direction can be asked.
    "INSERT { GRAPH <{g}> { ?b pg:coordinatesWith ?a } } WHERE { ?a pg:coordinatesWith ?b }",
    "INSERT { GRAPH <{g}> { ?old pg:continuedBy ?new } } WHERE { ?new pg:continues ?old }",
    "INSERT { GRAPH <{g}> { ?policy pg:implementedBy ?plan } } WHERE { ?plan pg:implements ?policy }",
]


def derive_operations(graphs: Iterable[str]) -> list[str]:
    """The update operations that rebuild the derived graph from the given graphs.

    Updates see only the default graph unless told otherwise, so each rule names its sources
    with USING (standard SPARQL 1.1 Update, so remote endpoints behave the same).
    """
    using = " ".join(f"USING <{g}>" for g in sorted(set(graphs) - NOT_ASSERTED))
    operations = [f"DROP SILENT GRAPH <{INFERRED_GRAPH}>"]
    for rule in _RULES:
        head, where = rule.replace("<{g}>", f"<{INFERRED_GRAPH}>").split(" WHERE ", 1)
        operations.append(f"{head} {using} WHERE {where}")
    return operations


def derive(store: Store) -> int:
    """Recompute the derived graph in one update; returns its size."""
    store.update(" ;\n".join(derive_operations(store.graphs())))
    return store.count(INFERRED_GRAPH)
