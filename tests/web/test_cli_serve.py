"""The command line beside a running `policygraph serve` on the same store, as a strategist uses them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from servers import free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parents[2]
POLICYGRAPH = str(Path(sys.executable).parent / "policygraph")
EX = "http://example.org/"
TOKEN = "beside-token"


def cli(store: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([POLICYGRAPH, "--store", str(store), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=store.parent)


def sparql(base: str, query: str) -> dict:
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A store loaded with data/ and `policygraph serve` running over it (copy in memory, as `make serve`)."""
    store = tmp_path_factory.mktemp("beside") / "store"
    assert cli(store, "load", str(ROOT / "data")).returncode == 0
    port = free_port()
    env = {**os.environ, "POLICYGRAPH_UPDATE_TOKEN": TOKEN}
    base = f"http://127.0.0.1:{port}"
    process = start_server([POLICYGRAPH, "--store", str(store), "serve", "--port", str(port)],
                           f"{base}/sparql?query=ASK%7B%7D", env=env, cwd=store.parent)
    yield store, base, port
    stop_server(process)


@pytest.mark.parametrize("args", [
    ("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a pg:ActionPlan }"),
    ("ask", "plans-expiring-without-successor", "-p", "year=2022"),
    ("stats",),
    ("export", "--format", "nquads", "-o", "export.nq"),
    ("validate", "--no-warnings"),
    ("report", "-o", "report.html"),
])
def test_read_commands_work_while_the_app_runs(served, args):
    store, _base, _port = served
    done = cli(store, *args)
    assert done.returncode == 0, done.stderr
    assert "LOCK" not in done.stderr and "Traceback" not in done.stderr


def test_a_load_beside_the_app_is_answered_by_the_app_within_seconds(served, tmp_path):
    store, base, _port = served
    extra = tmp_path / "beside.ttl"
    extra.write_text(f"<{EX}beside> <{EX}p> <{EX}loaded> .\n")
    done = cli(store, "load", str(extra))
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 10
    while not sparql(base, f"ASK {{ <{EX}beside> <{EX}p> <{EX}loaded> }}")["boolean"]:
        assert time.monotonic() < deadline, "the app did not see the load within 10 s"
        time.sleep(0.2)


def test_an_update_is_applied_once(served):
    """STRUUID() gives a new value each time it runs: disk and the app's copy must hold the same one."""
    store, base, _port = served
    update = f"INSERT {{ GRAPH <{EX}once> {{ <{EX}once> <{EX}id> ?u }} }} WHERE {{ BIND(STRUUID() AS ?u) }}"
    request = urllib.request.Request(f"{base}/sparql", data=urllib.parse.urlencode({"update": update}).encode(),
                                     headers={"Authorization": f"Bearer {TOKEN}"}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 204)
    in_app = {b["u"]["value"] for b in sparql(base, f"SELECT ?u WHERE {{ <{EX}once> <{EX}id> ?u }}")["results"]["bindings"]}
    done = cli(store, "query", "--format", "json", f"SELECT ?u WHERE {{ <{EX}once> <{EX}id> ?u }}")
    on_disk = {b["u"]["value"] for b in json.loads(done.stdout)["results"]["bindings"]}
    assert len(in_app) == 1 and in_app == on_disk


def test_a_second_serve_on_the_same_port_says_so_in_one_line(served):
    store, _base, port = served
    done = cli(store, "serve", "--port", str(port), "--on-disk", timeout=60)
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0 and done.stderr.startswith("error: "), done.stderr
