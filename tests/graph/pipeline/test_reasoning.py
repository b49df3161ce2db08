"""OWL reasoning with HermiT: inferences land in their own graph; contradictions are named."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.pipeline import reasoning as R
from graph.pipeline.load import load_into_store
from graph.store import OxigraphStore
from ontology import OWL_INFERRED_GRAPH

ROOT = Path(__file__).resolve().parents[3]
ID = "https://w3id.org/policygraph/id/"
PG = "https://w3id.org/policygraph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

java_missing = pytest.mark.skipif(shutil.which("java") is None, reason="java is not installed; HermiT needs it")

SMALL = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix t: <https://w3id.org/policygraph/id/t/> .
t:policy a pg:Policy ; dct:title "Politik"@da ; pg:validFrom "2019"^^xsd:gYear ; pg:hasFocusArea t:bearing .
t:bearing a pg:Bearing .
t:plan a pg:ActionPlan ; pg:implements t:policy ; pg:coordinatesWith t:other ; dct:dateAccepted "2019-01-01"^^xsd:date .
t:other a pg:Plan .
"""


def _triples(report) -> set[tuple[str, str, str]]:
    return {(t.subject.value, t.predicate.value, t.object.value) for t in report.triples}


@java_missing
def test_inferences_go_into_their_own_graph(store_from_turtle):
    store = store_from_turtle(SMALL)
    asserted = {str(q) for q in store.quads() if q.graph_name.value != OWL_INFERRED_GRAPH}
    report = R.materialise(store)
    found = _triples(report)
    assert (ID + "t/bearing", RDF_TYPE, PG + "FocusArea") in found
    assert (ID + "t/bearing", RDF_TYPE, PG + "PlanComponent") in found
    assert (ID + "t/policy", PG + "implementedBy", ID + "t/plan") in found
    assert (ID + "t/other", PG + "coordinatesWith", ID + "t/plan") in found
    assert (ID + "t/bearing", PG + "focusAreaOf", ID + "t/policy") in found
    assert (ID + "t/bearing", RDF_TYPE, PG + "Bearing") not in found, "asserted facts are not repeated"
    assert report.left_out >= 2  # the gYear and the date, and the title
    assert store.count(OWL_INFERRED_GRAPH) == len(report.triples)
    assert {str(q) for q in store.quads() if q.graph_name.value != OWL_INFERRED_GRAPH} == asserted
    assert report.by_property["rdf:type"] >= 2
    again = R.materialise(store)  # the inferred graph is not read back as input
    assert _triples(again) == found


@java_missing
def test_an_inconsistent_graph_names_the_clash(store_from_turtle):
    store = store_from_turtle(SMALL + "t:clash a pg:Goal , pg:Initiative .\n")
    with pytest.raises(R.InconsistentGraph, match="t/clash is both a pg:Goal and a pg:Initiative"):
        R.infer(store)
    assert OWL_INFERRED_GRAPH not in store.graphs()


def test_missing_java_gives_one_clear_line(monkeypatch, tmp_path):
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", str(tmp_path / "no-java"))
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(R.ReasoningUnavailable, match="apt-get install default-jre-headless"):
        R.java_executable()


def test_cli_reason_without_java(monkeypatch, tmp_path):
    from click.testing import CliRunner

    import owlready2
    from web.cli import main

    monkeypatch.setattr(owlready2, "JAVA_EXE", str(tmp_path / "no-java"))
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "reason"])
    assert result.exit_code != 0
    assert "OWL reasoning needs Java (HermiT): apt-get install default-jre-headless" in result.output


@java_missing
def test_example_graph_is_consistent_and_bearings_are_focus_areas():
    store = OxigraphStore()
    load_into_store(store, [ROOT / "data"], validate=False)
    report = R.materialise(store)
    found = _triples(report)
    bearings = [ID + "doc/koebenhavn/integrationspolitik-2019-22/" + b for b in
                ("pejlemaerke-1-job", "pejlemaerke-2-uddannelse", "pejlemaerke-3-integration-i-samfundet-generelt")]
    for bearing in bearings:
        assert (bearing, RDF_TYPE, PG + "FocusArea") in found
    assert (ID + "doc/koebenhavn/integrationspolitik-2019-22", PG + "implementedBy",
            ID + "doc/koebenhavn/integrationshandleplan-2019-22") in found
    assert not any(t.subject.value.startswith("urn:") or t.object.value.startswith("urn:") for t in report.triples)
    rows = store.query("ASK { GRAPH <%s> { ?b a pg:FocusArea } }" % OWL_INFERRED_GRAPH)
    assert bool(rows)
    store.close()


@java_missing
def test_hermit_never_fetches_an_owl_import(store_from_turtle, listener):
    store = store_from_turtle(SMALL + f"t:ontology a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
                                      f"  <http://www.w3.org/2002/07/owl#imports> <{listener.url}ontology> .\n")
    report = R.infer(store)
    assert (ID + "t/bearing", RDF_TYPE, PG + "FocusArea") in _triples(report)
    assert listener.seen() == []
