"""A query's answer held in memory, cut at a row limit, and its SPARQL JSON form.

Held here, not in the web app, because the answer crosses a process boundary: a query worker
(graph/store/pool.py) collects it and sends it as bytes, and the endpoint, the workbench and the
question pages all render the same `Answer`.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ontology import RDF, XSD

_XSD_STRING = XSD + "string"
_RDF_LANG_STRING = RDF + "langString"


class Cancelled(Exception):
    """Raised while collecting when the request that wanted the answer has given up."""


@dataclass
class Answer:
    """A query's answer held in memory (at most `limit` rows or triples), whatever its form."""

    kind: str                                    # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False
    limit: int = 0
    elapsed: float = 0.0


def collect(result: Any, limit: int, cancel: threading.Event | None = None) -> Answer:
    """Read solutions or triples one by one, stopping at the limit or when the request gave up."""
    if isinstance(result, ox.QueryBoolean):
        return Answer("ask", boolean=bool(result))
    graph = not isinstance(result, ox.QuerySolutions)
    answer = Answer("graph" if graph else "select", limit=limit)
    if not graph:
        answer.variables = [v.value for v in result.variables]
    for item in result:
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        if len(answer.triples) + len(answer.rows) >= limit:
            answer.truncated = True
            break
        if graph:  # a remote store's CONSTRUCT arrives as parsed quads
            answer.triples.append(ox.Triple(item.subject, item.predicate, item.object) if isinstance(item, ox.Quad) else item)
        else:
            answer.rows.append([item[v] for v in answer.variables])
    return answer


def term_json(term: Any) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def results_json(answer: Answer) -> bytes:
    """SELECT and ASK answers in the SPARQL 1.1 Query Results JSON format."""
    if answer.kind == "ask":
        return json.dumps({"head": {}, "boolean": answer.boolean}).encode()
    bindings = [{v: term_json(t) for v, t in zip(answer.variables, row) if t is not None} for row in answer.rows]
    return json.dumps({"head": {"vars": answer.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode()


def to_wire(answer: Answer) -> tuple[str, bool, int, bytes]:
    """The answer as plain values a pipe can carry: (kind, truncated, limit, SPARQL JSON or N-Triples)."""
    if answer.kind == "graph":
        return "graph", answer.truncated, answer.limit, ox.serialize(answer.triples, format=ox.RdfFormat.N_TRIPLES)
    return answer.kind, answer.truncated, answer.limit, results_json(answer)


def from_wire(kind: str, truncated: bool, limit: int, body: bytes) -> Answer:
    if kind == "graph":
        return Answer("graph", triples=list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)),
                      truncated=truncated, limit=limit)
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return Answer("ask", boolean=bool(parsed))
    variables = [v.value for v in parsed.variables]
    rows = [[solution[v] for v in variables] for solution in parsed]
    return Answer("select", variables=variables, rows=rows, truncated=truncated, limit=limit)
