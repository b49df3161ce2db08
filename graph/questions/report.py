"""The coherence report as data: every gap, overlap, synergy, continuity break and inconsistency the
query library finds, each with its evidence and source (web/report.py renders it as HTML, Markdown
or PDF), for the whole graph or narrowed to one municipality, committee or plan.

The report runs the same named queries as the CLI and the web app, so it never disagrees with them.
A narrowed report passes the municipality to the questions that take one, and keeps the rows that
name something in scope (a document of the committee or the plan, one of their parts or
initiatives). Sources are numbered notes, one list for the whole report, so that tables fit a page.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.questions.explain import explain
from graph.questions.kept import KEPT
from graph.questions.library import NamedQuery, library
from graph.questions.results import compact, term_names
from graph.store import Store
from graph.store.labels import Labeller

SECTIONS = ["gap", "overlap", "synergy", "continuity", "consistency"]
MAX_ROWS = 50
SUMMARY_ROWS = 3   # findings per kind in the summary: the first rows of the question that found most
PREFIXES = "PREFIX pg: <https://w3id.org/policygraph/ontology#>\n"


@dataclass(frozen=True)
class Scope:
    """What a report is about: all of it, or one municipality, committee or plan (IRIs)."""

    municipality: str | None = None
    committee: str | None = None
    plan: str | None = None

    @property
    def narrowed(self) -> bool:
        return bool(self.municipality or self.committee or self.plan)


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
    notes: list[list[int]] = field(default_factory=list)   # per row, the numbers of its sources


def gist(row: list[str], cells: int = 3) -> str:
    """A row in a few words for the summary: its first named things, not its numbers or addresses."""
    words = [c for c in row if c and not c.startswith(("http://", "https://")) and not c.replace(".", "").isdigit()]
    return " · ".join(words[:cells])


@dataclass
class Report:
    lang: str
    generated: str
    sections: dict[str, list[Section]] = field(default_factory=dict)
    scope: Scope = field(default_factory=Scope)
    scope_label: str = ""                                     # "København", "Integrationshandleplan 2019-22"
    notes: list[str] = field(default_factory=list)            # numbered sources, 1-based in the text

    def count(self, kind: str) -> int:
        return sum(s.total for s in self.sections.get(kind, []))

    def summary(self) -> list[tuple[str, int, Section | None]]:
        """(kind, findings, the question that found most) for each kind: what the first page says."""
        found = []
        for kind in SECTIONS:
            sections = [s for s in self.sections.get(kind, []) if s.total]
            found.append((kind, self.count(kind), max(sections, key=lambda s: s.total) if sections else None))
        return found

    def note(self, source: str) -> int:
        """The number of a source in the report's notes (the same source keeps its number)."""
        if source not in self.notes:
            self.notes.append(source)
        return self.notes.index(source) + 1


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


def _in_scope(row: dict, iris: set[str] | None) -> bool:
    return iris is None or any(isinstance(t, ox.NamedNode) and t.value in iris for t in row.values())


def _section(store: Store, query: NamedQuery, report: Report, iris: set[str] | None) -> Section:
    lang = report.lang
    params = ({"municipality": report.scope.municipality}
              if report.scope.municipality and any(p.name == "municipality" for p in query.parameters) else {})
    result = KEPT.answer(store, query, params, lang)
    kept = [row for row in result.rows if _in_scope(row, iris)]
    shown = kept[:MAX_ROWS]
    labels = Labeller(store, lang)
    labels.load(t.value for row in shown for t in row.values() if isinstance(t, ox.NamedNode))
    columns = _columns(query, list(result.columns), lang)
    if report.scope.municipality:  # the same in every row of a municipality's report
        columns = [(h, v) for h, v in columns if v not in ("municipality", "municipalityLabel")] or columns
    rows = [[_cell(row.get(v), labels, _values(query, v)) for _h, v in columns] for row in shown]
    sources = []
    for row in shown:
        found = explain(store, row, query, lang)
        sources.append(sorted({f"{e.document}, {e.locator}: «{e.quote}»" if e.quote else f"{e.document}, {e.locator}"
                               for e in found}))
    return Section(query, query.title.get(lang) or query.title["en"], query.question.get(lang) or query.question["en"],
                   [h for h, _v in columns], rows, sources, len(kept),
                   [[report.note(source) for source in row_sources] for row_sources in sources])


_SCOPE_IRIS = {
    # (the scope itself is added in Python: a bound parameter reaches a BIND inside a UNION unbound)
    # everything of the municipality: its documents, their parts and initiatives, its organisations
    "municipality": "SELECT DISTINCT ?x WHERE { ?x pg:municipality|pg:inMunicipality ?scope }",
    # the documents the committee prepares, adopts or answers for, their parts, and the parts it answers for
    "committee": """SELECT DISTINCT ?x WHERE {
        { ?x pg:preparedBy|pg:adoptedBy|pg:responsibleBody ?scope }
        UNION { ?d pg:preparedBy|pg:adoptedBy|pg:responsibleBody ?scope . ?x pg:withinDocument ?d } }""",
    "plan": "SELECT DISTINCT ?x WHERE { ?x pg:withinDocument ?scope }",
}


def scope_iris(store: Store, scope: Scope) -> set[str] | None:
    """The resources a narrowed report is about (None: everything); more than one narrowing: all of them."""
    found: set[str] | None = None
    for kind in ("municipality", "committee", "plan"):
        iri = getattr(scope, kind)
        if iri:
            rows = store.query(PREFIXES + _SCOPE_IRIS[kind], {"scope": ox.NamedNode(iri)})
            these = {iri} | {r["x"].value for r in rows if r["x"] is not None}
            found = these if found is None else found & these
    return found


def build_report(store: Store, lang: str = "da", scope: Scope | None = None) -> Report:
    """Run every non-overview question of the library with its defaults, narrowed to `scope`."""
    scope = scope or Scope()
    labels = Labeller(store, lang)
    report = Report(lang, dt.datetime.now().strftime("%Y-%m-%d %H:%M"), scope=scope,
                    scope_label=" · ".join(labels(i) for i in (scope.municipality, scope.committee, scope.plan) if i))
    iris = scope_iris(store, scope)
    for query in sorted(library().values(), key=lambda q: (SECTIONS.index(q.kind) if q.kind in SECTIONS else 99, q.id)):
        if query.kind in SECTIONS and not query.needs_input():
            report.sections.setdefault(query.kind, []).append(_section(store, query, report, iris))
    return report
