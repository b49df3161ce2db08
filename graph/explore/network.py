"""The network the web app draws, as plain data: nodes (with their category and the findings on
them) and labelled links, built with networkx (neighbourhoods, degrees). How they look (shapes,
colours, vis-network options) is web/drawing.py's business.

Two views: `plans` (documents linked by stated relations and shared target groups/themes, from
graph.explore.analytics.document_network) and `all` (every resource with every labelled link). Filters pick
the documents in scope; their parts follow them, and organisations and concepts stay when they link
to something in scope. A node cap keeps large graphs usable and says what it left out. Findings of
the coherence engine (overlaps, synergies, gaps) are marked in text as well as colour; if the engine
fails or is slow the network is still drawn and the page says so.
"""
from __future__ import annotations

import concurrent.futures
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator

import networkx as nx
import pyoxigraph as ox

from graph.explore.analytics import (DOCUMENT_CLASSES, DOCUMENT_LINKS, RELATIONS, SYMMETRIC_LINKS, GraphData,
                                     relation_label)
from graph.questions import library as question_library
from graph.questions.kept import KEPT
from graph.questions.workshop_scope import only_workshops, without_workshops
from graph.store import Store, StoreError
from graph.store.labels import Labeller
from ontology import DCT, PG, curie
from ontology.texts import translate

DEFAULT_CAP = 2000
MAX_HOPS = 3
FINDINGS_TIMEOUT = 5.0  # seconds; the network is drawn without findings after this
DOCUMENT_TYPES = ("Policy", "Strategy", "ActionPlan", "Plan")

# The kinds of node, in the legend's order; each has its own look in web/drawing.py.
CATEGORIES = ("policy", "strategy", "actionplan", "plan", "part", "goal", "initiative", "targetgroup", "theme",
              "organisation", "process", "other")
_CLASS_CATEGORY = [
    ("Policy", "policy"), ("Strategy", "strategy"), ("ActionPlan", "actionplan"), ("Plan", "plan"),
    ("Initiative", "initiative"), ("ReservedFund", "initiative"), ("Goal", "goal"), ("SuccessCriterion", "goal"),
    ("FocusArea", "part"), ("Bearing", "part"), ("Vision", "part"), ("Mission", "part"),
    ("TargetGroup", "targetgroup"), ("Theme", "theme"),
    ("Municipality", "organisation"), ("CityCouncil", "organisation"), ("Committee", "organisation"),
    ("Administration", "organisation"), ("AdvisoryBody", "organisation"), ("ExternalPartner", "organisation"),
    ("Organisation", "organisation"), ("Decision", "process"), ("ProcessStep", "process"),
    ("Workshop", "process"), ("Persona", "process"),
]
FINDING_KINDS = ("overlap", "synergy", "gap")


class NetworkError(ValueError):
    """A user mistake in the network's parameters (the message says which)."""


@dataclass
class Filters:
    """What the GET form asks for; IRIs are full IRIs, `year` an int."""

    view: str = "plans"
    focus: str | None = None
    hops: int = 1
    municipality: str | None = None
    administration: str | None = None
    committee: str | None = None
    doctype: str | None = None
    theme: str | None = None
    target_group: str | None = None
    year: int | None = None
    findings: bool = True
    cap: int = DEFAULT_CAP
    workshops: bool = True  # False leaves out what workshops decided (their own named graphs)

    @property
    def scoped(self) -> bool:
        return any((self.administration, self.committee, self.doctype, self.theme, self.target_group, self.year))


@dataclass
class Node:
    id: str
    label: str              # the resource's label in the reader's language
    category: str           # one of CATEGORIES
    findings: list[str]     # FINDING_KINDS marked on it, sorted
    short: str              # its IRI, shortened
    plan: str = ""          # the document it belongs to (its own, or the one most of its links lead to)


@dataclass
class Link:
    source: str
    target: str
    label: str              # the relation in the reader's language (for a synergy: empty)
    finding: str = ""       # "synergy" for a link the findings add
    strength: str = ""      # a synergy's strength
    workshop: bool = False  # stated only by a workshop decision, not by any document


