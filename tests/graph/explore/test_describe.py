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
    assert {p.label for p in goal.incoming} >= {"supported by", "goal of"}  # read backwards, each with its own name


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


PLAN_2019 = "doc/koebenhavn/integrationshandleplan-2019-22"


def _yaml_focus_areas() -> list[str]:
    """The focus areas' ids in the order the authoring file lists them."""
    from pathlib import Path

    from ruamel.yaml import YAML
    data = YAML(typ="safe").load(Path("data/koebenhavn/integrationshandleplan-2019-22.yaml").read_text(encoding="utf-8"))
    return [area["id"] for area in data["focusAreas"]]


def test_plan_structure_is_the_yaml_order_of_the_2019_22_plan(example_store):
    """The file lists the focus areas as table 1 prints them (Pejlemærke 1: 'Jobparate ledige',
    'Udsatte ledige', 'Kvinder og familieforsørgede', 'Mangfoldig rekruttering'; Pejlemærke 2: 'Unge i
    uddannelse', 'Unge i job'; Pejlemærke 3: 'Forebyggelse af social kontrol'), then the budget lines
    'Survey om medborgerskab' and the committee's pool; alphabetical order would start with 'Forebyggelse'."""
    d = describe(example_store, ID + PLAN_2019, "da")
    areas = [p for p in d.structure if p.term == "fokusområde"]
    assert [p.iri for p in areas] == [ID + i for i in _yaml_focus_areas()]
    assert [p.label for p in d.structure] == [
        "Jobparate ledige", "Udsatte ledige", "Kvinder og familieforsørgede", "Mangfoldig rekruttering",
        "Unge i uddannelse", "Unge i job", "Forebyggelse af social kontrol", "Survey om medborgerskab",
        "BIU's pulje reserveret til at iværksætte nye indsatser"]
    assert [c.label for c in areas[5].children] == ["Fritidsjob"], "each initiative under its focus area, once"


def test_plan_budget_table_sums_match_the_printed_totals(example_store):
    """The YAML quotes table 1: 'Pejlemærke 1: I alt 7.200 7.600 6.600 6.600' (1.000 kr.) and a total of
    11.000 for each of the years 2019-2022."""
    table = describe(example_store, ID + PLAN_2019, "da").table
    assert table.years == ["2019", "2020", "2021", "2022"]
    job = table.groups[0]
    assert job.label == "Job" and len(job.rows) == 4
    assert [job.computed[y] for y in table.years] == [7_200_000, 7_600_000, 6_600_000, 6_600_000]
    assert job.stated == job.computed
    assert [table.computed[y] for y in table.years] == [11_000_000] * 4 and table.stated == table.computed
    fritidsjob = next(r for g in table.groups for r in g.rows if r.label == "Fritidsjob")
    assert fritidsjob.amounts == {y: 1_600_000 for y in table.years}
    assert fritidsjob.sizes == ["110 unge i fritidsjob såfremt halvdelen får job i det offentlige."]
    assert [t.label for t in fritidsjob.target_groups] == ["Nyankomne unge flygtninge", "Unge med minoritetsbaggrund"]
    assert [r.label for r in fritidsjob.responsible] == ["Beskæftigelses- og Integrationsudvalget"]


def test_replaced_plan_names_its_successor_with_the_inverse_relation(example_store):
    old = describe(example_store, ID + "doc/koebenhavn/integrationshandleplan-2017-18", "da")
    assert {r.label: [v.iri for v in r.values] for r in old.relations}["afløses af"] == [ID + PLAN_2019]
    assert "afløses af" in {p.label for p in old.incoming} and "afløser" not in {p.label for p in old.incoming}
    new = describe(example_store, ID + PLAN_2019, "en")
    assert {r.label: [v.iri for v in r.values] for r in new.relations}["replaces"] == [
        ID + "doc/koebenhavn/integrationshandleplan-2017-18"]


def test_breadcrumb_has_every_level_even_when_the_plan_also_lists_the_initiative(store_from_turtle):
    store = store_from_turtle(SMALL.replace("pg:hasFocusArea <doc/t/plan/area> .",
                                            "pg:hasFocusArea <doc/t/plan/area> ; pg:hasInitiative <doc/t/plan/init> .")
                              .replace("<doc/t/plan/goal> a pg:Goal ;", "<doc/t/plan/goal> a pg:Goal ; pg:hasInitiative <doc/t/plan/init> ;"))
    crumbs = describe(store, ID + "doc/t/plan/init", "da").hierarchy
    assert [c.iri for c in crumbs] == [ID + "doc/t/plan", ID + "doc/t/plan/area", ID + "doc/t/plan/goal", ID + "doc/t/plan/init"]
