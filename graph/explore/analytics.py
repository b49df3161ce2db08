"""Graph analytics over the plans: networkx views of the RDF graph and what a strategist reads off them.

Views (all undirected, built in sorted order so that every result is deterministic):
- the document network: plans linked by stated relations (implements, replaces, coordinates with,
  related to, part of, continues; relations between their parts are lifted to the plans), by a
  shared mandating decision, and by shared target groups and themes (weighted by Jaccard);
- the initiative network: initiatives linked by shared target groups (a broader or narrower group
  counts half, through skos:broaderTransitive in the derived graph), shared themes and `continues`;
- the organisation network: committees, administrations and councils linked through the plans
  they adopted, prepared, are responsible for or take part in;
- the explained graph: every resource with every link above as a labelled edge, for paths.

Findings: bridging initiatives, target groups and organisations (betweenness centrality; never
eigenvector centrality, which is invalid once links can be negative), clusters of plans (Louvain
with a fixed seed), plans isolated from the rest, shortest explained paths, Jaccard similarity of
plans, and SUGGESTED links from Danish text similarity (TF-IDF over stemmed words). Suggestions are
returned as data with kind 'suggested', a score and reasons; nothing here writes to the store.
"""
from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Iterable

import networkx as nx
import pyoxigraph as ox

from graph.store import Store
from graph.store.labels import Labeller
from ontology import DCT, PG, PROV, SKOS, curie, expand, suggest
from ontology.texts import translate

SEED = 42

DOCUMENT_CLASSES = {PG + c for c in ("Policy", "Strategy", "ActionPlan", "Plan", "PolicyDocument")}
ORGANISATION_CLASSES = {PG + c for c in ("Organisation", "Municipality", "CityCouncil", "Committee",
                                         "Administration", "AdvisoryBody", "ExternalPartner")}

# Every link the views use; how a person reads each is ontology/texts/relations.yaml ("relation.<curie>").
RELATIONS: tuple[str, ...] = (
    PG + "implements",
    DCT + "replaces",
    PG + "coordinatesWith",
    PG + "synergyWith",
    PG + "overlapsWith",
    PG + "conflictsWith",
    DCT + "relation",
    DCT + "isPartOf",
    PG + "mandatedBy",
    PG + "continues",
    PG + "withinDocument",
    PG + "servesTargetGroup",
    DCT + "audience",
    DCT + "subject",
    SKOS + "broader",
    PG + "supports",
    PG + "underBearing",
    PG + "adoptedBy",
    PG + "preparedBy",
    PG + "responsibleBody",
    PG + "partner",
    PG + "decidedBy",
    PROV + "used",
    PROV + "wasAssociatedWith",
)
DOCUMENT_LINKS = [PG + "implements", DCT + "replaces", PG + "coordinatesWith", DCT + "relation",
                  DCT + "isPartOf", PG + "continues", PG + "synergyWith", PG + "overlapsWith", PG + "conflictsWith"]
# Links that hold both ways (owl:SymmetricProperty): drawn and counted once per pair.
SYMMETRIC_LINKS = frozenset({PG + "coordinatesWith", PG + "synergyWith", PG + "overlapsWith", PG + "conflictsWith"})
ORG_LINKS = [PG + "adoptedBy", PG + "preparedBy", PG + "responsibleBody", PG + "partner"]
# Danish function words (snowball's list, trimmed) and words every plan in this field uses.
DANISH_STOPWORDS = set("""
af alle andet andre at blev blive bliver da de dem den denne der deres det dette dig din disse dog du efter eller en
end er et for fra ham han hans har havde have hende hendes her hos hun hvad hvis hvor i ikke ind jeg jer kan kunne
man mange med meget men mig min mine mit mod ned noget nogle nu når og også om op os over på sig sin sine sit skal
skulle som sådan thi til ud under var vi vil ville vor være været samt via ved bl blandt mv fx kr mio år
""".split())


class AnalyticsError(Exception):
    """A user mistake: an unknown resource, no path between two resources."""


# ------------------------------------------------------------------------------- reading the store

