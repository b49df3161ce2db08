"""Which graphs a query or an update reads: the RDF dataset of SPARQL 1.1.

A query names its dataset with FROM / FROM NAMED, an update with USING / USING NAMED (or WITH), and a
SPARQL 1.1 Protocol request may name it instead with parameters, which then take precedence. Without
any of these, this project's stores read the union of all named graphs as the default graph.

Why a module of its own: every backend needs the same answer to "does the text name its own
dataset?" (the embedded store must not apply its union default graph over a query's FROM), and the
embedded store has to spell a protocol dataset for an update as USING clauses, because Oxigraph
takes a dataset as an argument for queries only. Both read the text with the one SPARQL lexer
(`graph.sparql.bindings`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import pyoxigraph as ox

from graph.sparql.bindings import _tokens
from graph.sparql.text import read_once, tokens

# A word glued to one of these is part of a name (ex:from, _:with, "x"@where, ex:a-where), not a keyword.
_NAME_CHARS = set(":@-.\\%")


@dataclass(frozen=True)
class Dataset:
    """Graphs given by IRI: the default graph is their merge of `default_graphs` (empty if none are
    given), and GRAPH sees only `named_graphs` (none if none are given), as the SPARQL 1.1 Protocol
    defines for `default-graph-uri` / `named-graph-uri` and `using-graph-uri` / `using-named-graph-uri`.

    A dataset names at least one graph: "no dataset" is `None` where a dataset is optional, so that
    an empty one cannot be mistaken for "whatever the query or the store says"."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.default_graphs and not self.named_graphs:
            raise ValueError("a dataset names at least one graph")
        for iri in (*self.default_graphs, *self.named_graphs):
            try:
                ox.NamedNode(iri)
            except ValueError as error:
                raise ValueError(f"{iri!r} is not an absolute IRI: {error}") from None


def _keywords(sparql: str) -> Iterator[tuple[int, str, int]]:
    """(position, upper-case word or brace, brace depth) for braces and keywords, outside strings,
    IRIs, comments and names."""
    depth = 0
    for position, token in _tokens(sparql):
        if token == "{":
            yield position, token, depth
            depth += 1
        elif token == "}":
            depth -= 1
            yield position, token, depth
        elif not token.startswith("?"):
            before, after = sparql[position - 1:position], sparql[position + len(token):position + len(token) + 1]
            if not (before and (before in _NAME_CHARS or before.isalnum())) and after not in (":", "-"):
                yield position, token.upper(), depth


@read_once
def declares_dataset(query: str) -> bool:
    """True when the query has FROM or FROM NAMED (only the outer query may)."""
    return any(word == "FROM" and depth == 0 for _, word, depth in _keywords(query))


def with_using(update: str, dataset: Dataset) -> str:
    """The update with USING / USING NAMED clauses for `dataset` in every operation that has a WHERE.

    `DELETE WHERE { pattern }` takes no USING, so it is spelled out as the `DELETE { pattern } WHERE
    { pattern }` it abbreviates. An update that names its own dataset (USING, USING NAMED or WITH)
    cannot take another one: the protocol calls that an error, and so does this (ValueError)."""
    clauses = " ".join([*(f"USING {ox.NamedNode(g)}" for g in dataset.default_graphs),
                        *(f"USING NAMED {ox.NamedNode(g)}" for g in dataset.named_graphs)])
    words = [w for w in _keywords(update) if w[2] == 0]
    inserts: list[tuple[int, str]] = []
    for i, (position, word, _) in enumerate(words):
        if word in ("USING", "WITH"):
            raise ValueError(f"the update has its own {word} clause, so it cannot also be given "
                             "using-graph-uri / using-named-graph-uri")
        if word != "WHERE":
            continue
        if i and words[i - 1][1] == "DELETE":  # DELETE WHERE: the pattern is the template too
            opening = next(p for p, w, _ in words[i + 1:] if w == "{")
            closing = next(p for p, w, _ in words[i + 1:] if w == "}" and p > opening)
            inserts.append((position, f"{update[opening:closing + 1]} {clauses} "))
        else:
            inserts.append((position, f"{clauses} "))
    for position, text in reversed(inserts):
        update = update[:position] + text + update[position:]
    return update


def with_from(query: str, dataset: Dataset) -> str:
    """The query with `dataset` as its FROM / FROM NAMED clauses in place of its own.

    A remote engine is told the dataset in the text: the protocol's default-graph-uri and
    named-graph-uri should replace the query's own FROM, but Virtuoso reads both together."""
    clauses = " ".join([*(f"FROM {ox.NamedNode(g)}" for g in dataset.default_graphs),
                        *(f"FROM NAMED {ox.NamedNode(g)}" for g in dataset.named_graphs)])
    found = list(tokens(query))
    depth, cuts, at, form = 0, [], None, None
    for i, token in enumerate(found):
        word = token.text.upper() if token.kind == "word" else None
        if token.text == "{":
            if depth == 0 and at is None and form != "CONSTRUCT":
                at = token.position
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and form is None:
            form = word
        elif depth == 0 and word == "WHERE" and at is None:
            at = token.position
        elif depth == 0 and word == "FROM":
            last = i + 2 if i + 1 < len(found) and found[i + 1].text.upper() == "NAMED" else i + 1
            if last < len(found):
                cuts.append((token.position, found[last].position + len(found[last].text)))
    at = len(query) if at is None else at
    pieces, previous = [], 0
    for start, end in sorted([*cuts, (at, at)]):
        if start < previous:
            continue
        pieces.append(query[previous:start])
        if start == at:
            pieces.append(f" {clauses} ")
        previous = end
    pieces.append(query[previous:])
    return "".join(pieces)
