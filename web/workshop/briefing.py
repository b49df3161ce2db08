"""The briefing sent to an invited body before a workshop, drawn from plain data
(graph/workshop/briefing.py): one HTML file with the print stylesheet written in, so it can be
mailed, opened without the app, or printed to PDF by web/printing.py."""
from __future__ import annotations

from itertools import groupby

from graph.workshop.briefing import Briefing, Finding
from ontology.texts import translate
from web.printing import document_environment
from web.resources import format_amount


def _findings_by_question(findings: list[Finding]) -> list[tuple[str, list[Finding], int]]:
    """(question, its rows shown, how many rows touch the body) in the library's order."""
    return [(question, rows, rows[0].total)
            for question, group in groupby(findings, key=lambda f: f.question) for rows in [list(group)]]


def render_briefing(briefing: Briefing, lang: str, workshop_title: str, workshop_date: str) -> str:
    """The one-page briefing of one invited committee or administration (A4 where it fits)."""
    env = document_environment(t=lambda key: translate(key, lang), amount=lambda value: format_amount(value, lang),
                               dict=dict)
    return env.get_template("workshop_briefing.html").render(
        b=briefing, lang=lang, workshop_title=workshop_title, workshop_date=workshop_date,
        findings=_findings_by_question(briefing.findings))
