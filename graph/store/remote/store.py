"""Any SPARQL 1.1 Protocol endpoint as a store: Oxigraph's server, Virtuoso, or any engine that
speaks the protocol. It sends only portable SPARQL 1.1 (graph/store/remote/writes.py), reads the
engine's dialect back into pyoxigraph's types (results.py), reports every failure as one
StoreError (auth.py), and counts, lists and exports only PolicyGraph's own graphs: an engine keeps
graphs of its own (Virtuoso: its system graphs), which are no part of the data."""
from __future__ import annotations

from typing import Iterable, Mapping

import pyoxigraph as ox

from graph.sparql.bindings import inline_values, to_term
from graph.sparql.dataset import Dataset, with_from, with_using
from graph.store.base import GraphContent, Result, Store, StoreError, _prefix_lines
from graph.store.remote.auth import DEFAULT_TIMEOUT, Connection, EndpointSettings
from graph.store.remote.results import accept_for, query_form, read_answer
from graph.store.remote.writes import (CHUNK_TRIPLES, GRAPH_STORE_CHUNK_TRIPLES, STAGING, graph_store_address,
                                       insert_chunks, ntriples_chunks, staging_names, switch_over)
from graph.store.skolem import skolemise
from ontology import DEFAULT_BASE, ONTOLOGY_GRAPH, base_iri

# Graphs named outside PolicyGraph's own names (a quad file's own graph names) are recorded here, so
# that they count as PolicyGraph's too; the engine's own graphs never are.
REGISTRY_GRAPH = "urn:x-policygraph:graphs"
REGISTERED = ox.NamedNode("urn:x-policygraph:written")


