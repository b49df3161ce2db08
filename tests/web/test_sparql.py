"""The /sparql endpoint speaks the SPARQL 1.1 Protocol: through Flask's test client for every case,
and over a real waitress server for SPARQLWrapper and curl."""
from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.store import GraphContent, OxigraphStore
from web import create_app

EX = "http://example.org/"
G = ox.NamedNode("https://w3id.org/policygraph/id/graph/test.ttl")
SELECT = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s"
CONSTRUCT = "CONSTRUCT WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def small_store(n: int = 3) -> OxigraphStore:
    store = OxigraphStore()
    quads = [ox.Quad(ox.NamedNode(f"{EX}thing/{i}"), ox.NamedNode(LABEL), ox.Literal(f"Ting {i}", language="da"), G)
             for i in range(n)]
    store.replace_graphs([GraphContent(G.value, quads)])
    return store


def make_client(n: int = 3, **config):
    app = create_app({"STORE": small_store(n), "TESTING": True, **config})
    return app.test_client()


@pytest.fixture
def client():
    return make_client()


def rows(response) -> list[dict]:
    return json.loads(response.data)["results"]["bindings"]


# ------------------------------------------------------------------------------ protocol basics
def test_get_form_post_and_direct_post_give_the_same_json(client):
    answers = [client.get("/sparql", query_string={"query": SELECT}),
               client.post("/sparql", data={"query": SELECT}),
               client.post("/sparql", data=SELECT, content_type="application/sparql-query")]
    for response in answers:
        assert response.status_code == 200
        assert response.mimetype == "application/sparql-results+json"
        assert [r["label"] for r in rows(response)][0] == {"type": "literal", "value": "Ting 0", "xml:lang": "da"}


@pytest.mark.parametrize("accept,mime", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_results_follow_the_accept_header(client, accept, mime):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == mime


def test_select_results_parse_in_every_format(client):
    def get(fmt):
        return client.get("/sparql", query_string={"query": SELECT, "format": fmt}).get_data(as_text=True)

    assert list(csv.reader(io.StringIO(get("csv"))))[:2] == [["s", "label"], [f"{EX}thing/0", "Ting 0"]]
    assert get("tsv").splitlines()[:2] == ["?s\t?label", f'<{EX}thing/0>\t"Ting 0"@da']
    root = ET.fromstring(get("xml"))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [v.get("name") for v in root.iter(ns + "variable")] == ["s", "label"]
    assert len(list(root.iter(ns + "result"))) == 3


def test_format_parameter_overrides_accept_and_downloads(client):
    response = client.get("/sparql", query_string={"query": SELECT, "format": "csv"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="result.csv"'


def test_unknown_format_is_a_clear_400(client):
    response = client.get("/sparql", query_string={"query": SELECT, "format": "pdf"})
    assert response.status_code == 400 and b"unknown format 'pdf'" in response.data
    graph = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "csv"})
    assert graph.status_code == 400 and b"ttl" in graph.data


def test_ask_answers_a_boolean_in_json_and_xml(client):
    query = f"ASK {{ <{EX}thing/1> ?p ?o }}"
    assert json.loads(client.get("/sparql", query_string={"query": query}).data) == {"head": {}, "boolean": True}
    xml = client.get("/sparql", query_string={"query": "ASK { ?s ?p 42 }", "format": "xml"}).get_data(as_text=True)
    assert "<boolean>false</boolean>" in xml


@pytest.mark.parametrize("accept,mime,fmt", [
    ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
])
def test_construct_negotiates_rdf_formats_that_parse_back(client, accept, mime, fmt):
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == mime
    assert len(list(ox.parse(response.data, format=fmt))) == 3


def test_describe_and_construct_format_parameter(client):
    response = client.get("/sparql", query_string={"query": f"DESCRIBE <{EX}thing/2>", "format": "nt"})
    assert response.mimetype == "application/n-triples" and b"Ting 2" in response.data
    turtle = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "ttl"})
    assert turtle.mimetype == "text/turtle"