@dataclass
class NetworkView:
    nodes: list[Node]
    links: list[Link]
    total_nodes: int
    total_edges: int
    cut_nodes: int = 0
    cut_edges: int = 0
    cut_by_category: dict[str, int] = field(default_factory=dict)
    findings: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    findings_error: str = ""
    categories: list[str] = field(default_factory=list)


def category_of(types: set[str]) -> str:
    for cls, category in _CLASS_CATEGORY:
        if PG + cls in types:
            return category
    return "other"


# -------------------------------------------------------------------------------- reading

def read_network_data(store: Store, lang: str, municipality: str | None = None,
                      concepts: tuple[str, ...] = (), workshops: bool = True, reach: int = 2) -> GraphData:
    """Types, labels and the labelled links, read lean: graph.explore.analytics.read_graph also reads every
    description (for text similarity) and the whole broader closure, which on a national-scale graph
    took most of a minute; the network needs only labels in two languages, and the broader closure
    only below the theme or target group a filter names (`concepts`). One municipality's network is
    read from its own documents outwards (`_municipality_data`), `reach` links through resources of no
    document (a process step, then the bodies it involves), never the whole country."""
    dataset = None if workshops else without_workshops(store)
    if municipality:
        data = _municipality_data(store, lang, municipality, dataset, reach)
    else:
        types: dict[str, set[str]] = {}
        for row in store.query("SELECT ?s ?k WHERE { ?s a ?k FILTER(isIRI(?s) && STRSTARTS(STR(?k), STR(pg:))) }"):
            types.setdefault(row["s"].value, set()).add(row["k"].value)
        labels = Labeller(store, lang)
        labels.load_all()
        edges = _links(store, dataset)
        data = GraphData(types, labels, {}, edges, _within(edges), set())
    for concept in concepts:
        data.broader |= {(r["a"].value, concept) for r in store.query(
            "SELECT DISTINCT ?a WHERE { ?a skos:broaderTransitive ?b }", {"b": ox.NamedNode(concept)})}
    return data


def _within(edges: set[tuple[str, str, str]]) -> dict[str, str]:
    return {s: o for s, p, o in sorted(edges) if p == PG + "withinDocument"}


_RELATION_VALUES = " ".join(f"<{p}>" for p in RELATIONS)
_MUNICIPALITY_NODES = "SELECT ?d ?x WHERE { ?d pg:municipality ?m . OPTIONAL { ?x pg:withinDocument ?d } }"
_MUNICIPALITY_LINKS = (  # documents, then their parts, as subject and as object: four one-branch queries
    f"SELECT ?s ?p ?o WHERE {{ ?s pg:municipality ?m . VALUES ?p {{ {_RELATION_VALUES} }} ?s ?p ?o FILTER(isIRI(?o)) }}",
    f"SELECT ?s ?p ?o WHERE {{ ?d pg:municipality ?m . ?s pg:withinDocument ?d . VALUES ?p {{ {_RELATION_VALUES} }} "
    "?s ?p ?o FILTER(isIRI(?o)) }",
    f"SELECT ?s ?p ?o WHERE {{ ?o pg:municipality ?m . VALUES ?p {{ {_RELATION_VALUES} }} ?s ?p ?o FILTER(isIRI(?s)) }}",
    f"SELECT ?s ?p ?o WHERE {{ ?d pg:municipality ?m . ?o pg:withinDocument ?d . VALUES ?p {{ {_RELATION_VALUES} }} "
    "?s ?p ?o FILTER(isIRI(?s)) }",
)
_CHUNK = 2000   # IRIs per VALUES block


