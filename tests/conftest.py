"""Shared fixtures: a small graph built in the test, the real example data, and a live Oxigraph server."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

# Tests live in folders that mirror the source (tests/graph/store/test_folder.py tests graph/store/folder.py)
# and are imported by path (pytest's importlib mode); the helpers they share sit in tests/ itself.
TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
for folder in (TESTS, ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from servers import free_port, start_server, stop_server  # noqa: E402

DATA = ROOT / "data"

# The web app started by a test (in process or as `policygraph serve`) does not warm answers in the
# background unless the test asks for it: on 2 cores that thread would slow every other test.
os.environ.setdefault("POLICYGRAPH_WARM_ANSWERS", "0")


@pytest.fixture(autouse=True)
def no_kept_answers():
    """Every test starts without answers kept by an earlier one (the example store lives all session,
    and a test that makes the store fail must see it fail)."""
    from graph.questions.kept import KEPT
    KEPT.clear()


@pytest.fixture
def memory_store():
    from graph.store import OxigraphStore

    store = OxigraphStore()
    yield store
    store.close()


def start_oxigraph(location: Path):
    """`oxigraph serve` (from the `oxigraph` package in the venv) on a free loopback port, its default
    graph the union of the named graphs; returns the process and its addresses."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.fail("the oxigraph server binary is missing: pip install oxigraph")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_server([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                            "--union-default-graph"], f"{base}/query?query=ASK%7B%7D", tries=100)
    return process, {"query": f"{base}/query", "update": f"{base}/update", "graph_store": f"{base}/store"}


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server on loopback, shared by the session."""
    process, addresses = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    yield addresses
    stop_server(process)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A real Virtuoso Open Source server on loopback (tests/virtuoso.py)."""
    from tests.virtuoso import start_virtuoso, stop_virtuoso

    process, addresses = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield addresses
    stop_virtuoso(process)


@pytest.fixture(scope="session")
def virtuoso_example(virtuoso_server, example_store):
    """The example graph (derived links included) in the session's Virtuoso, loaded once the way the
    README tells operators to load a big graph: N-Quads through the engine's bulk loader. Returns a
    SparqlEndpointStore over it, and its addresses."""
    from graph.store import SparqlEndpointStore
    from tests.virtuoso import isql

    folder = Path(virtuoso_server["folder"]) / "example-load"
    folder.mkdir()
    (folder / "example.nq").write_bytes(example_store.dump())
    isql(virtuoso_server["sql"], f"ld_dir('{folder}', '*.nq', 'urn:policygraph:unused'); rdf_loader_run(); checkpoint;")
    return SparqlEndpointStore(virtuoso_server["query"]), virtuoso_server


@pytest.fixture(scope="session")
def oxigraph_example(example_store, tmp_path_factory):
    """The example graph in an `oxigraph serve` of its own (the shared `oxigraph_server` is emptied by
    the store tests), loaded through the Graph Store Protocol; a SparqlEndpointStore over it."""
    import urllib.request

    from graph.store import SparqlEndpointStore

    process, addresses = start_oxigraph(tmp_path_factory.mktemp("oxigraph-example"))
    request = urllib.request.Request(addresses["graph_store"], example_store.dump(),
                                     {"Content-Type": "application/n-quads"}, method="POST")
    urllib.request.urlopen(request, timeout=120).read()
    yield SparqlEndpointStore(addresses["query"], addresses["update"]), addresses
    stop_server(process)


@pytest.fixture
def remote_store(oxigraph_server):
    from graph.store import SparqlEndpointStore

    store = SparqlEndpointStore(oxigraph_server["query"], oxigraph_server["update"])
    store.update("DROP ALL")
    return store


@pytest.fixture
def virtuoso_store(virtuoso_server):
    """The store on the tests' own Virtuoso (anonymous /sparql, updates allowed). Tests drop the
    graphs they write themselves: the server lives for the whole session."""
    from graph.store import SparqlEndpointStore

    return SparqlEndpointStore(virtuoso_server["query"])


def external_endpoint() -> tuple[str, str | None] | None:
    """POLICYGRAPH_TEST_ENDPOINT (and POLICYGRAPH_TEST_UPDATE_ENDPOINT): an endpoint of your own the
    remote tests run against instead of `oxigraph serve`, touching only graphs of their own
    (credentials as the app reads them: POLICYGRAPH_ENDPOINT_TOKEN / _USER / _PASSWORD / _AUTH)."""
    query = os.environ.get("POLICYGRAPH_TEST_ENDPOINT")
    return (query, os.environ.get("POLICYGRAPH_TEST_UPDATE_ENDPOINT")) if query else None


@pytest.fixture
def shared_remote_store(request):
    """A remote store the test must clean up after (it drops only its own graphs): the endpoint named
    by POLICYGRAPH_TEST_ENDPOINT when set, else the session's `oxigraph serve`."""
    from graph.store import SparqlEndpointStore, endpoint_settings

    named = external_endpoint()
    if named is None:
        addresses = request.getfixturevalue("oxigraph_server")
        return SparqlEndpointStore(addresses["query"], addresses["update"])
    return SparqlEndpointStore(named[0], settings=endpoint_settings(*named))


@pytest.fixture
def graph_store_remote_store(oxigraph_server):
    """A store on the session's `oxigraph serve` that writes by the Graph Store Protocol (/store)."""
    from graph.store import EndpointSettings, SparqlEndpointStore

    return SparqlEndpointStore(oxigraph_server["query"], settings=EndpointSettings(
        oxigraph_server["query"], oxigraph_server["update"], graph_store_url=oxigraph_server["graph_store"]))


