"""What a workshop's accepted decisions become in the store: statements in the workshop's own named
graph, each with its provenance (PROV-O), never mixed with what the documents say.

Why a graph per workshop, rewritten whole: the graph is a function of every decision taken so far (the
lead's fold of the log hands them in as a WorkshopRecord), so writing it after each accept replaces it
with the same or a larger set, and a retraction needs no delete logic. `policygraph load` replaces only
the graphs of the files it loads, so a workshop graph outlives every reload of the documents; and
because the graph's IRI says "workshop", questions and views can mark or leave out what it holds
(`is_workshop_graph`).

Accepted statements are written as plain triples (plan pg:synergyWith plan) so every question reads them
like any other link; beside each stands a pg:WorkshopDecision naming the same triple (rdf:subject,
rdf:predicate, rdf:object) with who proposed, supported and accepted it, when and at which workshop.
"""
from __future__ import annotations

import hashlib
import statistics
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal
from urllib.parse import quote

import pyoxigraph as ox

from graph.store.base import GraphContent, Store
from ontology import FOAF, PG, PROV, RDF, RDFS, XSD, base_iri, is_workshop_graph, workshop_graph
from ontology.texts import LANGUAGES, translate

RELATIONS: dict[str, str] = {
    "synergy": PG + "synergyWith",
    "overlap": PG + "overlapsWith",
    "conflict": PG + "conflictsWith",
    "coordinate": PG + "coordinatesWith",
}
SCORE_PLACES = Decimal("0.001")  # mean and spread to three decimals: enough to order pairs, stable to compare


@dataclass(frozen=True)
class Person:
    """A participant as the log knows them; `name` None is someone who chose to stay anonymous, `body`
    the IRI of the organisation they speak for."""

    id: str
    name: str | None
    body: str | None


@dataclass(frozen=True)
class AcceptedLink:
    """A proposed link between plans, goals or initiatives that the facilitator accepted."""

    proposal: str
    source: str
    target: str
    relation: str  # a key of RELATIONS
    rationale: str
    proposed_by: Person | None
    supporters: tuple[Person, ...]
    proposed_at: float
    decided_at: float


@dataclass(frozen=True)
class AcceptedMembership:
    """An accepted "this persona belongs to this target group"."""

    proposal: str
    persona: str
    group: str
    proposed_by: Person | None
    proposed_at: float
    decided_at: float


@dataclass(frozen=True)
class AcceptedFocusArea:
    """An accepted focus area for a plan, typed by a participant (possibly from a persona's view)."""

    proposal: str
    plan: str
    persona: str | None
    text: str
    proposed_by: Person | None
    proposed_at: float
    decided_at: float


@dataclass(frozen=True)
class CrossImpact:
    """The scores (-3..+3) participants gave for how progress on `source` influences `target` (goals)."""

    source: str
    target: str
    scores: tuple[int, ...]
    decided_at: float


@dataclass(frozen=True)
class WorkshopRecord:
    """Everything decided at one workshop so far. `iri` is the pg:Workshop when the graph already
    describes it (the bundled seed workshop); None mints one under the base."""

    id: str
    iri: str | None
    title: str
    date: str | None
    municipality: str | None
    facilitator: str
    participants: tuple[Person, ...]
    links: tuple[AcceptedLink, ...]
    memberships: tuple[AcceptedMembership, ...]
    focus_areas: tuple[AcceptedFocusArea, ...]
    impacts: tuple[CrossImpact, ...]


# ------------------------------------------------------------------------------------------ names

def workshop_iri(record: WorkshopRecord) -> str:
    """The workshop as a resource: the existing one, else one minted for a workshop held in the app."""
    return record.iri or f"{base_iri()}workshop/live/{quote(record.id, safe='')}"


def _under(record: WorkshopRecord, kind: str, key: str) -> ox.NamedNode:
    return ox.NamedNode(f"{workshop_iri(record)}/{kind}/{quote(key, safe='')}")


def _pair_key(source: str, target: str) -> str:
    """A short stable name for an ordered goal pair (goal IRIs are long and hold slashes)."""
    return hashlib.sha256(f"{source}\n{target}".encode()).hexdigest()[:16]


# ----------------------------------------------------------------------------------------- values

def utc_time(seconds: float) -> ox.Literal:
    """A log time (seconds since the epoch) as xsd:dateTime in UTC, to the millisecond."""
    moment = datetime.fromtimestamp(seconds, timezone.utc)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{moment.microsecond // 1000:03d}Z"
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "dateTime"))


