"""What a resource's linked-data page shows: labels, types, properties, incoming links, its place in
the plan hierarchy, budgets and sources; and first of all what a strategist reads (graph/explore/plan.py):
the plan's structure in the document's order, its initiatives table, who answers for it and what
replaces it. Incoming links are named as read backwards ('afløses af'), never with the forward name.

Every query binds the resource as an RDF term (the store's VALUES binding), never as pasted text, so
an IRI from a URL can be anything without reaching the query text. Blank nodes hanging off the
resource (budget allocations, target-group sizes, source passages) are shown nested under the
property that leads to them, because they have no page of their own.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.explore.plan import (BudgetTable, Part, Relation, inverse_label, inverses, key_relations, linked_table,
                                plan_table, structure)
from graph.questions.explain import evidence_for
from graph.store import Store
from graph.store.labels import Labeller, other_language
from graph.store.skolem import is_skolem, skolem_filter
from ontology import INFERRED_GRAPH, OWL_INFERRED_GRAPH, RDF, XSD, curie

RDF_TYPE = RDF + "type"
DERIVED_GRAPHS = (INFERRED_GRAPH, OWL_INFERRED_GRAPH)
MAX_IRI_LENGTH = 2048
MAX_INCOMING = 500
# Stated structure, parent -> part: the breadcrumb walks these upwards (policy > focus area > goal > initiative).
PART_PROPERTIES = ("hasFocusArea", "hasGoal", "hasInitiative", "hasBudgetLine", "hasSuccessCriterion",
                   "hasVision", "hasMission", "hasProcessStep", "hasPersona", "hasStatedTotal")


class BadIri(ValueError):
    """Input that cannot be an IRI of the graph at all (too long, not absolute, not parseable)."""


@dataclass
class Value:
    """One object of a property: a link, a literal with its language or datatype, or a nested blank node."""

    kind: str                     # "iri", "literal" or "blank"
    value: str
    label: str = ""
    language: str = ""            # a literal's language tag; for a link, the language of its label
    datatype: str = ""            # short form, e.g. xsd:gYear
    derived: bool = False         # stated only in a derived (inferred) graph
    nested: list["Property"] = field(default_factory=list)


@dataclass
class Property:
    predicate: str
    label: str
    values: list[Value]


@dataclass
class Crumb:
    iri: str
    label: str
    kind: str
    language: str = ""            # the label's language when it is the other of da/en than the reader's


@dataclass
class BudgetYear:
    year: str
    amount: float
    currency: str
    share: float = 0.0            # of the largest year, for the bar


@dataclass
class Description:
    iri: str
    label: str
    labels: dict[str, str]
    types: list[Value]
    properties: list[Property]
    incoming: list[Property]
    incoming_cut: bool
    hierarchy: list[Crumb]
    budgets: list[BudgetYear]
    budgets_aggregated: bool
    sources: list[dict[str, str]]
    structure: list[Part] = field(default_factory=list)
    table: BudgetTable | None = None
    relations: list[Relation] = field(default_factory=list)
    label_language: str = ""      # the label's language when it is the other of da/en than the reader's

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_iri(text: str) -> ox.NamedNode:
    """An IRI the store could hold; hostile or broken input stops here with a reason."""
    if not text or len(text) > MAX_IRI_LENGTH:
        raise BadIri(f"an IRI must be 1 to {MAX_IRI_LENGTH} characters long")
    if ":" not in text:
        raise BadIri("not an absolute IRI (no scheme)")
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise BadIri(f"not a valid IRI: {exc}") from None


def exists(store: Store, node: ox.NamedNode) -> bool:
    """A resource 'is in the graph' when some statement names it as subject or object."""
    result = store.query("ASK WHERE { { ?node ?p ?o } UNION { ?s ?p ?node } }", {"node": node})
    return bool(result)


def _datatype(literal: ox.Literal) -> str:
    dt = literal.datatype.value if literal.datatype else ""
    if dt in (XSD + "string", RDF + "langString"):
        return ""
    return curie(dt)


def _value(term: Any, labels: Labeller, derived: bool = False) -> Value:
    if isinstance(term, ox.NamedNode) and not is_skolem(term):
        return Value("iri", term.value, labels(term.value), labels.language(term.value), derived=derived)
    if isinstance(term, ox.Literal):
        return Value("literal", term.value, language=term.language or "", datatype=_datatype(term), derived=derived)
    return Value("blank", str(term), derived=derived)


def _group(rows: list[tuple[str, Any, bool]], labels: Labeller, nested_of=None) -> list[Property]:
    """(predicate, object, derived) rows to properties sorted by their label, values sorted too."""
    by_predicate: dict[str, list[Value]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for predicate, term, derived in rows:
        key = (predicate, str(term))
        if key in seen:
            continue
        seen.add(key)
        value = _value(term, labels, derived)
        if value.kind == "blank" and nested_of is not None:
            value.nested = nested_of(term)
        by_predicate[predicate].append(value)
    props = [Property(p, labels(p), sorted(_in_language(vs, labels.lang),
                                           key=lambda v: (v.derived, v.language != labels.lang, v.label or v.value)))
             for p, vs in by_predicate.items()]
    return sorted(props, key=lambda p: (p.predicate != RDF_TYPE, p.label.lower()))


def _in_language(values: list[Value], lang: str) -> list[Value]:
    """A property's texts as the reader asked: when one is in the reader's language, the ones in the
    other of Danish and English are left out (all languages stay in the RDF and the labels table);
    when none is, the other language's are kept, and the page marks them "(in Danish)"."""
    if not any(v.kind == "literal" and v.language == lang for v in values):
        return values
    return [v for v in values if not (v.kind == "literal" and other_language(v.language, lang))]


