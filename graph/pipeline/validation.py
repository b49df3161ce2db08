"""SHACL validation, reported in plain language with the file and line of each problem.

pyshacl checks the core constraints; the SHACL-SPARQL constraints run in Oxigraph over a copy of the same
graph in memory (graph/pipeline/shacl_sparql.py says why and when that is the same thing). Both kinds of result
become the same Finding."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate
from rdflib.namespace import RDF, SH, XSD

from graph.pipeline.shacl_sparql import SparqlResult, evaluate, split_shapes, to_oxigraph
from graph.pipeline.validation_scope import affected_nodes, hierarchy_changes, neighbourhood, read_patterns, report_context
from graph.store.labels import LABEL_PROPERTIES, by_language, choose
from ontology import ONTOLOGY_FILE, PREFIXES, SHAPES_FILE, curie


@dataclass(frozen=True)
class Finding:
    """One SHACL result as a strategist reads it: how bad, what, about which thing, and where it was written."""

    severity: str  # "violation", "warning" or "info"
    message: str
    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    place: str | None  # "data/x.yaml:12" or the graph the node lives in

    def __str__(self) -> str:
        where = f"{self.place}: " if self.place else ""
        what = self.focus_label or self.focus
        detail = f" [{self.path}]" if self.path else ""
        return f"{where}{self.severity}: {what}{detail}: {self.message}"


def to_rdflib(term: ox.Term) -> rdflib.term.Node:
    """An Oxigraph term as rdflib's; a blank node keeps its label, so results of either engine name the same node."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return rdflib.Literal(term.value, datatype=None if datatype == _XSD_STRING else rdflib.URIRef(datatype))
    raise TypeError(f"not a subject, predicate or object: {term!r}")


_XSD_STRING = str(XSD.string)


def quads_to_rdflib(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """The union of the quads as one rdflib graph, which is what pyshacl validates."""
    graph = rdflib.Graph()
    graph.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph) for q in quads)
    return graph


def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


def _ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")


def _pick_language(values: list[rdflib.term.Node], lang: str) -> str:
    """A message in the reader's language, by the same fallback as a resource's name."""
    texts: dict[str, str] = {}
    for value in values:
        if isinstance(value, rdflib.Literal):
            texts.setdefault(value.language or "", str(value))
    return choose(texts, lang) or ""


def _message(report: rdflib.Graph, shapes: rdflib.Graph, result: rdflib.term.Node, lang: str) -> str:
    """pyshacl drops the language tags of SPARQL-constraint messages, so read them from the shapes."""
    messages = list(report.objects(result, SH.resultMessage))
    if not any(isinstance(m, rdflib.Literal) and m.language == lang for m in messages):
        for source in (report.value(result, SH.sourceConstraint), report.value(result, SH.sourceShape)):
            if source is not None and list(shapes.objects(source, SH.message)):
                messages = list(shapes.objects(source, SH.message))
                break
    return _pick_language(messages, lang)


def _label(graph: rdflib.Graph, node: rdflib.term.Node, lang: str) -> str | None:
    """The node's name as graph.store.labels gives it, read from the graph being validated (its files
    are not in the store yet, so a Labeller cannot read them); None when the node has no label."""
    found = by_language((prop, value.language or "", str(value)) for prop in LABEL_PROPERTIES
                        for value in graph.objects(node, rdflib.URIRef(prop)) if isinstance(value, rdflib.Literal))
    return choose(found, lang)


def _owner(graph: rdflib.Graph, node: rdflib.term.Node) -> rdflib.term.Node:
    """Blank nodes (a budget line, a size) are reported at the named node that holds them."""
    seen = set()
    while isinstance(node, rdflib.BNode) and node not in seen:
        seen.add(node)
        parent = next(graph.subjects(None, node), None)
        if parent is None:
            break
        node = parent
    return node


