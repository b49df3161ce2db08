"""The named coherence questions as web pages: `/questions` lists the library by kind, and
`/questions/<id>` asks one question with a GET form for its parameters, so every answer is a
bookmarkable URL, with `.json` and `.csv` twins taking the same parameters.

The library stays data (`graph/questions/queries/*.rq`): a new file is a new page here, with no code to add.
Evidence (the source passages behind a row) costs a query per row, so it is shown on request
(`?explain=1`) and for the first `EXPLAIN_ROWS` rows only.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, abort, current_app, g, request, url_for

from graph.questions.answer import answer_json, labels_for, question_json
from graph.questions.explain import Evidence, explain
from graph.questions.kept import KEPT
from graph.questions.library import (KINDS, NamedQuery, Parameter, QueryParameterError, QueryResult, library,
                                     parameter_choices, short_id, text_in)
from graph.questions.workshop_scope import WorkshopUse
from graph.questions.results import term_iris, term_names, term_text
from graph.store.labels import Labeller
from ontology.texts import plural, translate
from graph.store import RefusedText
from web.errors import Problem
from web.paging import page_number
from web.sparql import QueryRefused, run_with_deadline
from web.twins import Reply, twin
from web.workbench import cell, editor_text

bp = Blueprint("questions", __name__)

EXPLAIN_ROWS = 50       # rows that get their evidence with ?explain=1
PAGE_ROWS = 100         # rows on a page of the answer (HTML and .json; the .csv carries them all)


@bp.app_context_processor
def counting() -> dict[str, Any]:
    """`plural(n, key)` in every template: `1 kilde`, `2 kilder` (ontology.texts.plural)."""
    return {"plural": lambda count, key: plural(count, key, g.lang)}


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
    for param in sorted(named.parameters, key=lambda p: p.name != "municipality"):  # the first filter to narrow by
        value = given.get(param.name, "" if param.default is None else str(param.default))
        if param.type == "iri" and value:  # a full IRI in the URL marks the same choice as its short id
            value = _short(value)
        fields.append(Field(param=param, label=text_in(param.label, lang) or param.name,
                            input="select" if param.type == "iri" else param.type, value=value,
                            choices=choices.get(param.name, []), hint=text_in(param.description, lang)))
    return fields


def _short(value: str) -> str:
    try:
        return short_id(value)
    except (QueryParameterError, ValueError):
        return value


def leaving_out_workshops() -> bool:
    """`?workshops=exclude` asks the question over every graph but those of workshop decisions."""
    return request.args.get("workshops") == "exclude"


def workshop_scope_args() -> dict[str, str]:
    """The URL argument every link to the same answer carries when workshops are left out."""
    return {"workshops": "exclude"} if leaving_out_workshops() else {}


def run(named: NamedQuery, given: dict[str, str], lang: str) -> tuple[QueryResult, WorkshopUse]:
    """Run the question under the app's deadline (and, when workshop graphs exist, again without them to
    tell whether the answer rests on their decisions); bad parameters and a text the store refuses (a
    parameter value long enough to pass its size limit) are a Problem (400), a timeout too (503)."""
    store = current_app.config["STORE"]
    timeout = float(current_app.config["QUERY_TIMEOUT"])
    left_out = leaving_out_workshops()

    def answer(cancel: Any) -> tuple[QueryResult, WorkshopUse]:
        result = KEPT.answer(store, named, given, lang, without_workshops=left_out)
        return result, KEPT.workshop_use(store, named, given, lang, result, left_out)

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


def headings(named: NamedQuery, columns: list[str], lang: str) -> list[str]:
    """The columns' headings in the reader's language, from the question's metadata."""
    return [named.heading(c, lang) for c in columns]


def term_labeller(store: Any, named: NamedQuery | None, rows: list[dict[str, Any]], lang: str) -> Labeller:
    """A Labeller with the names of every term the rows' text cells stand for read in one go (a
    query per name would cost a round trip per distinct body on a national answer)."""
    labeller = Labeller(store, lang)
    declared = [c for c in (named.columns if named else ()) if c.values]
    iris = {iri for row in rows for c in declared if isinstance(row.get(c.name), ox.Literal)
            for iri in term_iris(row[c.name].value, c.values) or ()}
    labeller.load(iris)
    return labeller


def named_value(named: NamedQuery, column: str, term: Any, labeller: Labeller) -> str | None:
    """The names a text cell stands for (link kinds, lists of bodies; `values:` in the metadata), or
    None for a cell shown as it is."""
    declared = named.column(column)
    if declared is None or declared.values is None or not isinstance(term, ox.Literal):
        return None
    return term_names(term.value, declared.values, labeller)


def row_cells(result: QueryResult, lang: str) -> list[list[Any]]:
    rows = result.rows
    store = current_app.config["STORE"]
    iris = [t.value for row in rows for t in row.values() if isinstance(t, ox.NamedNode)]
    labels = labels_for(store, iris, lang)
    named = result.query
    labeller = term_labeller(store, named, rows, lang)
    columns = shown_columns(result.columns)

    def one(column: str, term: Any) -> Any:
        names = named_value(named, column, term, labeller) if named is not None else None
        return cell(ox.Literal(names), labels) if names is not None else cell(term, labels)

    return [[one(c, row[c]) for c in columns] for row in rows]


