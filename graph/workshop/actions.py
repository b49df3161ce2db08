"""What may be done in a workshop, by whom, and with what: every action is checked against the state
before the log stores it, and its payload is rebuilt from the fields it may have, so nothing a
device sends beyond them reaches the log, the views or the graph.

Participants act only in their own workshop and only while it and the activity are open; the
facilitator's actions (open, close, split tables, decide, end) need the facilitator's credential,
which the web layer checks before calling `check` with `participant=None`.
"""
from __future__ import annotations

import datetime as dt
import time
from typing import Any, Callable

from graph.workshop.log import WorkshopError
from graph.workshop.state import LINK_RELATIONS, SCORE_SCALE, Activity, WorkshopState

FACILITATOR_ACTIONS = ("activity.open", "activity.close", "tables.split", "decide", "workshop.end")
PARTICIPANT_ACTIONS = ("persona.pick", "persona.group", "focus.propose", "link.propose", "support", "score", "vote")
MAX_TEXT = 1000
MAX_ITEMS = 400
MAX_DOTS = 20


def check(state: WorkshopState, kind: str, payload: dict[str, Any], participant: str | None,
          now: float | None = None) -> dict[str, Any]:
    """The payload to store for this action, or WorkshopError saying why it is refused."""
    now = time.time() if now is None else now
    if state.closed or now > state.workshop.closes:
        raise WorkshopError("ended")
    if kind in FACILITATOR_ACTIONS:
        if participant is not None:
            raise WorkshopError("facilitator_only")
        return _FACILITATOR[kind](state, payload, now)
    if kind in PARTICIPANT_ACTIONS:
        if participant is None or participant not in state.participants:
            raise WorkshopError("join_first")
        return _PARTICIPANT[kind](state, payload, participant, now)
    raise WorkshopError("unknown_action", kind=kind)


def dot_limit(state: WorkshopState, kind: str, payload: dict[str, Any]) -> int | None:
    """The dots a participant has in a vote (the log enforces it in the same transaction)."""
    return state.activities[payload["activity"]].dots if kind == "vote" else None


# ---------------------------------------------------------------------- fields
def _text(payload: dict[str, Any], key: str, required: bool = True) -> str:
    value = payload.get(key, "")
    if not isinstance(value, str):
        raise WorkshopError("not_text", field=key)
    value = value.strip()
    if required and not value:
        raise WorkshopError("missing", field=key)
    if len(value) > MAX_TEXT:
        raise WorkshopError("too_long", field=key, limit=MAX_TEXT)
    return value


def _activity(state: WorkshopState, payload: dict[str, Any], kind: str | None = None, now: float | None = None,
              must_be_open: bool = True) -> Activity:
    act = state.activities.get(payload.get("activity"))  # type: ignore[arg-type]
    if act is None:
        raise WorkshopError("no_activity")
    if kind is not None and act.type != kind:
        raise WorkshopError("wrong_activity")
    if must_be_open and act.status != "open":
        raise WorkshopError("not_open")
    if must_be_open and now is not None and act.ends_at is not None and now > act.ends_at:
        raise WorkshopError("time_up")
    return act


