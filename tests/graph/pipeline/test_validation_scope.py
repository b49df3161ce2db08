"""A load re-checks only what its files change, and that never hides a problem a whole-graph check finds.

The property tested: every finding of the whole merged graph that was not there before the load is
also a finding of the scoped check (a change is never waved through), including findings about stored
nodes the new file breaks without mentioning them (a removed target).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from graph.pipeline.load import check_files, load_into_store
from graph.pipeline.shacl_sparql import evaluate, split_shapes
from graph.store import OxigraphStore
from graph.pipeline.validation import (MergedGraph, _owner, _shapes, _sparql_finding, quads_to_rdflib, scoped_focus,
                              to_rdflib, validate_quads)
from graph.pipeline.validation_scope import REACH, shapes_reach
from loaders import load_paths

from small_graph import GOOD  # noqa: E402  (a small graph that conforms)

ROOT = Path(__file__).resolve().parents[3]
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


SYN = "https://w3id.org/policygraph/id/graph/synthetic/"
PLAN_GRAPH = SYN + "syn001/koebenhavn-integrationshandleplan-2019-22.yaml"
POLICY_GRAPH = SYN + "syn001/koebenhavn-integrationspolitik-2019-22.yaml"
PG = "https://w3id.org/policygraph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def two_municipalities(tmp_path_factory):
    """A store with two synthetic municipalities' graphs and the shared vocabularies, organisations and sources."""
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate  # noqa: E402  (bench/ is not a package)

    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder / "synthetic.nq", municipalities=2, scale=1)
    store = OxigraphStore(folder / "store")
    load_into_store(store, [folder / "synthetic.nq"], validate=False)
    yield store
    store.close()


def _broken_plan(store: OxigraphStore, path: Path) -> dict[str, object]:
    """syn001's action plan as an N-Quads file replacing its graph, with one focus area's type, one
    initiative's budget allocations and the plan's own type left out, and a bearing of syn001's
    policy (another file) listed under the plan's stated totals. The other files' nodes that point at the
    plan with a class constraint are affected only by walking the shapes' paths backwards from the
    plan's type triple (which another file also states, so their results stay the same); the node made
    a stated total only by following an inverse path (targetObjectsOf) from a changed triple's object."""
    stored = store.quads()
    quads = [q for q in stored if q.graph_name.value == PLAN_GRAPH]
    typed = {(q.subject.value, q.object.value) for q in quads if q.predicate.value == RDF_TYPE}
    area = sorted(s for s, c in typed if c == PG + "FocusArea")[0]
    plan = next(s for s, c in typed if c == PG + "ActionPlan")
    funded = sorted(q.subject.value for q in quads if q.predicate.value == PG + "hasBudgetAllocation")[0]
    referrers = sorted({q.subject.value for q in stored if q.object.value == plan
                        and q.graph_name.value.startswith(SYN + "syn001/") and q.graph_name.value != PLAN_GRAPH})
    kept = [q for q in quads if not (q.subject.value in (area, plan) and q.predicate.value == RDF_TYPE)
            and not (q.subject.value == funded and q.predicate.value == PG + "hasBudgetAllocation")]
    bearing = sorted(q.subject.value for q in stored if q.graph_name.value == POLICY_GRAPH
                     and q.predicate.value == RDF_TYPE and q.object.value == PG + "Bearing")[0]
    assert len(quads) - len(kept) >= 3 and referrers
    made_total = ox.Quad(ox.NamedNode(plan), ox.NamedNode(PG + "hasStatedTotal"), ox.NamedNode(bearing),
                         ox.NamedNode(PLAN_GRAPH))
    path.write_bytes(ox.serialize(kept + [made_total], format=ox.RdfFormat.N_QUADS))
    return {"area": area, "funded": funded, "made_total": bearing, "pointing_at_plan": referrers}


def test_replacing_one_municipalitys_plan_rechecks_that_municipality_only(two_municipalities, tmp_path):
    """The scoped check of a replaced plan equals the whole-graph check restricted to the nodes whose
    results can change: every whole-graph core-shape finding about an affected node (its focus, or the
    named node holding a blank focus) is reported, no core-shape finding about any other node is, and
    the SPARQL constraints' findings (unbounded reach, always run whole) are all reported. Affected
    nodes are syn001's own, never syn002's, the shared vocabularies' or the organisations'; and every
    finding that the change really adds or removes is about an affected node."""
    store = two_municipalities
    broken = _broken_plan(store, tmp_path / "plan.nq")
    files = load_paths([tmp_path / "plan.nq"])
    replaced = {q.graph_name.value for f in files for q in f.quads}
    assert PLAN_GRAPH in replaced and len(replaced) == 2, replaced  # and the record of the file itself

    before = [q for q in store.quads() if not q.graph_name.value.startswith("https://w3id.org/policygraph/ontology")
              and "inferred" not in q.graph_name.value]
    removed = [q for q in before if q.graph_name.value in replaced]
    new = [q for f in files for q in f.quads]
    after = [q for q in before if q.graph_name.value not in replaced] + new
    focus, _patterns = scoped_focus(MergedGraph.of(after), split_shapes(_shapes())[0], new + removed)
    assert focus is not None

    of = _subjects_by_part(before + after)
    concepts = {q.subject for q in after if q.predicate.value == RDF_TYPE
                and q.object.value in ("http://www.w3.org/2004/02/skos/core#Concept", PG + "TargetGroup", PG + "Theme")}
    assert concepts and of["syn002"] and of["shared"]
    assert focus <= of["syn001"] | of["file records"], focus - of["syn001"]
    assert not focus & (of["syn002"] | of["shared"] | concepts)
    assert len(focus) < len(of["syn001"]) / 2, "one plan of syn001, not all its files"

    data = quads_to_rdflib(after)
    owners = {str(_owner(data, to_rdflib(node))) for node in focus}
    assert {broken["area"], broken["funded"], broken["made_total"], *broken["pointing_at_plan"]} <= owners
    whole_after, sparql = _keys(validate_quads(after)), _sparql_keys(after, data)
    core_after, core_before = whole_after - sparql, _keys(validate_quads(before)) - _sparql_keys(before, quads_to_rdflib(before))
    scoped = _keys(check_files(store, files))

    assert scoped == {k for k in core_after if k[1] in owners} | sparql
    really_changed = core_after ^ core_before
    assert {k[1] for k in really_changed} <= owners
    def changed_about(node: str, severity: str, text: str) -> bool:
        return any(k[0] == severity and k[1] == node and text in k[3] for k in really_changed)

    assert changed_about(broken["funded"], "warning", "no budget"), really_changed
    assert any(changed_about(k[1], "violation", "not a focus area") for k in really_changed), really_changed
    assert changed_about(broken["made_total"], "violation", "stated total must"), really_changed


def _subjects_by_part(quads) -> dict[str, set]:
    """Subjects of the graphs of syn001, syn002 and the shared part (graph .../synthetic/<part>/<file>),
    and of the records of loaded files."""
    parts: dict[str, set] = {"syn001": set(), "syn002": set(), "shared": set(), "file records": set()}
    for q in quads:
        name = q.graph_name.value
        parts[name[len(SYN):].split("/", 1)[0] if name.startswith(SYN) else "file records"].add(q.subject)
    return parts


def _sparql_keys(quads, data: rdflib.Graph) -> set[tuple]:
    """The SHACL-SPARQL constraints' findings about the whole graph, as validate_quads reports them."""
    _core, constraints = split_shapes(_shapes())
    return _keys(_sparql_finding(data, r, {}, "en") for r in evaluate(MergedGraph.of(quads), constraints))
