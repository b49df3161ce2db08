"""Portable, staged writes (graph/store/remote/writes.py)."""
from __future__ import annotations

import pyoxigraph as ox

from graph.store.remote.writes import (STAGING, graph_store_address, insert_chunks, ntriples_chunks, staging_names,
                                       switch_over)

G = "http://example.org/g"


def test_statements_go_in_operations_of_bounded_size():
    quads = [ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                     ox.Literal('a "quoted" \n line'), ox.NamedNode(G)) for i in range(25)]
    chunks = list(insert_chunks(G, quads, size=10))
    assert [chunk.count(" .\n") for chunk in chunks] == [10, 10, 5]
    parsed = ox.Store()
    for chunk in chunks:
        parsed.update(chunk)
    assert len(parsed) == 25 and all(r"\n" in chunk and "\\\"" in chunk for chunk in chunks)


def test_staging_graphs_are_new_for_every_write():
    first, second = staging_names([G, G + "2"]), staging_names([G])
    assert all(name.startswith(STAGING) for name in first.values())
    assert len(set(first.values())) == 2 and first[G] != second[G]


def test_the_switch_over_moves_replacements_and_adds_appends():
    staged = {G: STAGING + "1", G + "2": STAGING + "2"}
    replace = switch_over(staged, {STAGING + "1"}, keep_old=False)
    assert replace == [f"MOVE SILENT GRAPH <{STAGING}1> TO GRAPH <{G}>", f"DROP SILENT GRAPH <{G}2>"]
    append = switch_over(staged, {STAGING + "1"}, keep_old=True)
    assert append == [f"ADD SILENT GRAPH <{STAGING}1> TO GRAPH <{G}>", f"DROP SILENT GRAPH <{STAGING}1>"]


def test_graph_store_bodies_are_n_triples_of_bounded_size():
    quads = [ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                     ox.Literal('a "quoted" \n line', language="da"), ox.NamedNode(G)) for i in range(25)]
    bodies = list(ntriples_chunks(quads, size=10))
    parsed = [list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)) for body in bodies]
    assert [len(triples) for triples in parsed] == [10, 10, 5]
    assert [t.triple for triples in parsed for t in triples] == [q.triple for q in quads]


def test_the_graph_store_address_names_the_graph_as_the_protocol_says():
    assert graph_store_address("http://h:8890/sparql-graph-crud", STAGING + "a:1") == \
        "http://h:8890/sparql-graph-crud?graph=urn%3Ax-policygraph%3Astaging%3Aa%3A1"
    assert graph_store_address("http://h/store?token=x", "http://example.org/g#1") == \
        "http://h/store?token=x&graph=http%3A%2F%2Fexample.org%2Fg%231"
