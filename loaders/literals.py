"""Typed literals checked the way the store reads them, so an ill-typed value is refused at load time.

Oxigraph accepts `"2021-13-45"^^xsd:date` or `"abc"^^xsd:integer` without a word and later leaves
them out of every comparison, sum and date filter: a budget line or a deadline would quietly vanish
from the answers. Rather than a second set of hand-written patterns, each literal is cast by
Oxigraph's own XSD parser (a SPARQL cast of its text); what the engine cannot read is refused.
"""
from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from ontology import XSD, prefixed

# datatype -> (the cast Oxigraph can do, a condition on the cast value ?v, what a reader should write)
_CHECKS: dict[str, tuple[str, str, str]] = {
    "integer": ("integer", "true", "a whole number without thousands separators, e.g. 1500"),
    "nonNegativeInteger": ("integer", "?v >= 0", "a whole number of 0 or more, e.g. 110"),
    "positiveInteger": ("integer", "?v > 0", "a whole number of 1 or more, e.g. 110"),
    "nonPositiveInteger": ("integer", "?v <= 0", "a whole number of 0 or less"),
    "negativeInteger": ("integer", "?v < 0", "a whole number below 0"),
    "long": ("integer", "?v >= -9223372036854775808 && ?v <= 9223372036854775807", "a whole number"),
    "int": ("integer", "?v >= -2147483648 && ?v <= 2147483647", "a whole number"),
    "decimal": ("decimal", "true", "a number with '.' as decimal point, e.g. 3300 or 0.9"),
    "double": ("double", "true", "a number such as 0.9 or 1.5E3"),
    "float": ("float", "true", "a number such as 0.9 or 1.5E3"),
    "boolean": ("boolean", "true", "true or false"),
    "date": ("date", "true", "a date written YYYY-MM-DD, e.g. 2018-12-13"),
    "dateTime": ("dateTime", "true", "a date and time written YYYY-MM-DDThh:mm:ss, e.g. 2018-12-13T10:00:00"),
    "time": ("time", "true", "a time written hh:mm:ss"),
    "gYear": ("gYear", "true", "a four-digit year such as 2019"),
    "gYearMonth": ("gYearMonth", "true", "a year and month written YYYY-MM, e.g. 2019-03"),
    "duration": ("duration", "true", "a duration such as P1Y or P6M"),
    "dayTimeDuration": ("dayTimeDuration", "true", "a duration such as P3D or PT2H"),
    "yearMonthDuration": ("yearMonthDuration", "true", "a duration such as P1Y or P6M"),
}
# The store keeps valid literals of derived types (xsd:nonNegativeInteger) as xsd:integer, so each
# literal goes in under a predicate that names the datatype it was written with.
_ITEM = "urn:policygraph:literal:"


def expected_form(datatype: str) -> str:
    """What a value of the datatype (full IRI or local name) looks like, in words for the author."""
    local = datatype[len(XSD):] if datatype.startswith(XSD) else datatype
    return _CHECKS[local][2] if local in _CHECKS else f"a valid xsd:{local}"


def invalid_literals(literals: Iterable[ox.Literal]) -> list[ox.Literal]:
    """The literals (in the order first given, each once) whose text is not valid for their XSD datatype."""
    checked: dict[ox.Literal, int] = {}
    for literal in literals:
        if literal.datatype.value.startswith(XSD) and literal.datatype.value[len(XSD):] in _CHECKS:
            checked.setdefault(literal, len(checked))
    if not checked:
        return []
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"urn:policygraph:item:{index}"),
                         ox.NamedNode(_ITEM + literal.datatype.value[len(XSD):]), literal)
                 for literal, index in checked.items())
    by_index = list(checked)
    bad: set[int] = set()
    for local in sorted({lit.datatype.value[len(XSD):] for lit in checked}):
        cast, condition, _words = _CHECKS[local]
        query = (f"SELECT ?s WHERE {{ ?s <{_ITEM}{local}> ?o "
                 f"BIND(<{XSD}{cast}>(STR(?o)) AS ?v) FILTER(!COALESCE(BOUND(?v) && ({condition}), false)) }}")
        bad.update(int(row["s"].value.rsplit(":", 1)[1]) for row in store.query(query))
    return [by_index[index] for index in sorted(bad)]


def describe(literal: ox.Literal) -> str:
    """`"2021-13-45"^^xsd:date`, as the author wrote it."""
    return f'"{literal.value}"^^{prefixed(literal.datatype.value)}'
