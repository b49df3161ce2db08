"""The app's one error handler: every refusal and every bug ends here and is answered in the shape
the URL promises, so a client never has to guess: JSON (`{"error": message}`) for `.json` twins and
clients that prefer JSON, plain text for `/sparql` (SPARQL clients print the body as is) and `.csv`
downloads, an HTML page in the reader's language otherwise.

Views refuse input by raising `Problem` (or werkzeug's `abort`); an unexpected exception is logged
with its traceback by Flask and answered as a 500 with one plain sentence, never the exception text.
"""
from __future__ import annotations

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ontology.texts import LANGUAGES, translate

DETAIL_CHARS = 300
# Generic werkzeug errors get a sentence of our own; a Problem brings its own message.
_MESSAGES = {400: "err_bad_request", 404: "err_not_found", 405: "err_method", 500: "err_internal"}


class Problem(HTTPException):
    """A request the app refuses: HTTP status, a plain message for people and an optional detail
    (the offending value, cut to DETAIL_CHARS). `key` names the refusal for programs."""

    def __init__(self, status: int, message: str, detail: str = "", key: str | None = None) -> None:
        super().__init__(description=message)
        self.code = status
        self.detail = detail[:DETAIL_CHARS]
        self.key = key


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


def error_response(error: HTTPException) -> Response:
    status = error.code or 500
    lang = _lang()
    if isinstance(error, Problem):
        message, detail, key = error.description or "", error.detail, error.key
    else:  # werkzeug's own errors and abort(status, description=...)
        key = _MESSAGES.get(status)
        message = translate(key, lang) if key else error.name
        own = error.description if error.description != type(error).description else ""
        detail = "" if status >= 500 else (own or "")[:DETAIL_CHARS]  # never a bug's text
    kind = shape()
    if kind == "json":
        body = {"error": message, "code": key or str(status)}
        if detail:
            body["detail"] = detail
        response = jsonify(body)
    elif kind == "text":
        response = Response(message + (f": {detail}" if detail else "") + "\n", mimetype="text/plain")
    else:
        response = Response(render_template("error.html", status=status, message=message, detail=detail),
                            mimetype="text/html")
    response.status_code = status
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def install(app: Flask) -> None:
    """Register the handler for every HTTP error; Flask turns unhandled exceptions into a 500 after
    logging them, so the same handler answers those too (unless TESTING propagates them)."""
    app.register_error_handler(HTTPException, error_response)
