"""The store's guard, end to end: texts that would crash the engine get a 400 from a real server
process that keeps running, and no query or update text makes the process open a connection while
federation is off (a loopback listener counts connections)."""
from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from servers import free_port, start_server, stop_server

from graph.store import GraphContent, MemoryReplica, OxigraphStore, RefusedText
from web import create_app

ROOT = Path(__file__).resolve().parents[3]
G = "https://w3id.org/policygraph/id/graph/guard.ttl"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TOKEN = "guard-token"
POLICYGRAPH = str(Path(sys.executable).parent / "policygraph")
NORMAL = "SELECT ?s WHERE { ?s <%s> ?l }" % LABEL

# Each of these overflowed pyoxigraph 0.5.13's stack in a worker thread (graph/sparql/text.py).
DEEP_QUERIES = {
    "parentheses": "ASK{FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ")}",
    "braces": "ASK" + "{" * 5000 + "}" * 5000,
    "optional": "ASK{" + "OPTIONAL{" * 5000 + "}" * 5000 + "}",
    "brackets": "ASK{?s <x:p> " + "[<x:p> " * 5000 + "1" + "]" * 5000 + "}",
    "sub-selects": "ASK{" + "{SELECT * WHERE" * 3000 + "{}" + "}" * 3000 + "}",
    "mixed": "ASK{" + "OPTIONAL{FILTER(EXISTS{[<x:p> (" * 800 + "1" + ")]})}" * 800 + "}",
    "exists": "ASK{FILTER(" + "EXISTS{FILTER(" * 1000 + "true" + ")}" * 1000 + ")}",
    "negations": "ASK{FILTER(" + "!" * 12000 + "true)}",
    "unions": "ASK{" + "{}UNION" * 7000 + "{}}",
    "minus chain": "ASK{" + "MINUS{}" * 3000 + "}",
    "bind chain": "ASK{" + "".join(f"BIND(1 AS ?v{i})" for i in range(3000)) + "}",
    "or chain": "ASK{FILTER(" + "false||" * 10000 + "true)}",
}
DEEP_UPDATES = {
    "insert where": "INSERT{?s ?p ?o}WHERE" + "{" * 5000 + "}" * 5000,
    "insert data brackets": "INSERT DATA{<x:s> <x:p> " + "[<x:p> " * 5000 + "1" + "]" * 5000 + "}",
    "delete where": "DELETE WHERE{" + "GRAPH ?g{" * 4000 + "}" * 4000 + "}",
}
HUGE = "ASK {} #" + "x" * 1_100_000