def _rows(result) -> list[tuple[str, Any, bool]]:
    """(predicate, object, derived) rows; a statement both asserted and derived counts as asserted."""
    out: dict[tuple[str, str], tuple[str, Any, bool]] = {}
    for row in result:
        derived = row["g"].value in DERIVED_GRAPHS
        key = (row["p"].value, str(row["o"]))
        if key not in out or not derived:
            out[key] = (row["p"].value, row["o"], derived)
    return sorted(out.values(), key=lambda r: (r[0], str(r[1])))


def _outgoing(store: Store, node: ox.NamedNode) -> list[tuple[str, Any, bool]]:
    return _rows(store.query("SELECT ?p ?o ?g WHERE { GRAPH ?g { ?node ?p ?o } }", {"node": node}))


# Blank nodes cannot be bound (VALUES refuses them), so their statements are reached from the resource.
# Loads write blank nodes as skolem IRIs (graph/store/skolem.py): they are shown nested all the same.
_BLANKS = (
    f"SELECT ?b ?p ?o ?g WHERE {{ ?node ?x ?b FILTER{skolem_filter('b')} GRAPH ?g {{ ?b ?p ?o }} }}",
    f"SELECT ?b ?p ?o ?g WHERE {{ ?node ?x ?b0 FILTER{skolem_filter('b0')} ?b0 ?y ?b FILTER{skolem_filter('b')} "
    "GRAPH ?g { ?b ?p ?o } }",
)


def _blank_statements(store: Store, node: ox.NamedNode) -> dict[str, list[tuple[str, Any, bool]]]:
    """Statements of the blank nodes one and two steps from the resource, by blank node."""
    found: dict[str, list] = defaultdict(list)
    for sparql in _BLANKS:
        for row in store.query(sparql, {"node": node}):
            found[str(row["b"])].append(row)
    return {b: _rows(rows) for b, rows in found.items()}


def _nested(blanks: dict[str, list[tuple[str, Any, bool]]], labels: Labeller, depth: int = 0):
    def nested_of(blank: ox.BlankNode) -> list[Property]:
        rows = blanks.get(str(blank), [])
        return _group(rows, labels, _nested(blanks, labels, depth + 1) if depth < 1 else None)
    return nested_of


