"""The workshop area's pages: the list (with the workshops the documents describe, ready to run),
creating one, joining by code or QR, a participant's phone page, the facilitator's page and the
projector; plus what keeps them live: the panel fragments, actions, the event stream and the
`.json` twins of state and events.

Every action goes through `POST /workshops/<id>/act` and is stored before it is acknowledged
(graph/workshop/log.py); the phones learn of it from the event stream and fetch their panel anew.
"""
from __future__ import annotations

import datetime as dt
import io
import time
from typing import Any

import segno
from flask import Response, current_app, g, jsonify, redirect, render_template, request, url_for

from graph.workshop import scope
from graph.workshop.actions import FACILITATOR_ACTIONS
from graph.workshop.log import WorkshopError
from graph.workshop.state import ACTIVITY_TYPES
from ontology.texts import translate
from web.errors import Problem
from web.twins import Reply, twin
from graph.store.labels import Labeller
from web.workshop import access, bp, live
from web.workshop.naming import namer
from web.workshop.setup import limiter, participant_key, workshops



@bp.app_template_filter("clock")
def clock(seconds: float) -> str:
    """A log time as people read it: date and time to the second, in UTC (said in the heading)."""
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
MAX_TITLE = 200


def _joins_limit() -> str:
    return f"{current_app.config['WORKSHOP_JOINS_PER_MINUTE']} per minute"


def _actions_limit() -> str:
    return f"{current_app.config['WORKSHOP_ACTIONS_PER_MINUTE']} per minute"


# ---------------------------------------------------------------------- the list
@twin(bp, "/workshops", "workshop/index.html")
def index() -> Reply:
    store = current_app.config["STORE"]
    seeds = scope.seed_workshops(store)
    labels = Labeller(store, g.lang)
    labels.load([s.iri for s in seeds] + [s.about for s in seeds if s.about])
    data = {"seeds": [{"iri": s.iri, "label": labels(s.iri), "about": s.about, "about_label": labels(s.about) if s.about else "",
                       "personas": len(s.personas), "municipality": s.municipality} for s in seeds],
            "may_create": access.may_create()}
    return Reply.of(data, code=request.args.get("code", ""))


# ---------------------------------------------------------------------- create
@bp.route("/workshops/new", methods=["GET", "POST"])
def new() -> Any:
    store = current_app.config["STORE"]
    seed_iri = request.values.get("seed") or ""
    seed = next((s for s in scope.seed_workshops(store) if s.iri == seed_iri), None)
    municipality = request.values.get("municipality") or (seed.municipality if seed else "") or ""
    form = _creation_form(store, seed, municipality)
    if request.method == "GET":
        return render_template("workshop/new.html", form=form)
    if not access.may_create():
        raise Problem(403, translate("workshop.create.disabled", g.lang), key="workshop-writes-off")
    if not access.token_matches(request.form.get("token", "")):
        raise Problem(403, translate("workshop.create.bad_token", g.lang), key="workshop-bad-token",
                      page=("workshop/new.html", {"form": form}))
    details = _details_from_form(form, seed)
    title = request.form.get("title", "").strip()[:MAX_TITLE] or (form["seed_label"] or "Workshop")
    workshop, secret = workshops().log.create(title, details, hours_open=_hours_open(details.get("date")))
    response = redirect(url_for("workshop.facilitate", workshop_id=workshop.id), code=303)
    access.keep(response, access.facilitator_cookie(workshop.id), secret)
    return response


def _creation_form(store, seed, municipality: str) -> dict[str, Any]:
    labels = Labeller(store, g.lang)
    towns = scope.municipalities(store)
    plans = scope.plans(store, municipality) if municipality in towns else []
    bodies = scope.bodies(store, municipality) if municipality in towns else []
    labels.load([*towns, *plans, *bodies, *([seed.iri] if seed else [])])
    chosen_plans = request.form.getlist("plans") if request.method == "POST" else ([seed.about] if seed and seed.about else [])
    return {"seed": seed.iri if seed else "", "seed_label": labels(seed.iri) if seed else "",
            "municipality": municipality, "municipalities": sorted(((t, labels(t)) for t in towns), key=lambda x: x[1]),
            "plans": [(p, labels(p)) for p in plans], "bodies": [(b, labels(b)) for b in bodies],
            "chosen_plans": chosen_plans, "types": ACTIVITY_TYPES,
            "personas": len(seed.personas) if seed else 0}