class SparqlEndpointStore(Store):
    """A remote engine over the SPARQL 1.1 Protocol (query + update), for teams that outgrow one machine.

    All or nothing, as far as a remote engine allows: `replace_graphs` and `append` stage their
    statements in new graphs and switch them in with one request at the end, so a write that fails
    while its data travels leaves the graphs as they were (writes.py says exactly what the
    switch-over guarantees on which engine). `transaction()` does not group several writes: each
    write is staged and switched on its own."""

    chunk_triples = CHUNK_TRIPLES
    graph_store_chunk_triples = GRAPH_STORE_CHUNK_TRIPLES

    def __init__(self, query_url: str, update_url: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                 token: str | None = None, *, settings: EndpointSettings | None = None) -> None:
        settings = settings or EndpointSettings(query_url, update_url, token=token, timeout=timeout)
        self.settings = settings
        self.query_url = settings.query_url or query_url
        self.update_url = settings.update_url or self.query_url
        self.timeout = settings.timeout
        self.connection = Connection(settings)

    # ---------------------------------------------------------------- reads
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
              dataset: Dataset | None = None, base_iri: str | None = None) -> Result:
        self.guard(sparql)
        form = query_form(sparql)
        if dataset is not None:  # both ways: Virtuoso reads the text's FROM beside the protocol's
            sparql = with_from(sparql, dataset)  # parameters, Oxigraph's server only the parameters
        if bindings:
            sparql = inline_values(sparql, {k: to_term(v) for k, v in bindings.items()})
        text = _base_line(base_iri) + _prefix_lines(sparql) + sparql
        form_data = [("query", text), *_protocol_dataset(dataset, "default-graph-uri", "named-graph-uri")]
        if self.connection.virtuoso:  # the engine stops the query itself at our deadline (S1TAT), so an
            # abandoned query does not hold it for its own much longer limit
            form_data.append(("timeout", str(int(self.timeout * 1000))))
        body, content_type = self.connection.post(self.query_url, form_data, accept_for(form))
        return read_answer(body, content_type, form)

    def graphs(self) -> list[str]:
        """PolicyGraph's graphs on the engine: those under its names (files, workshops, derived links,
        the ontology) and those it wrote under other names; not the engine's own, nor staging graphs."""
        # GROUP BY, not DISTINCT: Virtuoso 7.2 answers this in 10 ms and the DISTINCT form in 25 s
        # (it scans every statement of 12,000 instead of its graph index)
        rows = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        present = {row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode)}
        registered = {row["g"].value for row in self.query(
            f"SELECT ?g WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{ ?g {REGISTERED} true }} }}")}
        return sorted(g for g in present if _named_by_policygraph(g) or g in registered)

    def count(self, graph: str | None = None) -> int:
        if graph is not None:
            return super().count(graph)
        graphs = self.graphs()
        if not graphs:
            return 0
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } " + _values("g", graphs) + " }")
        return int(next(iter(rows))["n"].value)

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        if graph is not None:
            return super().quads(graph)
        graphs = self.graphs()
        if not graphs:
            return []
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } " + _values("g", graphs) + " }")
        return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]

    # ---------------------------------------------------------------- writes
    def _write(self, sparql: str, *, dataset: Dataset | None = None, base_iri: str | None = None) -> None:
        if dataset is not None:
            try:  # an update with its own USING or WITH takes no other dataset, as the embedded store says
                with_using(sparql, dataset)
            except ValueError as error:
                raise StoreError(str(error)) from None
        form = [("update", _base_line(base_iri) + _prefix_lines(sparql) + sparql),
                *_protocol_dataset(dataset, "using-graph-uri", "using-named-graph-uri")]
        self.connection.post(self.update_url, form, "*/*")

    def replace_graphs(self, contents: Iterable[GraphContent], then: Iterable[str] = ()) -> int:
        """Each graph replaced by its quads: staged, then moved in by one request (with `then`)."""
        contents = [GraphContent(c.graph, skolemise(c.quads)) for c in contents]
        self._staged({c.graph: c.quads for c in contents}, keep_old=False, then=list(then))
        return sum(len(c.quads) for c in contents)

    def append(self, quads: list[ox.Quad]) -> None:
        by_graph: dict[str, list[ox.Quad]] = {}
        for quad in skolemise(quads):
            by_graph.setdefault(quad.graph_name.value, []).append(quad)
        if by_graph:
            self._staged(by_graph, keep_old=True, then=[])

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        graphs = list(graphs)
        super().drop_graphs(graphs)
        foreign = [g for g in graphs if not _named_by_policygraph(g)]
        if foreign:
            triples = " ".join(f"{ox.NamedNode(g)} {REGISTERED} true ." for g in foreign)
            self._write(f"DELETE DATA {{ GRAPH <{REGISTRY_GRAPH}> {{ {triples} }} }}")

    def _staged(self, by_graph: dict[str, list[ox.Quad]], keep_old: bool, then: list[str]) -> None:
        targets = staging_names(by_graph)
        filled = set()
        try:
            for graph, quads in by_graph.items():
                self._stage(targets[graph], quads)
                if quads:
                    filled.add(targets[graph])
        except StoreError:
            self._drop_staging(targets.values())
            raise
        operations = switch_over(targets, filled, keep_old) + self._registrations(by_graph) + then
        if operations:
            try:
                self._write(" ;\n".join(operations))
            except StoreError:
                self._drop_staging(targets.values())
                raise

    def _stage(self, staged: str, quads: list[ox.Quad]) -> None:
        """Write the quads' triples into the staging graph: POSTed N-Triples when a Graph Store
        Protocol address is configured, else INSERT DATA operations."""
        store_url = self.settings.graph_store_url
        if store_url:
            for body in ntriples_chunks(quads, self.graph_store_chunk_triples):
                self.connection.send(graph_store_address(store_url, staged), body, "application/n-triples", "*/*")
            return
        for operation in insert_chunks(staged, quads, self.chunk_triples):
            self._write(operation)

    def _registrations(self, by_graph: dict[str, list[ox.Quad]]) -> list[str]:
        foreign = [g for g, quads in by_graph.items() if quads and not _named_by_policygraph(g)]
        if not foreign:
            return []
        triples = " ".join(f"{ox.NamedNode(g)} {REGISTERED} true ." for g in foreign)
        return [f"INSERT DATA {{ GRAPH <{REGISTRY_GRAPH}> {{ {triples} }} }}"]

    def _drop_staging(self, staged: Iterable[str]) -> None:
        """Clean up after a failed write; a failure here must not hide the first one."""
        try:
            super().drop_graphs(staged)
        except StoreError:
            pass


def _named_by_policygraph(graph: str) -> bool:
    return (graph.startswith((base_iri(), DEFAULT_BASE)) or graph == ONTOLOGY_GRAPH) \
        and not graph.startswith(STAGING)


def _values(variable: str, iris: list[str]) -> str:
    return f"VALUES ?{variable} {{ " + " ".join(str(ox.NamedNode(i)) for i in iris) + " }"


def _base_line(base_iri: str | None) -> str:
    """The protocol has no base IRI parameter: the text declares it (a BASE of its own still wins)."""
    return f"BASE {ox.NamedNode(base_iri)}\n" if base_iri else ""


def _protocol_dataset(dataset: Dataset | None, default: str, named: str) -> list[tuple[str, str]]:
    """A dataset as SPARQL 1.1 Protocol parameters: the engine applies them, its way."""
    if dataset is None:
        return []
    return [*((default, g) for g in dataset.default_graphs), *((named, g) for g in dataset.named_graphs)]
