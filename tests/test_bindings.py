"""Parameters for remote endpoints go in as a VALUES block at the start of the WHERE group."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.bindings import inline_values, to_term


def test_values_open_the_where_group_after_a_construct_template():
    sparql = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    out = inline_values(sparql, {"s": ox.NamedNode("http://example.org/a")})
    assert out.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://example.org/a>) }")


def test_braces_in_strings_iris_and_comments_are_skipped():
    sparql = '# a { comment\nSELECT ?s WHERE { ?s <http://x.org/{odd}> "}{" }'
    out = inline_values(sparql, {"s": ox.Literal('say "hi"')})
    assert 'WHERE { VALUES (?s) { ("say \\"hi\\"") }' in out


def test_bad_variable_names_are_refused():
    with pytest.raises(ValueError):
        inline_values("SELECT * WHERE { ?s ?p ?o }", {"s } DROP ALL {": ox.Literal("x")})


def test_python_values_get_xsd_types():
    assert to_term(2019).datatype.value.endswith("#integer")
    assert to_term(True).value == "true"
    assert to_term("tekst") == ox.Literal("tekst")