def _small_store(path: Path | None = None) -> OxigraphStore:
    store = OxigraphStore(path)
    quads = [ox.Quad(ox.NamedNode(f"http://example.org/{i}"), ox.NamedNode(LABEL), ox.Literal(f"Ting {i}"),
                     ox.NamedNode(G)) for i in range(3)]
    store.replace_graphs([GraphContent(G, quads)])
    return store


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`policygraph serve` (waitress, worker threads) over a small store, on a free loopback port."""
    location = tmp_path_factory.mktemp("guard-store")
    _small_store(location).close()
    port = free_port()
    env = {**os.environ, "POLICYGRAPH_UPDATE_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    env.pop("POLICYGRAPH_ALLOW_SERVICE", None)
    base = f"http://127.0.0.1:{port}"
    process = start_server([POLICYGRAPH, "--store", str(location), "serve", "--port", str(port)],
                           f"{base}/sparql?query=ASK%7B%7D", env=env, cwd=ROOT)
    yield base, process
    stop_server(process)


def _request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data, headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _assert_alive(base: str, process: subprocess.Popen) -> None:
    assert process.poll() is None, "the server process died"
    status, body = _request(f"{base}/sparql?" + urllib.parse.urlencode({"query": NORMAL}),
                            headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and "http://example.org/2" in body


@pytest.mark.parametrize("name", sorted(DEEP_QUERIES))
def test_a_deep_query_gets_400_from_endpoint_and_workbench_and_the_server_lives(server, name):
    base, process = server
    query = urllib.parse.urlencode({"query": DEEP_QUERIES[name]})
    status, body = _request(f"{base}/sparql?{query}", headers={"Accept": "application/sparql-results+json"})
    assert status == 400, body[:300]
    assert "deep" in body or "chains too many" in body
    _assert_alive(base, process)
    status, body = _request(f"{base}/workbench?{query}")
    assert status == 400
    assert "deep" in body or "chains too many" in body
    _assert_alive(base, process)


@pytest.mark.parametrize("name", sorted(DEEP_UPDATES))
def test_a_deep_update_gets_400_and_the_server_lives(server, name):
    base, process = server
    status, body = _request(f"{base}/sparql", urllib.parse.urlencode({"update": DEEP_UPDATES[name]}).encode(),
                            {"Authorization": f"Bearer {TOKEN}"})
    assert status == 400 and ("deep" in body or "chains too many" in body), body[:300]
    _assert_alive(base, process)


def test_a_huge_text_gets_400_and_the_server_lives(server):
    base, process = server
    for form in ({"query": HUGE}, {"update": HUGE}):
        status, body = _request(f"{base}/sparql", urllib.parse.urlencode(form).encode(),
                                {"Authorization": f"Bearer {TOKEN}"})
        assert status == 400 and "characters long" in body
    _assert_alive(base, process)


def test_the_size_limit_comes_from_the_environment(monkeypatch, memory_store):
    monkeypatch.setenv("POLICYGRAPH_MAX_QUERY_CHARS", "50")
    with pytest.raises(RefusedText, match="at most 50"):
        memory_store.query("SELECT * WHERE { ?s ?p ?o } " + "#" * 40)
    monkeypatch.delenv("POLICYGRAPH_MAX_QUERY_CHARS")
    assert list(memory_store.query("SELECT * WHERE { ?s ?p ?o } " + "#" * 40)) == []


def test_the_cli_says_one_line_and_exits_non_zero(tmp_path):
    location = tmp_path / "store"
    _small_store(location).close()
    for command in (["query", DEEP_QUERIES["braces"]], ["query", DEEP_QUERIES["unions"]]):
        done = subprocess.run([POLICYGRAPH, "--store", str(location), *command],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 1, done.stderr[-500:]
        assert done.stderr.startswith("error: ") and len(done.stderr.strip().splitlines()) == 1


def test_question_pages_show_a_refused_text_as_400_not_500(monkeypatch, example_client):
    monkeypatch.setenv("POLICYGRAPH_MAX_QUERY_CHARS", "100")  # shorter than any library question
    for url in ("/questions/continuity-chains.json", "/questions/continuity-chains.csv"):
        response = example_client.get(url)
        assert response.status_code == 400, url
        assert b"characters long" in response.data


# ------------------------------------------------------------------------------ no fetching
def tricky_texts(url: str) -> dict[str, str]:
    """Queries that hide SERVICE from a careless check; each one reaches `url` on an unguarded engine."""
    iri = f"<{url}x>"
    return {
        "between ''' comments": f"SELECT * {{ # '''\n SERVICE {iri} {{ ?s ?p ?o }} # '''\n }}",
        "between ''' strings": f"SELECT * {{ ?s ?p \"'''\" . SERVICE {iri} {{ }} ?s ?p \"'''\" }}",
        "iris with '''": f"SELECT * {{ <http://x/'''> ?p ?o . SERVICE {iri} {{}} <http://y/'''> ?p ?o }}",
        "space before a prefixed name": f"PREFIX : <{url}> SELECT * {{ SERVICE :x {{ }} }}",
        "no space": f"SELECT * {{ SERVICE{iri}{{}} }}",
        "mixed case, silent": f"SELECT * {{ sErViCe SiLeNt {iri} {{ ?s ?p ?o }} }}",
        "glued silent": f"SELECT * {{ SERVICESILENT{iri}{{}} }}",
        "glued to true": f"SELECT * {{ ?s ?p trueSERVICE{iri}{{}} }}",
        "prefix named SERVICE": f"PREFIX SERVICE: <{url}> SELECT * {{ SERVICE:x{{}} }}",
        "escaped quotes": f"SELECT * {{ ?s ?p \"\\\"'\" . SERVICE {iri} {{}} ?s ?p '\\'\"' }}",
        "long strings with escapes": f"SELECT * {{ ?s ?p \"\"\"a\\\"\"\"\" . SERVICE {iri} {{}} ?s ?p '''b\\'''' }}",
        "quote in a local name": f"PREFIX ex: <http://e/> SELECT * {{ ?s ex:a\\' ?o . SERVICE {iri} {{}} ?s ex:b\\' ?o }}",
        "comment ended by CR": f"SELECT * {{ # note\r SERVICE {iri} {{}} }}",
        "escaped IRI": f"SELECT * {{ <http://x/\\u0078'''> ?p ?o . SERVICE {iri} {{}} <http://y/'''> ?p ?o }}",
        "in a sub-select": f"SELECT * {{ {{ SELECT * WHERE {{ SERVICE {iri} {{ ?s ?p ?o }} }} }} }}",
        "in exists": f"ASK {{ FILTER EXISTS {{ SERVICE {iri} {{}} }} }}",
    }


def tricky_updates(url: str) -> dict[str, str]:
    iri = f"<{url}x>"
    return {
        "load": f"LOAD {iri}",
        "load silent into": f"LOAD SILENT {iri} INTO GRAPH <http://g/>",
        "glued load": f"LOADSILENT{iri}",
        "service in where": f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE {iri} {{ ?s ?p ?o }} }}",
        "hidden load": f"# '''\nLOAD {iri} # '''",
    }


def test_the_store_opens_no_connection_while_federation_is_off(listener, tmp_path):
    disk = _small_store(tmp_path / "disk")
    for store in (_small_store(), MemoryReplica(disk)):
        for name, text in {**tricky_texts(listener.url), **tricky_updates(listener.url)}.items():
            with pytest.raises(RefusedText, match="(SERVICE|LOAD) is not allowed"):
                store.update(text) if name in tricky_updates(listener.url) else store.query(text)
    assert listener.seen() == []
    allowed = _small_store()  # the control: allowed, the same kind of text does reach the listener
    allowed.allow_federation = True
    list(allowed.query(tricky_texts(listener.url)["glued silent"]))  # SILENT: the hang-up is no error
    assert len(listener.seen()) == 1


def test_the_endpoint_opens_no_connection_and_says_the_same_for_any_port(listener):
    client = create_app({"STORE": _small_store(), "TESTING": True, "UPDATE_TOKEN": TOKEN}).test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    closed = f"http://127.0.0.1:{free_port()}/"
    for name, text in tricky_texts(listener.url).items():
        answers = [client.get("/sparql", query_string={"query": text}),
                   client.post("/sparql", data={"query": text}),
                   client.post("/sparql", data=text, content_type="application/sparql-query"),
                   client.get("/workbench", query_string={"query": text})]
        assert [a.status_code for a in answers] == [400] * 4, name
        same_elsewhere = client.get("/sparql", query_string={"query": text.replace(listener.url, closed)})
        assert same_elsewhere.data == answers[0].data, "the answer must not tell open ports from closed ones"
    for name, text in {**tricky_updates(listener.url), **tricky_texts(listener.url)}.items():
        for response in (client.post("/sparql", data={"update": text}, headers=auth),
                         client.post("/sparql", data=text, content_type="application/sparql-update", headers=auth)):
            assert response.status_code == 400, name
    assert listener.seen() == []
    allowed = create_app({"STORE": _small_store(), "TESTING": True, "ALLOW_SERVICE": True,
                          "UPDATE_TOKEN": TOKEN}).test_client()
    allowed.get("/sparql", query_string={"query": f"SELECT * {{ SERVICE <{listener.url}y> {{ ?s ?p ?o }} }}"})
    allowed.post("/sparql", data={"update": f"LOAD SILENT <{listener.url}z>"}, headers=auth)
    paths = b" ".join(listener.seen())
    assert b"/y" in paths and b"/z" in paths, "with ALLOW_SERVICE the same texts do reach out"


def test_open_store_takes_federation_from_the_environment(monkeypatch, tmp_path):
    from graph.store import open_store

    monkeypatch.delenv("POLICYGRAPH_ALLOW_SERVICE", raising=False)
    store = open_store(tmp_path / "a", in_memory=True)
    assert store.allow_federation is False
    store.close()
    monkeypatch.setenv("POLICYGRAPH_ALLOW_SERVICE", "1")
    store = open_store(tmp_path / "b", in_memory=True)
    assert store.allow_federation is True and store.memory.allow_federation is True
    store.close()
