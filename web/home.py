"""The front page: what the graph holds, with a `.json` twin."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, g, jsonify, render_template

from graph.overview import list_documents
from graph.stats import store_stats

bp = Blueprint("home", __name__)


def _overview() -> dict:
    store = current_app.config["STORE"]
    return {"stats": store_stats(store, g.lang), "documents": [asdict(d) for d in list_documents(store, g.lang)]}


@bp.get("/")
def index():
    return render_template("index.html", **_overview())


@bp.get("/index.json")
def index_json():
    return jsonify(_overview())