def _one_of(value: Any, allowed: list[str] | tuple[str, ...], what: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise WorkshopError("not_offered", field=what)
    return value


# ---------------------------------------------------------------------- participants
def _pick(state, payload, who, now):
    act = _activity(state, payload, "personas", now)
    return {"activity": act.id, "persona": _one_of(payload.get("persona"), act.items, "persona")}


def _group(state, payload, who, now):
    act = _activity(state, payload, "personas", now)
    return {"activity": act.id, "persona": _one_of(payload.get("persona"), act.items, "persona"),
            "group": _one_of(payload.get("group"), act.choices, "group")}


def _focus(state, payload, who, now):
    act = _activity(state, payload, "personas", now)
    persona = payload.get("persona") or None
    if persona is not None:
        _one_of(persona, act.items, "persona")
    return {"activity": act.id, "persona": persona, "text": _text(payload, "text")}


def _link(state, payload, who, now):
    act = _activity(state, payload, "links", now)
    source = _one_of(payload.get("source"), act.items, "source")
    target = _one_of(payload.get("target"), act.items, "target")
    if source == target:
        raise WorkshopError("same_ends")
    return {"activity": act.id, "source": source, "target": target,
            "relation": _one_of(payload.get("relation"), LINK_RELATIONS, "relation"),
            "rationale": _text(payload, "rationale", required=False)}


def _support(state, payload, who, now):
    proposal = state.proposals.get(payload.get("proposal"))  # type: ignore[arg-type]
    if proposal is None:
        raise WorkshopError("no_proposal")
    if proposal.status != "open":
        raise WorkshopError("decided")
    return {"proposal": proposal.id, "activity": proposal.activity}


def _score(state, payload, who, now):
    act = _activity(state, payload, "crossimpact", now)
    score = payload.get("score")
    if isinstance(score, str) and score.lstrip("-+").isdigit():
        score = int(score)
    if not isinstance(score, int) or isinstance(score, bool) or score not in SCORE_SCALE:
        raise WorkshopError("score_scale")
    cell = (payload.get("source"), payload.get("target"))
    mine = {(a, b) for a, b, table in act.cells() if table == state.table_of(who) or not act.tables}
    if cell not in mine:
        raise WorkshopError("other_table")
    return {"activity": act.id, "source": cell[0], "target": cell[1], "score": score}


def _vote(state, payload, who, now):
    act = _activity(state, payload, "priorities", now)
    return {"activity": act.id, "item": _one_of(payload.get("item"), act.items, "item")}


# ---------------------------------------------------------------------- facilitator
def _open(state, payload, now):
    act = _activity(state, payload, must_be_open=False)
    items = payload.get("items", act.items)
    choices = payload.get("choices", act.choices)
    labels = payload.get("labels", {})
    if not (isinstance(items, list) and isinstance(choices, list) and isinstance(labels, dict)) \
            or not all(isinstance(i, str) for i in [*items, *choices, *labels, *labels.values()]):
        raise WorkshopError("bad_items")
    if len(items) > MAX_ITEMS or len(choices) > MAX_ITEMS:
        raise WorkshopError("too_many_items", limit=MAX_ITEMS)
    opened: dict[str, Any] = {"activity": act.id, "items": items, "choices": choices, "labels": labels,
                              "tables": state.table_names()}
    if act.type == "priorities":
        dots = payload.get("dots", 3)
        if not isinstance(dots, int) or not 1 <= dots <= MAX_DOTS:
            raise WorkshopError("dots_range", limit=MAX_DOTS)
        opened["dots"] = dots
    minutes = payload.get("minutes")
    if minutes:
        if not isinstance(minutes, (int, float)) or not 0 < minutes <= 240:
            raise WorkshopError("minutes_range")
        opened["ends_at"] = now + minutes * 60
    return opened


def _close(state, payload, now):
    return {"activity": _activity(state, payload, must_be_open=False).id}


def _split(state, payload, now):
    tables = payload.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(t, str) and 0 < len(t) <= 40 for t in tables.values()):
        raise WorkshopError("bad_tables")
    unknown = [p for p in tables if p not in state.participants]
    if unknown:
        raise WorkshopError("not_participants")
    return {"tables": tables}


def _decide(state, payload, now):
    proposal = state.proposals.get(payload.get("proposal"))  # type: ignore[arg-type]
    if proposal is None:
        raise WorkshopError("no_proposal")
    accepted = payload.get("accepted")
    if not isinstance(accepted, bool):
        raise WorkshopError("accept_or_reject")
    decided: dict[str, Any] = {"proposal": proposal.id, "activity": proposal.activity, "accepted": accepted}
    follow = payload.get("follow_up") or {}
    if accepted and follow.get("body"):
        bodies = state.workshop.details.get("bodies") or []
        decided["follow_up"] = {"body": _one_of(follow["body"], bodies, "body"),
                                "task": _text(follow, "task"), "due": _date(follow.get("due"))}
    return decided


def _date(value: Any) -> str:
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise WorkshopError("bad_date") from None


def _end(state, payload, now):
    return {}


_PARTICIPANT: dict[str, Callable[..., dict[str, Any]]] = {
    "persona.pick": _pick, "persona.group": _group, "focus.propose": _focus, "link.propose": _link,
    "support": _support, "score": _score, "vote": _vote}
_FACILITATOR: dict[str, Callable[..., dict[str, Any]]] = {
    "activity.open": _open, "activity.close": _close, "tables.split": _split, "decide": _decide,
    "workshop.end": _end}
assert set(_PARTICIPANT) == set(PARTICIPANT_ACTIONS) and set(_FACILITATOR) == set(FACILITATOR_ACTIONS)
