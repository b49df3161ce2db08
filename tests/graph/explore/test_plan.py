"""The plan page's data: structure in the document's order, the table of initiatives with computed
and stated (sub-)totals, relations named in each direction."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.explore.plan import inverse_label, inverses, key_relations, linked_table, plan_table, structure
from graph.store.labels import Labeller

ID = "https://w3id.org/policygraph/id/"

PLAN = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/policygraph/id/> .

<p> a pg:ActionPlan ; dct:title "Planen"@da , "The plan"@en ; pg:hasFocusArea <p/b> , <p/a> ;
  pg:hasInitiative <p/i1> , <p/i2> , <p/i3> ; pg:hasBudgetLine <p/pool> ; dct:replaces <old> .
<old> a pg:ActionPlan ; dct:title "Gammel plan"@da .
<new> a pg:ActionPlan ; dct:title "Ny plan"@da ; dct:replaces <p> .
<p/b> a pg:FocusArea ; skos:prefLabel "Beta"@da ; pg:documentTerm "indsatsområde"@da ; skos:notation "1" ;
  pg:positionInSource 1 ; pg:underBearing <pol/b1> ; pg:hasInitiative <p/i2> , <p/i1> .
<p/a> a pg:FocusArea ; skos:prefLabel "Alfa"@da ; skos:notation "2" ; pg:positionInSource 2 ;
  pg:underBearing <pol/b2> ; pg:hasInitiative <p/i3> .
<pol/b1> a pg:Bearing ; skos:prefLabel "Spor 1"@da .
<pol/b2> a pg:Bearing ; skos:prefLabel "Spor 2"@da .
<p/i1> a pg:Initiative ; skos:prefLabel "Zeta"@da ; pg:positionInSource 1 ; skos:notation "1.1" ;
  dct:audience <tg/unge> ; pg:responsibleBody <org/udvalg> ;
  pg:hasTargetGroupSize [ pg:targetGroup <tg/unge> ; pg:annualSize 30 ; pg:asStated "Min. 30 unge"@da ] ;
  pg:hasBudgetAllocation [ pg:fiscalYear "2021"^^xsd:gYear ; schema:value 200 ; pg:unitMultiplier 1000 ] ,
                         [ pg:fiscalYear "2020"^^xsd:gYear ; schema:value 100 ; pg:unitMultiplier 1000 ] .
<p/i2> a pg:Initiative ; skos:prefLabel "Alfa-indsats"@da ; pg:positionInSource 2 ; skos:notation "1.2" ;
  pg:accountableBody <org/udvalg> ;
  pg:hasBudgetAllocation [ pg:fiscalYear "2020"^^xsd:gYear ; schema:value 50 ; pg:unitMultiplier 1000 ] .
<p/i3> a pg:Initiative ; skos:prefLabel "Midt"@da ; pg:positionInSource 3 ; skos:notation "2.1" ;
  pg:hasBudgetAllocation [ pg:fiscalYear "2020"^^xsd:gYear ; schema:value 10 ; pg:unitMultiplier 1000 ] .
<p/pool> pg:positionInSource 1 ; skos:prefLabel "Pulje"@da ;
  pg:hasBudgetAllocation [ pg:fiscalYear "2021"^^xsd:gYear ; schema:value 5 ; pg:unitMultiplier 1000 ] .
<tg/unge> a pg:TargetGroup ; skos:prefLabel "Unge"@da .
<org/udvalg> a pg:Committee ; skos:prefLabel "Udvalget"@da .
[] a pg:StatedTotal ; pg:totalFor <pol/b1> ; pg:fiscalYear "2020"^^xsd:gYear ; schema:value 150 ; pg:unitMultiplier 1000 .
[] a pg:StatedTotal ; pg:totalFor <p> ; pg:fiscalYear "2020"^^xsd:gYear ; schema:value 999 ; pg:unitMultiplier 1000 .
"""


@pytest.fixture
def plan(store_from_turtle):
    return store_from_turtle(PLAN)


def _walk(parts, depth=0):
    for part in parts:
        yield depth, part.notation, part.label
        yield from _walk(part.children, depth + 1)


def test_structure_follows_the_source_order_not_the_alphabet_and_nests_each_part_once(plan):
    parts = structure(plan, ox.NamedNode(ID + "p"), Labeller(plan, "da"))
    assert list(_walk(parts)) == [(0, "1", "Beta"), (1, "1.1", "Zeta"), (1, "1.2", "Alfa-indsats"),
                                  (0, "2", "Alfa"), (1, "2.1", "Midt"), (0, "", "Pulje")]
    assert parts[0].term == "indsatsområde", "the document's own word for the level"


def test_table_groups_by_bearing_with_computed_and_stated_subtotals_and_totals(plan):
    labels = Labeller(plan, "da")
    node = ox.NamedNode(ID + "p")
    table = plan_table(plan, node, structure(plan, node, labels), labels)
    assert table.years == ["2020", "2021"]
    assert [(g.label, [r.label for r in g.rows]) for g in table.groups] == [
        ("Spor 1", ["Zeta", "Alfa-indsats"]), ("Spor 2", ["Midt"]), ("", ["Pulje"])]
    first = table.groups[0]
    assert first.computed == {"2020": 150_000.0, "2021": 200_000.0} and first.stated == {"2020": 150_000.0}
    assert table.computed == {"2020": 160_000.0, "2021": 205_000.0}
    assert table.stated == {"2020": 999_000.0}, "the printed total is kept beside the computed one, not corrected"
    zeta, alfa = first.rows
    assert [t.label for t in zeta.target_groups] == ["Unge"] and zeta.sizes == ["Min. 30 unge"]
    assert [r.label for r in zeta.responsible] == ["Udvalget"] and not zeta.responsible_derived
    assert [r.label for r in alfa.responsible] == ["Udvalget"] and alfa.responsible_derived


def test_a_target_group_or_body_lists_the_initiatives_that_point_at_it(plan):
    table = linked_table(plan, ox.NamedNode(ID + "tg/unge"), Labeller(plan, "da"))
    assert [(g.label, [r.label for r in g.rows]) for g in table.groups] == [("Planen", ["Zeta"])]  # grouped by its document
    assert linked_table(plan, ox.NamedNode(ID + "p/i3"), Labeller(plan, "da")) is None


def test_replaces_reads_replaced_by_from_the_other_side_in_both_languages(plan):
    for lang, forward, backward in (("da", "afløser", "afløses af"), ("en", "replaces", "replaced by")):
        found = {r.key: (r.label, [v.label for v in r.values])
                 for r in key_relations(plan, ox.NamedNode(ID + "p"), Labeller(plan, lang))}
        assert found["replaces"] == (forward, ["Gammel plan"])
        assert found["replaced_by"] == (backward, ["Ny plan"])


def test_inverse_names_come_from_the_ontology_when_it_declares_the_inverse(plan):
    labels = Labeller(plan, "da")
    declared = inverses(plan)
    assert inverse_label("https://w3id.org/policygraph/ontology#continues", labels, declared) == "videreføres af"
    assert inverse_label("http://purl.org/dc/terms/replaces", labels, declared) == "afløses af"
    assert inverse_label("http://example.org/unknown", labels, declared) == ""
