"""SHACL-SPARQL constraints (`sh:sparql`) evaluated by Oxigraph: one query per constraint for all focus nodes.

Why this exists: pyshacl runs each SPARQL constraint once per focus node through rdflib's SPARQL engine.
The stated-total sum (an aggregate over `(...)+` property paths) made that quadratic, and a file of
24,000 statements did not validate in 10 minutes. Oxigraph answers the same query for every focus node
at once in well under a second.

Why one query is enough: in SPARQL `$this` and `?this` are the same variable, so a constraint's SELECT
run without a binding returns the rows of every node at once, each row carrying its `?this`. Keeping the
rows whose `?this` is a focus node of the shape gives what SHACL's pre-binding of `$this` gives, provided
every SELECT (sub-SELECTs too, as SHACL requires) projects `$this` and every GROUP BY groups by it.
`split_shapes` checks exactly that; a constraint that does not qualify (or uses `$shapesGraph`, `$PATH`,
a property shape or a SHACL-AF target) stays in the shapes handed to pyshacl, so nothing is ever
silently skipped.

The messages are filled in as pyshacl fills them (`{?var}` / `{$var}` replaced by the value's lexical
form), but they keep their language tags, which pyshacl drops.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

_UNSUPPORTED_VARIABLES = re.compile(r"[?$](shapesGraph|currentShape|PATH)\b")


@dataclass(frozen=True)
class SparqlConstraint:
    """One `sh:sparql` constraint of a node shape, ready to run over a whole graph."""

    shape: rdflib.term.Node
    node: rdflib.term.Node
    severity: rdflib.URIRef
    messages: tuple[rdflib.Literal, ...]
    query: str  # the SELECT with the PREFIX lines of its sh:prefixes
    targets: tuple[tuple[rdflib.URIRef, rdflib.term.Node], ...]  # (sh:targetClass etc., object)


@dataclass(frozen=True)
class SparqlResult:
    """One row of a constraint query as a validation result: what pyshacl would have reported."""

    shape: rdflib.term.Node
    constraint: rdflib.term.Node
    severity: rdflib.URIRef
    focus: ox.NamedNode | ox.BlankNode
    value: ox.Term
    path: ox.NamedNode | None
    messages: tuple[rdflib.Literal, ...]  # filled in, language tags kept


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def split_shapes(shapes: rdflib.Graph) -> tuple[rdflib.Graph, list[SparqlConstraint]]:
    """The shapes without the SPARQL constraints Oxigraph will evaluate (for pyshacl), and those constraints.

    Only the `sh:sparql` triple is removed from the copy; the constraint's own triples stay, harmless,
    so that the rest of the shape (its targets, severity, other constraints) is exactly as written."""
    core = rdflib.Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace, override=True)
    constraints: list[SparqlConstraint] = []
    moved: set[tuple[rdflib.term.Node, rdflib.term.Node]] = set()
    for shape, node in shapes.subject_objects(SH.sparql):
        constraint = _constraint(shapes, shape, node)
        if constraint is not None:
            constraints.append(constraint)
            moved.add((shape, node))
    for triple in shapes:
        if triple[1] == SH.sparql and (triple[0], triple[2]) in moved:
            continue
        core.add(triple)
    return core, sorted(constraints, key=lambda c: str(c.shape))


def _constraint(shapes: rdflib.Graph, shape: rdflib.term.Node, node: rdflib.term.Node) -> SparqlConstraint | None:
    """The constraint if one query over all focus nodes means the same as SHACL's per-node evaluation."""
    selects = list(shapes.objects(node, SH.select))
    if len(selects) != 1 or not isinstance(selects[0], rdflib.Literal):
        return None  # pyshacl reports the malformed constraint in its own words
    if _is_true(shapes.value(node, SH.deactivated)) or _is_true(shapes.value(shape, SH.deactivated)):
        return None  # pyshacl skips it as well
    if (shape, SH.path, None) in shapes or (shape, SH.target, None) in shapes:
        return None  # property shapes pre-bind $PATH; SHACL-AF targets are pyshacl's
    text = str(selects[0])
    if _UNSUPPORTED_VARIABLES.search(text):
        return None
    prefixes = _prefix_lines(shapes, node)
    if not _this_is_free(prefixes + text):
        return None
    targets = [(p, o) for p in _TARGETS for o in shapes.objects(shape, p)]
    if {RDFS.Class, OWL.Class} & set(shapes.objects(shape, RDF.type)):
        targets.append((SH.targetClass, shape))  # implicit class target
    messages = tuple(m for m in shapes.objects(node, SH.message) if isinstance(m, rdflib.Literal))
    messages += tuple(m for m in shapes.objects(shape, SH.message) if isinstance(m, rdflib.Literal) and m not in messages)
    severity = shapes.value(shape, SH.severity) or SH.Violation
    return SparqlConstraint(shape, node, severity, messages, prefixes + text, tuple(sorted(targets)))


