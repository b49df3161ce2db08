"""The derivation rules, evaluated in Python over the asserted links they read.

Each rule is a plain join or closure; its SPARQL equivalent is in its docstring and, executable, in
`tests/derive_reference.py`, which the tests compare with this module on the example graph and a
synthetic one. Python rather than CONSTRUCT over the store: the same rules took 50 s as
CONSTRUCTs on the national benchmark graph (property paths from every document, joins through
shared nodes), and a few seconds as dictionary lookups over links read once per predicate.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from ontology import DCT, ORG, PG, RDF, SCHEMA, SKOS, XSD

SCHEMA_VALUE = SCHEMA + "value"
RDF_TYPE = RDF + "type"
DOCUMENT_KINDS = (PG + "Policy", PG + "Strategy", PG + "ActionPlan", PG + "Plan")
CLASSES = DOCUMENT_KINDS + (PG + "Initiative", PG + "Goal", PG + "Municipality")

# every predicate a rule reads; derived ones are read too, in case a file asserts them
READS = [PG + p for p in (
    "hasFocusArea", "hasGoal", "hasInitiative", "hasBudgetLine", "hasSuccessCriterion", "hasTargetGroupSize",
    "targetGroup", "fiscalYear", "unitMultiplier", "hasBudgetAllocation", "coordinatesWith", "continues",
    "implements", "municipality", "responsibleBody", "underBearing", "adoptedBy", "preparedBy", "supports",
    "withinDocument", "servesTargetGroup", "firstBudgetYear", "includesInitiative", "validFrom", "validUntil",
    "fundingUntil")] + [
    DCT + "audience", DCT + "subject", SKOS + "broader", SKOS + "broaderTransitive", ORG + "unitOf", SCHEMA_VALUE]

Node = ox.NamedNode | ox.BlankNode
Links = dict[Node, set]  # subject -> objects


class Facts:
    """The links the rules read: predicate IRI -> subject -> objects, and class IRI -> instances."""

    def __init__(self, links: dict[str, Links], instances: dict[str, set]) -> None:
        self.links = links
        self.instances = instances

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> Facts:
        """The same index built from quads in hand (a load into an empty store has them all): 2-3x
        faster than reading them back. Terms are matched as terms; their text is never built."""
        predicates = {ox.NamedNode(p): p for p in READS}
        classes = {ox.NamedNode(c): c for c in CLASSES}
        rdf_type = ox.NamedNode(RDF_TYPE)
        links: dict[str, Links] = {p: defaultdict(set) for p in READS}
        instances: dict[str, set] = {c: set() for c in CLASSES}
        for quad in quads:
            predicate = predicates.get(quad.predicate)
            if predicate is not None:
                links[predicate][quad.subject].add(quad.object)
            elif quad.predicate == rdf_type:
                cls_iri = classes.get(quad.object)
                if cls_iri is not None:
                    instances[cls_iri].add(quad.subject)
        return cls(links, instances)

    def get(self, predicate: str) -> Links:
        return self.links.get(predicate, {})


class Derived:
    """What the rules derive: predicate IRI -> subject -> objects (a set of triples, indexed)."""

    def __init__(self) -> None:
        self.links: dict[str, Links] = defaultdict(lambda: defaultdict(set))

    def add(self, subject: Node, predicate: str, obj: ox.Term) -> None:
        self.links[predicate][subject].add(obj)

    def get(self, predicate: str) -> Links:
        return self.links.get(predicate, {})

    def quads(self, graph: ox.NamedNode) -> list[ox.Quad]:
        quads = []
        for predicate, links in self.links.items():
            node = ox.NamedNode(predicate)
            quads += [ox.Quad(s, node, o, graph) for s, objects in links.items() for o in objects]
        return quads


def merged(*sources: Links) -> Links:
    """The union of several link indexes (asserted and derived links of one predicate)."""
    filled = [source for source in sources if source]
    if len(filled) <= 1:
        return filled[0] if filled else {}
    out: Links = defaultdict(set)
    for source in sources:
        for subject, objects in source.items():
            out[subject] |= objects
    return out


def reachable(start: Node, step: Callable[[Node], Iterable[Node]]) -> set:
    """Nodes reachable from `start` in one or more steps (`start` itself only through a cycle)."""
    seen: set = set()
    todo = list(step(start))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(step(node))
    return seen


def edges(facts: Facts, *predicates: str) -> Callable[[Node], set]:
    """One step along any of `predicates` (a SPARQL alternative path `p1|p2`)."""
    indexes = [facts.get(p) for p in predicates]
    empty: set = set()
    if len(indexes) == 1:
        only = indexes[0]
        return lambda node: only.get(node, empty)
    return lambda node: set().union(*(index.get(node, empty) for index in indexes))


def derive_all(facts: Facts) -> Derived:
    """Stage 1 reads asserted links only, stage 2 also stage 1's flat links, stage 3 pairs up initiatives."""
    out = Derived()
    for rule in STAGE_1:
        rule(facts, out)
    for rule in STAGE_2:
        rule(facts, out)
    for rule in STAGE_3:
        rule(facts, out)
    return out