def _municipality_data(store: Store, lang: str, municipality: str, dataset: Any, reach: int) -> GraphData:
    """The municipality's documents and their parts, the resources of no document reachable from them
    (organisations, concepts, decisions, process steps), and the links among all of these: what the
    whole country's network held about the municipality, read in a few queries from its documents
    outwards (nationally the whole read took 4-5 s; this reads one municipality's share)."""
    def query(sparql: str, bindings: dict[str, Any] | None = None) -> Any:
        return store.query(sparql, bindings, dataset=dataset) if dataset else store.query(sparql, bindings)

    m = {"m": ox.NamedNode(municipality)}
    docs, within = set(), {}
    for row in query(_MUNICIPALITY_NODES, m):
        docs.add(row["d"].value)
        if row["x"] is not None:
            within[row["x"].value] = row["d"].value
    inside = docs | set(within)
    edges = {(r["s"].value, r["p"].value, r["o"].value) for sparql in _MUNICIPALITY_LINKS for r in query(sparql, m)}
    types = _types(store, inside)
    free: set[str] = set()
    found, seen, beyond = edges, set(inside), None
    for _ in range(reach):   # outwards through resources of no document
        ends = {end for s, _p, o in found for end in (s, o)} - seen
        seen |= ends
        types.update(_types(store, ends))
        belong = _belonging(store, ends)
        fresh = {n for n in ends if n not in belong and not (types.get(n, set()) & DOCUMENT_CLASSES)
                 and PG + "PlanComponent" not in types.get(n, set())}
        free |= fresh
        edges |= found
        if not fresh:
            break
        if beyond is None:
            beyond = _links_of_no_document(store, dataset)
        found = {link for n in fresh for link in beyond.get(n, ())}
    kept = inside | free
    edges = {e for e in edges if e[0] in kept and e[2] in kept}
    labels = Labeller(store, lang)
    labels.load(kept)
    return GraphData({n: k for n, k in types.items() if n in kept}, labels, {}, edges, within, set())


def _values(nodes: list[str]) -> Iterator[str]:
    """The IRIs as VALUES blocks of _CHUNK."""
    for start in range(0, len(nodes), _CHUNK):
        yield " ".join(str(ox.NamedNode(n)) for n in nodes[start:start + _CHUNK])


def _types(store: Store, nodes: set[str]) -> dict[str, set[str]]:
    types: dict[str, set[str]] = {}
    for values in _values(sorted(nodes)):
        for row in store.query(f"SELECT ?s ?k WHERE {{ VALUES ?s {{ {values} }} ?s a ?k "
                               "FILTER(STRSTARTS(STR(?k), STR(pg:))) }"):
            types.setdefault(row["s"].value, set()).add(row["k"].value)
    return types


def _belonging(store: Store, nodes: set[str]) -> set[str]:
    """Those of the resources that are part of some document (of another municipality, here)."""
    return {row["s"].value for values in _values(sorted(nodes))
            for row in store.query(f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {values} }} ?s pg:withinDocument ?d }}")}


_LINKS_OF_NO_DOCUMENT = (f"SELECT ?s ?p ?o WHERE {{ {{ VALUES ?p {{ {_RELATION_VALUES} }} ?s ?p ?o "
                         "FILTER(isIRI(?s) && isIRI(?o)) } "
                         "MINUS { ?s pg:withinDocument ?a } MINUS { ?o pg:withinDocument ?b } "
                         "MINUS { ?s pg:municipality ?c } MINUS { ?o pg:municipality ?d } }")


def _links_of_no_document(store: Store, dataset: Any) -> dict[str, set[tuple[str, str, str]]]:
    """Each resource of no document (concept, body, process step, decision) with its links to others
    of the kind, the whole country's, read once per version of the data and kept: a municipality's
    network walks them outwards from its own documents in Python (a shared concept is linked from
    initiatives all over the country, which a walk in SPARQL would read every time)."""
    def read() -> dict[str, set[tuple[str, str, str]]]:
        rows = store.query(_LINKS_OF_NO_DOCUMENT, dataset=dataset) if dataset else store.query(_LINKS_OF_NO_DOCUMENT)
        links = {(r["s"].value, r["p"].value, r["o"].value) for r in rows}
        components = {n for n, kinds in _types(store, {end for s, _p, o in links for end in (s, o)}).items()
                      if kinds & DOCUMENT_CLASSES or PG + "PlanComponent" in kinds}
        by_node: dict[str, set[tuple[str, str, str]]] = {}
        for link in links:
            if link[0] not in components and link[2] not in components:
                by_node.setdefault(link[0], set()).add(link)
                by_node.setdefault(link[2], set()).add(link)
        return by_node

    return KEPT.value(store, ("network-links-of-no-document", dataset is None), read, lambda links: len(links))


