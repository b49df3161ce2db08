"""One small store API with two backends: embedded Oxigraph on disk, or any SPARQL 1.1 endpoint.

Both backends hand back pyoxigraph's own result types, so callers never care which one answers.
Replacing graphs is one SPARQL update, which Oxigraph and the protocol apply atomically; the
embedded store writes graphs that are new to it through Oxigraph's own (bulk) writer instead and
drops them again if the rest fails. Either way a load replaces all its graphs or leaves the store
as it was.
"""
from __future__ import annotations

import gc
import io
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Union

import pyoxigraph as ox

from graph.bindings import inline_values, to_term
from graph.dataset import Dataset, declares_dataset, with_using  # Dataset is part of this API
from graph.sparql_text import refusal
from graph.store_folder import FolderError, StoreFolder

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
        prefixes = _prefixes() if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        ox.serialize(data, out, fmt, prefixes=prefixes) if prefixes else ox.serialize(data, out, fmt)
        return out.getvalue()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes inside are published together or not at all (where the backend can: the embedded
        store; a remote endpoint applies each update atomically, one at a time)."""
        yield

    def in_transaction(self) -> bool:
        return False

    def generation(self) -> Path | None:
        """The database folder a separate process may open read-only; None when there is none."""
        return None

    def close(self) -> None:
        """Release files or connections; the default has nothing to release."""


def _insert_data(graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> str:
    """One INSERT DATA of the quads' triples into the graph (terms serialised by Oxigraph, escaped)."""
    body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


def _prefixes() -> dict[str, str]:
    from ontology import PREFIXES, base_iri

    return {**PREFIXES, "id": base_iri()}


def oxigraph_query_options(sparql: str, dataset: Dataset | None, base_iri: str | None) -> dict[str, object]:
    """How pyoxigraph is asked a query, here and in the query workers: our prefixes, the base, and
    the dataset (the protocol's, else the query's FROM, else the union of the named graphs)."""
    options: dict[str, object] = {"prefixes": _prefixes(), "base_iri": base_iri}
    if dataset is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs]
        options["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
    else:  # Oxigraph's union flag would override the query's own FROM, so it is set only without one
        options["use_default_graph_as_union"] = not declares_dataset(sparql)
    return options


def _prefix_lines(sparql: str) -> str:
    """Remote endpoints get our standard prefixes declared, as the embedded store gets them as defaults."""
    declared = set(re.findall(r"(?i)PREFIX\s+([A-Za-z][\w.-]*)?:", sparql))
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in _prefixes().items() if p not in declared)


BULK_THRESHOLD = 100_000  # quads; above this, new graphs are written with Oxigraph's bulk loader