# ---- stage 1 -------------------------------------------------------------------------------------

def broader_closure(facts: Facts, out: Derived) -> None:
    """?a skos:broaderTransitive ?b . ?b skos:narrowerTransitive ?a  <-  ?a skos:broader+ ?b"""
    step = edges(facts, SKOS + "broader")
    for a in facts.get(SKOS + "broader"):
        for b in reachable(a, step):
            out.add(a, SKOS + "broaderTransitive", b)
            out.add(b, SKOS + "narrowerTransitive", a)


def documents(facts: Facts) -> set:
    return set().union(*(facts.instances.get(kind, set()) for kind in DOCUMENT_KINDS))


def document_parts(facts: Facts, out: Derived) -> None:
    """Which document a component belongs to, at any depth:
    initiatives through (hasFocusArea|hasInitiative|hasBudgetLine)+ (also doc includesInitiative),
    other components through (hasFocusArea|hasGoal|hasInitiative|hasBudgetLine|hasSuccessCriterion)+,
    goals also as doc includesGoal through (hasFocusArea|hasGoal)+."""
    initiatives = facts.instances.get(PG + "Initiative", set())
    goals = facts.instances.get(PG + "Goal", set())
    to_initiatives = edges(facts, PG + "hasFocusArea", PG + "hasInitiative", PG + "hasBudgetLine")
    to_parts = edges(facts, PG + "hasFocusArea", PG + "hasGoal", PG + "hasInitiative", PG + "hasBudgetLine",
                     PG + "hasSuccessCriterion")
    to_goals = edges(facts, PG + "hasFocusArea", PG + "hasGoal")
    for doc in documents(facts):
        for part in reachable(doc, to_initiatives) & initiatives:
            out.add(part, PG + "withinDocument", doc)
            out.add(doc, PG + "includesInitiative", part)
        for part in reachable(doc, to_parts) - initiatives:
            out.add(part, PG + "withinDocument", doc)
        for goal in reachable(doc, to_goals) & goals:
            out.add(doc, PG + "includesGoal", goal)


def served_groups(facts: Facts, out: Derived) -> None:
    """?i pg:servesTargetGroup ?g  <-  ?i a pg:Initiative . { ?i dct:audience ?g } UNION
    { ?i pg:hasTargetGroupSize/pg:targetGroup ?g }"""
    sizes = facts.get(PG + "hasTargetGroupSize")
    groups_of_size = facts.get(PG + "targetGroup")
    audience = facts.get(DCT + "audience")
    for i in facts.instances.get(PG + "Initiative", set()):
        for group in audience.get(i, ()):
            out.add(i, PG + "servesTargetGroup", group)
        for size in sizes.get(i, ()):
            for group in groups_of_size.get(size, ()):
                out.add(i, PG + "servesTargetGroup", group)


