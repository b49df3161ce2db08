"""What keeps a workshop live: the view model of each role's panel, the event stream, actions sent
as forms, the items an activity offers when it opens, and writing decisions back to the graph.

The stream: each connection holds a server thread, so their number is capped (WORKSHOP_STREAMS;
`serve` adds that many threads) and each ends after STREAM_SECONDS (the browser reconnects at once
with Last-Event-ID, and a capped-out device falls back to asking every few seconds). Bursts are
coalesced: a device hears at most one `changed` per COALESCE_SECONDS, with the latest number.
"""
from __future__ import annotations

import threading
import uuid
import time
from typing import Any, Callable, Iterator

from flask import Response, current_app, g
from werkzeug.datastructures import MultiDict

from graph.explore.network import clear_findings_cache
from graph.workshop import scope
from graph.workshop.record import write_decisions
from graph.workshop.log import Participant
from graph.workshop.state import LINK_RELATIONS, SCORE_SCALE, WorkshopState
from ontology.texts import translate
from web.errors import Problem
from web.workshop.naming import describe_proposal
from web.workshop.setup import workshops

WRITES_BACK = ("decide", "activity.close", "workshop.end")
STREAM_SECONDS = 30.0
COALESCE_SECONDS = 0.25
KEEPALIVE_SECONDS = 10.0
CROSS_IMPACT_DEFAULT = 8   # goals offered by default: 56 cells, split across the tables
_streams_lock = threading.Lock()
_streams_open = 0


# ---------------------------------------------------------------------- panels
def context(state: WorkshopState, role: str, me: Participant | None, name: Callable[[str], str]) -> dict[str, Any]:
    """What the templates draw for this role; the same whether the whole page or only the panel."""
    table = state.table_of(me.id) if me else ""
    return {"table": table, "new_action": lambda: uuid.uuid4().hex,
            "describe": lambda pid: describe_proposal(state, pid, name, g.lang), "relations": LINK_RELATIONS, "scale": list(SCORE_SCALE),
            "activities": list(state.activities.values()), "reach": _reach(state, table if me else None),
            "now": time.time(), "dots_left": {a.id: a.dots - state.dots_used(a.id, me.id)
                                             for a in state.activities.values() if me and a.type == "priorities"},
            "my_scores": {(a, s, t): by[me.id] for (a, s, t), by in state.scores.items() if me and me.id in by},
            "my_votes": {(a, i): c.get(me.id, 0) for (a, i), c in state.votes.items() if me}}


def _reach(state: WorkshopState, table: str | None) -> dict[str, list[str]]:
    """Personas: for the groups proposed for the persona(s) in view, the initiatives that reach them."""
    groups = {p.payload["group"] for p in state.proposals.values() if p.kind == "membership" and p.status != "rejected"
              and (table is None or state.persona_picks.get((p.activity, table)) == p.payload["persona"])}
    return scope.reach(current_app.config["STORE"], sorted(groups)) if groups else {}


def summary(state: WorkshopState, name: Callable[[str], str], lang: str) -> dict[str, Any]:
    """The state as data: the projector's content for programs (and the load test)."""
    return {
        "workshop": {"id": state.workshop.id, "title": state.workshop.title, "closed": state.closed},
        "last": state.last_seq,
        "participants": [{"id": p.id, "name": p.name, "body": p.body, "table": state.table_of(p.id)}
                         for p in state.participants.values()],
        "activities": [{"id": a.id, "type": a.type, "status": a.status, "ends_at": a.ends_at, "dots": a.dots,
                        "items": [{"id": i, "label": name(i)} for i in a.items]} for a in state.activities.values()],
        "proposals": [{"id": p.id, "kind": p.kind, "activity": p.activity, "by": p.by, "status": p.status,
                       "supporters": len(p.supporters), "payload": p.payload, "follow_up": p.follow_up}
                      for p in state.proposals.values()],
        "votes": {a.id: [{"item": i, "dots": n} for i, n in state.tally(a.id)]
                  for a in state.activities.values() if a.type == "priorities"},
        "scores": {a.id: [{"source": c.source, "target": c.target, "table": c.table, "n": len(c.scores),
                           "mean": c.mean, "spread": c.spread, "disagreement": c.disagreement}
                          for c in state.aggregate(a.id)]
                   for a in state.activities.values() if a.type == "crossimpact"},
    }


