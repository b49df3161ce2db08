"""Ad-hoc queries in worker processes: stopped for real at the deadline, shared fairly, memory-capped."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.store.pool import PoolRefusal, QueryFailed, QueryPool
from graph.store import GraphContent, OxigraphStore

EX = "http://example.org/"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = f"SELECT ?o WHERE {{ <{EX}s0> <{EX}p> ?o }}"


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("pool") / "store")
    graph = ox.NamedNode(EX + "g")
    store.replace_graphs([GraphContent(EX + "g", [
        ox.Quad(ox.NamedNode(f"{EX}s{n}"), ox.NamedNode(EX + "p"), ox.Literal(str(n)), graph) for n in range(2000)])])
    yield store
    store.close()


@pytest.fixture
def pool():
    pool = QueryPool(workers=2, per_client=2, memory_mb=4096)
    yield pool
    pool.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


def test_an_answer_comes_back_from_a_worker(disk_store, pool):
    answer = pool.run(disk_store.generation(), CHEAP, client="a", limit=10, timeout=30)
    assert answer.kind == "select" and [row[0].value for row in answer.rows] == ["0"]


def test_rows_are_cut_at_the_limit_and_say_so(disk_store, pool):
    answer = pool.run(disk_store.generation(), "SELECT * WHERE { ?s ?p ?o }", client="a", limit=5, timeout=30)
    assert len(answer.rows) == 5 and answer.truncated


def test_a_syntax_error_is_the_clients_mistake(disk_store, pool):
    with pytest.raises(QueryFailed):
        pool.run(disk_store.generation(), "SELECT ?s WHERE { ?s ?p }", client="a", limit=5, timeout=30)


def _worker_pids(pool: QueryPool, count: int) -> set[int]:
    deadline = time.monotonic() + 20
    while len(pool._idle) < count:  # workers start in the background
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.05)
    return {w.process.pid for w in pool._idle}


def test_a_slow_query_is_stopped_at_its_deadline_and_its_process_with_it(disk_store, pool):
    before = _worker_pids(pool, 2)
    started = time.monotonic()
    with pytest.raises(PoolRefusal) as refused:
        pool.run(disk_store.generation(), CROSS, client="a", limit=10, timeout=1.0)
    assert refused.value.status == 503 and "longer than 1 seconds" in refused.value.message
    assert time.monotonic() - started < 3
    after = _worker_pids(pool, 2)
    stopped = before - after
    assert len(stopped) == 1 and not any(_alive(pid) for pid in stopped)  # nothing keeps computing it


def test_one_client_may_not_hold_more_than_its_share(disk_store, pool):
    threads = [threading.Thread(target=_swallow, args=(pool, disk_store, "greedy", 3.0)) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    with pytest.raises(PoolRefusal) as refused:
        pool.run(disk_store.generation(), CHEAP, client="greedy", limit=10, timeout=5)
    assert refused.value.status == 429
    for thread in threads:
        thread.join()


def _swallow(pool: QueryPool, store: OxigraphStore, client: str, timeout: float) -> None:
    try:
        pool.run(store.generation(), CROSS, client=client, limit=10, timeout=timeout)
    except PoolRefusal:
        pass


def test_a_light_client_is_answered_while_heavy_ones_hold_every_worker(disk_store, pool):
    pool.run(disk_store.generation(), CHEAP, client="warm", limit=10, timeout=30)
    heavy = [threading.Thread(target=_swallow, args=(pool, disk_store, f"heavy{n}", 20.0)) for n in range(4)]
    for thread in heavy:
        thread.start()
    time.sleep(1.0)  # both workers busy with cross products, two more waiting
    started = time.monotonic()
    answer = pool.run(disk_store.generation(), CHEAP, client="light", limit=10, timeout=20)
    assert answer.rows and time.monotonic() - started < 2.0
    pool.close()
    for thread in heavy:
        thread.join(30)


def test_a_query_that_needs_too_much_memory_ends_its_worker_not_the_pool(disk_store):
    pool = QueryPool(workers=1, per_client=2, memory_mb=1024)
    try:
        hungry = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY DESC(?c) ?f ?i"
        with pytest.raises(PoolRefusal) as refused:
            pool.run(disk_store.generation(), hungry, client="a", limit=10, timeout=60)
        assert "memory" in refused.value.message
        assert pool.run(disk_store.generation(), CHEAP, client="a", limit=10, timeout=30).rows
    finally:
        pool.close()


def test_workers_answer_from_the_generation_they_are_given(tmp_path, pool):
    store = OxigraphStore(tmp_path / "s")
    ask = f"ASK {{ <{EX}x> <{EX}p> <{EX}y> }}"
    assert pool.run(store.generation(), ask, client="a", limit=1, timeout=30).boolean is False
    store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}x> <{EX}p> <{EX}y> }} }}")
    assert pool.run(store.generation(), ask, client="a", limit=1, timeout=30).boolean is True


OWNER = """
import sys, time
from graph.store.pool import QueryPool
from graph.store import OxigraphStore
if __name__ == "__main__":
    store = OxigraphStore(sys.argv[1])
    pool = QueryPool(workers=1)
    while not pool._idle:
        time.sleep(0.05)
    print(pool._idle[0].process.pid, flush=True)
    pool.run(store.generation(), sys.argv[2], client="a", limit=10, timeout=600)
"""


def test_workers_die_with_a_server_that_is_killed(disk_store, tmp_path):
    """Otherwise a killed server leaves its workers computing orphaned cross products for ever."""
    script = tmp_path / "owner.py"
    script.write_text(OWNER)
    owner = subprocess.Popen([sys.executable, str(script), str(disk_store.path), CROSS], stdout=subprocess.PIPE,
                             text=True, cwd=Path(__file__).resolve().parents[3])
    worker = int(owner.stdout.readline())
    time.sleep(1.0)
    assert _alive(worker)
    owner.kill()
    owner.wait(10)
    deadline = time.monotonic() + 10
    while _alive(worker):
        assert time.monotonic() < deadline, "the worker outlived its server"
        time.sleep(0.1)


def test_the_endpoint_runs_ad_hoc_queries_in_the_pool_and_stops_them_at_the_deadline(disk_store):
    from web import create_app
    from web.sparql import POOL_EXTENSION

    app = create_app({"STORE": disk_store, "TESTING": True, "QUERY_TIMEOUT": 1.0, "QUERY_WORKERS": 2})
    pool = app.extensions[POOL_EXTENSION]
    try:
        before = _worker_pids(pool, 2)
        client = app.test_client()
        started = time.monotonic()
        slow = client.get("/sparql", query_string={"query": CROSS}, headers={"Accept": "application/sparql-results+json"})
        assert slow.status_code == 503 and time.monotonic() - started < 3
        stopped = before - _worker_pids(pool, 2)
        assert len(stopped) == 1 and not any(_alive(pid) for pid in stopped)
        cheap = client.get("/sparql", query_string={"query": CHEAP}, headers={"Accept": "application/sparql-results+json"})
        assert cheap.status_code == 200 and cheap.get_json()["results"]["bindings"][0]["o"]["value"] == "0"
    finally:
        pool.close()
