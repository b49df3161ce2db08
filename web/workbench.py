"""The query workbench at `/workbench`: YASGUI for people with JavaScript, and a plain form for everyone.

Every result has a bookmarkable URL (`/workbench?query=...`): the page renders the answer on the server
as an accessible HTML table, so it works without JavaScript, with a screen reader and from a link in an
e-mail, and offers the same answer as CSV or JSON through `/sparql?format=`. YASGUI is vendored and
configured to talk only to our own `/sparql`: its remote autocompleters (LOV, prefix.cc) are replaced
by completions drawn from our ontology and query library, so the page makes no third-party requests.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, current_app, g, render_template, request, url_for

from graph.sparql.bindings import inline_values
from graph.questions.answer import labels_for
from graph.questions.library import NamedQuery, QueryParameterError, bind_parameters, library
from graph.questions.results import compact
from graph.sparql.text import declared_prefixes, prefixed_names
from ontology import OWL, RDFS, XSD, all_prefixes, base_iri
from ontology.texts import translate
from web.errors import Problem
from web.links import resource_url
from web.sparql import Answer, QueryRefused, evaluate_request

bp = Blueprint("workbench", __name__)

SHOWN_ROWS = 1000  # rows rendered as HTML; the downloads carry up to RESULT_LIMIT
_DECLARED_TERMS = """
SELECT DISTINCT ?term ?type WHERE {
  VALUES ?type { rdf:Property owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty owl:Class rdfs:Class }
  ?term a ?type . FILTER(isIRI(?term))
} LIMIT 5000
"""
_NUMERIC = {"integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger",
            "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong"}
_CLASS_TYPES = {OWL + "Class", RDFS + "Class"}


# ------------------------------------------------------------------------------ cells
@dataclass(frozen=True)
class Cell:
    """One result value as a page shows it: text, and a link for IRIs."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    blank: bool = False
    numeric: bool = False


def cell(term: Any, labels: dict[str, str] | None = None) -> Cell:
    if term is None:
        return Cell("")
    if isinstance(term, ox.NamedNode):
        return Cell((labels or {}).get(term.value) or compact(term), resource_url(term.value), term.value)
    if isinstance(term, ox.Literal):
        numeric = term.datatype.value.rsplit("#", 1)[-1] in _NUMERIC and term.datatype.value.startswith(XSD)
        return Cell(term.value, lang=term.language or None, numeric=numeric)
    if isinstance(term, ox.BlankNode):
        return Cell(f"_:{term.value}", blank=True)
    return Cell(str(term))


def answer_table(answer: Answer, store: Any, lang: str, shown: int | None = None) -> dict[str, Any]:
    """Columns and rows of cells for the results table, labels looked up for the IRIs shown."""
    shown = SHOWN_ROWS if shown is None else shown
    if answer.kind == "graph":
        columns = ["subject", "predicate", "object"]
        raw = [[t.subject, t.predicate, t.object] for t in answer.triples[:shown]]
    else:
        columns, raw = answer.variables, answer.rows[:shown]
    iris = [t.value for row in raw for t in row if isinstance(t, ox.NamedNode)]
    labels = labels_for(store, iris, lang)
    total = len(answer.triples) if answer.kind == "graph" else len(answer.rows)
    return {"columns": columns, "rows": [[cell(t, labels) for t in row] for row in raw],
            "total": total, "shown": min(total, shown)}


# ------------------------------------------------------------------------------ queries for the editor
def used_prefix_lines(sparql: str) -> str:
    """PREFIX lines for the standard prefixes a query uses and does not declare, so it runs anywhere."""
    declared = declared_prefixes(sparql)
    used = {prefix for prefix, _ in prefixed_names(sparql)}
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in all_prefixes().items()
                   if prefix in used and prefix not in declared)


def editor_text(named: NamedQuery, bindings: dict[str, Any] | None, lang: str) -> str:
    """A library question as a self-contained query: comment header, PREFIX lines, values bound inline."""
    body = named.sparql.strip("\n")
    if bindings:
        body = inline_values(body, bindings)
    header = f"# {named.title.get(lang) or named.title['en']}\n# {named.question.get(lang) or named.question['en']}\n"
    return header + used_prefix_lines(body) + body + "\n"


