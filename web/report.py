"""The coherence report (graph/questions/report.py) as one self-contained HTML file, as Markdown, as a
PDF printed from that same HTML (web/printing.py), and as the page `/report` with its `.json` and
`.pdf` twins, with the texts of ontology/texts/report.yaml."""
from __future__ import annotations

import html
import re
import threading
import time
from dataclasses import asdict, astuple
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, current_app, g, request

from graph.explore.describe import exists
from graph.questions.library import QueryParameterError, resolve_iri
from graph.questions.report import MAX_ROWS, SECTIONS, SUMMARY_ROWS, Report, Scope, build_report, gist
from graph.store import Store
from ontology.texts import translate
from web.errors import Problem
from web.printing import document_environment, pdf_from_html, print_context
from web.twins import Reply, twin

bp = Blueprint("report", __name__)
REPORTS_KEPT = 16          # languages x scopes asked for lately
REPORT_TTL = 60.0          # seconds the served report is reused (a new generation of the store rebuilds it)
_RECENT: dict[tuple, tuple[float, Report]] = {}
_RECENT_LOCK = threading.Lock()
TEMPLATE = "report.html"   # in web/templates/files: the saved file, the page and the PDF are one template


def text(key: str, lang: str) -> str:
    return translate(f"report.{key}", lang)


def _globals() -> dict[str, Any]:
    return {"text": text, "sections": SECTIONS, "max_rows": MAX_ROWS, "summary_rows": SUMMARY_ROWS, "gist": gist}


def render_html(report: Report) -> str:
    """One file, no external resources: it can be mailed or opened on an intranet without internet."""
    return document_environment(**_globals()).get_template(TEMPLATE).render(report=report, lang=report.lang)


def render_pdf(report: Report) -> bytes:
    """The same file on A4 (print.css), for `policygraph report --format pdf`."""
    return pdf_from_html(render_html(report))


def _as_json(report: Report) -> dict[str, Any]:
    """The report's findings as data (the queries by id: their text is at /questions/<id>)."""
    return {"lang": report.lang, "generated": report.generated, "scope": asdict(report.scope),
            "scope_label": report.scope_label, "notes": report.notes,
            "sections": {kind: [{**{k: v for k, v in asdict(s).items() if k != "query"}, "query": s.query.id}
                                for s in sections] for kind, sections in report.sections.items()}}


def recent_report(store: Store, lang: str, scope: Scope | None = None) -> Report:
    """The report of this store, language and scope, built again after REPORT_TTL seconds or when the store
    publishes a new generation. Reused so that the page, its .json and its .pdf asked for together
    show the same findings with the same time stamp, and so the .pdf twin's HTML repeats exactly and
    its print (tens of seconds on a busy machine) comes from web/printing.py's cache."""
    scope = scope or Scope()
    key = (id(store), str(store.generation()) if isinstance(store, Store) else None, lang, astuple(scope))
    with _RECENT_LOCK:
        kept = _RECENT.get(key)
        if kept is not None and time.monotonic() - kept[0] < REPORT_TTL:
            return kept[1]
    report = build_report(store, lang, scope)
    with _RECENT_LOCK:
        _RECENT.pop(key, None)           # a rebuilt report goes to the end, as the newest
        _RECENT[key] = (time.monotonic(), report)
        while len(_RECENT) > REPORTS_KEPT:   # the oldest first (dicts keep their order of insertion)
            _RECENT.pop(next(iter(_RECENT)))
    return report


@twin(bp, "/report", "files/" + TEMPLATE, pdf=True)
def page() -> Reply:
    """The report served by the app: stylesheets linked (the CSP forbids inline styles), the same
    template as the saved file, and its PDF from the same HTML."""
    report = recent_report(current_app.config["STORE"], g.lang, _scope())
    return Reply(json=lambda: _as_json(report), filename="coherence-report",
                 page=lambda: {"report": report, "lang": report.lang, **_globals(), **print_context(inline=False)})


def _scope() -> Scope:
    """`?municipality=`, `?committee=`, `?plan=`: a short id (org/koebenhavn) or a full IRI, each
    checked to name something in the graph."""
    chosen: dict[str, str] = {}
    for name in ("municipality", "committee", "plan"):
        value = request.args.get(name, "").strip()
        if not value:
            continue
        try:
            node = ox.NamedNode(resolve_iri(value))
        except (QueryParameterError, ValueError):  # ValueError: not an IRI at all (`<x`, a NUL)
            node = None
        if node is None or not exists(current_app.config["STORE"], node):
            raise Problem(404, text("unknown_scope", g.lang).format(value=value[:200]), key="report-unknown-scope")
        chosen[name] = node.value
    return Scope(**chosen)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def _md(value: str) -> str:
    """Text from the data as inert Markdown: Markdown renderers pass raw HTML through, so `<script>`
    in a label is escaped as HTML; `|` would split a table cell and `[x](javascript:...)`, `*` or
    backticks would become links and formatting, so they are backslash-escaped; a newline would end
    the table row."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(value, quote=False)).replace("\r", " ").replace("\n", " ")


def render_markdown(report: Report) -> str:
    lang = report.lang
    title = text("title", lang) + (f": {_md(report.scope_label)}" if report.scope_label else "")
    lines = [f"# {title}", "", text("intro", lang), "", f"{text('generated', lang)}: {report.generated}", "",
             f"## {text('summary', lang)}", ""]
    for kind, count, top in report.summary():
        lines.append(f"- **{text(kind, lang)}: {count} {text('findings', lang)}**"
                     + (" " + _md(text("most_from", lang).format(question=top.title, n=top.total)) if top else ""))
    lines.append("")
    for kind in SECTIONS:
        lines += [f"## {text(kind, lang)} ({report.count(kind)} {text('findings', lang)})", ""]
        for section in report.sections.get(kind, []):
            lines += [f"### {_md(section.title)}", "", f"*{_md(section.question)}*", ""]
            if not section.rows:
                lines += [text("none", lang), ""]
                continue
            lines.append("| " + " | ".join(_md(c) for c in section.columns + [text("evidence", lang)]) + " |")
            lines.append("|" + " --- |" * (len(section.columns) + 1))
            for row, notes in zip(section.rows, section.notes):
                lines.append("| " + " | ".join([*(_md(c) for c in row), " ".join(f"[{n}]" for n in notes)]) + " |")
            if section.total > len(section.rows):
                lines.append("")
                lines.append(text("shown", lang).format(n=len(section.rows), total=section.total))
            lines.append("")
    if report.notes:
        lines += [f"## {text('notes', lang)}", ""] + [f"{n}. {_md(source)}" for n, source in enumerate(report.notes, 1)]
    return "\n".join(lines) + "\n"