# ------------------------------------------------------------------------------ without a query
def test_rdf_client_without_query_gets_a_service_description(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    triples = list(ox.parse(response.data, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = [t.object.value for t in triples if t.predicate.value == sd + "endpoint"]
    assert endpoints == ["http://localhost/sparql"]
    assert any(t.object.value == sd + "SPARQL11Query" for t in triples)
    assert not any(t.object.value == sd + "SPARQL11Update" for t in triples)


def test_browser_without_query_is_sent_to_the_workbench(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/workbench")


def test_browser_following_a_query_link_sees_the_result_in_the_workbench(client):
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    response = client.get("/sparql", query_string={"query": SELECT}, headers=browser)
    assert response.status_code == 303 and response.headers["Location"].startswith("/workbench?query=SELECT")
    download = client.get("/sparql", query_string={"query": SELECT, "format": "csv"}, headers=browser)
    assert download.status_code == 200 and download.mimetype == "text/csv"


def test_empty_query_is_a_400(client):
    response = client.get("/sparql", query_string={"query": ""})
    assert response.status_code == 400 and response.mimetype == "text/plain"


# ------------------------------------------------------------------------------ CORS
def test_reads_allow_any_origin_and_answer_preflight(client):
    get = client.get("/sparql", query_string={"query": SELECT}, headers={"Origin": "https://elsewhere.example"})
    assert get.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/sparql", headers={"Origin": "https://elsewhere.example",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    assert "Authorization" not in preflight.headers["Access-Control-Allow-Headers"]


# ------------------------------------------------------------------------------ limits
def test_results_beyond_the_limit_are_cut_and_the_client_is_told():
    client = make_client(5, RESULT_LIMIT=2)
    response = client.get("/sparql", query_string={"query": SELECT})
    assert len(rows(response)) == 2
    assert response.headers["X-Result-Truncated"] == "true" and response.headers["X-Result-Limit"] == "2"
    full = client.get("/sparql", query_string={"query": SELECT + " LIMIT 2"})
    assert "X-Result-Truncated" not in full.headers


def test_construct_beyond_the_limit_is_cut_too():
    client = make_client(5, RESULT_LIMIT=3)
    response = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "nt"})
    assert len(response.data.strip().splitlines()) == 3 and response.headers["X-Result-Truncated"] == "true"


def test_a_query_past_its_deadline_answers_503():
    client = make_client(60, QUERY_TIMEOUT=0.3, RESULT_LIMIT=10**9)
    slow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 60^4 streamed solutions
    response = client.get("/sparql", query_string={"query": slow})
    assert response.status_code == 503 and b"longer than 0.3 seconds" in response.data


# ------------------------------------------------------------------------------ refusals
def test_malformed_query_returns_the_parser_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert b"syntax error" in response.data.lower() and b"1:26" in response.data


def test_service_is_refused_unless_allowed(client):
    query = "SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400 and b"SERVICE" in response.data
    lower = client.post("/sparql", data="select * { service <http://x/> { ?s ?p ?o } }",
                        content_type="application/sparql-query")
    assert lower.status_code == 400


def test_service_detection_ignores_strings_variables_and_names(client):
    from web.sparql import QueryRefused, check_query

    with pytest.raises(QueryRefused, match="SERVICE is not allowed"):
        check_query("SELECT * { SERVICE SILENT <http://x/> { ?s ?p ?o } }", allow_service=False)
    check_query('SELECT * { ?s ?p "SERVICE <x> { }" }', allow_service=False)
    check_query("SELECT ?service { ?service <http://x/SERVICE> ex:SERVICE } # SERVICE", allow_service=False)


def test_allow_service_lets_the_query_through_the_check():
    client = make_client(ALLOW_SERVICE=True)
    query = 'SELECT ?s WHERE { ?s ?p "SERVICE" } '
    assert client.get("/sparql", query_string={"query": query}).status_code == 200
    from web.sparql import QueryRefused, check_query

    check_query("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", allow_service=True)
    with pytest.raises(QueryRefused):
        check_query("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", allow_service=False)


def test_dataset_parameters_choose_the_graphs_a_query_reads():
    store = small_store(3)
    other = EX + "graph/other"
    store.replace_graphs([GraphContent(other, [ox.Quad(ox.NamedNode(EX + "thing/9"), ox.NamedNode(LABEL),
                                                       ox.Literal("Anden"), ox.NamedNode(other))])])
    client = create_app({"STORE": store, "TESTING": True}).test_client()
    assert len(rows(client.get("/sparql", query_string={"query": SELECT}))) == 4  # no dataset: the union
    for response in (client.get("/sparql", query_string={"query": SELECT, "default-graph-uri": other}),
                     client.post("/sparql", data={"query": SELECT, "default-graph-uri": other}),
                     client.post(f"/sparql?default-graph-uri={other}", data=SELECT,
                                 content_type="application/sparql-query")):
        assert [r["label"]["value"] for r in rows(response)] == ["Anden"]
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = client.get("/sparql", query_string={"query": graphs, "named-graph-uri": G.value})
    assert [r["g"]["value"] for r in rows(named)] == [G.value]
    only_named = client.get("/sparql", query_string={"query": SELECT, "named-graph-uri": G.value})
    assert rows(only_named) == []  # named graphs only: the default graph is empty
    # A browser following such a link gets the answer: the workbench could not show the dataset.
    page = client.get("/sparql", query_string={"query": SELECT, "default-graph-uri": other},
                      headers={"Accept": "text/html"})
    assert page.status_code == 200 and b"Anden" in page.data


def test_wrong_dataset_parameters_are_refused_with_an_explanation():
    client = make_client(UPDATE_TOKEN="s3cret")
    stray = client.get("/sparql", query_string={"query": SELECT, "using-graph-uri": G.value})
    assert stray.status_code == 400 and b"'using-graph-uri' is for updates" in stray.data
    relative = client.get("/sparql", query_string={"query": SELECT, "default-graph-uri": "data0.rdf"})
    assert relative.status_code == 400 and b"absolute IRI" in relative.data
    update = client.post("/sparql", data={"update": "CLEAR ALL", "named-graph-uri": G.value},
                         headers={"Authorization": "Bearer s3cret"})
    assert update.status_code == 400 and b"'named-graph-uri' is for queries" in update.data
    assert len(rows(client.get("/sparql", query_string={"query": SELECT}))) == 3  # nothing was cleared


def test_a_post_says_what_its_body_is_in_utf8(client):
    untyped = client.post("/sparql", data=b"query=ASK%20%7B%7D")
    assert untyped.status_code == 415 and b"(none)" in untyped.data
    utf16 = client.post("/sparql", data="ASK {}".encode("utf-16"),
                        content_type="application/sparql-query; charset=UTF-16")
    assert utf16.status_code == 415
    latin1 = client.post("/sparql", data='ASK { FILTER("K\xf8ge" != "") }'.encode("latin-1"),
                         content_type="application/sparql-query")
    assert latin1.status_code == 400 and b"UTF-8" in latin1.data
    twice = client.post("/sparql?query=ASK%7B%7D", data="ASK {}", content_type="application/sparql-query")
    assert twice.status_code == 400 and b"body" in twice.data


def test_bad_requests_say_what_is_wrong(client):
    twice = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert twice.status_code == 400 and b"given 2 times" in twice.data
    both = client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert both.status_code == 400
    odd = client.post("/sparql", data=b"ASK {}", content_type="text/plain")
    assert odd.status_code == 415


# ------------------------------------------------------------------------------ updates
def test_updates_are_refused_without_a_configured_token(client):
    for response in (client.post("/sparql", data={"update": "CLEAR ALL"}),
                     client.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update"),
                     client.post("/sparql", data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer x"})):
        assert response.status_code == 403 and b"read-only" in response.data
    assert len(rows(client.get("/sparql", query_string={"query": SELECT}))) == 3
    assert client.get("/sparql", query_string={"update": "CLEAR ALL"}).status_code == 400


def test_updates_need_the_right_bearer_token():
    client = make_client(UPDATE_TOKEN="s3cret")
    insert = f'INSERT DATA {{ GRAPH <{G.value}> {{ <{EX}thing/9> <{LABEL}> "Ni" }} }}'
    wrong = client.post("/sparql", data={"update": insert}, headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 403
    missing = client.post("/sparql", data=insert, content_type="application/sparql-update")
    assert missing.status_code == 403
    right = client.post("/sparql", data=insert, content_type="application/sparql-update",
                        headers={"Authorization": "Bearer s3cret"})
    assert right.status_code == 204
    assert len(rows(client.get("/sparql", query_string={"query": SELECT}))) == 4
    bad = client.post("/sparql", data={"update": "INSERT DATA {"}, headers={"Authorization": "Bearer s3cret"})
    assert bad.status_code == 400


def test_service_description_mentions_updates_when_enabled():
    client = make_client(UPDATE_TOKEN="s3cret")
    body = client.get("/sparql", headers={"Accept": "application/n-triples"}).get_data(as_text=True)
    assert "SPARQL11Update" in body


# ------------------------------------------------------------------------------ a real server
@pytest.fixture(scope="module")
def live_server(example_store):
    waitress = pytest.importorskip("waitress")
    app = create_app({"STORE": example_store, "TESTING": True})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}/sparql"
    server.close()
    thread.join(timeout=5)


def test_sparqlwrapper_reads_select_ask_and_construct(live_server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(live_server)
    client.setQuery("PREFIX pg: <https://w3id.org/policygraph/ontology#> SELECT ?plan WHERE { ?plan a pg:ActionPlan }")
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert bindings and all(b["plan"]["type"] == "uri" for b in bindings)

    client.setQuery("ASK { ?s a <https://w3id.org/policygraph/ontology#Municipality> }")
    assert client.query().convert()["boolean"] is True

    client.setQuery("CONSTRUCT { ?m a <https://w3id.org/policygraph/ontology#Municipality> } "
                    "WHERE { ?m a <https://w3id.org/policygraph/ontology#Municipality> }")
    client.setReturnFormat(TURTLE)
    turtle = client.query().convert()
    turtle = turtle.decode() if isinstance(turtle, bytes) else turtle
    assert "Municipality" in turtle
    assert list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))


def test_sparqlwrapper_post_method_works_too(live_server):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(live_server)
    client.setMethod(POST)
    client.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    client.setReturnFormat(JSON)
    assert int(client.query().convert()["results"]["bindings"][0]["n"]["value"]) > 100


def test_curl_gets_csv_and_plain_errors(live_server):
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    query = "PREFIX pg: <https://w3id.org/policygraph/ontology#> SELECT ?m WHERE { ?m a pg:Municipality } ORDER BY ?m"
    out = subprocess.run([curl, "-sS", "--fail", live_server, "-H", "Accept: text/csv", "--data-urlencode", f"query={query}"],
                         capture_output=True, timeout=30, check=True).stdout
    assert out.startswith(b"m\r\n") and b"https://w3id.org/policygraph/id/" in out
    error = subprocess.run([curl, "-sS", "-w", "%{http_code}", live_server, "--data-urlencode", "query=SELECT ?s WHERE {"],
                           capture_output=True, text=True, timeout=30).stdout
    assert error.endswith("400") and "syntax error" in error.lower()
    description = subprocess.run([curl, "-sS", live_server], capture_output=True, text=True, timeout=30).stdout
    assert "sparql-service-description" in description


# ------------------------------------------------------------------------------ the workbench
def workbench_config(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="workbench-config">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_workbench_loads_vendored_yasgui_pointed_at_our_endpoint(example_client):
    response = example_client.get("/workbench")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'src="/static/vendor/yasgui/yasgui.min.js"' in page and 'src="/static/workbench.js"' in page
    config = workbench_config(page)
    assert config["endpoint"] == "http://localhost/sparql"
    assert config["prefixes"]["pg"] == "https://w3id.org/policygraph/ontology#"
    assert "PREFIX pg: <https://w3id.org/policygraph/ontology#>" in config["defaultQuery"]
    assert "https://w3id.org/policygraph/ontology#servesTargetGroup" in config["properties"]
    assert "https://w3id.org/policygraph/ontology#ActionPlan" in config["classes"]
    for remote in ("dbpedia", "lov.linkeddata", "prefix.cc", "wikidata"):
        assert remote not in page


def test_workbench_script_makes_no_remote_calls_and_replaces_remote_completers(example_app):
    script = (Path(example_app.static_folder) / "workbench.js").read_text(encoding="utf-8")
    assert "http://" not in script and "https://" not in script
    assert 'forkAutocompleter' in script and '"pgProperty"' in script and '"pgClass"' in script
    assert 'Yasqe.defaults.autocompleters = completers' in script
    assert 'populateFromUrl: false' in script and "config.endpoint" in script


def test_workbench_offers_every_library_question_as_an_example(example_client):
    from graph.questions.library import load_library

    page = example_client.get("/workbench?lang=en").get_data(as_text=True)
    examples = workbench_config(page)["examples"]
    assert [e["id"] for e in examples] == list(load_library())
    assert '<label for="example">' in page and '<label for="query">' in page
    assert all(f'<option value="{e["id"]}"' in page for e in examples)


def test_every_example_query_runs_as_is_on_the_endpoint(example_client):
    examples = workbench_config(example_client.get("/workbench").get_data(as_text=True))["examples"]
    for example in examples:
        assert example["query"].startswith("# ")
        response = example_client.post("/sparql", data={"query": example["query"]})
        assert response.status_code == 200, (example["id"], response.data)


def test_workbench_example_opens_in_the_plain_form_and_runs(example_client):
    page = example_client.get("/workbench?example=plans-expiring-without-successor&lang=en").get_data(as_text=True)
    textarea = page[page.index('<textarea'):page.index('</textarea>')]
    assert "PREFIX pg: &lt;https://w3id.org/policygraph/ontology#&gt;" in textarea
    assert "gYear" in textarea                     # the default year bound inline
    assert '<h2 id="results-heading">' in page and "<caption" in page


def test_workbench_query_url_renders_an_accessible_table_with_links_and_downloads(example_client):
    query = "SELECT ?plan ?title WHERE { ?plan a pg:ActionPlan ; dct:title ?title FILTER(LANG(?title) = 'da') } ORDER BY ?plan"
    response = example_client.get("/workbench", query_string={"query": query, "lang": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<caption id="results-caption">' in page and '<th scope="col">plan</th>' in page
    assert re.search(r'<a href="/id/doc/koebenhavn/[^"]+" title="https://w3id.org/policygraph/id/doc/', page)
    assert '<span lang="da">' in page
    downloads = re.findall(r'<a class="button button-secondary" href="([^"]+)" download>(\w+)</a>', page)
    assert [label for _, label in downloads] == ["CSV", "JSON", "TSV", "XML"]
    csv_link = html.unescape(downloads[0][0])
    got = example_client.get(csv_link)
    assert got.status_code == 200 and got.mimetype == "text/csv" and got.data.startswith(b"plan,title\r\n")
    assert 'href="/workbench?query=' in page   # the permalink


def test_workbench_shows_errors_in_the_page_with_400(example_client):
    response = example_client.get("/workbench", query_string={"query": "SELECT ?s WHERE { ?s ", "lang": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'role="alert"' in page and "syntax error" in page.lower() and "Traceback" not in page
    assert "SELECT ?s WHERE { ?s </textarea>" in page
    service = example_client.get("/workbench", query_string={"query": "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"})
    assert service.status_code == 400 and "SERVICE" in service.get_data(as_text=True)
    assert example_client.get("/workbench?query=").status_code == 400


def test_workbench_answers_ask_and_construct(example_client):
    ask = example_client.get("/workbench", query_string={"query": "ASK { ?s a pg:Municipality }", "lang": "en"})
    assert "Yes: the pattern occurs in the graph." in ask.get_data(as_text=True)
    construct = example_client.get("/workbench", query_string={
        "query": "CONSTRUCT WHERE { ?m a pg:Municipality } LIMIT 2", "lang": "en"}).get_data(as_text=True)
    assert '<th scope="col">subject</th>' in construct and "format=ttl" in construct


def test_workbench_escapes_data(client):
    store = client.application.config["STORE"]
    store.update(f'INSERT DATA {{ GRAPH <{G.value}> {{ <{EX}x> <{LABEL}> "<script>alert(1)</script>" }} }}')
    page = client.get("/workbench", query_string={"query": f"SELECT ?l WHERE {{ <{EX}x> <{LABEL}> ?l }}"}).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_workbench_cuts_the_html_table_but_not_the_downloads(example_client, monkeypatch):
    monkeypatch.setattr("web.workbench.SHOWN_ROWS", 3)
    page = example_client.get("/workbench", query_string={"query": "SELECT ?s WHERE { ?s a pg:Municipality }", "lang": "en"})
    text = page.get_data(as_text=True)
    assert "Showing the first 3 rows" in text
    assert text.count("<tr>") == 4  # header + 3


# ------------------------------------------------------------------------------ the workbench in a browser
def test_workbench_script_in_a_browser_completes_locally_links_resources_and_stays_offline(live_server):
    """The editor's JavaScript: a ?query= tab, our own completions, result IRIs to resource pages,
    an example opened as a tab, and no request beyond this server."""
    from tests.browser_support import CHROMIUM_ARGS, OfflineGuard, PageProblems, chromium_or_fail

    chromium = chromium_or_fail()
    from playwright.sync_api import sync_playwright

    base = live_server.rsplit("/sparql", 1)[0]
    visible_editor = "[...document.querySelectorAll('#yasgui .CodeMirror')].filter(e => e.offsetParent)[0].CodeMirror"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context()
        guard, problems = OfflineGuard(), PageProblems()
        guard.install(context)
        page = context.new_page()
        problems.watch(page)
        page.goto(base + "/workbench?lang=en&query=SELECT%20%3Fm%20WHERE%20%7B%20%3Fm%20a%20pg%3AMunicipality%20%7D%20LIMIT%203")
        page.locator("#yasgui .CodeMirror:visible").first.wait_for(state="visible")
        assert page.evaluate(visible_editor + ".getValue()").startswith("SELECT ?m WHERE")
        page.locator("#yasgui .yasqe_queryButton:visible").first.click()
        page.locator("#yasgui .yasr table tbody tr:visible").first.wait_for(state="visible")
        page.wait_for_timeout(200)
        hrefs = page.evaluate("[...document.querySelectorAll('#yasgui .yasr table td a')].map(a => a.getAttribute('href'))")
        assert len(hrefs) == 3 and all(h.startswith("/id/org/") for h in hrefs)

        page.evaluate(visible_editor + ".setValue('PREFIX pg: <https://w3id.org/policygraph/ontology#>\\nSELECT * WHERE { ?s a pg:ActionP')")
        page.evaluate(visible_editor + ".setCursor(1, 100)")
        page.locator("#yasgui .CodeMirror:visible textarea").first.focus()
        page.keyboard.press("Control+Space")
        page.locator(".CodeMirror-hints li").first.wait_for(state="visible")
        assert "pg:ActionPlan" in page.locator(".CodeMirror-hints li").all_inner_texts()

        page.select_option("#example", "plan-synergies")
        page.click("#examples-form button[type=submit]")
        page.wait_for_function("[...document.querySelectorAll('#yasgui .tabsList .tab')].length === 3")
        assert page.url.startswith(base + "/workbench?")   # the example opened as a tab, not a new page
        labels = page.evaluate("[...document.querySelectorAll('#yasgui textarea, #yasgui input.autocomplete')]"
                               ".map(e => e.getAttribute('aria-label'))")
        assert labels and all(labels)
        context.close()
        browser.close()
    assert guard.blocked == [] and problems.script_errors == [] and problems.csp_violations == [], problems.csp_violations


def test_endpoint_over_a_remote_store_answers_select_and_construct(remote_store):
    remote_store.update(f'INSERT DATA {{ GRAPH <{G.value}> {{ <{EX}a> <{LABEL}> "A"@da }} }}')
    client = create_app({"STORE": remote_store, "TESTING": True}).test_client()
    assert rows(client.get("/sparql", query_string={"query": SELECT}))[0]["label"]["value"] == "A"
    graph = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "ttl"})
    assert graph.status_code == 200 and len(list(ox.parse(graph.data, format=ox.RdfFormat.TURTLE))) == 1


def test_csv_downloads_neutralise_formulas_but_negotiated_csv_stays_standard():
    """A format=csv link is opened in a spreadsheet: `=...` would run. A program asking with
    Accept: text/csv gets the W3C SPARQL CSV format with its values untouched."""
    store = small_store(1)
    store.replace_graphs([GraphContent(G.value, [
        ox.Quad(ox.NamedNode(f"{EX}evil"), ox.NamedNode(LABEL), ox.Literal("=1+1"), G),
        ox.Quad(ox.NamedNode(f"{EX}minus"), ox.NamedNode(LABEL), ox.Literal("-5", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")), G)])])
    client = create_app({"STORE": store, "TESTING": True}).test_client()
    download = client.get("/sparql", query_string={"query": SELECT, "format": "csv"})
    assert list(csv.reader(io.StringIO(download.get_data(as_text=True)))) == [
        ["s", "label"], [f"{EX}evil", "'=1+1"], [f"{EX}minus", "-5"]]
    negotiated = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/csv"})
    assert list(csv.reader(io.StringIO(negotiated.get_data(as_text=True))))[1] == [f"{EX}evil", "=1+1"]