def hierarchy(store: Store, node: ox.NamedNode, labels: Labeller) -> list[Crumb]:
    """The resource's place in its plan, from the document down to the resource itself.

    Walks the stated part-of properties upwards (hasFocusArea, hasGoal, hasInitiative ...), a focus
    area's bearing (pg:underBearing), and for an initiative outside any part the goal it supports;
    the derived pg:withinDocument supplies the document when the stated chain stops short of it."""
    parts = " ".join(f"pg:{p}" for p in PART_PROPERTIES)
    chain: list[str] = [node.value]
    current = node
    for _ in range(10):
        rows = list(store.query(
            "SELECT ?parent ?how WHERE { { VALUES ?p { " + parts + " } ?parent ?p ?node BIND(1 AS ?how) } "
            "UNION { ?node pg:underBearing ?parent BIND(2 AS ?how) } "
            "UNION { ?node a pg:Initiative ; pg:supports ?parent . ?parent a pg:Goal BIND(3 AS ?how) } "
            "UNION { ?node pg:withinDocument ?parent BIND(4 AS ?how) } } ORDER BY ?how ?parent", {"node": current}))
        found = [r for r in rows if isinstance(r["parent"], ox.NamedNode) and r["parent"].value not in chain]
        parent = _deepest([r["parent"] for r in found if r["how"] == found[0]["how"]], store) if found else None
        if parent is None:
            break
        chain.append(parent.value)
        current = parent
    chain.reverse()
    types = _types_of(store, chain)
    return [Crumb(i, labels(i), labels(types[i]) if types.get(i) else "", labels.other(i)) for i in chain]


def _deepest(candidates: list[ox.NamedNode], store: Store) -> ox.NamedNode | None:
    """Of the parents found the same way, the one the others contain (the focus area, not the plan that also
    lists the initiative), so the breadcrumb skips no level; else the first in the query's order."""
    if len(candidates) < 2:
        return candidates[0] if candidates else None
    values = " ".join(str(c) for c in candidates)
    parts = "|".join(f"pg:{p}" for p in PART_PROPERTIES)
    containers = {r["a"].value for r in store.query(
        f"SELECT DISTINCT ?a WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} ?a ({parts})+ ?b FILTER(?a != ?b) }}")}
    return next((c for c in candidates if c.value not in containers), candidates[0])


def _types_of(store: Store, iris: list[str]) -> dict[str, str]:
    """One pg: class per resource (the most specific one the breadcrumb names)."""
    found: dict[str, str] = {}
    if not iris:
        return found
    values = " ".join(str(ox.NamedNode(i)) for i in iris)
    for row in store.query("SELECT ?s ?k WHERE { VALUES ?s { " + values + " } ?s a ?k "
                           "FILTER(STRSTARTS(STR(?k), STR(pg:)) && ?k NOT IN (pg:PolicyDocument, pg:PlanComponent, pg:Organisation)) } ORDER BY ?k"):
        found.setdefault(row["s"].value, row["k"].value)
    return found


_OWN_BUDGET = """
SELECT ?year (SUM(?v * COALESCE(?m, 1)) AS ?amount) (SAMPLE(?c) AS ?currency) WHERE {
  ?node pg:hasBudgetAllocation ?a . ?a pg:fiscalYear ?year ; schema:value ?v .
  OPTIONAL { ?a pg:unitMultiplier ?m } OPTIONAL { ?a schema:currency ?c }
} GROUP BY ?year ORDER BY ?year
"""
_PARTS_BUDGET = """
SELECT ?year (SUM(?v * COALESCE(?m, 1)) AS ?amount) (SAMPLE(?c) AS ?currency) WHERE {
  # each part once (DISTINCT: Virtuoso 7.2 counted a part once per path to it, 21,600 for 11,000), the
  # path as one step then any (Virtuoso refuses `+` from a start bound only by VALUES in the same group)
  { SELECT DISTINCT ?line WHERE { ?node (pg:hasFocusArea|pg:hasInitiative|pg:hasBudgetLine)/(pg:hasFocusArea|pg:hasInitiative|pg:hasBudgetLine)* ?line } }
  ?line pg:hasBudgetAllocation ?a . ?a pg:fiscalYear ?year ; schema:value ?v .
  OPTIONAL { ?a pg:unitMultiplier ?m } OPTIONAL { ?a schema:currency ?c }
} GROUP BY ?year ORDER BY ?year
"""


