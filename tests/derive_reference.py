"""The derivation rules as SPARQL CONSTRUCTs: the specification `graph/pipeline/derive_rules.py` implements.

They were the engine until the national benchmark showed them at 50 s; they stay here, executable,
so that tests can check the Python rules against them on any graph.
"""
from __future__ import annotations

import pyoxigraph as ox

from graph.store import Store

DOCUMENT_KINDS = "VALUES ?kind { pg:Policy pg:Strategy pg:ActionPlan pg:Plan }"
PARTS = "(pg:hasFocusArea|pg:hasGoal|pg:hasInitiative|pg:hasBudgetLine|pg:hasSuccessCriterion)+"

# Each rule is (template, pattern) of a CONSTRUCT over the union of all graphs. Stage 1 reads the
# asserted graphs only; stage 2 also reads what stage 1 wrote, so its rules are simple joins on
# the flat links instead of property paths over the whole hierarchy again.
STAGE_1: list[tuple[str, str]] = [
    # SKOS: the transitive closure of broader, and narrower as its inverse.
    ("?a skos:broaderTransitive ?b . ?b skos:narrowerTransitive ?a", "?a skos:broader+ ?b"),
    # Which document a component belongs to, at any depth.
    ("?part pg:withinDocument ?doc . ?doc pg:includesInitiative ?part",
     f"?doc a ?kind . {DOCUMENT_KINDS} "
     "?doc (pg:hasFocusArea|pg:hasInitiative|pg:hasBudgetLine)+ ?part . ?part a pg:Initiative"),
    ("?part pg:withinDocument ?doc",
     f"?doc a ?kind . {DOCUMENT_KINDS} ?doc {PARTS} ?part FILTER NOT EXISTS {{ ?part a pg:Initiative }}"),
    ("?doc pg:includesGoal ?goal",
     f"?doc a ?kind . {DOCUMENT_KINDS} ?doc (pg:hasFocusArea|pg:hasGoal)+ ?goal . ?goal a pg:Goal"),
    # The target groups an initiative serves, however they were written.
    ("?i pg:servesTargetGroup ?group",
     "?i a pg:Initiative . { ?i dct:audience ?group } UNION { ?i pg:hasTargetGroupSize/pg:targetGroup ?group }"),
    # Amounts in kroner, whatever unit the table printed them in.
    ("?a pg:amountDKK ?dkk",
     "?a pg:fiscalYear ?year ; schema:value ?value . OPTIONAL { ?a pg:unitMultiplier ?m } "
     "BIND(?value * COALESCE(?m, 1) AS ?dkk)"),
    # The years a line is funded in, so periods compare without touching every allocation.
    ("?line pg:firstBudgetYear ?first ; pg:lastBudgetYear ?last",
     "{ SELECT ?line (MIN(?year) AS ?first) (MAX(?year) AS ?last) "
     "WHERE { ?line pg:hasBudgetAllocation/pg:fiscalYear ?year } GROUP BY ?line }"),
    # Symmetric and inverse links, so either direction can be asked.
    ("?b pg:coordinatesWith ?a", "?a pg:coordinatesWith ?b"),
    ("?old pg:continuedBy ?new", "?new pg:continues ?old"),
    ("?policy pg:implementedBy ?plan", "?plan pg:implements ?policy"),
]

STAGE_2: list[tuple[str, str]] = [
    # The groups an initiative reaches: those it serves and every broader group of them.
    ("?i pg:reachesTargetGroup ?group", "?i pg:servesTargetGroup ?group"),
    ("?i pg:reachesTargetGroup ?broader", "?i pg:servesTargetGroup ?group . ?group skos:broaderTransitive ?broader"),
    # The themes an initiative falls under: its own and every broader theme of them.
    ("?i pg:withinTheme ?theme", "?i a pg:Initiative ; dct:subject ?theme"),
    ("?i pg:withinTheme ?broader", "?i a pg:Initiative ; dct:subject ?theme . ?theme skos:broaderTransitive ?broader"),
    # The municipality of anything: a document's own, its components' through it, else a unit's.
    ("?x pg:inMunicipality ?m", "?x pg:municipality ?m"),
    ("?x pg:inMunicipality ?m", "?x pg:withinDocument ?doc . ?doc pg:municipality ?m"),
    ("?x pg:inMunicipality ?m",
     "?x pg:responsibleBody/org:unitOf* ?m . ?m a pg:Municipality FILTER NOT EXISTS { ?x pg:withinDocument ?doc }"),
    ("?unit pg:inMunicipality ?m", "?unit org:unitOf+ ?m . ?m a pg:Municipality"),
    # What a budget line counts towards: its document, the area holding it, the bearing above that.
    # (A funded line is one with a first budget year, from stage 1: one link per line, not per allocation.)
    ("?line pg:countsTowards ?doc", "?line pg:firstBudgetYear ?y ; pg:withinDocument ?doc"),
    ("?line pg:countsTowards ?area", "?area pg:hasInitiative|pg:hasBudgetLine ?line . ?line pg:firstBudgetYear ?y"),
    ("?line pg:countsTowards ?area",
     "?area pg:hasFocusArea ?sub . ?sub pg:hasInitiative|pg:hasBudgetLine ?line . ?line pg:firstBudgetYear ?y"),
    ("?line pg:countsTowards ?bearing",
     "?sub pg:underBearing ?bearing . ?sub pg:hasInitiative|pg:hasBudgetLine ?line . ?line pg:firstBudgetYear ?y"),
    # Who answers for an initiative or line: its own body, else its document's.
    ("?line pg:accountableBody ?body",
     "{ ?line a pg:Initiative } UNION { ?line pg:hasBudgetAllocation ?a } ?line pg:responsibleBody ?body"),
    ("?line pg:accountableBody ?body",
     "?line pg:withinDocument ?doc FILTER NOT EXISTS { ?line pg:responsibleBody ?own } "
     "?doc pg:responsibleBody|pg:adoptedBy|pg:preparedBy ?body"),
]
# The period of an initiative as the overlapping-initiatives question takes it.
PERIOD = """?%(i)s pg:servesTargetGroup|pg:reachesTargetGroup ?any%(i)s .
    OPTIONAL { ?%(i)s pg:firstBudgetYear ?bf%(i)s } OPTIONAL { ?%(i)s pg:lastBudgetYear ?bt%(i)s }
    OPTIONAL { ?%(i)s pg:validFrom ?vf%(i)s } OPTIONAL { ?%(i)s pg:fundingUntil|pg:validUntil ?vt%(i)s }
    OPTIONAL { ?%(i)s pg:withinDocument ?d%(i)s . OPTIONAL { ?d%(i)s pg:validFrom ?df%(i)s } OPTIONAL { ?d%(i)s pg:validUntil ?dt%(i)s } }
    BIND(COALESCE(?bf%(i)s, ?vf%(i)s, ?df%(i)s) AS ?f%(i)s) BIND(COALESCE(?bt%(i)s, ?vt%(i)s, ?dt%(i)s) AS ?t%(i)s)"""

