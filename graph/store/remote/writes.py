"""Writes to a remote engine in portable SPARQL 1.1 that every engine takes, staged so that a load
that fails half-way leaves the graphs as they were.

- Blank nodes never reach the engine: they are skolemised (graph/store/skolem.py) first; Virtuoso
  refuses them in INSERT DATA.
- Statements go as INSERT DATA of at most `CHUNK_TRIPLES` triples per request: engines cap the
  size of one operation (Virtuoso compiles each into SQL text of bounded length, and refuses 5,000).
  With a Graph Store Protocol address configured they are POSTed instead, as N-Triples bodies of
  at most `GRAPH_STORE_CHUNK_TRIPLES` each, into the same staging graphs.
- A replacement is staged: the new content is written into fresh staging graphs (names under
  STAGING, which no reader of PolicyGraph's graphs counts), and only when every chunk is in does one
  request MOVE them over the graphs they replace. A failure while staging (the long part: the data
  travels) drops the staging graphs and leaves the live graphs untouched.

What this does not give on every engine: the switch-over is one request of one MOVE (or DROP) per
graph; SPARQL 1.1 Protocol engines such as Oxigraph apply a request atomically, Virtuoso applies it
operation by operation, so on Virtuoso a failure inside the switch-over itself (no data travels
then: an engine crash or a lost connection at that moment) can leave some graphs new and some old,
which the next load repairs. And while a load stages, its statements sit in the staging graphs,
which a query over the union default graph (no FROM, no GRAPH) also reads."""
from __future__ import annotations

import urllib.parse
import uuid
from typing import Iterable, Iterator

import pyoxigraph as ox

from graph.store.base import insert_data, triple_lines

STAGING = "urn:x-policygraph:staging:"
CHUNK_TRIPLES = 1000
GRAPH_STORE_CHUNK_TRIPLES = 100_000


def staging_names(graphs: Iterable[str]) -> dict[str, str]:
    """A fresh staging graph for each graph, unique to this write (two loads never share one)."""
    run = uuid.uuid4().hex
    return {graph: f"{STAGING}{run}:{number}" for number, graph in enumerate(graphs)}


def insert_chunks(graph: str, quads: list[ox.Quad], size: int = CHUNK_TRIPLES) -> Iterator[str]:
    """INSERT DATA operations of at most `size` triples each, into `graph` (terms escaped by Oxigraph)."""
    name = ox.NamedNode(graph)
    for start in range(0, len(quads), size):
        yield insert_data(name, quads[start:start + size])


def ntriples_chunks(quads: list[ox.Quad], size: int = GRAPH_STORE_CHUNK_TRIPLES) -> Iterator[bytes]:
    """N-Triples bodies of at most `size` of the quads' triples (terms escaped by Oxigraph)."""
    for start in range(0, len(quads), size):
        yield triple_lines(quads[start:start + size]).encode()


def graph_store_address(url: str, graph: str) -> str:
    """The Graph Store Protocol address of one graph: the service's URL with `graph=` added."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.urlencode([*urllib.parse.parse_qsl(parts.query), ("graph", graph)])
    return urllib.parse.urlunsplit(parts._replace(query=query))


def switch_over(targets: dict[str, str], filled: set[str], keep_old: bool) -> list[str]:
    """The operations that put each staged graph in place: MOVE (replace) or ADD (append, then the
    staging graph is dropped); a replacement with nothing staged drops the graph."""
    operations = []
    for graph, staged in targets.items():
        source, target = ox.NamedNode(staged), ox.NamedNode(graph)
        if staged not in filled:
            if not keep_old:
                operations.append(f"DROP SILENT GRAPH {target}")
        elif keep_old:
            operations += [f"ADD SILENT GRAPH {source} TO GRAPH {target}", f"DROP SILENT GRAPH {source}"]
        else:
            operations.append(f"MOVE SILENT GRAPH {source} TO GRAPH {target}")
    return operations
