"""The SHACL-SPARQL constraints evaluated by Oxigraph find exactly what pyshacl finds with them.

pyshacl (the reference) runs the full shapes; Oxigraph runs the `sh:sparql` constraints that
graph/pipeline/shacl_sparql.py takes over. Compared: shape, focus node, severity, value and the filled-in
messages. The only tolerated difference is the lexical form of computed decimals: rdflib keeps Python
Decimal's trailing '.0' (1700000.0), Oxigraph writes the canonical form (1700000).
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import RDF, SH

from graph.pipeline.shacl_sparql import evaluate, split_shapes
from graph.pipeline.validation import MergedGraph, to_rdflib, validate_graph
from loaders import load_paths
from ontology import ONTOLOGY_FILE, SHAPES_FILE

from small_graph import GOOD, WARNING_CASES, mutate  # noqa: E402  (the small good graph and its mutations)

ROOT = Path(__file__).resolve().parents[3]


@lru_cache(maxsize=1)
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


@lru_cache(maxsize=1)
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")


def _number(match: re.Match) -> str:
    return format(Decimal(match.group(0)).normalize(), "f")


def _normal(text: str) -> str:
    return re.sub(r"\d+\.\d+|\d+", _number, text)


def by_pyshacl(data: rdflib.Graph) -> set[tuple]:
    _conforms, report, _text = validate(data, shacl_graph=shapes(), ont_graph=ontology(), inference="none",
                                        abort_on_first=False, allow_warnings=True, advanced=True)
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.sourceConstraintComponent) != SH.SPARQLConstraintComponent:
            continue
        found.add((report.value(result, SH.sourceShape), report.value(result, SH.focusNode),
                   report.value(result, SH.resultSeverity), report.value(result, SH.value),
                   frozenset(_normal(str(m)) for m in report.objects(result, SH.resultMessage))))
    return found


def by_oxigraph(data: rdflib.Graph) -> set[tuple]:
    from graph.pipeline.shacl_sparql import to_oxigraph

    store = MergedGraph.of(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in data)
    _core, constraints = split_shapes(shapes())
    return {(r.shape, to_rdflib(r.focus), r.severity, to_rdflib(r.value), frozenset(_normal(str(m)) for m in r.messages))
            for r in evaluate(store, constraints)}


@lru_cache(maxsize=1)
def example_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for loaded in load_paths([ROOT / "data"]):
        for q in loaded.quads:
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


def broken_graph() -> rdflib.Graph:
    """The small good graph with every SPARQL constraint broken once: a stated total that differs from its
    allocation (and a second allocation for its year), swapped period years, funding that stops early, a
    broader concept in another scheme."""
    graph = mutate(*WARNING_CASES["stated total that does not add up"][:2])
    prefixes = GOOD.split(":src a")[0]
    for case in ("funding stops before the period ends", "broader concept in another scheme"):
        delete, insert = WARNING_CASES[case][:2]
        assert not delete
        graph.parse(data=prefixes + insert, format="turtle")
    graph.update(prefixes.replace("@prefix", "PREFIX").replace(" .\n", "\n")
                 + "DELETE { :plan pg:validFrom ?f } INSERT { :plan pg:validFrom \"2023\"^^xsd:gYear } "
                   "WHERE { :plan pg:validFrom ?f }")
    graph.parse(data=prefixes + ":indsats pg:hasBudgetAllocation [ pg:fiscalYear \"2019\"^^xsd:gYear ; "
                "schema:value 12.5 ; schema:currency \"DKK\" ; pg:unitMultiplier 1000 ] .", format="turtle")
    return graph


def test_every_sparql_constraint_moves_to_oxigraph():
    core, constraints = split_shapes(shapes())
    assert len(constraints) == len(set(shapes().subject_objects(SH.sparql))) == 28
    assert not list(core.subject_objects(SH.sparql)), "pyshacl would run them a second time"
    assert len(core) == len(shapes()) - 28


def test_the_broken_graph_gives_the_same_results_in_both_engines():
    expected = by_pyshacl(broken_graph())
    shapes_hit = {str(r[0]).rsplit("#", 1)[-1] for r in expected}
    assert shapes_hit == {"StatedTotalSumShape", "FundingGapShape", "ValidityPeriodShape",
                          "OneAllocationPerYearShape", "ConceptHierarchyShape"}
    assert by_oxigraph(broken_graph()) == expected


def test_the_example_graph_gives_the_same_results_in_both_engines():
    assert by_oxigraph(example_graph()) == by_pyshacl(example_graph())


def test_a_stated_total_of_the_example_graph_that_is_off_is_found_by_both():
    graph = example_graph() + rdflib.Graph()
    total = rdflib.URIRef("https://w3id.org/policygraph/id/doc/koebenhavn/integrationshandleplan-2017-18")
    totals = [t for t in graph.objects(total, rdflib.URIRef("https://w3id.org/policygraph/ontology#hasStatedTotal"))]
    assert totals, "the 2017-18 plan states totals (data/koebenhavn/integrationshandleplan-2017-18.yaml:32)"
    value = rdflib.URIRef("http://schema.org/value")
    for node in totals:
        old = graph.value(node, value)
        graph.remove((node, value, old))
        graph.add((node, value, rdflib.Literal(Decimal(str(old)) + 1)))
    expected = by_pyshacl(graph)
    assert len(expected) >= 2
    assert by_oxigraph(graph) == expected


@pytest.mark.parametrize("lang, words", [("en", "The document's total for 2019 is 1700000 DKK"),
                                         ("da", "Dokumentets total for 2019 er 1700000 kr.")])
def test_findings_fill_in_the_message_in_the_asked_language(lang, words):
    graph = mutate(*WARNING_CASES["stated total that does not add up"][:2])
    findings = [f for f in validate_graph(graph, lang=lang) if "total" in f.message]
    assert len(findings) == 1 and findings[0].message.startswith(words), findings
    assert findings[0].severity == "warning" and findings[0].focus.endswith("/total")


def test_a_constraint_that_needs_a_bound_this_stays_with_pyshacl():
    """Grouping without $this sums over every focus node at once: that must not run as one query."""
    text = SHAPES_FILE.read_text(encoding="utf-8").replace("GROUP BY $this ?year", "GROUP BY ?year")
    text = text.replace("SELECT $this ?year (SAMPLE", "SELECT (SAMPLE(?this) AS ?this) ?year (SAMPLE")
    changed = rdflib.Graph().parse(data=text, format="turtle")
    core, constraints = split_shapes(changed)
    assert "StatedTotalSumShape" not in {str(c.shape).rsplit("#", 1)[-1] for c in constraints}
    assert len(constraints) == 27 and len(list(core.subject_objects(SH.sparql))) == 1


def test_a_constraint_whose_sub_select_does_not_return_this_stays_with_pyshacl():
    """A sub-SELECT without $this would sum over every total at once when run unbound."""
    text = SHAPES_FILE.read_text(encoding="utf-8").replace("SELECT DISTINCT $this ?item", "SELECT DISTINCT ?item")
    assert text != SHAPES_FILE.read_text(encoding="utf-8")
    core, constraints = split_shapes(rdflib.Graph().parse(data=text, format="turtle"))
    assert "StatedTotalSumShape" not in {str(c.shape).rsplit("#", 1)[-1] for c in constraints}
    assert len(constraints) == 27 and len(list(core.subject_objects(SH.sparql))) == 1


def test_a_node_of_two_disjoint_classes_is_found_by_both():
    graph = mutate("", ":udvalg a pg:Administration . :src a pg:Persona .")
    expected = by_pyshacl(graph)
    assert {str(r[0]).rsplit("#", 1)[-1] for r in expected} >= {"DisjointCommitteeShape", "DisjointSourceDocumentShape"}
    assert by_oxigraph(graph) == expected
