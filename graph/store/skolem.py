"""Blank nodes replaced by stable IRIs before they are written (skolemisation, RDF 1.1 section 3.5).

Why: engines disagree on blank nodes. Virtuoso refuses them in INSERT DATA and hands them back as
`nodeID://b10287`; a blank node read back can never be bound in a later query or update; and a
parser names them afresh on every load, so links derived from them (budget sums, a reload) would
come loose. A skolem IRI is `<graph>/.well-known/genid/<hash>`: the hash is read from the graph
and the node's content (its statements, with the blank nodes they reach hashed the same way, and
the IRIs that point at it), so the same file loaded again gives the same IRIs, on every backend.
Nodes with exactly the same content and the same referrers in one graph cannot be told apart: they
are numbered in a stable order.

Pages that show blank nodes nested under their resource (budget lines, passages) recognise a skolem
IRI by `is_skolem` / `SKOLEM_MARK`, so nothing a person reads changes."""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import Iterable

import pyoxigraph as ox

SKOLEM_MARK = "/.well-known/genid/"
_LABEL = re.compile(r"[^A-Za-z0-9_]")


def is_skolem(term: object) -> bool:
    """Whether a term stands for a blank node: a blank node, or an IRI this module made of one."""
    return isinstance(term, ox.BlankNode) or (isinstance(term, ox.NamedNode) and SKOLEM_MARK in term.value)


def skolem_filter(variable: str) -> str:
    """A SPARQL expression true when `?variable` is a blank node or a skolem IRI (isBLANK alone misses
    the IRIs loads write now)."""
    return f'(isBLANK(?{variable}) || CONTAINS(STR(?{variable}), "{SKOLEM_MARK}"))'


def skolemise(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads with every blank node (subject or object) replaced by its stable IRI; a graph
    without blank nodes comes back as it was."""
    quads = list(quads)
    by_graph: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        by_graph[quad.graph_name].append(quad)
    names: dict[tuple[object, ox.BlankNode], ox.NamedNode] = {}
    for graph, graph_quads in by_graph.items():
        if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in graph_quads):
            for blank, iri in _names_in_graph(graph, graph_quads).items():
                names[(graph, blank)] = iri
    if not names:
        return quads

    def term(graph, value):
        return names.get((graph, value), value) if isinstance(value, ox.BlankNode) else value

    return [ox.Quad(term(q.graph_name, q.subject), q.predicate, term(q.graph_name, q.object), q.graph_name)
            for q in quads]


def _names_in_graph(graph: object, quads: list[ox.Quad]) -> dict[ox.BlankNode, ox.NamedNode]:
    outgoing: dict[ox.BlankNode, list[ox.Quad]] = defaultdict(list)
    incoming: dict[ox.BlankNode, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        if isinstance(quad.subject, ox.BlankNode):
            outgoing[quad.subject].append(quad)
        if isinstance(quad.object, ox.BlankNode):
            incoming[quad.object].append(quad)
    content: dict[ox.BlankNode, str] = {}

    def digest(blank: ox.BlankNode, visiting: frozenset) -> str:
        """The node's statements, nested blank nodes by their own digest (a cycle by a constant)."""
        if blank in content:
            return content[blank]
        if blank in visiting:
            return "cycle"
        inner = visiting | {blank}
        lines = sorted(f"{q.predicate} {_key(q.object, lambda b: digest(b, inner))}" for q in outgoing[blank])
        found = hashlib.sha256("\n".join(lines).encode()).hexdigest()
        if not visiting:
            content[blank] = found
        return found

    blanks = set(outgoing) | set(incoming)
    signatures = {}
    for blank in blanks:
        referrers = sorted(f"{_key(q.subject, lambda b: digest(b, frozenset()))} {q.predicate}" for q in incoming[blank])
        signatures[blank] = hashlib.sha256((digest(blank, frozenset()) + "\n" + "\n".join(referrers)).encode()).hexdigest()
    prefix = (graph.value if isinstance(graph, ox.NamedNode) else "urn:x-policygraph:default-graph") + SKOLEM_MARK
    names: dict[ox.BlankNode, ox.NamedNode] = {}
    seen: dict[str, int] = defaultdict(int)
    for blank in sorted(blanks, key=lambda b: signatures[b]):
        signature = signatures[blank]
        number = seen[signature]
        seen[signature] += 1
        names[blank] = ox.NamedNode(prefix + signature[:24] + (f"-{number}" if number else ""))
    return names


def _key(term: object, blank_key) -> str:
    return f"_:{blank_key(term)}" if isinstance(term, ox.BlankNode) else str(term)


def unskolemise(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads with skolem IRIs as blank nodes again, for writers whose formats nest blank nodes
    under their resource (the authoring YAML, StratML): what a person wrote as nested stays nested."""
    def term(value):
        if isinstance(value, ox.NamedNode) and SKOLEM_MARK in value.value:
            return ox.BlankNode("b" + _LABEL.sub("_", value.value.rsplit(SKOLEM_MARK, 1)[1]))
        return value

    return [ox.Quad(term(q.subject), q.predicate, term(q.object), q.graph_name) for q in quads]