# ---------------------------------------------------------------------- opening an activity
def prepared_opening(state: WorkshopState, sent: dict[str, Any]) -> dict[str, Any]:
    """The items an activity offers, read from the graph when it opens (the facilitator may narrow
    them: cross-impact goals), so that every table works on the same, stored list."""
    act = state.activities.get(sent.get("activity"))  # type: ignore[arg-type]
    if act is None:
        return sent
    store, details = current_app.config["STORE"], state.workshop.details
    plans = details.get("plans") or []
    opened = {k: v for k, v in sent.items() if k in ("activity", "dots", "minutes")}
    if act.type == "personas":
        opened["items"] = details.get("personas") or []
        opened["choices"] = scope.target_groups(store, details.get("municipality"))
    elif act.type == "links":
        opened["items"] = [*plans, *scope.parts(store, plans, scope.TARGET_KINDS), *scope.parts(store, plans, "pg:Initiative")]
    elif act.type == "crossimpact":
        offered = scope.parts(store, plans, scope.TARGET_KINDS)
        chosen = [i for i in sent.get("items") or [] if i in offered]
        opened["items"] = chosen or offered[:CROSS_IMPACT_DEFAULT]
    elif act.type == "priorities":
        found = scope.findings(store, details["municipality"], g.lang) if details.get("municipality") else []
        proposals = [f"proposal:{p.id}" for p in state.proposals.values() if p.status != "rejected"]
        opened["items"] = [*found, *proposals]
    for key in ("dots", "minutes"):
        if isinstance(opened.get(key), str):
            opened[key] = int(opened[key]) if opened[key].isdigit() else None
        if opened.get(key) is None:
            opened.pop(key, None)
    return opened


def prepared_split(state: WorkshopState, sent: dict[str, Any]) -> dict[str, Any]:
    """Tables from a number: participants sorted by the body they represent, then dealt round the
    tables, so each table mixes departments (the point of a cross-departmental workshop)."""
    count = sent.get("count")
    if "tables" in sent or not (isinstance(count, int) or (isinstance(count, str) and count.isdigit())):
        return sent
    count = max(1, min(int(count), 40))
    people = sorted(state.participants.values(), key=lambda p: (p.body or "", p.name, p.id))
    return {"tables": {p.id: str(i % count + 1) for i, p in enumerate(people)}}


def payload_from_form(form: MultiDict) -> dict[str, Any]:
    """An action sent by a plain form (no script): `kind`, `action` and the payload's fields, with
    `follow_up.x` nested, `accepted` a yes/no and `items` a list."""
    payload: dict[str, Any] = {}
    for key in form:
        if key in ("kind", "action", "csrf_token"):
            continue
        value: Any = form.getlist(key) if key == "items" else form.get(key)
        if key == "accepted":
            value = value == "yes"
        elif key in ("score", "dots", "minutes") and isinstance(value, str) and value.lstrip("-").isdigit():
            value = int(value)
        if "." in key:
            outer, inner = key.split(".", 1)
            payload.setdefault(outer, {})[inner] = value
        else:
            payload[key] = value
    return {"kind": form.get("kind"), "action": form.get("action"), "payload": payload}


# ---------------------------------------------------------------------- decisions into the graph
def write_back(workshop_id: str) -> None:
    """The workshop's named graph, made anew from every decision so far (graph/workshop/record.py)."""
    write_decisions(current_app.config["STORE"], workshops().state(workshop_id))
    clear_findings_cache()  # the matrix and network findings kept for a few minutes must show it now


# ---------------------------------------------------------------------- the stream
def event_stream(workshop_id: str, since: int) -> Response:
    global _streams_open
    with _streams_lock:
        if _streams_open >= current_app.config["WORKSHOP_STREAMS"]:
            raise Problem(503, translate("workshop.busy", g.lang), key="workshop-streams-full",
                          headers={"Retry-After": "3"})
        _streams_open += 1
    room = workshops()
    return Response(_events(room, workshop_id, since), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def _events(room, workshop_id: str, since: int) -> Iterator[str]:
    global _streams_open
    try:
        last = room.log.last_seq(workshop_id)
        yield f"retry: 1000\nid: {last}\nevent: changed\ndata: {last}\n\n"  # catch up at once
        ends, quiet_since = time.monotonic() + STREAM_SECONDS, time.monotonic()
        while time.monotonic() < ends:
            seq = room.wait(workshop_id, last, timeout=min(KEEPALIVE_SECONDS, max(0.0, ends - time.monotonic())))
            if seq > last:
                last = seq
                quiet_since = time.monotonic()
                yield f"id: {last}\nevent: changed\ndata: {last}\n\n"
                time.sleep(COALESCE_SECONDS)
            elif time.monotonic() - quiet_since >= KEEPALIVE_SECONDS:
                quiet_since = time.monotonic()
                yield ": still here\n\n"
    finally:
        with _streams_lock:
            _streams_open -= 1
