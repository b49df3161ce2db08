"""What a facilitator sends and keeps: a briefing for each invited body before the workshop, and
after it the record (who took part; what was proposed, scored, voted and decided), one letter per
invited body (what it was asked to do and by when, as the inclusion policy's letter asked each
committee for revised action plans by a date), and the scores and votes as CSV and XLSX.

Each document is a page with a print stylesheet and a `.pdf` twin printed from the same HTML
(web/printing.py, through web/twins.py), so paper from the browser and the PDF look alike.
"""
from __future__ import annotations

import io
from typing import Any

from flask import Response, current_app, g, request
from openpyxl import Workbook

from graph.questions.results import spreadsheet_cell
from graph.workshop.briefing import briefing
from graph.workshop.state import WorkshopState
from ontology.texts import translate
from web.errors import Problem
from web.printing import pdf_from_html
from web.twins import Reply, twin
from web.workshop import access, bp
from web.workshop.naming import describe_proposal, namer
from web.workshop.setup import workshops
from web.workshop.briefing import render_briefing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _facilitators_state(workshop_id: str) -> WorkshopState:
    """Documents name the participants, so they are the facilitator's."""
    workshop = access.workshop_or_404(workshop_id)
    access.facilitator_or_403(workshop)
    return workshops().state(workshop_id)


def _common(state: WorkshopState) -> dict[str, Any]:
    name = namer(state, g.lang)
    return {"state": state, "name": name, "describe": lambda pid: describe_proposal(state, pid, name, g.lang),
            "details": state.workshop.details}


# ---------------------------------------------------------------------- the record
def record_data(state: WorkshopState) -> dict[str, Any]:
    name = namer(state, g.lang)
    return {
        "title": state.workshop.title, "date": state.workshop.details.get("date") or None,
        "participants": [{"name": p.name, "body": name(p.body) if p.body else None, "table": state.table_of(p.id)}
                         for p in state.participants.values()],
        "proposals": [{"id": p.id, "kind": p.kind, "sentence": describe_proposal(state, p.id, name, g.lang),
                       "rationale": p.payload.get("rationale", ""), "supporters": len(p.supporters),
                       "status": p.status, "follow_up": p.follow_up} for p in state.proposals.values()],
        "scores": scores_table(state)[1], "votes": votes_table(state)[1],
    }


@twin(bp, "/workshops/<workshop_id>/record", "workshop/record.html", pdf=True)
def record(workshop_id: str) -> Reply:
    state = _facilitators_state(workshop_id)
    data = record_data(state)
    return Reply(json=lambda: data, filename="workshop-record",
                 page=lambda: {"data": data, "scores_columns": scores_table(state), "votes_columns": votes_table(state),
                               **_common(state)})


# ---------------------------------------------------------------------- the letters
def letters_data(state: WorkshopState) -> list[dict[str, Any]]:
    """One letter per invited body: the tasks the decisions gave it, each with its date."""
    name = namer(state, g.lang)
    asked = state.follow_ups()
    details = state.workshop.details
    return [{"body": body, "body_label": name(body),
             "tasks": [{"task": p.follow_up["task"], "due": p.follow_up.get("due") or details.get("due") or None,
                        "decision": describe_proposal(state, p.id, name, g.lang)} for p in asked.get(body, [])]}
            for body in details.get("bodies", [])]


@twin(bp, "/workshops/<workshop_id>/letters", "workshop/letters.html", pdf=True)
def letters(workshop_id: str) -> Reply:
    state = _facilitators_state(workshop_id)
    data = letters_data(state)
    return Reply(json=lambda: data, page=lambda: {"data": data, **_common(state)}, filename="workshop-letters")


# ---------------------------------------------------------------------- scores and votes
def scores_table(state: WorkshopState) -> tuple[list[str], list[list[Any]]]:
    name = namer(state, g.lang)
    columns = [translate(f"workshop.column.{c}", g.lang) for c in ("source", "target", "table", "n", "mean", "spread", "scores", "disagreement")]
    rows = [[name(c.source), name(c.target), c.table, len(c.scores), round(c.mean, 3) if c.mean is not None else "",
             round(c.spread, 3) if c.spread is not None else "", " ".join(str(s) for s in c.scores),
             translate("workshop.yes", g.lang) if c.disagreement else ""]
            for act in state.activities.values() if act.type == "crossimpact" for c in state.aggregate(act.id)]
    return columns, rows