class MergedGraph:
    """The graph SHACL validates: the union of the named graphs of an Oxigraph database in memory, with
    the ontology mixed in (as pyshacl sees it). It offers the two reads validation makes: SPARQL over the
    union, and triple patterns (a triple held by two graphs comes twice; every reader collects sets)."""

    _GRAPH = ox.NamedNode("urn:x-policygraph:validated")  # for quads of the default graph, and the ontology

    def __init__(self, database: ox.Store) -> None:
        self.database = database

    @classmethod
    def of(cls, quads: Iterable[ox.Quad], dump: bytes = b"", without: Iterable[str] = ()) -> MergedGraph:
        """The quads, plus a store's N-Quads `dump` without its graphs named in `without`. The dump is
        parsed by Oxigraph itself, graph names kept, so no stored quad passes through Python: on a store
        of 130,000 quads that is 1.5 s instead of 3.4 s."""
        database = ox.Store()
        if dump:
            database.bulk_load(dump, format=ox.RdfFormat.N_QUADS)
        for graph in without:
            database.remove_graph(ox.NamedNode(graph))
        database.bulk_extend(q if isinstance(q.graph_name, ox.NamedNode) else
                             ox.Quad(q.subject, q.predicate, q.object, cls._GRAPH) for q in quads)
        database.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, cls._GRAPH)
                             for t in ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE))
        return cls(database)

    def query(self, sparql: str) -> ox.QuerySolutions:
        return self.database.query(sparql, use_default_graph_as_union=True)

    def quads_for_pattern(self, subject: ox.Term | None, predicate: ox.Term | None,
                          object: ox.Term | None) -> Iterator[ox.Quad]:
        return self.database.quads_for_pattern(subject, predicate, object)

    def subject_count(self) -> int:
        rows = self.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(rows))["n"].value)


def validate_quads(quads: Iterable[ox.Quad], places: Mapping[str, str] | None = None, lang: str = "en",
                   changes: Iterable[ox.Quad] | None = None) -> list[Finding]:
    """Validate the union of the quads (graph names ignored, as in the files' merged view)."""
    return validate_merged(MergedGraph.of(quads), places, lang, changes)


def validate_merged(merged: MergedGraph, places: Mapping[str, str] | None = None, lang: str = "en",
                    changes: Iterable[ox.Quad] | None = None) -> list[Finding]:
    """Validate the merged graph.

    With `changes` (the quads a load adds or removes), the core shapes re-check only the nodes whose
    results those changes can alter (`scoped_focus`), over the triples the shapes read from them
    (graph/pipeline/validation_scope.py says why that is enough), and report only those nodes; the SPARQL
    constraints, whose reach is unbounded, always run over the whole graph, which Oxigraph answers in
    about a second for 130,000 quads, and all their results are reported."""
    shapes = _shapes()
    core, constraints = split_shapes(shapes)
    sparql = evaluate(merged, constraints)
    focus, patterns = scoped_focus(merged, core, changes) if changes is not None else (None, None)
    if focus is None or patterns is None or (len(focus) > 1000 and len(focus) * 2 > merged.subject_count()):
        # nothing to scope by, or most nodes are affected: one whole-graph run is cheaper than a slice
        data = quads_to_rdflib(merged.quads_for_pattern(None, None, None))
        return _validate(data, shapes, core, sparql, places or {}, lang, focus)
    around = neighbourhood(merged, focus, patterns) | report_context(merged, focus | {r.focus for r in sparql})
    data = quads_to_rdflib(ox.Quad(t.subject, t.predicate, t.object) for t in around)
    return _validate(data, shapes, core, sparql, places or {}, lang, focus)


def scoped_focus(merged: MergedGraph, core: rdflib.Graph, changes: Iterable[ox.Quad]
                 ) -> tuple[set[ox.NamedNode | ox.BlankNode] | None, frozenset | None]:
    """The nodes whose core-shape results the changes can alter in the merged graph, and the walks the
    core shapes read; (None, ...) when anything may change (the class hierarchy moved, or the shapes
    read unboundedly far)."""
    changes = list(changes)
    patterns = read_patterns(core)
    if patterns is None or hierarchy_changes(changes):
        return None, patterns
    return affected_nodes(merged, changes, patterns), patterns