_LINKS_QUERY = ("SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o "
                "FILTER(isIRI(?s) && isIRI(?o)) }}").format(values=" ".join(f"<{p}>" for p in RELATIONS))


def _links(store: Store, dataset: Any) -> set[tuple[str, str, str]]:
    """The labelled links (s, p, o) in the dataset (None: every graph)."""
    rows = store.query(_LINKS_QUERY, dataset=dataset) if dataset else store.query(_LINKS_QUERY)
    return {(r["s"].value, r["p"].value, r["o"].value) for r in rows}


def workshop_only_links(store: Store) -> set[tuple[str, str, str]]:
    """The links only a workshop decision states (no document says the same): drawn as such.
    Free when there is no workshop graph."""
    decided = only_workshops(store)
    if decided is None:
        return set()
    documents = without_workshops(store)
    return _links(store, decided) - (_links(store, documents) if documents else set())


# -------------------------------------------------------------------------------- scoping

def _documents_in_scope(store: Store, data: GraphData, f: Filters) -> set[str]:
    docs = set(data.documents)
    if f.doctype:
        docs = {d for d in docs if data.has_type(d, f.doctype)}
    for org in (f.administration, f.committee):
        if org:
            rows = store.query("""SELECT DISTINCT ?doc WHERE {
                  ?o org:unitOf* ?org .
                  { ?doc pg:preparedBy|pg:adoptedBy|pg:responsibleBody ?o }
                  UNION { ?part pg:withinDocument ?doc ; pg:responsibleBody ?o } }""", {"org": ox.NamedNode(org)})
            docs &= {r["doc"].value for r in rows}
    for wanted, of in ((f.theme, data.themes_of), (f.target_group, data.groups_of)):
        if wanted:
            docs = {d for d in docs if any(c == wanted or (c, wanted) in data.broader for c in of.get(d, set()))}
    if f.year is not None:
        docs &= _valid_in(store, f.year)
    return docs


def _valid_in(store: Store, year: int) -> set[str]:
    """Documents whose validity period includes the year (an open end counts as open)."""
    found = set()
    for row in store.query("SELECT ?d ?from ?until WHERE { ?d pg:validFrom ?from OPTIONAL { ?d pg:validUntil ?until } }"):
        start = _year(row["from"])
        end = _year(row["until"]) if row["until"] is not None else None
        if start is not None and start <= year and (end is None or year <= end):
            found.add(row["d"].value)
    return found


def _year(term: Any) -> int | None:
    try:
        return int(str(term.value)[:4])
    except (AttributeError, ValueError):
        return None


def _full_graph(data: GraphData, decided: set[tuple[str, str, str]]) -> nx.MultiDiGraph:
    """Every labelled link between resources; `dct:audience` of an initiative is left out because
    the derived pg:servesTargetGroup says the same. `decided`: the links only workshops state."""
    graph = nx.MultiDiGraph()
    for s, p, o in sorted(data.edges):
        if p == DCT + "audience" and data.has_type(s, "Initiative"):
            continue
        graph.add_edge(s, o, key=p, predicate=p, workshop=(s, p, o) in decided)
    return graph