def votes_table(state: WorkshopState) -> tuple[list[str], list[list[Any]]]:
    name = namer(state, g.lang)
    columns = [translate(f"workshop.column.{c}", g.lang) for c in ("item", "dots", "voters")]
    rows = [[name(item), dots, len(state.votes.get((act.id, item), {}))]
            for act in state.activities.values() if act.type == "priorities" for item, dots in state.tally(act.id)]
    return columns, rows


def _texts(rows: list[list[Any]]) -> list[list[str]]:
    return [["" if cell is None else str(cell) for cell in row] for row in rows]


def _table_reply(workshop_id: str, table, heading: str, filename: str) -> Reply:
    """A table of results as a page, JSON and CSV (the same rows in each)."""
    state = _facilitators_state(workshop_id)
    columns, rows = table(state)
    return Reply(json=lambda: {"columns": columns, "rows": rows}, table=lambda: (columns, _texts(rows)), filename=filename,
                 page=lambda: {"columns": columns, "rows": rows, "heading": heading, **_common(state)})


@twin(bp, "/workshops/<workshop_id>/scores", "workshop/results.html", csv=True)
def scores(workshop_id: str) -> Reply:
    return _table_reply(workshop_id, scores_table, "workshop.scores", "cross-impact-scores")


@twin(bp, "/workshops/<workshop_id>/votes", "workshop/results.html", csv=True)
def votes(workshop_id: str) -> Reply:
    return _table_reply(workshop_id, votes_table, "workshop.votes", "dot-votes")


@bp.get("/workshops/<workshop_id>/results.xlsx")
def results_xlsx(workshop_id: str) -> Response:
    """Scores and votes in one workbook, a sheet each (openpyxl)."""
    state = _facilitators_state(workshop_id)
    book = Workbook()
    book.remove(book.active)
    for key, (columns, rows) in (("workshop.scores", scores_table(state)), ("workshop.votes", votes_table(state))):
        sheet = book.create_sheet(translate(key, g.lang)[:31])
        sheet.append(columns)
        for row in rows:  # text never becomes a live formula (numbers stay numbers)
            sheet.append([spreadsheet_cell(cell) if isinstance(cell, str) else cell for cell in row])
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(), mimetype=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="workshop-results.xlsx"'})


# ---------------------------------------------------------------------- before: the briefings
def _briefing_html(workshop_id: str) -> tuple[str, str]:
    """(HTML, file name) of the briefing for the invited body named by `?body=`."""
    state = _facilitators_state(workshop_id)
    details = state.workshop.details
    body = request.args.get("body", "")
    if body not in details.get("bodies", []):
        raise Problem(404, translate("workshop.not_invited", g.lang), key="workshop-not-invited")
    found = briefing(current_app.config["STORE"], g.lang, body, details.get("plans", []), details.get("municipality"),
                     details.get("asks", ""))
    html = render_briefing(found, g.lang, state.workshop.title, details.get("date") or "")
    return html, "briefing-" + body.rstrip("/").rsplit("/", 1)[-1]


@bp.get("/workshops/<workshop_id>/briefing.pdf")
def briefing_pdf(workshop_id: str) -> Response:
    """One invited body's one-page briefing, to send before the workshop."""
    html, name = _briefing_html(workshop_id)
    return Response(pdf_from_html(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})


@bp.get("/workshops/<workshop_id>/briefing.html")
def briefing_html(workshop_id: str) -> Response:
    """The same briefing as one HTML file with its styles written in, to mail or open without the
    app (downloaded, not shown here: the app's pages allow no inline styles)."""
    html, name = _briefing_html(workshop_id)
    return Response(html, mimetype="text/html", headers={"Content-Disposition": f'attachment; filename="{name}.html"'})
