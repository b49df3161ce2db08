"""What the plan edit form offers to link to: the target groups, goals, bodies, plans and initiatives
the store knows, as IRIs under the data base (the only ones an authoring file can name by id).

Plain IRIs in a fixed order; the web layer labels and sorts them by name, so no IRI is ever shown.
"""
from __future__ import annotations

from graph.store import Store
from ontology import base_iri

PREFIXES = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# The edit form's kinds of target, by the classes an authoring key may point at.
KINDS = {
    "targetGroups": "pg:TargetGroup",
    "supports": "pg:Goal pg:Bearing pg:FocusArea pg:SuccessCriterion",
    "responsible": "pg:Committee pg:Administration pg:CityCouncil pg:AdvisoryBody",
    "replaces": "pg:Policy pg:Strategy pg:ActionPlan pg:Plan",
    "continues": "pg:Initiative",
}
MAX_CHOICES = 3000


def choices(store: Store, key: str, exclude_prefix: str = "") -> list[str]:
    """The IRIs of the kind `key` links to, those under our base only, without the ones whose id starts
    with `exclude_prefix` (a plan's own initiatives are not what it continues)."""
    base = base_iri()
    rows = store.query(PREFIXES + f"SELECT DISTINCT ?x WHERE {{ VALUES ?k {{ {KINDS[key]} }} ?x a ?k }} "
                                  f"ORDER BY ?x LIMIT {MAX_CHOICES}")
    found = [row["x"].value for row in rows if row["x"] is not None]
    return [iri for iri in found if iri.startswith(base)
            and not (exclude_prefix and iri[len(base):].startswith(exclude_prefix))]
