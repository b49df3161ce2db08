"""What the front page shows: the documents in the graph, per municipality, in the reader's language."""
from __future__ import annotations

from dataclasses import dataclass

from graph.store import Store
from graph.store.labels import Labeller

_DOCUMENTS = """
SELECT ?doc ?class (SAMPLE(?m) AS ?municipality) (SAMPLE(?from) AS ?start) (SAMPLE(?to) AS ?end)
WHERE {
  VALUES ?class { pg:Policy pg:Strategy pg:ActionPlan pg:Plan }
  ?doc a ?class .
  OPTIONAL { ?doc pg:municipality ?m }
  OPTIONAL { ?doc pg:validFrom ?from }
  OPTIONAL { ?doc pg:validUntil ?to }
}
GROUP BY ?doc ?class
"""


@dataclass(frozen=True)
class DocumentRow:
    iri: str
    kind: str
    title: str
    municipality: str
    period: str


def _period(start: str, end: str) -> str:
    return start if start == end else f"{start}–{end}" if start and end else start or (f"–{end}" if end else "")


def list_documents(store: Store, lang: str) -> list[DocumentRow]:
    """Every document with its kind, name, municipality and period; documents without a municipality
    last, then by municipality, first year, name and IRI."""
    found = list(store.query(_DOCUMENTS))
    labels = Labeller(store, lang)
    labels.load(r[v].value for r in found for v in ("doc", "class", "municipality") if r[v] is not None)
    rows = []
    for r in found:
        kind = labels(r["class"].value)
        rows.append(DocumentRow(r["doc"].value, kind[:1].upper() + kind[1:], labels(r["doc"].value),
                                labels(r["municipality"].value) if r["municipality"] is not None else "",
                                _period(*(r[v].value if r[v] is not None else "" for v in ("start", "end")))))
    starts = {r["doc"].value: r["start"].value if r["start"] is not None else "" for r in found}
    return sorted(rows, key=lambda d: (not d.municipality, d.municipality, starts[d.iri], d.title, d.iri))
