"""Every view is a bookmarkable page with a `.json` twin (and a `.csv` twin where the answer is a
table), made by one mechanism: `twin` registers `/x` (endpoint `name`), `/x.json` (`name_json`)
and `/x.csv` (`name_csv`) and `/x.pdf` (`name_pdf`, the page's own HTML printed by web/printing.py) for ONE view function that returns a `Reply`. The view reads the request
and computes once; the reply says how that answer looks as a page, as JSON and as CSV, so the
twins can never drift apart and never answer an error in a shape of their own: a view refuses by
raising `Problem`, which the one error handler (web/errors.py) answers in the URL's shape.

A page whose refusal should be shown beside its form (filters, a question's parameters) names a
`form` function: called with the view's arguments, it gives the template's context without an
answer, and the handler renders the page with the message in it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from flask import Blueprint, Response, jsonify, render_template

from graph.questions.results import spreadsheet_csv
from web.errors import Problem
from web.printing import pdf_from_html

Rows = Iterable[Iterable[str]]


@dataclass
class Reply:
    """One answer in its forms: `json()` for the .json twin, `page()` for the template's context,
    `table()` (columns, rows of text) for the .csv twin. Callables, so each form costs only when
    asked for (a page's labelled cells, a twin's full rows)."""

    json: Callable[[], Any]
    page: Callable[[], dict[str, Any]]
    table: Callable[[], tuple[list[str], Rows]] | None = None   # only views registered with csv=True
    filename: str = "answer"                 # the .csv/.pdf download's name, without the suffix
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, data: Any, **page: Any) -> Reply:
        """The common case: the twin answers `data`, the page gets `data` and what it adds."""
        return cls(json=lambda: data, page=lambda: {"data": data, **page})


def twin(bp: Blueprint, rule: str, template: str, *, csv: bool = False, pdf: bool = False,
         json_rule: str | None = None,
         form: Callable[..., dict[str, Any]] | None = None) -> Callable[[Callable[..., Reply]], Callable[..., Reply]]:
    """Register the view at `rule`, `rule.json` (or `json_rule`: the front page's is `/index.json`),
    with `csv`, `rule.csv`, and with `pdf`, `rule.pdf`: the same template and context as the page,
    so the PDF is what the page prints on paper (its template links web/static/print.css)."""

    def register(view: Callable[..., Reply]) -> Callable[..., Reply]:
        name = view.__name__

        def page(**kwargs: Any) -> Response:
            try:
                reply = view(**kwargs)
                context = reply.page()
            except Problem as problem:
                if form is not None:
                    problem.page = (template, form(**kwargs))
                raise
            return Response(render_template(template, **context), reply.status, reply.headers, mimetype="text/html")

        def as_json(**kwargs: Any) -> Response:
            reply = view(**kwargs)
            response = jsonify(reply.json())
            response.status_code = reply.status
            response.headers.update(reply.headers)
            return response

        def as_csv(**kwargs: Any) -> Response:
            reply = view(**kwargs)
            columns, rows = reply.table()
            response = Response(spreadsheet_csv(columns, rows), reply.status, reply.headers, mimetype="text/csv")
            response.charset = "utf-8"
            response.headers["Content-Disposition"] = f'attachment; filename="{reply.filename}.csv"'
            return response

        def as_pdf(**kwargs: Any) -> Response:
            reply = view(**kwargs)
            document = pdf_from_html(render_template(template, **reply.page()))
            response = Response(document, reply.status, reply.headers, mimetype="application/pdf")
            response.headers["Content-Disposition"] = f'inline; filename="{reply.filename}.pdf"'
            return response

        bp.add_url_rule(rule, name, page, methods=["GET"])
        bp.add_url_rule(json_rule or rule + ".json", name + "_json", as_json, methods=["GET"])
        if csv:
            bp.add_url_rule(rule + ".csv", name + "_csv", as_csv, methods=["GET"])
        if pdf:
            bp.add_url_rule(rule + ".pdf", name + "_pdf", as_pdf, methods=["GET"])
        return view

    return register
