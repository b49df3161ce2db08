"""What a strategist reads first on a plan's page (and on an area's, organisation's, target group's
or theme's): the plan's structure in the document's own order and terms, a table of its initiatives
with target group, size, budget per year and responsible body, sub-totals and totals with the
document's stated totals beside the computed ones, and the relations that say what a resource
continues and what replaces it, each direction with its own name.

Plain data only: the resource page draws it, the .json twin serves it. Order comes from
pg:positionInSource (set at load from the authoring YAML's lists) and skos:notation, because RDF
keeps no order and alphabetical order is not the document's.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.store import Store
from graph.store.labels import Labeller
from ontology import DCT, PG, curie
from ontology.texts import translate

PART_LINKS = ("hasFocusArea", "hasGoal", "hasInitiative", "hasBudgetLine", "hasSuccessCriterion")
MAX_PARTS = 2000
MAX_ROWS = 500
# The links a strategist asks about first, (key, predicate, outgoing?): an incoming link reads in
# the other direction and gets its own name (relation_inverse.* in ontology/texts/relations.yaml).
KEY_RELATIONS = (
    ("responsible", PG + "responsibleBody", True),
    ("accountable", PG + "accountableBody", True),
    ("adopted_by", PG + "adoptedBy", True),
    ("implements", PG + "implements", True),
    ("implemented_by", PG + "implements", False),
    ("continues", PG + "continues", True),
    ("continued_by", PG + "continues", False),
    ("replaces", DCT + "replaces", True),
    ("replaced_by", DCT + "replaces", False),
)
# How a resource that is not a plan finds its initiatives: the link from the initiative to it.
ROW_LINKS_TO = (PG + "responsibleBody", PG + "accountableBody", PG + "servesTargetGroup", DCT + "subject")


@dataclass
class Part:
    """One part of the plan with the document's own number and word for its level."""

    iri: str
    label: str
    term: str = ""               # the document's word (pg:documentTerm), else the class name
    notation: str = ""           # the document's own number (skos:notation), when it prints one
    position: int = 0            # place in the source file's list (pg:positionInSource), 0 when unknown
    children: list["Part"] = field(default_factory=list)
    language: str = ""           # the label's language when it is the other of da/en than the reader's


@dataclass
class Link:
    iri: str
    label: str
    language: str = ""           # the label's language when it is the other of da/en than the reader's


@dataclass
class Row:
    """One initiative or budget line of the table."""

    iri: str
    label: str
    target_groups: list[Link]
    sizes: list[str]
    responsible: list[Link]
    responsible_derived: bool    # no stated responsible body: the accountable one derived at load
    amounts: dict[str, float]    # fiscal year -> whole currency units
    language: str = ""           # the label's language when it is the other of da/en than the reader's


@dataclass
class Group:
    """Rows under one heading (a bearing, focus area or document) with the computed sub-total per
    year and the sub-total the document prints, when it prints one."""

    iri: str
    label: str
    rows: list[Row]
    computed: dict[str, float]
    stated: dict[str, float]
    language: str = ""           # the label's language when it is the other of da/en than the reader's


@dataclass
class BudgetTable:
    years: list[str]
    currency: str
    groups: list[Group]
    computed: dict[str, float]
    stated: dict[str, float]
    cut: bool = False


@dataclass
class Relation:
    key: str
    label: str
    values: list[Link]


def _values(iris) -> str:
    return " ".join(str(ox.NamedNode(i)) for i in iris)


def _order_key(part: Part) -> tuple:
    """Source position first, then the notation read as numbers (2.10 after 2.9), then the name."""
    numbers = tuple(int(n) for n in part.notation.replace(".", " ").split() if n.isdigit())
    return (part.position or 10**9, numbers, part.label.lower())


