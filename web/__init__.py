"""The web app: `create_app(config)` with one blueprint per area (Flask's application-factory pattern)."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask, g, request

from graph.explore.network import filter_choices
from graph.questions.kept import DEFAULT_ROWS, KEPT, Warmer
from graph.store.pool import QueryPool, default_workers
from graph.store import Store
from ontology.texts import LANGUAGES
from web import charts, errors, headers, home, importing, network, questions, report, request_log, resources, search, sparql, workbench
from web.sparql import POOL_EXTENSION
from web import workshop
from web.workshop import setup as workshop_setup

AREAS = (home, sparql, workbench, questions, resources, network, charts, report, search, workshop, importing)  # one blueprint `bp` each
LANG_COOKIE = "policygraph_lang"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(
        STORE_PATH=os.environ.get("POLICYGRAPH_STORE", "var/store"),
        DEFAULT_LANG=os.environ.get("POLICYGRAPH_LANG", "da"),
        RESULT_LIMIT=int(os.environ.get("POLICYGRAPH_RESULT_LIMIT", "10000")),
        QUERY_TIMEOUT=float(os.environ.get("POLICYGRAPH_QUERY_TIMEOUT", "30")),
        UPDATE_TOKEN=os.environ.get("POLICYGRAPH_UPDATE_TOKEN") or None,
        ALLOW_SERVICE=os.environ.get("POLICYGRAPH_ALLOW_SERVICE") == "1",
        NETWORK_NODE_CAP=int(os.environ.get("POLICYGRAPH_NETWORK_NODE_CAP", "2000")),
        CHART_TIMEOUT=float(os.environ.get("POLICYGRAPH_CHART_TIMEOUT", "20")),
        QUERY_WORKERS=int(os.environ.get("POLICYGRAPH_QUERY_WORKERS", str(default_workers()))),
        QUERIES_PER_CLIENT=int(os.environ.get("POLICYGRAPH_QUERIES_PER_CLIENT", "2")),
        QUERY_QUEUE=int(os.environ.get("POLICYGRAPH_QUERY_QUEUE", "32")),
        QUERY_MEMORY_MB=int(os.environ.get("POLICYGRAPH_QUERY_MEMORY_MB", "4096")),
        WARM_ANSWERS=os.environ.get("POLICYGRAPH_WARM_ANSWERS", "1") != "0",
        KEPT_ROWS=int(os.environ.get("POLICYGRAPH_KEPT_ROWS", str(DEFAULT_ROWS))),
    )
    app.config.update(config or {})
    if "STORE" not in app.config:
        from graph.store import endpoint_settings, open_store

        app.config["STORE"] = open_store(app.config["STORE_PATH"], settings=endpoint_settings(),  # as the CLI reads them
                                         in_memory=os.environ.get("POLICYGRAPH_IN_MEMORY", "1") != "0")
    app.config["STORE"].allow_federation = bool(app.config["ALLOW_SERVICE"])  # the store enforces it
    _start_query_pool(app)
    _keep_answers(app)
    _install_language(app)
    workshop_setup.configure(app)
    workshop_setup.csrf.exempt(sparql.bp)  # SPARQL protocol clients send no forms; updates need the token
    errors.install(app)
    headers.install(app)
    request_log.install(app)
    for area in AREAS:
        app.register_blueprint(area.bp)
    return app


def _start_query_pool(app: Flask) -> None:
    """Ad-hoc SPARQL (endpoint, workbench) runs in worker processes killed at the deadline, when the
    store is a database on disk that they can open; QUERY_WORKERS=0 keeps it in threads."""
    store = app.config["STORE"]
    generation = store.generation() if isinstance(store, Store) else None
    if app.config["QUERY_WORKERS"] > 0 and generation is not None:
        app.extensions[POOL_EXTENSION] = QueryPool(app.config["QUERY_WORKERS"], app.config["QUERIES_PER_CLIENT"],
                                                   app.config["QUERY_QUEUE"], app.config["QUERY_MEMORY_MB"],
                                                   generation=generation)


def _keep_answers(app: Flask) -> None:
    """Question answers are kept per version of the data (graph/questions/kept.py) within KEPT_ROWS
    rows; with WARM_ANSWERS a background thread computes the national ones at start and after every
    change, in the default language first, so no visitor waits for the slow ones."""
    KEPT.max_rows = app.config["KEPT_ROWS"]
    if app.config["WARM_ANSWERS"]:
        default = app.config["DEFAULT_LANG"]
        langs = [default] + [lang for lang in LANGUAGES if lang != default]
        app.extensions["policygraph-warmer"] = Warmer(app.config["STORE"], langs,
                                                               also=[home.overview, filter_choices]).start()


def _install_language(app: Flask) -> None:
    """The language comes from ?lang= (remembered in a cookie), else the cookie, else the default."""

    @app.before_request
    def choose_language() -> None:
        wanted = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
        g.lang = wanted if wanted in LANGUAGES else app.config["DEFAULT_LANG"]

    @app.after_request
    def remember_language(response):
        if request.args.get("lang") in LANGUAGES:
            response.set_cookie(LANG_COOKIE, request.args["lang"], max_age=365 * 24 * 3600, samesite="Lax")
        return response