def _decimal(value: float) -> ox.Literal:
    rounded = Decimal(repr(value)).quantize(SCORE_PLACES, rounding=ROUND_HALF_EVEN)
    return ox.Literal(str(rounded), datatype=ox.NamedNode(XSD + "decimal"))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def _iri(name: str) -> ox.NamedNode:
    return ox.NamedNode(name)


_TYPE = _iri(RDF + "type")
_LABEL = _iri(RDFS + "label")


# ------------------------------------------------------------------------------------ the triples

class _Triples:
    """Collects the workshop graph's triples once each, in a stable order."""

    def __init__(self) -> None:
        self.seen: dict[tuple[ox.Term, ox.Term, ox.Term], None] = {}

    def add(self, subject: ox.Term, predicate: str, obj: ox.Term) -> None:
        self.seen.setdefault((subject, _iri(predicate), obj), None)

    def quads(self, graph: str) -> list[ox.Quad]:
        name = ox.NamedNode(graph)
        return sorted((ox.Quad(s, p, o, name) for s, p, o in self.seen), key=str)


def _agent(out: _Triples, record: WorkshopRecord, person: Person) -> ox.NamedNode:
    """A participant as a prov:Agent of this workshop; an anonymous one is named so in both languages."""
    node = _under(record, "participant", person.id)
    out.add(node, RDF + "type", _iri(PROV + "Agent"))
    if person.name:
        out.add(node, FOAF + "name", ox.Literal(person.name))
    else:
        for lang in LANGUAGES:
            out.add(node, RDFS + "label", ox.Literal(translate("workshop.decision.anonymous", lang), language=lang))
    if person.body:
        out.add(node, PROV + "actedOnBehalfOf", _iri(person.body))
    return node


def _facilitator(out: _Triples, record: WorkshopRecord) -> ox.NamedNode:
    node = _under(record, "facilitator", "1")
    out.add(node, RDF + "type", _iri(PROV + "Agent"))
    out.add(node, FOAF + "name", ox.Literal(record.facilitator))
    return node


def _workshop(out: _Triples, record: WorkshopRecord, facilitator: ox.NamedNode) -> ox.NamedNode:
    """The workshop as the activity that generated the decisions; described here only when minted."""
    node = _iri(workshop_iri(record))
    out.add(node, PG + "facilitatedBy", facilitator)
    if record.iri is None:
        out.add(node, RDF + "type", _iri(PG + "Workshop"))
        out.add(node, RDFS + "label", ox.Literal(record.title))
        if record.date and "T" in record.date:
            out.add(node, PROV + "startedAtTime", ox.Literal(record.date, datatype=_iri(XSD + "dateTime")))
        elif record.date:
            out.add(node, PG + "date", ox.Literal(record.date, datatype=_iri(XSD + "date")))
        if record.municipality:
            out.add(node, PG + "municipality", _iri(record.municipality))
    for person in record.participants:
        out.add(node, PG + "hadParticipant", _agent(out, record, person))
    return node


def _decision(out: _Triples, record: WorkshopRecord, context: tuple[ox.NamedNode, ox.NamedNode],
              proposal: str, statement: tuple[str, str, str], proposed_by: Person | None,
              proposed_at: float, decided_at: float) -> ox.NamedNode:
    """The accepted statement itself and the pg:WorkshopDecision that says where it came from."""
    workshop, facilitator = context
    subject, predicate, obj = statement
    out.add(_iri(subject), predicate, _iri(obj))
    node = _under(record, "decision", proposal)
    out.add(node, RDF + "type", _iri(PG + "WorkshopDecision"))
    out.add(node, RDF + "subject", _iri(subject))
    out.add(node, RDF + "predicate", _iri(predicate))
    out.add(node, RDF + "object", _iri(obj))
    out.add(node, PROV + "wasGeneratedBy", workshop)
    out.add(node, PG + "acceptedBy", facilitator)
    out.add(node, PG + "proposedAtTime", utc_time(proposed_at))
    out.add(node, PROV + "generatedAtTime", utc_time(decided_at))
    if proposed_by is not None:
        out.add(node, PROV + "wasAttributedTo", _agent(out, record, proposed_by))
    return node


