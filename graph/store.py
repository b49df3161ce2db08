"""One small store API with two backends: embedded Oxigraph on disk, or any SPARQL 1.1 endpoint.

Both backends hand back pyoxigraph's own result types, so callers never care which one answers.
Replacing graphs is one SPARQL update, which Oxigraph and the protocol apply atomically; the
embedded store writes graphs that are new to it through Oxigraph's own (bulk) writer instead and
drops them again if the rest fails. Either way a load replaces all its graphs or leaves the store
as it was.
"""
from __future__ import annotations

import io
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Union

import pyoxigraph as ox

from graph.bindings import inline_values, to_term
from graph.sparql_text import refusal

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal]
Result = Union[ox.QuerySolutions, ox.QueryBoolean, ox.QueryTriples]


class StoreError(Exception):
    """The store could not answer or write: an unreachable endpoint, a bad query or update."""


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
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None) -> Result:
        """Run a SPARQL query; the default graph is the union of all named graphs."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL update in one transaction."""
        self.guard(sparql)
        self._write(sparql)

    @abstractmethod
    def _write(self, sparql: str) -> None:
        """Run an update this module built from escaped terms (INSERT DATA, DROP) or the caller's
        update once guarded. Loads send megabytes this way, which the guard would only slow down."""

    def guard(self, sparql: str) -> None:
        """Refuse (RefusedText) what the engine must not be given; see graph/sparql_text.py."""
        reason = refusal(sparql, self.allow_federation)
        if reason:
            raise RefusedText(reason)

    def replace_graphs(self, contents: Iterable[GraphContent], then: Iterable[str] = ()) -> int:
        """Replace each named graph with the given quads, all in one transaction; returns the quad count.

        `then` are further update operations (e.g. rebuilding derived links) run in the same transaction.
        """
        operations, count = [], 0
        for content in contents:
            graph = ox.NamedNode(content.graph)
            operations.append(f"DROP SILENT GRAPH {graph}")
            if content.quads:
                operations.append(_insert_data(graph, content.quads))
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
        operations = [_insert_data(graph, graph_quads) for graph, graph_quads in by_graph.items()]
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

    def export(self, rdf_format: str, graph: str | None = None) -> bytes:
        """Serialise the store (or one graph); triple formats merge the graphs into one."""
        fmt = EXPORT_FORMATS[rdf_format]
        quads = self.quads(graph)
        if fmt.supports_datasets:
            data = quads
        else:
            data = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        out = io.BytesIO()
        prefixes = _prefixes() if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        ox.serialize(data, out, fmt, prefixes=prefixes) if prefixes else ox.serialize(data, out, fmt)
        return out.getvalue()

    def close(self) -> None:
        """Release files or connections; the default has nothing to release."""


def _insert_data(graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> str:
    """One INSERT DATA of the quads' triples into the graph (terms serialised by Oxigraph, escaped)."""
    body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


def _prefixes() -> dict[str, str]:
    from ontology import PREFIXES, base_iri

    return {**PREFIXES, "id": base_iri()}


def _prefix_lines(sparql: str) -> str:
    """Remote endpoints get our standard prefixes declared, as the embedded store gets them as defaults."""
    declared = set(re.findall(r"(?i)PREFIX\s+([A-Za-z][\w.-]*)?:", sparql))
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in _prefixes().items() if p not in declared)


BULK_THRESHOLD = 100_000  # quads; above this, new graphs are written with Oxigraph's bulk loader