def structure(store: Store, node: ox.NamedNode, labels: Labeller) -> list[Part]:
    """The parts under the resource as a tree in the document's order. A part reachable from two
    parents (a plan lists all its initiatives, a focus area some of them) sits under the deeper one."""
    links = " ".join(f"pg:{p}" for p in PART_LINKS)
    step = "(" + "|".join(f"pg:{p}" for p in PART_LINKS) + ")"
    # the resource and every part below it, each in a sub-SELECT of its own that binds ?node: written
    # `?node step* ?parent`, Virtuoso 7.2 ignored the start bound by VALUES and walked from every node
    # (Copenhagen's page listed Silkeborg's goals), and it refuses `+` from such a start: hence step/step*.
    # The union in a sub-SELECT of its own, as tests/graph/questions/test_portable_queries.py asks.
    rows = list(store.query(
        "SELECT DISTINCT ?parent ?p ?child WHERE { { SELECT ?parent WHERE { "
        "{ SELECT ?parent WHERE { BIND(?node AS ?parent) } } "
        f"UNION {{ SELECT DISTINCT ?parent WHERE {{ ?node {step}/{step}* ?parent }} }} }} }} "
        "VALUES ?p { " + links + " } ?parent ?p ?child FILTER(isIRI(?child)) } LIMIT " + str(MAX_PARTS),
        {"node": node}))
    parents: dict[str, set[str]] = defaultdict(set)
    link: dict[tuple[str, str], int] = {}
    for r in rows:
        if r["child"].value != node.value:
            parents[r["child"].value].add(r["parent"].value)
            link[(r["parent"].value, r["child"].value)] = PART_LINKS.index(r["p"].value[len(PG):])
    if not parents:
        return []
    facts = _part_facts(store, list(parents), labels.lang)
    labels.load(set(parents) | {k for _, k, _, _ in facts.values() if k})
    parts = {i: Part(i, labels(i), *_term(facts.get(i), labels), language=labels.other(i)) for i in parents}
    top: list[Part] = []
    kind: dict[str, int] = {}
    for child, over in parents.items():
        deeper = sorted(p for p in over if p != node.value and p in parts and p != child)
        parent = deeper[0] if deeper else node.value
        kind[child] = link.get((parent, child), 0)
        (parts[parent].children if deeper else top).append(parts[child])

    def order(part: Part) -> tuple:  # the file's lists in their order: focus areas before budget lines
        return (kind[part.iri],) + _order_key(part)
    for part in parts.values():
        part.children.sort(key=order)
    return sorted(top, key=order)


def _part_facts(store: Store, iris: list[str], lang: str) -> dict[str, tuple[str, str, str, int]]:
    """iri -> (document term, class, notation, position), each the first one found."""
    found: dict[str, tuple[str, str, str, int]] = {}
    # the language as a term in the text, not a variable bound outside the OPTIONAL: Virtuoso 7.2 does
    # not see that variable in the OPTIONAL's FILTER and found no term at all
    for r in store.query(
            "SELECT ?s (SAMPLE(?t) AS ?term) (SAMPLE(?k) AS ?kind) (SAMPLE(?n) AS ?notation) (MIN(?pos) AS ?position) "
            "WHERE { VALUES ?s { " + _values(iris) + " } OPTIONAL { ?s pg:documentTerm ?t "
            f"FILTER(LANG(?t) = {ox.Literal(lang)}) }} "
            "OPTIONAL { ?s a ?k FILTER(STRSTARTS(STR(?k), STR(pg:)) && ?k NOT IN (pg:PolicyDocument, pg:PlanComponent)) } "
            "OPTIONAL { ?s skos:notation ?n } OPTIONAL { ?s pg:positionInSource ?pos } } GROUP BY ?s"):
        found[r["s"].value] = (r["term"].value if r["term"] else "", r["kind"].value if r["kind"] else "",
                               r["notation"].value if r["notation"] else "",
                               int(r["position"].value) if r["position"] else 0)
    return found


def _term(facts, labels: Labeller) -> tuple[str, str, int]:
    if not facts:
        return "", "", 0
    term, kind, notation, position = facts
    return term or (labels(kind) if kind else ""), notation, position


def _flatten(parts: list[Part]) -> list[tuple[Part, Part | None]]:
    """Every part in reading order with the top-level part it falls under."""
    out: list[tuple[Part, Part | None]] = []

    def walk(part: Part, top: Part | None) -> None:
        out.append((part, top))
        for child in part.children:
            walk(child, top or part)
    for part in parts:
        walk(part, None)
    return out


_ROW_FACTS = """
SELECT ?row ?p ?o ?group ?size ?stated ?year ?amount WHERE {
  VALUES ?row { %s }
  { VALUES ?p { dct:audience pg:responsibleBody pg:accountableBody } ?row ?p ?o }
  UNION { ?row pg:hasTargetGroupSize ?s . BIND(pg:hasTargetGroupSize AS ?p)
          OPTIONAL { ?s pg:targetGroup ?group } OPTIONAL { ?s pg:annualSize ?size }
          OPTIONAL { ?s pg:asStated ?stated FILTER(LANGMATCHES(LANG(?stated), "da")) } }
  UNION { ?row pg:hasBudgetAllocation ?a . BIND(pg:hasBudgetAllocation AS ?p) ?a pg:fiscalYear ?year ; schema:value ?v .
          OPTIONAL { ?a pg:unitMultiplier ?m } BIND(?v * COALESCE(?m, 1) AS ?amount) }
}"""