def csv_table(named: NamedQuery, result: QueryResult, lang: str) -> tuple[list[str], Any]:
    """The spreadsheet twin: headings in the reader's language (a strategist opens it in Excel; the
    `.json` twin keeps the variable names for programs), IRIs as IRIs beside their name columns, and
    cells that stand for terms by their names, as on the page."""
    labeller = term_labeller(current_app.config["STORE"], named, result.rows, lang)

    def text(column: str, term: Any) -> str:
        names = named_value(named, column, term, labeller)
        return names if names is not None else term_text(term)

    return (headings(named, result.columns, lang),
            ([text(c, row[c]) for c in result.columns] for row in result.rows))


# ------------------------------------------------------------------------------ pages of an answer
@dataclass(frozen=True)
class Page:
    """Which rows of an answer a page shows: a national answer can have 56,000 rows, and a reader
    wants the first (the strongest, for a ranked question) and to be told how many there are."""

    number: int         # 1, 2, ...
    total: int          # rows in the whole answer
    size: int = PAGE_ROWS

    @property
    def count(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size

    @property
    def end(self) -> int:
        return min(self.total, self.first + self.size)

    def of(self, result: QueryResult) -> QueryResult:
        return replace(result, rows=result.rows[self.first:self.end])

    def as_json(self, links: dict[str, str | None]) -> dict[str, Any]:
        return {"total_rows": self.total, "page": self.number, "pages": self.count, "page_rows": self.size,
                "first_row": self.first + 1 if self.total else 0, "last_row": self.end,
                "next": links.get("next"), "previous": links.get("previous")}


def requested_page(total: int) -> Page:
    """`?page=N` (1 when absent); past the last page, the last one."""
    number = page_number()
    if number is None:
        raise Problem(400, translate("q_bad_page", g.lang).format(value=request.args.get("page", "").strip()[:20]))
    page = Page(number, total, PAGE_ROWS)
    return page if page.number <= page.count else Page(page.count, total, PAGE_ROWS)


def page_links(named: NamedQuery, given: dict[str, str], page: Page, endpoint: str,
               external: bool = False) -> dict[str, str | None]:
    """The previous and next pages of the same answer (None at either end)."""
    scope = workshop_scope_args()
    extra = {"explain": 1} if request.args.get("explain") else {}

    def to(number: int) -> str:
        return url_for(endpoint, qid=named.id, **given, **scope, **extra, page=number, _external=external)

    return {"next": to(page.number + 1) if page.number < page.count else None,
            "previous": to(page.number - 1) if page.number > 1 else None}


def evidence(named: NamedQuery, result: QueryResult, lang: str) -> list[list[Evidence]]:
    """Source passages for the first EXPLAIN_ROWS rows (an empty list per row beyond them)."""
    store = current_app.config["STORE"]
    return [explain(store, row, named, lang) if i < EXPLAIN_ROWS else [] for i, row in enumerate(result.rows)]


def explainable(named: NamedQuery) -> bool:
    return bool(named.explain or named.explain_budget)


def _links(named: NamedQuery, given: dict[str, str], lang: str, bindings: dict[str, Any] | None) -> dict[str, str]:
    scope = workshop_scope_args()
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
            "explainable": explainable(named), "explain_rows": EXPLAIN_ROWS,
            "links": _links(named, given, g.lang, result.bindings if result else None)}


def _answered(named: NamedQuery, answer: tuple[QueryResult, WorkshopUse], page: Page,
              found: list[list[Evidence]] | None) -> dict[str, Any]:
    result, workshops = answer
    columns = shown_columns(result.columns)
    given = given_parameters(named)
    return {**_form(named, result), "result": result, "cells": row_cells(page.of(result), g.lang),
            "columns": columns, "headings": headings(named, columns, g.lang), "evidence": found,
            "workshops": workshops, "page": page, "paging": page_links(named, given, page, "questions.detail"),
            "narrow_by_municipality": page.count > 1 and "municipality" not in given
            and any(p.name == "municipality" for p in named.parameters)}


@twin(bp, "/questions/<qid>", "questions_detail.html", csv=True,
      form=lambda qid: _form(_named_or_404(qid), None))
def detail(qid: str) -> Reply:
    named = _named_or_404(qid)
    store, lang, given = current_app.config["STORE"], g.lang, given_parameters(named)
    answer = cache(lambda: run(named, given, lang))   # once, whichever form of the answer asks

    def result() -> QueryResult:
        return answer()[0]

    shown = cache(lambda: requested_page(len(result().rows)))
    explained = cache(lambda: evidence(named, shown().of(result()), lang)
                      if request.args.get("explain") and explainable(named) else None)

    def page() -> dict[str, Any]:
        if named.needs_input(given):  # the form until every value it needs is given; the twins say what is missing
            return _form(named, None)
        return _answered(named, answer(), shown(), explained())

    def json() -> dict[str, Any]:
        body = answer_json(store, named, shown().of(result()), given, lang, explained(), answer()[1])
        links = page_links(named, given, shown(), "questions.detail_json", external=True)
        return {**body, **shown().as_json(links), **urls(named)}

    return Reply(json=json, page=page, filename=named.id,
                 table=lambda: csv_table(named, result(), lang))
