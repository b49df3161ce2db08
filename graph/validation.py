"""SHACL validation with pyshacl, reported in plain language with the file and line of each problem."""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Iterable, Mapping

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate
from rdflib.namespace import DCTERMS, RDF, SH, SKOS

from ontology import ONTOLOGY_FILE, PREFIXES, SHAPES_FILE


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


def quads_to_rdflib(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """The union of the quads as one rdflib graph, which is what pyshacl validates."""
    out = io.BytesIO()
    ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], out, ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=out.getvalue().decode("utf-8"), format="nt")
    return graph


def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


def _ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")


def _pick_language(values: list[rdflib.term.Node], lang: str) -> str:
    texts = [v for v in values if isinstance(v, rdflib.Literal)]
    for wanted in (lang, "en", "da", None):
        for text in texts:
            if text.language == wanted:
                return str(text)
    return str(texts[0]) if texts else ""


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
    values = list(graph.objects(node, SKOS.prefLabel)) + list(graph.objects(node, DCTERMS.title))
    return _pick_language(values, lang) or None


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


def validate_graph(data: rdflib.Graph, places: Mapping[str, str] | None = None, lang: str = "en") -> list[Finding]:
    """Validate data (with the ontology beside it for class hierarchy) and explain every result."""
    places = places or {}
    for prefix, namespace in PREFIXES.items():
        data.namespace_manager.bind(prefix, namespace, override=True)
    shapes = _shapes()
    _conforms, report, _text = shacl_validate(
        data, shacl_graph=shapes, ont_graph=_ontology(), inference="none",
        abort_on_first=False, allow_warnings=True, advanced=True,
    )
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1].lower()
        focus = report.value(result, SH.focusNode)
        owner = _owner(data, focus)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        message = _message(report, shapes, result, lang)
        findings.append(Finding(
            severity=severity, message=message or "does not meet the shape",
            focus=str(owner), focus_label=_label(data, owner, lang),
            path=data.namespace_manager.normalizeUri(path) if isinstance(path, rdflib.URIRef) else None,
            value=str(value) if value is not None else None, place=places.get(str(owner)),
        ))
    order = {"violation": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: (order.get(f.severity, 3), f.place or "", f.focus, f.message))


def violations(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "violation"]