def budgets(store: Store, node: ox.NamedNode) -> tuple[list[BudgetYear], bool]:
    """Allocations per fiscal year in whole currency units: the resource's own, else the sum over its
    parts (a plan or focus area); the flag says which, because the page must not pass a sum off as stated."""
    aggregated = False
    rows = list(store.query(_OWN_BUDGET, {"node": node}))
    if not rows:
        rows, aggregated = list(store.query(_PARTS_BUDGET, {"node": node})), True
    years = [BudgetYear(r["year"].value, float(r["amount"].value), r["currency"].value if r["currency"] else "")
             for r in rows if r["amount"] is not None]
    top = max((y.amount for y in years), default=0.0)
    for y in years:
        y.share = round(100 * y.amount / top, 1) if top > 0 else 0.0
    return years, aggregated and bool(years)


def describe(store: Store, iri: str, lang: str = "da") -> Description | None:
    """Everything the resource page shows, or None when the graph does not name the IRI."""
    node = check_iri(iri)
    if not exists(store, node):
        return None
    labels = Labeller(store, lang)
    out_rows = _outgoing(store, node)
    in_rows = list(store.query(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p ?node FILTER(isIRI(?s)) }} ORDER BY ?p ?s LIMIT {MAX_INCOMING + 1}",
                               {"node": node}))
    cut = len(in_rows) > MAX_INCOMING
    in_rows = in_rows[:MAX_INCOMING]
    blanks = _blank_statements(store, node)
    every = out_rows + [r for rows in blanks.values() for r in rows]
    labels.load({iri} | {p for p, _, _ in every} | {o.value for _, o, _ in every if isinstance(o, ox.NamedNode)}
                | {r["s"].value for r in in_rows} | {r["p"].value for r in in_rows})
    properties = _group(out_rows, labels, _nested(blanks, labels))
    types = next((p.values for p in properties if p.predicate == RDF_TYPE), [])
    incoming = _group([(r["p"].value, r["s"], False) for r in in_rows], labels)
    declared = inverses(store)
    for prop in incoming:  # read backwards: 'afløses af', not 'afløser'
        prop.label = inverse_label(prop.predicate, labels, declared) or prop.label
    parts = structure(store, node, labels)
    table = plan_table(store, node, parts, labels) if parts else linked_table(store, node, labels)
    years, aggregated = budgets(store, node)
    sources = [{"document": e.document, "file": e.file, "locator": e.locator, "quote": e.quote,
                "source": e.source, "graph": e.graph_file} for e in evidence_for(store, node, lang)]
    return Description(iri=iri, label=labels(iri), labels=dict(sorted(labels.all(iri).items())), types=types,
                       properties=[p for p in properties if p.predicate != RDF_TYPE], incoming=incoming,
                       incoming_cut=cut, hierarchy=hierarchy(store, node, labels), budgets=years,
                       budgets_aggregated=aggregated, sources=sources, structure=parts, table=table,
                       relations=key_relations(store, node, labels), label_language=labels.other(iri))


def resource_triples(store: Store, iri: str) -> list[ox.Triple]:
    """The resource's description as RDF: what it states (with its blank nodes, two levels deep, so
    allocations and passages come along) and the statements that point at it."""
    node = check_iri(iri)
    triples = [ox.Triple(node, ox.NamedNode(p), o) for p, o, _ in _outgoing(store, node)]
    for sparql in _BLANKS:
        seen = set()
        for row in store.query(sparql, {"node": node}):
            key = (str(row["b"]), str(row["p"]), str(row["o"]))
            if key not in seen:
                seen.add(key)
                triples.append(ox.Triple(row["b"], row["p"], row["o"]))
    for row in store.query(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p ?node FILTER(isIRI(?s)) }} LIMIT {MAX_INCOMING}",
                           {"node": node}):
        triples.append(ox.Triple(row["s"], row["p"], node))
    return triples