def _table_rows(store: Store, iris: list[str], labels: Labeller) -> dict[str, Row]:
    """Target groups, sizes as the document words them, budget per year and responsible body of each row."""
    rows = {i: Row(i, labels(i), [], [], [], False, {}, labels.other(i)) for i in iris}
    accountable: dict[str, list[str]] = defaultdict(list)
    responsible: dict[str, list[str]] = defaultdict(list)
    groups: dict[str, list[str]] = defaultdict(list)
    for r in store.query(_ROW_FACTS % _values(iris)):
        row, p = rows[r["row"].value], r["p"].value
        if p == PG + "hasBudgetAllocation" and r["amount"] is not None:
            year = r["year"].value
            row.amounts[year] = row.amounts.get(year, 0.0) + float(r["amount"].value)
        elif p == PG + "hasTargetGroupSize":
            text = r["stated"].value if r["stated"] else (r["size"].value if r["size"] else "")
            if text and text not in row.sizes:
                row.sizes.append(text)
        elif p == DCT + "audience":
            groups[row.iri].append(r["o"].value)
        elif p == PG + "responsibleBody":
            responsible[row.iri].append(r["o"].value)
        elif p == PG + "accountableBody":
            accountable[row.iri].append(r["o"].value)
    labels.load({i for d in (groups, responsible, accountable) for v in d.values() for i in v})
    for row in rows.values():
        row.target_groups = [Link(i, labels(i), labels.other(i)) for i in sorted(set(groups[row.iri]), key=labels)]
        chosen = responsible[row.iri] or accountable[row.iri]
        row.responsible = [Link(i, labels(i), labels.other(i)) for i in sorted(set(chosen), key=labels)]
        row.responsible_derived = not responsible[row.iri] and bool(accountable[row.iri])
    return rows


def _stated_totals(store: Store, scopes: list[str]) -> dict[str, dict[str, float]]:
    """scope -> fiscal year -> the total the document prints for it, in whole currency units."""
    found: dict[str, dict[str, float]] = defaultdict(dict)
    if not scopes:
        return found
    for r in store.query(
            "SELECT ?scope ?year (SAMPLE(?amount) AS ?total) WHERE { VALUES ?scope { " + _values(scopes) + " } "
            "?t pg:totalFor ?scope ; pg:fiscalYear ?year ; schema:value ?v . OPTIONAL { ?t pg:unitMultiplier ?m } "
            "BIND(?v * COALESCE(?m, 1) AS ?amount) } GROUP BY ?scope ?year"):
        if r["total"] is not None:
            found[r["scope"].value][r["year"].value] = float(r["total"].value)
    return found


def _sum(rows: list[Row]) -> dict[str, float]:
    total: dict[str, float] = defaultdict(float)
    for row in rows:
        for year, amount in row.amounts.items():
            total[year] += amount
    return dict(total)


def _bearings(store: Store, iris: list[str]) -> dict[str, str]:
    """Focus area -> the bearing it falls under: the document's sub-totals are printed per bearing."""
    return {r["a"].value: r["b"].value for r in store.query(
        "SELECT ?a (SAMPLE(?b0) AS ?b) WHERE { VALUES ?a { " + _values(iris) + " } ?a pg:underBearing ?b0 } GROUP BY ?a")
        if r["b"] is not None} if iris else {}


def plan_table(store: Store, node: ox.NamedNode, parts: list[Part], labels: Labeller) -> BudgetTable | None:
    """The plan's initiatives and budget lines in the document's order, grouped under the bearing
    (or top-level part) they fall under, with computed and stated sub-totals and totals."""
    flat = _flatten(parts)
    kinds = _kinds(store, [p.iri for p, _ in flat])
    leaves = [(p, top) for p, top in flat if not p.children and kinds.get(p.iri) in ("Initiative", "BudgetLine")]
    if not leaves:
        return None
    tops = [top.iri for _, top in leaves if top is not None]
    bearing_of = _bearings(store, tops)
    labels.load(set(bearing_of.values()))
    rows = _table_rows(store, [p.iri for p, _ in leaves[:MAX_ROWS]], labels)
    grouped: dict[str, Group] = {}
    for part, top in leaves[:MAX_ROWS]:
        key = bearing_of.get(top.iri, top.iri) if top is not None else ""
        if key not in grouped:
            grouped[key] = Group(key, labels(key) if key else "", [], {}, {}, labels.other(key) if key else "")
        grouped[key].rows.append(rows[part.iri])
    return _finish(store, node, list(grouped.values()), len(leaves) > MAX_ROWS)


def _finish(store: Store, node: ox.NamedNode | None, groups: list[Group], cut: bool) -> BudgetTable:
    stated = _stated_totals(store, [g.iri for g in groups if g.iri] + ([node.value] if node is not None else []))
    for group in groups:
        group.computed, group.stated = _sum(group.rows), stated.get(group.iri, {})
    every = [row for g in groups for row in g.rows]
    years = sorted({y for row in every for y in row.amounts} | {y for s in stated.values() for y in s})
    return BudgetTable(years, "DKK", groups, _sum(every), stated.get(node.value, {}) if node is not None else {}, cut)