class OxigraphStore(Store):
    """The default: an embedded Oxigraph database on disk (or in memory when no path is given)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from None

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None) -> Result:
        # Oxigraph's own substitutions refuse variables outside the projection, so both backends
        # bind the same way: escaped terms in a VALUES block opening the WHERE group.
        self.guard(sparql)
        if bindings:
            sparql = inline_values(sparql, {k: to_term(v) for k, v in bindings.items()})
        try:
            return self._store.query(sparql, use_default_graph_as_union=True, prefixes=_prefixes())
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"the store could not answer: {exc}") from None

    def replace_graphs(self, contents: Iterable[GraphContent], then: Iterable[str] = ()) -> int:
        """Graphs new to the store go in through Oxigraph's atomic `extend` (no SPARQL text to build
        and parse: this is what keeps a national-scale load near Oxigraph's own speed); graphs that
        already exist are replaced by the one-update path. If that second step fails, the new graphs
        are dropped again, so the load is still all or nothing."""
        contents = list(contents)
        existing = {g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)}
        fresh = [c for c in contents if c.graph not in existing]
        if not fresh:
            return super().replace_graphs(contents, then)
        quads = [q for c in fresh for q in c.quads]
        try:
            if len(quads) > BULK_THRESHOLD:
                self._store.bulk_extend(quads)  # 3.5x faster, far less memory; compensated below on failure
            else:
                self._store.extend(quads)
        except OSError as exc:
            self.drop_graphs(c.graph for c in fresh)
            raise StoreError(f"the store could not write: {exc}") from None
        try:
            count = super().replace_graphs([c for c in contents if c.graph in existing], then)
        except StoreError:
            self.drop_graphs(c.graph for c in fresh)
            raise
        return count + sum(len(c.quads) for c in fresh)

    def append(self, quads: list[ox.Quad]) -> None:
        try:
            self._store.bulk_extend(quads) if len(quads) > BULK_THRESHOLD else self._store.extend(quads)
        except OSError as exc:
            raise StoreError(f"the store could not write: {exc}") from None

    def _write(self, sparql: str) -> None:
        try:
            self._store.update(sparql, prefixes=_prefixes())
        except SyntaxError as exc:
            raise StoreError(f"SPARQL update syntax error: {exc}") from None
        except OSError as exc:
            raise StoreError(f"the store could not write: {exc}") from None

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        graph_name = ox.NamedNode(graph) if graph else None
        return [q for q in self._store.quads_for_pattern(None, None, None, graph_name)
                if not isinstance(q.graph_name, ox.DefaultGraph)]

    def close(self) -> None:
        self._store.flush() if self.path else None
        del self._store


class MemoryReplica(Store):
    """An on-disk store answered from a copy in memory: the same Oxigraph, 3-10x faster per question
    on the national graph, because every index lookup on disk goes through RocksDB (bench/README.md).
    Writes go to the disk first, then to the copy, so the disk stays the store of record; if the copy
    cannot follow, it is rebuilt from the disk."""

    def __init__(self, disk: OxigraphStore) -> None:
        self.disk = disk
        self._copy()

    @property
    def allow_federation(self) -> bool:
        return self.disk.allow_federation

    @allow_federation.setter
    def allow_federation(self, allowed: bool) -> None:
        """Queries are answered (and guarded) by the copy, so it follows the disk's setting."""
        self.disk.allow_federation = self.memory.allow_federation = allowed

    def _copy(self) -> None:
        self.memory: OxigraphStore = OxigraphStore()
        self.memory.allow_federation = self.disk.allow_federation
        dump = self.disk._store.dump(format=ox.RdfFormat.N_QUADS)
        if dump:
            self.memory._store.bulk_load(dump, format=ox.RdfFormat.N_QUADS)

    def _both(self, write: str, *args) -> object:
        result = getattr(self.disk, write)(*args)
        try:
            getattr(self.memory, write)(*args)
        except StoreError:
            self._copy()
        return result

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None) -> Result:
        return self.memory.query(sparql, bindings)

    def _write(self, sparql: str) -> None:
        self._both("_write", sparql)

    def replace_graphs(self, contents: Iterable[GraphContent], then: Iterable[str] = ()) -> int:
        contents, then = list(contents), list(then)
        return self._both("replace_graphs", contents, then)

    def append(self, quads: list[ox.Quad]) -> None:
        self._both("append", quads)

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        self._both("drop_graphs", list(graphs))

    def graphs(self) -> list[str]:
        return self.memory.graphs()

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        return self.memory.quads(graph)

    def close(self) -> None:
        self.disk.close()
        self.memory.close()


class SparqlEndpointStore(Store):
    """Any SPARQL 1.1 Protocol endpoint (query + update), for teams that outgrow one machine."""

    def __init__(self, query_url: str, update_url: str | None = None, timeout: float = 60.0,
                 token: str | None = None) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.timeout = timeout
        self.token = token

    def _post(self, url: str, form: dict[str, str], accept: str) -> tuple[bytes, str]:
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, urllib.parse.urlencode(form).encode(), headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(f"{url} answered {exc.code}: {detail[0] if detail else exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {getattr(exc, 'reason', exc)}") from None

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None) -> Result:
        self.guard(sparql)
        if bindings:
            sparql = inline_values(sparql, {k: to_term(v) for k, v in bindings.items()})
        sparql = _prefix_lines(sparql) + sparql
        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        body, content_type = self._post(self.query_url, {"query": sparql}, accept)
        if content_type.startswith("application/n-triples"):
            return _triples(body)
        try:
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise StoreError(f"the endpoint sent results that are not SPARQL JSON: {exc}") from None

    def _write(self, sparql: str) -> None:
        self._post(self.update_url, {"update": _prefix_lines(sparql) + sparql}, "*/*")


def _triples(body: bytes):
    return iter(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


def open_store(location: str | Path | None = None, endpoint: str | None = None,
               update_endpoint: str | None = None, token: str | None = None, in_memory: bool = False) -> Store:
    """The CLI and the web app open the store through this, from flags or the environment.
    `in_memory`: answer from a copy in memory (the web app, where reads dominate).
    Federation (SERVICE, LOAD) stays off unless POLICYGRAPH_ALLOW_SERVICE=1."""
    if endpoint:
        store: Store = SparqlEndpointStore(endpoint, update_endpoint, token=token)
    else:
        disk = OxigraphStore(location)
        store = MemoryReplica(disk) if in_memory and location is not None else disk
    store.allow_federation = os.environ.get("POLICYGRAPH_ALLOW_SERVICE") == "1"
    return store
