"""Why a result row says what it says: the source passages behind the resources it names.

For each resource in the question's `explain` variables: every `prov:wasDerivedFrom` passage (source
document title and file name, locator, verbatim quote) and the named graph (file) that states it.
Budget questions (`explain_budget: {scope, year}`) also explain the budget lines and printed totals
behind the row's amount for that year.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import pyoxigraph as ox

from graph.store.labels import Labeller
from ontology import file_of_graph


@dataclass(frozen=True)
class Evidence:
    node: str                # IRI of the resource explained
    label: str               # its name (graph.store.labels), "" for a blank node
    document: str            # name of the source document
    file: str                # the source document's file name (data/sources/...)
    locator: str             # the place in the source
    quote: str               # verbatim text
    graph: str               # named graph (loaded file) that holds the statement
    source: str = ""         # IRI of the source document
    role: str = ""           # the result variable (or "budget line", "stated total")

    @property
    def graph_file(self) -> str:
        return file_of_graph(self.graph) or self.graph


_PASSAGES = """
SELECT DISTINCT ?node ?graph ?source ?locator ?quote ?file WHERE {
  GRAPH ?graph { ?node prov:wasDerivedFrom ?passage . }
  ?passage pg:inDocument ?source .
  OPTIONAL { ?passage pg:locator ?locator }
  OPTIONAL { ?passage pg:quotation ?quote }
  OPTIONAL { ?source pg:fileName ?file }
}
ORDER BY ?graph ?file ?locator ?quote
"""

# Budget lines under a scope (document, focus area or bearing) with an allocation in the year,
# and the printed totals for the scope and year (often blank nodes, so found and explained in one go).
_BUDGET_PASSAGES = _PASSAGES.replace("""SELECT DISTINCT ?node ?graph""", """SELECT DISTINCT ?role ?node ?graph""").replace(
    "WHERE {\n  GRAPH ?graph", """WHERE {
  {
    { ?node pg:withinDocument ?scope }
    UNION { ?scope pg:hasInitiative|pg:hasBudgetLine ?node }
    UNION { ?scope pg:hasFocusArea ?sub . ?sub pg:hasInitiative|pg:hasBudgetLine ?node }
    UNION { ?area pg:underBearing ?scope . ?area pg:hasInitiative|pg:hasBudgetLine ?node }
    ?node pg:hasBudgetAllocation ?allocation .
    ?allocation pg:fiscalYear ?year .
    BIND("budget line" AS ?role)
  } UNION {
    ?node pg:totalFor ?scope ; pg:fiscalYear ?year .
    BIND("stated total" AS ?role)
  }
  GRAPH ?graph""", 1).replace("ORDER BY ?graph", "ORDER BY ?role ?node ?graph")


def _text(term: Any) -> str:
    return "" if term is None else term.value


def evidence_for(store, node: Any, lang: str = "en", role: str = "") -> list[Evidence]:
    """The passages a resource (an IRI) was derived from."""
    if not isinstance(node, ox.NamedNode):
        return []
    return _evidence(store, store.query(_PASSAGES, {"node": node}), lang, role)


def _evidence(store, result, lang: str, role: str = "") -> list[Evidence]:
    """Evidence from passage rows, the resource and the source document named by the labeller."""
    names = {v.value for v in result.variables}
    rows = list(result)
    labels = Labeller(store, lang)
    labels.load(r[v].value for r in rows for v in ("node", "source") if isinstance(r[v], ox.NamedNode))

    def name(term: Any) -> str:
        return labels(term.value) if isinstance(term, ox.NamedNode) else ""

    return [Evidence(node=_text(r["node"]) if isinstance(r["node"], ox.NamedNode) else str(r["node"]),
                     label=name(r["node"]), document=name(r["source"]), file=_text(r["file"]),
                     locator=_text(r["locator"]), quote=_text(r["quote"]), graph=_text(r["graph"]),
                     source=_text(r["source"]), role=role or (_text(r["role"]) if "role" in names else ""))
            for r in rows]


def explain(store, row: Mapping[str, Any], named, lang: str = "en") -> list[Evidence]:
    """Evidence for one result row of a named question, in the order of its `explain` variables."""
    out: list[Evidence] = []
    seen: set[tuple] = set()

    def add(items: list[Evidence]) -> None:
        for item in items:
            key = (item.node, item.graph, item.locator, item.quote)
            if key not in seen:
                seen.add(key)
                out.append(item)

    for var in named.explain:
        add(evidence_for(store, row.get(var), lang, role=var))
    budget = getattr(named, "explain_budget", None)
    if budget:
        scope, year = row.get(budget["scope"]), row.get(budget.get("year", ""))
        if isinstance(scope, ox.NamedNode):
            bindings: dict[str, Any] = {"scope": scope}
            if isinstance(year, ox.Literal):
                bindings["year"] = year
            add(_evidence(store, store.query(_BUDGET_PASSAGES, bindings), lang))
    return out