@dataclass
class GraphData:
    """What the views need, read from the store in a handful of queries (union of all graphs)."""

    types: dict[str, set[str]]
    label: Labeller                             # every resource's name, loaded for the whole graph
    texts: dict[str, list[str]]                 # iri -> Danish title/description/label texts
    edges: set[tuple[str, str, str]]            # (subject, predicate, object), IRIs only
    within: dict[str, str]                      # component -> its document
    broader: set[tuple[str, str]]               # (narrower, broader), transitive

    @property
    def lang(self) -> str:
        return self.label.lang

    def is_document(self, iri: str) -> bool:
        return bool(self.types.get(iri, set()) & DOCUMENT_CLASSES)

    def has_type(self, iri: str, cls: str) -> bool:
        return PG + cls in self.types.get(iri, set())

    @cached_property
    def documents(self) -> list[str]:
        return sorted(i for i in self.types if self.is_document(i))

    @cached_property
    def initiatives(self) -> list[str]:
        return sorted(i for i in self.types if self.has_type(i, "Initiative"))

    @cached_property
    def organisations(self) -> list[str]:
        return sorted(i for i in self.types if self.types[i] & ORGANISATION_CLASSES)

    def document_of(self, iri: str) -> str | None:
        return iri if self.is_document(iri) else self.within.get(iri)

    @cached_property
    def groups_of(self) -> dict[str, set[str]]:
        """Target groups of each node: initiatives via pg:servesTargetGroup, other nodes via
        dct:audience; documents also get the groups of all their parts."""
        found: dict[str, set[str]] = defaultdict(set)
        for s, p, o in self.edges:
            if p in (PG + "servesTargetGroup", DCT + "audience") and self.has_type(o, "TargetGroup"):
                found[s].add(o)
        for part, doc in self.within.items():
            found[doc] |= found.get(part, set())
        return found

    @cached_property
    def themes_of(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for s, p, o in self.edges:
            if p == DCT + "subject":
                found[s].add(o)
        for part, doc in self.within.items():
            found[doc] |= found.get(part, set())
        return found

    def text_of(self, doc: str) -> str:
        parts = [doc] + sorted(p for p, d in self.within.items() if d == doc)
        return " ".join(t for p in parts for t in self.texts.get(p, []))


def _value(term) -> str | None:
    return None if term is None else term.value


def read_graph(store: Store, lang: str = "da", municipality: str | None = None) -> GraphData:
    """Read types, labels, texts and the links the views use. With `municipality`, keep only the
    documents of that municipality and what hangs off them (their parts, organisations, groups)."""
    types: dict[str, set[str]] = defaultdict(set)
    for row in store.query("SELECT ?s ?k WHERE { ?s a ?k FILTER(isIRI(?s) && STRSTARTS(STR(?k), STR(pg:))) }"):
        types[row["s"].value].add(row["k"].value)
    labels = Labeller(store, lang)
    labels.load_all()
    texts: dict[str, list[str]] = defaultdict(list)
    rows = store.query("SELECT ?s ?p ?l WHERE { VALUES ?p { skos:prefLabel dct:title dct:description } "
                       "?s ?p ?l FILTER(isIRI(?s) && LANG(?l) IN (\"da\", \"\")) }")
    for row in sorted(rows, key=lambda r: (r["s"].value, r["p"].value, r["l"].value)):
        texts[row["s"].value].append(row["l"].value)
    values = " ".join(f"<{p}>" for p in RELATIONS)
    edges = {(r["s"].value, r["p"].value, r["o"].value) for r in store.query(
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o)) }}")}
    within = {s: o for s, p, o in sorted(edges) if p == PG + "withinDocument"}
    broader = {(r["a"].value, r["b"].value) for r in store.query(
        "SELECT DISTINCT ?a ?b WHERE { ?a skos:broaderTransitive ?b FILTER(isIRI(?a) && isIRI(?b)) }")}
    data = GraphData(dict(types), labels, dict(texts), edges, within, broader)
    if municipality:
        data = only_municipality(store, data, municipality)
    return data


def only_municipality(store: Store, data: GraphData, municipality: str) -> GraphData:
    """Only the municipality's documents and their parts; organisations and concepts stay (the
    network view drops them later if nothing in scope links to them)."""
    docs = {r["d"].value for r in store.query("SELECT ?d WHERE { ?d pg:municipality ?m }",
                                              {"m": ox.NamedNode(municipality)})}
    outside = {d for d in data.documents if d not in docs}
    outside |= {part for part, doc in data.within.items() if doc in outside}
    outside |= {i for i, kinds in data.types.items() if PG + "PlanComponent" in kinds and i not in data.within}
    edges = {e for e in data.edges if e[0] not in outside and e[2] not in outside}
    within = {p: d for p, d in data.within.items() if p not in outside}
    types = {i: t for i, t in data.types.items() if i not in outside}
    return GraphData(types, data.label, data.texts, edges, within, data.broader)


