"""Blank nodes become stable IRIs at load (graph/store/skolem.py)."""
from __future__ import annotations

import pyoxigraph as ox

from graph.store.skolem import SKOLEM_MARK, is_skolem, skolemise, unskolemise

G = ox.NamedNode("https://w3id.org/policygraph/id/graph/plan.yaml")
TURTLE = """
@prefix ex: <http://example.org/> .
ex:plan ex:budget [ ex:year 2020 ; ex:amount 100 ] , [ ex:year 2021 ; ex:amount 100 ] .
ex:plan ex:same [ ex:v 1 ] , [ ex:v 1 ] .
ex:plan ex:list ( ex:a ex:b ) .
"""


def parsed(text: str = TURTLE) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, G) for t in ox.parse(text, format=ox.RdfFormat.TURTLE)]


def test_every_blank_node_becomes_an_iri_under_its_graph():
    quads = skolemise(parsed())
    terms = [t for q in quads for t in (q.subject, q.object)]
    assert not any(isinstance(t, ox.BlankNode) for t in terms)
    minted = {t.value for t in terms if isinstance(t, ox.NamedNode) and SKOLEM_MARK in t.value}
    assert all(iri.startswith(G.value + SKOLEM_MARK) for iri in minted)
    # two budget lines, two indistinguishable nodes, two list cells
    assert len(minted) == 6


def test_a_reload_gives_the_same_iris():
    """The parser names blank nodes afresh every time; their IRIs must not change with it."""
    first, again = skolemise(parsed()), skolemise(parsed())
    assert {str(q) for q in first} == {str(q) for q in again}
    assert len(set(first)) == len(parsed())


def test_nodes_with_the_same_content_stay_apart():
    quads = skolemise(parsed())
    same = [q.object for q in quads if q.predicate.value == "http://example.org/same"]
    assert len(set(same)) == 2


def test_graphs_without_blank_nodes_pass_unchanged_and_skolem_iris_read_as_blank():
    plain = [ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal("x"), G)]
    assert skolemise(plain) == plain
    quads = skolemise(parsed())
    assert any(is_skolem(q.object) for q in quads) and not is_skolem(G)
    back = unskolemise(quads)
    assert sum(isinstance(q.object, ox.BlankNode) for q in back) == sum(is_skolem(q.object) for q in quads)
