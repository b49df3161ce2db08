"""Turning query results into text for people, and command-line parameters into RDF terms."""
from __future__ import annotations

import csv
import io
import re
from typing import Callable, Iterable, Mapping

import pyoxigraph as ox

from ontology import XSD, all_prefixes, curie, expand, prefixed

_INTEGER = re.compile(r"^[+-]?[0-9]+$")


def foreign_digits(text: str) -> bool:
    """True when a value is a number (or date) written with digits other than 0-9: full-width ２０２１,
    Arabic-Indic ٢٠٢١. Python's int() and regex \\d accept them, but SPARQL does not: bound as they
    are, a year like ２０２１ matches nothing and the question silently answers 0 rows, so such values
    are refused instead of read."""
    value = text.strip()
    return not value.isascii() and re.fullmatch(r"[+-]?\d+(?:[.,:-]\d+)*", value) is not None


def compact(term: object) -> str:
    """A term as the CLI prints it: IRIs as query text writes them (`ontology.prefixed`, so a value can
    be passed back with --param), the bare text of literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return prefixed(term.value)
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return str(term)


def format_table(columns: list[str], rows: list[list[str]], under: Mapping[int, list[str]] | None = None,
                 timing: float | None = None) -> str:
    """An aligned plain-text table with a row count, readable in a terminal (cells cut at 60
    characters); `under` adds indented lines below a row (the sources of `ask --explain`)."""
    widths = [min(60, max([len(name)] + [len(r[i]) for r in rows])) for i, name in enumerate(columns)]
    line = lambda cells: "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(columns), line(["-" * w for w in widths])]
    for i, cells in enumerate(rows):
        out.append(line(cells))
        out += [f"    {extra}" for extra in (under or {}).get(i, [])]
    count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    out.append(f"({count}, {timing * 1000:.0f} ms)" if timing is not None else f"({count})")
    return "\n".join(out) + "\n"


def solutions_table(solutions: ox.QuerySolutions) -> str:
    """A query's answer as a terminal table."""
    columns = [v.value for v in solutions.variables]
    return format_table(columns, [[compact(row[name]) for name in columns] for row in solutions])


def parse_param(text: str) -> tuple[str, ox.NamedNode | ox.Literal]:
    """NAME=VALUE from the command line: <iri> or prefix:name is an IRI, digits an integer, else text."""
    if "=" not in text:
        raise ValueError(f"parameter '{text}' should look like NAME=VALUE")
    name, value = text.split("=", 1)
    name = name.lstrip("?$")
    if foreign_digits(value):
        raise ValueError(f"parameter '{name}': write numbers with the digits 0-9, not {value!r}")
    prefix, _, local = value.partition(":")
    if (value.startswith("<") and value.endswith(">")) or (local and prefix in all_prefixes() and "//" not in value):
        return name, ox.NamedNode(expand(value))
    if _INTEGER.match(value):
        return name, ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    return name, ox.Literal(value)


# ------------------------------------------------------------------------------ CSV for spreadsheets
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


def spreadsheet_cell(text: str) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ (or a tab or carriage return) gets
    a leading apostrophe, per OWASP's advice on CSV injection (`=HYPERLINK(...)` in a label would
    otherwise be a live formula in the strategist's Excel).

    One deliberate exception: a cell that is a plain number (`-5`, `+3.5`, `1e-3`) is left as it is.
    A number cannot carry a formula, and prefixing it would turn budget deltas into text that no
    longer sums; anything more than a number after the sign (`-5+cmd|...`) is prefixed."""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def term_text(term: object) -> str:
    """A term as SPARQL's CSV results format writes it: IRIs and literals bare, blank nodes as _:id."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return getattr(term, "value", str(term))


def spreadsheet_csv(columns: list[str], rows: Iterable[Iterable[str]]) -> str:
    """CSV meant to be opened in a spreadsheet (downloads, `--format csv`): every cell through
    `spreadsheet_cell`. The SPARQL endpoint's own `text/csv` answers for programs stay standard."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(c) for c in columns])
    for row in rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return out.getvalue()


# ------------------------------------------------------------------------------ values that stand for terms
TERM_PREFIXES = ("pg", "dct")   # where the local names a question writes as text (`replaces`) are defined


def term_iris(text: str, values: str | None) -> list[str] | None:
    """The IRIs a text cell stands for (a column declared `values: iris` or `values: terms` in the
    question's metadata), or None when the cell is plain text. Questions write link kinds as local
    names (`replaces continues`) and lists of bodies as IRIs joined by spaces, because GROUP_CONCAT
    gives text; the reader must see their names, never the identifiers."""
    tokens = text.split()
    if not values or not tokens:
        return None
    if values == "iris":
        return tokens if all("://" in t for t in tokens) else None
    return [expand(f"{TERM_PREFIXES[0]}:{t}") for t in tokens] if all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", t)
                                                                      for t in tokens) else None


def term_names(text: str, values: str | None, name: Callable[[str], str]) -> str | None:
    """The names of the terms a text cell stands for, joined by commas (None for plain text): a local
    name is looked up in each of TERM_PREFIXES' vocabularies until one names it (`relation` is dct's)."""
    iris = term_iris(text, values)
    if iris is None:
        return None
    names = []
    for iri in iris:
        named = name(iri)
        if values == "terms" and named == curie(iri):
            local = iri.rsplit("#", 1)[-1]
            for prefix in TERM_PREFIXES[1:]:
                other = name(expand(f"{prefix}:{local}"))
                if other != curie(expand(f"{prefix}:{local}")):
                    named = other
                    break
        names.append(named)
    return ", ".join(names)
