"""The web app over a small graph built in the test: front page, its .json twin, the SPARQL endpoint."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from graph.pipeline.load import ontology_content
from graph.store import GraphContent, OxigraphStore
from web import create_app

ID = "https://w3id.org/policygraph/id/"
PG = "https://w3id.org/policygraph/ontology#"
DCT = "http://purl.org/dc/terms/"
G = ox.NamedNode(ID + "graph/test.yaml")


def q(s: str, p: str, o) -> ox.Quad:
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, G)


@pytest.fixture
def client():
    store = OxigraphStore()
    plan = ID + "doc/test/plan"
    store.replace_graphs([ontology_content(), GraphContent(G.value, [
        q(plan, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(PG + "ActionPlan")),
        q(plan, DCT + "title", ox.Literal("Plan <script>alert(1)</script>", language="da")),
        q(plan, PG + "validFrom", ox.Literal("2019", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))),
    ])])
    app = create_app({"STORE": store, "TESTING": True})
    return app.test_client()


def test_front_page_lists_documents_escaped_in_both_languages(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="da">' in page
    assert "Plan &lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    english = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Documents" in english


def test_front_page_has_a_json_twin(client):
    data = client.get("/index.json").get_json()
    assert data["documents"][0]["title"].startswith("Plan <script>")
    assert data["stats"]["statements"] > 3


def test_sparql_get_and_post_return_standard_results(client):
    query = "SELECT ?t WHERE { ?p <http://purl.org/dc/terms/title> ?t }"
    for response in (client.get("/sparql", query_string={"query": query}),
                     client.post("/sparql", data={"query": query}),
                     client.post("/sparql", data=query, content_type="application/sparql-query")):
        assert response.status_code == 200
        assert response.mimetype == "application/sparql-results+json"
        assert json.loads(response.data)["results"]["bindings"][0]["t"]["xml:lang"] == "da"
    csv = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert csv.mimetype == "text/csv" and csv.get_data(as_text=True).startswith("t\r\n")


def test_sparql_construct_negotiates_rdf(client):
    query = "CONSTRUCT WHERE { ?p <http://purl.org/dc/terms/title> ?t }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/n-triples"})
    assert response.mimetype == "application/n-triples" and b"<http://purl.org/dc/terms/title>" in response.data


def test_sparql_rejects_bad_queries_and_updates(client):
    bad = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert bad.status_code == 400 and b"syntax" in bad.data.lower()
    assert client.get("/sparql", query_string={"query": ""}).status_code == 400
    assert client.post("/sparql", data={"update": "DROP ALL"}).status_code == 403
    assert client.get("/index.json").get_json()["stats"]["statements"] > 3
