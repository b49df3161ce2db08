"""What a load has to re-check: the nodes whose SHACL results a change can alter, and the triples that decides.

Why: pyshacl checks about 2,000 statements a second, so re-validating a whole store because one file
changed would take minutes on a national graph. A core shape applied to a focus node f reads the
triples along its paths, in their direction (`sh:path p` reads f's outgoing p triples, `sh:inversePath
p` its incoming ones), then the value nodes' types (`sh:class`) or a nested shape's paths from them;
its targets read f's type, outgoing (`targetSubjectsOf`) or incoming (`targetObjectsOf`) triples.
`read_patterns` lists those walks as sequences of (predicate, direction) steps.

So f's result can change only when a triple at the end of such a walk from f was added or removed.
`affected_nodes` walks each changed triple's pattern backwards: from its subject for a forward last
step, from its object for an inverse one, along the steps before it against their direction. A
vocabulary concept that is merely the object of a new triple is not affected (no shape reads its
incoming triples); a concept whose type changes affects whatever points at it with a `sh:class` path.

The walk runs in the merged graph after the load: if an earlier step of a walk was itself removed,
its own triple is a change and reaches the same focus node through the shorter pattern.

`neighbourhood` collects the triples those walks read from the affected nodes (the data pyshacl needs
for them), plus the class hierarchy. A change to the class hierarchy, and shapes whose walks are
unbounded (recursive shapes, `*`/`+`/`?` paths, `sh:closed`, SPARQL-based parts), validate the whole graph.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from graph.store.labels import LABEL_PROPERTIES

REACH = 2  # how far the bundled core shapes read from a focus node (a value's type)

Step = tuple[str, bool]  # (predicate IRI, True when followed from subject to object)
Pattern = tuple[Step, ...]
Node = ox.NamedNode | ox.BlankNode

_TYPE_STEP: Step = (str(RDF.type), True)
_NESTED = (SH.node, SH.qualifiedValueShape, SH["not"])
_NESTED_LISTS = (SH["or"], SH["and"], SH.xone)
_PAIRS = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)


class Unbounded(Exception):
    """A shape reads further than any fixed walk (or reads what the walks cannot describe)."""


def read_patterns(shapes: rdflib.Graph) -> frozenset[Pattern] | None:
    """Every walk any shape reads from a node it applies to, prefixes included; None when unbounded.

    Why not per shape: a node's targets can change with the load, so any shape may apply to any node;
    the union over all shapes is what a focus node can read."""
    roots = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    roots |= {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
              for s in shapes.subjects(p, None)}
    try:
        patterns: set[Pattern] = set()
        for shape in roots:
            patterns |= _target_patterns(shapes, shape) | _shape_patterns(shapes, shape, frozenset())
        return frozenset(patterns)
    except Unbounded:
        return None


def shapes_reach(shapes: rdflib.Graph) -> float:
    """The largest number of hops from a focus node to a triple any shape reads (inf when unbounded)."""
    patterns = read_patterns(shapes)
    if patterns is None:
        return math.inf
    return max((len(p) for p in patterns), default=0)


def _target_patterns(shapes: rdflib.Graph, shape: rdflib.term.Node) -> set[Pattern]:
    """What deciding whether a node is targeted reads: its type, outgoing or incoming triples."""
    found: set[Pattern] = set()
    if (shape, SH.targetClass, None) in shapes or (shape, RDF.type, RDFS.Class) in shapes:
        found.add((_TYPE_STEP,))
    found |= {((str(p), True),) for p in shapes.objects(shape, SH.targetSubjectsOf)}
    found |= {((str(p), False),) for p in shapes.objects(shape, SH.targetObjectsOf)}
    if (shape, SH.target, None) in shapes:
        raise Unbounded("SHACL-AF targets")
    return found


def _shape_patterns(shapes: rdflib.Graph, shape: rdflib.term.Node, seen: frozenset) -> set[Pattern]:
    """The walks a shape reads from the node it is applied to."""
    if shape in seen:
        raise Unbounded("recursive shape")
    seen = seen | {shape}
    if (shape, SH.sparql, None) in shapes or (shape, SH.closed, rdflib.Literal(True)) in shapes:
        raise Unbounded("SPARQL constraint or closed shape")
    if (shape, SH.qualifiedValueShapesDisjoint, rdflib.Literal(True)) in shapes:
        raise Unbounded("qualified shapes that read their siblings")
    path = shapes.value(shape, SH.path)
    on_values = _value_patterns(shapes, shape, seen)
    found = {((str(p), True),) for pair in _PAIRS for p in shapes.objects(shape, pair)}
    for nested in shapes.objects(shape, SH.property):
        found |= _shape_patterns(shapes, nested, seen)
    if path is None:
        return found | on_values  # a node shape's value is the node itself
    for walk in _path_walks(shapes, path):
        found |= {walk[:i] for i in range(1, len(walk) + 1)}
        found |= {walk + tail for tail in on_values}
    return found


def _value_patterns(shapes: rdflib.Graph, shape: rdflib.term.Node, seen: frozenset) -> set[Pattern]:
    """What the shape's constraints read from each value node (its type, or a nested shape's walks)."""
    found: set[Pattern] = set()
    if (shape, SH["class"], None) in shapes:
        found.add((_TYPE_STEP,))
    for predicate in _NESTED:
        for nested in shapes.objects(shape, predicate):
            found |= _shape_patterns(shapes, nested, seen)
    for predicate in _NESTED_LISTS:
        for head in shapes.objects(shape, predicate):
            for nested in Collection(shapes, head):
                found |= _shape_patterns(shapes, nested, seen)
    return found


def _path_walks(shapes: rdflib.Graph, path: rdflib.term.Node) -> set[Pattern]:
    """The step sequences a SHACL property path can take (alternatives give several)."""
    if isinstance(path, rdflib.URIRef):
        return {((str(path), True),)}
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return {tuple((p, not forward) for p, forward in reversed(walk)) for walk in _path_walks(shapes, inverse)}
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return {walk for p in Collection(shapes, alternatives) for walk in _path_walks(shapes, p)}
    if (path, RDF.first, None) in shapes:
        walks: set[Pattern] = {()}
        for part in Collection(shapes, path):
            walks = {head + tail for head in walks for tail in _path_walks(shapes, part)}
        return walks
    raise Unbounded("sh:zeroOrMorePath, sh:oneOrMorePath or sh:zeroOrOnePath")


_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))


def hierarchy_changes(changes: Iterable[ox.Quad | ox.Triple]) -> bool:
    """Whether the class hierarchy changes: then every instance's targets and sh:class results may move."""
    return any(change.predicate == _SUBCLASS for change in changes)


