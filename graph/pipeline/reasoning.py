"""OWL reasoning: materialise what HermiT entails from the asserted graphs into their own named graph.

The asserted graphs (every named graph except the derived graph and this module's own graph) and
the ontology are written as N-Triples for HermiT, the reasoner bundled with owlready2. What HermiT
entails and no file stated (class memberships such as a bearing being a focus area, inverse,
symmetric, sub-property and chain values) is written into the named graph
`https://w3id.org/policygraph/id/graph/inferred-owl`, so asserted and inferred facts stay apart.

Why not `owlready2.sync_reasoner(..., infer_property_values=True)` itself: it keeps only a
property value whose inverse is not already stored (so `pg:implementedBy` is never materialised
when `pg:implements` is stated) and it records only the most specific types of an individual.
We therefore run owlready2's own HermiT (same jar, same Java, same command-line flags) on our
file and read its complete answer with owlready2's own result patterns.

What the reasoner is not given: `owl:imports` (HermiT would fetch the imported IRI over the network;
everything it may reason over is in the store already), literals of datatypes outside the OWL 2 datatype map (xsd:gYear,
xsd:date: HermiT rejects them) and annotation values (titles, notes, quotations: words, not
facts). Blank nodes are given to HermiT as stand-in IRIs; facts inferred about them are not
written back (a blank node cannot be named from another graph).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import pyoxigraph as ox

from graph.store import GraphContent, Store
from ontology import INFERRED_GRAPH, ONTOLOGY_GRAPH, OWL, OWL_INFERRED_GRAPH, RDF, RDFS, XSD, curie

JAVA_HINT = "OWL reasoning needs Java (HermiT): apt-get install default-jre-headless"

RDF_TYPE = RDF + "type"
OWL_IMPORTS = OWL + "imports"
_SKOLEM = "urn:x-policygraph-bnode:"  # not /.well-known/genid/: the OWL API would read that as anonymous

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4): HermiT accepts these.
OWL2_DATATYPES = {XSD + n for n in (
    "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short byte "
    "unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token language "
    "Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp").split()} | {
    RDF + "PlainLiteral", RDF + "XMLLiteral", RDF + "langString", RDFS + "Literal", OWL + "real", OWL + "rational"}
BUILT_IN_ANNOTATIONS = {RDFS + "label", RDFS + "comment", RDFS + "seeAlso", RDFS + "isDefinedBy", OWL + "versionInfo"}

_TYPE_LINE = re.compile(r"^Type\( <([^>]+)> <([^>]+)> \)$", re.M)
_SUBCLASS_LINE = re.compile(r"^SubClassOf\( <([^>]+)> <([^>]+)> \)$", re.M)
_EQUIVALENT_LINE = re.compile(r"^EquivalentClasses\( ((?:<[^>]+>\s*)+)\)$", re.M)
_PROPERTY_LINE = re.compile(r"^<([^>]+)> \(known instances:\s*(.*?)(?:\s*\|\s*)possible instances:\s*(.*?)\s*\)\s*$", re.M)
_PAIR = re.compile(r"\(<([^>]+)>, <([^>]+)>\)")


class ReasoningUnavailable(Exception):
    """Java (and so HermiT) is not there."""


class ReasoningError(Exception):
    """HermiT failed for a reason other than an inconsistent graph."""


class InconsistentGraph(Exception):
    """The asserted graphs contradict the ontology; the message names what clashes."""

    def __init__(self, message: str, culprits: list[str]) -> None:
        super().__init__(message)
        self.culprits = culprits


@dataclass
class ReasoningReport:
    triples: list[ox.Triple]
    by_property: dict[str, int]
    input_triples: int
    left_out: int                      # literals HermiT cannot read, plus annotation values
    elapsed: float
    graph: str = OWL_INFERRED_GRAPH
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------- input

def asserted_quads(store: Store) -> list[ox.Quad]:
    """Everything a file stated plus the ontology: all named graphs but the derived and inferred ones."""
    skip = {INFERRED_GRAPH, OWL_INFERRED_GRAPH}
    return [q for q in store.quads() if q.graph_name.value not in skip]


def _annotation_properties(quads: Iterable[ox.Quad]) -> set[str]:
    found = {q.subject.value for q in quads if q.predicate.value == RDF_TYPE
             and q.object.value == OWL + "AnnotationProperty" and isinstance(q.subject, ox.NamedNode)}
    return found | BUILT_IN_ANNOTATIONS


def _nt(term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"<{_SKOLEM}{term.value}>"
    return str(term)


def reasoner_input(quads: list[ox.Quad]) -> tuple[list[str], set[tuple[str, str, str]], int]:
    """N-Triples lines for HermiT, the asserted (s, p, o) IRIs, and how many triples were left out."""
    annotations = _annotation_properties(quads)
    lines, asserted, left_out = set(), set(), 0
    for quad in quads:
        subject, predicate, obj = quad.subject, quad.predicate, quad.object
        if predicate.value == OWL_IMPORTS:  # HermiT (the OWL API) would fetch the imported IRI
            left_out += 1
            continue
        if isinstance(obj, ox.Literal):
            if obj.datatype.value not in OWL2_DATATYPES or predicate.value in annotations:
                left_out += 1
                continue
        elif predicate.value in annotations:
            left_out += 1
            continue
        lines.add(f"{_nt(subject)} {predicate} {_nt(obj)} .")
        if not isinstance(obj, ox.Literal):
            asserted.add((_nt(subject)[1:-1], predicate.value, _nt(obj)[1:-1]))
    return sorted(lines), asserted, left_out


# ---------------------------------------------------------------------------------- HermiT

def java_executable() -> str:
    import owlready2

    java = shutil.which(owlready2.JAVA_EXE) or (owlready2.JAVA_EXE if os.path.isfile(owlready2.JAVA_EXE) else None)
    if not java:
        raise ReasoningUnavailable(JAVA_HINT)
    return java


def run_hermit(lines: list[str], timeout: float = 900) -> str:
    """Classify, realise and list property values (-c -O -D -I -Y), as owlready2's sync_reasoner does."""
    import owlready2.reasoning as reasoning

    java = java_executable()
    with tempfile.NamedTemporaryFile("w", suffix=".nt", delete=False, encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
        path = handle.name
    command = [java, f"-Xmx{reasoning.JAVA_MEMORY}M", "-cp", reasoning._HERMIT_CLASSPATH,
               "org.semanticweb.HermiT.cli.CommandLine", "-c", "-O", "-D", "-I", "-Y",
               "file:///" + path.lstrip("/")]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout)
    except FileNotFoundError:
        raise ReasoningUnavailable(JAVA_HINT) from None
    except subprocess.TimeoutExpired:
        raise ReasoningError(f"HermiT did not finish within {timeout:.0f} s; reason over fewer files") from None
    finally:
        os.unlink(path)
    output = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        text = output + done.stderr.decode("utf-8", "replace")
        if "Inconsistent ontology" in text or "InconsistentOntologyException" in text:
            raise InconsistentGraph("inconsistent", [])
        raise ReasoningError("HermiT failed: " + (text.strip().splitlines() or ["no output"])[-1][:300])
    return output