def _details_from_form(form: dict[str, Any], seed) -> dict[str, Any]:
    plans = [p for p in request.form.getlist("plans") if p in dict(form["plans"])]
    bodies = [b for b in request.form.getlist("bodies") if b in dict(form["bodies"])]
    types = [t for t in request.form.getlist("activities") if t in ACTIVITY_TYPES] or list(ACTIVITY_TYPES)
    date = request.form.get("date", "").strip()
    try:
        date = dt.date.fromisoformat(date).isoformat() if date else ""
    except ValueError:
        raise Problem(400, translate("workshop.refused.bad_date", g.lang), key="workshop-bad-date",
                      page=("workshop/new.html", {"form": form})) from None
    return {"date": date, "municipality": form["municipality"] or None, "plans": plans, "bodies": bodies,
            "seed": seed.iri if seed else None, "personas": list(seed.personas) if seed else [],
            "facilitator": request.form.get("facilitator", "").strip()[:100],
            "asks": request.form.get("asks", "").strip()[:2000], "due": request.form.get("due", "").strip()[:10],
            "agenda": [{"id": f"a{i + 1}", "type": t, "title": ""} for i, t in enumerate(types)]}


def _hours_open(date: str | None) -> float:
    """The join code works until the end of the workshop's day (or for 12 hours when undated)."""
    if not date:
        return 12.0
    end = dt.datetime.combine(dt.date.fromisoformat(date), dt.time(23, 59), tzinfo=dt.timezone.utc)
    return max(1.0, (end.timestamp() - time.time()) / 3600)


# ---------------------------------------------------------------------- join
@bp.route("/workshops/join", methods=["GET", "POST"])
@limiter.limit(_joins_limit, methods=["POST"])
def join() -> Any:
    code = (request.values.get("code") or "").strip().upper()[:12]
    found = workshops().log.by_code(code) if code else None
    bodies = found.details.get("bodies", []) if found else []
    names = namer_for_bodies(bodies)
    context = {"code": code, "workshop": found, "bodies": [(b, names(b)) for b in bodies]}
    if request.method == "GET":
        return render_template("workshop/join.html", **context)
    name = request.form.get("name", "").strip()[:80] or translate("workshop.anonymous", g.lang)
    body = request.form.get("body") or None
    if body is not None and body not in bodies:
        body = None
    try:
        participant, token = workshops().join(code, name, body)
    except WorkshopError as error:
        raise Problem(400, error.text(g.lang), key="workshop-join", page=("workshop/join.html", context)) from None
    response = redirect(url_for("workshop.room", workshop_id=participant.workshop), code=303)
    access.keep(response, access.participant_cookie(participant.workshop), token)
    return response


def namer_for_bodies(bodies: list[str]) -> Labeller:
    labels = Labeller(current_app.config["STORE"], g.lang)
    labels.load(bodies)
    return labels


# ---------------------------------------------------------------------- the three views of a workshop
@bp.get("/workshops/<workshop_id>/")
def room(workshop_id: str) -> Any:
    workshop = access.workshop_or_404(workshop_id)
    me = access.participant(workshop)
    if me is None:
        return redirect(url_for("workshop.join", code=workshop.code))
    return _page("participant", workshop_id, me=me)


@bp.get("/workshops/<workshop_id>/facilitate")
def facilitate(workshop_id: str) -> Any:
    workshop = access.workshop_or_404(workshop_id)
    access.facilitator_or_403(workshop)
    return _page("facilitator", workshop_id)


@twin(bp, "/workshops/<workshop_id>/projector", "workshop/projector.html")
def projector(workshop_id: str) -> Reply:
    """What the room sees; its .json twin is the whole state as data (tallies, aggregates, proposals)."""
    access.workshop_or_404(workshop_id)
    state = workshops().state(workshop_id)
    name = namer(state, g.lang)
    return Reply(json=lambda: live.summary(state, name, g.lang), page=lambda: _page_context("projector", state, name))


def _page(role: str, workshop_id: str, me=None) -> str:
    state = workshops().state(workshop_id)
    return render_template(f"workshop/{role}.html", **_page_context(role, state, namer(state, g.lang), me))


def _page_context(role: str, state, name, me=None) -> dict[str, Any]:
    join_url = url_for("workshop.join", code=state.workshop.code, _external=True)
    return {"state": state, "name": name, "me": me, "role": role, "join_url": join_url,
            **live.context(state, role, me, name)}


