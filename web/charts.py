"""Charts: `/matrix` (plan x plan synergy heatmap as an accessible table) and `/timeline` (document
periods and process steps as a server-drawn SVG with a table as its text alternative), each with a
`.json` twin. Both are filterable by municipality through a GET form.

The matrix reads the named questions 'plan-synergies' (strength = shared groups + shared themes +
3 if coordinated) or 'plan-coordination-matrix' (number of kinds of stated links), so the numbers
are exactly the ones the question page and the report explain.
"""
from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

from flask import Blueprint, current_app, g, jsonify, render_template, request
from werkzeug.exceptions import NotFound

from graph.explore.describe import BadIri, check_iri
from graph.explore.network import CATEGORIES, filter_choices, run_once
from graph.questions.library import QueryParameterError, load_library, run_named
from graph.explore.timeline import read_timeline
from web.errors import Problem
from ontology.texts import translate
from web.links import resource_url

bp = Blueprint("charts", __name__)
MEASURES = {"synergy": ("plan-synergies", "strength"), "coordination": ("plan-coordination-matrix", "links")}
MAX_PLANS = 80
LEVELS = 5
DEFAULT_TIMEOUT = 20.0  # seconds a page waits for the question; it goes on in the background after that


class StillComputing(Exception):
    """The question is still running (large graph): the page says so and asks for a reload."""


class BadRequest(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _municipality() -> str | None:
    raw = request.args.get("municipality", "").strip()
    if not raw:
        return None
    try:
        check_iri(raw)
    except BadIri as exc:
        raise BadRequest(f"{translate('chart_bad_municipality', g.lang)} ({exc})") from None
    return raw


def _question_url(qid: str, municipality: str | None) -> str | None:
    """The question page, if the questions area serves one (it is another area of the app)."""
    path = f"/questions/{qid}"
    try:
        current_app.url_map.bind("localhost").match(path)
    except NotFound:
        return None
    except Exception:  # a method mismatch or redirect still means the page exists
        pass
    return path + (f"?{_query({'municipality': municipality})}" if municipality else "")


def _query(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


def level(value: float, top: float) -> int:
    """Colour step 1..5 of a strength relative to the strongest pair (0 for none)."""
    if value <= 0 or top <= 0:
        return 0
    return max(1, min(LEVELS, math.ceil(LEVELS * value / top)))


def matrix_data(municipality: str | None, measure: str) -> dict[str, Any]:
    """Plans (rows = columns, sorted by title) and the symmetric cells with their explanation."""
    store = current_app.config["STORE"]
    qid, column = MEASURES[measure]
    params = {"municipality": municipality} if municipality else {}
    named = load_library()[qid]
    lang = g.lang
    try:
        from graph.questions.library import bind_parameters

        bind_parameters(store, named, params, lang)  # bad input is a 400 now, not a background failure
    except QueryParameterError as exc:
        raise BadRequest(str(exc)) from None
    timeout = float(current_app.config.get("CHART_TIMEOUT", DEFAULT_TIMEOUT))
    result, error = run_once(("chart", store, qid, municipality, lang), lambda: run_named(store, named, params, lang), timeout)
    if result is None:
        raise StillComputing(error)
    plans: dict[str, str] = {}
    pairs = []
    for row in result.rows:
        a, b = row["plan1"].value, row["plan2"].value
        plans[a] = row["plan1Label"].value if row.get("plan1Label") else a
        plans[b] = row["plan2Label"].value if row.get("plan2Label") else b
        value = float(row[column].value) if row.get(column) is not None else 0.0
        extra = {k: row[k].value for k in ("sharedGroups", "sharedThemes", "coordinated", "links", "kinds")
                 if k in row and row[k] is not None}
        pairs.append({"a": a, "b": b, "value": value, **extra})
    ordered = sorted(plans, key=lambda p: (plans[p].lower(), p))
    cut = max(0, len(ordered) - MAX_PLANS)
    if cut:  # keep the plans in the strongest pairs
        strength: dict[str, float] = {}
        for p in pairs:
            for plan in (p["a"], p["b"]):
                strength[plan] = max(strength.get(plan, 0.0), p["value"])
        keep = set(sorted(ordered, key=lambda p: -strength.get(p, 0.0))[:MAX_PLANS])
        ordered = [p for p in ordered if p in keep]
    top = max((p["value"] for p in pairs), default=0.0)
    index = {p: i for i, p in enumerate(ordered)}
    shown = [p for p in pairs if p["a"] in index and p["b"] in index]
    for number, pair in enumerate(shown, 1):
        pair["id"] = f"pair-{number}"
        pair["level"] = level(pair["value"], top)
        pair["a_label"], pair["b_label"] = plans[pair["a"]], plans[pair["b"]]
    cells = {}
    for pair in shown:
        cells[(pair["a"], pair["b"])] = cells[(pair["b"], pair["a"])] = pair
    grid = [[cells.get((r, c)) for c in ordered] for r in ordered]
    return {"measure": measure, "question": qid, "municipality": municipality, "top": top,
            "plans": [{"iri": p, "label": plans[p], "number": i + 1} for i, p in enumerate(ordered)],
            "pairs": shown, "grid": grid, "cut_plans": cut, "question_url": _question_url(qid, municipality)}


def _choices() -> list[tuple[str, str]]:
    return filter_choices(current_app.config["STORE"], g.lang)["municipality"]


def _measure() -> str:
    measure = request.args.get("measure", "synergy")
    if measure not in MEASURES:
        raise BadRequest(translate("chart_bad_measure", g.lang))
    return measure


@bp.get("/matrix")
def matrix():
    try:
        data = matrix_data(_municipality(), _measure())
    except BadRequest as exc:
        return render_template("matrix.html", data=None, error=exc.message, choices=_choices(), args=request.args), 400
    except StillComputing as exc:
        key = "chart_still_computing" if str(exc) == "timeout" else "chart_failed"
        page = render_template("matrix.html", data=None, error=translate(key, g.lang), choices=_choices(), args=request.args)
        return page, 503, {"Retry-After": "30"}
    return render_template("matrix.html", data=data, error=None, choices=_choices(), args=request.args)


@bp.get("/matrix.json")
def matrix_json():
    try:
        data = matrix_data(_municipality(), _measure())
    except BadRequest as exc:
        raise Problem(400, exc.message) from None
    except StillComputing as exc:
        key = "chart_still_computing" if str(exc) == "timeout" else "chart_failed"
        return jsonify({"error": translate(key, g.lang), "detail": str(exc)}), 503, {"Retry-After": "30"}
    data.pop("grid")
    return jsonify(data)


def timeline_data(municipality: str | None) -> dict[str, Any]:
    timeline = read_timeline(current_app.config["STORE"], g.lang, municipality)
    data = asdict(timeline)
    for row in data["rows"] + data["undated"]:
        row["url"] = resource_url(row["iri"])
    data["municipality"] = municipality
    return data


@bp.get("/timeline")
def timeline():
    try:
        data = timeline_data(_municipality())
    except BadRequest as exc:
        return render_template("timeline.html", data=None, error=exc.message, choices=_choices(), args=request.args), 400
    return render_template("timeline.html", data=data, error=None, choices=_choices(), args=request.args,
                           colours={k: v[1] for k, v in CATEGORIES.items()})


@bp.get("/timeline.json")
def timeline_json():
    try:
        return jsonify(timeline_data(_municipality()))
    except BadRequest as exc:
        raise Problem(400, exc.message) from None
