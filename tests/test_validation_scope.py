"""A load re-checks only what its files change, and that never hides a problem a whole-graph check finds.

The property tested: every finding of the whole merged graph that was not there before the load is
also a finding of the scoped check (a change is never waved through), including findings about stored
nodes the new file breaks without mentioning them (a removed target).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import rdflib

from graph.loading import check_files, load_into_store
from graph.shacl_sparql import split_shapes
from graph.store import OxigraphStore
from graph.validation import _shapes, validate_quads
from graph.validation_scope import REACH, shapes_reach
from loaders import load_paths

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_ontology import GOOD  # noqa: E402  (a small graph that conforms)

ROOT = Path(__file__).resolve().parent.parent
T = "https://w3id.org/policygraph/id/t/"


def test_the_core_shapes_reach_no_further_than_the_scope_covers():
    """If a shape ever reads further than two hops, scoped loads would be unsafe: then they validate all."""
    core, _constraints = split_shapes(_shapes())
    assert shapes_reach(core) == REACH
    assert shapes_reach(_shapes()) == float("inf"), "SPARQL constraints count as unbounded"
    deeper = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:a ex:b ) ; sh:class ex:D ] .""")
    assert shapes_reach(deeper) == 3


def _split_good(tmp_path: Path) -> tuple[Path, Path]:
    """The good graph in two files: everything but the committee, and the committee."""
    prefixes = GOOD.split(":src a")[0]
    graph = rdflib.Graph().parse(data=GOOD, format="turtle")
    committee = rdflib.URIRef(T + "udvalg")
    own = rdflib.Graph()
    for triple in graph.triples((committee, None, None)):
        own.add(triple)
        if isinstance(triple[2], rdflib.BNode):
            own += graph.triples((triple[2], None, None))
    rest = graph - own
    first, second = tmp_path / "plan.ttl", tmp_path / "udvalg.ttl"
    first.write_text(rest.serialize(format="turtle"), encoding="utf-8")
    second.write_text(own.serialize(format="turtle"), encoding="utf-8")
    assert prefixes and len(own) > 3
    return first, second


def _keys(findings) -> set[tuple]:
    return {(f.severity, f.focus, f.path, f.message) for f in findings}


def _whole(store: OxigraphStore, files) -> set[tuple]:
    """What a whole-graph check of the store-after-the-load finds (the old way)."""
    replaced = {q.graph_name.value for f in files for q in f.quads}
    kept = [q for q in store.quads() if q.graph_name.value not in replaced
            and not q.graph_name.value.startswith("https://w3id.org/policygraph/ontology")
            and "inferred" not in q.graph_name.value]
    return _keys(validate_quads(kept + [q for f in files for q in f.quads]))


def test_removing_a_stored_target_breaks_the_stored_nodes_pointing_at_it(tmp_path):
    plan, committee = _split_good(tmp_path)
    store = OxigraphStore(tmp_path / "store")
    load_into_store(store, [plan, committee])
    before = _whole(store, [])
    assert not [k for k in before if k[0] == "violation"]
    committee.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                         f"<{T}other> a skos:ConceptScheme .\n", encoding="utf-8")
    files = load_paths([committee])
    scoped = _keys(check_files(store, files))
    new_problems = _whole(store, files) - before
    assert any(k[0] == "violation" and k[1] in (T + "maal", T + "plan", T + "trin") for k in new_problems), new_problems
    assert new_problems <= scoped, new_problems - scoped
    store.close()


@pytest.fixture(scope="module")
def example_store(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("example") / "store")
    load_into_store(store, [ROOT / "data"], validate=False)
    yield store
    store.close()


def test_a_changed_stated_total_in_the_example_is_found_by_the_scoped_check(example_store, tmp_path):
    source = ROOT / "data" / "koebenhavn" / "integrationshandleplan-2017-18.yaml"
    text = source.read_text(encoding="utf-8")
    assert "    amount: 11\n" in text
    changed = tmp_path / "koebenhavn" / source.name
    changed.parent.mkdir()
    changed.write_text(text.replace("    amount: 11\n", "    amount: 12\n", 1), encoding="utf-8")
    files = load_paths([tmp_path])  # koebenhavn/<name>: the graph of the stored file, which it replaces
    assert {q.graph_name.value for f in files for q in f.quads} <= set(example_store.graphs())
    before = _whole(example_store, [])
    scoped = _keys(check_files(example_store, files))
    new_problems = _whole(example_store, files) - before
    assert any("total for 2017" in k[3] for k in new_problems), new_problems
    assert new_problems <= scoped


def test_reloading_an_unchanged_example_file_checks_its_nodes_only(example_store, tmp_path):
    source = ROOT / "data" / "koebenhavn" / "integrationshandleplan-2017-18.yaml"
    (tmp_path / "koebenhavn").mkdir()
    (tmp_path / "koebenhavn" / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    files = load_paths([tmp_path])
    assert {q.graph_name.value for f in files for q in f.quads} <= set(example_store.graphs())
    scoped = check_files(example_store, files)
    whole = _whole(example_store, files)
    assert _keys(scoped) <= whole
    assert 0 < len(scoped) < len(whole)