def affected_nodes(store: ox.Store, changes: Iterable[ox.Quad | ox.Triple],
                   patterns: frozenset[Pattern]) -> set[Node]:
    """The focus nodes from which some shape's walk reaches a changed triple: whose results can change.

    Each changed triple is the last step of the patterns ending in its predicate: a forward step is
    read from its subject, an inverse one from its object; the steps before are walked backwards."""
    ends: dict[Pattern, set[Node]] = defaultdict(set)
    by_last = _by_last_step(patterns)
    for change in changes:
        predicate = change.predicate.value
        for prefix in by_last.get((predicate, True), ()):
            ends[prefix].add(change.subject)
        if not isinstance(change.object, ox.Literal):
            for prefix in by_last.get((predicate, False), ()):
                ends[prefix].add(change.object)
    found: set[Node] = set()
    for prefix, nodes in ends.items():
        found |= _walk_back(store, prefix, nodes)
    return found


def _by_last_step(patterns: Iterable[Pattern]) -> dict[Step, list[Pattern]]:
    index: dict[Step, list[Pattern]] = defaultdict(list)
    for pattern in patterns:
        index[pattern[-1]].append(pattern[:-1])
    return index


def _walk_back(store: ox.Store, prefix: Pattern, nodes: set[Node]) -> set[Node]:
    """The nodes from which `prefix` leads to one of `nodes`."""
    for predicate, forward in reversed(prefix):
        p = ox.NamedNode(predicate)
        if forward:  # y --p--> x: y is a subject pointing at x
            nodes = {q.subject for x in nodes for q in store.quads_for_pattern(None, p, x)}
        else:  # x --p--> y read backwards from y
            nodes = {q.object for x in nodes for q in store.quads_for_pattern(x, p, None)
                     if not isinstance(q.object, ox.Literal)}
    return nodes


def neighbourhood(store: ox.Store, focus: set[Node], patterns: frozenset[Pattern]) -> set[ox.Triple]:
    """Every triple the shapes' walks read from the focus nodes, and the data's rdfs:subClassOf
    statements (sh:class and sh:targetClass follow them): enough for pyshacl to decide their results."""
    triples: set[ox.Triple] = set()
    _walk_forward(store, _trie(patterns), focus, triples)
    triples.update(ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, _SUBCLASS, None))
    return triples


_LABELS = tuple(ox.NamedNode(p) for p in LABEL_PROPERTIES)


def report_context(store: ox.Store, nodes: Iterable[Node]) -> set[ox.Triple]:
    """The triples a finding about these nodes is reported with: the chain of parents of a blank
    node up to the named node that holds it, and that node's labels."""
    triples: set[ox.Triple] = set()
    todo, seen = list(nodes), set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if isinstance(node, ox.BlankNode):
            for q in store.quads_for_pattern(None, None, node):
                triples.add(ox.Triple(q.subject, q.predicate, q.object))
                todo.append(q.subject)
        else:
            triples.update(ox.Triple(q.subject, q.predicate, q.object)
                           for label in _LABELS for q in store.quads_for_pattern(node, label, None))
    return triples


Trie = dict[Step, "Trie"]


def _trie(patterns: Iterable[Pattern]) -> Trie:
    root: Trie = {}
    for pattern in patterns:
        level = root
        for step in pattern:
            level = level.setdefault(step, {})
    return root


def _walk_forward(store: ox.Store, trie: Trie, nodes: set, triples: set[ox.Triple]) -> None:
    """Follow every step of the trie from `nodes`, keeping the triples crossed."""
    for (predicate, forward), rest in trie.items():
        p = ox.NamedNode(predicate)
        reached: set = set()
        for node in nodes:
            if isinstance(node, ox.Literal):
                continue
            quads = store.quads_for_pattern(node, p, None) if forward else store.quads_for_pattern(None, p, node)
            for q in quads:
                triples.add(ox.Triple(q.subject, q.predicate, q.object))
                reached.add(q.object if forward else q.subject)
        if rest and reached:
            _walk_forward(store, rest, reached, triples)