def _links(out: _Triples, record: WorkshopRecord, context: tuple[ox.NamedNode, ox.NamedNode]) -> None:
    for link in record.links:
        if link.relation not in RELATIONS:
            raise ValueError(f"unknown relation {link.relation!r}; expected one of {', '.join(RELATIONS)}")
        node = _decision(out, record, context, link.proposal, (link.source, RELATIONS[link.relation], link.target),
                         link.proposed_by, link.proposed_at, link.decided_at)
        if link.rationale:
            out.add(node, PG + "rationale", ox.Literal(link.rationale))
        for supporter in link.supporters:
            out.add(node, PG + "supportedBy", _agent(out, record, supporter))


def _memberships(out: _Triples, record: WorkshopRecord, context: tuple[ox.NamedNode, ox.NamedNode]) -> None:
    for member in record.memberships:
        _decision(out, record, context, member.proposal, (member.persona, PG + "memberOfTargetGroup", member.group),
                  member.proposed_by, member.proposed_at, member.decided_at)


def _focus_areas(out: _Triples, record: WorkshopRecord, context: tuple[ox.NamedNode, ox.NamedNode]) -> None:
    """A proposed focus area is an entity of its own, so it carries its provenance directly."""
    workshop, facilitator = context
    for area in record.focus_areas:
        node = _under(record, "focus-area", area.proposal)
        out.add(node, RDF + "type", _iri(PG + "ProposedFocusArea"))
        out.add(node, RDFS + "label", ox.Literal(area.text))
        out.add(node, PG + "proposedFor", _iri(area.plan))
        if area.persona:
            out.add(node, PG + "forPersona", _iri(area.persona))
        out.add(node, PROV + "wasGeneratedBy", workshop)
        out.add(node, PG + "acceptedBy", facilitator)
        out.add(node, PG + "proposedAtTime", utc_time(area.proposed_at))
        out.add(node, PROV + "generatedAtTime", utc_time(area.decided_at))
        if area.proposed_by is not None:
            out.add(node, PROV + "wasAttributedTo", _agent(out, record, area.proposed_by))


def _impacts(out: _Triples, record: WorkshopRecord, context: tuple[ox.NamedNode, ox.NamedNode]) -> None:
    """One assessment per goal pair: the summary a cross-impact matrix shows (SEI's SDG Synergies)."""
    workshop, facilitator = context
    for impact in record.impacts:
        if not impact.scores:
            continue
        if any(not -3 <= score <= 3 for score in impact.scores):
            raise ValueError(f"cross-impact scores run from -3 to 3, got {impact.scores}")
        node = _under(record, "cross-impact", _pair_key(impact.source, impact.target))
        out.add(node, RDF + "type", _iri(PG + "CrossImpactAssessment"))
        out.add(node, PG + "influencingGoal", _iri(impact.source))
        out.add(node, PG + "influencedGoal", _iri(impact.target))
        out.add(node, PG + "meanScore", _decimal(statistics.fmean(impact.scores)))
        out.add(node, PG + "scoreSpread", _decimal(statistics.pstdev(impact.scores)))
        out.add(node, PG + "minScore", _integer(min(impact.scores)))
        out.add(node, PG + "maxScore", _integer(max(impact.scores)))
        out.add(node, PG + "scoreCount", _integer(len(impact.scores)))
        out.add(node, PROV + "wasGeneratedBy", workshop)
        out.add(node, PG + "acceptedBy", facilitator)
        out.add(node, PROV + "generatedAtTime", utc_time(impact.decided_at))


def workshop_quads(record: WorkshopRecord) -> list[ox.Quad]:
    """The workshop graph for the record, in a stable order (same record, same list)."""
    out = _Triples()
    facilitator = _facilitator(out, record)
    context = (_workshop(out, record, facilitator), facilitator)
    _links(out, record, context)
    _memberships(out, record, context)
    _focus_areas(out, record, context)
    _impacts(out, record, context)
    return out.quads(workshop_graph(record.id))


def write_back(store: Store, record: WorkshopRecord) -> int:
    """Replace the workshop's graph with its decisions so far, in one transaction; the statement count."""
    quads = workshop_quads(record)
    with store.transaction():
        return store.replace_graphs([GraphContent(workshop_graph(record.id), quads)])


__all__ = ["AcceptedFocusArea", "AcceptedLink", "AcceptedMembership", "CrossImpact", "Person", "WorkshopRecord",
           "is_workshop_graph", "workshop_graph", "workshop_iri", "workshop_quads", "write_back"]
