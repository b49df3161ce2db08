"""The one store API every backend offers, its errors, and what a load hands it (GraphContent).

Every backend hands back pyoxigraph's own result types, so callers never care which one answers.
Replacing graphs is all or nothing on the embedded store (one transaction on a new generation). A
remote engine stages the new graphs and switches them in with one request (graph/store/remote/
writes.py says exactly what that guarantees on which engine)."""
from __future__ import annotations

import io
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Hashable, Iterable, Iterator, Mapping, Union

import pyoxigraph as ox

from graph.sparql.dataset import Dataset  # Dataset is part of this API
from graph.sparql.text import declared_prefixes, refusal
from ontology import all_prefixes

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal]
Result = Union[ox.QuerySolutions, ox.QueryBoolean, ox.QueryTriples]


class StoreError(Exception):
    """The store could not answer or write: an unreachable endpoint, a bad query or update."""


class StoreTimeout(StoreError):
    """The engine did not answer within its time limit or ours (a remote engine's execution limit, a
    read that timed out). The web app answers it as its usual "took too long" (503), never a 500."""


class RefusedText(StoreError):
    """A query or update the store will not hand to the engine: nested or chained deeper than the
    engine's stack takes, too long, or fetching from other servers (SERVICE, LOAD) while federation
    is off. Callers show it as a bad request (HTTP 400, one line on the command line)."""


@dataclass(frozen=True)
class GraphContent:
    """The quads that should make up one named graph after a load."""

    graph: str
    quads: list[ox.Quad]


EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class Store(ABC):
    """What every backend offers: query with bound parameters, atomic graph replacement, export.

    Every text given to `query` or `update` passes `guard` first, so no caller can hand the engine a
    text that crashes it or makes it fetch a URL. `allow_federation` (POLICYGRAPH_ALLOW_SERVICE=1)
    lets SERVICE and LOAD through."""

    allow_federation: bool = False

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
              dataset: Dataset | None = None, base_iri: str | None = None) -> Result:
        """Run a SPARQL query. It reads `dataset` when one is given (whatever FROM / FROM NAMED say),
        else the dataset its FROM / FROM NAMED name, else the union of all named graphs as the
        default graph, with every named graph visible to GRAPH. `base_iri` resolves the relative
        IRIs in the text (without one, a relative IRI is a syntax error)."""

    def update(self, sparql: str, *, dataset: Dataset | None = None, base_iri: str | None = None) -> None:
        """Run a SPARQL update in one transaction. `dataset` is read by every operation's WHERE, as
        USING / USING NAMED would be (an update that has its own USING or WITH is then a StoreError);
        `base_iri` resolves the relative IRIs in the text."""
        self.guard(sparql)
        self._write(sparql, dataset=dataset, base_iri=base_iri)

    @abstractmethod
    def _write(self, sparql: str, *, dataset: Dataset | None = None, base_iri: str | None = None) -> None:
        """Run an update this module built from escaped terms (INSERT DATA, DROP) or the caller's
        update once guarded. Loads send megabytes this way, which the guard would only slow down."""

    def guard(self, sparql: str) -> None:
        """Refuse (RefusedText) what the engine must not be given; see graph/sparql/text.py."""
        reason = refusal(sparql, self.allow_federation)
        if reason:
            raise RefusedText(reason)

    def replace_graphs(self, contents: Iterable[GraphContent], then: Iterable[str] = ()) -> int:
        """Replace each named graph with the given quads, all or nothing; returns the quad count.

        `then` are further update operations (e.g. rebuilding derived links) run with the replacement
        (in the same transaction on the embedded store; in the switch-over request on a remote one).
        """
        operations, count = [], 0
        for content in contents:
            graph = ox.NamedNode(content.graph)
            operations.append(f"DROP SILENT GRAPH {graph}")
            if content.quads:
                operations.append(insert_data(graph, content.quads))
                count += len(content.quads)
        operations += list(then)
        if operations:
            self._write(" ;\n".join(operations))
        return count

    def append(self, quads: list[ox.Quad]) -> None:
        """Add quads to their graphs, keeping what is there (derived links are written in stages)."""
        by_graph: dict[ox.NamedNode, list[ox.Quad]] = {}
        for q in quads:
            by_graph.setdefault(q.graph_name, []).append(q)
        operations = [insert_data(graph, graph_quads) for graph, graph_quads in by_graph.items()]
        if operations:
            self._write(" ;\n".join(operations))

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        operations = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs]
        if operations:
            self._write(" ;\n".join(operations))

    def graphs(self) -> list[str]:
        """Named graphs with their sizes are what `stats` and the UI list."""
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        return [row["g"].value for row in rows]

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        else:
            rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": ox.NamedNode(graph)})
        return int(next(iter(rows))["n"].value)

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        """All quads (or one graph's); export and validation read the store through this."""
        sparql = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        bindings = {"g": ox.NamedNode(graph)} if graph else None
        return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in self.query(sparql, bindings)]

    def dump(self) -> bytes:
        """Everything as N-Quads, the fastest way to copy the store into another one."""
        return self.export("nquads")

    def export(self, rdf_format: str, graph: str | None = None) -> bytes:
        """Serialise the store (or one graph); triple formats merge the graphs into one."""
        fmt = EXPORT_FORMATS[rdf_format]
        quads = self.quads(graph)
        if fmt.supports_datasets:
            data = quads
        else:
            data = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        out = io.BytesIO()
        prefixes = all_prefixes() if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        ox.serialize(data, out, fmt, prefixes=prefixes) if prefixes else ox.serialize(data, out, fmt)
        return out.getvalue()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes inside are published together or not at all where the backend can: the embedded
        store. A remote engine has no transaction across requests: there each write inside is staged
        and switched in on its own, so a failure between two writes keeps the first."""
        yield

    def in_transaction(self) -> bool:
        return False

    def generation(self) -> Path | None:
        """The database folder a separate process may open read-only; None when there is none."""
        return None

    def version(self) -> Hashable | None:
        """What names the data queries read now, so that answers computed from it can be kept until
        it changes (graph/questions/kept.py); None when that cannot be known: a remote endpoint, whose
        data anyone may change, or a write in progress."""
        return None

    def close(self) -> None:
        """Release files or connections; the default has nothing to release."""


def triple_lines(quads: Iterable[ox.Quad]) -> str:
    """The quads' triples as N-Triples lines (terms serialised by Oxigraph, escaped): the body of an
    INSERT DATA, or of a Graph Store Protocol request."""
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)


def insert_data(graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> str:
    """One INSERT DATA of the quads' triples into the graph."""
    return f"INSERT DATA {{ GRAPH {graph} {{\n{triple_lines(quads)}}} }}"


def _prefix_lines(sparql: str) -> str:
    """Remote endpoints get our standard prefixes declared, as the embedded store gets them as defaults."""
    declared = declared_prefixes(sparql)
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in all_prefixes().items() if p not in declared)
