"""What a workshop works on, read from the graph: the plans, bodies, goals, initiatives, personas and
target groups in its scope, the gaps and overlaps worth a dot, and which initiatives reach a group.

Every value a person chose (a municipality, plans, groups) is bound as a parameter, never pasted
into the query text. Results are IRIs in a fixed order; the web layer labels them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pyoxigraph as ox

from graph.questions.library import library, run_named
from graph.store import Store

PREFIXES = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
PLAN_KINDS = "pg:Policy pg:Strategy pg:ActionPlan pg:Plan"
BODY_KINDS = "pg:Committee pg:Administration pg:CityCouncil pg:AdvisoryBody"
TARGET_KINDS = "pg:Goal pg:FocusArea"   # what cross-impact scores: goals, and focus areas where plans state no goals


@dataclass(frozen=True)
class SeedWorkshop:
    """A workshop the documents describe (the bundled persona exercise), ready to run."""
    iri: str
    about: str | None
    municipality: str | None
    personas: tuple[str, ...]


def _values(name: str, iris: Iterable[str]) -> str:
    """A VALUES block of IRIs: only ones that parse as IRIs reach the text (pyoxigraph checks them)."""
    return f"VALUES ?{name} {{ {' '.join(str(ox.NamedNode(i)) for i in iris)} }}"


def _column(store: Store, sparql: str, bindings: dict | None = None, var: str = "x") -> list[str]:
    return [row[var].value for row in store.query(PREFIXES + sparql, bindings or {}) if row[var] is not None]


def municipalities(store: Store) -> list[str]:
    return _column(store, f"SELECT DISTINCT ?x WHERE {{ VALUES ?k {{ {PLAN_KINDS} }} ?d a ?k ; pg:municipality ?x }} ORDER BY ?x")


def plans(store: Store, municipality: str) -> list[str]:
    return _column(store, f"SELECT DISTINCT ?x WHERE {{ VALUES ?k {{ {PLAN_KINDS} }} ?x a ?k ; pg:municipality ?m }} ORDER BY ?x",
                   {"m": ox.NamedNode(municipality)})


def bodies(store: Store, municipality: str) -> list[str]:
    """Committees, administrations and councils that prepare, adopt or answer for the municipality's plans."""
    return _column(store, f"""SELECT DISTINCT ?x WHERE {{
        VALUES ?k {{ {BODY_KINDS} }} ?x a ?k .
        {{ ?d pg:municipality ?m ; pg:preparedBy|pg:adoptedBy|pg:responsibleBody ?x }}
        UNION {{ ?i pg:inMunicipality ?m ; pg:responsibleBody ?x }} }} ORDER BY ?x""", {"m": ox.NamedNode(municipality)})


def parts(store: Store, plan_iris: list[str], kinds: str) -> list[str]:
    """The goals, focus areas or initiatives that stand in these plans, plan by plan."""
    if not plan_iris:
        return []
    return _column(store, f"""SELECT ?x WHERE {{ {_values('d', plan_iris)} VALUES ?k {{ {kinds} }}
        ?x a ?k ; pg:withinDocument ?d }} GROUP BY ?x ORDER BY MIN(STR(?d)) ?x""")


def personas(store: Store, workshop_iri: str) -> list[str]:
    return _column(store, "SELECT ?x WHERE { ?w pg:hasPersona ?x OPTIONAL { ?x skos:notation ?n } } ORDER BY ?n ?x",
                   {"w": ox.NamedNode(workshop_iri)})


def target_groups(store: Store, municipality: str | None) -> list[str]:
    """The groups the municipality's documents concern, and the groups above them."""
    if municipality is None:
        return _column(store, "SELECT ?x WHERE { ?x a pg:TargetGroup } ORDER BY ?x")
    return _column(store, """SELECT DISTINCT ?x WHERE {
        ?d pg:municipality ?m ; pg:concernsTargetGroup ?g . ?g skos:broader* ?x . ?x a pg:TargetGroup } ORDER BY ?x""",
                   {"m": ox.NamedNode(municipality)})


def reach(store: Store, groups: list[str]) -> dict[str, list[str]]:
    """For each group, the initiatives that serve it or a broader group it belongs to: what a persona
    in that group can count on. A group with none is a gap the table can see at once."""
    if not groups:
        return {}
    found: dict[str, list[str]] = {g: [] for g in groups}
    sparql = f"""SELECT DISTINCT ?g ?i WHERE {{ {_values('g', groups)}
        ?g skos:broader* ?b . ?i pg:servesTargetGroup ?b }} ORDER BY ?g ?i"""
    for row in store.query(PREFIXES + sparql):
        found[row["g"].value].append(row["i"].value)
    return found


def seed_workshops(store: Store) -> list[SeedWorkshop]:
    """The workshops the documents describe, with what they are about and their personas."""
    rows = store.query(PREFIXES + """SELECT ?w (SAMPLE(?a) AS ?about) (SAMPLE(?m) AS ?municipality) WHERE {
        ?w a pg:Workshop . OPTIONAL { ?w prov:used ?a OPTIONAL { ?a pg:municipality|pg:inMunicipality ?m } } }
        GROUP BY ?w ORDER BY ?w""")
    return [SeedWorkshop(r["w"].value, r["about"].value if r["about"] else None,
                         r["municipality"].value if r["municipality"] else None,
                         tuple(personas(store, r["w"].value))) for r in rows]


def findings(store: Store, municipality: str, lang: str) -> list[str]:
    """Gaps and overlaps for dot voting, from the question library: items `gap:<iri>` (a goal no
    initiative carries out, a target group no initiative reaches) and `overlap:<iri> <iri>`."""
    items: list[str] = []
    questions = library()
    for qid, column in (("goals-without-initiative", "goal"), ("target-groups-without-initiative", "group")):
        if qid in questions:
            result = run_named(store, questions[qid], {"municipality": municipality}, lang)
            items += [f"gap:{row[column].value}" for row in result.rows if row.get(column) is not None]
    if "overlapping-initiatives" in questions:
        result = run_named(store, questions["overlapping-initiatives"], {"municipality": municipality}, lang)
        items += [f"overlap:{row['initiative1'].value} {row['initiative2'].value}" for row in result.rows
                  if row.get("initiative1") is not None and row.get("initiative2") is not None]
    return list(dict.fromkeys(items))
