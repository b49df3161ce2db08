"""Engines' result dialects read into pyoxigraph's types (graph/store/remote/results.py)."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from graph.store import StoreError
from graph.store.remote.results import accept_for, query_form, read_answer

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"


def virtuoso_table(variables, rows) -> bytes:
    return json.dumps({"head": {"link": [], "vars": variables},
                       "results": {"distinct": False, "ordered": True, "bindings": rows}}).encode()


def test_virtuoso_blank_nodes_are_blank_nodes():
    body = virtuoso_table(["s", "n"], [{"s": {"type": "bnode", "value": "nodeID://b10287"},
                                        "n": {"type": "typed-literal", "value": "3",
                                              "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}])
    row = next(iter(read_answer(body, JSON, "SELECT")))
    assert row["s"] == ox.BlankNode("b10287")
    assert row["n"] == ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


@pytest.mark.parametrize("rows, expected", [
    ([{"__ASK_RETVAL": {"type": "typed-literal", "value": "1",
                        "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}], True),
    ([], False),
])
def test_ask_answered_as_a_table_is_a_boolean(rows, expected):
    answer = read_answer(virtuoso_table(["__ASK_RETVAL"], rows), JSON, "ASK")
    assert isinstance(answer, ox.QueryBoolean) and bool(answer) is expected


@pytest.mark.parametrize("text, expected", [("true", True), ("false", False), ("1", True), ("0", False)])
def test_booleans_in_xml(text, expected):
    body = (f'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>{text}</boolean></sparql>').encode()
    assert bool(read_answer(body, XML + "; charset=UTF-8", "ASK")) is expected


def test_ask_as_an_xml_table_without_rows_is_false():
    body = (b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="__ASK_RETVAL"/></head>'
            b'<results></results></sparql>')
    assert bool(read_answer(body, XML, "ASK")) is False


def test_xml_tables_keep_languages_datatypes_and_blank_nodes():
    body = ('<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="a"/>'
            '<variable name="b"/><variable name="c"/></head><results><result>'
            '<binding name="a"><literal xml:lang="da">København</literal></binding>'
            '<binding name="b"><bnode>nodeID://b7</bnode></binding>'
            '<binding name="c"><uri>http://example.org/x</uri></binding>'
            '</result></results></sparql>').encode()
    row = next(iter(read_answer(body, XML, "SELECT")))
    assert row["a"] == ox.Literal("København", language="da")
    assert row["b"] == ox.BlankNode("b7") and row["c"] == ox.NamedNode("http://example.org/x")


def test_graphs_come_back_as_triples_whatever_rdf_syntax():
    nt = b'<http://example.org/a>\t<http://example.org/p>\t"x" .\n'
    ttl = b'@prefix ex: <http://example.org/> . ex:a ex:p "x" .'
    for body, media in ((nt, "application/n-triples; charset=UTF-8"), (ttl, "text/turtle")):
        triples = list(read_answer(body, media, "CONSTRUCT"))
        assert triples == [ox.Triple(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"),
                                     ox.Literal("x"))]


@pytest.mark.parametrize("body, media, form", [
    (b"<html>proxy error</html>", "text/html", "SELECT"),
    (b"{not json", JSON, "SELECT"),
    (b'{"head": {"vars": ["s"]}}', JSON, "SELECT"),
    (b"<sparql", XML, "SELECT"),
    (virtuoso_table(["s", "p", "o"], []), JSON, "CONSTRUCT"),
    (b"<a> <b> .", "application/n-triples", "DESCRIBE"),
])
def test_what_cannot_be_read_is_one_store_error(body, media, form):
    with pytest.raises(StoreError):
        list(read_answer(body, media, form))


def test_accept_follows_the_query_form():
    assert query_form("PREFIX ex: <http://e/> # SELECT in a comment\nCONSTRUCT { ?s ?p ?o } WHERE {}") == "CONSTRUCT"
    assert query_form("ask { }") == "ASK"
    assert accept_for("CONSTRUCT").startswith("application/n-triples")
    assert accept_for("DESCRIBE").startswith("application/n-triples")
    assert accept_for("SELECT").startswith(JSON) and accept_for("ASK").startswith(JSON)
