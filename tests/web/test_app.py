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


# ------------------------------------------------------------------------------ the twin mechanism
def test_every_json_twin_is_registered_with_its_page_by_one_view(client):
    """web/twins.py registers /x, /x.json (and /x.csv) for ONE view function: a twin without its
    page, or a page and twin served by different view functions, means a hand-written route."""
    app = client.application
    rules = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
    twins = {rule: endpoint for rule, endpoint in rules.items() if rule.endswith((".json", ".csv"))}
    assert {"/index.json", "/questions.json", "/questions/<qid>.json", "/questions/<qid>.csv", "/network.json",
            "/matrix.json", "/timeline.json"} <= set(twins)
    for rule, endpoint in twins.items():
        page = "/" if rule == "/index.json" else rule.rsplit(".", 1)[0]
        assert rules[page] == endpoint.rsplit("_", 1)[0], rule
        assert app.view_functions[endpoint].__qualname__.startswith("twin.<locals>.register.<locals>"), rule


def test_a_refusal_is_shown_beside_the_form_on_the_page_and_as_json_in_the_twin(client):
    page = client.get("/matrix?measure=bogus&lang=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and 'role="alert"' in text and 'name="measure"' in text
    twin = client.get("/matrix.json?measure=bogus&lang=en")
    assert twin.status_code == 400 and set(twin.get_json()) <= {"error", "code", "detail"}
    assert twin.get_json()["error"] in text


# ------------------------------------------------------------------------------ logging
def test_every_request_is_logged_with_method_path_status_and_time(client, caplog):
    with caplog.at_level("INFO", logger="web.request_log"):
        client.get("/index.json?lang=en")
        client.get("/no/such/page")
    lines = [r.getMessage() for r in caplog.records if r.name == "web.request_log"]
    assert len(lines) == 2
    assert lines[0].startswith("GET /index.json 200 ") and lines[0].endswith(" ms")
    assert lines[1].startswith("GET /no/such/page 404 ") and "lang" not in lines[0]


def test_logging_level_comes_from_the_environment(monkeypatch, caplog):
    import logging

    from graph.cli.logs import configure_logging

    root = logging.getLogger()
    before = root.level
    try:
        monkeypatch.setenv("POLICYGRAPH_LOG_LEVEL", "debug")
        assert configure_logging("INFO") == "DEBUG" and root.level == logging.DEBUG
        monkeypatch.delenv("POLICYGRAPH_LOG_LEVEL")
        assert configure_logging("WARNING") == "WARNING"
        monkeypatch.setenv("POLICYGRAPH_LOG_LEVEL", "loud")
        assert configure_logging("INFO") == "INFO" and "'LOUD' is not one of" in caplog.text
        assert sum(h.get_name() == "policygraph" for h in root.handlers) == 1   # configured once
    finally:
        root.setLevel(before)


def test_the_web_app_does_not_pull_in_ipython():
    """pyvis was dropped (it imported IPython to make dicts); nothing may bring it back."""
    import subprocess
    import sys

    code = "import sys, web, web.cli; assert 'IPython' not in sys.modules and 'pyvis' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_the_app_warms_the_national_answers_in_the_background(example_store):
    """With WARM_ANSWERS (on unless POLICYGRAPH_WARM_ANSWERS=0) the first visitor gets a kept answer."""
    import time
    app = create_app({"STORE": example_store, "TESTING": True, "WARM_ANSWERS": True, "QUERY_WORKERS": 0})
    warmer = app.extensions["policygraph-warmer"]
    try:
        deadline = time.monotonic() + 120
        while warmer.warmed != example_store.version() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert warmer.warmed == example_store.version()
        data = app.test_client().get("/questions/plan-synergies.json?lang=en").get_json()
        assert data["kept"] is True and data["rows"]
    finally:
        warmer.stop()
