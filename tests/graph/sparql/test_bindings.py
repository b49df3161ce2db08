"""Parameters for remote endpoints go in as a VALUES block at the start of the WHERE group."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.sparql.bindings import inline_values, to_term


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


def test_parameters_are_bound_inside_every_sub_select_that_uses_them():
    sparql = ("SELECT ?plan ?m ?total WHERE { { SELECT ?plan ?m (SUM(?v) AS ?total) WHERE { ?plan <p:m> ?m ; <p:v> ?v } "
              "GROUP BY ?plan ?m } { SELECT ?other WHERE { ?other <p:x> 'WHERE {' } } }")
    out = inline_values(sparql, {"m": ox.NamedNode("http://example.org/m1")})
    assert out.count("VALUES (?m)") == 2
    assert "WHERE { VALUES (?m) { (<http://example.org/m1>) }  ?plan <p:m> ?m" in out
    assert "SELECT ?other WHERE { ?other" in out


def test_bound_sub_select_gives_the_same_answer_as_filtering_afterwards():
    store = ox.Store()
    ex = "http://example.org/"
    for plan, m, v in (("a", "m1", 1), ("a", "m1", 2), ("b", "m2", 5)):
        store.add(ox.Quad(ox.NamedNode(ex + plan), ox.NamedNode(ex + "m"), ox.NamedNode(ex + m)))
        store.add(ox.Quad(ox.NamedNode(ex + plan), ox.NamedNode(ex + "v"), to_term(v)))
    sparql = (f"SELECT ?plan ?total WHERE {{ {{ SELECT ?plan ?m (SUM(?v) AS ?total) WHERE {{ ?plan <{ex}m> ?m . "
              f"?plan <{ex}v> ?v }} GROUP BY ?plan ?m }} }}")
    rows = list(store.query(inline_values(sparql, {"m": ox.NamedNode(ex + "m1")})))
    assert [(r["plan"].value, r["total"].value) for r in rows] == [(ex + "a", "3")]


def test_a_group_that_is_only_a_sub_select_gets_the_values_beside_it():
    sparql = "SELECT ?x WHERE { SELECT ?x WHERE { ?x ?p ?m } }"
    out = inline_values(sparql, {"m": ox.Literal("v")})
    rows = list(ox.Store().query(out))
    assert rows == [] and out.count("VALUES") == 2


def test_a_group_that_binds_the_variable_itself_is_left_to_the_groups_around_it():
    sparql = "SELECT ?c WHERE { { SELECT ?c WHERE { ?x ?p ?o BIND(?o AS ?c) } } }"
    out = inline_values(sparql, {"c": ox.Literal("v")})
    assert out.count("VALUES") == 1 and out.index("VALUES") < out.index("{ SELECT")
    assert list(ox.Store().query(out)) == []


def test_a_sub_select_that_names_the_variable_only_deeper_down_is_left_to_the_deeper_one():
    """The deeper sub-SELECT gets the block; the one around it, which names the variable nowhere at its
    own level, does not (Virtuoso 7.2's compiler failed on that block around a BOUND test)."""
    sparql = ("SELECT ?area WHERE { { SELECT ?area WHERE { { SELECT ?n WHERE { BIND(1 AS ?n) FILTER(!BOUND(?m)) } } "
              "?area ?p ?o } } }")
    out = inline_values(sparql, {"m": ox.Literal("v")})
    assert out.count("VALUES (?m)") == 2   # the outer group and the deepest sub-SELECT
    assert "SELECT ?area WHERE { VALUES" not in out.split("{", 1)[1]
    assert "SELECT ?n WHERE { VALUES (?m)" in out
    assert list(ox.Store().query(out)) == []   # still bound where it is tested
