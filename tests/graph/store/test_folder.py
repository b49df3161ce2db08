"""A load is all or nothing at any moment it can die: killed, out of disk space, or beside a reader."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.pipeline.derive import INFERRED_GRAPH, derived_graph, read_facts
from graph.pipeline.load import load_into_store
from graph.store import OxigraphStore, StoreError
from graph.store.folder import POINTER, StoreFolder

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data"
POLICYGRAPH = str(Path(sys.executable).parent / "policygraph")
EX = "http://example.org/"
BUDGET_ROWS = "SELECT (COUNT(*) AS ?n) WHERE { ?line pg:hasBudgetAllocation ?a }"


def consistent(store: OxigraphStore) -> tuple[int, int]:
    """(asserted quads, derived quads), after checking that the derived graph is exactly what the
    asserted graphs derive: a half-written store (new files, old or empty derived links) fails here."""
    stored = _shape(store.quads(INFERRED_GRAPH))
    expected = _shape(derived_graph(read_facts(store)).quads)
    assert stored == expected, f"derived graph out of step: {sum(stored.values())} stored, {sum(expected.values())} expected"
    derived = sum(stored.values())
    return store.count() - derived, derived


def _shape(quads) -> Counter:
    """The triples with blank nodes (sum nodes, made anew by every derivation) as one placeholder."""
    def term(t):
        return "_:b" if isinstance(t, ox.BlankNode) else str(t)
    return Counter((term(q.subject), str(q.predicate), term(q.object)) for q in quads)


def test_a_new_folder_gets_an_empty_generation_and_a_pointer(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    assert (tmp_path / "s" / POINTER).read_text().strip() == "gen-000001"
    assert store.count() == 0


def test_every_write_publishes_a_new_generation_and_old_ones_are_pruned(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    for n in range(4):
        store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a{n}> <{EX}p> <{EX}b> }} }}")
    folder = StoreFolder(tmp_path / "s")
    assert folder.current().name == "gen-000005"
    assert [g.name for g in folder.generations()] == ["gen-000004", "gen-000005"]
    assert store.count() == 4


def test_a_reader_in_another_process_sees_a_write_once_published(tmp_path):
    reader = OxigraphStore(tmp_path / "s")
    writer = OxigraphStore(tmp_path / "s")
    writer.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> <{EX}b> }} }}")
    assert reader.count() == 1


def test_a_failed_write_inside_a_transaction_publishes_nothing(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> <{EX}b> }} }}")
    before = StoreFolder(tmp_path / "s").current()
    with pytest.raises(StoreError):
        with store.transaction():
            store.update(f"DROP GRAPH <{EX}g>")
            assert store.count() == 0  # the transaction reads its own writes
            store.update("INSERT DATA { not sparql }")
    assert StoreFolder(tmp_path / "s").current() == before
    assert store.count() == 1
    assert [g.name for g in StoreFolder(tmp_path / "s").generations()][-1] == before.name


def test_a_full_disk_during_the_derived_links_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    """The derived links are the last thing a load writes: the failure that used to leave new files
    in with an empty derived graph (and questions answering 0 rows)."""
    store = OxigraphStore(tmp_path / "s")
    load_into_store(store, [DATA], validate=False)
    before = consistent(store)
    budget = int(next(iter(store.query(BUDGET_ROWS)))["n"].value)
    real_extend = OxigraphStore._extend

    def disk_full_on_derived(self, engine, quads):
        if any(q.graph_name.value == INFERRED_GRAPH for q in quads):
            raise StoreError("the store could not write: No space left on device")
        real_extend(self, engine, quads)

    monkeypatch.setattr(OxigraphStore, "_extend", disk_full_on_derived)
    extra = tmp_path / "extra.ttl"
    extra.write_text(f"<{EX}x> <{EX}p> <{EX}y> .\n")
    with pytest.raises(StoreError, match="No space left on device"):
        load_into_store(store, [extra], validate=False)  # onto the store: files first, then derived links
    with pytest.raises(StoreError, match="No space left on device"):
        load_into_store(store, [DATA, extra], validate=False)  # replacing everything: one write
    monkeypatch.undo()
    assert consistent(store) == before
    assert int(next(iter(store.query(BUDGET_ROWS)))["n"].value) == budget
    assert all("extra" not in g for g in store.graphs())


def test_a_store_of_an_earlier_version_is_taken_over(tmp_path):
    legacy = ox.Store(str(tmp_path / "s"))
    legacy.add(ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "b"), ox.NamedNode(EX + "g")))
    legacy.flush()
    del legacy
    store = OxigraphStore(tmp_path / "s")
    assert store.count() == 1 and store.graphs() == [EX + "g"]


def _load(store: Path, *paths: Path) -> subprocess.Popen:
    return subprocess.Popen([POLICYGRAPH, "--store", str(store), "load", "--no-validate", *map(str, paths)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def test_a_load_killed_at_any_moment_leaves_the_old_content_or_the_new(tmp_path):
    """kill -9 at points spread over a whole load onto an existing store (bounded: 8 kills)."""
    location = tmp_path / "s"
    extra = tmp_path / "extra.ttl"
    extra.write_text(f"<{EX}x> <{EX}p> <{EX}old> .\n")
    assert _load(location, DATA, extra).wait(timeout=300) == 0
    old = consistent(OxigraphStore(location))
    changed = tmp_path / "changed" / "extra.ttl"
    changed.parent.mkdir()
    changed.write_text(f"<{EX}x> <{EX}p> <{EX}new1>, <{EX}new2> .\n")
    started = time.monotonic()
    assert _load(location, DATA, changed).wait(timeout=300) == 0
    full = time.monotonic() - started
    new = consistent(OxigraphStore(location))
    assert new != old
    seen = set()
    for step in range(8):
        assert _load(location, DATA, extra).wait(timeout=300) == 0  # the old content
        process = _load(location, DATA, changed)
        time.sleep(full * (step + 0.5) / 8)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        store = OxigraphStore(location)
        state = consistent(store)
        assert state in (old, new), f"killed after {full * (step + 0.5) / 8:.2f} s: a mix {state}"
        seen.add(state)
        store.close()
    assert old in seen
    # the next load cleans up whatever a killed one left, and works
    assert _load(location, DATA, changed).wait(timeout=300) == 0
    assert consistent(OxigraphStore(location)) == new
    assert len(StoreFolder(location).generations()) <= 2
