"""The coherence report (graph/questions/report.py) as one self-contained HTML file or as Markdown,
with the texts of ontology/texts/report.yaml."""
from __future__ import annotations

import html
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from graph.questions.report import MAX_ROWS, SECTIONS, Report
from ontology.texts import translate

TEMPLATES = Path(__file__).resolve().parent / "templates" / "files"  # documents to save, not pages under the CSP


def text(key: str, lang: str) -> str:
    return translate(f"report.{key}", lang)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.globals.update(text=text, sections=SECTIONS, max_rows=MAX_ROWS)
    return env


def render_html(report: Report) -> str:
    """One file, no external resources: it can be mailed or opened on an intranet without internet."""
    return _environment().get_template("report.html").render(report=report, lang=report.lang)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def _md(value: str) -> str:
    """Text from the data as inert Markdown: Markdown renderers pass raw HTML through, so `<script>`
    in a label is escaped as HTML; `|` would split a table cell and `[x](javascript:...)`, `*` or
    backticks would become links and formatting, so they are backslash-escaped; a newline would end
    the table row."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(value, quote=False)).replace("\r", " ").replace("\n", " ")


def render_markdown(report: Report) -> str:
    lang = report.lang
    lines = [f"# {text('title', lang)}", "", text("intro", lang), "", f"{text('generated', lang)}: {report.generated}", ""]
    for kind in SECTIONS:
        lines += [f"## {text(kind, lang)} ({report.count(kind)} {text('findings', lang)})", ""]
        for section in report.sections.get(kind, []):
            lines += [f"### {_md(section.title)}", "", f"*{_md(section.question)}*", ""]
            if not section.rows:
                lines += [text("none", lang), ""]
                continue
            lines.append("| " + " | ".join(_md(c) for c in section.columns + [text("evidence", lang)]) + " |")
            lines.append("|" + " --- |" * (len(section.columns) + 1))
            for row, sources in zip(section.rows, section.sources):
                lines.append("| " + " | ".join(_md(c) for c in row + ["; ".join(sources)]) + " |")
            if section.total > len(section.rows):
                lines.append("")
                lines.append(text("shown", lang).format(n=len(section.rows), total=section.total))
            lines.append("")
    return "\n".join(lines) + "\n"
