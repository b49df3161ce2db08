"""What a load has to re-check: the nodes whose SHACL results a change can alter, and the triples that decides.

Why: pyshacl checks about 2,000 statements a second, so re-validating a whole store because one file
changed would take minutes on a national graph. A result about a focus node f depends only on triples
within the shapes' *reach* of f; `shapes_reach` measures it (hops: f's own triples are 1, a value's type
or a nested shape on a value are 2, a path of length L adds L, `*`/`+` paths are unbounded). The bundled
core shapes reach 2 (sh:class or sh:node on a value, a qualified shape on an inverse path).

So with reach <= 2 a changed triple (added by the new files, or removed because its graph is replaced)
between a and b can only alter the results of a, b and their neighbours in the merged graph:
- a and b themselves (their own triples, targets by type, subjectsOf, objectsOf);
- a node f pointing at a or b, or pointed at by them, whose shape looks one step further (the type
  of its value: a removed target makes a dangling reference; a qualified shape on an inverse path).
Those nodes are re-checked against the triples around them and their neighbours (which is all a
reach-2 shape reads) plus the class hierarchy. Shapes that reach further, and SPARQL constraints
(aggregates over whole subtrees), are evaluated over the whole merged graph.
"""
from __future__ import annotations

import math
from typing import Iterable

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

REACH = 2  # what `affected_nodes` and `neighbourhood` cover

_VALUE_SHAPES = (SH.node, SH.qualifiedValueShape, SH["not"], SH.property)
_VALUE_LISTS = (SH["or"], SH["and"], SH.xone)


def shapes_reach(shapes: rdflib.Graph) -> float:
    """The largest number of hops from a focus node to a triple any shape reads (inf when unbounded)."""
    roots = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    roots |= {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
              for s in shapes.subjects(p, None)}
    return max((_node_reach(shapes, shape, set()) for shape in roots), default=0)


def _node_reach(shapes: rdflib.Graph, shape: rdflib.term.Node, seen: set) -> float:
    """Hops a shape reads from the node it is applied to; its own triples (type, values) are 1."""
    if shape in seen:
        return math.inf  # recursive shapes can walk any distance
    seen = seen | {shape}
    if (shape, SH.sparql, None) in shapes or (shape, SH.target, None) in shapes:
        return math.inf
    reach = 1.0
    path = shapes.value(shape, SH.path)
    offset = _path_length(shapes, path) if path is not None else 0
    if path is not None and (shape, SH["class"], None) in shapes:
        reach = max(reach, offset + 1)  # the value's rdf:type
    for predicate in _VALUE_SHAPES:
        for nested in shapes.objects(shape, predicate):
            extra = 0 if predicate == SH.property else offset
            reach = max(reach, extra + _node_reach(shapes, nested, seen))
    for predicate in _VALUE_LISTS:
        for head in shapes.objects(shape, predicate):
            for nested in Collection(shapes, head):
                reach = max(reach, offset + _node_reach(shapes, nested, seen))
    return max(reach, offset)


def _path_length(shapes: rdflib.Graph, path: rdflib.term.Node) -> float:
    if isinstance(path, rdflib.URIRef):
        return 1
    if (path, SH.inversePath, None) in shapes:
        return _path_length(shapes, shapes.value(path, SH.inversePath))
    if (path, SH.alternativePath, None) in shapes:
        return max(_path_length(shapes, p) for p in Collection(shapes, shapes.value(path, SH.alternativePath)))
    if (path, RDF.first, None) in shapes:
        return sum(_path_length(shapes, p) for p in Collection(shapes, path))
    return math.inf  # sh:zeroOrMorePath, sh:oneOrMorePath, sh:zeroOrOnePath treated as unbounded


_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))


def changed_nodes(changes: Iterable[ox.Quad | ox.Triple]) -> set[ox.NamedNode | ox.BlankNode] | None:
    """Subjects and (non-literal) objects of the triples that are added or removed; None when the class
    hierarchy itself changes (every instance's targets may move: validate everything).

    A class is not a changed node when an instance is typed with it: no shape reads a class's instances,
    and counting it would make every instance of pg:Initiative 'affected' by one new initiative."""
    nodes: set[ox.NamedNode | ox.BlankNode] = set()
    for change in changes:
        if change.predicate == _SUBCLASS:
            return None
        nodes.add(change.subject)
        if change.predicate != _TYPE and not isinstance(change.object, ox.Literal):
            nodes.add(change.object)
    return nodes


def _neighbours(store: ox.Store, nodes: Iterable[ox.NamedNode | ox.BlankNode]) -> set[ox.NamedNode | ox.BlankNode]:
    found: set[ox.NamedNode | ox.BlankNode] = set()
    for node in nodes:
        for quad in store.quads_for_pattern(node, None, None):
            if quad.predicate != _TYPE and not isinstance(quad.object, ox.Literal):
                found.add(quad.object)
        for quad in store.quads_for_pattern(None, None, node):
            if quad.predicate != _TYPE:
                found.add(quad.subject)
    return found


def affected_nodes(store: ox.Store, changed: set[ox.NamedNode | ox.BlankNode]) -> set[ox.NamedNode | ox.BlankNode]:
    """The changed nodes and their neighbours in the merged graph (both directions): whose results can change."""
    return changed | _neighbours(store, changed)


def neighbourhood(store: ox.Store, focus: set[ox.NamedNode | ox.BlankNode]) -> set[ox.Triple]:
    """Every triple a reach-2 shape reads about the focus nodes: the triples touching them or their
    neighbours, and the data's own rdfs:subClassOf statements (sh:class and sh:targetClass follow them)."""
    around = focus | _neighbours(store, focus)
    triples: set[ox.Triple] = set()
    for node in around:
        triples.update(ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(node, None, None))
        triples.update(ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, node)
                       if q.predicate != _TYPE)
    triples.update(ox.Triple(q.subject, q.predicate, q.object)
                   for q in store.quads_for_pattern(None, _SUBCLASS, None))
    return triples
