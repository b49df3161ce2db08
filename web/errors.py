"""The app's one error handler: every refusal and every bug ends here and is answered in the shape
the URL promises, so a client never has to guess: JSON (`{"error", "code", "detail"}`) for `.json`
twins and clients that prefer JSON, plain text for `/sparql` (SPARQL clients print the body as is)
and `.csv` downloads, an HTML page in the reader's language otherwise.

Views refuse input by raising `Problem` (or werkzeug's `abort`). A page with a form (a question, the
network's filters) hands the problem its own template and context (`Problem.page`, set by
web/twins.py), so the person sees the message beside the form they can correct; the handler still
builds that response. An unexpected exception is logged here with its traceback and answered as a
500 with one plain sentence, never the exception's text.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from graph.store import StoreTimeout
from ontology.texts import LANGUAGES, translate

log = logging.getLogger(__name__)
DETAIL_CHARS = 300
# Generic werkzeug errors get a sentence of our own; a Problem brings its own message.
_MESSAGES = {400: "err_bad_request", 404: "err_not_found", 405: "err_method", 500: "err_internal"}


class Problem(HTTPException):
    """A request the app refuses: HTTP status, a plain message for people and an optional detail
    (the offending value, cut to DETAIL_CHARS). `key` names the refusal for programs; `headers`
    go with the answer (Retry-After); `page` is (template, context) of the page that shows the
    message beside its form."""

    def __init__(self, status: int, message: str, detail: str = "", key: str | None = None,
                 headers: dict[str, str] | None = None, page: tuple[str, dict[str, Any]] | None = None) -> None:
        super().__init__(description=message)
        self.code = status
        self.detail = detail[:DETAIL_CHARS]
        self.key = key
        self.extra_headers = headers or {}
        self.page = page


def shape() -> str:
    """'json', 'text' or 'html': what the current URL answers errors in."""
    path = request.path
    if path.endswith(".json") or request.args.get("format") == "json":
        return "json"
    if path == "/sparql" or path.endswith(".csv"):
        return "text"
    if request.accept_mimetypes.best_match(["text/html", "application/json"], "text/html") == "application/json":
        return "json"
    return "html"


def _lang() -> str:
    """The reader's language; an error raised before the language was chosen gets the first one."""
    if getattr(g, "lang", None) not in LANGUAGES:
        g.lang = LANGUAGES[0]
    return g.lang


def _explained(error: HTTPException) -> tuple[str, str, str | None]:
    """(message, detail, key) of an error: a Problem's own, else our sentence for the status."""
    if isinstance(error, Problem):
        return error.description or "", error.detail, error.key
    status = error.code or 500
    key = _MESSAGES.get(status)
    message = translate(key, _lang()) if key else error.name
    own = error.description if error.description != type(error).description else ""
    detail = "" if status >= 500 else (own or "")[:DETAIL_CHARS]  # never a bug's text
    return message, detail, key


def _body(status: int, message: str, detail: str, key: str | None, page: tuple[str, dict] | None) -> Response:
    kind = shape()
    if kind == "json":
        body = {"error": message, "code": key or str(status)}
        if detail:
            body["detail"] = detail
        return jsonify(body)
    if kind == "text":
        return Response(message.rstrip("\n") + (f": {detail}" if detail else "") + "\n", mimetype="text/plain")
    if page is not None:
        template, context = page
        return Response(render_template(template, **{**context, "error": message, "detail": detail}),
                        mimetype="text/html")
    return Response(render_template("error.html", status=status, message=message, detail=detail),
                    mimetype="text/html")


def error_response(error: HTTPException) -> Response:
    status = error.code or 500
    _lang()
    message, detail, key = _explained(error)
    response = _body(status, message, detail, key, getattr(error, "page", None))
    response.status_code = status
    response.headers.update(getattr(error, "extra_headers", {}))
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def unexpected(error: Exception) -> Response:
    """A bug: its traceback goes to the log, the person gets one plain sentence."""
    log.error("unexpected error answering %s %s", request.method, request.path, exc_info=error)
    return error_response(InternalServerError())


def engine_took_too_long(error: StoreTimeout) -> Response:
    """A remote engine stopped at its own time limit (or ours): the pages' usual 503 for a query
    that took too long, as when the app's own deadline passes, not a 500."""
    log.warning("the store took too long answering %s: %s", request.path, error)
    return error_response(Problem(503, "the query took longer than the engine allows and was stopped; "
                                       "narrow it down (filters, LIMIT) and try again", key="timeout"))


def install(app: Flask) -> None:
    """Answer every HTTP error and every unexpected exception here (Flask picks the handler of the
    most specific class, so refusals never reach `unexpected`)."""
    app.register_error_handler(HTTPException, error_response)
    app.register_error_handler(StoreTimeout, engine_took_too_long)
    app.register_error_handler(Exception, unexpected)
