"""The embedded Oxigraph store: on disk in generations (graph/store/folder.py), or in memory."""
from __future__ import annotations

import gc
import itertools
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Hashable, Iterable, Iterator, Mapping

import pyoxigraph as ox

from graph.sparql.bindings import inline_values, to_term
from graph.sparql.dataset import Dataset, declares_dataset, with_using
from graph.store.base import GraphContent, Result, Store, StoreError
from graph.store.folder import FolderError, StoreFolder
from ontology import all_prefixes


def oxigraph_query_options(sparql: str, dataset: Dataset | None, base_iri: str | None) -> dict[str, object]:
    """How pyoxigraph is asked a query, here and in the query workers: our prefixes, the base, and
    the dataset (the protocol's, else the query's FROM, else the union of the named graphs)."""
    options: dict[str, object] = {"prefixes": all_prefixes(), "base_iri": base_iri}
    if dataset is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs]
        options["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
    else:  # Oxigraph's union flag would override the query's own FROM, so it is set only without one
        options["use_default_graph_as_union"] = not declares_dataset(sparql)
    return options


_SERIALS = itertools.count(1)
BULK_THRESHOLD = 100_000  # quads; above this, new graphs are written with Oxigraph's bulk loader


class OxigraphStore(Store):
    """The default: an embedded Oxigraph database on disk (or in memory when no path is given).

    On disk, reads go to the current generation opened read-only, and every write is a transaction
    on a new generation that becomes visible only when it is complete (graph/store/folder.py): so a
    load is all or nothing even if the process is killed, and other processes (the web app, the
    command line) read beside it and see the new content once it is published."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.folder = StoreFolder(self.path) if self.path is not None else None
        self._local = threading.local()  # the writer of this thread, inside a transaction
        self._reopen = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._serial = next(_SERIALS)   # this instance, among every store the process has opened
        self._changes = 0               # writes to the store in memory (on disk: the generation says it)
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

    def version(self) -> Hashable | None:
        """On disk the published generation (a write by another process counts at once); in memory a
        count of the writes. Never reused by another store of this process."""
        if self.in_transaction():
            return None
        if self.folder is None:
            return (self._serial, self._changes)
        self._engine()  # opens a generation published since
        return (self._serial, self._stamp)

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
        options = oxigraph_query_options(sparql, dataset, base_iri)  # the text as given: inlined VALUES name no dataset
        if bindings:
            sparql = inline_values(sparql, {k: to_term(v) for k, v in bindings.items()})
        try:
            return self._engine().query(sparql, **options)
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

    def _extend(self, engine: ox.Store, quads: list[ox.Quad]) -> None:
        try:
            engine.bulk_extend(quads) if len(quads) > BULK_THRESHOLD else engine.extend(quads)
        except OSError as exc:
            raise StoreError(f"the store could not write: {_reason(exc)}") from None
        finally:
            self._changes += 1  # after the write: a reader that saw the count before reads it again

    def _write(self, sparql: str, *, dataset: Dataset | None = None, base_iri: str | None = None) -> None:
        with self.transaction():
            try:
                if dataset is not None:  # Oxigraph takes a dataset argument for queries only
                    sparql = with_using(sparql, dataset)
                self._engine().update(sparql, prefixes=all_prefixes(), base_iri=base_iri)
            except ValueError as exc:
                raise StoreError(str(exc)) from None
            except SyntaxError as exc:
                raise StoreError(f"SPARQL update syntax error: {exc}") from None
            except OSError as exc:
                raise StoreError(f"the store could not write: {_reason(exc)}") from None
            finally:
                self._changes += 1

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