@dataclass
class HermitAnswer:
    types: dict[str, set[str]]           # individual -> direct types
    parents: dict[str, set[str]]         # class -> direct superclasses and equivalents
    values: dict[str, set[tuple[str, str]]]  # object property -> known (subject, object) pairs
    unsatisfiable: list[str]


def parse_hermit(output: str) -> HermitAnswer:
    types: dict[str, set[str]] = defaultdict(set)
    parents: dict[str, set[str]] = defaultdict(set)
    values: dict[str, set[tuple[str, str]]] = {}
    unsatisfiable: list[str] = []
    for individual, cls in _TYPE_LINE.findall(output):
        types[individual].add(cls)
    for sub, sup in _SUBCLASS_LINE.findall(output):
        parents[sub].add(sup)
    for group in _EQUIVALENT_LINE.findall(output):
        members = re.findall(r"<([^>]+)>", group)
        if OWL + "Nothing" in members:
            unsatisfiable += [m for m in members if not m.startswith(OWL)]
            continue
        for a in members:
            parents[a].update(m for m in members if m != a)
    for prop, known, _possible in _PROPERTY_LINE.findall(output):
        values[prop] = set(_PAIR.findall(known))
    return HermitAnswer(dict(types), dict(parents), values, sorted(set(unsatisfiable)))


def _ancestors(cls: str, parents: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [cls]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


# ------------------------------------------------------------------------------- the entry point

def infer(store: Store) -> ReasoningReport:
    """Run HermiT over the asserted graphs and return what it entails beyond them (nothing written)."""
    started = time.perf_counter()
    quads = asserted_quads(store)
    lines, asserted, left_out = reasoner_input(quads)
    try:
        output = run_hermit(lines)
    except InconsistentGraph:
        culprits = explain_inconsistency(quads)
        raise InconsistentGraph(
            "the graph contradicts the ontology (HermiT finds it inconsistent)"
            + (": " + "; ".join(culprits[:10]) + (f" (and {len(culprits) - 10} more)" if len(culprits) > 10 else "")
               if culprits else "; look for a node of two kinds that cannot overlap, or two values of a "
               "property that allows one"), culprits) from None
    answer = parse_hermit(output)
    if answer.unsatisfiable:
        names = [_short(c) for c in answer.unsatisfiable]
        raise InconsistentGraph("these classes can have no members (each is equivalent to owl:Nothing): "
                                + ", ".join(names), names)
    found: set[tuple[str, str, str]] = set()
    for individual, direct in answer.types.items():
        if individual.startswith(_SKOLEM):
            continue
        for cls in set(direct) | {a for c in direct for a in _ancestors(c, answer.parents)}:
            if cls.startswith((OWL, _SKOLEM)):
                continue
            found.add((individual, RDF_TYPE, cls))
    for prop, pairs in answer.values.items():
        if prop.startswith(OWL):
            continue
        for subject, obj in pairs:
            if not (subject.startswith(_SKOLEM) or obj.startswith(_SKOLEM)):
                found.add((subject, prop, obj))
    new = sorted(found - asserted)
    triples = [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o)) for s, p, o in new]
    by_property = dict(sorted(Counter(_short(p) for _, p, _ in new).items(), key=lambda kv: (-kv[1], kv[0])))
    return ReasoningReport(triples, by_property, len(lines), left_out, time.perf_counter() - started)


