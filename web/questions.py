"""The named coherence questions as web pages: `/questions` lists the library by kind, and
`/questions/<id>` asks one question with a GET form for its parameters, so every answer is a
bookmarkable URL, with `.json` and `.csv` twins taking the same parameters.

The library stays data (`graph/questions/queries/*.rq`): a new file is a new page here, with no code to add.
Evidence (the source passages behind a row) costs a query per row, so it is shown on request
(`?explain=1`) and for the first `EXPLAIN_ROWS` rows only.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, abort, current_app, g, request, url_for

from graph.questions.answer import answer_json, labels_for, question_json
from graph.questions.explain import Evidence, explain
from graph.questions.library import (KINDS, NamedQuery, Parameter, QueryParameterError, QueryResult, library,
                                     parameter_choices, run_named, text_in, workshop_use)
from graph.questions.workshop_scope import WorkshopUse
from graph.questions.results import term_text
from graph.store import RefusedText
from web.errors import Problem
from web.sparql import QueryRefused, run_with_deadline
from web.twins import Reply, twin
from web.workbench import cell, editor_text

bp = Blueprint("questions", __name__)

EXPLAIN_ROWS = 50       # rows that get their evidence with ?explain=1
SHOWN_ROWS = 1000       # rows rendered as HTML; the .csv and .json twins carry them all


# ------------------------------------------------------------------------------ the library
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


def leaving_out_workshops() -> bool:
    """`?workshops=exclude` asks the question over every graph but those of workshop decisions."""
    return request.args.get("workshops") == "exclude"


def run(named: NamedQuery, given: dict[str, str], lang: str) -> tuple[QueryResult, WorkshopUse]:
    """Run the question under the app's deadline (and, when workshop graphs exist, again without them to
    tell whether the answer rests on their decisions); bad parameters and a text the store refuses (a
    parameter value long enough to pass its size limit) are a Problem (400), a timeout too (503)."""
    store = current_app.config["STORE"]
    timeout = float(current_app.config["QUERY_TIMEOUT"])
    left_out = leaving_out_workshops()

    def answer(cancel: Any) -> tuple[QueryResult, WorkshopUse]:
        result = run_named(store, named, given, lang, without_workshops=left_out)
        return result, workshop_use(store, named, given, lang, result, left_out)

    try:
        return run_with_deadline(answer, timeout)
    except (QueryParameterError, RefusedText) as error:
        raise Problem(400, str(error)) from None
    except QueryRefused as refusal:
        raise Problem(refusal.status, refusal.message) from None


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


def evidence(named: NamedQuery, result: QueryResult, lang: str) -> list[list[Evidence]]:
    """Source passages for the first EXPLAIN_ROWS rows (an empty list per row beyond them)."""
    store = current_app.config["STORE"]
    return [explain(store, row, named, lang) if i < EXPLAIN_ROWS else [] for i, row in enumerate(result.rows)]


def awaiting_input(named: NamedQuery, given: dict[str, str]) -> bool:
    """A first visit (no parameters given) to a question that needs a value shows the form, not an error."""
    return not given and any(p.required and p.default is None for p in named.parameters)


def explainable(named: NamedQuery) -> bool:
    return bool(named.explain or named.explain_budget)


def _links(named: NamedQuery, given: dict[str, str], lang: str, bindings: dict[str, Any] | None) -> dict[str, str]:
    scope = {"workshops": "exclude"} if leaving_out_workshops() else {}
    return {"json": url_for("questions.detail_json", qid=named.id, **given, **scope),
            "csv": url_for("questions.detail_csv", qid=named.id, **given, **scope),
            "explain": url_for("questions.detail", qid=named.id, explain=1, **given, **scope),
            "page": url_for("questions.detail", qid=named.id, **given, **scope),
            "with_workshops": url_for("questions.detail", qid=named.id, **given),
            "without_workshops": url_for("questions.detail", qid=named.id, workshops="exclude", **given),
            "workbench": url_for("workbench.editor", query=editor_text(named, bindings or {}, lang))}


def urls(named: NamedQuery) -> dict[str, str]:
    """Where the question lives on this server, for programs that follow links."""
    return {"url": url_for("questions.detail", qid=named.id, _external=True),
            "json": url_for("questions.detail_json", qid=named.id, _external=True),
            "csv": url_for("questions.detail_csv", qid=named.id, _external=True)}


# ------------------------------------------------------------------------------ pages
def _groups() -> dict[str, Any]:
    return {"groups": by_kind(g.lang), "text_in": text_in}


@twin(bp, "/questions", "questions_index.html")
def index() -> Reply:
    return Reply(json=lambda: [{**question_json(named, g.lang), **urls(named)} for named in library().values()],
                 page=_groups)


def _form(named: NamedQuery, result: QueryResult | None) -> dict[str, Any]:
    """The question page without an answer: its form, links, and where the answer goes."""
    given = given_parameters(named)
    return {"named": named, "fields": form_fields(current_app.config["STORE"], named, given, g.lang),
            "text_in": text_in, "error": None, "result": None, "cells": [], "evidence": None,
            "explainable": explainable(named), "explain_rows": EXPLAIN_ROWS, "shown_rows": SHOWN_ROWS,
            "links": _links(named, given, g.lang, result.bindings if result else None)}


def _answered(named: NamedQuery, answer: tuple[QueryResult, WorkshopUse],
              found: list[list[Evidence]] | None) -> dict[str, Any]:
    result, workshops = answer
    return {**_form(named, result), "result": result, "cells": row_cells(result, g.lang),
            "columns": shown_columns(result.columns), "evidence": found, "workshops": workshops}


@twin(bp, "/questions/<qid>", "questions_detail.html", csv=True,
      form=lambda qid: _form(_named_or_404(qid), None))
def detail(qid: str) -> Reply:
    named = _named_or_404(qid)
    store, lang, given = current_app.config["STORE"], g.lang, given_parameters(named)
    answer = cache(lambda: run(named, given, lang))   # once, whichever form of the answer asks

    def result() -> QueryResult:
        return answer()[0]

    explained = cache(lambda: evidence(named, result(), lang)
                      if request.args.get("explain") and explainable(named) else None)

    def page() -> dict[str, Any]:
        if awaiting_input(named, given):  # a first visit shows the form; the twins run and say what is missing
            return _form(named, None)
        return _answered(named, answer(), explained())

    return Reply(json=lambda: {**answer_json(store, named, result(), given, lang, explained(), answer()[1]),
                               **urls(named)},
                 page=page, filename=named.id,
                 table=lambda: (result().columns, ([term_text(row[c]) for c in result().columns]
                                                   for row in result().rows)))
