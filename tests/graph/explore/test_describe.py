"""What a resource page knows about a resource: labels, grouped properties with ontology labels,
nested blank nodes, incoming links, the breadcrumb up the plan, budgets and the RDF description."""
from __future__ import annotations

import pytest

from graph.explore.describe import BadIri, check_iri, describe, resource_triples

ID = "https://w3id.org/policygraph/id/"
PG = "https://w3id.org/policygraph/ontology#"

SMALL = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/policygraph/id/> .

<doc/t/plan> a pg:ActionPlan ; dct:title "Planen"@da , "The plan"@en ; pg:validFrom "2020"^^xsd:gYear ;
  pg:hasFocusArea <doc/t/plan/area> .
<doc/t/plan/area> a pg:FocusArea ; skos:prefLabel "Område <b>1</b>"@da ; pg:hasGoal <doc/t/plan/goal> ;
  pg:hasInitiative <doc/t/plan/init> .
<doc/t/plan/goal> a pg:Goal ; skos:prefLabel "Mål"@da .
<doc/t/plan/init> a pg:Initiative ; skos:prefLabel "Indsats"@da , "Initiative"@en ; pg:supports <doc/t/plan/goal> ;
  pg:evidenceBased true ;
  pg:hasBudgetAllocation [ a pg:BudgetAllocation ; pg:fiscalYear "2020"^^xsd:gYear ; schema:value 2.5 ; pg:unitMultiplier 1000000 ; schema:currency "DKK" ] ,
                         [ a pg:BudgetAllocation ; pg:fiscalYear "2021"^^xsd:gYear ; schema:value 5 ; pg:unitMultiplier 1000000 ; schema:currency "DKK" ] ;
  prov:wasDerivedFrom [ a pg:SourcePassage ; pg:inDocument <source/9> ; pg:locator "side 3" ; pg:quotation "Vi vil gøre noget."@da ] .
<source/9> a pg:SourceDocument ; dct:title "Kilden"@da ; pg:fileName "9.txt" .
"""


@pytest.fixture
def small(store_from_turtle):
    return store_from_turtle(SMALL)


def test_labels_types_and_properties_use_the_ontology_labels_in_the_reader_language(small):
    d = describe(small, ID + "doc/t/plan/init", "en")
    assert d.label == "Initiative" and d.labels == {"da": "Indsats", "en": "Initiative"}
    assert [t.label for t in d.types] == ["initiative"]
    by_label = {p.label: p for p in d.properties}
    assert "supports" in by_label and by_label["supports"].values[0].label == "Mål"
    assert describe(small, ID + "doc/t/plan/init", "da").label == "Indsats"
    assert "understøtter" in {p.label for p in describe(small, ID + "doc/t/plan/init", "da").properties}


def test_blank_nodes_are_nested_under_the_property_that_leads_to_them(small):
    d = describe(small, ID + "doc/t/plan/init", "en")
    allocations = next(p for p in d.properties if p.predicate == PG + "hasBudgetAllocation")
    assert len(allocations.values) == 2
    nested = {p.label: p.values[0] for p in allocations.values[0].nested}
    assert nested["fiscal year"].datatype == "xsd:gYear"


def test_breadcrumb_walks_up_from_initiative_to_the_plan(small):
    crumbs = describe(small, ID + "doc/t/plan/init", "da").hierarchy
    assert [c.iri for c in crumbs] == [ID + "doc/t/plan", ID + "doc/t/plan/area", ID + "doc/t/plan/init"]
    assert crumbs[0].kind == "handleplan"
    goal = describe(small, ID + "doc/t/plan/goal", "da").hierarchy
    assert [c.iri for c in goal][:2] == [ID + "doc/t/plan", ID + "doc/t/plan/area"]


def test_budgets_are_whole_amounts_per_year_and_plans_sum_their_parts(small):
    own = describe(small, ID + "doc/t/plan/init", "en")
    assert [(b.year, b.amount) for b in own.budgets] == [("2020", 2_500_000.0), ("2021", 5_000_000.0)]
    assert not own.budgets_aggregated and own.budgets[1].share == 100.0 and own.budgets[0].share == 50.0
    plan = describe(small, ID + "doc/t/plan", "en")
    assert plan.budgets_aggregated and sum(b.amount for b in plan.budgets) == 7_500_000.0


def test_sources_and_incoming_links(small):
    d = describe(small, ID + "doc/t/plan/init", "da")
    assert d.sources[0]["locator"] == "side 3" and d.sources[0]["document"] == "Kilden"
    goal = describe(small, ID + "doc/t/plan/goal", "en")
    assert {p.label for p in goal.incoming} >= {"supports", "has goal"}


def test_unknown_and_hostile_iris(small):
    assert describe(small, "javascript:alert(1)") is None
    assert describe(small, ID + "nothing/here") is None
    for bad in ("", "no-scheme", "http://x/" + "a" * 5000, "http://x/<y>"):
        with pytest.raises(BadIri):
            check_iri(bad)


def test_rdf_description_carries_outgoing_blank_nodes_and_incoming(small):
    triples = resource_triples(small, ID + "doc/t/plan/init")
    predicates = {t.predicate.value.rsplit("#", 1)[-1] for t in triples}
    assert "fiscalYear" in predicates, "the budget line's blank node comes along"
    assert any(t.subject.value == ID + "doc/t/plan/area" and t.predicate.value.endswith("hasInitiative")
               for t in triples), "the incoming link from the area"


def test_example_graph_resources_describe_quickly(example_store):
    d = describe(example_store, ID + "doc/koebenhavn/integrationshandleplan-2019-22/fritidsjob", "da")
    assert d.label == "Fritidsjob" and d.sources and d.budgets
    assert d.hierarchy[0].iri == ID + "doc/koebenhavn/integrationshandleplan-2019-22"