def _word(key: str, lang: str) -> str:
    return translate(f"analytics.{key}", lang)


def relation_label(predicate: str, lang: str) -> str:
    """How a person reads the link: a phrase of ontology/texts/relations.yaml, else the property's curie."""
    key = f"relation.{curie(predicate)}"
    phrase = translate(key, lang)
    return curie(predicate) if phrase == key else phrase


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


# ------------------------------------------------------------------------------------ the views

def document_network(data: GraphData) -> nx.Graph:
    """Plans linked by stated relations, a shared mandate, shared target groups and themes."""
    graph = nx.Graph()
    for doc in data.documents:
        graph.add_node(doc, label=data.label(doc), kind="document")
    links: dict[tuple[str, str], dict] = defaultdict(lambda: {"relations": set(), "shared_groups": set(),
                                                               "shared_themes": set()})
    for s, p, o in sorted(data.edges):
        if p not in DOCUMENT_LINKS:
            continue
        a, b = data.document_of(s), data.document_of(o)
        if a and b and a != b:
            label = relation_label(p, data.lang)
            if (a, b) != (s, o):
                label += " " + _word("via_parts", data.lang)
            links[tuple(sorted((a, b)))]["relations"].add(label)
    mandated = defaultdict(set)
    for s, p, o in data.edges:
        if p == PG + "mandatedBy" and data.is_document(s):
            mandated[o].add(s)
    for docs in mandated.values():
        for a, b in itertools.combinations(sorted(docs), 2):
            links[(a, b)]["relations"].add(_word("shared_decision", data.lang))
    for a, b in itertools.combinations(data.documents, 2):
        groups = data.groups_of.get(a, set()) & data.groups_of.get(b, set())
        themes = data.themes_of.get(a, set()) & data.themes_of.get(b, set())
        if groups or themes:
            links[(a, b)]["shared_groups"] |= groups
            links[(a, b)]["shared_themes"] |= themes
    for (a, b), link in sorted(links.items()):
        weight = (len(link["relations"])
                  + _jaccard(data.groups_of.get(a, set()), data.groups_of.get(b, set()))
                  + 0.5 * _jaccard(data.themes_of.get(a, set()), data.themes_of.get(b, set())))
        graph.add_edge(a, b, weight=round(weight, 4), relations=sorted(link["relations"]),
                       shared_groups=sorted(link["shared_groups"]), shared_themes=sorted(link["shared_themes"]))
    return graph


def initiative_network(data: GraphData) -> nx.Graph:
    """Initiatives linked by shared (or broader/narrower) target groups, shared themes and `continues`."""
    graph = nx.Graph()
    for initiative in data.initiatives:
        graph.add_node(initiative, label=data.label(initiative), kind="initiative")
    continues = {tuple(sorted((s, o))) for s, p, o in data.edges
                 if p == PG + "continues" and s in graph and o in graph}
    related = data.broader | {(b, a) for a, b in data.broader}
    for a, b in itertools.combinations(data.initiatives, 2):
        ga, gb = data.groups_of.get(a, set()), data.groups_of.get(b, set())
        shared = ga & gb
        near = sorted({(x, y) for x in ga - shared for y in gb - shared if (x, y) in related})
        themes = data.themes_of.get(a, set()) & data.themes_of.get(b, set())
        weight = len(shared) + 0.5 * len(near) + 0.5 * len(themes) + (2 if (a, b) in continues else 0)
        if weight:
            graph.add_edge(a, b, weight=weight, shared_groups=sorted(shared), related_groups=near,
                           shared_themes=sorted(themes), continues=(a, b) in continues)
    return graph


def target_group_network(data: GraphData) -> nx.Graph:
    """Initiatives and the target groups they serve, with skos:broader between groups."""
    graph = nx.Graph()
    for initiative in data.initiatives:
        graph.add_node(initiative, kind="initiative")
        for group in sorted(data.groups_of.get(initiative, set())):
            graph.add_node(group, kind="target group")
            graph.add_edge(initiative, group)
    for s, p, o in sorted(data.edges):
        if p == SKOS + "broader" and s in graph and o in graph:
            graph.add_edge(s, o)
    return graph


