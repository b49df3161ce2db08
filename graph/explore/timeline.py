"""What the timeline shows: each document's validity period and the dated steps of its process
(readings, hearings, adoption), per municipality, in the order they are drawn (web/drawing.py
places them on the page).

Years and dates are read as stated (gYear or date); a period with no end is 'open' and drawn to the
right edge, never given an invented end year. Steps known only by a stated date ("13. december")
have no place on the axis and are listed in the table instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from graph.store import Store
from graph.store.labels import Labeller, other_language

_DOCUMENTS = """
SELECT ?doc ?kind ?muni ?from ?until WHERE {
  VALUES ?kind { pg:Policy pg:Strategy pg:ActionPlan pg:Plan }
  ?doc a ?kind .
  OPTIONAL { ?doc pg:municipality ?muni }
  OPTIONAL { ?doc pg:validFrom ?from }
  OPTIONAL { ?doc pg:validUntil ?until }
}
"""
_STEPS = """
SELECT ?step ?doc ?date ?stated ?type WHERE {
  ?step a pg:ProcessStep ; prov:used ?doc .
  OPTIONAL { ?step pg:date ?date }
  OPTIONAL { ?step pg:dateAsStated ?stated }
  OPTIONAL { ?step pg:stepType ?type }
}
"""
KIND_NAMES = {"Policy": "policy", "Strategy": "strategy", "ActionPlan": "actionplan", "Plan": "plan"}


@dataclass
class Step:
    iri: str
    label: str
    kind: str
    date: str           # ISO date or "" when only stated in words
    stated: str
    language: str = ""          # the label's language when it is the other of da/en than the reader's
    stated_language: str = ""   # the same for the date as stated in words ("13. december")


@dataclass
class Row:
    iri: str
    title: str
    kind: str
    municipality: str
    start: int | None
    end: int | None     # None: open (no end stated)
    steps: list[Step] = field(default_factory=list)
    language: str = ""  # the title's language when it is the other of da/en than the reader's


@dataclass
class Timeline:
    rows: list[Row]                     # documents with a period or a dated step, in drawing order
    first: int                          # the first and last year with something to draw
    last: int
    undated: list[Row]                  # documents with no period and no dated step


def _year(value: str | None) -> int | None:
    try:
        return int(value[:4]) if value else None
    except ValueError:
        return None


def _text(term) -> str:
    return "" if term is None else term.value


def read_timeline(store: Store, lang: str, municipality: str | None = None) -> Timeline:
    """Documents (of one municipality, if given) with their periods and dated process steps."""
    documents = [r for r in store.query(_DOCUMENTS) if not municipality or _text(r["muni"]) == municipality]
    steps = list(store.query(_STEPS))
    labels = Labeller(store, lang)
    labels.load([r["doc"].value for r in documents] + [r[v].value for r in steps for v in ("step", "type") if r[v]])
    rows: dict[str, Row] = {}
    for r in documents:
        iri = r["doc"].value
        kind = KIND_NAMES.get(r["kind"].value.rsplit("#", 1)[-1], "plan")
        if iri in rows:  # a document of two kinds keeps the first; PolicyDocument subclasses are exclusive in practice
            continue
        rows[iri] = Row(iri, labels(iri), kind, _text(r["muni"]), _year(_text(r["from"])), _year(_text(r["until"])),
                        language=labels.other(iri))
    for r in steps:
        row = rows.get(r["doc"].value)
        if row is None or any(s.iri == r["step"].value for s in row.steps):
            continue
        step = r["step"].value
        row.steps.append(Step(step, labels(step), labels(r["type"].value) if r["type"] else "",
                              _text(r["date"])[:10], _text(r["stated"]), labels.other(step),
                              other_language(getattr(r["stated"], "language", None), lang)))
    for row in rows.values():
        row.steps.sort(key=lambda s: (s.date or "9999", s.label))
    return layout(list(rows.values()))


def layout(rows: list[Row]) -> Timeline:
    """Order the documents for a year axis; those with nothing to place go to `undated`."""
    placed = [r for r in rows if r.start is not None or any(s.date for s in r.steps)]
    undated = sorted((r for r in rows if r not in placed), key=lambda r: r.title.lower())
    years = [y for r in placed for y in (r.start, r.end) if y is not None]
    years += [int(s.date[:4]) for r in placed for s in r.steps if s.date]
    first, last = (min(years), max(years)) if years else (2000, 2000)
    last = max(last, first)
    placed.sort(key=lambda r: (r.start or int(min((s.date for s in r.steps if s.date), default="9999")[:4]), r.title.lower()))
    return Timeline(rows=placed, first=first, last=last, undated=undated)
