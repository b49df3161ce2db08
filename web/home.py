"""The front page (a guided tour of the graph and of the app's areas) with a `.json` twin, and the
small page-frame helpers every template uses through `base.html`: the language switch and the
current-page marker of the main menu."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, jsonify, render_template, request

from graph.explore.overview import list_documents
from graph.explore.stats import store_stats
from ontology.texts import LANGUAGES

bp = Blueprint("home", __name__)


def other_language(lang: str) -> str:
    """The language the switch offers: the first one that is not the current one."""
    return next(code for code in LANGUAGES if code != lang)


def url_in_language(lang: str) -> str:
    """The current page in another language: same path, same query string, only `lang` replaced.
    Keeping the query matters because a shared link (a question with parameters, a graph focus)
    must show the same thing after switching."""
    pairs = [(key, value) for key, values in request.args.lists() if key != "lang" for value in values]
    pairs.append(("lang", lang))
    path = "/" + request.path.lstrip("/")  # never "//host...", which a browser reads as another site
    return f"{request.script_root}{path}?{urlencode(pairs)}"


def menu_current(endpoint: str) -> str | None:
    """`aria-current` for a menu entry: "page" on the entry's own page, "true" on a page inside the
    entry's area (a question under Questions) unless the area has several entries (charts)."""
    if request.endpoint == endpoint:
        return "page"
    area = endpoint.partition(".")[0]
    if request.blueprint != area or request.endpoint in _menu_endpoints():
        return None
    same_area = [e for e in _menu_endpoints() if e.partition(".")[0] == area]
    return "true" if len(same_area) == 1 else None


def _menu_endpoints() -> list[str]:
    from web import MENU

    return [endpoint for endpoint, _ in MENU if endpoint in current_app.view_functions]


@bp.app_context_processor
def page_frame_helpers() -> dict[str, Any]:
    """Registered app-wide so every area's template gets the frame helpers without importing them."""
    return {"url_in_language": url_in_language, "other_language": other_language, "menu_current": menu_current,
            "has_endpoint": lambda endpoint: endpoint in current_app.view_functions}


def _overview() -> dict:
    store = current_app.config["STORE"]
    return {"stats": store_stats(store, g.lang), "documents": [asdict(d) for d in list_documents(store, g.lang)]}


@bp.get("/")
def index():
    return render_template("index.html", **_overview())


@bp.get("/index.json")
def index_json():
    return jsonify(_overview())