def organisation_network(data: GraphData) -> nx.Graph:
    """Organisations linked through the plans they adopted, prepared, own a part of or partner in,
    the decisions that mandate plans, and the process steps that treat them."""
    involved: dict[str, set[str]] = defaultdict(set)
    decisions: dict[str, set[str]] = defaultdict(set)
    steps: dict[str, set[str]] = defaultdict(set)
    for s, p, o in sorted(data.edges):
        if p in ORG_LINKS:
            doc = data.document_of(s)
            if doc:
                involved[o].add(doc)
        elif p == PG + "mandatedBy":
            decisions[o].add(s)
        elif p == PROV + "used" and data.is_document(o):
            steps[s].add(o)
    for s, p, o in sorted(data.edges):
        if p == PG + "decidedBy":
            involved[o] |= decisions.get(s, set())
        elif p == PROV + "wasAssociatedWith":
            involved[o] |= steps.get(s, set())
    graph = nx.Graph()
    for org in sorted(o for o in involved if o in data.organisations):
        graph.add_node(org, label=data.label(org), kind="organisation")
    for a, b in itertools.combinations(sorted(graph.nodes), 2):
        shared = involved[a] & involved[b]
        if shared:
            graph.add_edge(a, b, weight=len(shared), shared_plans=sorted(shared))
    return graph


def explained_graph(data: GraphData) -> nx.Graph:
    """Every resource and every labelled link, for explained paths (an edge keeps its direction)."""
    graph = nx.Graph()
    for s, p, o in sorted(data.edges):
        if p == PG + "withinDocument":
            continue  # the stated structure below reads better than the derived shortcut
        if p == DCT + "audience" and data.has_type(s, "Initiative"):
            continue  # pg:servesTargetGroup says the same for initiatives
        if not graph.has_edge(s, o):
            graph.add_edge(s, o, source=s, predicate=p, target=o)
    for part, doc in sorted(data.within.items()):
        if not graph.has_edge(part, doc):
            graph.add_edge(part, doc, source=part, predicate=PG + "withinDocument", target=doc)
    return graph


# ---------------------------------------------------------------------------------- findings

def _ranked(centrality: dict[str, float], nodes: Iterable[str], data: GraphData, top: int) -> list[dict]:
    rows = [{"id": curie(n), "iri": n, "label": data.label(n), "score": round(centrality.get(n, 0.0), 4)}
            for n in nodes if centrality.get(n, 0.0) > 0]
    return sorted(rows, key=lambda r: (-r["score"], r["label"], r["iri"]))[:top]


def _distance_view(graph: nx.Graph) -> nx.Graph:
    """Betweenness treats weights as lengths: a strong link is a short one."""
    view = graph.copy()
    for _, _, attrs in view.edges(data=True):
        attrs["distance"] = 1.0 / attrs.get("weight", 1.0)
    return view


def bridging_initiatives(data: GraphData, top: int = 10) -> list[dict]:
    graph = _distance_view(initiative_network(data))
    return _ranked(nx.betweenness_centrality(graph, weight="distance", normalized=True), graph.nodes, data, top)


def bridging_target_groups(data: GraphData, top: int = 10) -> list[dict]:
    graph = target_group_network(data)
    centrality = nx.betweenness_centrality(graph, normalized=True)
    groups = [n for n, kind in graph.nodes(data="kind") if kind == "target group"]
    return _ranked(centrality, groups, data, top)


def bridging_organisations(data: GraphData, top: int = 10) -> list[dict]:
    graph = _distance_view(organisation_network(data))
    return _ranked(nx.betweenness_centrality(graph, weight="distance", normalized=True), graph.nodes, data, top)


