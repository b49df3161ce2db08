"""The coherence report: every gap, overlap, synergy, continuity break and inconsistency the query
library finds, each with its evidence and source, as one self-contained HTML file or Markdown.

The report runs the same named queries as the CLI and the web app, so it never disagrees with them.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, select_autoescape

from graph.questions.explain import explain
from graph.questions.library import NamedQuery, library, run_named
from graph.questions.results import compact
from graph.store import Store

TEMPLATES = Path(__file__).resolve().parent / "templates"
SECTIONS = ["gap", "overlap", "synergy", "continuity", "consistency"]
MAX_ROWS = 50

TEXT = {
    "title": {"da": "Sammenhængsrapport", "en": "Coherence report"},
    "intro": {"da": "Huller, overlap, synergier, brud i kontinuiteten og uoverensstemmelser i planerne, "
                    "hver med kilde.",
              "en": "Gaps, overlaps, synergies, continuity breaks and inconsistencies across the plans, "
                    "each with its source."},
    "gap": {"da": "Huller", "en": "Gaps"},
    "overlap": {"da": "Overlap", "en": "Overlaps"},
    "synergy": {"da": "Synergier", "en": "Synergies"},
    "continuity": {"da": "Kontinuitet", "en": "Continuity"},
    "consistency": {"da": "Uoverensstemmelser", "en": "Inconsistencies"},
    "none": {"da": "Intet fundet.", "en": "Nothing found."},
    "evidence": {"da": "Kilde", "en": "Source"},
    "generated": {"da": "Dannet", "en": "Generated"},
    "findings": {"da": "fund", "en": "findings"},
    "shown": {"da": "Viser de første {n} af {total}.", "en": "Showing the first {n} of {total}."},
    "contents": {"da": "Indhold", "en": "Contents"},
    "sparql": {"da": "Forespørgsel", "en": "Query"},
}


def text(key: str, lang: str) -> str:
    return TEXT[key].get(lang, TEXT[key]["en"])


@dataclass
class Section:
    """One named question and what it found, ready to render."""

    query: NamedQuery
    title: str
    question: str
    columns: list[str]
    rows: list[list[str]]
    sources: list[list[str]]
    total: int


@dataclass
class Report:
    lang: str
    generated: str
    sections: dict[str, list[Section]] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return sum(s.total for s in self.sections.get(kind, []))


def _labels(store: Store, iris: set[str], lang: str) -> dict[str, str]:
    """Readable names for every IRI in the results, in one query."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    sparql = f"""SELECT ?x (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?fallback) WHERE {{
        VALUES ?x {{ {values} }}
        OPTIONAL {{ ?x skos:prefLabel|dct:title|rdfs:label ?l FILTER(LANG(?l) = ?lang) }}
        OPTIONAL {{ ?x skos:prefLabel|dct:title|rdfs:label ?d FILTER(LANG(?d) = "da") }}
    }} GROUP BY ?x"""
    out = {}
    for row in store.query(sparql, {"lang": lang}):
        label = row["label"] or row["fallback"]
        if label is not None:
            out[row["x"].value] = label.value
    return out


def _cell(term: object, labels: dict[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        return labels.get(term.value, compact(term))
    if isinstance(term, ox.Literal):
        return term.value
    return compact(term)


def _columns(columns: list[str]) -> list[tuple[str, str]]:
    """(heading, variable) pairs: a label column stands in for its IRI column, headings as words."""
    shown = []
    for column in columns:
        if column.endswith("Label") and column[:-5] in columns:
            continue
        source = column + "Label" if column + "Label" in columns else column
        heading = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", column).replace("_", " ")
        shown.append((heading[:1].upper() + heading[1:], source))
    return shown


def _section(store: Store, query: NamedQuery, lang: str) -> Section:
    result = run_named(store, query, {}, lang=lang)
    shown = result.rows[:MAX_ROWS]
    iris = {t.value for row in shown for t in row.values() if isinstance(t, ox.NamedNode)}
    labels = _labels(store, iris, lang)
    columns = _columns(list(result.columns))
    rows = [[_cell(row.get(v), labels) for _h, v in columns] for row in shown]
    sources = []
    for row in shown:
        found = explain(store, row, query, lang)
        sources.append(sorted({f"{e.document}, {e.locator}: «{e.quote}»" if e.quote else f"{e.document}, {e.locator}"
                               for e in found}))
    return Section(query, query.title.get(lang) or query.title["en"], query.question.get(lang) or query.question["en"],
                   [h for h, _v in columns], rows, sources, len(result.rows))


def build_report(store: Store, lang: str = "da") -> Report:
    """Run every non-overview question of the library with its defaults."""
    report = Report(lang, dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
    for query in sorted(library().values(), key=lambda q: (SECTIONS.index(q.kind) if q.kind in SECTIONS else 99, q.id)):
        if query.kind in SECTIONS and not any(p.required and p.default is None for p in query.parameters):
            report.sections.setdefault(query.kind, []).append(_section(store, query, lang))
    return report


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