def amounts(facts: Facts, out: Derived) -> None:
    """?a pg:amountDKK ?dkk  <-  ?a pg:fiscalYear ?y ; schema:value ?v . OPTIONAL { ?a pg:unitMultiplier ?m }
    BIND(?v * COALESCE(?m, 1) AS ?dkk), with SPARQL's numeric type promotion and canonical forms."""
    years = facts.get(PG + "fiscalYear")
    multipliers = facts.get(PG + "unitMultiplier")
    one = ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))
    multipliers_seen: dict = {}
    for a, values in facts.get(SCHEMA_VALUE).items():
        if a not in years:
            continue
        for value in values:
            for multiplier in multipliers.get(a) or (one,):
                product = multiply(value, multiplier, multipliers_seen)
                if product is not None:
                    out.add(a, PG + "amountDKK", product)


def budget_years(facts: Facts, out: Derived) -> None:
    """?line pg:firstBudgetYear MIN(?y) ; pg:lastBudgetYear MAX(?y)  <-  ?line pg:hasBudgetAllocation/pg:fiscalYear ?y"""
    years_of = facts.get(PG + "fiscalYear")
    for line, allocations in facts.get(PG + "hasBudgetAllocation").items():
        years = [year for allocation in allocations for year in years_of.get(allocation, ())]
        if years:
            out.add(line, PG + "firstBudgetYear", min(years, key=year_key))
            out.add(line, PG + "lastBudgetYear", max(years, key=year_key))


def inverse_links(facts: Facts, out: Derived) -> None:
    """?b pg:coordinatesWith ?a (symmetric); ?old pg:continuedBy ?new; ?policy pg:implementedBy ?plan"""
    for predicate, inverse in ((PG + "coordinatesWith", PG + "coordinatesWith"), (PG + "continues", PG + "continuedBy"),
                               (PG + "implements", PG + "implementedBy")):
        for a, objects in facts.get(predicate).items():
            for b in objects:
                if isinstance(b, (ox.NamedNode, ox.BlankNode)):
                    out.add(b, inverse, a)


STAGE_1 = [broader_closure, document_parts, served_groups, amounts, budget_years, inverse_links]


# ---- stage 2 -------------------------------------------------------------------------------------

def seen(facts: Facts, out: Derived, predicate: str) -> Links:
    """A predicate as stage 2 sees it: asserted and derived in stage 1."""
    return merged(facts.get(predicate), out.get(predicate))


def reached_groups_and_themes(facts: Facts, out: Derived) -> None:
    """?i pg:reachesTargetGroup ?g  <-  ?i pg:servesTargetGroup ?g, and every broaderTransitive of it;
    ?i pg:withinTheme ?t  <-  ?i a pg:Initiative ; dct:subject ?t, and every broaderTransitive of it"""
    broader = seen(facts, out, SKOS + "broaderTransitive")
    for i, groups in list(seen(facts, out, PG + "servesTargetGroup").items()):
        for group in groups:
            out.add(i, PG + "reachesTargetGroup", group)
            for wider in broader.get(group, ()):
                out.add(i, PG + "reachesTargetGroup", wider)
    themes = facts.get(DCT + "subject")
    for i in facts.instances.get(PG + "Initiative", set()):
        for theme in themes.get(i, ()):
            out.add(i, PG + "withinTheme", theme)
            for wider in broader.get(theme, ()):
                out.add(i, PG + "withinTheme", wider)


def municipalities(facts: Facts, out: Derived) -> None:
    """?x pg:inMunicipality ?m  <-  ?x pg:municipality ?m ; or ?x pg:withinDocument/pg:municipality ?m ;
    or (with no document) ?x pg:responsibleBody/org:unitOf* ?m ; and ?unit org:unitOf+ ?m (?m a pg:Municipality)"""
    own = facts.get(PG + "municipality")
    within = seen(facts, out, PG + "withinDocument")
    places = facts.instances.get(PG + "Municipality", set())
    up = edges(facts, ORG + "unitOf")
    for x, ms in own.items():
        for m in ms:
            out.add(x, PG + "inMunicipality", m)
    for x, docs in list(within.items()):
        for doc in docs:
            for m in own.get(doc, ()):
                out.add(x, PG + "inMunicipality", m)
    above: dict[Node, set] = {}
    for x, bodies in facts.get(PG + "responsibleBody").items():
        if x in within:
            continue
        for body in bodies:
            if body not in above:
                above[body] = (reachable(body, up) | {body}) & places
            for m in above[body]:
                out.add(x, PG + "inMunicipality", m)
    for unit in facts.get(ORG + "unitOf"):
        for m in reachable(unit, up) & places:
            out.add(unit, PG + "inMunicipality", m)


