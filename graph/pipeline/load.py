"""Joins loaders and store: read every file, validate the result as a whole, then write it in one step.

This lives in graph/ because loaders never touch the store; the CLI and the web app both call it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from graph.pipeline.derive import derive, derived_graph
from graph.pipeline.derive_rules import Facts
from graph.store import GraphContent, Store
from graph.store.skolem import skolemise
from graph.pipeline.validation import Finding, MergedGraph, validate_merged, validate_quads, violations
from loaders import LoadedFile, load_paths
from ontology import INFERRED_GRAPH, ONTOLOGY_FILE, ONTOLOGY_GRAPH, OWL_INFERRED_GRAPH, base_iri, file_of_graph


class ValidationFailed(Exception):
    """The files are well-formed but break the SHACL shapes; nothing was written."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        first = violations(findings)[0]
        super().__init__(f"{len(violations(findings))} problem(s); first: {first}")


@dataclass
class LoadReport:
    files: list[LoadedFile]
    quads: int
    findings: list[Finding] = field(default_factory=list)


def ontology_content() -> GraphContent:
    """The ontology travels with every load so that the store can always explain its own terms."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    triples = ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    return GraphContent(ONTOLOGY_GRAPH, skolemise(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples))


def places_of(files: Iterable[LoadedFile]) -> dict[str, str]:
    """Node IRI -> 'file:line', so a SHACL finding points at the line an author has to change."""
    places: dict[str, str] = {}
    base = base_iri()
    for loaded in files:
        for node, line in loaded.node_lines.items():
            iri = node if ":" in node else base + node
            places.setdefault(iri, f"{loaded.path}:{line}")
    return places


def graph_contents(files: Iterable[LoadedFile]) -> list[GraphContent]:
    """One entry per named graph the files fill: a quad file may carry graphs of its own. Blank nodes
    become stable IRIs here (graph/store/skolem.py), for every backend: engines disagree on blank
    nodes, and links derived from them must stay attached when a file is loaded again."""
    by_graph: dict[str, list[ox.Quad]] = {}
    for loaded in files:
        for quad in loaded.quads:
            by_graph.setdefault(quad.graph_name.value, []).append(quad)
    return [GraphContent(graph, skolemise(quads)) for graph, quads in by_graph.items()]


def places_in_store(merged: MergedGraph, findings: Iterable[Finding]) -> list[Finding]:
    """The findings, each about a stored node without a place pointing at the file its graph was loaded
    from (graph names percent-encode it). Looked up for the findings only, not for every stored node."""
    def place(focus: str) -> str | None:
        if not focus.startswith(("http:", "https:", "urn:")):
            return None
        files = (file_of_graph(q.graph_name.value) for q in merged.quads_for_pattern(ox.NamedNode(focus), None, None)
                 if isinstance(q.graph_name, ox.NamedNode))
        return next((file for file in files if file), None)

    return [f if f.place else replace(f, place=place(f.focus)) for f in findings]


def check_files(store: Store | None, files: list[LoadedFile], lang: str = "en") -> list[Finding]:
    """Validate the store as it would be after the load (other graphs kept, these replaced).

    With nothing kept, everything is new and the whole graph is validated. Otherwise the core shapes
    re-check only the nodes whose results the new quads and the quads of the replaced graphs can change
    (graph/pipeline/validation_scope.py), so loading one plan into a store of 130,000 quads costs seconds, not
    a whole check; findings about other stored nodes are `policygraph validate`'s to report."""
    files_graphs = {c.graph for c in graph_contents(files)}
    replaced = files_graphs | {ONTOLOGY_GRAPH, INFERRED_GRAPH, OWL_INFERRED_GRAPH}
    new = [q for f in files for q in f.quads]
    stored = set(store.graphs()) if store else set()
    if not stored - replaced:
        return validate_quads(new, places_of(files), lang)
    removed = [q for graph in sorted(files_graphs & stored) for q in store.quads(graph)]
    merged = MergedGraph.of(new, store.dump(), replaced & stored)
    return places_in_store(merged, validate_merged(merged, places_of(files), lang, changes=new + removed))


def check_store(store: Store, lang: str = "en") -> list[Finding]:
    """Validate everything the store holds, as it is."""
    merged = MergedGraph.of([], store.dump())
    return places_in_store(merged, validate_merged(merged, {}, lang))


def load_into_store(store: Store, paths: Iterable[Path], validate: bool = True,
                    progress: Callable[[Path], None] | None = None, lang: str = "en") -> LoadReport:
    """All or nothing: a bad file or a shape violation stops the load before anything is written."""
    return load_files_into_store(store, load_paths(paths, progress), validate, lang)


def load_files_into_store(store: Store, files: list[LoadedFile], validate: bool = True, lang: str = "en") -> LoadReport:
    """Files already read (each with the graph name its folder gives it: a plan saved from the review
    page into data/ is named as `policygraph load data` names it), checked and written all or nothing."""
    findings = check_files(store, files, lang) if validate else []
    if violations(findings):
        raise ValidationFailed(findings)
    # OWL inferences describe the graph as it was: they are dropped, and `policygraph reason` redoes them.
    contents = [ontology_content(), GraphContent(OWL_INFERRED_GRAPH, [])] + graph_contents(files)
    with store.transaction():  # files and derived links are published together, or not at all
        kept = set(store.graphs()) - {c.graph for c in contents} - {INFERRED_GRAPH}
        if not kept:
            return LoadReport(files, write_with_derived(store, contents), findings)
        count = store.replace_graphs(contents)
        derive(store)
    return LoadReport(files, count, findings)


def write_with_derived(store: Store, contents: list[GraphContent]) -> int:
    """When the load replaces everything the store asserts, the quads in hand are all the rules read:
    derive from them and write files and derived links in one step (one bulk write instead of two,
    and no reading back: 45 -> 40 s on the national benchmark graph)."""
    derived = derived_graph(Facts.from_quads(q for c in contents for q in c.quads))
    with store.transaction():
        store.drop_graphs([INFERRED_GRAPH])
        return store.replace_graphs(contents + [derived]) - len(derived.quads)