@bp.get("/workshops/<workshop_id>/live/<role>")
def panel(workshop_id: str, role: str) -> Any:
    """The live part of a page, fetched again whenever the stream says something happened."""
    workshop = access.workshop_or_404(workshop_id)
    me = access.participant(workshop) if role == "participant" else None
    if role not in ("participant", "facilitator", "projector") or (role == "participant" and me is None) \
            or (role == "facilitator" and not access.is_facilitator(workshop)):
        raise Problem(403, translate("workshop.facilitator_only_page", g.lang), key="workshop-panel")
    state = workshops().state(workshop_id)
    name = namer(state, g.lang)
    response = Response(render_template("workshop/live.html", state=state, name=name, me=me, role=role,
                                        **live.context(state, role, me, name)))
    response.headers["X-Workshop-Seq"] = str(state.last_seq)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/workshops/<workshop_id>/qr.svg")
def qr(workshop_id: str) -> Response:
    """The join link as a QR code, made here (no service outside)."""
    workshop = access.workshop_or_404(workshop_id)
    code = segno.make(url_for("workshop.join", code=workshop.code, _external=True), error="m")
    out = io.BytesIO()  # a standalone SVG file (with its namespace), which an <img> can show
    code.save(out, kind="svg", scale=8, dark="#000", light="#fff", xmldecl=False,
              title=translate("workshop.qr_title", g.lang))
    return Response(out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


# ---------------------------------------------------------------------- acting
@bp.post("/workshops/<workshop_id>/act")
@limiter.limit(_actions_limit, key_func=participant_key)
def act(workshop_id: str) -> Any:
    """One action, from a form (then back to the page) or from the page's script (JSON in, JSON out)."""
    workshop = access.workshop_or_404(workshop_id)
    as_json = request.is_json
    sent = request.get_json(silent=True) if as_json else live.payload_from_form(request.form)
    if not isinstance(sent, dict) or not isinstance(sent.get("kind"), str) or not isinstance(sent.get("payload", {}), dict):
        raise Problem(400, translate("workshop.bad_action", g.lang), key="workshop-bad-action")
    kind, payload = sent["kind"], sent.get("payload", {})
    if kind == "activity.open":
        payload = live.prepared_opening(workshops().state(workshop_id), payload)
    elif kind == "tables.split":
        payload = live.prepared_split(workshops().state(workshop_id), payload)
    facilitator = access.is_facilitator(workshop)
    me = access.participant(workshop)
    who = None if facilitator and kind in FACILITATOR_ACTIONS else (me.id if me else "")
    if who == "":
        raise access.refused(WorkshopError("join_first"), 403)
    action = str(sent.get("action") or "")[:64] or None
    try:
        seq = workshops().act(workshop_id, kind, payload, who, action)
    except WorkshopError as error:
        raise access.refused(error, 409 if error.key in ("dots_used", "decided", "time_up", "not_open", "ended") else 400)
    if kind in live.WRITES_BACK:
        live.write_back(workshop_id)
    if as_json:
        return jsonify({"seq": seq, "action": action})
    target = "workshop.facilitate" if who is None else "workshop.room"
    return redirect(url_for(target, workshop_id=workshop_id), code=303)


# ---------------------------------------------------------------------- following
@bp.get("/workshops/<workshop_id>/stream")
def stream(workshop_id: str) -> Response:
    """Server-Sent Events: `changed` with the last sequence number whenever something happened."""
    access.workshop_or_404(workshop_id)
    since = request.headers.get("Last-Event-ID") or request.args.get("since") or "0"
    return live.event_stream(workshop_id, int(since) if since.isdigit() else 0)


@twin(bp, "/workshops/<workshop_id>/history", "workshop/history.html")
def history(workshop_id: str) -> Reply:
    """Everything that happened, in order, rejected proposals included; `?since=N` gives only what a
    device missed after number N (the .json twin is how a program follows a workshop)."""
    workshop = access.workshop_or_404(workshop_id)
    since, limit = request.args.get("since", "0"), request.args.get("limit", "500")
    if not since.isdigit() or not limit.isdigit():
        raise Problem(400, translate("workshop.bad_since", g.lang), key="workshop-bad-since")
    found = workshops().log.events(workshop_id, int(since), min(int(limit), 5000))
    data = {"events": [{"seq": e.seq, "kind": e.kind, "participant": e.participant, "payload": e.payload, "at": e.at}
                       for e in found], "last": found[-1].seq if found else int(since)}
    state = workshops().state(workshop_id)
    return Reply.of(data, workshop=workshop, state=state, name=namer(state, g.lang), role="history")
