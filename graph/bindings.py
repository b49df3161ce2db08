"""Query parameters as RDF terms, never as pasted text.

The embedded store takes them as real substitutions. A remote endpoint has no such channel, so the
terms go in as a VALUES block at the start of the WHERE group, serialised by Oxigraph (escaped).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Mapping

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def to_term(value: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Python values to RDF terms: terms pass through, numbers and dates get their XSD type."""
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, str):
        return ox.Literal(value)
    raise TypeError(f"cannot bind a {type(value).__name__} as an RDF term")


def _where_brace(sparql: str) -> int:
    """Index of the '{' that opens the WHERE group, skipping strings, IRIs, comments and a CONSTRUCT template."""
    i, n, depth = 0, len(sparql), 0
    construct = re.search(r"(?i)\bCONSTRUCT\s*\{", sparql) is not None
    seen_template = False
    while i < n:
        ch = sparql[i]
        if ch == "#":
            i = sparql.find("\n", i)
            i = n if i < 0 else i
            continue
        if ch in "\"'":
            quote = sparql[i:i + 3] if sparql[i:i + 3] in ('"""', "'''") else ch
            i += len(quote)
            while i < n and not sparql.startswith(quote, i):
                i += 2 if sparql[i] == "\\" else 1
            i += len(quote)
            continue
        if ch == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", sparql[i:]):
            i = sparql.index(">", i) + 1
            continue
        if ch == "{":
            if depth == 0:
                if construct and not seen_template:
                    seen_template = True
                else:
                    return i
            depth += 1
        elif ch == "}":
            depth -= 1
        i += 1
    raise ValueError("the query has no WHERE group to bind parameters in")


def inline_values(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal]) -> str:
    """The query with `VALUES (?a ?b) { (t1 t2) }` opening its WHERE group."""
    for name in bindings:
        if not _VARIABLE.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    if not bindings:
        return sparql
    at = _where_brace(sparql) + 1
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(str(v) for v in bindings.values())
    return f"{sparql[:at]} VALUES ({names}) {{ ({terms}) }} {sparql[at:]}"
