"""The web app: `create_app(config)` with one blueprint per area (Flask's application-factory pattern)."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask, g, request

from web.i18n import translate


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(
        STORE_PATH=os.environ.get("POLICYGRAPH_STORE", "var/store"),
        DEFAULT_LANG=os.environ.get("POLICYGRAPH_LANG", "da"),
        RESULT_LIMIT=int(os.environ.get("POLICYGRAPH_RESULT_LIMIT", "10000")),
    )
    app.config.update(config or {})
    if "STORE" not in app.config:
        from graph.store import open_store

        app.config["STORE"] = open_store(app.config["STORE_PATH"], os.environ.get("POLICYGRAPH_ENDPOINT"))

    @app.before_request
    def choose_language() -> None:
        wanted = request.args.get("lang")
        g.lang = wanted if wanted in ("da", "en") else app.config["DEFAULT_LANG"]

    @app.context_processor
    def inject_helpers() -> dict[str, Any]:
        return {"t": lambda key: translate(key, g.lang), "lang": g.lang}

    from web.home import bp as home_bp
    from web.sparql import bp as sparql_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(sparql_bp)
    return app
