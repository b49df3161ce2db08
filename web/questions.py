"""The named coherence questions as web pages: `/questions` lists the library by kind, and
`/questions/<id>` asks one question with a GET form for its parameters, so every answer is a
bookmarkable URL, with `.json` and `.csv` twins taking the same parameters.

The library stays data (`graph/questions/queries/*.rq`): a new file is a new page here, with no code to add.
Evidence (the source passages behind a row) costs a query per row, so it is shown on request
(`?explain=1`) and for the first `EXPLAIN_ROWS` rows only.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request, url_for

from graph.store.answers import term_json
from graph.questions.explain import explain
from graph.questions.library import (KINDS, QUERY_DIR, NamedQuery, Parameter, QueryParameterError, QueryResult,
                                 load_library, parameter_choices, run_named)
from graph.questions.results import spreadsheet_csv, term_text
from graph.store import RefusedText
from web.errors import Problem
from web.sparql import QueryRefused, run_with_deadline
from web.workbench import cell, editor_text, labels_for

bp = Blueprint("questions", __name__)

EXPLAIN_ROWS = 50       # rows that get their evidence with ?explain=1
SHOWN_ROWS = 1000       # rows rendered as HTML; the .csv and .json twins carry them all


# ------------------------------------------------------------------------------ the library
@lru_cache(maxsize=4)
def _cached_library(signature: tuple) -> dict[str, NamedQuery]:
    return load_library()


def library() -> dict[str, NamedQuery]:
    """The library, parsed again only when a query file changes (parsing checks every file's SPARQL)."""
    signature = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(QUERY_DIR.glob("*.rq")))
    return _cached_library(signature)


