"""The briefing a facilitator sends to one invited committee or administration before a workshop, as
data (web/workshop/briefing.py draws it on one A4 page): for each plan in scope that the body answers
for, its goals and focus areas, its initiatives with their yearly budgets and target groups, and the
gaps and overlaps of the question library that touch them; then what the body is asked to bring.

Responsibility is read as the graph states it: a plan's pg:responsibleBody, pg:adoptedBy or
pg:preparedBy, and an initiative's pg:accountableBody (its own responsible body, else its plan's,
derived at load), so the briefing names the same owner as the budget-per-committee question.
Every list says when it was cut, so a page never passes a shortened list off as the whole.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from graph.questions.library import library, run_named
from graph.store import Store
from graph.store.labels import Labeller
from ontology import PG, XSD, expand

PLAN_ROLES = ("responsibleBody", "adoptedBy", "preparedBy")
# The named questions whose rows a briefing keeps when they touch the body's plans, initiatives or goals.
FINDING_QUESTIONS = ("goals-without-initiative", "areas-without-goal-or-initiative",
                     "target-groups-without-initiative", "overlapping-initiatives")
MAX_GOALS = 12          # one A4 page: longer lists are cut, and say so
MAX_INITIATIVES = 12
MAX_FINDINGS = 5        # rows per question


@dataclass
class Goal:
    iri: str
    label: str
    kind: str                     # the plan's own word (pejlemærke, fokusområde, mål) or the class's label
    under: str | None = None      # the bearing it sits under, when stated


@dataclass
class Initiative:
    iri: str
    label: str
    budget: list[tuple[int, Decimal]]     # (year, DKK) as allocated; empty: no budget stated
    target_groups: list[str]


@dataclass
class PlanPart:
    """One plan in scope, as far as it concerns the body."""

    iri: str
    label: str
    roles: list[str]              # labels of the plan-level roles the body holds (may be empty)
    goals: list[Goal]
    goals_cut: bool
    initiatives: list[Initiative]
    initiatives_cut: bool

    def budget_years(self) -> list[int]:
        return sorted({year for i in self.initiatives for year, _ in i.budget})


@dataclass
class Finding:
    question: str                 # the question's title in the reader's language
    kind: str                     # gap / overlap (the library's kind)
    cells: list[str]              # the row's labels, in the question's column order
    total: int                    # rows of this question touching the body
    cut: bool = False


@dataclass
class Briefing:
    body: str
    body_label: str
    plans: list[PlanPart]
    plans_not_concerning: list[str]      # labels of plans in scope the body has no stated part in
    findings: list[Finding]
    findings_cut: bool
    asked_to_bring: str
    lang: str = "da"


def _iri(name: str) -> str:
    return name if "://" in name else expand(name)


def _rows(store: Store, sparql: str, **terms: ox.NamedNode | ox.Literal) -> list[dict]:
    """A SELECT with values bound by name (as RDF terms, never pasted into the text)."""
    result = store.query(f"PREFIX pg: <{PG}>\n{sparql}", terms)
    columns = [v.value for v in result.variables]
    return [dict(zip(columns, row)) for row in result]


_PLAN_ROLES = """SELECT DISTINCT ?role WHERE {
  VALUES ?role { pg:responsibleBody pg:adoptedBy pg:preparedBy } ?plan ?role ?body }"""

_INITIATIVES = """SELECT DISTINCT ?line ?year ?dkk ?group WHERE {
  VALUES ?kind { pg:Initiative pg:ReservedFund }
  ?line a ?kind ; pg:withinDocument ?plan ; pg:accountableBody ?body .
  OPTIONAL { ?line pg:hasBudgetAllocation ?a . ?a pg:fiscalYear ?year ; pg:amountDKK ?dkk . }
  OPTIONAL { ?line pg:servesTargetGroup ?group . }
} ORDER BY ?line ?year"""

# The plan's goals and areas: all of them when the body holds the plan, else those it answers for or
# that its initiatives support.
_GOALS = """SELECT DISTINCT ?goal ?kind ?term ?bearing WHERE {
  VALUES ?kind { pg:Goal pg:FocusArea pg:Bearing }
  ?goal a ?kind ; pg:withinDocument ?plan .
  FILTER(?whole || EXISTS { ?goal pg:accountableBody ?body }
         || EXISTS { ?i pg:supports ?goal ; pg:accountableBody ?body })
  OPTIONAL { ?goal pg:documentTerm ?term FILTER(LANGMATCHES(LANG(?term), ?lang)) }
  OPTIONAL { ?goal pg:underBearing ?bearing }
} ORDER BY ?goal"""


def _roles(store: Store, plan: str, body: str) -> list[str]:
    rows = _rows(store, _PLAN_ROLES, plan=ox.NamedNode(plan), body=ox.NamedNode(body))
    return sorted(row["role"].value for row in rows)


def _initiatives(store: Store, plan: str, body: str, labels: Labeller) -> list[Initiative]:
    found: dict[str, tuple[dict[int, Decimal], set[str]]] = {}
    for row in _rows(store, _INITIATIVES, plan=ox.NamedNode(plan), body=ox.NamedNode(body)):
        budget, groups = found.setdefault(row["line"].value, ({}, set()))
        if row.get("year") is not None and row.get("dkk") is not None:
            budget[int(row["year"].value)] = Decimal(row["dkk"].value)
        if row.get("group") is not None:
            groups.add(row["group"].value)
    labels.load([*found, *(g for _, groups in found.values() for g in groups)])
    return sorted((Initiative(iri, labels(iri), sorted(budget.items()), sorted(labels(g) for g in groups))
                   for iri, (budget, groups) in found.items()), key=lambda i: i.label)


def _goals(store: Store, plan: str, body: str, whole: bool, lang: str, labels: Labeller) -> list[Goal]:
    rows = _rows(store, _GOALS, plan=ox.NamedNode(plan), body=ox.NamedNode(body), lang=ox.Literal(lang),
                 whole=ox.Literal(str(whole).lower(), datatype=ox.NamedNode(XSD + "boolean")))
    labels.load([r["goal"].value for r in rows] + [r["kind"].value for r in rows]
                + [r["bearing"].value for r in rows if r.get("bearing") is not None])
    goals: dict[str, Goal] = {}
    for row in rows:
        iri = row["goal"].value
        kind = row["term"].value if row.get("term") is not None else labels(row["kind"].value)
        if iri not in goals or row["kind"].value.endswith("Bearing") or row.get("term") is not None:
            bearing = row.get("bearing")
            goals[iri] = Goal(iri, labels(iri), kind, labels(bearing.value) if bearing is not None else None)
    return sorted(goals.values(), key=lambda g: (g.under or "", g.label))


def _plan_part(store: Store, plan: str, body: str, lang: str, labels: Labeller) -> PlanPart | None:
    roles = _roles(store, plan, body)
    initiatives = _initiatives(store, plan, body, labels)
    if not roles and not initiatives:
        return None
    goals = _goals(store, plan, body, bool(roles), lang, labels)
    labels.load([plan, *roles])
    return PlanPart(plan, labels(plan), [labels(r) for r in roles], goals[:MAX_GOALS], len(goals) > MAX_GOALS,
                    initiatives[:MAX_INITIATIVES], len(initiatives) > MAX_INITIATIVES)


def _findings(store: Store, lang: str, municipality: str | None, touched: set[str],
              labels: Labeller) -> list[Finding]:
    """The rows of the gap and overlap questions that name one of the body's plans, initiatives or goals."""
    questions = library()
    found = []
    for qid in FINDING_QUESTIONS:
        query = questions.get(qid)
        if query is None:
            continue
        params = {"municipality": municipality} if municipality and any(p.name == "municipality" for p in query.parameters) else {}
        result = run_named(store, query, params, lang)
        shown = [c for c in result.columns if not c.endswith("Label") and c != "municipality"]
        rows = [row for row in result.rows
                if any(isinstance(row.get(c), ox.NamedNode) and row[c].value in touched for c in shown)]
        labels.load(row[c].value for row in rows[:MAX_FINDINGS] for c in shown if isinstance(row.get(c), ox.NamedNode))
        title = query.title.get(lang) or query.title["en"]
        for row in rows[:MAX_FINDINGS]:  # the named things only; counts and years stay on the question's page
            cells = [labels(row[c].value) for c in shown if isinstance(row.get(c), ox.NamedNode)]
            found.append(Finding(title, query.kind, cells, len(rows), cut=len(rows) > MAX_FINDINGS))
    return found


def briefing(store: Store, lang: str, body: str, plans: list[str], municipality: str | None,
             asked_to_bring: str = "") -> Briefing:
    """The briefing for `body` over the plans in scope (IRIs or short names such as
    org/koebenhavn/biu); `municipality` scopes the library's questions."""
    body = _iri(body)
    labels = Labeller(store, lang)
    parts, not_concerning = [], []
    for plan in (_iri(p) for p in plans):
        part = _plan_part(store, plan, body, lang, labels)
        if part is None:
            not_concerning.append(labels(plan))
        else:
            parts.append(part)
    touched = {p.iri for p in parts} | {i.iri for p in parts for i in p.initiatives} | {g.iri for p in parts for g in p.goals}
    findings = _findings(store, lang, _iri(municipality) if municipality else None, touched, labels)
    return Briefing(body, labels(body), parts, not_concerning, findings,
                    any(f.cut for f in findings), asked_to_bring, lang)