def _is_true(value: rdflib.term.Node | None) -> bool:
    return isinstance(value, rdflib.Literal) and value.value is True


def _prefix_lines(shapes: rdflib.Graph, node: rdflib.term.Node) -> str:
    """PREFIX lines from the sh:declare entries of the constraint's sh:prefixes (as SHACL prescribes)."""
    lines = []
    for holder in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(set(lines)))


def _this_is_free(query: str) -> bool:
    """True when every SELECT (the outer one and each sub-SELECT) projects ?this and every GROUP BY groups
    by it: SHACL's pre-binding then only picks out the rows of one node from the rows of all. (SHACL
    itself requires sub-queries to return every pre-bound variable.)"""
    this = rdflib.Variable("this")
    for part in _walk(prepareQuery(query).algebra):
        if part.name == "Project" and this not in (part.get("PV") or []):
            return False
        if part.name == "Group" and this not in (part.get("expr") or []):
            return False
    return True


def _walk(node: object) -> Iterable[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _walk(value)


def focus_nodes(store: ox.Store, constraint: SparqlConstraint) -> set[ox.Term]:
    """The shape's focus nodes in the graph, by its targets (sh:targetClass follows rdfs:subClassOf*)."""
    found: set[ox.Term] = set()
    for kind, value in constraint.targets:
        if kind == SH.targetNode:
            found.add(to_oxigraph(value))
            continue
        iri = f"<{value}>"
        pattern = {SH.targetClass: f"?this a/<{RDFS.subClassOf}>* {iri}",
                   SH.targetSubjectsOf: f"?this {iri} ?any", SH.targetObjectsOf: f"?any {iri} ?this"}[kind]
        found.update(row["this"] for row in store.query(f"SELECT DISTINCT ?this WHERE {{ {pattern} }}"))
    return found


def evaluate(store: ox.Store, constraints: Iterable[SparqlConstraint],
             only: set[ox.Term] | None = None) -> list[SparqlResult]:
    """Run every constraint once over the store's default graph; `only` narrows the focus nodes further."""
    results: list[SparqlResult] = []
    for constraint in constraints:
        focus = focus_nodes(store, constraint)
        if only is not None:
            focus &= only
        if not focus:
            continue
        seen: set[tuple] = set()
        solutions = store.query(constraint.query)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            this = row["this"]
            if this not in focus:
                continue
            bound = {name: value for name, value in zip(names, row) if value is not None}
            key = tuple(sorted((k, str(v)) for k, v in bound.items()))
            if key in seen:
                continue
            seen.add(key)
            results.append(SparqlResult(
                shape=constraint.shape, constraint=constraint.node, severity=constraint.severity, focus=this,
                value=bound.get("value", this), path=bound.get("path"),
                messages=tuple(_fill(m, bound) for m in constraint.messages),
            ))
    return results


def _fill(message: rdflib.Literal, bound: dict[str, ox.Term]) -> rdflib.Literal:
    """`{?year}` or `{$year}` -> the value's lexical form (an IRI's text), as pyshacl does; unbound stay."""
    text = str(message)
    for name, term in bound.items():
        text = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _m, t=term: t.value, text)
    return rdflib.Literal(text, lang=message.language, datatype=None if message.language else message.datatype)


def to_oxigraph(term: rdflib.term.Node) -> ox.Term:
    """An rdflib term as the same Oxigraph term (blank nodes keep their label)."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    raise TypeError(f"not an RDF term: {term!r}")
