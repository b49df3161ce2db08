"""Budget sums, materialised after the derived links (one node per scope, municipality and year).

A national budget overview sums every allocation in the country (140,000 on the benchmark graph);
Oxigraph needs 10-20 s for that join on disk, so the overview questions would miss their 200 ms
by two orders of magnitude. The sums are cheap to make here from the flat links the rules already
derived (amount in kroner, document, what a line counts towards, accountable body, target group),
and the questions then read a few hundred nodes. They are derived facts like the rest of the graph
`graph/derived`: rebuilt on every load, never mixed with what a file stated.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pyoxigraph as ox

from graph.pipeline.derive_rules import Derived, Facts
from ontology import PG, RDF, XSD

RDF_TYPE = ox.NamedNode(RDF + "type")
XSD_INTEGER = ox.NamedNode(XSD + "integer")
XSD_DECIMAL = ox.NamedNode(XSD + "decimal")

# which flat link groups a line's money, and the property that names the group on the sum node
GROUPINGS = {
    PG + "countsTowards": PG + "sumFor",          # documents, focus areas, bearings
    PG + "accountableBody": PG + "sumForBody",   # committees and administrations
    PG + "servesTargetGroup": PG + "sumForGroup",  # target groups (shared, so per municipality)
    PG + "supports": PG + "sumForSupported",     # goals and areas the funded initiatives support
}


def _money(facts: Facts, derived: Derived) -> dict[ox.Term, list[tuple[ox.Term, Decimal]]]:
    """funded line -> [(fiscal year, amount in DKK)], one entry per allocation"""
    years = facts.get(PG + "fiscalYear")
    amount = {s: _number(next(iter(o))) for s, o in derived.get(PG + "amountDKK").items()}
    money = {}
    for line, allocations in facts.get(PG + "hasBudgetAllocation").items():
        entries = [(year, amount[a]) for a in allocations if a in amount for year in years.get(a, ())]
        if entries:
            money[line] = entries
    return money


def budget_sum_quads(facts: Facts, derived: Derived, graph: ox.NamedNode) -> list[ox.Quad]:
    """The sum nodes for every grouping, from the derived links and the allocations."""
    money = _money(facts, derived)
    municipality = derived.get(PG + "inMunicipality")
    nowhere = {None}
    quads: list[ox.Quad] = []
    for link, sum_property in GROUPINGS.items():
        totals: dict[tuple, list] = defaultdict(lambda: [Decimal(0), set()])
        links = facts.get(PG + "supports") if link == PG + "supports" else derived.get(link)
        for line, scopes in links.items():
            entries = money.get(line)
            if not entries:
                continue
            places = municipality.get(line, nowhere)
            for year, value in entries:
                for scope in scopes:
                    for place in places:
                        entry = totals[(scope, place, year)]
                        entry[0] += value
                        entry[1].add(line)
        quads += _sum_nodes(totals, ox.NamedNode(sum_property), graph)
    return quads


def _number(literal: ox.Literal) -> Decimal:
    return Decimal(literal.value)


SUM_CLASS, FISCAL_YEAR, AMOUNT, LINE_COUNT, IN_MUNICIPALITY = (
    ox.NamedNode(PG + name) for name in ("BudgetSum", "fiscalYear", "amountDKK", "lineCount", "inMunicipality"))


def _sum_nodes(totals: dict[tuple, list], sum_property: ox.NamedNode, graph: ox.NamedNode) -> list[ox.Quad]:
    quads = []
    for (scope, place, year), (value, lines) in totals.items():
        node = ox.BlankNode()
        whole = value == value.to_integral_value()
        amount = ox.Literal(str(int(value)), datatype=XSD_INTEGER) if whole else \
            ox.Literal(format(value.normalize(), "f"), datatype=XSD_DECIMAL)
        count = ox.Literal(str(len(lines)), datatype=XSD_INTEGER)
        quads += [ox.Quad(node, RDF_TYPE, SUM_CLASS, graph), ox.Quad(node, sum_property, scope, graph),
                  ox.Quad(node, FISCAL_YEAR, year, graph), ox.Quad(node, AMOUNT, amount, graph),
                  ox.Quad(node, LINE_COUNT, count, graph)]
        if place is not None:
            quads.append(ox.Quad(node, IN_MUNICIPALITY, place, graph))
    return quads
