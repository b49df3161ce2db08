"""What the front page shows: the documents in the graph, per municipality, in the reader's language."""
from __future__ import annotations

from dataclasses import dataclass

from graph.store import Store

_DOCUMENTS = """
PREFIX pg: <https://w3id.org/policygraph/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?doc ?kind (SAMPLE(?t) AS ?title) (SAMPLE(?m) AS ?municipality) (SAMPLE(?from) AS ?start) (SAMPLE(?to) AS ?end)
WHERE {
  VALUES ?class { pg:Policy pg:Strategy pg:ActionPlan pg:Plan }
  ?doc a ?class .
  ?class rdfs:label ?kind . FILTER(LANG(?kind) = ?lang)
  OPTIONAL { ?doc dct:title ?tl FILTER(LANG(?tl) = ?lang) }
  OPTIONAL { ?doc dct:title ?td FILTER(LANG(?td) = "da") }
  BIND(COALESCE(?tl, ?td) AS ?t)
  OPTIONAL { ?doc pg:municipality/skos:prefLabel ?m FILTER(LANG(?m) = ?lang) }
  OPTIONAL { ?doc pg:validFrom ?from }
  OPTIONAL { ?doc pg:validUntil ?to }
}
GROUP BY ?doc ?kind
ORDER BY (!BOUND(?municipality)) ?municipality ?start ?title
"""


@dataclass(frozen=True)
class DocumentRow:
    iri: str
    kind: str
    title: str
    municipality: str
    period: str


def list_documents(store: Store, lang: str) -> list[DocumentRow]:
    rows = []
    for r in store.query(_DOCUMENTS, {"lang": lang}):
        start = r["start"].value if r["start"] is not None else ""
        end = r["end"].value if r["end"] is not None else ""
        period = start if start == end else f"{start}–{end}" if start and end else start or (f"–{end}" if end else "")
        rows.append(DocumentRow(r["doc"].value, r["kind"].value[:1].upper() + r["kind"].value[1:], r["title"].value if r["title"] else r["doc"].value,
                                r["municipality"].value if r["municipality"] else "", period))
    return rows