def validate_graph(data: rdflib.Graph, places: Mapping[str, str] | None = None, lang: str = "en") -> list[Finding]:
    """Validate an rdflib graph (with the ontology beside it for class hierarchy) and explain every result."""
    shapes = _shapes()
    core, constraints = split_shapes(shapes)
    merged = MergedGraph.of(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in data)
    return _validate(data, shapes, core, evaluate(merged, constraints), places or {}, lang, None)


class _ParameterList(list):
    """A list that answers `in` from a set: what pyshacl's shape module caches, see below."""

    def __init__(self, items: Iterable[rdflib.term.Node]) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _constraint_parameters_as_a_set() -> None:
    """pyshacl (0.30 to 0.40 at least) tests each predicate of a shape against a *list* of the constraint
    parameters every time it evaluates the shape: 10 million term comparisons on a municipality's
    load. It caches that list on its shape module; put one there that answers `in` from a set and is
    still a list (advanced mode copies it into a plain list and appends to that). The order of a
    shape's constraints comes from the shape, not from this list. Left alone if pyshacl's layout differs."""
    import pyshacl.shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    cached = getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None)
    if cached is None or (isinstance(cached, tuple) and len(cached) == 2 and type(cached[0]) is list):
        pyshacl.shape.CONSTRAINT_PARAMS = (_ParameterList(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)


def _validate(data: rdflib.Graph, shapes: rdflib.Graph, core: rdflib.Graph, sparql: list[SparqlResult],
              places: Mapping[str, str], lang: str, focus: set[ox.NamedNode | ox.BlankNode] | None) -> list[Finding]:
    """pyshacl with the core shapes over `data` (its results about `focus` only, when given), plus the
    SPARQL constraints' results from Oxigraph, as Findings in the report's order."""
    for prefix, namespace in PREFIXES.items():
        data.namespace_manager.bind(prefix, namespace, override=True)
    _constraint_parameters_as_a_set()
    _conforms, report, _text = shacl_validate(  # no SHACL-AF: the shapes use none, and see just above
        data, shacl_graph=core, ont_graph=_ontology(), inference="none",
        abort_on_first=False, allow_warnings=True, advanced=False,
    )
    wanted = {to_rdflib(node) for node in focus} if focus is not None else None
    findings = [_finding(data, report, shapes, result, places, lang)
                for result in report.subjects(RDF.type, SH.ValidationResult)
                if wanted is None or report.value(result, SH.focusNode) in wanted]
    findings += [_sparql_finding(data, result, places, lang) for result in sparql]
    order = {"violation": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: (order.get(f.severity, 3), f.place or "", f.focus, f.message))


def _severity(iri: rdflib.term.Node | None) -> str:
    return str(iri).rsplit("#", 1)[-1].lower()


def _finding(data: rdflib.Graph, report: rdflib.Graph, shapes: rdflib.Graph, result: rdflib.term.Node,
             places: Mapping[str, str], lang: str) -> Finding:
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    return _explained(data, _severity(report.value(result, SH.resultSeverity)), _message(report, shapes, result, lang),
                      report.value(result, SH.focusNode), path, value, places, lang)


def _sparql_finding(data: rdflib.Graph, result: SparqlResult, places: Mapping[str, str], lang: str) -> Finding:
    return _explained(data, _severity(result.severity), _pick_language(list(result.messages), lang),
                      to_rdflib(result.focus), to_rdflib(result.path) if result.path else None,
                      to_rdflib(result.value), places, lang)


def _explained(data: rdflib.Graph, severity: str, message: str, focus: rdflib.term.Node,
               path: rdflib.term.Node | None, value: rdflib.term.Node | None,
               places: Mapping[str, str], lang: str) -> Finding:
    owner = _owner(data, focus)
    return Finding(
        severity=severity, message=message or "does not meet the shape",
        focus=str(owner), focus_label=_label(data, owner, lang),
        path=curie(str(path)) if isinstance(path, rdflib.URIRef) else None,
        value=str(value) if value is not None else None, place=places.get(str(owner)),
    )


def violations(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "violation"]