def plan_clusters(data: GraphData, graph: nx.Graph | None = None) -> list[dict]:
    """Communities of the document network (Louvain, fixed seed); clusters of one plan are left out."""
    graph = graph if graph is not None else document_network(data)
    if graph.number_of_edges() == 0:
        return []
    communities = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    clusters = []
    for members in communities:
        if len(members) < 2:
            continue
        ordered = sorted(members, key=lambda m: (data.label(m), m))
        themes = Counter(t for m in members for t in data.themes_of.get(m, set()))
        clusters.append({"size": len(members), "members": [{"id": curie(m), "label": data.label(m)} for m in ordered],
                         "themes": [data.label(t) for t, _ in sorted(themes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]})
    return sorted(clusters, key=lambda c: (-c["size"], c["members"][0]["label"]))


def isolated_components(data: GraphData, graph: nx.Graph | None = None) -> list[dict]:
    """Groups of plans with no stated link (relation, implements, replaces, mandate...) to the
    largest group: shared groups and themes alone do not count as a link here."""
    graph = graph if graph is not None else document_network(data)
    stated = nx.Graph()
    stated.add_nodes_from(sorted(graph.nodes))
    stated.add_edges_from(sorted((a, b) for a, b, r in graph.edges(data="relations") if r))
    components = sorted((sorted(c) for c in nx.connected_components(stated)), key=lambda c: (-len(c), c))
    return [{"size": len(c), "members": [{"id": curie(m), "label": data.label(m)} for m in c]}
            for c in components[1:]]


def plan_similarity(data: GraphData, top: int | None = None) -> list[dict]:
    """Pairs of plans ranked by the Jaccard similarity of their target groups and themes together."""
    rows = []
    for a, b in itertools.combinations(data.documents, 2):
        ga, gb = data.groups_of.get(a, set()), data.groups_of.get(b, set())
        ta, tb = data.themes_of.get(a, set()), data.themes_of.get(b, set())
        features_a = {("g", g) for g in ga} | {("t", t) for t in ta}
        features_b = {("g", g) for g in gb} | {("t", t) for t in tb}
        score = _jaccard(features_a, features_b)
        if score > 0:
            rows.append({"a": curie(a), "b": curie(b), "a_label": data.label(a), "b_label": data.label(b),
                         "score": round(score, 4), "groups": round(_jaccard(ga, gb), 4),
                         "themes": round(_jaccard(ta, tb), 4),
                         "shared_groups": sorted(data.label(g) for g in ga & gb),
                         "shared_themes": sorted(data.label(t) for t in ta & tb)})
    rows.sort(key=lambda r: (-r["score"], -len(r["shared_groups"]) - len(r["shared_themes"]), r["a"], r["b"]))
    return rows[:top] if top else rows


# ------------------------------------------------------------------------ suggested links (text)

_TOKEN = re.compile(r"[a-zæøå]+")


def danish_tokens(text: str) -> list[str]:
    """Lower-cased Danish words without function words, stemmed with the Snowball Danish stemmer."""
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("danish")
    words = [w for w in _TOKEN.findall(text.lower()) if len(w) > 2 and w not in DANISH_STOPWORDS]
    return stemmer.stemWords(words)


@dataclass
class Suggestion:
    a: str
    b: str
    a_label: str
    b_label: str
    score: float
    text_similarity: float
    feature_similarity: float
    reasons: list[str] = field(default_factory=list)
    kind: str = "suggested"

    def as_dict(self) -> dict:
        return asdict(self)


def text_similarity(texts: dict[str, str]) -> tuple[list[str], object, object, list[str]]:
    """TF-IDF over stemmed Danish text; returns ids, the cosine matrix, the TF-IDF matrix and the stems."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    ids = sorted(texts)
    vectorizer = TfidfVectorizer(analyzer=danish_tokens, sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform([texts[i] for i in ids])
    return ids, cosine_similarity(matrix), matrix, list(vectorizer.get_feature_names_out())


def suggest_links(data: GraphData, top: int = 20, threshold: float = 0.15,
                  graph: nx.Graph | None = None) -> list[Suggestion]:
    """Pairs of plans with no stated link whose wording, target groups and themes are alike.

    score = 0.5 * cosine of stemmed Danish TF-IDF + 0.5 * Jaccard of groups and themes. These are
    proposals for a person to confirm or reject; they are never written into the store."""
    graph = graph if graph is not None else document_network(data)
    texts = {d: data.text_of(d) for d in data.documents if data.text_of(d).strip()}
    if len(texts) < 2:
        return []
    ids, cosine, matrix, stems = text_similarity(texts)
    index = {d: n for n, d in enumerate(ids)}
    words: dict[str, Counter] = defaultdict(Counter)  # stem -> the surface words it came from
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("danish")
    for text in texts.values():
        for word in _TOKEN.findall(text.lower()):
            if len(word) > 2 and word not in DANISH_STOPWORDS:
                words[stemmer.stemWord(word)][word] += 1
    suggestions = []
    for a, b in itertools.combinations(data.documents, 2):
        if graph.has_edge(a, b) and graph.edges[a, b]["relations"]:
            continue  # already linked by a stated relation
        text = float(cosine[index[a], index[b]]) if a in index and b in index else 0.0
        ga, gb = data.groups_of.get(a, set()), data.groups_of.get(b, set())
        ta, tb = data.themes_of.get(a, set()), data.themes_of.get(b, set())
        features = _jaccard({("g", g) for g in ga} | {("t", t) for t in ta}, {("g", g) for g in gb} | {("t", t) for t in tb})
        shared_stems = 0
        if text > 0:
            row_a, row_b = matrix[index[a]].toarray()[0], matrix[index[b]].toarray()[0]
            shared_stems = int(((row_a > 0) & (row_b > 0)).sum())
        # Little evidence (one shared theme, one shared word) discounts the score.
        evidence = len(ga & gb) + len(ta & tb) + shared_stems
        score = (0.5 * text + 0.5 * features) * min(1.0, evidence / 4)
        if score <= 0 or score < threshold:
            continue
        reasons = []
        if ga & gb:
            reasons.append(f"{_word('shared_groups', data.lang)}: " + ", ".join(sorted(data.label(g) for g in ga & gb)))
        if ta & tb:
            reasons.append(f"{_word('shared_themes', data.lang)}: " + ", ".join(sorted(data.label(t) for t in ta & tb)))
        if text > 0:
            weights = sorted(((row_a[k] * row_b[k], stems[k]) for k in range(len(stems)) if row_a[k] * row_b[k] > 0),
                             key=lambda kv: (-kv[0], kv[1]))[:5]
            shown = [sorted(words[s].items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if words[s] else s for _, s in weights]
            reasons.append(f"{_word('shared_terms', data.lang)} ({text:.2f}): " + ", ".join(shown))
        suggestions.append(Suggestion(curie(a), curie(b), data.label(a), data.label(b), round(score, 4),
                                      round(text, 4), round(features, 4), reasons))
    suggestions.sort(key=lambda s: (-s.score, s.a, s.b))
    return suggestions[:top]


# ------------------------------------------------------------------------------ explained paths

@dataclass
class Step:
    source: str
    source_label: str
    relation: str
    relation_label: str
    target: str
    target_label: str
    forward: bool          # True: source --relation--> target as stated; False: read backwards

    def as_dict(self) -> dict:
        return asdict(self)


def resolve(data: GraphData, graph: nx.Graph, name: str) -> str:
    """An id relative to the base IRI, or a full IRI, that is a node of the graph."""
    iri = expand(name)
    if iri in graph:
        return iri
    best = suggest(curie(iri), sorted(curie(n) for n in graph.nodes))
    hint = f"; did you mean '{best}'?" if best else ""
    raise AnalyticsError(f"unknown resource '{curie(iri)}'{hint}")


def explained_path(data: GraphData, start: str, end: str, graph: nx.Graph | None = None) -> list[Step]:
    """The shortest chain of stated or derived links from one resource to another, each step labelled."""
    graph = graph if graph is not None else explained_graph(data)
    a, b = resolve(data, graph, start), resolve(data, graph, end)
    try:
        nodes = nx.shortest_path(graph, a, b)
    except nx.NetworkXNoPath:
        raise AnalyticsError(f"no path links '{curie(a)}' and '{curie(b)}'") from None
    steps = []
    for u, v in zip(nodes, nodes[1:]):
        edge = graph.edges[u, v]
        forward = edge["source"] == u
        steps.append(Step(curie(u), data.label(u), curie(edge["predicate"]),
                          relation_label(edge["predicate"], data.lang), curie(v), data.label(v), forward))
    return steps


def format_path(steps: list[Step]) -> str:
    """'A --coordinates with--> B <--implements-- C'."""
    if not steps:
        return ""
    text = steps[0].source_label
    for step in steps:
        arrow = f" --{step.relation_label}--> " if step.forward else f" <--{step.relation_label}-- "
        text += arrow + step.target_label
    return text


# ------------------------------------------------------------------------------------- headline

def analyse(store: Store, lang: str = "da", municipality: str | None = None, top: int = 10) -> dict:
    """The headline findings as plain data (JSON-ready)."""
    data = read_graph(store, lang, municipality)
    documents = document_network(data)
    isolated = isolated_components(data, documents)
    return {
        "lang": lang,
        "municipality": curie(municipality) if municipality else None,
        "counts": {"documents": len(data.documents), "initiatives": len(data.initiatives),
                   "organisations": organisation_network(data).number_of_nodes(),
                   "document_links": documents.number_of_edges()},
        "bridging_initiatives": bridging_initiatives(data, top),
        "bridging_target_groups": bridging_target_groups(data, top),
        "bridging_organisations": bridging_organisations(data, top),
        "clusters": plan_clusters(data, documents),
        "isolated": isolated,
        "similar_plans": plan_similarity(data, top),
        "suggested_links": [s.as_dict() for s in suggest_links(data, top, graph=documents)],
    }