def text_in(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


def by_kind(lang: str) -> list[tuple[str, list[NamedQuery]]]:
    """The questions grouped in the library's order of kinds, each group sorted by title."""
    groups = {kind: [] for kind in KINDS}
    for named in library().values():
        groups.setdefault(named.kind, []).append(named)
    return [(kind, sorted(items, key=lambda n: text_in(n.title, lang).casefold()))
            for kind, items in groups.items() if items]


def _named_or_404(qid: str) -> NamedQuery:
    named = library().get(qid)
    if named is None:
        abort(404, description=f"there is no question '{qid}'")
    return named


# ------------------------------------------------------------------------------ parameters and running
@dataclass(frozen=True)
class Field:
    """One parameter as a form control: its label, kind of input, current value and choices."""

    param: Parameter
    label: str
    input: str                  # "select", "year", "date", "integer", "text"
    value: str
    choices: list[tuple[str, str]]
    hint: str


def given_parameters(named: NamedQuery) -> dict[str, str]:
    """The question's parameters from the URL; other arguments (lang, explain) are not parameters."""
    names = {p.name for p in named.parameters}
    return {k: v for k, v in request.args.items() if k in names and v.strip() != ""}


def form_fields(store: Any, named: NamedQuery, given: dict[str, str], lang: str) -> list[Field]:
    choices = parameter_choices(store, named, lang)
    fields = []
    for param in named.parameters:
        value = given.get(param.name, "" if param.default is None else str(param.default))
        fields.append(Field(param=param, label=text_in(param.label, lang) or param.name,
                            input="select" if param.type == "iri" else param.type, value=value,
                            choices=choices.get(param.name, []), hint=text_in(param.description, lang)))
    return fields


def run(named: NamedQuery, given: dict[str, str], lang: str) -> QueryResult:
    """Run the question under the app's deadline; bad parameters raise QueryParameterError, and a text
    the store refuses (a parameter value long enough to pass its size limit) QueryRefused(400)."""
    store = current_app.config["STORE"]
    timeout = float(current_app.config["QUERY_TIMEOUT"])
    try:
        return run_with_deadline(lambda cancel: run_named(store, named, given, lang), timeout)
    except RefusedText as refused:
        raise QueryRefused(400, str(refused)) from None


def shown_columns(columns: list[str]) -> list[str]:
    """The table leaves out `xLabel` when `x` is a column too: x's link already reads as its label.
    (The .csv and .json twins keep every column.)"""
    return [c for c in columns if not (c.endswith("Label") and c[:-len("Label")] in columns)]


def row_cells(result: QueryResult, lang: str, limit: int = SHOWN_ROWS) -> list[list[Any]]:
    rows = result.rows[:limit]
    iris = [t.value for row in rows for t in row.values() if isinstance(t, ox.NamedNode)]
    labels = labels_for(current_app.config["STORE"], iris, lang)
    columns = shown_columns(result.columns)
    return [[cell(row[c], labels) for c in columns] for row in rows]


def evidence(named: NamedQuery, result: QueryResult, lang: str) -> list[list[Any]]:
    """Source passages for the first EXPLAIN_ROWS rows (an empty list per row beyond them)."""
    store = current_app.config["STORE"]
    return [explain(store, row, named, lang) if i < EXPLAIN_ROWS else [] for i, row in enumerate(result.rows)]


def awaiting_input(named: NamedQuery, given: dict[str, str]) -> bool:
    """A first visit (no parameters given) to a question that needs a value shows the form, not an error."""
    return not given and any(p.required and p.default is None for p in named.parameters)


def explainable(named: NamedQuery) -> bool:
    return bool(named.explain or named.explain_budget)


def _links(named: NamedQuery, given: dict[str, str], lang: str, bindings: dict[str, Any] | None) -> dict[str, str]:
    return {"json": url_for("questions.detail_json", qid=named.id, **given),
            "csv": url_for("questions.detail_csv", qid=named.id, **given),
            "explain": url_for("questions.detail", qid=named.id, explain=1, **given),
            "page": url_for("questions.detail", qid=named.id, **given),
            "workbench": url_for("workbench.editor", query=editor_text(named, bindings or {}, lang))}


# ------------------------------------------------------------------------------ pages
@bp.get("/questions")
def index():
    return render_template("questions_index.html", groups=by_kind(g.lang), text_in=text_in)


@bp.get("/questions.json")
def index_json():
    return jsonify([summary(named, g.lang) for named in library().values()])


def summary(named: NamedQuery, lang: str) -> dict[str, Any]:
    return {"id": named.id, "kind": named.kind, "title": text_in(named.title, lang),
            "question": text_in(named.question, lang), "description": text_in(named.description, lang),
            "parameters": [{"name": p.name, "type": p.type, "label": text_in(p.label, lang),
                            "required": p.required, "default": None if p.default is None else str(p.default)}
                           for p in named.parameters],
            "url": url_for("questions.detail", qid=named.id, _external=True),
            "json": url_for("questions.detail_json", qid=named.id, _external=True),
            "csv": url_for("questions.detail_csv", qid=named.id, _external=True)}


@bp.get("/questions/<qid>")
def detail(qid: str):
    named = _named_or_404(qid)
    store, lang = current_app.config["STORE"], g.lang
    given = given_parameters(named)
    fields = form_fields(store, named, given, lang)
    context: dict[str, Any] = {"named": named, "fields": fields, "text_in": text_in, "error": None,
                               "result": None, "cells": [], "evidence": None, "explainable": explainable(named),
                               "explain_rows": EXPLAIN_ROWS, "shown_rows": SHOWN_ROWS}
    status, bindings = 200, None
    if awaiting_input(named, given):
        context["links"] = _links(named, given, lang, None)
        return render_template("questions_detail.html", **context), 200
    try:
        result = run(named, given, lang)
        bindings = result.bindings
        context.update(result=result, cells=row_cells(result, lang), columns=shown_columns(result.columns))
        if request.args.get("explain") and explainable(named):
            context["evidence"] = evidence(named, result, lang)
    except QueryParameterError as error:
        context["error"], status = str(error), 400
    except QueryRefused as refusal:
        context["error"], status = refusal.message, refusal.status
    context["links"] = _links(named, given, lang, bindings)
    return render_template("questions_detail.html", **context), status


def _result_or_problem(named: NamedQuery) -> QueryResult:
    """The answer of a twin (.json, .csv); bad parameters become a Problem the error handler shapes."""
    try:
        return run(named, given_parameters(named), g.lang)
    except (QueryParameterError, QueryRefused) as error:
        raise Problem(getattr(error, "status", 400), str(error)) from None


@bp.get("/questions/<qid>.json")
def detail_json(qid: str):
    named = _named_or_404(qid)
    result = _result_or_problem(named)
    labels = labels_for(current_app.config["STORE"],
                        [t.value for row in result.rows for t in row.values() if isinstance(t, ox.NamedNode)], g.lang)
    rows = [{c: {**term_json(t), **({"label": labels[t.value]} if isinstance(t, ox.NamedNode) and t.value in labels else {})}
             for c, t in row.items() if t is not None} for row in result.rows]
    body: dict[str, Any] = {**summary(named, g.lang), "parameters_given": given_parameters(named),
                            "columns": result.columns, "rows": rows, "elapsed": round(result.elapsed, 4)}
    if request.args.get("explain") and explainable(named):
        body["evidence"] = [[e.__dict__ for e in items] for items in evidence(named, result, g.lang)]
    return jsonify(body)


@bp.get("/questions/<qid>.csv")
def detail_csv(qid: str):
    named = _named_or_404(qid)
    result = _result_or_problem(named)
    body = spreadsheet_csv(result.columns, ([term_text(row[c]) for c in result.columns] for row in result.rows))
    response = Response(body, mimetype="text/csv")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{named.id}.csv"'
    return response