def _kinds(store: Store, iris: list[str]) -> dict[str, str]:
    """iri -> 'Initiative' or 'BudgetLine' (a fund or survey with money but no initiative class)."""
    found: dict[str, str] = {}
    if not iris:
        return found
    # a row per kind found, not BIND(EXISTS {...}) read as "true": Virtuoso 7.2 gives that as 1 or 0
    for r in store.query("SELECT DISTINCT ?s ?kind WHERE { VALUES ?s { " + _values(iris) + " } "
                         "{ ?s a pg:Initiative BIND(\"Initiative\" AS ?kind) } "
                         "UNION { ?s pg:hasBudgetAllocation ?a BIND(\"BudgetLine\" AS ?kind) } }"):
        if found.get(r["s"].value) != "Initiative":
            found[r["s"].value] = r["kind"].value
    return found


def linked_table(store: Store, node: ox.NamedNode, labels: Labeller) -> BudgetTable | None:
    """For an organisation, target group or theme: the initiatives that point at it, grouped by
    the document they appear in, in each document's order."""
    links = " ".join(str(ox.NamedNode(p)) for p in ROW_LINKS_TO)
    found = list(store.query(
        "SELECT DISTINCT ?i ?doc ?pos WHERE { VALUES ?p { " + links + " } ?i ?p ?node ; a pg:Initiative . "
        "OPTIONAL { ?i pg:withinDocument ?doc } OPTIONAL { ?i pg:positionInSource ?pos } } LIMIT " + str(MAX_ROWS + 1),
        {"node": node}))
    if not found:
        return None
    cut, found = len(found) > MAX_ROWS, found[:MAX_ROWS]
    docs: dict[str, str] = {}
    position: dict[str, int] = {}
    for r in found:
        docs.setdefault(r["i"].value, r["doc"].value if r["doc"] else "")
        position[r["i"].value] = int(r["pos"].value) if r["pos"] else 10**9
    labels.load(set(docs) | set(docs.values()))
    rows = _table_rows(store, list(docs), labels)
    grouped: dict[str, Group] = {}
    for iri in sorted(docs, key=lambda i: (labels(docs[i]).lower(), position[i], labels(i).lower())):
        key = docs[iri]
        grouped.setdefault(key, Group(key, labels(key) if key else "", [], {}, {}, labels.other(key) if key else "")).rows.append(rows[iri])
    table = _finish(store, None, list(grouped.values()), cut)
    for group in table.groups:
        group.stated = {}   # a document's printed totals count all its lines, not just these
    return table


def inverses(store: Store) -> dict[str, str]:
    """Property -> its inverse as the ontology declares it (owl:inverseOf), both ways."""
    found: dict[str, str] = {}
    for r in store.query("SELECT ?p ?q WHERE { ?p owl:inverseOf ?q FILTER(isIRI(?p) && isIRI(?q)) }"):
        found.setdefault(r["p"].value, r["q"].value)
        found.setdefault(r["q"].value, r["p"].value)
    return found


def inverse_label(predicate: str, labels: Labeller, declared: dict[str, str]) -> str:
    """The name of a link read backwards ('afløses af' for dct:replaces): the label of the inverse
    the ontology declares, else the UI text relation_inverse.<property>, else '' (none known)."""
    if predicate in declared:
        labels.load({declared[predicate]})
        return labels(declared[predicate])
    key = "relation_inverse." + curie(predicate)
    text = translate(key, labels.lang)
    return "" if text == key else text


def key_relations(store: Store, node: ox.NamedNode, labels: Labeller) -> list[Relation]:
    """Who answers for it, what it implements, continues and replaces, and what continues or
    replaces it, in that order, each direction with its own name."""
    found: dict[tuple[str, bool], list[str]] = defaultdict(list)
    for r in store.query(
            "SELECT DISTINCT ?p ?o ?dir WHERE { VALUES ?p { pg:responsibleBody pg:accountableBody pg:adoptedBy "
            "pg:implements pg:continues dct:replaces } { ?node ?p ?o BIND(1 AS ?dir) } UNION { ?o ?p ?node BIND(0 AS ?dir) } "
            "FILTER(isIRI(?o)) }", {"node": node}):
        found[(r["p"].value, r["dir"].value == "1")].append(r["o"].value)
    labels.load({i for v in found.values() for i in v})
    declared = inverses(store)
    out = []
    for key, predicate, outgoing in KEY_RELATIONS:
        iris = found.get((predicate, outgoing))
        if not iris:
            continue
        name = labels(predicate) if outgoing else inverse_label(predicate, labels, declared) or labels(predicate)
        out.append(Relation(key, name, [Link(i, labels(i), labels.other(i)) for i in sorted(set(iris), key=labels)]))
    if any(r.key == "responsible" for r in out):
        out = [r for r in out if r.key != "accountable"]   # the derived body repeats the stated one
    return out
