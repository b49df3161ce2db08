"""A question's answer as JSON, in one shape for every program that asks: `/questions/<id>.json`
and `policygraph ask ID --format json` both print `answer_json` (the web adds its own URLs), so a
script written against one works against the other.

The shape: the question (id, kind, title, question, description, typed parameters) in the reader's
language, the parameters given, the columns, one object per row with each bound variable as a
SPARQL 1.1 JSON term (plus `label` for IRIs that have one), the time taken, and on request the
evidence behind each row.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

import pyoxigraph as ox

from graph.questions.explain import Evidence
from graph.questions.library import NamedQuery, QueryResult, text_in
from graph.questions.workshop_scope import WorkshopUse
from graph.store.answers import term_json
from graph.store.labels import Labeller

MAX_LABELLED = 2000     # IRIs labelled in one query


def labels_for(store: Any, iris: Iterable[str], lang: str) -> dict[str, str]:
    """The name of each IRI (graph.store.labels), read in one query; a huge table names its first
    MAX_LABELLED IRIs and shows the rest in their short form."""
    nodes = sorted({i for i in iris if i})[:MAX_LABELLED]
    labeller = Labeller(store, lang)
    labeller.load(nodes)
    return {iri: labeller(iri) for iri in nodes}


def question_json(named: NamedQuery, lang: str) -> dict[str, Any]:
    """What a question is and what it takes, in the reader's language."""
    return {"id": named.id, "kind": named.kind, "title": text_in(named.title, lang),
            "question": text_in(named.question, lang), "description": text_in(named.description, lang),
            "parameters": [{"name": p.name, "type": p.type, "label": text_in(p.label, lang),
                            "required": p.required, "default": None if p.default is None else str(p.default)}
                           for p in named.parameters]}


def answer_json(store: Any, named: NamedQuery, result: QueryResult, given: Mapping[str, str], lang: str,
                evidence: list[list[Evidence]] | None = None, workshops: WorkshopUse | None = None) -> dict[str, Any]:
    """The question, its answer and (when given) the evidence of each row, as plain JSON values;
    `workshop_decisions` says whether they were left out or else whether the answer rests on them."""
    labels = labels_for(store, [t.value for row in result.rows for t in row.values() if isinstance(t, ox.NamedNode)],
                        lang)

    def term(t: Any) -> dict[str, str]:
        labelled = isinstance(t, ox.NamedNode) and t.value in labels
        return {**term_json(t), **({"label": labels[t.value]} if labelled else {})}

    body: dict[str, Any] = {**question_json(named, lang), "parameters_given": dict(given), "columns": result.columns,
                            "rows": [{c: term(t) for c, t in row.items() if t is not None} for row in result.rows],
                            "elapsed": round(result.elapsed, 4), "kept": result.kept,
                            "ranked_by": text_in(named.ranked_by, lang) or None,
                            "workshop_decisions": (workshops or WorkshopUse(False, False)).as_json()}
    if evidence is not None:
        body["evidence"] = [[e.__dict__ for e in items] for items in evidence]
    return body
