"""Portable, staged writes (graph/store/remote/writes.py)."""
from __future__ import annotations

import pyoxigraph as ox

from graph.store.remote.writes import STAGING, insert_chunks, staging_names, switch_over

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
