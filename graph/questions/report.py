"""The coherence report as data: every gap, overlap, synergy, continuity break and inconsistency the
query library finds, each with its evidence and source (web/report.py renders it as HTML or Markdown).

The report runs the same named queries as the CLI and the web app, so it never disagrees with them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.questions.explain import explain
from graph.questions.library import NamedQuery, library, run_named
from graph.questions.results import compact, term_names
from graph.store import Store
from graph.store.labels import Labeller

SECTIONS = ["gap", "overlap", "synergy", "continuity", "consistency"]
MAX_ROWS = 50

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


def _cell(term: object, labels: Labeller, values: str | None = None) -> str:
    if isinstance(term, ox.NamedNode):
        return labels(term.value)
    if isinstance(term, ox.Literal):
        names = term_names(term.value, values, labels) if values else None
        return term.value if names is None else names
    return compact(term)


def _columns(query: NamedQuery, columns: list[str], lang: str) -> list[tuple[str, str]]:
    """(heading, variable) pairs: a label column stands in for its IRI column, under the IRI column's
    heading from the question's metadata (in the report's language)."""
    shown = []
    for column in columns:
        if column.endswith("Label") and column[:-5] in columns:
            continue
        source = column + "Label" if column + "Label" in columns else column
        shown.append((query.heading(column, lang), source))
    return shown


def _values(query: NamedQuery, column: str) -> str | None:
    declared = query.column(column)
    return declared.values if declared else None


def _section(store: Store, query: NamedQuery, lang: str) -> Section:
    result = run_named(store, query, {}, lang=lang)
    shown = result.rows[:MAX_ROWS]
    labels = Labeller(store, lang)
    labels.load(t.value for row in shown for t in row.values() if isinstance(t, ox.NamedNode))
    columns = _columns(query, list(result.columns), lang)
    rows = [[_cell(row.get(v), labels, _values(query, v)) for _h, v in columns] for row in shown]
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