class OxigraphStore(Store):
    """The default: an embedded Oxigraph database on disk (or in memory when no path is given).

    On disk, reads go to the current generation opened read-only, and every write is a transaction
    on a new generation that becomes visible only when it is complete (graph/store_folder.py): so a
    load is all or nothing even if the process is killed, and other processes (the web app, the
    command line) read beside it and see the new content once it is published."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.folder = StoreFolder(self.path) if self.path is not None else None
        self._local = threading.local()  # the writer of this thread, inside a transaction
        self._reopen = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        try:
            if self.folder is None:
                self._memory = ox.Store()
            else:
                self._first_generation()
                self.refresh()
        except (OSError, FolderError) as exc:
            raise StoreError(f"cannot open the store at {self.path}: {_reason(exc)}") from None

    # ---------------------------------------------------------------- generations
    def _first_generation(self) -> None:
        """A new folder gets an empty generation; a database of an earlier version is taken over."""
        if self.folder.current() is not None:
            return
        with self.folder.write_lock():
            if self.folder.current() is not None:
                return
            generation = self.folder.next_generation()
            if self.folder.is_legacy():
                ox.Store.read_only(str(self.path)).backup(str(generation))
            else:
                empty = ox.Store(str(generation))
                empty.flush()
                del empty
            self.folder.publish(generation)

    def refresh(self) -> bool:
        """Open the current generation if a writer (this process or another) published a new one
        since; True when it did. One stat per call, so every read can ask."""
        if self.folder is None:
            return False
        stamp = self.folder.pointer_stamp()
        if stamp == self._stamp:
            return False
        with self._reopen:
            if stamp != self._stamp:
                self._reader = ox.Store.read_only(str(self.folder.current()))
                self._stamp = stamp
        return True

    def generation(self) -> Path | None:
        """The folder of the database readers should open now (None in memory): query workers
        open it themselves."""
        return self.folder.current() if self.folder is not None else None

    def _writer(self) -> ox.Store | None:
        return getattr(self._local, "writer", None)

    def _engine(self) -> ox.Store:
        """The database this thread reads and writes: its open transaction's, else the current one."""
        writer = self._writer()
        if writer is not None:
            return writer
        if self.folder is None:
            return self._memory
        try:
            self.refresh()
        except (OSError, FolderError) as exc:
            raise StoreError(f"cannot open the store at {self.path}: {_reason(exc)}") from None
        return self._reader

    def in_transaction(self) -> bool:
        return self._writer() is not None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything written inside goes to a new generation, published at the end or thrown away
        on any error (or death of the process): the store is never seen half-written."""
        if self.folder is None or self._writer() is not None:
            yield
            return
        try:
            with self.folder.write_lock():
                self.folder.remove_unfinished()
                generation = self.folder.next_generation()
                ox.Store.read_only(str(self.folder.current())).backup(str(generation))
                self._local.writer = ox.Store(str(generation))
                try:
                    yield
                    self._local.writer.flush()
                except BaseException:
                    self._close_writer()
                    self.folder.discard(generation)
                    raise
                self._close_writer()
                self.folder.publish(generation)
                self.folder.prune()
        except (OSError, FolderError) as exc:
            raise StoreError(f"the store could not write: {_reason(exc)}") from None
        self.refresh()

    def _close_writer(self) -> None:
        """Drop this thread's writer and close its database before anyone may open it read-only."""
        self._local.writer = None
        gc.collect()

    # ---------------------------------------------------------------- reads and writes
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
              dataset: Dataset | None = None, base_iri: str | None = None) -> Result:
        # Oxigraph's own substitutions refuse variables outside the projection, so both backends
        # bind the same way: escaped terms in a VALUES block opening the WHERE group.
        self.guard(sparql)
        if bindings:
            sparql = inline_values(sparql, {k: to_term(v) for k, v in bindings.items()})
        try:
            return self._engine().query(sparql, **oxigraph_query_options(sparql, dataset, base_iri))
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"the store could not answer: {exc}") from None

    def replace_graphs(self, contents: Iterable[GraphContent], then: Iterable[str] = ()) -> int:
        """Graphs new to the store go in through Oxigraph's `extend` (no SPARQL text to build and
        parse: this is what keeps a national-scale load near Oxigraph's own speed); graphs that
        already exist are replaced by the one-update path. On disk the whole is one transaction;
        in memory, the new graphs are dropped again if the second step fails."""
        contents, then = list(contents), list(then)
        with self.transaction():
            engine = self._engine()
            existing = {g.value for g in engine.named_graphs() if isinstance(g, ox.NamedNode)}
            fresh = [c for c in contents if c.graph not in existing]
            if not fresh:
                return super().replace_graphs(contents, then)
            try:
                self._extend(engine, [q for c in fresh for q in c.quads])
                count = super().replace_graphs([c for c in contents if c.graph in existing], then)
            except StoreError:
                if self.folder is None:
                    self.drop_graphs(c.graph for c in fresh)
                raise
            return count + sum(len(c.quads) for c in fresh)

    def append(self, quads: list[ox.Quad]) -> None:
        with self.transaction():
            self._extend(self._engine(), quads)

    @staticmethod
    def _extend(engine: ox.Store, quads: list[ox.Quad]) -> None:
        try:
            engine.bulk_extend(quads) if len(quads) > BULK_THRESHOLD else engine.extend(quads)
        except OSError as exc:
            raise StoreError(f"the store could not write: {_reason(exc)}") from None

    def _write(self, sparql: str, *, dataset: Dataset | None = None, base_iri: str | None = None) -> None:
        with self.transaction():
            try:
                if dataset is not None:  # Oxigraph takes a dataset argument for queries only
                    sparql = with_using(sparql, dataset)
                self._engine().update(sparql, prefixes=_prefixes(), base_iri=base_iri)
            except ValueError as exc:
                raise StoreError(str(exc)) from None
            except SyntaxError as exc:
                raise StoreError(f"SPARQL update syntax error: {exc}") from None
            except OSError as exc:
                raise StoreError(f"the store could not write: {_reason(exc)}") from None

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._engine().named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        graph_name = ox.NamedNode(graph) if graph else None
        return [q for q in self._engine().quads_for_pattern(None, None, None, graph_name)
                if not isinstance(q.graph_name, ox.DefaultGraph)]

    def dump(self) -> bytes:
        """Everything as N-Quads, the fastest way to copy the store into another one."""
        return self._engine().dump(format=ox.RdfFormat.N_QUADS)

    def close(self) -> None:
        self.__dict__.pop("_reader", None)
        self.__dict__.pop("_memory", None)


