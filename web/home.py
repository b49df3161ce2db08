"""The front page (a guided tour of the graph and of the app's areas) with a `.json` twin, and the
page frame every template gets through `base.html`: the main menu with its current-page marker, the
language switch and the UI texts."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, request

from graph.explore.overview import list_documents
from graph.explore.stats import store_stats
from graph.questions.kept import KEPT
from ontology import PG
from ontology.texts import LANGUAGES, translate
from web.links import resource_url
from web.twins import Reply, twin

bp = Blueprint("home", __name__)
MENU = (
    ("home.index", "nav_home"),
    ("questions.index", "nav_questions"),
    ("workbench.editor", "nav_workbench"),
    ("network.view", "nav_graph"),
    ("charts.matrix", "nav_matrix"),
    ("charts.timeline", "nav_timeline"),
    ("workshop.index", "nav_workshop"),
)
MENU_ENDPOINTS = [endpoint for endpoint, _ in MENU]


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
    if request.blueprint != area or request.endpoint in MENU_ENDPOINTS:
        return None
    same_area = [e for e in MENU_ENDPOINTS if e.partition(".")[0] == area]
    return "true" if len(same_area) == 1 else None


@bp.app_context_processor
def page_frame() -> dict[str, Any]:
    """Registered app-wide so every area's template gets the frame without importing it."""
    return {"t": lambda key: translate(key, g.lang), "lang": g.lang, "menu": MENU, "resource_url": resource_url,
            "url_in_language": url_in_language, "other_language": other_language, "menu_current": menu_current}


def overview(store: Any, lang: str) -> dict:
    """The figures and the documents, kept until the data changes (graph/questions/kept.py): nationally
    counting every graph and naming every document takes about a second (the app warms it)."""
    return KEPT.value(store, ("front-page", lang),
                      lambda: {"stats": store_stats(store, lang),
                               "documents": [asdict(d) for d in list_documents(store, lang)]},
                      lambda overview: len(overview["documents"]))


def count_links() -> dict[str, str]:
    """Where each figure on the front page leads: to the list it counts (a figure one cannot open
    leaves the reader asking "which ones?"). Classes lead to their own page, whose incoming links
    list their members; statements and graphs to the table of graphs below the figures."""
    return {"documents": "#documents", "municipalities": resource_url(PG + "Municipality") + "#res-incoming",
            "statements": "#graphs", "graphs": "#graphs"}


@twin(bp, "/", "index.html", json_rule="/index.json")
def index() -> Reply:
    figures = overview(current_app.config["STORE"], g.lang)
    return Reply(json=lambda: figures, page=lambda: {**figures, "count_links": count_links()})