def budget_scopes(facts: Facts, out: Derived) -> None:
    """What a funded line (one with a first budget year) counts towards: ?line pg:withinDocument ?doc ;
    ?area pg:hasInitiative|pg:hasBudgetLine ?line ; ?area pg:hasFocusArea/(pg:hasInitiative|pg:hasBudgetLine) ?line ;
    ?sub pg:underBearing ?bearing . ?sub pg:hasInitiative|pg:hasBudgetLine ?line"""
    funded = seen(facts, out, PG + "firstBudgetYear")
    holds = edges(facts, PG + "hasInitiative", PG + "hasBudgetLine")
    within = seen(facts, out, PG + "withinDocument")
    for line in funded:
        for doc in within.get(line, ()):
            out.add(line, PG + "countsTowards", doc)
    holders = set(facts.get(PG + "hasInitiative")) | set(facts.get(PG + "hasBudgetLine"))
    for area in holders:
        for line in holds(area):
            if line in funded:
                out.add(line, PG + "countsTowards", area)
    for area, subs in facts.get(PG + "hasFocusArea").items():
        for sub in subs:
            for line in holds(sub):
                if line in funded:
                    out.add(line, PG + "countsTowards", area)
    for sub, bearings in facts.get(PG + "underBearing").items():
        for line in holds(sub):
            if line in funded:
                for bearing in bearings:
                    out.add(line, PG + "countsTowards", bearing)


def accountable_bodies(facts: Facts, out: Derived) -> None:
    """?line pg:accountableBody ?body  <-  (an initiative or a line with allocations) ?line pg:responsibleBody ?body ;
    else, for every part of a document without a responsible body of its own (goals and focus areas
    too), ?line pg:withinDocument ?doc . ?doc pg:responsibleBody|pg:adoptedBy|pg:preparedBy ?body"""
    own = facts.get(PG + "responsibleBody")
    lines = facts.instances.get(PG + "Initiative", set()) | set(facts.get(PG + "hasBudgetAllocation"))
    for line in lines:
        for body in own.get(line, ()):
            out.add(line, PG + "accountableBody", body)
    bodies_of = edges(facts, PG + "responsibleBody", PG + "adoptedBy", PG + "preparedBy")
    for line, docs in list(seen(facts, out, PG + "withinDocument").items()):
        if line in own:
            continue
        for doc in docs:
            for body in bodies_of(doc):
                out.add(line, PG + "accountableBody", body)


def document_concerns(facts: Facts, out: Derived) -> None:
    """?doc pg:concernsTargetGroup ?g  <-  ?doc dct:audience ?g ; or ?x pg:withinDocument ?doc ; dct:audience ?g ;
    or ?doc pg:includesInitiative/pg:servesTargetGroup ?g.
    ?doc pg:concernsTheme ?t  <-  ?doc dct:subject ?t ; or ?x pg:withinDocument ?doc ; dct:subject ?t"""
    docs = documents(facts)
    audience, themes = facts.get(DCT + "audience"), facts.get(DCT + "subject")
    serves = seen(facts, out, PG + "servesTargetGroup")
    parts_of: dict[Node, set] = defaultdict(set)
    for part, holders in seen(facts, out, PG + "withinDocument").items():
        for doc in holders:
            parts_of[doc].add(part)
    included = seen(facts, out, PG + "includesInitiative")
    for doc in docs:
        for node in parts_of.get(doc, set()) | {doc}:
            for group in audience.get(node, ()):
                out.add(doc, PG + "concernsTargetGroup", group)
            for theme in themes.get(node, ()):
                out.add(doc, PG + "concernsTheme", theme)
        for initiative in included.get(doc, ()):
            for group in serves.get(initiative, ()):
                out.add(doc, PG + "concernsTargetGroup", group)


