"""Turning query results into text for people, and command-line parameters into RDF terms."""
from __future__ import annotations

import re

import pyoxigraph as ox

from ontology import PREFIXES, base_iri

_INTEGER = re.compile(r"^[+-]?[0-9]+$")


def foreign_digits(text: str) -> bool:
    """True when a value is a number (or date) written with digits other than 0-9: full-width ２０２１,
    Arabic-Indic ٢٠٢١. Python's int() and regex \\d accept them, but SPARQL does not: bound as they
    are, a year like ２０２１ matches nothing and the question silently answers 0 rows, so such values
    are refused instead of read."""
    value = text.strip()
    return not value.isascii() and re.fullmatch(r"[+-]?\d+(?:[.,:-]\d+)*", value) is not None


def compact(term: object) -> str:
    """A term as a reader wants to see it: prefixed names for IRIs, the bare text of literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        for prefix, namespace in [("id", base_iri()), *PREFIXES.items()]:
            if iri.startswith(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return f"<{iri}>"
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return str(term)


def format_table(solutions: ox.QuerySolutions) -> str:
    """An aligned plain-text table with a row count, readable in a terminal."""
    names = [v.value for v in solutions.variables]
    rows = [[compact(row[name]) for name in names] for row in solutions]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    widths = [min(w, 60) for w in widths]
    line = lambda cells: "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def parse_param(text: str) -> tuple[str, ox.NamedNode | ox.Literal]:
    """NAME=VALUE from the command line: <iri> or prefix:name is an IRI, digits an integer, else text."""
    if "=" not in text:
        raise ValueError(f"parameter '{text}' should look like NAME=VALUE")
    name, value = text.split("=", 1)
    name = name.lstrip("?$")
    if foreign_digits(value):
        raise ValueError(f"parameter '{name}': write numbers with the digits 0-9, not {value!r}")
    if value.startswith("<") and value.endswith(">"):
        return name, ox.NamedNode(value[1:-1])
    prefix, _, local = value.partition(":")
    if local and (prefix in PREFIXES or prefix == "id") and "//" not in value:
        namespace = base_iri() if prefix == "id" else PREFIXES[prefix]
        return name, ox.NamedNode(namespace + local)
    if _INTEGER.match(value):
        return name, ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return name, ox.Literal(value)