# Pairs of initiatives that may overlap: the structural half of the overlapping-initiatives question.
STAGE_3: list[tuple[str, str]] = [
    ("?a pg:mayOverlapWith ?b . ?b pg:mayOverlapWith ?a", """
        { SELECT ?a ?g ?m WHERE { ?a pg:inMunicipality ?m ; pg:servesTargetGroup ?g } }
        { SELECT ?b ?g ?m WHERE { ?b pg:inMunicipality ?m ; pg:reachesTargetGroup ?g } }
        FILTER(?a != ?b)
        { SELECT ?a ?da ?ra ?m WHERE { ?a pg:inMunicipality ?m . OPTIONAL { ?a pg:withinDocument ?da } OPTIONAL { ?a pg:responsibleBody ?ra } } }
        { SELECT ?b ?db ?rb ?m WHERE { ?b pg:inMunicipality ?m . OPTIONAL { ?b pg:withinDocument ?db } OPTIONAL { ?b pg:responsibleBody ?rb } } }
        FILTER(!BOUND(?da) || !BOUND(?db) || ?da != ?db || (BOUND(?ra) && BOUND(?rb) && ?ra != ?rb))
        {
          { SELECT ?a ?t ?m WHERE { ?a pg:inMunicipality ?m ; dct:subject ?t } }
          { SELECT ?b ?t ?m WHERE { ?b pg:inMunicipality ?m ; pg:withinTheme ?t } }
        } UNION {
          { SELECT ?b ?t ?m WHERE { ?b pg:inMunicipality ?m ; dct:subject ?t } }
          { SELECT ?a ?t ?m WHERE { ?a pg:inMunicipality ?m ; pg:withinTheme ?t } }
        }
        { SELECT ?a ?fa ?ta WHERE { %s } }
        { SELECT ?b ?fb ?tb WHERE { %s } }
        FILTER(COALESCE(?fa <= ?tb, true) && COALESCE(?fb <= ?ta, true))""" % (PERIOD % {"i": "a"}, PERIOD % {"i": "b"})),
]
STAGE_2 += [
    # What a document is about: its own audience and subjects, its parts', its initiatives' groups.
    ("?doc pg:concernsTargetGroup ?g",
     f"?doc a ?kind . {DOCUMENT_KINDS} {{ ?doc dct:audience ?g }} UNION {{ ?x pg:withinDocument ?doc ; dct:audience ?g }} "
     "UNION { ?doc pg:includesInitiative/pg:servesTargetGroup ?g }"),
    ("?doc pg:concernsTheme ?t",
     f"?doc a ?kind . {DOCUMENT_KINDS} {{ ?doc dct:subject ?t }} UNION {{ ?x pg:withinDocument ?doc ; dct:subject ?t }}"),
]
STAGE_3 += [
    # Which municipalities have an initiative reaching a group (the group itself or a narrower one).
    ("?g pg:reachedInMunicipality ?m", "?i pg:reachesTargetGroup ?g ; pg:inMunicipality ?m"),
]
STAGES = (STAGE_1, STAGE_2, STAGE_3)


def reference_triples(store: Store) -> set[tuple]:
    """Every triple the rules derive from what the store holds (its derived graph must be empty)."""
    derived: set[tuple] = set()
    for rules in STAGES:
        new = set()
        for template, pattern in rules:
            for t in store.query(f"CONSTRUCT {{ {template} }} WHERE {{ {pattern} }}"):
                new.add((t.subject, t.predicate, t.object))
        derived |= new
        graph = ox.NamedNode("https://w3id.org/policygraph/id/graph/derived")
        store.append([ox.Quad(s, p, o, graph) for s, p, o in new])  # stage 2 reads stage 1
    return derived
