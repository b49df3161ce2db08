"""A small graph that conforms to the shapes, and the mutations that break it: the shared material of
the ontology, validation and SHACL-SPARQL tests."""
from __future__ import annotations

import rdflib

GOOD = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://w3id.org/policygraph/id/t/> .

:src a pg:SourceDocument ; pg:fileName "t.txt" ; dct:title "Testkilde"@da , "Test source"@en ;
    dct:publisher :kommune .
:kommune a pg:Municipality ; skos:prefLabel "Testby Kommune"@da , "Testby Municipality"@en ;
    prov:wasDerivedFrom [ pg:inDocument :src ; pg:locator "side 1" ; pg:quotation "Testby Kommune"@da ] .
:udvalg a pg:Committee ; skos:prefLabel "Testudvalget"@da , "Test Committee"@en ; org:unitOf :kommune ;
    prov:wasDerivedFrom [ pg:inDocument :src ; pg:locator "side 1" ; pg:quotation "Testudvalget"@da ] .
:tg a skos:ConceptScheme ; skos:prefLabel "Målgrupper"@da , "Target groups"@en .
:tg-unge a skos:Concept , pg:TargetGroup ; skos:inScheme :tg ; skos:topConceptOf :tg ;
    skos:prefLabel "Unge"@da , "Young people"@en .
:plan a pg:ActionPlan ; dct:title "Testplan 2019-22"@da , "Test plan 2019-22"@en ;
    pg:municipality :kommune ; pg:status pg:Adopted ; pg:validFrom "2019"^^xsd:gYear ; pg:validUntil "2022"^^xsd:gYear ;
    pg:adoptedBy :udvalg ;
    prov:wasDerivedFrom [ pg:inDocument :src ; pg:locator "side 2" ; pg:quotation "Testplan 2019-22"@da ] ;
    pg:hasGoal :maal ;
    pg:hasInitiative :indsats ;
    pg:hasStatedTotal :total ;
    pg:hasProcessStep :trin .
:maal a pg:Goal ; skos:prefLabel "Flere unge i job"@da , "More young people in work"@en ;
    pg:responsibleBody :udvalg ;
    prov:wasDerivedFrom [ pg:inDocument :src ; pg:locator "side 3" ; pg:quotation "Flere unge i job"@da ] .
:indsats a pg:Initiative ; skos:prefLabel "Fritidsjob"@da , "Leisure-time jobs"@en ;
    pg:supports :maal ; dct:audience :tg-unge ; pg:evidenceBased true ;
    pg:hasTargetGroupSize [ pg:targetGroup :tg-unge ; pg:annualSize 110 ; pg:sizeQualifier pg:Exactly ;
                            pg:asStated "110 unge i fritidsjob"@da ] ;
    pg:hasBudgetAllocation :alloc2019 ;
    prov:wasDerivedFrom [ pg:inDocument :src ; pg:locator "tabel 1" ; pg:quotation "Fritidsjob 1.600"@da ] .
:alloc2019 pg:fiscalYear "2019"^^xsd:gYear ; schema:value 1600.0 ; schema:currency "DKK" ;
    pg:unitMultiplier 1000 ; pg:perYear true .
:total a pg:StatedTotal ; pg:totalFor :plan ; pg:fiscalYear "2019"^^xsd:gYear ;
    schema:value 1600.0 ; schema:currency "DKK" ; pg:unitMultiplier 1000 .
:trin a pg:ProcessStep ; pg:stepType pg:Adoption ; prov:wasAssociatedWith :udvalg ;
    prov:used :plan ; pg:date "2018-12-13"^^xsd:date ; pg:dateAsStated "13. december"@da ;
    skos:prefLabel "Udvalget vedtager planen"@da , "The committee adopts the plan"@en ;
    prov:wasDerivedFrom [ pg:inDocument :src ; pg:locator "side 4" ; pg:quotation "13. december"@da ] .
"""

PREFIXES = GOOD.split(":src a")[0]

# A second plan of the same municipality sharing no group or theme with :plan (so only a workshop decision
# links them), with a goal, and a persona: what workshop decisions are about in the tests.
SECOND_PLAN = """
:plan2 a pg:ActionPlan ; dct:title "Anden plan"@da , "Second plan"@en ; pg:municipality :kommune ;
    pg:status pg:Adopted ; pg:validFrom "2019"^^xsd:gYear ; pg:validUntil "2022"^^xsd:gYear ; pg:adoptedBy :udvalg ;
    prov:wasDerivedFrom [ pg:inDocument :src ; pg:locator "side 5" ; pg:quotation "Anden plan"@da ] ;
    pg:hasGoal :maal2 .
:maal2 a pg:Goal ; skos:prefLabel "Færre unge uden uddannelse"@da , "Fewer young people without education"@en ;
    pg:responsibleBody :udvalg ;
    prov:wasDerivedFrom [ pg:inDocument :src ; pg:locator "side 6" ; pg:quotation "Færre unge"@da ] .
:persona a pg:Persona ; skos:prefLabel "Moren Amina"@da , "Amina, the mother"@en ;
    prov:wasDerivedFrom [ pg:inDocument :src ; pg:locator "side 7" ; pg:quotation "Moren Amina"@da ] .
"""


def good_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(data=GOOD, format="turtle")


def mutate(delete: str = "", insert: str = "") -> rdflib.Graph:
    graph = good_graph()
    if delete:
        graph.update(PREFIXES.replace("@prefix", "PREFIX").replace(" .\n", "\n") +
                     f"DELETE WHERE {{ {delete} }}")
    if insert:
        graph.parse(data=PREFIXES + insert, format="turtle")
    return graph


WARNING_CASES = {
    "initiative without budget": (":indsats pg:hasBudgetAllocation ?a . ?a ?p ?o .", "", "/indsats"),
    "initiative without target group": (":indsats dct:audience ?g ; pg:hasTargetGroupSize ?s . ?s ?p ?o .", "", "/indsats"),
    "goal without responsible body": (":maal pg:responsibleBody ?r .", "", "/maal"),
    "initiative serving nothing": (":indsats pg:supports ?g .", "", "/indsats"),
    "document without municipality": (":plan pg:municipality ?m .", "", "/plan"),
    "process step without type": (":trin pg:stepType ?t .", "", "/trin"),
    "process step without any date": (":trin pg:date ?d ; pg:dateAsStated ?s .", "", "/trin"),
    "stated total that does not add up": (":total schema:value ?v .", ":total schema:value 1700.0 .", "/total"),
    "funding stops before the period ends": ("", ":plan pg:fundingUntil \"2020\"^^xsd:gYear .", "/plan"),
    "broader concept in another scheme": ("", ":theme a skos:ConceptScheme ; skos:prefLabel \"Temaer\"@da , \"Themes\"@en . "
                                          ":theme-x a skos:Concept , pg:Theme ; skos:inScheme :theme ; skos:broader :tg-unge ; "
                                          "skos:prefLabel \"X\"@da , \"X\"@en .", "/theme-x"),
}
