"""Figures about what the store holds: statements per graph and instances per class."""
from __future__ import annotations

from graph.store import Store
from graph.store.labels import Labeller

_CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?class .
  FILTER(STRSTARTS(STR(?class), STR(pg:)) || ?class = skos:Concept)
} GROUP BY ?class ORDER BY DESC(?n) ?class
"""

_GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def store_stats(store: Store, lang: str = "en") -> dict:
    own = set(store.graphs())  # not a remote engine's own graphs (Virtuoso's system graphs)
    graphs = [{"graph": r["g"].value, "statements": int(r["n"].value)} for r in store.query(_GRAPH_COUNTS)
              if r["g"].value in own]
    counts = [(row["class"].value, int(row["n"].value)) for row in store.query(_CLASS_COUNTS)]
    labels = Labeller(store, lang)
    labels.load(iri for iri, _ in counts)
    classes = [{"class": iri, "label": labels(iri), "count": count} for iri, count in counts]
    return {"statements": sum(g["statements"] for g in graphs), "graphs": graphs, "classes": classes}
