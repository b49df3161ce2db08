"""Reaching a remote engine: settings read in one place, credentials, and every failure one
StoreError (graph/store/remote/auth.py)."""
from __future__ import annotations

import http.server
import socket
import threading

import pytest

from graph.store import EndpointSettings, SparqlEndpointStore, StoreError, StoreTimeout, endpoint_settings, open_store


def test_settings_come_from_the_environment_and_flags_win():
    env = {"POLICYGRAPH_ENDPOINT": "http://q/sparql", "POLICYGRAPH_UPDATE_ENDPOINT": "http://u/update",
           "POLICYGRAPH_ENDPOINT_USER": "dba", "POLICYGRAPH_ENDPOINT_PASSWORD": "secret",
           "POLICYGRAPH_ENDPOINT_AUTH": "Digest", "POLICYGRAPH_ENDPOINT_TIMEOUT": "5",
           "POLICYGRAPH_GRAPH_STORE": "http://q/sparql-graph-crud"}
    settings = endpoint_settings(environ=env)
    assert settings == EndpointSettings("http://q/sparql", "http://u/update", None, "dba", "secret", "digest", 5.0,
                                        "http://q/sparql-graph-crud")
    assert endpoint_settings("http://flag/sparql", environ=env).query_url == "http://flag/sparql"
    assert endpoint_settings(graph_store="http://flag/store", environ=env).graph_store_url == "http://flag/store"
    assert endpoint_settings(environ={}).query_url is None
    with pytest.raises(StoreError, match="basic, digest"):
        endpoint_settings(environ={"POLICYGRAPH_ENDPOINT_AUTH": "kerberos"})


def test_open_store_and_the_web_app_use_the_same_settings(monkeypatch, tmp_path):
    from web import create_app

    monkeypatch.setenv("POLICYGRAPH_ENDPOINT", "http://127.0.0.1:9/query")
    monkeypatch.setenv("POLICYGRAPH_UPDATE_ENDPOINT", "http://127.0.0.1:9/update")
    monkeypatch.setenv("POLICYGRAPH_ENDPOINT_TOKEN", "t0ken")
    monkeypatch.setenv("POLICYGRAPH_STORE", str(tmp_path / "unused"))
    app = create_app({"WARM_ANSWERS": False, "QUERY_WORKERS": 0})
    store = app.config["STORE"]
    assert isinstance(store, SparqlEndpointStore)
    assert (store.query_url, store.update_url) == ("http://127.0.0.1:9/query", "http://127.0.0.1:9/update")
    assert store.settings == endpoint_settings()
    assert open_store(settings=endpoint_settings()).settings == store.settings


def test_bearer_and_basic_credentials_go_with_every_request():
    bearer = SparqlEndpointStore("http://q", settings=EndpointSettings("http://q", token="abc"))
    assert bearer.connection.headers("*/*")["Authorization"] == "Bearer abc"
    basic = SparqlEndpointStore("http://q", settings=EndpointSettings("http://q", user="dba", password="dba"))
    assert basic.connection.headers("*/*")["Authorization"] == "Basic ZGJhOmRiYQ=="


def test_digest_authentication_on_virtuoso(virtuoso_server):
    graph = "https://w3id.org/policygraph/id/graph/test-digest"
    settings = EndpointSettings(virtuoso_server["auth"], user=virtuoso_server["user"],
                                password=virtuoso_server["password"], auth="digest")
    store = SparqlEndpointStore(settings.query_url, settings=settings)
    store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/a> <http://example.org/p> 1 }} }}")
    assert store.count(graph) == 1 and bool(store.query("ASK { ?s <http://example.org/p> 1 }"))
    store.drop_graphs([graph])


def test_digest_authentication_for_the_graph_store_protocol_on_virtuoso(virtuoso_server):
    import pyoxigraph as ox

    from graph.store import GraphContent

    graph = "https://w3id.org/policygraph/id/graph/test-digest-graph-store"
    settings = EndpointSettings(virtuoso_server["auth"], user=virtuoso_server["user"], auth="digest",
                                password=virtuoso_server["password"], graph_store_url=virtuoso_server["graph_store_auth"])
    store = SparqlEndpointStore(settings.query_url, settings=settings)
    quad = ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal("x"),
                   ox.NamedNode(graph))
    assert store.replace_graphs([GraphContent(graph, [quad])]) == 1
    assert store.count(graph) == 1
    store.drop_graphs([graph])


def test_a_wrong_password_is_one_clear_error(virtuoso_server):
    settings = EndpointSettings(virtuoso_server["auth"], user="dba", password="wrong", auth="digest")
    with pytest.raises(StoreError, match="refused the credentials .401.*POLICYGRAPH_ENDPOINT_USER"):
        SparqlEndpointStore(settings.query_url, settings=settings).query("ASK {}")


class Stub(http.server.BaseHTTPRequestHandler):
    """An engine that answers every POST with the status, headers and body the test sets."""

    answer: tuple[int, dict[str, str], bytes] = (200, {}, b"")
    seen: list[dict[str, str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Stub.seen.append(dict(self.headers))
        status, headers, body = Stub.answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def stub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Stub.seen = []
    yield SparqlEndpointStore(f"http://127.0.0.1:{server.server_address[1]}/sparql", timeout=5)
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("answer, error, words", [
    ((500, {"Content-Type": "text/plain"}, b"Virtuoso 42000 Error SR171: Transaction timed out\n"), StoreTimeout,
     "time limit"),
    ((200, {"Content-Type": "application/sparql-results+json", "X-SQL-State": "S1TAT"},
      b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'), StoreTimeout, "partial answer"),
    ((500, {"Content-Type": "text/plain"}, b"\nVirtuoso 37000 Error SP030: syntax error\n"), StoreError, "SP030"),
    ((200, {"Content-Type": "text/html"}, b"<html>a proxy page</html>"), StoreError, "text/html"),
])
def test_engine_failures_are_store_errors_and_time_limits_timeouts(stub, answer, error, words):
    Stub.answer = answer
    with pytest.raises(error, match=words) as raised:
        stub.query("SELECT ?s WHERE { ?s ?p ?o }")
    assert error is StoreError or isinstance(raised.value, StoreTimeout)
    assert error is StoreTimeout or not isinstance(raised.value, StoreTimeout)


def test_the_accept_header_follows_the_query_form(stub):
    Stub.answer = (200, {"Content-Type": "application/n-triples"}, b"")
    list(stub.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
    Stub.answer = (200, {"Content-Type": "application/sparql-results+json"}, b'{"head": {}, "boolean": true}')
    assert stub.query("ASK { ?s ?p ?o }")
    assert [h["Accept"].split(",")[0] for h in Stub.seen] == ["application/n-triples", "application/sparql-results+json"]


def test_an_engine_that_does_not_answer_in_time_is_a_timeout():
    with socket.socket() as silent:  # the kernel takes the connection; nobody ever answers it
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        store = SparqlEndpointStore(f"http://127.0.0.1:{silent.getsockname()[1]}/sparql", timeout=0.5)
        with pytest.raises(StoreTimeout, match="did not answer within"):
            store.query("ASK {}")


def test_an_engine_that_cannot_be_reached_is_a_store_error_not_a_timeout():
    with pytest.raises(StoreError, match="cannot reach") as raised:
        SparqlEndpointStore("http://127.0.0.1:9/sparql", timeout=2).query("ASK {}")
    assert not isinstance(raised.value, StoreTimeout)