def materialise(store: Store) -> ReasoningReport:
    """Infer and replace the inferred-owl graph with the result, in one transaction."""
    report = infer(store)
    graph = ox.NamedNode(OWL_INFERRED_GRAPH)
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in report.triples]
    store.replace_graphs([GraphContent(OWL_INFERRED_GRAPH, quads)])
    return report


# -------------------------------------------------------------------------- inconsistency

def explain_inconsistency(quads: list[ox.Quad]) -> list[str]:
    """Name the individuals that clash, in plain words: a node whose kinds (stated, or implied by a
    property's domain or range, and their superclasses) include two disjoint classes, or a node with
    two values of a functional property that are declared different."""
    ontology = [q for q in quads if q.graph_name.value == ONTOLOGY_GRAPH]
    data = [q for q in quads if q.graph_name.value != ONTOLOGY_GRAPH]
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for q in ontology:
        by_subject[q.subject][q.predicate.value].append(q.object)

    def rdf_list(head) -> list:
        items = []
        while head is not None and head.value != RDF + "nil":
            items += by_subject[head].get(RDF + "first", [])
            rest = by_subject[head].get(RDF + "rest", [])
            head = rest[0] if rest else None
        return items

    parents, domain, range_, functional = defaultdict(set), {}, {}, set()
    disjoint: set[frozenset] = set()
    different: set[frozenset] = set()
    for subject, props in list(by_subject.items()):
        for sup in props.get(RDFS + "subClassOf", []):
            if isinstance(sup, ox.NamedNode):
                parents[subject.value].add(sup.value)
        for cls in props.get(RDFS + "domain", []):
            if isinstance(cls, ox.NamedNode):
                domain[subject.value] = cls.value
        for cls in props.get(RDFS + "range", []):
            if isinstance(cls, ox.NamedNode):
                range_[subject.value] = cls.value
        for other in props.get(OWL + "disjointWith", []):
            disjoint.add(frozenset((subject.value, other.value)))
        kinds = {k.value for k in props.get(RDF_TYPE, [])}
        if OWL + "FunctionalProperty" in kinds:
            functional.add(subject.value)
        if OWL + "AllDisjointClasses" in kinds:
            members = [m.value for head in props.get(OWL + "members", []) for m in rdf_list(head)]
            disjoint |= {frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1:]}
        if OWL + "AllDifferent" in kinds:
            members = [m.value for head in props.get(OWL + "distinctMembers", []) for m in rdf_list(head)]
            different |= {frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1:]}

    kinds_of: dict[str, set[str]] = defaultdict(set)
    values: dict[tuple[str, str], set[str]] = defaultdict(set)
    for q in data:
        s, p, o = _nt(q.subject)[1:-1], q.predicate.value, q.object
        if p == RDF_TYPE:
            kinds_of[s].add(o.value)
            continue
        if p in domain:
            kinds_of[s].add(domain[p])
        if not isinstance(o, ox.Literal):
            if p in range_:
                kinds_of[_nt(o)[1:-1]].add(range_[p])
            if p in functional:
                values[(s, p)].add(o.value)
    problems = []
    for node in sorted(kinds_of):
        closed = set(kinds_of[node]) | {a for k in kinds_of[node] for a in _ancestors(k, parents)}
        clashes = sorted(tuple(sorted(pair)) for pair in disjoint if pair <= closed)
        if clashes:
            a, b = clashes[0]
            problems.append(f"{_short(node)} is both a {_short(a)} and a {_short(b)}, which cannot overlap")
    for (node, prop), objects in sorted(values.items()):
        clashing = sorted(objects)
        if any(frozenset((a, b)) in different for i, a in enumerate(clashing) for b in clashing[i + 1:]):
            problems.append(f"{_short(node)} has {len(clashing)} different values of {_short(prop)}, which allows one: "
                            + ", ".join(_short(v) for v in clashing))
    return problems


def _short(iri: str) -> str:
    """An IRI in a message: its short form, or "a blank node" for a blank node HermiT was given a name for."""
    return "a blank node" if iri.startswith(_SKOLEM) else curie(iri)