@pytest.fixture
def graph_store_virtuoso_store(virtuoso_server):
    """A store on the session's Virtuoso that writes by the Graph Store Protocol (/sparql-graph-crud)."""
    from graph.store import EndpointSettings, SparqlEndpointStore

    return SparqlEndpointStore(virtuoso_server["query"], settings=EndpointSettings(
        virtuoso_server["query"], graph_store_url=virtuoso_server["graph_store"]))


@pytest.fixture
def store_from_turtle(tmp_path):
    """Build an in-memory store from Turtle text written in the test (derived links included)."""
    from graph.pipeline.load import load_into_store
    from graph.store import OxigraphStore

    stores = []

    def build(text: str):
        path = tmp_path / f"small-{len(stores)}.ttl"
        path.write_text(text, encoding="utf-8")
        store = OxigraphStore()
        load_into_store(store, [path], validate=False)
        stores.append(store)
        return store

    yield build
    for store in stores:
        store.close()


@pytest.fixture
def workshop_store(tmp_path):
    """The small graph with a second plan, and a workshop that decided the two plans have a synergy
    (nothing in the documents links them): for what questions, network and matrix show of workshops."""
    from graph.pipeline.load import load_into_store
    from graph.store import OxigraphStore
    from graph.workshop.writeback import AcceptedLink, Person, WorkshopRecord, write_back
    from small_graph import GOOD, SECOND_PLAN

    path = tmp_path / "plans.ttl"
    path.write_text(GOOD + SECOND_PLAN, encoding="utf-8")
    store = OxigraphStore()
    load_into_store(store, [path], validate=False)
    t = "https://w3id.org/policygraph/id/t/"
    link = AcceptedLink("prop-1", t + "plan", t + "plan2", "synergy", "", Person("p1", "Anna", None), (), 1e9, 1e9 + 60)
    write_back(store, WorkshopRecord("ws-1", None, "Workshop", None, None, "Fie", (), (link,), (), (), ()))
    yield store
    store.close()


@pytest.fixture(scope="session")
def example_store():
    """The bundled example graph loaded the way `policygraph load` does (derived links included).
    Shared by every test that only reads it; a test that writes builds its own store."""
    from graph.pipeline.load import load_into_store
    from graph.store import OxigraphStore

    store = OxigraphStore()
    load_into_store(store, [DATA], validate=False)
    yield store
    store.close()


@pytest.fixture(scope="session")
def example_app(example_store):
    """The web app over the example graph, read-only, as `make serve` runs it."""
    from web import create_app

    return create_app({"STORE": example_store, "TESTING": True})


@pytest.fixture(scope="module")
def live_server(example_store):
    """The web app over the example graph on a loopback port, for a browser test module; the
    network findings it kept are forgotten afterwards (later tests patch the engine)."""
    from graph.explore.network import clear_findings_cache
    from tests.browser_support import serve
    from web import create_app

    server = serve(create_app({"STORE": example_store}))
    yield server
    server.close()
    clear_findings_cache()


@pytest.fixture
def example_client(example_app):
    return example_app.test_client()


def run_bounded(code: str, *args: str, timeout: float = 60, memory: int = 2 << 30) -> subprocess.CompletedProcess:
    """Run Python code in a child with a memory cap and a timeout, so an input that would exhaust memory,
    crash the interpreter or hang fails its test instead of taking the test run down with it. The cap
    counts address space, not memory used: 2 GB leaves room for the store's databases (each RocksDB
    opening reserves about 0.4 GB), far below what a bomb would take."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    try:
        return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {timeout} s")


LOAD_ONE = """
import sys
from pathlib import Path
from loaders import LoadError, load_file
try:
    load_file(Path(sys.argv[1]))
except LoadError as error:
    print(error)
    sys.exit(3)
"""


@pytest.fixture
def load_bounded():
    """`load_file` in a bounded child: returns (exit code, the error line it printed)."""
    def load(path: Path) -> tuple[int, str]:
        done = run_bounded(LOAD_ONE, str(path))
        return done.returncode, (done.stdout + done.stderr).strip()
    return load


class Listener:
    """A TCP listener on loopback that records every connection made to it (and answers nothing)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections: list[bytes] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(1)
                try:
                    self.connections.append(connection.recv(300) or b"(nothing sent)")
                except OSError:
                    self.connections.append(b"(nothing sent)")

    def seen(self, wait: float = 0.3) -> list[bytes]:
        """The connections so far, after a moment for late ones to arrive."""
        time.sleep(wait)
        return list(self.connections)

    def close(self) -> None:
        self._closed = True
        self.socket.close()


@pytest.fixture
def listener():
    """Proof that nothing was fetched: a loopback port that counts who connects."""
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def browser():
    """Chromium for a module's browser tests. Module-scoped: Playwright's sync API runs an event loop in
    this thread while it is started, so it must stop before another test module starts its own."""
    from browser_support import CHROMIUM_ARGS, chromium_or_fail

    executable = chromium_or_fail()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def data(tmp_path):
    """A copy of the example data folder that a test may write into (saves, edits, imports)."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    return folder


@pytest.fixture
def store(data):
    """An embedded store loaded from `data` (as a module's own `data` fixture leaves it)."""
    from graph.pipeline.load import load_into_store
    from graph.store import OxigraphStore

    store = OxigraphStore()
    load_into_store(store, [data], validate=False)
    yield store
    store.close()