def example_queries(store: Any, lang: str) -> list[dict[str, str]]:
    """The query library as editor examples, with default parameter values and ?lang bound."""
    examples = []
    for named in library().values():
        try:
            bindings = bind_parameters(store, named, {}, lang)
        except QueryParameterError:
            bindings = {}
        examples.append({"id": named.id, "kind": named.kind, "title": named.title.get(lang) or named.title["en"],
                         "query": editor_text(named, bindings, lang)})
    return examples


def completion_terms(store: Any) -> dict[str, list[str]]:
    """Properties and classes for the editor's autocompletion: declared in our ontology or used in
    the library's queries (this replaces YASGUI's calls to the LOV service)."""
    properties, classes = set(), set()
    for row in store.query(_DECLARED_TERMS):
        (classes if row["type"].value in _CLASS_TYPES else properties).add(row["term"].value)
    prefixes = all_prefixes()
    for named in library().values():
        for prefix, local in prefixed_names(named.sparql):
            if prefix in prefixes and local:
                (classes if local[0].isupper() else properties).add(prefixes[prefix] + local)
    return {"properties": sorted(properties), "classes": sorted(classes)}


def default_query() -> str:
    prefix_lines = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in all_prefixes().items())
    return prefix_lines + "\nSELECT ?plan ?title WHERE {\n  ?plan a pg:ActionPlan ; dct:title ?title .\n}\nLIMIT 100\n"


# ------------------------------------------------------------------------------ page
def resource_link_pattern() -> dict[str, str]:
    """How the editor's result table turns IRIs into links to our resource pages (as `cell` does on
    the server): {base, byPath, byIri}."""
    marker = "PGMARKER"
    by_path, by_iri = resource_url(base_iri() + marker), resource_url("urn:" + marker)
    return {"base": base_iri(), "byPath": by_path[:-len(marker)], "byIri": by_iri[:by_iri.index("urn")]}


def download_links(query: str, kind: str) -> list[tuple[str, str]]:
    """(label, URL) of the same answer from /sparql, in the formats that fit its kind."""
    keys = ("ttl", "jsonld", "nt") if kind == "graph" else ("csv", "json", "tsv", "xml")
    return [(key.upper(), url_for("sparql.endpoint", query=query, format=key)) for key in keys]


def _run(query: str) -> dict[str, Any]:
    """The results of a query typed into the workbench; a refusal is QueryRefused."""
    answer = evaluate_request(query)
    results = {"kind": answer.kind, "boolean": answer.boolean, "truncated": answer.truncated,
               "limit": answer.limit, "elapsed": answer.elapsed, "downloads": download_links(query, answer.kind)}
    if answer.kind != "ask":
        results.update(answer_table(answer, current_app.config["STORE"], g.lang))
    return results


def t(key: str) -> str:
    return translate(key, g.lang)


@bp.get("/workbench")
def editor():
    store = current_app.config["STORE"]
    examples = example_queries(store, g.lang)
    query = request.args.get("query")
    chosen = request.args.get("example")
    if query is None and chosen:
        query = next((e["query"] for e in examples if e["id"] == chosen), None)
    results, refusal = None, None
    if query is not None and query.strip():
        try:
            results = _run(query)
        except QueryRefused as refused:
            refusal = refused
    elif query is not None:
        refusal = QueryRefused(400, "missing query")
    config = {"endpoint": url_for("sparql.endpoint", _external=True), "prefixes": all_prefixes(),
              "query": query, "defaultQuery": default_query(), "examples": examples,
              "links": resource_link_pattern(),
              "labels": {"editor": t("wb_query_label"), "endpoint": t("wb_endpoint_label"),
                         "pageSize": t("wb_page_size"), "filter": t("wb_filter")},
              **completion_terms(store)}
    context = {"query": query if query is not None else default_query(), "ran": query is not None,
               "results": results, "error": None, "examples": examples, "chosen": chosen, "config": config}
    if refusal is not None:  # shown in the editor, beside the query to correct
        raise Problem(refusal.status, refusal.message, page=("workbench.html", context))
    return render_template("workbench.html", **context)