STAGE_2 = [reached_groups_and_themes, municipalities, budget_scopes, accountable_bodies, document_concerns]


# ---- stage 3: pairs ------------------------------------------------------------------------------

def overlap_candidates(facts: Facts, out: Derived) -> None:
    """?a pg:mayOverlapWith ?b . ?b pg:mayOverlapWith ?a  <-  same municipality; ?a servesTargetGroup ?g and
    ?b reachesTargetGroup ?g; ?a dct:subject ?t and ?b withinTheme ?t, or the other way round; different
    documents, or different responsible bodies; periods not known to be apart (the overlap question's
    periods: budget years, else own validity or funding, else the document's; a bound that cannot be
    compared keeps the pair, the question compares exactly).

    Per municipality, each initiative gets a bit; for one initiative, the OR of the masks of the groups
    and themes it relates through gives its partners at once (3 M pairs share a group nationally)."""
    members: dict[Node, list] = defaultdict(list)
    serves, reaches = out.get(PG + "servesTargetGroup"), out.get(PG + "reachesTargetGroup")
    for i, places in out.get(PG + "inMunicipality").items():
        if i in serves or i in reaches:
            for m in places:
                members[m].append(i)
    relations = _Relations(facts, out)
    for items in members.values():
        for a, b in relations.pairs(items):
            out.add(a, PG + "mayOverlapWith", b)
            out.add(b, PG + "mayOverlapWith", a)


class _Relations:
    """The links overlap_candidates reads, and its test of two initiatives (plans and bodies)."""

    def __init__(self, facts: Facts, out: Derived) -> None:
        self.sides = [(out.get(PG + "servesTargetGroup"), out.get(PG + "reachesTargetGroup")),
                      (facts.get(DCT + "subject"), out.get(PG + "withinTheme"))]
        self.documents = seen(facts, out, PG + "withinDocument")
        self.bodies = facts.get(PG + "responsibleBody")
        self.first, self.last = out.get(PG + "firstBudgetYear"), out.get(PG + "lastBudgetYear")
        self.valid_from, self.valid_until = facts.get(PG + "validFrom"), facts.get(PG + "validUntil")
        self.funded_or_valid_until = merged(facts.get(PG + "fundingUntil"), self.valid_until)
        self.periods: dict[Node, set] = {}

    def pairs(self, items: list) -> Iterable[tuple]:
        bit = {i: 1 << n for n, i in enumerate(items)}
        masks = []
        for own, reached in self.sides:
            by_own, by_reached = defaultdict(int), defaultdict(int)
            for i in items:
                for x in own.get(i, ()):
                    by_own[x] |= bit[i]
                for x in reached.get(i, ()):
                    by_reached[x] |= bit[i]
            masks.append((own, reached, by_own, by_reached))
        for n, a in enumerate(items):
            partners = -1
            for own, reached, by_own, by_reached in masks:
                related = 0
                for x in own.get(a, ()):
                    related |= by_reached[x]
                for x in reached.get(a, ()):
                    related |= by_own[x]
                partners &= related
            partners >>= n + 1  # each pair once: partners after a
            while partners:
                low = partners & -partners
                b = items[n + low.bit_length()]
                if self.apart(a, b) and self.concurrent(a, b):
                    yield a, b
                partners ^= low

    def apart(self, a: Node, b: Node) -> bool:
        """In different documents (or one without any), or under different responsible bodies."""
        da, db = self.documents.get(a), self.documents.get(b)
        if not da or not db or any(x != y for x in da for y in db):
            return True
        ra, rb = self.bodies.get(a), self.bodies.get(b)
        return bool(ra and rb and any(x != y for x in ra for y in rb))


    def period_rows(self, i: Node) -> set:
        """(from, to) of every row the question's OPTIONALs give: COALESCE(budget, own, document's)."""
        if i not in self.periods:
            docs = [(f, t) for d in self.documents.get(i, ()) for f in self.valid_from.get(d) or (None,)
                    for t in self.valid_until.get(d) or (None,)] or [(None, None)]
            bf, bt = next(iter(self.first.get(i) or (None,))), next(iter(self.last.get(i) or (None,)))
            self.periods[i] = {(bf or vf or df, bt or vt or dt) for vf in self.valid_from.get(i) or (None,)
                               for vt in self.funded_or_valid_until.get(i) or (None,) for df, dt in docs}
        return self.periods[i]

    def concurrent(self, a: Node, b: Node) -> bool:
        return any(not_after(f1, t2) and not_after(f2, t1)
                   for f1, t1 in self.period_rows(a) for f2, t2 in self.period_rows(b))