def _reason(exc: BaseException) -> str:
    """An OS error as a person reads it: 'No space left on device', not '[Errno 28] ...'."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}" + (f" ({exc.filename})" if exc.filename else "")
    return str(exc)


class MemoryReplica(Store):
    """An on-disk store answered from a copy in memory: the same Oxigraph, 3-10x faster per question
    on the national graph, because every index lookup on disk goes through RocksDB (bench/README.md).
    Writes go to the disk (each update runs once, there), then the copy is made anew from the
    published generation; a load by another process is noticed at the next question and copied in
    the background, while the old copy answers."""

    def __init__(self, disk: OxigraphStore) -> None:
        self.disk = disk
        self._copying = threading.Lock()
        self._copy()

    @property
    def allow_federation(self) -> bool:
        return self.disk.allow_federation

    @allow_federation.setter
    def allow_federation(self, allowed: bool) -> None:
        """Queries are answered (and guarded) by the copy, so it follows the disk's setting."""
        self.disk.allow_federation = self.memory.allow_federation = allowed

    def _copy(self) -> None:
        stamp = self.disk.folder.pointer_stamp() if self.disk.folder else None
        memory = OxigraphStore()
        dump = self.disk.dump()
        memory.allow_federation = self.disk.allow_federation
        if dump:
            memory._engine().bulk_load(dump, format=ox.RdfFormat.N_QUADS)
        self.memory, self._stamp = memory, stamp

    def _follow(self) -> None:
        """Start copying a generation published by another process, once, in the background."""
        if self.disk.folder is None or self.disk.folder.pointer_stamp() == self._stamp:
            return
        if self._copying.acquire(blocking=False):
            def copy() -> None:
                try:
                    self._copy()
                finally:
                    self._copying.release()
            threading.Thread(target=copy, name="policygraph-copy", daemon=True).start()

    def _answering(self) -> OxigraphStore:
        """Inside a write, the disk (a load reading back what it wrote); else the copy, which starts
        following a load by another process."""
        if self.disk.in_transaction():
            return self.disk
        self._follow()
        return self.memory

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
              dataset: Dataset | None = None, base_iri: str | None = None) -> Result:
        return self._answering().query(sparql, bindings, dataset=dataset, base_iri=base_iri)

    def generation(self) -> Path | None:
        return self.disk.generation()

    def in_transaction(self) -> bool:
        return self.disk.in_transaction()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.disk.in_transaction():
            yield
            return
        with self.disk.transaction():
            yield
        with self._copying:
            self._copy()

    def _write(self, sparql: str, *, dataset: Dataset | None = None, base_iri: str | None = None) -> None:
        with self.transaction():
            self.disk._write(sparql, dataset=dataset, base_iri=base_iri)

    def replace_graphs(self, contents: Iterable[GraphContent], then: Iterable[str] = ()) -> int:
        with self.transaction():
            return self.disk.replace_graphs(contents, then)

    def append(self, quads: list[ox.Quad]) -> None:
        with self.transaction():
            self.disk.append(quads)

    def graphs(self) -> list[str]:
        return self._answering().graphs()

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        return self._answering().quads(graph)

    def dump(self) -> bytes:
        return self._answering().dump()

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

    def _post(self, url: str, form: list[tuple[str, str]], accept: str) -> tuple[bytes, str]:
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

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
              dataset: Dataset | None = None, base_iri: str | None = None) -> Result:
        self.guard(sparql)
        if bindings:
            sparql = inline_values(sparql, {k: to_term(v) for k, v in bindings.items()})
        sparql = _base_line(base_iri) + _prefix_lines(sparql) + sparql
        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        form = [("query", sparql), *_protocol_dataset(dataset, "default-graph-uri", "named-graph-uri")]
        body, content_type = self._post(self.query_url, form, accept)
        if content_type.startswith("application/n-triples"):
            return _triples(body)
        try:
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise StoreError(f"the endpoint sent results that are not SPARQL JSON: {exc}") from None

    def _write(self, sparql: str, *, dataset: Dataset | None = None, base_iri: str | None = None) -> None:
        form = [("update", _base_line(base_iri) + _prefix_lines(sparql) + sparql),
                *_protocol_dataset(dataset, "using-graph-uri", "using-named-graph-uri")]
        self._post(self.update_url, form, "*/*")


def _base_line(base_iri: str | None) -> str:
    """The protocol has no base IRI parameter: the text declares it (a BASE of its own still wins)."""
    return f"BASE {ox.NamedNode(base_iri)}\n" if base_iri else ""


def _protocol_dataset(dataset: Dataset | None, default: str, named: str) -> list[tuple[str, str]]:
    """A dataset as SPARQL 1.1 Protocol parameters: the endpoint applies them, its way."""
    if dataset is None:
        return []
    return [*((default, g) for g in dataset.default_graphs), *((named, g) for g in dataset.named_graphs)]


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
