"""Figures about what the store holds: statements per graph and instances per class."""
from __future__ import annotations

from graph.store import Store

_CLASS_COUNTS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) (SAMPLE(?l) AS ?label) WHERE {
  ?s a ?class .
  FILTER(STRSTARTS(STR(?class), "https://w3id.org/policygraph/ontology#") || ?class = skos:Concept)
  OPTIONAL { ?class rdfs:label ?l FILTER(LANG(?l) = ?lang) }
} GROUP BY ?class ORDER BY DESC(?n) ?class
"""

_GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def store_stats(store: Store, lang: str = "en") -> dict:
    graphs = [{"graph": r["g"].value, "statements": int(r["n"].value)} for r in store.query(_GRAPH_COUNTS)]
    classes = []
    for row in store.query(_CLASS_COUNTS, {"lang": lang}):
        iri = row["class"].value
        label = row["label"].value if row["label"] is not None else iri.rsplit("#", 1)[-1]
        classes.append({"class": iri, "label": label, "count": int(row["n"].value)})
    return {"statements": sum(g["statements"] for g in graphs), "graphs": graphs, "classes": classes}