def not_after(start: ox.Term | None, end: ox.Term | None) -> bool:
    """False only if both are years (or dates) of one type and start > end: unknown keeps a pair."""
    if not (isinstance(start, ox.Literal) and isinstance(end, ox.Literal)) or start.datatype != end.datatype:
        return True
    kind = start.datatype.value[len(XSD):]
    if kind in ("gYear", "integer"):
        a, b = year_key(start), year_key(end)
        return a[0] != 0 or b[0] != 0 or a[1] <= b[1]
    if kind in ("date", "dateTime") and len(start.value) == len(end.value):
        return start.value <= end.value
    return True


def groups_reached_in_municipalities(facts: Facts, out: Derived) -> None:
    """?g pg:reachedInMunicipality ?m  <-  ?i pg:reachesTargetGroup ?g ; pg:inMunicipality ?m
    (a few thousand links nationally; gap questions anti-join against them instead of every initiative)"""
    places = out.get(PG + "inMunicipality")
    for i, groups in list(out.get(PG + "reachesTargetGroup").items()):
        for m in places.get(i, ()):
            for group in groups:
                out.add(group, PG + "reachedInMunicipality", m)


STAGE_3 = [overlap_candidates, groups_reached_in_municipalities]


# ---- numbers and years, as SPARQL compares and multiplies them --------------------------------------

INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                   "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
                                   "unsignedShort", "unsignedByte")}
RANK = {"integer": 0, "decimal": 1, "float": 2, "double": 3}


def numeric(term: ox.Term) -> tuple[str, int | Decimal | float] | None:
    """(kind, value) of a numeric literal, None for anything else (SPARQL arithmetic would fail)."""
    if not isinstance(term, ox.Literal):
        return None
    datatype = term.datatype.value
    try:
        if datatype in INTEGER_TYPES:
            return "integer", int(term.value)
        if datatype == XSD + "decimal":
            return "decimal", Decimal(term.value)
        if datatype in (XSD + "double", XSD + "float"):
            return datatype[len(XSD):], float(term.value)
    except (ValueError, InvalidOperation):
        return None
    return None


def multiply(left: ox.Term, right: ox.Term, cache: dict | None = None) -> ox.Literal | None:
    """SPARQL's `*`; `cache` remembers parsed operands (unit multipliers repeat on every line)."""
    if cache is None:
        a, b = numeric(left), numeric(right)
    else:
        a = cache[left] if left in cache else cache.setdefault(left, numeric(left))
        b = cache[right] if right in cache else cache.setdefault(right, numeric(right))
    if a is None or b is None:
        return None
    kind = a[0] if a[0] == b[0] else max(a[0], b[0], key=RANK.__getitem__)
    if kind in ("float", "double"):
        product = float(a[1]) * float(b[1])
        text = str(int(product)) if product.is_integer() and abs(product) < 1e16 else repr(product)
    elif kind == "decimal":
        product_d = Decimal(a[1]) * Decimal(b[1])
        text = format(product_d.normalize(), "f") if product_d else "0"
    else:
        text = str(a[1] * b[1])
    return ox.Literal(text, datatype=ox.NamedNode(XSD + kind))


YEAR = re.compile(r"-?\d+")


def year_key(term: ox.Term) -> tuple:
    """Order years by number (gYear or integer), anything else after them by text."""
    match = YEAR.match(term.value) if isinstance(term, ox.Literal) else None
    return (0, int(match.group()), term.value) if match else (1, 0, str(term))
