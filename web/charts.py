"""Charts: `/matrix` (plan x plan synergy heatmap as an accessible table) and `/timeline` (document
periods and process steps as a server-drawn SVG with a table as its text alternative), each with a
`.json` twin. Both are filterable by municipality through a GET form.

The matrix reads the named questions 'plan-synergies' (strength = shared groups + shared themes +
3 if coordinated) or 'plan-coordination-matrix' (number of kinds of stated links), so the numbers
are exactly the ones the question page and the report explain.
"""
from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, request, url_for

from graph.explore.network import filter_choices, run_once
from graph.questions.kept import KEPT
from graph.explore.timeline import read_timeline
from graph.questions.library import (QueryParameterError, bind_parameters, check_instance, library, short_id)
from ontology import PG
from graph.questions.results import term_names
from graph.questions.workshop_scope import decided_pairs
from graph.store.labels import Labeller
from web.drawing import timeline_drawing
from web.errors import Problem
from ontology.texts import translate
from web.links import resource_url
from web.twins import Reply, twin

bp = Blueprint("charts", __name__)
MEASURES = {"synergy": ("plan-synergies", "strength"), "coordination": ("plan-coordination-matrix", "links")}
MAX_PLANS = 80
LEVELS = 5
DEFAULT_TIMEOUT = 20.0  # seconds a page waits for the question; it goes on in the background after that


def _municipality() -> str | None:
    """The municipality's full IRI, given as a short id (org/koebenhavn) or a full IRI alike, as on the
    question pages; a value that is no municipality is one message in the reader's language."""
    raw = request.args.get("municipality", "").strip()
    if not raw:
        return None
    try:
        return check_instance(current_app.config["STORE"], raw, (PG + "Municipality",),
                              translate("chart_municipality", g.lang), g.lang).value
    except QueryParameterError as exc:
        raise Problem(400, str(exc)) from None


def chosen(name: str = "municipality") -> str:
    """The short id of what the URL gives (a short id or a full IRI), to mark the form's choice; the
    URL itself keeps what the user gave."""
    raw = request.args.get(name, "").strip()
    try:
        return short_id(raw) if raw else ""
    except (QueryParameterError, ValueError):
        return raw


def short_choices(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Form choices by short id, as the question pages offer them, so that a form sends the same
    `municipality=org/koebenhavn` to every page."""
    return [(short_id(iri), label) for iri, label in choices]


def _question_url(qid: str, municipality: str | None, workshops: bool = True) -> str:
    """The question page the numbers come from, for the same municipality (and workshop choice)."""
    path = url_for("questions.detail", qid=qid)
    query = {**({"municipality": short_id(municipality)} if municipality else {}),
             **({} if workshops else {"workshops": "exclude"})}
    return path + (f"?{urlencode(query, safe='/')}" if query else "")


def level(value: float, top: float) -> int:
    """Colour step 1..5 of a strength relative to the strongest pair (0 for none)."""
    if value <= 0 or top <= 0:
        return 0
    return max(1, min(LEVELS, math.ceil(LEVELS * value / top)))


def _workshops() -> bool:
    """False when `?workshops=exclude` asks for the documents alone."""
    return request.args.get("workshops", "") != "exclude"


def matrix_data(municipality: str | None, measure: str, workshops: bool = True) -> dict[str, Any]:
    """Plans (rows = columns, sorted by title) and the symmetric cells with their explanation; a pair a
    workshop decision links is marked (`workshop`), and `workshops=False` leaves those decisions out."""
    store = current_app.config["STORE"]
    qid, column = MEASURES[measure]
    params = {"municipality": municipality} if municipality else {}
    named = library()[qid]
    lang = g.lang
    try:
        bind_parameters(store, named, params, lang)  # bad input is a 400 now, not a background failure
    except QueryParameterError as exc:
        raise Problem(400, str(exc)) from None
    timeout = float(current_app.config.get("CHART_TIMEOUT", DEFAULT_TIMEOUT))
    result, error = run_once(("chart", store, qid, municipality, lang, workshops),
                             lambda: KEPT.answer(store, named, params, lang, without_workshops=not workshops), timeout)
    if result is None:  # still running (it goes on in the background: a reload finds it) or failed
        key = "chart_still_computing" if error == "timeout" else "chart_failed"
        raise Problem(503, translate(key, lang), error, key, headers={"Retry-After": "30"})
    plans: dict[str, str] = {}
    pairs = []
    decided = decided_pairs(store) if workshops else set()
    labeller = Labeller(store, lang)
    for row in result.rows:
        a, b = row["plan1"].value, row["plan2"].value
        plans[a] = row["plan1Label"].value if row.get("plan1Label") else a
        plans[b] = row["plan2Label"].value if row.get("plan2Label") else b
        value = float(row[column].value) if row.get(column) is not None else 0.0
        extra = {k: _named(named, k, row[k].value, labeller) for k in ("sharedGroups", "sharedThemes", "coordinated",
                                                                       "links", "kinds")
                 if k in row and row[k] is not None}
        pairs.append({"a": a, "b": b, "value": value, "workshop": frozenset((a, b)) in decided, **extra})
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
    return {"measure": measure, "question": qid, "municipality": municipality, "top": top, "workshops": workshops,
            "workshop_pairs": sum(1 for p in shown if p["workshop"]),
            "plans": [{"iri": p, "label": plans[p], "number": i + 1} for i, p in enumerate(ordered)],
            "pairs": shown, "grid": grid, "cut_plans": cut, "question_url": _question_url(qid, municipality, workshops)}


def _named(named: Any, column: str, text: str, labeller: Labeller) -> str:
    """A cell that stands for terms (link kinds: `coordinatesWith relation`) by their names, as the
    question page shows it; other values as they are."""
    declared = named.column(column)
    names = term_names(text, declared.values, labeller) if declared is not None and declared.values else None
    return text if names is None else names


def _form() -> dict[str, Any]:
    """What the chart pages show around the chart: the municipality filter, as asked."""
    choices = short_choices(filter_choices(current_app.config["STORE"], g.lang)["municipality"])
    return {"data": None, "error": None, "choices": choices, "args": request.args, "chosen": chosen()}


def _measure() -> str:
    measure = request.args.get("measure", "synergy")
    if measure not in MEASURES:
        raise Problem(400, translate("chart_bad_measure", g.lang))
    return measure


@twin(bp, "/matrix", "matrix.html", form=_form)
def matrix() -> Reply:
    data = matrix_data(_municipality(), _measure(), _workshops())
    return Reply(json=lambda: {k: v for k, v in data.items() if k != "grid"}, page=lambda: {**_form(), "data": data})


def timeline_data(municipality: str | None) -> dict[str, Any]:
    data = timeline_drawing(read_timeline(current_app.config["STORE"], g.lang, municipality))
    for row in data["rows"] + data["undated"]:
        row["url"] = resource_url(row["iri"])
    data["municipality"] = municipality
    return data


@twin(bp, "/timeline", "timeline.html", form=_form)
def timeline() -> Reply:
    data = timeline_data(_municipality())
    return Reply(json=lambda: data, page=lambda: {**_form(), "data": data})