def _scoped_graph(data: GraphData, docs: set[str], f: Filters,
                  decided: set[tuple[str, str, str]] = frozenset()) -> nx.MultiDiGraph:
    """The documents in scope, their parts, and the other resources linked to them."""
    graph = _full_graph(data, decided) if f.view == "all" or f.focus else _plans_graph(data, decided)
    everything = set(data.documents) == docs and not f.scoped
    if everything:
        return graph

    def in_scope(node: str) -> bool | None:
        if data.is_document(node):
            return node in docs
        if node in data.within:
            return data.within[node] in docs
        if PG + "PlanComponent" in data.types.get(node, set()):
            return False
        return None  # organisations, concepts, decisions: kept when linked to something in scope

    keep = {n for n in graph if in_scope(n)}
    others = {n for n in graph if in_scope(n) is None and any(m in keep for m in nx.all_neighbors(graph, n))}
    return graph.subgraph(keep | others).copy()


def _plans_graph(data: GraphData, decided: set[tuple[str, str, str]] = frozenset()) -> nx.MultiDiGraph:
    """Documents with one labelled, directed link per stated relation (a relation between their
    parts is lifted to the documents, as graph.explore.analytics.document_network does, and says so).
    Shared target groups or themes alone link almost every pair (a hairball), so they are left to
    the synergy findings, which weigh them."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(data.documents)
    for s, p, o in sorted(data.edges):
        if p not in DOCUMENT_LINKS:
            continue
        a, b = data.document_of(s), data.document_of(o)
        if not a or not b or a == b:
            continue
        if p in SYMMETRIC_LINKS and a > b:
            a, b = b, a  # the symmetric link once, whichever way it was written
        label = relation_label(p, data.lang) + ("" if {a, b} == {s, o} else " " + translate("analytics.via_parts", data.lang))
        workshop = (s, p, o) in decided
        if graph.has_edge(a, b, key=label):  # a document stating it too makes it a document's link
            workshop = workshop and graph.edges[a, b, label]["workshop"]
        graph.add_edge(a, b, key=label, label=label, workshop=workshop)
    return graph


# ----------------------------------------------------------------------------- findings

FINDINGS_TTL = 300.0  # seconds a computed result is reused
_EXECUTOR = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="slow-questions")
_LOCK = threading.Lock()
_CACHE: dict[tuple, tuple[float, dict]] = {}
_RUNNING: dict[tuple, concurrent.futures.Future] = {}


def clear_findings_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def findings(store: Store, lang: str, municipality: str | None, timeout: float = FINDINGS_TIMEOUT,
             workshops: bool = True) -> tuple[dict, str]:
    """Overlaps, synergies and gaps from the named questions, or ({}, reason) on failure or slowness.

    A query cannot be cancelled, so a slow computation is not started again for every request: it
    runs once (one worker), later requests wait on the same run, and its result is kept for a few
    minutes; a page that timed out shows the findings on a reload once they are ready."""
    def run() -> dict[str, list[dict[str, str]]]:
        questions = question_library.library()
        params = {"municipality": municipality} if municipality else {}
        result: dict[str, list[dict[str, str]]] = {}
        for kind, qid, a, b in (("overlap", "overlapping-initiatives", "initiative1", "initiative2"),
                                ("synergy", "plan-synergies", "plan1", "plan2"),
                                ("gap", "goals-without-initiative", "goal", None)):
            rows = KEPT.answer(store, questions[qid], params, lang, without_workshops=not workshops).rows
            result[kind] = [{"a": r[a].value, "b": r[b].value if b and r.get(b) is not None else "",
                             "strength": r["strength"].value if "strength" in r and r["strength"] is not None else ""}
                            for r in rows if r.get(a) is not None]
        return result

    found, error = run_once(("findings", store, lang, municipality, workshops), run, timeout)
    return (found or {}), error


def _finished(key: tuple, future: concurrent.futures.Future) -> None:
    with _LOCK:
        _RUNNING.pop(key, None)
        if not future.cancelled() and future.exception() is None:
            _CACHE[key] = (time.monotonic(), future.result())


def run_once(key: tuple, compute, timeout: float) -> tuple[Any, str]:
    """Run `compute()` at most once at a time per key, wait up to `timeout` seconds, and keep a
    successful result for FINDINGS_TTL seconds. Returns (result, "") or (None, reason); the reason is
    "timeout" when the run goes on in the background (a reload later finds it done)."""
    with _LOCK:
        cached = _CACHE.get(key)
        if cached and time.monotonic() - cached[0] < FINDINGS_TTL:
            return cached[1], ""
        future = _RUNNING.get(key)
        started = future is None
        if started:
            future = _EXECUTOR.submit(compute)
            _RUNNING[key] = future
    if started:  # outside the lock: a run that already ended calls `_finished` here, at once
        future.add_done_callback(lambda f: _finished(key, f))
    try:
        return future.result(timeout=timeout), ""
    except concurrent.futures.TimeoutError:
        return None, "timeout"
    except (StoreError, question_library.QueryParameterError) as exc:  # the store failed, or the filter is refused
        return None, f"{type(exc).__name__}: {exc}"[:200]


# ------------------------------------------------------------------------------ building

def _neighbourhood(graph: nx.MultiDiGraph, focus: str, hops: int) -> nx.MultiDiGraph:
    if focus not in graph:
        single = nx.MultiDiGraph()
        single.add_node(focus)
        return single
    nodes = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), focus, cutoff=hops)
    return graph.subgraph(nodes).copy()


def plans_of(graph: nx.MultiDiGraph, data: GraphData) -> dict[str, str]:
    """The plan each node is drawn with (graph.explore.network_layout keeps a plan's nodes together):
    a document and its parts belong to it; a target group, theme or organisation to the plan most of
    its links lead to (the first by IRI on a tie); a node linked to no plan, to none."""
    plans = {n: doc for n in graph if (doc := data.document_of(n)) and doc in graph}
    undirected = graph.to_undirected(as_view=True)
    for node in sorted(n for n in graph if n not in plans):
        counts = Counter(plans[m] for m in undirected.neighbors(node) if m in plans)
        if counts:
            plans[node] = min(counts, key=lambda plan: (-counts[plan], plan))
    return plans


def _capped(graph: nx.MultiDiGraph, data: GraphData, cap: int, focus: str | None) -> tuple[list[str], Counter]:
    """The nodes to draw: the focus, then documents, then the best connected; and what was left out."""
    degree = dict(graph.degree())
    ranked = sorted(graph.nodes, key=lambda n: (n != focus, not data.is_document(n), -degree.get(n, 0), data.label(n), n))
    kept, cut = ranked[:cap], ranked[cap:]
    return kept, Counter(category_of(data.types.get(n, set())) for n in cut)


def build_network(store: Store, lang: str, f: Filters) -> NetworkView:
    """The network for the filters: nodes and links, plus what the cap left out."""
    if f.view not in ("plans", "all"):
        raise NetworkError(f"unknown view {f.view!r} (use plans or all)")
    if not 1 <= f.hops <= MAX_HOPS:
        raise NetworkError(f"hops must be 1 to {MAX_HOPS}")
    reach = f.hops if f.focus else (2 if f.view == "all" else 0)   # the plans view links documents only
    data = read_network_data(store, lang, f.municipality, tuple(c for c in (f.theme, f.target_group) if c),
                             f.workshops, reach)
    docs = _documents_in_scope(store, data, f)
    graph = _scoped_graph(data, docs, f, workshop_only_links(store) if f.workshops else set())
    if f.focus:
        graph = _neighbourhood(graph, f.focus, f.hops)
    if not f.focus and f.view == "all":
        graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0 and not data.is_document(n)])
    total_nodes, total_edges = graph.number_of_nodes(), graph.number_of_edges()
    kept, cut = _capped(graph, data, max(1, f.cap), f.focus)
    shown = graph.subgraph(kept)

    found, error = (findings(store, lang, f.municipality, workshops=f.workshops) if f.findings else ({}, ""))
    marks: dict[str, set[str]] = {}
    for kind in ("overlap", "gap"):
        for row in found.get(kind, []):
            for node in (row["a"], row["b"]):
                if node in shown:
                    marks.setdefault(node, set()).add(kind)
    plans = plans_of(shown, data)
    nodes = [Node(node, data.label(node), category_of(data.types.get(node, set())), sorted(marks.get(node, ())),
                  curie(node), plans.get(node, "")) for node in kept]
    links = [Link(a, b, attrs.get("label") or relation_label(attrs["predicate"], lang), workshop=attrs["workshop"])
             for a, b, attrs in shown.edges(data=True)]
    links += [Link(row["a"], row["b"], "", "synergy", row["strength"]) for row in found.get("synergy", [])
              if row["a"] in shown and row["b"] in shown]
    shown_findings = {kind: [dict(r, a_label=data.label(r["a"]), b_label=data.label(r["b"]) if r["b"] else "")
                             for r in rows if r["a"] in shown or r["b"] in shown]
                      for kind, rows in found.items()}
    return NetworkView(nodes=nodes, links=links, total_nodes=total_nodes, total_edges=total_edges,
                       cut_nodes=total_nodes - len(kept), cut_edges=total_edges - shown.number_of_edges(),
                       cut_by_category=dict(sorted(cut.items())), findings=shown_findings, findings_error=error,
                       categories=sorted({n.category for n in nodes}, key=CATEGORIES.index))


def filter_choices(store: Store, lang: str) -> dict[str, list[tuple[str, str]]]:
    """Values for the form's selects, named in the reader's language, sorted by name; kept until the
    data changes (every network, matrix and timeline page shows them; nationally a few hundred ms)."""
    return KEPT.value(store, ("filter-choices", lang), lambda: _read_filter_choices(store, lang),
                      lambda choices: sum(len(c) for c in choices.values()))


def _read_filter_choices(store: Store, lang: str) -> dict[str, list[tuple[str, str]]]:
    wheres = {
        "municipality": "?s a pg:Municipality . FILTER EXISTS { ?d pg:municipality ?s }",
        "administration": "?s a pg:Administration .",
        "committee": "?s a pg:Committee .",
        "theme": "?s a pg:Theme .",
        "target_group": "?s a pg:TargetGroup .",
    }
    found = {key: {r["s"].value for r in store.query(f"SELECT DISTINCT ?s WHERE {{ {where} FILTER(isIRI(?s)) }}")}
             for key, where in wheres.items()}
    labels = Labeller(store, lang)
    labels.load(set().union(*found.values()))
    return {key: sorted(((iri, labels(iri)) for iri in iris), key=lambda c: (c[1].lower(), c[0]))
            for key, iris in found.items()}


# ----------------------------------------------------------------------------- summary

@dataclass
class LinkSummary:
    """All links between one pair of nodes drawn as one: a filter like employment + refugees gives
    dozens of parallel links per pair, which drawn one by one make a hairball. `kinds` keeps each
    relation with how often it occurs, in first-seen order, so the tooltip and the table still say
    everything; `both_ways` when the pair's links point both ways."""

    source: str
    target: str
    kinds: list[tuple[str, int]]
    count: int
    both_ways: bool = False
    finding: str = ""
    strength: str = ""
    workshop: bool = False


def summarise_links(links: list[Link]) -> list[LinkSummary]:
    """One summary per unordered node pair, apart for findings and workshop-only links (drawn in a
    look of their own); deterministic: the order of first appearance."""
    groups: dict[tuple, list[Link]] = {}
    for link in links:
        pair = tuple(sorted((link.source, link.target)))
        groups.setdefault((pair, link.finding, link.workshop), []).append(link)
    summaries = []
    for (_, finding, workshop), members in groups.items():
        first = members[0]
        kinds = Counter(link.label for link in members)
        summaries.append(LinkSummary(
            first.source, first.target, list(kinds.items()), len(members),
            both_ways=any(link.source != first.source for link in members), finding=finding,
            strength=max((link.strength for link in members), default=""), workshop=workshop))
    return summaries
